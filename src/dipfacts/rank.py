"""Search and ranking: which facts answer a query, and in what order.

Tiered and deterministic, as Meilisearch and Typesense rank:

1. words matched — when no fact matches every word, the least informative word
   (the one most facts contain) is dropped, and facts matching the rest follow;
2. typos, fewest first;
3. proximity of the matched words in one text;
4. field: words found in the text, the Vietnamese text or an entity's names
   rank above those found only in ids, numbers or quotes;
5. exactness: diacritics typed and matched, whole words rather than prefixes;
6. substance: a figure, then an event, then a standing fact — the hard facts
   a user looks up before the commentary around them;
7. BM25 (k1 1.2, b 0.75) within a tier; then the fact id.
"""

from __future__ import annotations

import bisect
import math
from typing import NamedTuple

from dipfacts.index import ENTITY, FIELD_NAMES, FIELD_TIER, KINDS, Index
from dipfacts.normalize import fold, folded_key, has_marks, is_stop, words

K1, B = 1.2, 0.75
PROXIMITY_CAP = 8
RERANK = 100  # candidates whose proximity is measured, after the cheaper tiers


def typo_budget(word: str) -> int:
    """One typo from 4 letters, two from 8 — a little more generous than Meilisearch's 5 and 9,
    so 'trde' finds 'trade'; none in numbers. Only used when the word itself is unknown."""
    if not word.isalpha():
        return 0
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Alternative(NamedTuple):
    """One way a query word can match: a term, with how far it is from what was typed."""

    terms: tuple[str, ...]  # one term; two for a split word (viet nam for vietnam)
    typos: int
    how: str  # "exact", "prefix", "typo", "split", "joined"


class QueryWord:
    """One word of the query and every way it can match; filled in as the query is read."""

    __slots__ = ("text", "folded", "exact", "alternatives", "stop")

    def __init__(self, text: str, folded: str, exact: str | None, stop: bool = False) -> None:
        self.text = text  # as typed (NFC)
        self.folded = folded
        self.exact = exact  # the exact key, only when the user typed diacritics
        self.alternatives: list[Alternative] = []
        self.stop = stop


class WordMatch(NamedTuple):
    word: str
    term: str
    typos: int
    how: str
    fields: tuple[str, ...]
    exact: bool


class Hit(NamedTuple):
    doc: int
    id: str
    score: float  # BM25 within the tier
    matches: tuple[WordMatch, ...]
    dropped: tuple[str, ...]
    typos: int
    proximity: int
    field: int
    exactness: int

    def explain(self) -> dict[str, object]:
        return {
            "matched": [
                {"word": m.word, "term": m.term, "how": m.how, "typos": m.typos, "fields": list(m.fields), "exact": m.exact}
                for m in self.matches
            ],
            "dropped": list(self.dropped),
            "score": {
                "words": len(self.matches),
                "typos": self.typos,
                "proximity": self.proximity,
                "field": self.field,
                "exactness": self.exactness,
                "bm25": round(self.score, 4),
            },
        }


class Result(NamedTuple):
    hits: tuple[Hit, ...]
    words: tuple[str, ...]  # the query words that drove ranking
    dropped: tuple[str, ...]  # words no top fact matched, least informative first
    total: int  # facts that matched at all


# --- understanding the query ---------------------------------------------------------------------


def parse_query(index: Index, query: str) -> list[QueryWord]:
    ws = words(query)
    raw = [query_text for query_text in (w for w in _raw_words(query))]
    out: list[QueryWord] = []
    for w, text in zip(ws, raw):
        out.append(QueryWord(text=text, folded=w.folded, exact=w.exact if has_marks(text) else None, stop=is_stop(text)))
    for a, b in zip(out, out[1:]):  # "to lam": a stop word inside a name is part of the name
        if set(index.names.get(a.folded, ())) & set(index.names.get(b.folded, ())):
            a.stop = b.stop = False
    if out and all(q.stop for q in out):
        for q in out:
            q.stop = False
    live = [q for q in out if not q.stop]
    for i, q in enumerate(live):
        q.alternatives = _alternatives(index, q, last=i == len(live) - 1)
    _add_joined(index, live)
    for q in live:
        q.alternatives.sort(key=lambda a: (a.typos, _HOW_RANK[a.how], a.terms))
    return out


