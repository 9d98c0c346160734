"""Dates, amounts and comparisons as Vietnamese news writes them, read into EDTF and numbers.

Vietnamese papers write 29/6/1992 (day first), 426,1 (decimal comma), 150.000
(thousands dot), "4 ngàn tỷ USD" (4 thousand billion), and leave the year out when
it is the year of publication ("ngày 10-11/9", "tháng 10 năm nay"). Each finder
returns matches with their offsets, so a caller can tell which date belongs to
which amount. Dates are never made more precise than the text: "cuối năm 2025"
(the end of 2025) is 2025, as the fact base's curators encode it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dipfacts.base.dates import EDTF, DateError, parse_edtf
from dipfacts.base.numbers_vi import COUNTS, ORDINALS


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    value: str  # an EDTF string for a date


@dataclass(frozen=True, slots=True)
class Amount:
    start: int
    end: int
    amount: int | float
    unit: str
    comparator: str  # = > < ~
    rank: bool = False


@dataclass(frozen=True, slots=True)
class Change:
    start: int
    end: int
    change: float  # percent; doubling is 100
    vs: str | None  # EDTF of the period compared with


# --- numbers -------------------------------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


def number(text: str) -> int | float:
    """'426,1' → 426.1; '150.000' → 150000; '1.234,5' → 1234.5."""
    value = float(text.replace(".", "").replace(",", "."))
    return int(value) if value.is_integer() else value


_SCALE = {
    "nghìn tỷ": 10**12,
    "ngàn tỷ": 10**12,
    "nghìn tỉ": 10**12,
    "ngàn tỉ": 10**12,
    "tỷ": 10**9,
    "tỉ": 10**9,
    "triệu": 10**6,
    "nghìn": 10**3,
    "ngàn": 10**3,
}
# Vietnamese unit words → the base's unit names. Only these (and a scale or '%') make a
# number a figure: "30 năm", "Điều 4" or "lần thứ 55" are not amounts.
UNITS = {
    "usd": "USD",
    "đô la mỹ": "USD",
    "đô la": "USD",
    "đôla": "USD",
    "lượt khách": "visitors",
    "lượt": "visitors",
    "khách": "visitors",
    "người tiêu dùng": "people",
    "người": "people",
    "dân": "people",
    "tấn": "tonnes",
    "chuyến bay thẳng/tuần": "flights-per-week",
    "chuyến bay/tuần": "flights-per-week",
    "chuyến bay": "flights",
    "quốc gia": "countries",
    "nước": "countries",
    "tổ chức": "organisations",
    "đối tác": "partners",
    "hành lang": "corridors",
    "khu công nghiệp": "industrial-parks",
    "tỉnh, thành phố": "provinces",
    "tỉnh thành": "provinces",
    "tỉnh, thành": "provinces",
    "tỉnh": "provinces",
    "kỳ họp": "sessions",
    "phiên họp": "sessions",
    "hội nghị": "sessions",
    "khóa": "sessions",
    "dự án": "projects",
    "thành viên": "members",
    "thỏa thuận": "agreements",
    "thoả thuận": "agreements",
    "văn kiện": "documents",
    "km2": "km2",
    "km²": "km2",
    # People counted by what they are: "gần 100.000 lưu học sinh", "trên 40.000 cô dâu".
    "lưu học sinh": "people",
    "du học sinh": "people",
    "sinh viên": "people",
    "học sinh": "people",
    "lao động": "people",
    "cô dâu": "people",
    "công dân": "people",
    "kiều bào": "people",
    "du khách": "visitors",
}
_NUMBER_WORDS = COUNTS
_ORDINAL_WORDS = ORDINALS
_UNIT_WORDS = sorted(UNITS, key=len, reverse=True)
_SCALE_WORDS = sorted(_SCALE, key=len, reverse=True)
_COMPARATOR_WORDS = (
    ("trên", ">"),
    ("hơn", ">"),
    ("vượt", ">"),
    ("gần", "<~"),
    ("khoảng", "~"),
    ("chừng", "~"),
    ("dưới", "<"),
)

_AMOUNT = re.compile(
    rf"(?P<cmp>(?:{'|'.join(w for w, _ in _COMPARATOR_WORDS)})\s+)?"
    rf"(?P<n>{_NUMBER})\s*"
    rf"(?:(?P<pct>%)|(?P<scale>(?:{'|'.join(map(re.escape, _SCALE_WORDS))})(?!\w))?"
    rf"\s*(?P<unit>{'|'.join(map(re.escape, _UNIT_WORDS))})?)",
    re.IGNORECASE,
)
_RANK = re.compile(r"(?<!lần )(?<!khóa )(?<!kỳ )thứ\s+(?P<n>\d{1,3})(?!\s*/)(?![\d,.])", re.IGNORECASE)
# "lớn thứ hai" (second largest), "đứng thứ ba": a ranking in words — never the weekday "Thứ hai, 27/06".
_RANK_WORDS = re.compile(rf"(?:lớn|đứng|xếp|hạng)\s+thứ\s+(?P<w>{'|'.join(_ORDINAL_WORDS)})\b", re.IGNORECASE)
# "đứng đầu thế giới về trữ lượng kẽm": the first — never "đứng đầu đoàn" (heads the delegation).
_TOP = re.compile(r"đứng đầu\s+(?=thế giới|khu vực|châu\s|ASEAN|về\b|trong\b)", re.IGNORECASE)
# "…; thứ hai về bạc; thứ sáu về vàng": a ranking in a list, in words, before what it ranks.
_RANK_LIST = re.compile(
    (
        rf"(?<!lần )(?<!khóa )(?<!kỳ )\bthứ\s+(?P<w>{'|'.join(_ORDINAL_WORDS)})\s+(?=về\b|thế "
        rf"giới\b|trên thế giới\b)"
    ),
    re.IGNORECASE,
)
# "nằm trong top 15 thế giới": among the first 15 (unit 'top': rank at most 15).
_TOP_N = re.compile(r"\btop\s+(?P<n>\d{1,3})\b", re.IGNORECASE)
# "nhà đầu tư lớn nhất", "nước tài trợ ODA lớn nhất": the first.
_FIRST = re.compile(
    r"(?:đối tác|nhà đầu tư|thị trường|nguồn|nước|nhà tài trợ)[^,.;]{0,30}?\blớn nhất\b", re.IGNORECASE
)
# "đối tác đầu tư số 1", "nhà đầu tư số 2 … của Việt Nam": a ranking by number — never "số 15/2022" (a
# document's number) nor "tổng số" (a total).
_RANK_NUMBER = re.compile(
    (
        r"(?<=\w)\s+(?<!tổng )(?<!con )số\s+(?P<n>\d{1,2})(?![\d/]|[.,]\d)(?=\s*(?:[;,.)]|$|\s+(?:của|về|thế "
        r"giới|tại|trong|và)\b))"
    ),
    re.IGNORECASE,
)
# "Năm hành lang", "ba nước": a number in words, only before a unit noun ("một đối tác" is "a partner").
_WORD_AMOUNT = re.compile(
    rf"\b(?P<w>{'|'.join(w for w in _NUMBER_WORDS if w != 'một')})"
    rf"\s+(?P<unit>{'|'.join(map(re.escape, _UNIT_WORDS))})\b",
    re.IGNORECASE,
)
# "nhanh gấp 3 lần" (three times as fast); "9 năm qua", "27 năm tham gia" (a count of years).
_TIMES = re.compile(r"(?<!tăng )gấp\s+(?P<n>\d+(?:,\d+)?)\s+lần", re.IGNORECASE)
_YEARS = re.compile(r"(?<![\d/])(?P<n>\d{1,3})\s+năm\s+(?:qua|tham gia|liên tiếp|liên tục)", re.IGNORECASE)


def _measured(text: str, m: re.Match[str]) -> Amount | None:
    """One number with its scale and unit ('426,1 triệu USD'), or None when it is not an amount."""
    if not (m["pct"] or m["scale"] or m["unit"]):
        return None
    if _is_date_part(text, m.start("n"), m.end("n")):
        return None
    if re.search(r"\d\s*[-–—]\s*$", text[: m.start("n")]) and not m["cmp"]:
        return None  # "6,2 — 6,4 tỷ USD": a range, which a value cannot hold; never its upper end as exact
    n = number(m["n"])
    comparator = next((c for w, c in _COMPARATOR_WORDS if m["cmp"] and m["cmp"].strip().lower() == w), "=")
    if m["pct"]:
        return Amount(m.start(), m.end(), n, "%", comparator)
    if n == 2 and not (m["scale"] or m["cmp"]) and m["unit"] and m["unit"].lower() in ("nước", "quốc gia"):
        return None  # "giữa 2 nước": the two countries of the relation, as "hai nước" is
    value = round(n * (_SCALE[m["scale"].lower()] if m["scale"] else 1), 6)
    unit = UNITS[m["unit"].lower()] if m["unit"] else "units"
    return Amount(m.start(), m.end(), int(value) if float(value).is_integer() else value, unit, comparator)


def amounts(text: str) -> list[Amount]:
    """Amounts with a scale, a unit or a percent sign; and rankings ('thứ 2': rank 2)."""
    found = [a for m in _AMOUNT.finditer(text) if (a := _measured(text, m)) is not None]
    found += _rankings(text, found)
    found.sort(key=lambda a: a.start)
    return found


def _rankings(text: str, out: list[Amount]) -> list[Amount]:
    """Rankings ('thứ 2', 'lớn thứ hai', 'số 1', 'đứng đầu', 'top 15', '… lớn nhất'), counts in words
    ('năm hành lang'), 'gấp 3 lần' and counts of years, after the measured amounts in `out`."""
    out = list(out)
    start = len(out)
    for m in _RANK.finditer(text):
        out.append(Amount(m.start(), m.end(), int(m["n"]), "rank", "=", rank=True))
    for m in _RANK_WORDS.finditer(text):
        out.append(Amount(m.start(), m.end(), _ORDINAL_WORDS[m["w"].lower()], "rank", "=", rank=True))
    for m in _RANK_NUMBER.finditer(text):
        if re.search(
            r"(?:đối tác|nhà đầu tư|thị trường|nước|nguồn|nhà tài trợ)[^,.;]{0,40}$",
            text[: m.start()],
            re.IGNORECASE,
        ):
            out.append(
                Amount(
                    m.start() + len(m.group()) - len(m.group().lstrip()),
                    m.end(),
                    int(m["n"]),
                    "rank",
                    "=",
                    rank=True,
                )
            )
    for m in _TOP.finditer(text):
        out.append(Amount(m.start(), m.end(), 1, "rank", "=", rank=True))
    for m in _RANK_LIST.finditer(text):
        if not any(a.start <= m.start() < a.end for a in out):
            out.append(Amount(m.start(), m.end(), _ORDINAL_WORDS[m["w"].lower()], "rank", "=", rank=True))
    for m in _TOP_N.finditer(text):
        out.append(Amount(m.start(), m.end(), int(m["n"]), "top", "=", rank=True))
    for m in _FIRST.finditer(text):
        out.append(Amount(m.start(), m.end(), 1, "rank", "=", rank=True))
    for m in _WORD_AMOUNT.finditer(text):
        if m["w"].lower() == "hai" and m["unit"].lower() in ("nước", "quốc gia", "đối tác"):
            continue  # "hai nước": the two countries a relation is between, not a count
        if not any(a.start <= m.start() < a.end for a in out):
            out.append(
                Amount(m.start(), m.end(), _NUMBER_WORDS[m["w"].lower()], UNITS[m["unit"].lower()], "=")
            )
    for m in _TIMES.finditer(text):
        out.append(Amount(m.start(), m.end(), number(m["n"]), "times", "="))
    for m in _YEARS.finditer(text):
        out.append(Amount(m.start(), m.end(), int(m["n"]), "years", "="))
    return out[start:]


def _is_date_part(text: str, start: int, end: int) -> bool:
    """A number that is the day, month or year of a date ('29/6/1992'), not an amount."""
    return (start > 0 and text[start - 1] in "/-–") or (
        end < len(text) and text[end] == "/" and text[end + 1 : end + 2].isdigit()
    )


# --- changes ---------------------------------------------------------------------------------

_CHANGE = re.compile(
    rf"(?:(?P<dir>tăng|giảm)\s+(?:thêm\s+)?(?:(?:hơn|gần|khoảng|trên|dưới)\s+)?"
    rf"(?:(?P<pct>{_NUMBER})\s*%|(?P<double>gấp "
    rf"đôi|gấp hai lần|gấp 2 lần|gấp ba|gấp 3 lần))"
    rf"|(?:tăng\s+)?gấp\s+(?P<times>{_NUMBER})\s+lần(?=\s+so với))"
    r"(?:\s+so với\s+(?P<vs>(?:cùng k[ỳì]\s+(?:năm\s+)?\d{4})|(?:năm\s+)?\d{4}|năm "
    r"trước|năm ngoái|cùng k[ỳì](?:\s+năm\s+(?:trước|ngoái))?))?",
    re.IGNORECASE,
)


def changes(text: str, published: EDTF | None = None, period: str | None = None) -> list[Change]:
    """'tăng 11,6% so với năm 2020' → +11.6 vs 2020; 'tăng gấp đôi so với năm 2023' → +100 vs 2023.

    'so với cùng kỳ 2024' compares with the same part of 2024: for a period of Jan–Mar
    2025 that is 2024-01/2024-03."""
    out = []
    for m in _CHANGE.finditer(text):
        if m["pct"]:
            change = float(number(m["pct"]))
        elif m["times"]:  # "gấp 8 lần so với năm 2017": eight times as much, 700% more
            change = round((float(number(m["times"])) - 1) * 100, 6)
        else:
            change = 100.0 if ("đôi" in m["double"] or "2" in m["double"] or "hai" in m["double"]) else 200.0
        if m["dir"] and m["dir"].lower() == "giảm":
            change = -change
        out.append(Change(m.start(), m.end(), change, _vs(m["vs"], published, period)))
    return out


def _vs(text: str | None, published: EDTF | None, period: str | None) -> str | None:
    if not text:
        return None
    text = text.lower()
    year = re.search(r"\d{4}", text)
    if year is None:  # năm trước / năm ngoái / cùng kỳ: a year before the period (or publication)
        if "cùng k" in text and period and "/" in period:
            start, end = period.split("/")
            return f"{_minus_year(start)}/{_minus_year(end)}"
        base = parse_edtf(period) if period else published
        if base is None or base.lower is None:
            return None
        return str(base.lower[0] - 1)
    y = year.group()
    if ("cùng kỳ" in text or "cùng kì" in text) and period and "/" in period:  # the same months of that year
        start, end = period.split("/")
        return f"{y}{start[4:]}/{y}{end[4:]}"
    return y


# --- dates -------------------------------------------------------------------------------------

_D, _M, _Y = r"(\d{1,2})", r"(\d{1,2})", r"(\d{4})"
_DASH = r"\s*[-–]\s*"


def _day(y: int, m: int, d: int) -> str | None:
    try:
        return str(parse_edtf(f"{y:04d}-{m:02d}-{d:02d}"))
    except DateError:  # an impossible day (31/2, 7/13) is simply not a date
        return None


def _month(y: int, m: int) -> str | None:
    return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None


def _span(a: str | None, b: str | None) -> str | None:
    return f"{a}/{b}" if a and b and a != b else a


def dates(text: str, published: EDTF | None = None) -> list[Found]:
    """Every date expression in `text`, as EDTF, earliest first; overlapping finds keep the longest.

    Without a year, a date is taken in the year of publication; relative ones ("năm nay",
    "trong năm qua") are resolved against the publication date."""
    pub_year = published.lower[0] if published is not None and published.lower else None
    pub_month = published.lower[1] if published is not None and published.lower else 0
    pub = str(published).rstrip("~?%") if published is not None else None
    if pub and "/" in pub:
        pub = pub.split("/")[-1]
    day = pub if pub and re.fullmatch(r"\d{4}-\d\d-\d\d", pub) else None
    rules: list[tuple[str, object]] = [
        # "từ ngày 30/4 đến ngày 2/5/2024", "từ 20 đến 22/8/2023": a range, across months too.
        (
            rf"từ\s+(?:ngày\s+)?{_D}/{_M}(?:/{_Y})?\s+đến\s+(?:hết\s+)?(?:ngày\s+)?{_D}/{_M}/{_Y}",
            lambda d1, m1, y1, d2, m2, y: _span(
                _day(int(y1 or y), int(m1), int(d1)), _day(int(y), int(m2), int(d2))
            ),
        ),
        (
            rf"từ\s+(?:ngày\s+)?{_D}\s+đến\s+(?:hết\s+)?(?:ngày\s+)?{_D}/{_M}/{_Y}",
            lambda d1, d2, m, y: _span(_day(int(y), int(m), int(d1)), _day(int(y), int(m), int(d2))),
        ),
        (
            rf"{_D}/{_M}{_DASH}{_D}/{_M}/{_Y}",
            lambda d1, m1, d2, m2, y: _span(_day(int(y), int(m1), int(d1)), _day(int(y), int(m2), int(d2))),
        ),
        (
            rf"{_D}{_DASH}{_D}/{_M}/{_Y}",
            lambda d1, d2, m, y: _span(_day(int(y), int(m), int(d1)), _day(int(y), int(m), int(d2))),
        ),
        (rf"{_D}/{_M}/{_Y}", lambda d, m, y: _day(int(y), int(m), int(d))),
        (rf"tháng {_M}/{_Y}", lambda m, y: _month(int(y), int(m))),
        # Some papers write the day, month and year with dashes: "ngày 22-12-1992", "tháng 10-2009",
        # "từ ngày 10 đến ngày 13-8-2025"; never a bare "7-8" (a ratio, a score) without "ngày".
        (
            rf"từ\s+(?:ngày\s+)?{_D}\s+đến\s+(?:hết\s+)?(?:ngày\s+)?{_D}-{_M}-{_Y}(?!\d)",
            lambda d1, d2, m, y: _span(_day(int(y), int(m), int(d1)), _day(int(y), int(m), int(d2))),
        ),
        (rf"(?<![\d/.,-]){_D}-{_M}-{_Y}(?![\d-])", lambda d, m, y: _day(int(y), int(m), int(d))),
        (rf"tháng {_M}-{_Y}(?![\d-])", lambda m, y: _month(int(y), int(m))),
        (rf"\({_M}/{_Y}\)", lambda m, y: _month(int(y), int(m))),  # "(6/2022)": a month given in passing
        (rf"tháng {_M} năm {_Y}", lambda m, y: _month(int(y), int(m))),
        # "Tính đến nửa đầu năm 2025, … có 864 dự án": a running total as of the period's end.
        (
            rf"(?:tính đến|tính tới|lũy kế đến|đến hết)\s+{_PART}\s*(?:năm\s+|/)?{_Y}",
            lambda *g: _end(_part(g[:-1], int(g[-1]))),
        ),
        (rf"{_PART}\s*(?:năm\s+|/)?{_Y}", lambda *g: _part(g[:-1], int(g[-1]))),
        (rf"(?:cuối|đầu|giữa) năm {_Y}", lambda y: y),
        (rf"(?:giai đoạn|nhiệm kỳ|thời kỳ)\s+{_Y}{_DASH}{_Y}", lambda a, b: _span(a, b)),
        (rf"\({_Y}{_DASH}{_Y}\)", lambda a, b: (a, b)),  # "(1967-2022)": a founding and its anniversary
        (rf"{_Y}{_DASH}{_Y}", lambda a, b: _span(a, b) if int(a) < int(b) else None),
        (rf"năm {_Y}", lambda y: y),
        (
            rf"(?<![\d/.,–-])((?:19|20)\d\d)(?![\d/.,%–-])"
            rf"(?!\s*(?:{'|'.join(map(re.escape, _SCALE_WORDS + _UNIT_WORDS))}))",
            lambda y: y,
        ),
    ]
    if pub_year is not None:
        rules += [
            (
                rf"từ\s+(?:ngày\s+)?{_D}/{_M}\s+đến\s+(?:hết\s+)?(?:ngày\s+)?{_D}/{_M}(?![/\d])",
                lambda d1, m1, d2, m2: _span(
                    _day(pub_year, int(m1), int(d1)), _day(pub_year, int(m2), int(d2))
                ),
            ),
            (
                rf"từ\s+(?:ngày\s+)?{_D}\s+đến\s+(?:hết\s+)?(?:ngày\s+)?{_D}/{_M}(?![/\d])",
                lambda d1, d2, m: _span(_day(pub_year, int(m), int(d1)), _day(pub_year, int(m), int(d2))),
            ),
            (
                rf"{_D}/{_M}{_DASH}{_D}/{_M}(?![/\d])",
                lambda d1, m1, d2, m2: _span(
                    _day(pub_year, int(m1), int(d1)), _day(pub_year, int(m2), int(d2))
                ),
            ),
            (
                rf"{_D}{_DASH}{_D}/{_M}(?![/\d])",
                lambda d1, d2, m: _span(_day(pub_year, int(m), int(d1)), _day(pub_year, int(m), int(d2))),
            ),
            (
                rf"(?:ngày|hôm|từ|sáng|chiều|tối)\s+{_D}/{_M}(?![/\d])",
                lambda d, m: _day(pub_year, int(m), int(d)),
            ),
            (
                rf"từ\s+(?:ngày\s+)?{_D}\s+đến\s+(?:hết\s+)?(?:ngày\s+)?{_D}-{_M}(?![-/\d])",
                lambda d1, d2, m: _span(_day(pub_year, int(m), int(d1)), _day(pub_year, int(m), int(d2))),
            ),
            (
                rf"(?:ngày|hôm|sáng|chiều|tối)\s+{_D}-{_M}(?![-/\d])",
                lambda d, m: _day(pub_year, int(m), int(d)),
            ),
            (rf"tháng {_M} năm nay", lambda m: _month(pub_year, int(m))),
            # "Từ tháng 1 đến tháng 11, Việt Nam đã nhận …" in a January paper: last year's months, a
            # period told as past that ends after the month of publication (never of a plan: "sẽ").
            (
                rf"từ\s+tháng\s+{_M}\s+đến\s+(?:hết\s+)?tháng\s+{_M}(?![/\d-])(?!\s+(?:năm|tới|sau))",
                lambda a, b: _past_months(text, published, int(a), int(b)),
            ),
            # "tháng 10 tới": the next October from the publication date.
            (rf"tháng {_M} tới", lambda m: _month(pub_year + (pub_month > int(m)), int(m))),
            (rf"{_PART}\s+(?:năm\s+)?nay", lambda *g: _part(g, pub_year)),
            # "chiều tối nay", "sáng nay", "hôm qua", "tuần tới": from the publication day.
            (r"(?:sáng|trưa|chiều|tối|đêm|chiều tối|hôm)\s+nay\b", lambda: day),  # not "ngày nay": nowadays
            (r"(?:(?:sáng|trưa|chiều|tối)\s+)?hôm qua\b|(?:tối|đêm) qua\b", lambda: _days_from(day, -1, -1)),
            (r"tuần\s+(?:tới|sau)\b", lambda: _week(day, 1)),
            (r"tuần\s+trước\b", lambda: _week(day, -1)),
            (r"tuần\s+qua\b", lambda: _days_from(day, -7, -1)),  # the past seven days
            (
                r"(?:trong|suốt)\s+năm qua",
                lambda: f"{_minus_year(pub)}~/{pub}" if pub and len(pub) >= 7 else str(pub_year - 1),
            ),
            (r"năm ngoái", lambda: str(pub_year - 1)),
            (r"năm nay", lambda: str(pub_year)),
            (r"mới đây|vừa qua|gần đây", lambda: f"../{published}"),  # recently: by the article's date
        ]
    found: list[Found] = []
    for pattern, build in rules:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            value = build(*m.groups())  # type: ignore[operator]
            if not value or any(
                f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in found
            ):
                continue
            if isinstance(value, tuple):  # two dates, each at its own place
                found += [Found(m.start(i + 1), m.end(i + 1), v) for i, v in enumerate(value)]
            else:
                found.append(Found(m.start(), m.end(), value))
    found.sort(key=lambda f: f.start)
    return found


# "Bốn tháng đầu năm", "mười một tháng": a count of months, "tư" among them ("tư tháng" is rare but written).
_COUNT_WORDS = {**{w: n for w, n in COUNTS.items() if n > 1}, "tư": 4, "mười một": 11}
# "4 tháng đầu năm", "Bốn tháng đầu năm", "nửa đầu năm", "6 tháng cuối năm", "quý III năm", "quý 2/".
_PART = (
    rf"(?:(?P<n>\d{{1,2}}|{'|'.join(sorted(_COUNT_WORDS, key=len, reverse=True))})"
    r"\s+tháng\s+(?P<side>đầu|cuối)"
    rf"|nửa\s+(?P<half>đầu|cuối)|quý\s+(?P<q>IV|I{{1,3}}|[1-4])\b)"
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _past_months(text: str, published: EDTF | None, first: int, last: int) -> str | None:
    if (
        published is None
        or published.lower is None
        or re.search(r"\b(?:sẽ|dự kiến|kế hoạch)\b", text, re.IGNORECASE)
    ):
        return None
    year = published.lower[0] - (last > published.lower[1])
    return _span(_month(year, first), _month(year, last))


def _end(period: str | None) -> str | None:
    return period.split("/")[-1] if period else None


def _part(groups: tuple, year: int) -> str | None:
    """The months of a part of a year, as an EDTF interval: '4 tháng đầu năm 2023' → 2023-01/2023-04."""
    n, side, half, q = groups
    if q:
        first = 3 * (_QUARTERS[q.lower()] - 1) + 1
        return f"{year}-{first:02d}/{year}-{first + 2:02d}"
    if half:
        count, side = 6, half
    else:
        count = int(n) if n.isdigit() else _COUNT_WORDS[n.lower()]
    if not 1 <= count <= 11:
        return None
    first, last = (1, count) if side.lower() == "đầu" else (13 - count, 12)
    return f"{year}-{first:02d}/{year}-{last:02d}"


def _week(day: str | None, offset: int) -> str | None:
    """'tuần tới' (next week): Monday to Sunday of the calendar week after the publication day's."""
    import datetime as dt

    if day is None:
        return None
    monday = (
        dt.date.fromisoformat(day)
        - dt.timedelta(days=dt.date.fromisoformat(day).weekday())
        + dt.timedelta(weeks=offset)
    )
    return _span(str(monday), str(monday + dt.timedelta(days=6)))


