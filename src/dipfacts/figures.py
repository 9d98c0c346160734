"""A relation's numbers as series: each metric's values in period order.

A series mixes periods — trade for whole years and for the first quarter of
2025 — and a quarter drawn beside years reads as a collapse. Such a point is
marked partial: its period is shorter than a year while others in the series
cover one. A target (a planned figure: 1.5 billion USD by 2030) is no
measurement: it is marked planned, and drawn apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dipfacts.base.model import Fact
from dipfacts.search.index import Index
from dipfacts.timeline import chronological


@dataclass(frozen=True, slots=True)
class Point:
    fact: Fact
    partial: bool  # a shorter period than the series' others: labelled, never read as a year

    @property
    def planned(self) -> bool:
        """A target or a forecast (status = "planned"): drawn apart, never scaled with what was measured."""
        return self.fact.status == "planned"


@dataclass(frozen=True, slots=True)
class Series:
    metric: str
    unit: str
    points: tuple[Point, ...]


def _days(fact: Fact) -> int | None:
    lo, hi = fact.date.lower, fact.date.upper
    if lo is None or hi is None:
        return None
    try:
        return (date(*hi) - date(*lo)).days + 1
    except ValueError:  # a year outside 1..9999 (EDTF long years): certainly not a quarter
        return None


def months(fact: Fact) -> int | None:
    """How many calendar months a partial period spans (Jan–Mar: 3)."""
    lo, hi = fact.date.lower, fact.date.upper
    if lo is None or hi is None:
        return None
    return (hi[0] - lo[0]) * 12 + hi[1] - lo[1] + 1


def series(index: Index, docs: Iterable[int]) -> list[Series]:
    """The figures among `docs`, one series a metric: the longest series first, then by name."""
    grouped: dict[tuple[str, str], list[Fact]] = {}
    for d in chronological(index, docs):
        fact = index.fact(d)
        if fact.value is not None:
            grouped.setdefault((fact.value.metric, fact.value.unit), []).append(fact)
    out = []
    for (metric, unit), facts in grouped.items():
        spans = [_days(f) for f in facts]
        has_year = any(s is not None and s >= 365 for s in spans)
        points = tuple(
            Point(f, has_year and s is not None and s < 365) for f, s in zip(facts, spans, strict=True)
        )
        out.append(Series(metric, unit, points))
    out.sort(key=lambda s: (-len(s.points), s.metric, s.unit))
    return out
