"""Pruned top-k: the best few facts of a large base without scoring every candidate.

At 100,000 facts a two-word query ('Kazakhstan trade') matches 13,000 facts.
Ranking them all means arrays, so numpy, whose import alone costs a CLI run
100 ms. Most queries do not need it. The ranking's first tiers (typos, field,
exactness) are at their best for the facts that hold every query word, exactly
as its best alternative, in text or text_vi; among those the order is substance,
then BM25, then doc (spec.PRUNED_TIERS). So when k or more facts are at that best,
the top k are among them, and Fagin's threshold algorithm finds them from each
word's impact order (spec.impact_orders: docs by substance, then BM25 impact, best
first): read the words' orders in step, score each doc the first time it is seen
(spec.score), and stop as soon as the k-th best score beats what an unread doc
could reach (spec.score_bound of the impacts last read from each word's order).

The result is exactly the k docs the full ranking would preselect. Whether k
facts are at the best tiers is counted first, in the rarest word's postings
(stopping at k); when they are fewer, `best` says so (None) before any scoring
and the full ranking runs instead.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dipfacts.search import paths
from dipfacts.search.index import Index
from dipfacts.search.spec import (
    FIELD_BITS,
    K1,
    PRUNED_TIERS,
    SUBSTANCE,
    SUBSTANCE_ORDER,
    TF_SCALE,
    TIER0,
    impact,
    score_bound,
    tf_of,
)

# What the threshold algorithm below assumes of the tier order: among facts at the best of the
# earlier tiers, the order is by substance (one segment each), then BM25 (read by impact), then doc.
assert PRUNED_TIERS == ("substance", "minus_bm25", "doc"), "pruned top-k reads another tier order"

_K1_PLUS_1 = K1 + 1  # spec.bm25's (k1 + 1), for the inlined copy in _Query.score


@dataclass(frozen=True, slots=True)
class Group:
    """A query word's best way of matching: its terms of equal rank (one, or several typos or
    prefixes), the exact key when the user typed diacritics, and all its alternatives, each
    a term or the terms a doc must all hold (its idf counts the docs any of them finds)."""

    terms: tuple[str, ...]
    exact: str | None
    every: tuple[str | tuple[str, ...], ...]


class _Word:
    """A group's posting arrays, and whether a doc holds it at its best (and with what tf)."""

    __slots__ = ("index", "terms", "postings", "exact", "size", "_orders")

    def __init__(self, index: Index, group: Group) -> None:
        found = [(t, index.postings(t)) for t in group.terms]
        self.index = index
        self.terms = [t for t, entry in found if entry is not None]
        self.postings = [entry for _, entry in found if entry is not None]
        self.exact = index.exact_docs_of(group.exact) if group.exact is not None else None
        self.size = sum(len(docs) for docs, _ in self.postings)
        self._orders: list[Sequence[Sequence[int]]] | None = None

    def tf(self, doc: int) -> float | None:
        """The doc's tf for this word, when it holds one of the terms in text or text_vi
        (the largest, as the ranking takes it); None when it does not, or not exactly."""
        best = None
        for docs, packed in self.postings:
            i = bisect.bisect_left(docs, doc)  # inline, as rank._packed_of: a call a lookup costs here
            if i < len(docs) and docs[i] == doc and packed[i] & TIER0:
                tf = (packed[i] >> FIELD_BITS) / TF_SCALE  # spec.tf_of, inlined (see _Query.score)
                if best is None or tf > best:
                    best = tf
        if best is not None and self.exact is not None:
            i = bisect.bisect_left(self.exact, doc)
            if i == len(self.exact) or self.exact[i] != doc:
                return None
        return best

    def best_field_docs(self) -> Iterator[int]:
        """Each doc holding one of the terms in text or text_vi, once, in posting order."""
        seen: set[int] = set()
        for docs, packed in self.postings:
            for i, pk in enumerate(packed):
                if pk & TIER0 and docs[i] not in seen:
                    seen.add(docs[i])
                    yield docs[i]

    def orders(self) -> list[Sequence[Sequence[int]]]:
        """Each term's impact orders (index.impact_orders), fetched once a query."""
        if self._orders is None:
            found = [self.index.impact_orders(t) for t in self.terms]
            self._orders = [orders for orders in found if orders is not None]  # every term is known
        return self._orders

    def stream(self, substance: int) -> Iterator[tuple[float, int]]:
        """(-impact, doc) of the docs of one substance holding a term in text or text_vi, best
        first (the terms' impact orders merged)."""
        streams = [
            _read(self.index, docs, packed, orders[substance])
            for (docs, packed), orders in zip(self.postings, self.orders(), strict=True)
        ]
        return streams[0] if len(streams) == 1 else heapq.merge(*streams)


def best(index: Index, groups: list[Group], k: int) -> tuple[list[int], list[float]] | None:
    """The k best docs holding every group at its best, best first, and each group's idf;
    None when fewer than k docs hold every group at its best."""
    words = [_Word(index, g) for g in groups]
    if k <= 0 or any(not w.terms for w in words):
        return None
    q = _Query(index, words)
    smallest = min(words, key=lambda w: w.size)
    if not q.at_least(smallest, k):
        return None  # known before counting any idf: a word of several big terms costs a set union
    q.idfs = [index.idf(index.df(g.every)) for g in groups]
    if smallest.size <= paths.TOPK_SCAN_UP_TO_DOCS:
        return q.scan(smallest, k), q.idfs
    found: list[int] = []
    for substance in range(len(SUBSTANCE_ORDER)):
        found += q.segment(substance, k - len(found))
    assert len(found) == k, "at_least counted them"
    return found, q.idfs