def _days_from(day: str | None, first: int, last: int) -> str | None:
    """Days counted from the publication day: 'hôm qua' (-1, -1), 'tuần tới' (1, 7). None
    when the publication date is not a day ('2012-09~'): 'hôm qua' of a month is no date."""
    import datetime as dt

    if day is None:
        return None
    d = dt.date.fromisoformat(day)
    return _span(str(d + dt.timedelta(days=first)), str(d + dt.timedelta(days=last)))


def _minus_year(day: str) -> str:
    """'2025-07' → '2024-07', '2025-05-06' → '2024-05-06': the same point a year earlier."""
    return f"{int(day[:4]) - 1:04d}{day[4:]}"


# --- what an amount measures -----------------------------------------------------------------

# Words between a series and its amount ("kim ngạch … đạt gần 600 triệu USD", "dân số là",
# "tăng trưởng trung bình khoảng 28%", "trong 12 năm qua"): dropped from the end of the words
# before an amount, which then name the series.
_LINKS = (
    ("ước", "đạt"),
    ("đạt",),
    ("là",),
    ("ở", "mức"),
    ("lên", "mức"),
    ("lên",),
    ("tới",),
    ("đến",),
    ("vào", "khoảng"),
    ("khoảng",),
    ("hơn",),
    ("gần",),
    ("trên",),
    ("dưới",),
    ("chừng",),
    ("vượt",),
    ("trung", "bình"),
    ("tổng", "cộng"),
    ("bằng",),
    ("trong",),
    ("đã",),
    ("đang",),
    ("mỗi", "năm"),
    ("hằng", "năm"),
    ("hàng", "năm"),
)
# Words a series' name starts after ("Kazakhstan có diện tích", "với tổng vốn đăng ký", "và dân số",
# "hai bên sẽ ký kết hơn 10 thỏa thuận" — a verb: the series is then the thing counted).
_STARTS = {
    "có",
    "với",
    "và",
    "sẽ",
    "đưa",
    "gồm",
    "là",
    "đạt",
    "chiếm",
    "nhận",
    "hút",
    "đón",
    "về",
    "tại",
    "ở",
    "cho",
    "được",
}
_FILLERS = {"tổng", "các", "những", "một", "mức", "số", "lượng", "trong", "đó", "riêng", "suốt", "của"}
# What follows a ranking: "đứng đầu thế giới về trữ lượng kẽm, barit" → "trữ lượng kẽm".
_RANKED = re.compile(
    r"\s*(?:(?:trên\s+)?thế giới|khu vực|châu\s+\w+)?\s*về\s+"
    r"(?P<what>[^,;.()]+?)(?=\s*(?:[,;.()]|\s+và\s|$))",
    re.IGNORECASE,
)
# After a counted unit, the rest of its noun: "10 thỏa thuận hợp tác", "5 dự án FDI tại Việt Nam".
_COUNTED = re.compile(
    r"(?P<more>(?:\s+(?!(?:tại|ở|của|với|cho|giữa|trong|và|sang|từ|đến|vào|trên|được|đã|sẽ)\b)[^\W\d][\w]*){0,2})",
    re.IGNORECASE,
)
_WORD_AT = re.compile(r"[^\W_][\w]*")
# Units that are a count of things: the thing counted names the series when nothing before it does.
_COUNTS = {
    "agreements",
    "documents",
    "projects",
    "countries",
    "organisations",
    "partners",
    "corridors",
    "sessions",
    "members",
    "flights",
    "visitors",
    "units",
    "people",
}


