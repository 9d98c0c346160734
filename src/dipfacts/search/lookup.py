"""Resolving what users type — ids, aliases, topics — to things in the base.

Users type `kz`, `Kazakhstan` or `viet nam - kazakhstan` for the relation
`vn-kz`; a near miss should get a suggestion, not silence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from dipfacts.base.errors import UnknownIdError
from dipfacts.base.model import Base, Fact, Metric, Source
from dipfacts.base.normalize import fold
from dipfacts.base.suggest import did_you_mean


def _resolve(what: str, name: str, names: Mapping[str, Iterable[str]]) -> str:
    """`names` maps each id to its aliases; ids and aliases match without case or diacritics."""
    if name in names:
        return name
    key = fold(name).strip()
    for ident, aliases in names.items():
        if key == fold(ident) or any(key == fold(a) for a in aliases):
            return ident
    by_name = {alias: ident for ident, aliases in names.items() for alias in aliases} | {i: i for i in names}
    guesses = list(dict.fromkeys(by_name[g] for g in did_you_mean(name, by_name, limit=6)))
    guesses = guesses or [i for i in names if key and key in fold(i)]  # 'trade': bilateral-trade
    raise UnknownIdError(what, name, guesses[:3])


def resolve_relation(base: Base, name: str) -> str:
    return _resolve("relation", name, {r.id: r.aliases for r in base.relations.values()})


def resolve_entity(base: Base, name: str) -> str:
    """By id, name or alias; or by part of a name when only one entity has it ('Nazarbayev')."""
    names = {e.id: e.names for e in base.entities.values()}
    try:
        return _resolve("entity", name, names)
    except UnknownIdError:
        wanted = set(fold(name).split())
        holders = [
            i
            for i, labels in names.items()
            if wanted and any(wanted <= set(fold(label).split()) for label in labels)
        ]
        if len(holders) == 1:
            return holders[0]
        if holders:  # 'Nguyen' names several: say which
            raise UnknownIdError("entity", name, holders[:3]) from None
        raise


def resolve_metric(metrics: Mapping[str, Metric], name: str) -> str:
    """By id, name or alias, in either language: `-m trade`, `-m "kim ngạch thương mại"`."""
    return _resolve("metric", name, {m.id: m.names for m in metrics.values()})


def resolve_source(sources: Mapping[str, Source], name: str) -> str:
    """By id, or by the publisher's name when one source has it ('VOV', 'Báo Thế giới và Việt Nam')."""
    names = {s.id: tuple(x for x in (s.publisher,) if x) for s in sources.values()}
    publishers: dict[str, list[str]] = {}
    for sid, (publisher, *_) in ((i, n) for i, n in names.items() if n):
        publishers.setdefault(fold(publisher).strip(), []).append(sid)
    if len(publishers.get(fold(name).strip(), [])) > 1:  # a publisher of several articles names none of them
        raise UnknownIdError("source", name, sorted(publishers[fold(name).strip()])[:3])
    return _resolve("source", name, names)


def resolve_topic(base: Base, name: str) -> str:
    return resolve_topic_name((t for f in base.facts for t in f.topics), name)


def resolve_topic_name(topics: Iterable[str], name: str) -> str:
    return _resolve("topic", name, {t: () for t in topics})


def get_facts(base: Base, ids: Sequence[str]) -> list[Fact]:
    """Facts by exact id, in the order asked; an unknown id is an error with suggestions."""
    out = []
    for fid in ids:
        fact = base.facts_by_id.get(fid)
        if fact is None:
            raise UnknownIdError("fact id", fid, did_you_mean(fid, base.facts_by_id))
        out.append(fact)
    return out


def select(base: Base, *, relation: str | None = None, topic: str | None = None) -> list[Fact]:
    """Facts filtered by relation and topic (either may be an alias), in base order."""
    rid = resolve_relation(base, relation) if relation else None
    tid = resolve_topic(base, topic) if topic else None
    return [f for f in base.facts if (rid is None or rid in f.relations) and (tid is None or tid in f.topics)]
