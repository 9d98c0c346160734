"""Which facts a command's options allow: relation, entity, topic, kind, dates and sources.

Every command that selects facts (search, timeline, figures, ask, entities)
turns its options into one `Filters`, resolved to ids and day numbers, and asks
the index for the allowed documents here, so each option means the same thing
everywhere.

Dates: a fact passes --since/--until when any day of its date falls within them,
with one rule for a date open at one side ("until 27 Jun 2022", "from Jan 2026"):
the unknown side is unknown, not unbounded, so the known end stands for it. That is
the day the timeline places such a fact at (see timeline.chronological), so a
filtered timeline never shows a fact outside the range it was asked for.
"""

from __future__ import annotations

from typing import NamedTuple

from dipfacts.search.index import OPEN_HI, OPEN_LO, Index
from dipfacts.search.spec import KINDS


class Filters(NamedTuple):
    """Options resolved to ids (never aliases) and to day numbers (see index.day_number)."""

    relation: str | None = None
    entity: str | None = None
    topic: str | None = None
    kind: str | None = None
    since: int | None = None
    until: int | None = None
    metric: str | None = None
    sources: tuple[str, ...] | None = None  # facts cited by any of these articles

    def active(self) -> bool:
        return any(v is not None for v in self)


def allowed_docs(index: Index, filters: Filters) -> set[int] | None:
    """The docs every filter allows; None when nothing is filtered (cheaper than a set of all)."""
    if not filters.active():
        return None
    tables = (
        (index.relation_docs, filters.relation),
        (index.entity_docs, filters.entity),
        (index.topic_docs, filters.topic),
        (index.metric_docs, filters.metric),
    )
    parts = [set(table.get(key, ())) for table, key in tables if key is not None]
    if filters.sources is not None:
        parts.append(set().union(*(index.source_docs.get(s, ()) for s in filters.sources)))
    parts.sort(key=len)
    docs = set.intersection(*parts) if parts else set(range(len(index)))
    if filters.kind is not None:
        code = KINDS.index(filters.kind)
        docs = {d for d in docs if index.kinds[d] == code}
    if filters.since is not None or filters.until is not None:
        docs = _dated(
            index,
            docs,
            OPEN_LO if filters.since is None else filters.since,
            OPEN_HI if filters.until is None else filters.until,
        )
    return docs


def _dated(index: Index, docs: set[int], since: int, until: int) -> set[int]:
    """The docs with a day in [since, until], an open or unknown side standing at the known one.

    Left open, an unknown start counted as "before anything" and passed any --until
    (`--until 1995` listed facts known only as "until 27 Jun 2022"), and an open end
    passed any --since. Only one side of an EDTF date can be open. The index keeps days,
    not points, so "../2022" counts as 31 Dec 2022 and "2026-01/.." as 1 Jan 2026: the
    days the timeline places them at, and exact for the day-precision ends articles give.
    (Written inline, not as a function called per doc: a search may pass every fact through here.)"""
    lo, hi = index.date_lo, index.date_hi
    return {
        d
        for d in docs
        if (hi[d] if hi[d] != OPEN_HI else lo[d]) >= since and (lo[d] if lo[d] != OPEN_LO else hi[d]) <= until
    }


def kind_counts(index: Index, filters: Filters) -> dict[str, int]:
    """How many facts of each kind the filters allow once the kind filter is dropped: what
    `timeline` says --all would add when the kind it shows has nothing."""
    docs = allowed_docs(index, filters._replace(kind=None))
    counts = dict.fromkeys(KINDS, 0)
    for d in range(len(index)) if docs is None else docs:
        counts[KINDS[index.kinds[d]]] += 1
    return counts