def left_of(text: str, found: list[Amount], i: int) -> str:
    """The words of the i-th amount's clause before it, after any amount before it: where the
    sentence names what it measures ('…, trao đổi thương mại song phương đạt 124,2 triệu USD')."""
    return text[max(_bounds(text, found, i)) : found[i].start]


def _bounds(text: str, found: list[Amount], i: int) -> tuple[int, int]:
    """Where the i-th amount's clause starts, and where the amount before it in the sentence ends."""
    a = found[i]
    clause = max(text.rfind(c, 0, a.start) for c in ",;:(") + 1
    return clause, max((b.end for b in found[:i] if b.end <= a.start), default=0)


def right_of(text: str, found: list[Amount], i: int) -> str:
    """The words of the i-th amount's clause after it, up to the next amount: where a share or a
    ratio names what it is of ('chiếm 70% tổng lượng vận tải …', 'nhanh gấp 3 lần vận tải đường biển')."""
    a = found[i]
    following = min((b.start for b in found[i + 1 :] if b.start >= a.end), default=len(text))
    stops = [j for j in (text.find(c, a.end) for c in ",;:(") if j != -1]
    return text[a.end : min([following, *stops])]


def window(text: str, found: list[Amount], i: int, named: str) -> str:
    """The i-th amount's clause around it, with the words `series` found for it (`named`): where a
    metric's name is looked for."""
    return (
        f"{left_of(text, found, i)} {text[found[i].start : found[i].end]} {right_of(text, found, i)} {named}"
    )


