"""dates.py checked against a reference: python-edtf (a test-only dependency).

Where both accept a string, the first and last day must agree; where they disagree about a
string, the difference must be one listed in DIFFERENCES — each a documented choice of dipfacts
or a known gap of python-edtf (facts/README.md, "Dates: EDTF"). The strings come from a hypothesis
strategy over EDTF levels 0 and 1, and from a table of the specification's own examples.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dipfacts.base.dates import DateError, Day, parse_edtf

edtf = pytest.importorskip("edtf", reason="python-edtf (the test extra) is the reference")
from edtf.parser.edtf_exceptions import EDTFParseException  # noqa: E402

Bounds = tuple[Day | None, Day | None]


def reference(text: str) -> Bounds | str:
    """python-edtf's first and last day (None: open or unknown), "rejects", or "raises" (it raises
    TypeError on some intervals, and prints as it does)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            parsed = edtf.parse_edtf(text)
    except EDTFParseException:
        return "rejects"
    except Exception:  # noqa: BLE001 - the reference's own bugs are not ours to judge
        return "raises"

    def day(t: object) -> Day | None:
        return None if isinstance(t, float) else (t.tm_year, t.tm_mon, t.tm_mday)  # type: ignore[attr-defined]

    return day(parsed.lower_strict()), day(parsed.upper_strict())


def ours(text: str) -> Bounds | str:
    try:
        date = parse_edtf(text)
    except DateError as e:
        return str(e)
    return date.lower, date.upper


def _ends(text: str) -> list[str]:
    return text.split("/")


def _month(point: str) -> str | None:
    m = re.fullmatch(r"-?[0-9X]{4}-([0-9X]{2}).*", point)
    return m.group(1) if m else None


# --- the differences, in one place --------------------------------------------------------------
# Each: what differs, and a test of a string (and dipfacts' error, where dipfacts rejects it).

#: Both accept, the days differ.
BOUNDS: list[tuple[str, Callable[[str], bool]]] = [
    (
        "dipfacts' winter (-24) runs to the end of February of the next year; python-edtf's ends 31 December",
        lambda t: any(_month(p) == "24" for p in _ends(t)),
    ),
    (
        "python-edtf inverts the month and day bounds of a year before 0 with an unspecified month or day"
        " (-1999-XX: from 1 December to 31 January)",
        lambda t: any(p.startswith("-") and "-XX" in p for p in _ends(t)),
    ),
]
#: dipfacts rejects, python-edtf accepts.
STRICTER: list[tuple[str, Callable[[str, str], bool]]] = [
    ("an interval that ends before it starts", lambda t, err: "ends before it starts" in err),
    ("a day its month does not have (2023-02-29, 2023-04-31)", lambda t, err: "has no day" in err),
    (
        "a month or a day given in a year with unspecified digits (201X-06, XXXX-XX-14: EDTF level 2)",
        lambda t, err: "unspecified year" in err or "can only be unspecified" in err,
    ),
    ("surrounding or inner whitespace (' 1985', '1985\\n/1986')", lambda t, err: t != "".join(t.split())),
]
#: dipfacts accepts, python-edtf rejects (or raises): level-1 forms it does not take.
REFERENCE_GAPS: list[tuple[str, Callable[[str], bool]]] = [
    ("a long year (Y12345) as an interval end", lambda t: "/" in t and "Y" in t),
    ("an interval with an end of unspecified digits or month", lambda t: "/" in t and "X" in t),
    ("a season with a qualifier (2001-21~)", lambda t: any(re.search(r"-2[1-4][?~%]$", p) for p in _ends(t))),
    ("XXXX with a qualifier", lambda t: any(re.fullmatch(r"XXXX(-XX){0,2}[?~%]", p) for p in _ends(t))),
    (
        "a year with unspecified digits and an unspecified month (201X-XX-XX)",
        lambda t: bool(re.search(r"X-XX", t)),
    ),
]
#: python-edtf raises TypeError (not its parse error) on some intervals ('../35XX~'): no oracle there.
RAISES = "an interval python-edtf raises on"


def explained(text: str) -> str | None:
    """Why the two parsers may disagree about `text`, or None when they must not."""
    mine, theirs = ours(text), reference(text)
    if isinstance(theirs, str) and isinstance(mine, str):
        return "both reject"
    if theirs == "raises":
        return RAISES
    if isinstance(mine, str):  # dipfacts rejects, the reference accepts
        return next((why for why, test in STRICTER if test(text, mine)), None)
    if isinstance(theirs, str):  # the reference rejects, dipfacts accepts
        return next((why for why, test in REFERENCE_GAPS if test(text)), None)
    lower = mine[0] is None or theirs[0] is None or mine[0] == theirs[0]
    upper = mine[1] is None or theirs[1] is None or mine[1] == theirs[1]
    if lower and upper:
        return "agree"
    return next((why for why, test in BOUNDS if test(text)), None)


# --- strings over EDTF levels 0 and 1 ----------------------------------------------------------

