"""A relation's history: its facts in the order things happened.

Ordered by the first day each date can mean; on the same first day the coarser
date comes first (1992 before 1992-06 before 1992-06-29: the year frames what
happened in it), then by id. The index keeps every fact's first and last day as
numbers, so ordering never decodes a fact it does not show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dipfacts.base.model import Fact
from dipfacts.search.index import OPEN_LO, Index


def chronological(index: Index, docs: Iterable[int]) -> list[int]:
    """Docs in history order; doc numbers follow fact ids, so they break ties by id.

    A date open at the start ("until 27 June 2022": something the article reports as
    done by then) is placed at its end, the one day it is known by; a date open at the
    end ("from January 2026") at its start. --since and --until filter such a date by
    the same day (filters._dated): no fact is listed outside the dates asked for."""
    lo, hi = index.date_lo, index.date_hi
    return sorted(docs, key=lambda d: (lo[d] if lo[d] != OPEN_LO else hi[d], -hi[d], d))


def year_of(fact: Fact) -> int | None:
    """The year a fact is told under: its start, or its end for a date open at the start."""
    day = fact.date.lower or fact.date.upper
    return day[0] if day else None


def by_year(facts: Sequence[Fact]) -> list[tuple[int | None, list[Fact]]]:
    """Consecutive facts of the same year together, keeping their order."""
    groups: list[tuple[int | None, list[Fact]]] = []
    for fact in facts:
        year = year_of(fact)
        if groups and groups[-1][0] == year:
            groups[-1][1].append(fact)
        else:
            groups.append((year, [fact]))
    return groups
