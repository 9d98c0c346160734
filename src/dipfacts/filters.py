"""Which facts a command's options allow: relation, entity, topic, kind and dates.

Every command that selects facts (search, timeline, figures, ask, entities)
turns its options into one `Filters`, resolved to ids and day numbers, and asks
the index for the allowed documents here, so each option means the same thing
everywhere.
"""

from __future__ import annotations

from typing import NamedTuple

from dipfacts.index import KINDS, Index


class Filters(NamedTuple):
    """Options resolved to ids (never aliases) and to day numbers (see index.day_number)."""

    relation: str | None = None
    entity: str | None = None
    topic: str | None = None
    kind: str | None = None
    since: int | None = None
    until: int | None = None
    metric: str | None = None

    def active(self) -> bool:
        return any(v is not None for v in self)


def allowed_docs(index: Index, filters: Filters) -> set[int] | None:
    """The docs every filter allows; None when nothing is filtered (cheaper than a set of all)."""
    if not filters.active():
        return None
    tables = ((index.relation_docs, filters.relation), (index.entity_docs, filters.entity), (index.topic_docs, filters.topic), (index.metric_docs, filters.metric))
    parts = sorted((set(table.get(key, ())) for table, key in tables if key is not None), key=len)
    docs = set.intersection(*parts) if parts else set(range(len(index)))
    if filters.kind is not None:
        code = KINDS.index(filters.kind)
        docs = {d for d in docs if index.kinds[d] == code}
    if filters.since is not None:
        docs = {d for d in docs if index.date_hi[d] >= filters.since}
    if filters.until is not None:
        docs = {d for d in docs if index.date_lo[d] <= filters.until}
    return docs
