"""EDTF (ISO 8601-2) dates, levels 0 and 1.

News gives dates at every precision — a day, "October 2011", "1994", "10–11/9",
"the first quarter" — and a fact must keep exactly the precision its article
gives. EDTF says that in a standard string; this module parses it into bounds
(the first and last day it can mean) so facts can be filtered and ordered,
without ever padding a year into a day.

Supported: `1992-06-29`, `2011-10`, `1994`, qualifiers `?` `~` `%`, unspecified
digits (`199X`, `2025-XX`), seasons (`2025-21`..`24`), intervals `A/B` with open
(`..`) or unknown (empty) ends, and long years (`Y170000002`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from dipfacts.base.errors import DipfactsError

Day = tuple[int, int, int]

#: Seasons (EDTF 21-24), taken as the northern-hemisphere meteorological seasons.
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}
PRECISIONS = ("year", "season", "month", "day")

# ASCII digits only ([0-9], never \d, which takes '١٩٨٥' and '１９８５'); 'Y' only for a year of more
# than four digits, without a leading zero (Y12345, Y-170000002; not Y01234). Matched whole
# (fullmatch: '$' would let a trailing newline through).
_POINT = re.compile(
    r"""(?:Y(?P<long>-?[1-9][0-9]{4,})
        |(?P<year>-?[0-9X]{4})(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?)?)
        (?P<q>[?~%])?""",
    re.VERBOSE,
)


class DateError(DipfactsError):
    """A string that is not an EDTF level 0/1 date."""


@dataclass(frozen=True, slots=True, order=False)
class Point:
    """One date at its own precision: a year, a season, a month or a day."""

    text: str
    precision: str
    lower: Day
    upper: Day
    approximate: bool = False
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class EDTF:
    """A parsed EDTF string: a single date, or an interval of two.

    `start`/`end` are None for an open (`..`) or unknown (empty) interval end;
    for a single date both are the same point.
    """

    text: str
    start: Point | None
    end: Point | None
    interval: bool

    @property
    def lower(self) -> Day | None:
        """The first day the date can mean (None: open or unknown start)."""
        return self.start.lower if self.start else None

    @property
    def upper(self) -> Day | None:
        """The last day the date can mean (None: open or unknown end)."""
        return self.end.upper if self.end else None

    @property
    def precision(self) -> str:
        point = self.start or self.end
        return point.precision if point else "year"

    def overlaps(self, since: Day | None, until: Day | None) -> bool:
        """Whether any day of this date falls within [since, until] (either may be open).

        An open or unknown side of the date is unknown, not unbounded: the known end
        stands for it, as --since/--until treat it (filters._dated)."""
        lo, hi = self.lower or self.upper, self.upper or self.lower
        if since is not None and hi is not None and hi < since:
            return False
        if until is not None and lo is not None and lo > until:
            return False
        return True

    def __str__(self) -> str:
        return self.text


def _fill(digits: str, low: bool) -> int:
    """Unspecified digits (X) widen a date: 199X means 1990 to 1999, and -199X (before year 0)
    -1999 to -1990: for a negative year the nines make the low end."""
    nines = low if digits.startswith("-") else not low
    return int(digits.replace("X", "9" if nines else "0"))


def _malformed(text: str, whole: str) -> DateError:
    """What is wrong with a point the pattern does not match, as precisely as can be said."""
    if any(c.isdigit() and not c.isascii() for c in text):
        return DateError(f"malformed EDTF date {whole!r}", "write its digits as ASCII 0-9")
    if text.startswith("Y"):
        return DateError(
            f"malformed EDTF date {whole!r}",
            "'Y' is for a year of more than four digits, without leading zeros (Y12345)",
        )
    return DateError(
        f"malformed EDTF date {whole!r}", "expected e.g. 1992-06-29, 2011-10, 1994 or 2012-09-10/2012-09-11"
    )


def _years(ys: str, whole: str) -> tuple[int, int]:
    """A four-digit year's first and last year (199X: 1990 and 1999; -199X: -1999 and -1990)."""
    if ys.startswith("-") and _fill(ys[1:], True) == 0:  # -0000, -0XXX, -XXXX: reaching year 0
        raise DateError(f"malformed EDTF date {whole!r}", "a year before year 0 is -0001 or earlier")
    if "X" in ys.lstrip("-") and not re.fullmatch(r"-?[0-9]*X+", ys):
        raise DateError(f"malformed EDTF date {whole!r}", "unspecified digits (X) must come last in the year")
    return _fill(ys, True), _fill(ys, False)