def series(text: str, found: list[Amount], i: int) -> str:
    """The words that say what the i-th amount measures, as the sentence names it: 'Kazakhstan có diện
    tích 2.717.300km2' → 'diện tích'; 'thứ hai về bạc' → 'bạc'; 'lớn thứ 9 trên thế giới' after an
    area → 'diện tích'; 'sẽ ký kết hơn 10 thỏa thuận hợp tác' → 'thỏa thuận hợp tác'. '' when
    nothing does. The words are the article's own, for a curator (and the base's metric names)."""
    a = found[i]
    ranked = _ranked_series(text, a) if a.rank else None
    if ranked is not None:
        return ranked
    words, only_links = _words_before(text, found, i)
    clause, previous = _bounds(text, found, i)
    follows = i > 0 and found[i - 1].end <= a.start
    if a.rank and not words and follows:  # "diện tích 2.717.300km2, lớn thứ 9": the area's rank
        return series(text, found, i - 1)
    if only_links and clause >= previous:
        # "…(2016), đạt gần 15 tỷ USD": the clause is only its verb; the sentence's subject is the series
        return _subject(text[:clause])
    if words and not any(w.isdigit() for w in words):
        if a.unit == "tonnes":  # "trữ lượng 13 tỷ tấn dầu": what is weighed follows
            more = _COUNTED.match(text, a.end)
            words += more["more"].split()[:1] if more else []
        named = " ".join(words[-8:])
        if follows:  # "trữ lượng dầu mỏ … với tổng trữ lượng 23 tỷ tấn": the same, said shorter
            before = series(text, found, i - 1)
            if before.lower().startswith(named.lower() + " "):
                return before
        return named
    return _series_after(text, found, i)


