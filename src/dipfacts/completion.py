"""Shell completion values: relation, entity, topic and fact ids and metric names.

A shell asks on every Tab, so the answer comes from the cached index (a few
milliseconds), never from parsing the fact files; fact ids are found by
bisection in the index's sorted id list.
"""

from __future__ import annotations

import bisect

from dipfacts.search.index import Index

LIMIT = 200  # a shell shows no more usefully


def candidates(index: Index, kind: str, incomplete: str) -> list[str]:
    if kind == "fact":
        ids = index.id_list  # sorted: doc order is id order
        start = bisect.bisect_left(ids, incomplete)
        out = []
        for i in range(start, min(start + LIMIT, len(ids))):
            fid = ids[i]
            if not fid.startswith(incomplete):
                break
            out.append(fid)
        return out
    table = {
        "relation": index.relation_docs,
        "entity": index.entity_docs,
        "topic": index.topic_docs,
        "metric": index.metric_docs,
        "source": index.source_docs,
    }[kind]
    return sorted(k for k in table if k.startswith(incomplete))[:LIMIT]
