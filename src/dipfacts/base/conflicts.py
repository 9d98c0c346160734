"""What a curator must decide when the base grows from several sources.

One number or one event, written twice, makes `figures` draw two bars and `timeline` list two
visits, and which one `ask` quotes depends on the ranking. So `check` looks for:

- two figures of the same metric, relation and period: a **conflict** when their values differ
  (keep one fact, make the other a [[cite]] giving its value), a **duplicate** when they agree
  (make the second a [[cite]] of the first). Both are errors: a merged base stays clean;
- two events that look like one — the same relation, overlapping dates, the same people (or,
  for events of no person, the very same entities and nearly the same words), similar text: a
  **warning**, since two visits in one year are possible.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass
from itertools import combinations

from dipfacts.base.errors import Problem
from dipfacts.base.model import Fact, Value

#: rapidfuzz's token_set_ratio (0-100) from which two events of the same people read as one.
SIMILAR_TEXT = 80
#: … and two events of no person, with the very same entities: their words must be nearly the same
#: ("Vietnam supports Kazakhstan's candidacy" and "Kazakhstan supports Vietnam's" share them all).
SIMILAR_TEXT_WITHOUT_PEOPLE = 98


@dataclass(frozen=True, slots=True)
class Findings:
    problems: tuple[Problem, ...]  # conflicts and duplicates: errors
    warnings: tuple[Problem, ...]  # events that may be one: for a curator to look at


def find_conflicts(facts: Sequence[Fact], people: Set[str] = frozenset()) -> Findings:
    """Conflicts and duplicates among figures, and events that look like one (`people`: the
    ids of the entities that are persons)."""
    return Findings(tuple(_figures(facts)), tuple(_events(facts, people)))


def _amount(v: Value) -> str:
    comparator = "" if v.comparator == "=" else v.comparator + " "
    return f"{comparator}{v.amount:,} {v.unit}"


def _where(fact: Fact) -> str:
    return f"{fact.id} ({fact.origin})"


def _period(fact: Fact) -> tuple:
    return (fact.date.lower, fact.date.upper)


def _figures(facts: Sequence[Fact]) -> Iterator[Problem]:
    groups: dict[tuple, list[Fact]] = {}
    for fact in facts:
        if fact.value is None:
            continue
        for relation in fact.relations:
            key = (fact.value.metric, relation, _period(fact), fact.status)
            groups.setdefault(key, []).append(fact)
    reported: set[tuple[str, str]] = set()
    for (metric, relation, _, _), group in groups.items():
        for first, second in combinations(sorted(group, key=lambda f: f.id), 2):
            if (first.id, second.id) in reported:
                continue
            reported.add((first.id, second.id))
            a, b = first.value, second.value
            assert a is not None and b is not None
            said = f"{metric} for {relation} in {second.date}"
            if (a.amount, a.unit, a.comparator) == (b.amount, b.unit, b.comparator):
                yield Problem(
                    second.origin.file,
                    second.origin.line,
                    (
                        f"duplicate of {_where(first)}: both give {said} as {_amount(a)}; "
                        f"make it a [[cite]] of {first.id}"
                    ),
                    f"fact '{second.id}'",
                )
            else:
                yield Problem(
                    second.origin.file,
                    second.origin.line,
                    f"conflicts with {_where(first)}: {said} is {_amount(b)} here and {_amount(a)} there; "
                    f"keep one fact and make the other a [[cite]] of it with its value",
                    f"fact '{second.id}'",
                )


def _overlap(a: Fact, b: Fact) -> bool:
    lo_a, hi_a, lo_b, hi_b = a.date.lower, a.date.upper, b.date.lower, b.date.upper
    if None in (lo_a, hi_a, lo_b, hi_b):
        return False
    return lo_a <= hi_b and lo_b <= hi_a  # type: ignore[operator]


def _events(facts: Sequence[Fact], people: Set[str]) -> Iterator[Problem]:
    from rapidfuzz import fuzz

    events = [f for f in facts if f.kind == "event"]
    by_relation: dict[str, list[Fact]] = {}
    for fact in events:
        for relation in fact.relations:
            by_relation.setdefault(relation, []).append(fact)
    seen: set[tuple[str, str]] = set()
    for group in by_relation.values():
        for a, b in combinations(sorted(group, key=lambda f: f.id), 2):
            if (a.id, b.id) in seen or a.status != b.status or not _overlap(a, b):
                continue
            shared = set(a.entities) & set(b.entities)
            if shared & people:
                needed = SIMILAR_TEXT
            elif a.entities and set(a.entities) == set(b.entities) and not set(a.entities) & people:
                needed = SIMILAR_TEXT_WITHOUT_PEOPLE
            else:
                continue
            similarity = fuzz.token_set_ratio(a.text, b.text)
            if similarity < needed:
                continue
            seen.add((a.id, b.id))
            yield Problem(
                b.origin.file,
                b.origin.line,
                f"looks like the same event as {_where(a)} ({a.date} and {b.date}, "
                f"text {similarity:.0f}% alike, both about "
                f"{', '.join(sorted(shared))}); if it is, keep one fact and make "
                f"the other a [[cite]] of it (with its date if it differs)",
                f"fact '{b.id}'",
            )