def _raw_words(query: str) -> list[str]:
    from dipfacts.normalize import _WORD, nfc

    return [m.group() for m in _WORD.finditer(nfc(query))]


def _alternatives(index: Index, q: QueryWord, last: bool) -> list[Alternative]:
    key = q.folded
    alts: list[Alternative] = []
    present = index.has_term(key)
    if present:
        alts.append(Alternative((key,), 0, "exact"))
    if last and len(key) >= 2 and not key[0].isdigit():
        alts += [Alternative((t,), 0, "prefix") for t in index.prefixed(key) if t != key]
    if not present:
        budget = typo_budget(fold(q.text))
        if budget:
            from rapidfuzz import process  # only a word the index does not know pays for this
            from rapidfuzz.distance import OSA

            pool = [t for n in range(len(key) - budget, len(key) + budget + 1) for t in index.by_length.get(n, ())]
            for term, d, _ in process.extract(key, pool, scorer=OSA.distance, score_cutoff=budget, limit=None):
                alts.append(Alternative((term,), int(d), "typo"))
        if len(key) >= 4 and key.isalpha():
            for i in range(2, len(key) - 1):
                left, right = key[:i], key[i:]
                if _known(index, left) and _known(index, right):
                    alts.append(Alternative((left, right), 0, "split"))
    return alts


def _known(index: Index, term: str) -> bool:
    return index.has_term(term)


def _add_joined(index: Index, live: list[QueryWord]) -> None:
    """'viet nam' also finds 'vietnam': the joined pair is one more way to match both words."""
    for a, b in zip(live, live[1:]):
        joined = folded_key(a.folded + b.folded)
        if _known(index, joined):
            a.alternatives.append(Alternative((joined,), 0, "joined"))
            b.alternatives.append(Alternative((joined,), 0, "joined"))


# --- matching -------------------------------------------------------------------------------------------


class _Match:
    """The best way one query word matches one document (merged in place as fields are found)."""

    __slots__ = ("term", "typos", "how", "bits", "tf")

    def __init__(self, term: str, typos: int, how: str, bits: int, tf: float) -> None:
        self.term, self.typos, self.how, self.bits, self.tf = term, typos, how, bits, tf


_HOW_RANK = {"exact": 0, "joined": 1, "split": 2, "prefix": 3, "typo": 4}