def _ranked_series(text: str, a: Amount) -> str | None:
    """What a ranking names itself: 'đứng đầu thế giới về trữ lượng kẽm' → 'trữ lượng kẽm';
    'nước có diện tích lớn nhất' → 'diện tích'."""
    m = _RANKED.match(text, a.end)
    if m:
        return m["what"].strip()
    named = re.sub(r"\s+lớn nhất$", "", text[a.start : a.end], flags=re.IGNORECASE)
    if named == text[a.start : a.end]:
        return None
    words = named.split()
    start = max((j + 1 for j, w in enumerate(words) if w.lower() in _STARTS), default=0)
    return " ".join(words[start:]) or named


def _words_before(text: str, found: list[Amount], i: int) -> tuple[list[str], bool]:
    """The words before the i-th amount that name its series (links and dates taken off: '… năm 2022
    đạt gần'; a ranking's verb: 'lớn thứ 9'), and whether its clause held nothing but links ('đạt')."""
    words = [m.group() for m in _WORD_AT.finditer(left_of(text, found, i))]
    linked = bool(words)
    lowered = [w.lower() for w in words]
    while lowered:
        link = next((k for k in _LINKS if tuple(lowered[-len(k) :]) == k), None)
        if link is not None:
            del words[-len(link) :], lowered[-len(link) :]
        elif lowered[-1].isdigit() and len(lowered) >= 2 and lowered[-2] in ("năm", "tháng", "quý"):
            del words[-2:], lowered[-2:]
        else:
            break
    if found[i].rank:
        while lowered and lowered[-1] in ("lớn", "đứng", "xếp", "hạng", "nằm"):
            del words[-1], lowered[-1]
    only_links = linked and not lowered
    start = max(
        (j + 1 for j, w in enumerate(lowered) if w in _STARTS or lowered[j - 1 : j + 1] == ["ký", "kết"]),
        default=0,
    )
    words, lowered = words[start:], lowered[start:]
    if "của" in lowered:  # "dân số của Kazakhstan": what is owned, not the owner
        words = words[: lowered.index("của")]
    while words and words[0].lower() in _FILLERS:
        words = words[1:]
    return words, only_links


