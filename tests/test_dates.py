"""EDTF parsing: precision kept, bounds right, bad dates refused with a reason."""

from __future__ import annotations

import pytest

from dipfacts.base.dates import DateError, parse_bound, parse_edtf


@pytest.mark.parametrize(
    ("text", "precision", "lower", "upper"),
    [
        ("1992-06-29", "day", (1992, 6, 29), (1992, 6, 29)),
        ("2011-10", "month", (2011, 10, 1), (2011, 10, 31)),
        ("2024-02", "month", (2024, 2, 1), (2024, 2, 29)),
        ("2023-02", "month", (2023, 2, 1), (2023, 2, 28)),
        ("1994", "year", (1994, 1, 1), (1994, 12, 31)),
        ("2012-09-10/2012-09-11", "day", (2012, 9, 10), (2012, 9, 11)),
        ("2025-01/2025-03", "month", (2025, 1, 1), (2025, 3, 31)),
        ("2021/2024", "year", (2021, 1, 1), (2024, 12, 31)),
        ("2025-05~", "month", (2025, 5, 1), (2025, 5, 31)),
        ("2012?", "year", (2012, 1, 1), (2012, 12, 31)),
        ("2004-06-11%", "day", (2004, 6, 11), (2004, 6, 11)),
        ("199X", "year", (1990, 1, 1), (1999, 12, 31)),
        ("19XX", "year", (1900, 1, 1), (1999, 12, 31)),
        ("2004-XX", "year", (2004, 1, 1), (2004, 12, 31)),
        ("1985-04-XX", "month", (1985, 4, 1), (1985, 4, 30)),
        ("2025-21", "season", (2025, 3, 1), (2025, 5, 31)),
        ("2025-24", "season", (2025, 12, 1), (2026, 2, 28)),
        ("Y170000002", "year", (170000002, 1, 1), (170000002, 12, 31)),
        ("-0044", "year", (-44, 1, 1), (-44, 12, 31)),
        # Before year 0 the unspecified digits widen downward: -199X is -1999 to -1990.
        ("-199X", "year", (-1999, 1, 1), (-1990, 12, 31)),
        ("-19XX", "year", (-1999, 1, 1), (-1900, 12, 31)),
        ("-199X/-1995", "year", (-1999, 1, 1), (-1995, 12, 31)),
        ("-1995/-199X", "year", (-1995, 1, 1), (-1990, 12, 31)),
        ("Y12345", "year", (12345, 1, 1), (12345, 12, 31)),
        ("Y-170000002", "year", (-170000002, 1, 1), (-170000002, 12, 31)),
        ("0000", "year", (0, 1, 1), (0, 12, 31)),
    ],
)
def test_parses_at_its_own_precision(text: str, precision: str, lower: tuple, upper: tuple) -> None:
    date = parse_edtf(text)
    assert (date.precision, date.lower, date.upper) == (precision, lower, upper)
    assert str(date) == text


def test_open_and_unknown_interval_ends() -> None:
    assert parse_edtf("2026-01/..").upper is None
    assert parse_edtf("2026-01/..").lower == (2026, 1, 1)
    assert parse_edtf("../2025").lower is None
    assert parse_edtf("/2025-03").upper == (2025, 3, 31)
    assert parse_edtf("2026-01/").interval


def test_qualifiers_are_recorded() -> None:
    point = parse_edtf("2025-05~").start
    assert point is not None and point.approximate and not point.uncertain
    point = parse_edtf("2004%").start
    assert point is not None and point.approximate and point.uncertain


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("29/6/1992", "write day/month/year as 1992-06-29"),
        ("1992-13", "month 13"),
        ("2023-02-29", "has no day 29"),
        ("1992-06-31", "has no day 31"),
        ("1992-6-29", "expected e.g."),
        ("92", "expected e.g."),
        ("2012-09-11/2012-09-10", "ends before it starts"),
        ("../..", "at least one known end"),
        ("2020/2021/2022", "exactly one '/'"),
        ("1X9X", "must come last"),
        ("199X-06", "unspecified year"),
        ("", "expected e.g."),
        (" 1994", "expected e.g."),
        ("1994~?", "expected e.g."),
        ("-XXXX", "before year 0"),  # no year at all, before year 0
        ("-0000", "before year 0"),  # negative zero
        ("-0000-01", "before year 0"),
        ("-0000-01-01", "before year 0"),
        ("١٩٨٥", "ASCII"),  # Arabic-Indic digits: a fact file writes 0-9
        ("１９８５", "ASCII"),  # full-width digits
        ("1985-0٤", "ASCII"),
        ("Y١٢٣٤٥", "ASCII"),
        ("Y01234", "more than four digits"),  # 'Y' is for long years only, without leading zeros
        ("Y-01234", "more than four digits"),
        ("Y00000", "more than four digits"),
        ("Y1234", "more than four digits"),
        ("1985\n/1986", "expected e.g."),  # a newline inside an interval
        ("1985/1986\n", "expected e.g."),
    ],
)
def test_refuses_malformed_dates_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_edtf(text)
    assert reason in str(caught.value)
    assert repr(text) in str(caught.value)


def test_overlap_uses_the_whole_period() -> None:
    q1 = parse_edtf("2025-01/2025-03")
    assert q1.overlaps((2025, 3, 1), None)
    assert not q1.overlaps((2025, 4, 1), None)
    assert q1.overlaps(None, (2025, 1, 1))
    assert not q1.overlaps(None, (2024, 12, 31))
    # a side left open is unknown, not unbounded: the known end stands for it, as in --since/--until
    assert not parse_edtf("2026-01/..").overlaps((2030, 1, 1), None)
    assert parse_edtf("2026-01/..").overlaps((2026, 1, 1), (2026, 1, 1))
    assert not parse_edtf("../2022-06-27").overlaps(None, (1995, 12, 31))
    assert parse_edtf("../2022-06-27").overlaps((2022, 6, 27), (2022, 6, 27))


def test_bounds_for_since_and_until() -> None:
    assert parse_bound("2021", end=False) == (2021, 1, 1)
    assert parse_bound("2021", end=True) == (2021, 12, 31)
    assert parse_bound("2021-06", end=True) == (2021, 6, 30)
    with pytest.raises(DateError, match="not an interval"):
        parse_bound("2021/2022", end=False)