def _point(text: str, whole: str) -> Point:
    m = _POINT.fullmatch(text)
    if not m:
        raise _malformed(text, whole)
    q = m["q"] or ""
    approximate, uncertain = q in "~%" and bool(q), q in "?%" and bool(q)
    if q and m["long"] is not None:
        raise DateError(f"malformed EDTF date {whole!r}", "a long (Y) year takes no ? ~ %")
    if m["long"] is not None:
        y = int(m["long"])
        return Point(text, "year", (y, 1, 1), (y, 12, 31), approximate, uncertain)
    ys, ms, ds = m["year"], m["month"], m["day"]
    y_lo, y_hi = _years(ys, whole)
    if ms is None:
        if ds is not None:  # pragma: no cover - the pattern forbids it
            raise DateError(f"malformed EDTF date {whole!r}")
        return Point(text, "year", (y_lo, 1, 1), (y_hi, 12, 31), approximate, uncertain)
    if "X" in ys and ms != "XX":
        raise DateError(f"malformed EDTF date {whole!r}", "a month cannot be given in an unspecified year")
    if ms != "XX" and "X" in ms:
        raise DateError(f"malformed EDTF date {whole!r}", "a month is either given (06) or unspecified (XX)")
    if ds is None and ms.isdigit() and 21 <= int(ms) <= 24:
        first, last = _SEASON_MONTHS[int(ms)]
        y_end = y_hi + 1 if last < first else y_hi
        return Point(
            text,
            "season",
            (y_lo, first, 1),
            (y_end, last, calendar.monthrange(y_end, last)[1]),
            approximate,
            uncertain,
        )
    if ms == "XX":  # 2004-XX: known only to the year
        m_lo, m_hi = 1, 12
    else:
        m_lo = m_hi = int(ms)
        if not 1 <= m_lo <= 12:
            raise DateError(f"malformed EDTF date {whole!r}", f"month {ms} is not 01-12 (or a season 21-24)")
    if ds is None or ds == "XX":  # 1985-04-XX: known only to the month (or the year, for 1985-XX-XX)
        return Point(
            text,
            "year" if ms == "XX" else "month",
            (y_lo, m_lo, 1),
            (y_hi, m_hi, calendar.monthrange(y_hi, m_hi)[1]),
            approximate,
            uncertain,
        )
    if "X" in ds or "X" in ms or "X" in ys:
        raise DateError(
            f"malformed EDTF date {whole!r}", "a day can only be unspecified (XX) in a given month"
        )
    d = int(ds)
    if not 1 <= d <= calendar.monthrange(y_lo, m_lo)[1]:
        raise DateError(f"malformed EDTF date {whole!r}", f"{ys}-{ms} has no day {ds}")
    return Point(text, "day", (y_lo, m_lo, d), (y_lo, m_lo, d), approximate, uncertain)


def parse_edtf(text: str) -> EDTF:
    """Parse an EDTF level 0/1 string, or raise DateError naming what is wrong."""
    if not isinstance(text, str) or not text or text != text.strip():
        raise DateError(f"malformed EDTF date {text!r}", "expected e.g. 1992-06-29, 2011-10 or 1994")
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):  # 29/6/1992, as Vietnamese papers write it
        d, mo, y = m.groups()
        raise DateError(
            f"malformed EDTF date {text!r}", f"write day/month/year as {y}-{int(mo):02d}-{int(d):02d}"
        )
    if "/" not in text:
        point = _point(text, text)
        return EDTF(text, point, point, interval=False)
    if text.count("/") != 1:
        raise DateError(f"malformed EDTF date {text!r}", "an interval has exactly one '/'")
    a, b = text.split("/")
    if a in ("", "..") and b in ("", ".."):
        raise DateError(f"malformed EDTF date {text!r}", "an interval needs at least one known end")
    start = None if a in ("", "..") else _point(a, text)
    end = None if b in ("", "..") else _point(b, text)
    if start and end and start.lower > end.upper:
        raise DateError(f"malformed EDTF date {text!r}", "the interval ends before it starts")
    return EDTF(text, start, end, interval=True)


def parse_bound(text: str, *, end: bool) -> Day:
    """A --since/--until option: any EDTF point, taken at its first (or last) day."""
    date = parse_edtf(text)
    if date.interval:
        raise DateError(
            f"malformed date {text!r}", "give a single date such as 2021 or 2021-06, not an interval"
        )
    assert date.start is not None
    return date.start.upper if end else date.start.lower


# --- dates for people ---------------------------------------------------------------------------

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_EN_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SEASONS = {
    "en": ("spring", "summer", "autumn", "winter"),
    "vi": ("mùa xuân", "mùa hè", "mùa thu", "mùa đông"),
}