_digits = st.text("0123456789", min_size=4, max_size=4)
_year = st.builds(
    lambda sign, digits, x: sign + digits[: 4 - x] + "X" * x,
    st.sampled_from(["", "", "-"]),
    _digits,
    st.sampled_from([0, 0, 0, 1, 2, 3, 4]),
)
_two = st.integers(0, 32).map(lambda n: f"{n:02d}") | st.sampled_from(["XX", "21", "22", "23", "24"])
_long = st.builds(lambda sign, n: f"Y{sign}{n}", st.sampled_from(["", "-"]), st.integers(10_000, 10**9))
_point = (
    st.builds(
        lambda year, rest, q: year + rest + q,
        _year,
        st.one_of(
            st.just(""), _two.map("-{}".format), st.tuples(_two, _two).map(lambda md: f"-{md[0]}-{md[1]}")
        ),
        st.sampled_from(["", "", "?", "~", "%"]),
    )
    | _long
)
_edtf = st.one_of(
    _point,
    st.tuples(_point, _point).map("/".join),
    _point.map("{}/..".format),
    _point.map("../{}".format),
    _point.map("{}/".format),
    _point.map("/{}".format),
)


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edtf)
def test_where_both_read_a_date_they_agree_or_the_difference_is_documented(text: str) -> None:
    assert explained(text) is not None, f"{text!r}: dipfacts {ours(text)}, python-edtf {reference(text)}"


# --- the specification's examples (EDTF 2019, levels 0 and 1) ----------------------------------

SPEC = [
    ("1985-04-12", (1985, 4, 12), (1985, 4, 12)),
    ("1985-04", (1985, 4, 1), (1985, 4, 30)),
    ("1985", (1985, 1, 1), (1985, 12, 31)),
    ("0000", (0, 1, 1), (0, 12, 31)),
    ("-1985", (-1985, 1, 1), (-1985, 12, 31)),
    ("1964/2008", (1964, 1, 1), (2008, 12, 31)),
    ("2004-06/2006-08", (2004, 6, 1), (2006, 8, 31)),
    ("2004-02-01/2005-02-08", (2004, 2, 1), (2005, 2, 8)),
    ("2004-02-01/2005-02", (2004, 2, 1), (2005, 2, 28)),
    ("2004-02-01/2005", (2004, 2, 1), (2005, 12, 31)),
    ("2005/2006-02", (2005, 1, 1), (2006, 2, 28)),
    ("Y170000002", (170000002, 1, 1), (170000002, 12, 31)),
    ("Y-200000", (-200000, 1, 1), (-200000, 12, 31)),
    ("2001-21", (2001, 3, 1), (2001, 5, 31)),
    ("2001-22", (2001, 6, 1), (2001, 8, 31)),
    ("2001-23", (2001, 9, 1), (2001, 11, 30)),
    ("1984?", (1984, 1, 1), (1984, 12, 31)),
    ("2004-06~", (2004, 6, 1), (2004, 6, 30)),
    ("2004-06-11%", (2004, 6, 11), (2004, 6, 11)),
    ("201X", (2010, 1, 1), (2019, 12, 31)),
    ("20XX", (2000, 1, 1), (2099, 12, 31)),
    ("2004-XX", (2004, 1, 1), (2004, 12, 31)),
    ("1985-04-XX", (1985, 4, 1), (1985, 4, 30)),
    ("1985-XX-XX", (1985, 1, 1), (1985, 12, 31)),
    ("1985-04-12/..", (1985, 4, 12), None),
    ("../1985-04-12", None, (1985, 4, 12)),
    ("1985-04/..", (1985, 4, 1), None),
    ("1985/", (1985, 1, 1), None),
    ("/1985-04-12", None, (1985, 4, 12)),
    ("1984~/2004-06", (1984, 1, 1), (2004, 6, 30)),
    ("1984/2004-06~", (1984, 1, 1), (2004, 6, 30)),
    ("1984?/2004%", (1984, 1, 1), (2004, 12, 31)),
    ("1984-06-02?/2004-08-08~", (1984, 6, 2), (2004, 8, 8)),
]


@pytest.mark.parametrize(("text", "lower", "upper"), SPEC)
def test_the_specifications_examples(text: str, lower: Day | None, upper: Day | None) -> None:
    assert ours(text) == (lower, upper)
    theirs = reference(text)
    assert not isinstance(theirs, str)
    assert all(a is None or b is None or a == b for a, b in zip((lower, upper), theirs, strict=True))


INVALID = [
    "",
    "not a date",
    "1985-13",  # no month 13 (nor a season)
    "1985-00",
    "1985-04-31",  # April has 30 days
    "1985-04-00",
    "85",
    "1985-4-12",
    "-0000",
    "-0000-01-01",  # negative zero
    "Y1985",  # 'Y' is for more than four digits
    "Y17E7-12-26",  # level 2, and a day for a year-only form
    "2004-(06)?-11",  # qualification by parentheses: not in the 2019 specification
    "1985-04-12T23:20:30",  # date-times: out of the base's scope
    "../..",
    "1985//1986",
]


@pytest.mark.parametrize("text", INVALID)
def test_what_is_not_an_edtf_date_is_refused(text: str) -> None:
    assert isinstance(ours(text), str)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2004-06", "agree"),
        ("-199X", "agree"),  # before year 0, the unspecified digits widen downward in both
        ("2010-24", BOUNDS[0][0]),
        ("-1999-XX", BOUNDS[1][0]),
        ("1990/1980", STRICTER[0][0]),
        ("2023-02-29", STRICTER[1][0]),
        ("199X-06", STRICTER[2][0]),
        ("1985\n/1986", STRICTER[3][0]),
        ("Y12345/Y12346", REFERENCE_GAPS[0][0]),
        ("XXXX?", REFERENCE_GAPS[3][0]),
        ("-XXXX", "both reject"),
        ("Y01234", "both reject"),
    ],
)
def test_each_documented_difference_is_one_the_reference_shows(text: str, why: str) -> None:
    assert explained(text) == why