def _series_after(text: str, found: list[Amount], i: int) -> str:
    """With nothing before it: a share names what follows ('chiếm 70% tổng lượng vận tải'), a count
    the thing counted ('hơn 10 thỏa thuận hợp tác')."""
    a = found[i]
    if a.unit == "%":
        after = [m.group() for m in _WORD_AT.finditer(right_of(text, found, i))]
        while after and after[0].lower() in _FILLERS:
            after = after[1:]
        return " ".join(after[:6])
    if a.unit in _COUNTS:
        counted = re.sub(
            rf"^(?:{'|'.join(_COMPARATOR_WORDS_RE)})\s+", "", text[a.start : a.end], flags=re.IGNORECASE
        )
        noun = re.sub(rf"^[\d.,]+\s*(?:(?:{'|'.join(_SCALE_WORDS)})\s+)?", "", counted, flags=re.IGNORECASE)
        more = _COUNTED.match(text, a.end)
        return (noun + (more["more"] if more else "")).strip()
    return ""


# What opens a sentence before its subject ("Về kinh tế, …", "Năm 2024, …") and what ends the subject.
_INTRO = re.compile(
    r"^\s*(?:về|năm|trong|theo|tính đến|hiện nay|chỉ trong|riêng|đến|từ)\b|^[\s\d()]*$", re.IGNORECASE
)
_VERBS = {"đã", "đang", "sẽ", "tăng", "giảm", "đạt", "là", "có", "được", "vẫn", "tiếp", "chiếm", "lên"}