def _parts(p: Point) -> tuple[int | None, int, int, int | None]:
    """(day, month, year, season 0-3) as the point states them: no padded precision."""
    y, m, d = p.lower
    season = int(p.text.rstrip("?~%").split("-")[-1]) - 21 if p.precision == "season" else None
    return (d if p.precision == "day" else None), m, y, season


def _year_text(p: Point, lang: str) -> str:
    """A year, or the years unspecified digits leave open: 199X is a decade ("1990s", "thập niên
    1990"); 19XX, 1XXX or a year before year 0 are their first and last years ("1900–1999": "1900s"
    reads as 1900–1909 to many); XXXX is any year."""
    lo, hi = p.lower[0], p.upper[0]
    if lo == hi:
        return str(lo)
    if hi - lo + 1 == 10 and lo >= 0:
        return f"{lo}s" if lang == "en" else f"thập niên {lo}"
    if (lo, hi) == (0, 9999):
        return "an unknown year" if lang == "en" else "năm chưa rõ"
    return f"{lo}–{hi}"


def _point_text(p: Point, lang: str, long: bool, *, drop_year: bool = False, drop_month: bool = False) -> str:
    d, m, y, season = _parts(p)
    if season is not None:
        words = _SEASONS[lang][season]
        text = words if drop_year else f"{words} {y}"
    elif p.precision == "year":
        text = _year_text(p, lang)
    elif lang == "vi":  # 29/6/1992, tháng 10/2011
        text = str(d) if drop_month else f"{d}/{m}" if d is not None else f"tháng {m}"
        if not drop_year:
            text += f"/{y}"
    else:
        month = (_MONTHS_EN_LONG if long else _MONTHS_EN)[m - 1]
        text = str(d) if drop_month else f"{d} {month}" if d is not None else month
        if not drop_year:
            text += f" {y}"
    return _qualified(text, p, lang)


def _qualified(text: str, p: Point, lang: str) -> str:
    if p.approximate:
        text = ("c. " if lang == "en" else "khoảng ") + text
    if p.uncertain:
        text += "?"
    return text


def human_date(date: EDTF, lang: str = "en", *, long: bool = False) -> str:
    """A date as a person writes it, at its own precision: 29 Jun 1992, Oct 2011, 1994,
    10–11 Sep 2012, Jan–Mar 2025 (Vietnamese: 29/6/1992, tháng 10/2011, 10–11/9/2012).
    An interval shares what its ends have in common, as editors write ranges."""
    lang = "vi" if lang == "vi" else "en"
    a, b = date.start, date.end
    if not date.interval and a is not None:
        return _point_text(a, lang, long)
    if a is None or b is None:
        known = a or b
        assert known is not None
        open_end = (date.text.split("/")[1 if a else 0]) == ".."
        words = {
            ("en", True): ("from ", ""),
            ("en", False): ("until ", ""),
            ("vi", True): ("từ ", ""),
            ("vi", False): ("đến ", ""),
        }
        if not open_end:  # an unknown end: "?"
            return f"{_point_text(known, lang, long)}–?" if a else f"?–{_point_text(known, lang, long)}"
        return words[(lang, a is not None)][0] + _point_text(known, lang, long)
    same_year = (
        a.lower[0] == b.lower[0]
        and a.precision == b.precision
        and a.precision in ("day", "month")
        and not a.approximate
    )
    same_month = same_year and a.precision == "day" and a.lower[1] == b.lower[1]
    if lang == "vi" and same_year and a.precision == "month":  # tháng 1–3/2025
        return _qualified(f"tháng {a.lower[1]}–{b.lower[1]}/{b.lower[0]}", b, lang)
    first = _point_text(a, lang, long, drop_year=same_year, drop_month=same_month)
    return f"{first}–{_point_text(b, lang, long)}"


def as_of(date: EDTF, lang: str = "en", *, long: bool = False) -> str:
    """When a state holds: 'as of 27 Jun 2022' ('tính đến 27/6/2022').

    A state is dated by the article that reports it: true as of that day, not something
    that happened on it, and a reader must be able to tell the two apart. A date open at
    one side reads by its known end, where the timeline places it ('../2022-06-27' is
    'as of 27 Jun 2022', not 'as of until …'); a year reads 'tính đến năm 2022'."""
    lang = "vi" if lang == "vi" else "en"
    known = date.end if date.start is None else date.start if date.end is None else None
    text = _point_text(known, lang, long) if known is not None else human_date(date, lang, long=long)
    if lang == "vi":
        return "tính đến " + ("năm " + text if text.isdigit() else text)
    return "as of " + (
        "the " + text if text[:1].isdigit() and text.endswith("0s") else text
    )  # as of the 1990s