class _Postings:
    """Per-query cache of what each term matches: a doc set, and per-doc field bits and tf on demand."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._sets: dict[str, set[int]] = {}
        self._names: dict[str, set[int]] = {}
        self._details: dict[str, dict[int, int]] = {}

    def docs(self, term: str) -> set[int]:
        found = self._sets.get(term)
        if found is None:
            entry = self.index.postings(term)
            found = set(entry[0]) if entry is not None else set()
            found |= self.names(term)
            self._sets[term] = found
        return found

    def _packed(self, term: str) -> dict[int, int]:
        found = self._details.get(term)
        if found is None:
            entry = self.index.postings(term)
            found = self._details[term] = dict(zip(*entry)) if entry is not None else {}
        return found

    def names(self, term: str) -> set[int]:
        found = self._names.get(term)
        if found is None:
            found = self._names[term] = set(self.index.name_docs(term))
        return found

    def detail(self, term: str, doc: int) -> tuple[int, float]:
        """(field bits, weighted tf) of `term` in `doc`."""
        bits, tf = 0, 0.0
        packed = self._packed(term).get(doc)
        if packed is not None:
            bits, tf = packed & 0b11111, (packed >> 5) / 10
        if doc in self.names(term):
            bits |= ENTITY
            tf = max(tf, 1.0)
        return bits, tf


def _alt_docs(p: _Postings, alt: Alternative) -> set[int]:
    if len(alt.terms) == 1:
        return p.docs(alt.terms[0])
    key = " ".join(alt.terms)
    found = p._sets.get(key)
    if found is None:
        found = p._sets[key] = p.docs(alt.terms[0]) & p.docs(alt.terms[1])
    return found


def _best_match(p: _Postings, q: QueryWord, doc: int) -> _Match:
    """The best alternative of a word in a doc: fewest typos, then the most exact kind, then field."""
    best: _Match | None = None
    for alt in q.alternatives:  # sorted best first by parse_query
        if best is not None and (alt.typos, _HOW_RANK[alt.how]) > (best.typos, _HOW_RANK[best.how]):
            break
        if doc not in _alt_docs(p, alt):
            continue
        details = [p.detail(t, doc) for t in alt.terms]
        bits = details[0][0] if len(details) == 1 else (details[0][0] & details[1][0]) or details[0][0]
        tf = min(d[1] for d in details)
        candidate = _Match(" ".join(alt.terms), alt.typos, alt.how, bits, tf)
        if best is None or _tier(candidate.bits) < _tier(best.bits):
            best = candidate
        elif _tier(candidate.bits) == _tier(best.bits):
            best.bits |= candidate.bits
            best.tf = max(best.tf, candidate.tf)
    assert best is not None
    return best


def _tier(bits: int) -> int:
    return min(FIELD_TIER[b] for b in FIELD_NAMES if bits & b) if bits else 4


def _idf(index: Index, df: int) -> float:
    n = len(index)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


# --- the search ----------------------------------------------------------------------------------------


class Filters(NamedTuple):
    relation: str | None = None  # resolved ids
    entity: str | None = None
    topic: str | None = None
    kind: str | None = None
    since: int | None = None  # day numbers
    until: int | None = None

    def active(self) -> bool:
        return any(v is not None for v in (self.relation, self.entity, self.topic, self.kind, self.since, self.until))


def allowed_docs(index: Index, filters: Filters) -> set[int] | None:
    if not filters.active():
        return None
    docs: set[int] = set(range(len(index)))
    if filters.relation is not None:
        docs &= set(index.relation_docs.get(filters.relation, ()))
    if filters.entity is not None:
        docs &= set(index.entity_docs.get(filters.entity, ()))
    if filters.topic is not None:
        docs &= set(index.topic_docs.get(filters.topic, ()))
    if filters.kind is not None:
        code = KINDS.index(filters.kind)
        docs = {d for d in docs if index.kinds[d] == code}
    if filters.since is not None:
        docs = {d for d in docs if index.date_hi[d] >= filters.since}
    if filters.until is not None:
        docs = {d for d in docs if index.date_lo[d] <= filters.until}
    return docs


def search(index: Index, query: str, filters: Filters = Filters(), limit: int = 10) -> Result:
    """Rank the facts for `query`: see the module docstring for the order."""
    allowed = allowed_docs(index, filters)
    qwords = [q for q in parse_query(index, query) if not q.stop]
    if not qwords or limit <= 0:
        return Result((), tuple(q.text for q in qwords), (), 0)
    p = _Postings(index)
    word_docs: list[set[int]] = []
    for q in qwords:
        docs: set[int] = set()
        for alt in q.alternatives:
            docs |= _alt_docs(p, alt)
        if allowed is not None:
            docs &= allowed
        word_docs.append(docs)
    # Least informative first: a word matching nothing, then the word most facts contain.
    order = sorted(range(len(qwords)), key=lambda i: (0 if not word_docs[i] else 1, -len(word_docs[i]), -i))
    hits: list[Hit] = []
    included: set[int] = set()
    dropped_overall: tuple[str, ...] = ()
    total = len(set().union(*word_docs))
    for level in range(len(qwords)):
        dropped = order[:level]
        keep = [i for i in range(len(qwords)) if i not in dropped]
        docs = set.intersection(*(word_docs[i] for i in keep)) - included
        if not docs:
            continue
        names = tuple(qwords[i].text for i in dropped)
        if not hits:
            dropped_overall = names
        for hit in _rank_level(index, p, qwords, word_docs, keep, docs, limit - len(hits)):
            hits.append(_with_dropped(hit, names))
            included.add(hit.doc)
        if len(hits) >= limit:
            break
    return Result(tuple(hits[:limit]), tuple(q.text for q in qwords), dropped_overall, total)


def _with_dropped(hit: Hit, dropped: tuple[str, ...]) -> Hit:
    return Hit(hit.doc, hit.id, hit.score, hit.matches, dropped, hit.typos, hit.proximity, hit.field, hit.exactness)


_SUBSTANCE = {KINDS.index("figure"): 0, KINDS.index("event"): 1, KINDS.index("state"): 2}


def _rank_level(
    index: Index, p: _Postings, qwords: list[QueryWord], word_docs: list[set[int]], keep: list[int], docs: set[int], limit: int
) -> list[Hit]:
    idf = {i: _idf(index, len(word_docs[i])) for i in keep}
    rows = []
    for d in docs:
        typos = field_sum = exactness = 0
        score = 0.0
        norm = K1 * (1 - B + B * index.doclen[d] / index.avgdl)
        matches = []
        for i in keep:
            m = _best_match(p, qwords[i], d)
            matches.append(m)
            typos += m.typos
            field_sum += _tier(m.bits)
            exact = m.how == "exact" and (qwords[i].exact is None or _exact_in(index, qwords[i].exact, d))
            exactness += exact
            score += idf[i] * m.tf * (K1 + 1) / (m.tf + norm)
        substance = _SUBSTANCE[index.kinds[d]]
        rows.append(((typos, field_sum, -exactness, substance, -score, index.ids[d]), d, score, exactness, matches))
    rows.sort(key=lambda r: r[0])
    final = []
    for (typos, field_sum, _, substance, _, fid), d, score, exactness, matches in rows[: max(RERANK, limit)]:
        proximity = _proximity(index, p, d, matches) if len(keep) > 1 else 0
        word_matches = tuple(
            WordMatch(
                word=qwords[i].text,
                term=m.term,
                typos=m.typos,
                how=m.how,
                fields=tuple(name for bit, name in FIELD_NAMES.items() if m.bits & bit),
                exact=m.how == "exact" and (qwords[i].exact is None or _exact_in(index, qwords[i].exact, d)),
            )
            for i, m in zip(keep, matches)
        )
        final.append(((typos, proximity, field_sum, -exactness, substance, -score, fid), Hit(d, fid, score, word_matches, (), typos, proximity, field_sum, exactness)))
    final.sort(key=lambda pair: pair[0])
    return [h for _, h in final][:limit]


def _exact_in(index: Index, key: str, doc: int) -> bool:
    docs = index.exact_docs_of(key)
    if docs is None:
        return True  # a key with no diacritics to keep: any match is exact
    i = bisect.bisect_left(docs, doc)
    return i < len(docs) and docs[i] == doc


def _gap_cost(gap: int) -> int:
    """Words within a short clause of each other (up to 5 apart) count as together; then by distance."""
    return 0 if gap <= 5 else min(gap - 5, PROXIMITY_CAP)


def _proximity(index: Index, p: _Postings, doc: int, matches: list[_Match]) -> int:
    """The smallest spread of the matched words within one text (English or Vietnamese).

    Words that all belong to one name of an entity the fact is about ('Hoa Kỳ' for
    the United States) are together by definition.
    """
    if all(m.bits & ENTITY for m in matches):
        common = set.intersection(*(set(index.names.get(t, ())) for m in matches for t in m.term.split(" ")))
        if any(doc in (index.entity_docs if kind == "entity" else index.relation_docs).get(ident, ()) for kind, ident in common):
            return 0
    best = PROXIMITY_CAP * (len(matches) - 1)
    for sequence in index.sequences(doc):
        positions: dict[str, list[int]] = {}
        for position, term in enumerate(sequence.split(" ")):
            positions.setdefault(term, []).append(position)
        total = 0
        previous: list[int] | None = None
        for m in matches:
            here = sorted(p for t in m.term.split(" ") for p in positions.get(t, ()))
            if not here:
                total += PROXIMITY_CAP
                previous = None
                continue
            if previous:
                gap = min(abs(a - b) for a in here for b in previous)
                total += _gap_cost(gap)
            previous = here
        best = min(best, total)
    return best


def matched_terms(hit: Hit) -> set[str]:
    """The folded terms to highlight in a hit's text."""
    return {t for m in hit.matches for t in m.term.split(" ")}