class _Query:
    """The words of one query, and the order to ask whether a doc holds them: the rarest first,
    then whichever last said no (a doc that fails, fails on one word, and its clones alike)."""

    __slots__ = ("index", "words", "selective", "idfs")

    def __init__(self, index: Index, words: list[_Word]) -> None:
        self.index, self.words = index, words
        self.selective = sorted(range(len(words)), key=lambda j: words[j].size)  # most docs fail the rarest
        self.idfs: list[float] = []  # counted once the query is known to be worth pruning (see `best`)

    def tfs(self, doc: int) -> list[float] | None:
        """Each word's tf in the doc, or None unless the doc holds every word at its best."""
        tfs = [0.0] * len(self.words)
        for n, j in enumerate(self.selective):
            tf = self.words[j].tf(doc)
            if tf is None:
                if n:  # the word that said no is asked first next time: facts that share words fail alike
                    self.selective.insert(0, self.selective.pop(n))
                return None
            tfs[j] = tf
        return tfs

    def at_least(self, smallest: _Word, k: int) -> bool:
        """Whether k docs hold every word at its best, counted in the rarest word's postings and
        stopped at k: quick when they are many, and when they are few the rarest word is short."""
        count = 0
        for doc in smallest.best_field_docs():
            if self.tfs(doc) is not None:
                count += 1
                if count >= k:
                    return True
        return False

    def score(self, doc: int) -> float | None:
        """The doc's BM25 tier, spec.score's; None unless the doc holds every word at its best.

        spec.bm25 (summed as spec.score does) and, in _Word.tf, spec.tf_of are inlined: at 100,000
        facts a query scores thousands of docs here, and calling them took a tenth of its time. The
        same expressions, in the same order of operations, on spec's constants; tests/test_topk.py
        checks that the scores are spec.score's to the last bit."""
        tfs = self.tfs(doc)
        if tfs is None:
            return None
        norm = self.index.norm(doc)
        total = 0.0
        # A tf a word, as self.tfs makes them; any keyword (strict=) costs zip ~100 ns, once a scored doc.
        for idf, tf in zip(self.idfs, tfs):  # noqa: B905
            total += idf * tf * _K1_PLUS_1 / (tf + norm)  # spec.bm25
        return total

    def scan(self, smallest: _Word, k: int) -> list[int]:
        """Every doc of the rarest word, scored: for a word too rare to be worth pruning."""
        rows = []
        kinds = self.index.kinds
        for doc in smallest.best_field_docs():
            found = self.score(doc)
            if found is not None:
                rows.append((SUBSTANCE[kinds[doc]], -found, doc))  # PRUNED_TIERS, in order
        return [doc for _, _, doc in heapq.nsmallest(k, rows)]

    def segment(self, substance: int, k: int) -> list[int]:
        """The threshold algorithm over one substance: its k best docs, or all it has if fewer.

        Every word's order is read in step for paths.TOPK_ROUNDS_IN_STEP rounds, which finds the
        top quickly when many docs hold every word. After that only the shortest order is read on
        (the others' bounds stay where they were, still bounds): when few docs or none hold every
        word, the answer is known once the shortest order ends, and reading the others would only
        cost."""
        if k <= 0:
            return []
        lengths = [sum(len(orders[substance]) for orders in w.orders()) for w in self.words]
        driver = min(range(len(lengths)), key=lengths.__getitem__)
        if lengths[driver] == 0:
            return []
        streams = [w.stream(substance) for w in self.words]
        bounds = [float("inf")] * len(streams)
        reading = list(range(len(streams)))
        seen: set[int] = set()
        top: list[tuple[float, int]] = []  # (score, -doc): the worst of the k best on top
        rounds = 0
        while True:
            for j in reading:
                item = next(streams[j], None)
                if item is None:  # every doc of this substance holding all words is in this order: all seen
                    return [-neg for _, neg in sorted(top, reverse=True)]
                bounds[j] = -item[0]
                doc = item[1]
                if doc in seen:
                    continue
                seen.add(doc)
                found = self.score(doc)
                if found is None:
                    continue
                if len(top) < k:
                    heapq.heappush(top, (found, -doc))
                elif (found, -doc) > top[0]:
                    heapq.heapreplace(top, (found, -doc))
            rounds += 1
            if rounds == paths.TOPK_ROUNDS_IN_STEP:
                reading = [driver]
            if len(top) == k and top[0][0] > score_bound(self.idfs, bounds):
                return [-neg for _, neg in sorted(top, reverse=True)]


def _read(
    index: Index, docs: Sequence[int], packed: Sequence[int], order: Sequence[int]
) -> Iterator[tuple[float, int]]:
    norm = index.norm
    for i in order:
        doc = docs[i]
        yield -impact(tf_of(packed[i]), norm(doc)), doc
