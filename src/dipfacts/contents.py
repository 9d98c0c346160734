"""What the base holds: its relations, sources and entities, each with how many
facts it has and the years they span — the table of contents a reader browses
before searching. Counted from the index's per-item doc lists, so listing never
decodes a fact.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass

from dipfacts.search.index import OPEN_HI, OPEN_LO, Index


@dataclass(frozen=True, slots=True)
class Span:
    facts: int
    first: int | None  # year of the earliest fact's start; None: none, or open
    last: int | None  # year of the latest fact's end


def span(index: Index, docs: array | list[int]) -> Span:
    lows = [index.date_lo[d] for d in docs if index.date_lo[d] != OPEN_LO]
    highs = [index.date_hi[d] for d in docs if index.date_hi[d] != OPEN_HI]
    return Span(len(docs), min(lows) // 10_000 if lows else None, max(highs) // 10_000 if highs else None)


def spans(index: Index, table: Mapping[str, array], ids: list[str]) -> dict[str, Span]:
    return {i: span(index, table.get(i, array("I"))) for i in ids}


def years(s: Span) -> str:
    """1992–2025, or one year, or empty."""
    if s.first is None and s.last is None:
        return ""
    if s.first == s.last or s.last is None:
        return str(s.first)
    if s.first is None:
        return f"–{s.last}"
    return f"{s.first}–{s.last}"