def _subject(text: str) -> str:
    """A sentence's subject: its first clause that is not an opening ('Về kinh tế,'), up to its verb."""
    for clause in re.split(r"[,;:(]", text):
        if not clause.strip() or _INTRO.match(clause):
            continue
        words = []
        for m in _WORD_AT.finditer(clause):
            if m.group().lower() in _VERBS:
                break
            words.append(m.group())
        return " ".join(words[:8])
    return ""


_COMPARATOR_WORDS_RE = [re.escape(w) for w, _ in _COMPARATOR_WORDS]

# The words of a series, in English, longest first: enough to name the series of the news the
# base is built from; a series with a word not here is named in Vietnamese for a curator to put
# into English.
SERIES_EN = {
    "diện tích": "area",
    "dân số": "population",
    "trữ lượng": "reserves",
    "dầu mỏ": "oil",
    "dầu": "oil",
    "khí đốt": "gas",
    "khí": "gas",
    "than": "coal",
    "kẽm": "zinc",
    "bạc": "silver",
    "vàng": "gold",
    "đồng": "copper",
    "chì": "lead",
    "crôm": "chromium",
    "crom": "chromium",
    "urani": "uranium",
    "uranium": "uranium",
    "thiếc": "tin",
    "quặng": "ore",
    "barit": "barite",
    "vonfram": "tungsten",
    "phốt pho": "phosphorus",
    "dự án fdi": "FDI projects",
    "dự án đầu tư": "investment projects",
    "dự án": "projects",
    "vốn đăng ký": "registered capital",
    "vốn đầu tư": "investment capital",
    "vốn": "capital",
    "đầu tư": "investment",
    "thỏa thuận hợp tác": "cooperation agreements",
    "thoả thuận hợp tác": "cooperation agreements",
    "thỏa thuận": "agreements",
    "thoả thuận": "agreements",
    "văn kiện hợp tác": "cooperation documents",
    "văn kiện": "documents",
    "du khách": "visitors",
    "khách du lịch": "tourists",
    "lượt khách": "visitors",
    "sinh viên": "students",
    "lao động": "workers",
    "doanh nghiệp": "companies",
    "chuyến bay": "flights",
    "xuất khẩu": "exports",
    "nhập khẩu": "imports",
    "kim ngạch": "turnover",
    "thương mại": "trade",
    "tăng trưởng": "growth",
    "song phương": "bilateral",
    "hai chiều": "two-way",
    "kim ngạch thương mại": "trade",
    "trao đổi thương mại": "trade",
    "kim ngạch xuất nhập khẩu": "trade",
    "chuyến thăm đầu tiên": "first visit",
    "chuyến thăm": "visit",
    "gdp": "GDP",
    "đối tác thương mại": "trading partner",
    "đối tác": "partner",
    "nhà đầu tư": "investor",
    "thị trường": "market",
}
_SERIES_KEYS = sorted(((tuple(k.split()), v) for k, v in SERIES_EN.items()), key=lambda kv: -len(kv[0]))


def series_in_english(words: str) -> str | None:
    """'trữ lượng kẽm' → 'zinc reserves' (a Vietnamese head comes first, an English one last); None
    when a word is not in SERIES_EN: a wrong name is worse than a Vietnamese one."""
    lowered = words.lower().split()
    parts: list[str] = []
    while lowered:
        hit = next(((k, v) for k, v in _SERIES_KEYS if tuple(lowered[: len(k)]) == k), None)
        if hit is None:
            return None
        parts.append(hit[1])
        lowered = lowered[len(hit[0]) :]
    return " ".join(reversed(parts)) or None
