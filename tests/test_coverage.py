"""Coverage: every figure and dated event found by reading each article is in the base.

The checklists below were written by reading the five articles, independently of the
fact files: each entry is (date as EDTF, amount in base units or None, a word the
fact's English text must contain). Where the article leaves the encoding open (a
rate measured mid-plan, "the past year", "end of 2025") the date is the one agreed in
review: never more precise than the article. A fact matches when it cites that article, has
that date and, for a figure, that amount.
"""

from __future__ import annotations

import pytest

from dipfacts.base.load import load_base
from dipfacts.base.model import Base, Fact

FIGURES: dict[str, list[tuple[str, float, str]]] = {
    "vov-2012-kz": [
        ("2011", 49_000_000, "trade"),
        ("2012-09~", 16_600_000, "population"),
        ("2012-09~", 8, "oil"),
        ("2012-09~", 8_000_000_000, "Caspian"),
        ("2012-09~", 3, "chromium"),
        ("2012-09~", 2, "uranium"),
        ("2012-09~", 4, "tin"),
        ("2012-09~", 8, "gold"),
    ],
    "dcsvn-2022-kz": [
        ("2021", 426_100_000, "trade"),
        ("2021", 81_300_000, "export"),
        ("2021", 344_800_000, "export"),
        ("2022-06-27", 500_000_000, "consumers"),
        ("2022-06-27", 5, "corridors"),
        ("2022-06-27", 70, "China"),
        ("2022-06-27", 9, "years"),
    ],
    "tgvn-2025-kz": [
        ("2025-05~", 194, "countries"),
        ("2025-05~", 70, "organisations"),
        ("2025-05~", 34, "partner"),
        ("2025-05~", 2, "Eurasian"),
        ("2024", 800_000_000, "trade"),
        ("2025-01/2025-03", 146_300_000, "trade"),
        ("2025-05~", 11, "sessions"),
        ("2025-05~", 21, "flights"),
        ("2024", 150_000, "visitors"),
    ],
    "tgvn-2022-amm55": [
        ("2022-08-02/2022-08-05", 20, "partners"),
        ("2022-08-02/2022-08-05", 20, "sessions"),
        ("2022-07-29", 80, "master plan"),
        ("2021", 650_000_000, "population"),
        ("2021", 4_000_000_000_000, "GDP"),
        ("2022-07-29", 27, "years"),
        ("2022-07-29", 3, "Centre"),
    ],
    "amm58-2025-plus1": [
        ("2024-07~/2025-07", 60, "Japan"),
        ("2021/2025-07", 75, "Russia"),
        ("2021/2025-07", 94.5, "Korea"),
        ("2021/2025-07", 100, "ASEAN–US"),
        ("2024", 450_000_000_000, "trade"),
        ("2024", 42_000_000_000, "investment"),
        ("2025-07", 10_000_000, "computing"),
        ("2025-07", 20_000_000, "methane"),
    ],
}

EVENTS: dict[str, list[tuple[str, str]]] = {
    "vov-2012-kz": [
        ("1992-06-29", "diplomatic relations"),
        ("2012-09-10/2012-09-11", "Truong Tan Sang"),
        ("2011-10", "Nazarbayev"),
        ("2012", "20th"),
        ("1994", "Vo Van Kiet"),
        ("2009", "Nguyen Tan Dung"),
        ("1991", "independence"),
        ("2010", "CICA"),
        ("2008/2009", "Security Council"),
        ("2014/2016", "Human Rights Council"),
        ("2013/2015", "Human Rights Council"),
    ],
    "dcsvn-2022-kz": [
        ("1992-06-29", "diplomatic relations"),
        ("2022-06-29", "30th"),
        ("2016-10", "free trade agreement"),
        ("2022-10", "CICA"),
        ("2022-09", "religions"),
        ("2015", "nuclear"),
        ("2022-01", "protests"),
    ],
    "tgvn-2025-kz": [
        ("2025-05", "state visit"),
        ("2025-05-06", "talks"),
        ("2025-05", "Strategic Partnership"),
    ],
    "tgvn-2022-amm55": [
        ("2022-08-02/2022-08-05", "AMM-55"),
        ("2022", "55th anniversary"),
        ("2021-08", "AMM-54"),
        ("2022-06-29/2022-07-01", "Dialogue"),
        ("2021/2024", "coordinator"),
        ("1992", "AFTA"),
        ("2020", "Chair"),
    ],
    "amm58-2025-plus1": [
        ("2025-07-10", "ASEAN+3"),
        ("2025-07-10", "Mekong"),
        ("2025-07-11", "Regional Forum"),
        ("2024-10", "Comprehensive Strategic Partnership"),
        ("2026", "30th anniversary"),
        ("2025", "Summit"),
    ],
}


@pytest.fixture(scope="module")
def base() -> Base:
    return load_base()


def _cites(fact: Fact, source: str) -> bool:
    return any(c.source == source for c in fact.citations)


def _figure_cases() -> list[tuple[str, str, float, str]]:
    return [(s, d, a, w) for s, items in FIGURES.items() for d, a, w in items]


def _event_cases() -> list[tuple[str, str, str]]:
    return [(s, d, w) for s, items in EVENTS.items() for d, w in items]


@pytest.mark.parametrize(("source", "date", "amount", "word"), _figure_cases())
def test_figure_is_in_the_base(base: Base, source: str, date: str, amount: float, word: str) -> None:
    matches = [
        f
        for f in base.facts
        if f.kind == "figure"
        and _cites(f, source)
        and str(f.date) == date
        and f.value is not None
        and f.value.amount == amount
    ]
    assert matches, f"no figure citing {source} dated {date} with amount {amount:,}"
    assert any(word.lower() in f.text.lower() for f in matches), [f.text for f in matches]


@pytest.mark.parametrize(("source", "date", "word"), _event_cases())
def test_dated_event_is_in_the_base(base: Base, source: str, date: str, word: str) -> None:
    matches = [f for f in base.facts if f.kind == "event" and _cites(f, source) and str(f.date) == date]
    assert matches, f"no event citing {source} dated {date}"
    assert any(word.lower() in f.text.lower() for f in matches), [f.text for f in matches]


def test_one_number_one_fact(base: Base) -> None:
    """The same figure never appears twice under two ids."""
    seen: dict[tuple, str] = {}
    for f in base.facts:
        if f.value is None:
            continue
        key = (f.value.metric, str(f.date), f.value.amount)
        assert key not in seen, f"{f.id} repeats {seen[key]}"
        seen[key] = f.id


def test_trade_series_shares_one_metric(base: Base) -> None:
    dates = sorted(
        str(f.date)
        for f in base.facts
        if f.value is not None and f.value.metric == "bilateral-trade" and "vn-kz" in f.relations
    )
    assert dates == ["2011", "2021", "2024", "2025-01/2025-03"]


def test_planned_events_are_marked(base: Base) -> None:
    planned = {f.id for f in base.facts if f.status == "planned"}
    for source, date in [
        ("tgvn-2022-amm55", "2022-08-02/2022-08-05"),
        ("amm58-2025-plus1", "2025-07-11"),
        ("dcsvn-2022-kz", "2022-10"),
    ]:
        assert any(f.id in planned for f in base.facts if _cites(f, source) and str(f.date) == date), (
            source,
            date,
        )
