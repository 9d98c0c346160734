"""Finding the base's names in text: entities, by every name and alias, and metrics, by theirs.

A question (`ask`) and a drafted sentence (`extract`) both need to know which entities and
which metric they name. A word written with marks meets only a name written with the same
marks ("Nhật", Japan, is not in "thứ nhất", first); a word typed without marks meets any.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from dipfacts.base.model import Entity, Metric
from dipfacts.base.normalize import exact_key, folded_key, has_marks, is_stop, tokens


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in the question, and where."""

    entity: str
    start: int
    end: int  # one past the last word


def find(seq: Sequence[str], phrase: Sequence[str], start: int = 0) -> int:
    """Where a phrase first stands in a sequence of words from `start`, or -1."""
    n = len(phrase)
    for i in range(start, len(seq) - n + 1):
        if tuple(seq[i : i + n]) == tuple(phrase):
            return i
    return -1


def find_all(seq: Sequence[str], phrase: Sequence[str]) -> Iterator[int]:
    """Every place a phrase stands in a sequence of words, in order (overlapping ones too)."""
    start = 0
    while (i := find(seq, phrase, start)) >= 0:
        yield i
        start = i + 1


def label_words(label: str) -> tuple[str, ...]:
    return tuple(folded_key(t) for t in tokens(label))


# An entity's name as words: folded keys, and the exact key of each word typed with marks (None
# for a word without): "Nhật" (Japan) must not be found in "thứ nhất" (first).
Labels = list[tuple[tuple[str, ...], tuple[str | None, ...], str]]


def marked(token: str) -> str | None:
    return exact_key(token) if has_marks(token) else None


def entity_labels(entities: Mapping[str, Entity]) -> Labels:
    """Every way the base names an entity, longest first."""
    labels = set()
    for e in entities.values():
        for label in (*e.names, e.id.replace("-", " ")):
            typed = tokens(label)
            if typed:
                labels.add((tuple(folded_key(t) for t in typed), tuple(marked(t) for t in typed), e.id))
    return sorted(labels, key=lambda item: (-len(item[0]), item[0], item[2]))


def mentions(
    keys: Sequence[str], marks: Sequence[str | None], labels: Labels, skip: set[int]
) -> list[Mention]:
    """Entities named in a sequence of words. A word typed with marks meets only a name written
    with the same marks; a word typed without meets any."""
    taken: set[int] = set(skip)
    found: list[Mention] = []
    for key, exact, eid in labels:
        for i in find_all(keys, key):
            span = set(range(i, i + len(key)))
            same = all(marks[i + j] is None or marks[i + j] == exact[j] for j in range(len(key)))
            if same and not span & taken:
                taken |= span
                found.append(Mention(eid, i, i + len(key)))
    return sorted(found, key=lambda m: m.start)


@functools.lru_cache(maxsize=4096)
def metric_names(metric: Metric, exact: bool = False) -> tuple[tuple[str, ...], ...]:
    """A metric's names as content-word sequences (stop words carry no meaning here), folded for a
    question typed without marks, or `exact` for an article's text, where "dầu" (oil) is not "đầu"
    (head); made once a metric (a question tests every metric's names)."""
    out = []
    for label in metric.names:
        typed = tokens(label)
        keys = [exact_key(t) for t in typed] if exact else label_words(label)
        key = tuple(k for k, t in zip(keys, typed, strict=True) if not is_stop(t))
        if key:
            out.append(key)
    return tuple(out)
