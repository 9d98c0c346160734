"""Search and ranking: which facts answer a query, and in what order.

Tiered and deterministic, as Meilisearch and Typesense rank:

1. words matched — facts matching every word first; then facts matching fewer,
   more words first and, among as many, those keeping the most informative ones
   (the most frequent words are dropped first: see _level_key);
2. typos, fewest first (a synonym costs one, and a common word one more than a
   name's word a typo is as near to: see SYNONYM_COST and _names_first);
3. proximity of the matched words in one text, in the order typed;
4. field: words found in the text, the Vietnamese text or an entity's names
   rank above those found only in ids, numbers or quotes;
5. exactness: diacritics typed and matched, whole words rather than prefixes;
6. substance: a figure, then an event, then a standing fact — the hard facts
   a user looks up before the commentary around them;
7. BM25 (k1 1.2, b 0.75) within a tier; then the fact id.

A word matches in several ways (its alternatives: the word, a synonym of the
synonym table, a joined or split form, a prefix, a typo; a date typed as
1992-06-29 matches facts' dates), and in each fact by its best one, in the
order of the tiers: fewest typos, then best field, then most exact.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import NamedTuple

from dipfacts.base.errors import QueryError
from dipfacts.base.normalize import fold, folded_key, head, nfc, stop_by_keys, strip_invisible, tokens, words
from dipfacts.search.filters import Filters, allowed_docs
from dipfacts.search.index import (
    ENTITY,
    FIELD_NAMES,
    FIELD_TIER,
    K1,
    KINDS,
    META,
    OPEN_HI,
    OPEN_LO,
    SUBSTANCE,
    B,
    Index,
    date_key,
)

PROXIMITY_CAP = 8
# A synonym costs what a typo costs (the typos tier): a fact in the user's own words answers before
# one in other words, whatever their proximity or field. Ranked only as less exact (the exactness
# tier, after proximity and field), 'established' found an anniversary fact's 'establishment'
# before the fact that says 'established', and 'Mỹ đầu tư' more investment facts than it should.
SYNONYM_COST = 1
RERANK = 20  # candidates whose proximity is measured, after the cheaper tiers


def _rerank(limit: int) -> int:
    """How many candidates get proximity measured when `limit` results are wanted: twice as
    many, up to RERANK. A level after words were dropped often fills only the last few places."""
    return max(min(RERANK, 2 * limit), limit)


VECTOR_FROM = 4000  # candidates from which the cheap tiers are computed with numpy (worth its import)
LARGE = 20_000  # facts from which doc sets are numpy masks rather than Python sets
# Facts from which a query first tries pruned top-k (topk.py), which needs no numpy: at 10,000 it
# cut the benchmark mix's p50 by a quarter (6.2 -> 4.4 and 5.3 -> 4.0 ms); on a small base it would not pay.
PRUNE_FROM = 5_000


def typo_budget(word: str) -> int:
    """One typo from 4 letters, two from 8 — a little more generous than Meilisearch's 5 and 9,
    so 'trde' finds 'trade'; none in numbers. Only used when the word itself is unknown.
    As in Meilisearch, a typo on the first letter costs two: candidates share the first
    letter, which keeps the comparison to a few thousand terms at 100,000 facts."""
    if not word.isalpha():
        return 0
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Alternative(NamedTuple):
    """One way a query word can match: terms a doc must all hold, with how far they are from what was typed."""

    terms: tuple[
        str, ...
    ]  # one term (a phrase of the synonym table is one: 'du khach'); two for a split word (viet nam for vietnam)
    typos: int
    how: str  # "exact", "date", "synonym", "joined", "split", "prefix", "typo"


class QueryWord:
    """One word of the query and every way it can match; filled in as the query is read."""

    __slots__ = (
        "text",
        "folded",
        "exact",
        "alternatives",
        "stop",
        "function_word",
        "date",
        "phrase",
        "_last",
    )

    def __init__(
        self,
        text: str,
        folded: str,
        exact: str | None,
        stop: bool = False,
        date: bool = False,
        phrase: tuple[str, ...] = (),
    ) -> None:
        self.text = text  # as typed (NFC)
        self.folded = folded
        self.exact = exact  # the exact key, only when the user typed diacritics
        self.alternatives: list[Alternative] = []
        self.function_word = stop  # a stop word in itself
        self.stop = stop  # left out of ranking (not when it belongs to a name, or all words are stop words)
        self.date = date  # a date typed as 1992-06-29 or 1992-06: `folded` is its date key
        self.phrase = phrase  # the words of a phrase of the synonym table, typed as one word ('xuat', 'khau')
        self._last: bool | None = None  # whether alternatives were found as for the last word (None: not yet)


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
                {
                    "word": m.word,
                    "term": m.term,
                    "how": m.how,
                    "typos": m.typos,
                    "fields": list(m.fields),
                    "exact": m.exact,
                }
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
    ignored: int = 0  # words past MAX_WORDS, not searched
    stop_only: bool = False  # every word a stop word: they were searched as words


# As Meilisearch (10) and Typesense cap a query: past a sentence, more words only
# slow the search (each may need typo candidates) without sharpening it.
MAX_WORDS = 32


# --- understanding the query ---------------------------------------------------------------------


# A date in the tool's own form (EDTF/ISO: 1992-06-29, 1992-06), not inside a longer run of digits
# and dashes (2021-2025 is a span of years, and stays two numbers).
_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\d]|-\d)")


def parse_query(index: Index, query: str) -> list[QueryWord]:
    """The query's words, each with every way it can match (its alternatives), best first.

    A date typed as the tool writes dates — 1992-06-29, or the month 1992-06 — is one word
    that matches the facts of that day or month: those whose date is that day (or a span of
    days holding it), or falls in that month (see index.date_keys). How it ranks: it is
    matched on the fact's date, a field of the fact like its id and its years, so it is a
    matched word with no typo, in the meta field tier, and it stands next to every other word
    (the date is the whole fact's: it adds no proximity). Every fact it finds is of that date,
    so among the facts matching the same words the other words' tiers order them; alone, it
    lists that day's facts by substance, then BM25. A year alone (1992) stays a number, which
    a fact's text and its years both hold; in a fact dated in that year it too stands next to
    every word, so 'trade 2024' finds the figure of 2024 before one that mentions 2024.

    A phrase of the synonym table is one word ('xuất khẩu', see _join_phrases); a stop word
    inside a name is part of the name, also when the word beside it is mistyped ('To Lamm')."""
    out = _read_words(nfc(query))
    for a, b in zip(out, out[1:]):  # "to lam": a stop word inside a name is part of the name
        if f"{a.folded} {b.folded}" in index.name_pairs:
            a.stop = b.stop = False
    out = _join_phrases(index, out)
    if out and all(q.stop for q in out):
        for q in out:
            q.stop = False
    live = _fill(index, out)
    if _names_through_typos(index, out):  # "To Lamm": the stop word belongs to the name the typo means
        live = _fill(index, out)
    _add_joined(index, live)
    for q in live:
        q.alternatives.sort(key=lambda a: _alternative_order(index, a))
    return out


def _alternative_order(index: Index, a: Alternative) -> tuple:
    """Fewest typos, then the most exact kind; then, among typos as costly, a word of a name the
    base knows (a person's or a place's name or alias) before a common word: that reading is
    the word's best, the one the name rule of parse_query and --explain take ('To Lamm')."""
    return (a.typos, _HOW_RANK[a.how], 0 if all(index.is_proper_word(t) for t in a.terms) else 1, a.terms)


def _names_first(index: Index, typos: list[Alternative]) -> list[Alternative]:
    """A typo prefers a word of a name the base knows over a common word as near: the common word
    costs one typo more. A mistyped word that is one letter from a person's or a place's name
    most likely means it ('Sonn' is Bùi Thanh Sơn sooner than song, 'Tann' Trương Tấn Sang
    sooner than tăng), and a typo's cost is what ranks it (the typos tier), on every path."""
    near_names = {a.typos for a in typos if index.is_proper_word(a.terms[0])}
    return [
        a if a.typos not in near_names or index.is_proper_word(a.terms[0]) else a._replace(typos=a.typos + 1)
        for a in typos
    ]


def _read_words(query: str) -> list[QueryWord]:
    """The query's words as typed, with their keys and whether each is a stop word; a date is one word."""
    out: list[QueryWord] = []
    at = 0
    for m in _DATE.finditer(query):
        key = _date_word(m)
        if key is None:
            continue
        out += _plain_words(query[at : m.start()])
        out.append(QueryWord(text=m.group(), folded=key, exact=None, date=True))
        at = m.end()
    out += _plain_words(query[at:])
    return out


def _date_word(m: re.Match) -> str | None:
    """The date key of a typed date, or None when it is no date (2021-13, 2021-02-30)."""
    from dipfacts.base.dates import DateError, parse_edtf

    try:
        parse_edtf(m.group())
    except DateError:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    return date_key(year, month, int(day) if day else None)


def _plain_words(text: str) -> list[QueryWord]:
    out = []
    for w, typed in zip(words(text), tokens(text)):
        plain = fold(typed)
        marked = plain != typed.casefold()
        out.append(
            QueryWord(
                text=typed,
                folded=w.folded,
                exact=w.exact if marked else None,
                stop=stop_by_keys(w.exact, plain, marked),
            )
        )
    return out


def _fill(index: Index, out: list[QueryWord]) -> list[QueryWord]:
    """Find the alternatives of every word that drives ranking (once; again for a word that
    stopped or started being the last, which alone may match as a prefix)."""
    live = [q for q in out if not q.stop]
    for i, q in enumerate(live):
        last = i == len(live) - 1
        if q._last is not last:
            q.alternatives = _alternatives(index, q, last)
            q._last = last
    return live


def _names_through_typos(index: Index, out: list[QueryWord]) -> bool:
    """A stop word beside a word whose best reading is a typo or a prefix of a name word is part
    of that name, as it is beside the name word itself ('To Lamm' is 'To Lam'). True when one was found."""
    found = False
    for i, q in enumerate(out):
        if not q.stop:
            continue
        for j, pair in ((i + 1, "{stop} {term}"), (i - 1, "{term} {stop}")):
            other = out[j] if 0 <= j < len(out) else None
            if other is None or other.stop or other.date or other.phrase or not other.alternatives:
                continue
            if any(a.how == "exact" for a in other.alternatives):
                continue  # a word the base knows: the name rule of parse_query has read it
            best = min(other.alternatives, key=lambda a: _alternative_order(index, a))
            if len(best.terms) == 1 and pair.format(stop=q.folded, term=best.terms[0]) in index.name_pairs:
                q.stop = False
                found = True
    return found


def _alternatives(index: Index, q: QueryWord, last: bool) -> list[Alternative]:
    key = q.folded
    if q.date:  # a date matches the dates of facts, and nothing else
        return [Alternative((key,), 0, "date")] if index.has_term(key) else []
    if q.phrase:  # the phrase's words side by side (its term), its synonyms, or its words apart
        alts = [Alternative((key,), 0, "exact")] if index.has_term(key) else []
        alts += [
            Alternative((term,), SYNONYM_COST, "synonym")
            for term in index.synonyms.get(key, ())
            if index.has_term(term)
        ]
        if all(index.has_term(t) for t in q.phrase):
            alts.append(Alternative(q.phrase, 0, "split"))
        return alts
    alts: list[Alternative] = []
    present = index.has_term(key)
    if present:
        alts.append(Alternative((key,), 0, "exact"))
    # A synonym that is a phrase ('khach du lich') is one term, found where its words stand together.
    alts += [
        Alternative((term,), SYNONYM_COST, "synonym")
        for term in index.synonyms.get(key, ())
        if index.has_term(term)
    ]
    if last and len(key) >= 2 and not key[0].isdigit():
        alts += [Alternative((t,), 0, "prefix") for t in index.prefixed(key) if t != key]
    if not present:
        budget = typo_budget(fold(q.text))
        if not budget and len(key) == 3 and key.isalpha():
            # Three letters get no typo, but two of them swapped are one: 'GPD' is 'GDP' (an
            # acronym typed fast), and a swap leaves only two candidates to try.
            swaps = dict.fromkeys((key[1] + key[0] + key[2], key[0] + key[2] + key[1]))
            alts += _names_first(
                index, [Alternative((t,), 1, "typo") for t in swaps if t != key and index.has_term(t)]
            )
        if budget:
            from rapidfuzz import process  # only a word the index does not know pays for this
            from rapidfuzz.distance import OSA

            n = len(key)
            same_start = index.typo_pool(n - budget, n + budget, key[0])
            typos = [
                Alternative((term,), int(d), "typo")
                for term, d, _ in process.extract(
                    key, same_start, scorer=OSA.distance, score_cutoff=budget, limit=None
                )
            ]
            if budget >= 2:  # as Meilisearch counts it, a typo on the first letter costs two
                for term, d, _ in process.extract(
                    key, index.typo_pool(n - 1, n + 1), scorer=OSA.distance, score_cutoff=1, limit=None
                ):
                    if term[0] != key[0]:
                        typos.append(Alternative((term,), int(d) + 1, "typo"))
            alts += _names_first(index, typos)
        alts += _splits(index, key, fold(q.text))
    return alts


def _splits(index: Index, key: str, plain: str) -> list[Alternative]:
    """'vietnam' also finds 'viet nam', 'masterplans' 'master plans' and 'oilgas' 'oil and gas':
    two known words, each stemmed as a word of its own ('gas' is no plural of 'ga', as the
    stem of the whole word 'oilga' would have it), split where the stemmed whole word splits too."""
    found: dict[tuple[str, str], None] = {}
    for word, stemmed in ((key, False), (plain, True)):
        if len(word) < 4 or not word.isalpha():
            continue
        for i in range(2, len(word) - 1):
            left, right = word[:i], word[i:]
            if stemmed:
                left, right = folded_key(left), folded_key(right)
            if index.has_term(left) and index.has_term(right):
                found[(left, right)] = None
    return [Alternative(pair, 0, "split") for pair in found]


def _add_joined(index: Index, live: list[QueryWord]) -> None:
    """'viet nam' also finds 'vietnam', and 'master plans' 'masterplan': the joined pair (stemmed as
    one word) is one more way to match both words."""
    for a, b in zip(live, live[1:]):
        if a.date or b.date or a.phrase or b.phrase:
            continue
        for joined in dict.fromkeys(
            (folded_key(a.folded + b.folded), folded_key(fold(a.text) + fold(b.text)))
        ):
            if index.has_term(joined):
                a.alternatives.append(Alternative((joined,), 0, "joined"))
                b.alternatives.append(Alternative((joined,), 0, "joined"))


def _join_phrases(index: Index, out: list[QueryWord]) -> list[QueryWord]:
    """A phrase of the synonym table typed in a query ('xuất khẩu', 'khach du lich', 'gross
    domestic product') is one word of it, the longest first: a Vietnamese word is often written
    as two syllables, and 'xuất khẩu' (export) is not 'xuất nhập khẩu' (trade). It matches where
    its words stand together, by its synonyms, or, as a split word, where its words stand apart."""
    span = index.synonym_span
    if span < 2:
        return out
    joined: list[QueryWord] = []
    i = 0
    while i < len(out):
        for end in range(min(len(out), i + span), i + 1, -1):
            run = out[i:end]
            entry = " ".join(q.folded for q in run)
            if not any(q.date for q in run) and entry in index.synonyms:
                joined.append(
                    QueryWord(
                        text=" ".join(q.text for q in run),
                        folded=entry,
                        exact=None,
                        phrase=tuple(q.folded for q in run),
                    )
                )
                i = end
                break
        else:
            joined.append(out[i])
            i += 1
    return joined


# --- matching -------------------------------------------------------------------------------------------


class _Match:
    """The best way one query word matches one document (merged in place as fields are found)."""

    __slots__ = ("term", "typos", "how", "bits", "tf")

    def __init__(self, term: str, typos: int, how: str, bits: int, tf: float) -> None:
        self.term, self.typos, self.how, self.bits, self.tf = term, typos, how, bits, tf


_HOW_RANK = {
    "exact": 0,
    "date": 1,
    "synonym": 2,
    "joined": 3,
    "split": 4,
    "prefix": 5,
    "typo": 6,
}  # under 8: see _preselect


class _MaskSet:
    """A doc set over a large index as a numpy boolean mask: the same `in`, `len` and `&` as a set."""

    __slots__ = ("mask", "_count")

    def __init__(self, mask) -> None:
        self.mask = mask
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = int(self.mask.sum())
        return self._count

    def __bool__(self) -> bool:
        return len(self) > 0

    def __contains__(self, doc: int) -> bool:
        return bool(self.mask[doc])

    def __and__(self, other: _MaskSet) -> _MaskSet:
        return _MaskSet(self.mask & other.mask)


class _AnyOf:
    """Membership in any of some sorted doc arrays, by bisection: when a query asks about twenty
    docs, a set of 50,000 would cost more than the whole search."""

    __slots__ = ("parts",)

    def __init__(self, parts) -> None:
        self.parts = [_Sorted(part) for part in parts if len(part)]

    def __contains__(self, doc: int) -> bool:
        return any(doc in part for part in self.parts)

    def __and__(self, other: _AnyOf) -> _AllOf:
        return _AllOf((self, other))


class _AllOf:
    __slots__ = ("parts",)

    def __init__(self, parts) -> None:
        self.parts = parts

    def __contains__(self, doc: int) -> bool:
        return all(doc in part for part in self.parts)

    def __and__(self, other) -> _AllOf:
        return _AllOf((self, other))


class _Postings:
    """Per-query cache of what each term matches: a doc set, and per-doc field bits and tf on demand.

    Sparse when only a few known docs will be asked about (after pruned top-k): doc sets are
    then memberships by bisection, never built."""

    def __init__(self, index: Index, sparse: bool = False) -> None:
        self.index = index
        self.sparse = sparse
        self._sets: dict[str | tuple[str, ...], set[int]] = {}
        self._names: dict[str, set[int]] = {}
        self._details: dict[str, dict[int, int]] = {}
        self._entries: dict[str, tuple | None] = {}
        self.np = None
        if (
            len(index) >= LARGE and not sparse
        ):  # a set of 80,000 ints costs milliseconds to build; a mask, microseconds
            import numpy

            self.np = numpy

    def entry(self, term: str) -> tuple | None:
        """A term's posting arrays, checked once per query."""
        if term not in self._entries:
            self._entries[term] = self.index.postings(term)
        return self._entries[term]

    def docs(self, term: str) -> set[int] | _MaskSet:
        found = self._sets.get(term)
        if found is None:
            entry = self.entry(term)
            if self.sparse:
                found = _AnyOf([entry[0] if entry is not None else (), *self._name_parts(term)])
            elif self.np is not None:
                mask = self.names(term).mask.copy()
                if entry is not None:
                    mask[self.np.frombuffer(entry[0], dtype=self.np.uint32)] = True
                found = _MaskSet(mask)
            else:
                found = set(entry[0]) if entry is not None else set()
                found |= self.names(term)
            self._sets[term] = found
        return found

    def _packed(self, term: str) -> dict[int, int]:
        found = self._details.get(term)
        if found is None:
            entry = self.entry(term)
            found = self._details[term] = dict(zip(*entry)) if entry is not None else {}
        return found

    def names(self, term: str) -> set[int] | _MaskSet:
        found = self._names.get(term)
        if found is None:
            parts = self._name_parts(term)
            if self.sparse:
                found = _AnyOf(parts)
            elif self.np is not None:
                mask = self.np.zeros(len(self.index), dtype=bool)
                for part in parts:
                    if len(part):
                        mask[self.np.frombuffer(part, dtype=self.np.uint32)] = True
                found = _MaskSet(mask)
            else:
                found = set().union(*parts)
            self._names[term] = found
        return found

    def _name_parts(self, term: str) -> list:
        return [self.index.ref_docs(kind, ident) for kind, ident in self.index.names.get(term, ())]

    def empty(self) -> set[int] | _MaskSet:
        return set() if self.np is None else _MaskSet(self.np.zeros(len(self.index), dtype=bool))

    def union(self, parts: list) -> set[int] | _MaskSet:
        if not parts:
            return self.empty()
        if len(parts) == 1:
            return parts[0]
        if self.np is None:
            return set().union(*parts)
        mask = parts[0].mask.copy()
        for part in parts[1:]:
            mask |= part.mask
        return _MaskSet(mask)

    def as_docs(self, docs: set[int]) -> set[int] | _MaskSet:
        """A set of docs in this query's representation (a mask for a large index)."""
        if self.np is None:
            return docs
        mask = self.np.zeros(len(self.index), dtype=bool)
        mask[list(docs)] = True
        return _MaskSet(mask)

    def detail(self, term: str, doc: int) -> tuple[int, float]:
        """(field bits, weighted tf) of `term` in `doc`."""
        bits, tf = 0, 0.0
        lookup = self._details.get(term)  # a dict if one was built for the tight loop, else the arrays
        if lookup is None:
            lookup = self.entry(term) or {}
        packed = _packed_of(lookup, doc)
        if packed is not None:
            bits, tf = packed & 0b11111, (packed >> 5) / 10
        if doc in self.names(term):
            bits |= ENTITY
            tf = max(tf, 1.0)
        return bits, tf


def _alt_docs(p: _Postings, alt: Alternative) -> set[int]:
    """The docs holding every term of an alternative."""
    if len(alt.terms) == 1:
        return p.docs(alt.terms[0])
    found = p._sets.get(alt.terms)  # keyed by the tuple: a phrase term 'viet nam' is another thing
    if found is None:
        found = p.docs(alt.terms[0])
        for term in alt.terms[1:]:
            found = found & p.docs(term)
        p._sets[alt.terms] = found
    return found


def _all_terms(bits: list[int], tfs: list[float]) -> tuple[int, float]:
    """The field bits and tf of an alternative of several terms (a split word, a phrase) in a doc:
    the fields every term is in (else the first term's), and the smallest tf. One rule for the
    loop, --explain and (in arrays) the numpy preselection."""
    common = bits[0]
    for b in bits[1:]:
        common &= b
    return common or bits[0], min(tfs)


def _best_match(p: _Postings, q: QueryWord, doc: int) -> _Match:
    """The best alternative of a word in a doc, in the order of the tiers it counts in: fewest
    typos, then the best field, then the most exact kind ('partners' is the 'partnerships' of a
    fact's text sooner than the 'partner' of its metric). Alternatives as good merge their
    fields and take the larger tf. The loop of _rank_level and _preselect apply the same rule."""
    best: _Match | None = None
    rank = (9, 9, 9)
    for alt in q.alternatives:  # sorted by typos, then kind, by parse_query
        how = _HOW_RANK[alt.how]
        if best is not None and (alt.typos > rank[0] or (rank[1] == 0 and how > rank[2])):
            break  # nothing later can be better
        if doc not in _alt_docs(p, alt):
            continue
        details = [p.detail(t, doc) for t in alt.terms]
        bits, tf = (
            details[0] if len(details) == 1 else _all_terms([d[0] for d in details], [d[1] for d in details])
        )
        here = (alt.typos, _tier(bits), how)
        if best is None or here < rank:
            best, rank = _Match(" ".join(alt.terms), alt.typos, alt.how, bits, tf), here
        elif here == rank:
            best.bits |= bits
            best.tf = max(best.tf, tf)
    assert best is not None
    return best


def _tier(bits: int) -> int:
    return min(FIELD_TIER[b] for b in FIELD_NAMES if bits & b) if bits else 4


# --- the search ----------------------------------------------------------------------------------------


def search(index: Index, query: str, filters: Filters = Filters(), limit: int = 10) -> Result:
    """Rank the facts for `query`: see the module docstring for the order.

    Raises QueryError when the query has no word or number to search for."""
    query, total = head(strip_invisible(query), MAX_WORDS)
    if total == 0:
        raise QueryError(
            f"nothing to search for in {query.strip()[:40]!r}", "a query needs a word or a number"
        )
    ignored = max(0, total - MAX_WORDS)
    allowed = allowed_docs(index, filters)
    parsed = parse_query(index, query)
    stop_only = all(q.function_word for q in parsed)
    qwords = [q for q in parsed if not q.stop]
    if not qwords or limit <= 0:
        return Result((), tuple(q.text for q in qwords), (), ignored, stop_only)
    if allowed is None and len(index) >= PRUNE_FROM:
        pruned = _pruned(index, qwords, limit)
        if pruned is not None:
            return Result(pruned, tuple(q.text for q in qwords), (), ignored, stop_only)
    p = _Postings(index)
    allowed_set = p.as_docs(allowed) if allowed is not None else None
    # One doc set a word (shared with _Postings: never modified in place).
    word_docs = [p.union([_alt_docs(p, alt) for alt in q.alternatives]) for q in qwords]
    if allowed_set is not None:
        word_docs = [docs & allowed_set for docs in word_docs]
    order = _word_order(word_docs)
    hits: list[Hit] = []
    dropped_overall: tuple[str, ...] = ()
    for mask, docs in _levels(p, word_docs, order):
        if not len(docs):
            continue
        keep = [i for i in range(len(qwords)) if mask >> i & 1]
        names = tuple(qwords[i].text for i in order if not mask >> i & 1)
        if not hits:
            dropped_overall = names
        idf = [index.idf(len(word_docs[i])) for i in keep]
        for hit in _rank_level(index, p, qwords, idf, keep, docs, limit - len(hits)):
            hits.append(_with_dropped(hit, names))
        if len(hits) >= limit:
            break
    return Result(tuple(hits[:limit]), tuple(q.text for q in qwords), dropped_overall, ignored, stop_only)


# --- the words tier: which words a fact matches ----------------------------------------------------------


def _word_order(word_docs: list) -> list[int]:
    """The query words, least informative first: a word matching nothing, then the word most
    facts contain (then the later word)."""
    return sorted(range(len(word_docs)), key=lambda i: (0 if not word_docs[i] else 1, -len(word_docs[i]), -i))


def _level_key(mask: int, order: list[int]) -> tuple[int, int]:
    """The words tier, written once: where the facts matching exactly the query words in `mask`
    (bit i for word i) rank. More words first; among as many words, the facts that kept the most
    informative ones: the rarest word outweighs every commoner one together, so a fact never
    ranks above another for matching a common word the other lacks while lacking a rarer one
    the other has. That is Meilisearch's `frequency` matching strategy (drop the most frequent
    words first) for the facts missing a word, extended to every fact that matches some: where
    it stops at the last word standing ('GDP' of 'ASEAN population and GDP'), the facts matching
    other words as many ('ASEAN population') follow, before those matching fewer."""
    weight = 0
    for rank, i in enumerate(order):
        if mask >> i & 1:
            weight |= 1 << rank
    return (-bin(mask).count("1"), -weight)


def _levels(p: _Postings, word_docs: list, order: list[int]):
    """(words, docs) in the order of the words tier: first the docs matching every word, then
    (computed only when those do not fill the results) the others, grouped by the words they
    match. Every doc is in one group: the exact set of words it matches."""
    everything = (1 << len(word_docs)) - 1
    yield everything, _intersect(p, word_docs, set())
    groups = _by_words(p, word_docs)
    groups.pop(everything, None)
    for mask in sorted(groups, key=lambda m: _level_key(m, order)):
        yield mask, groups[mask]


def _by_words(p: _Postings, word_docs: list) -> dict:
    """The docs matching some query word, grouped by exactly which words they match (bit i for
    word i): sets split word by word for a small index, one code a doc for a mask's numpy."""
    if p.np is not None:
        np = p.np
        codes = np.zeros(len(p.index), dtype=np.int64)
        for i, docs in enumerate(word_docs):
            codes[docs.mask] |= 1 << i
        matched = codes.nonzero()[0]
        found = codes[matched]
        return {int(mask): matched[found == mask] for mask in np.unique(found)}
    parts: dict[int, set[int]] = {0: set().union(*word_docs)}
    for i, docs in enumerate(word_docs):
        bit = 1 << i
        split: dict[int, set[int]] = {}
        for mask, part in parts.items():
            inside = part & docs
            if inside:
                split[mask | bit] = inside
                part = part - inside
            if part:
                split[mask] = part
        parts = split
    parts.pop(0, None)
    return parts


def _pruned(index: Index, qwords: list[QueryWord], limit: int) -> tuple[Hit, ...] | None:
    """The hits by pruned top-k (topk.py), which needs neither numpy nor a set of every
    candidate; None when the query's shape or the base does not allow it.

    The shape: each word's best alternatives are single terms, and a doc matching only a
    later alternative (which may need several terms: a split word) ranks below one
    matching a best one (more typos, or an exact word missed)."""
    from dipfacts.search.topk import Group, best

    groups = []
    for q in qwords:
        alts = q.alternatives
        if not alts:
            return None
        first = (alts[0].typos, _HOW_RANK[alts[0].how])
        group = [a for a in alts if (a.typos, _HOW_RANK[a.how]) == first]
        if any(len(a.terms) != 1 for a in group):
            return None
        if alts[0].how != "exact" and any(a.typos == alts[0].typos for a in alts[len(group) :]):
            return None
        exact = q.exact if alts[0].how == "exact" else None
        groups.append(Group(tuple(a.terms[0] for a in group), exact, tuple(a.terms for a in alts)))
    found = best(index, groups, _rerank(limit))
    if found is None:
        return None
    top, idf = found
    p = _Postings(index, sparse=True)
    return tuple(_rank_level(index, p, qwords, idf, list(range(len(qwords))), set(top), limit))


def _intersect(p: _Postings, parts: list, excluded: set[int]):
    """The docs in every part and not yet shown: a set, or for a large index a numpy array."""
    if p.np is None:
        return set.intersection(*parts) - excluded
    mask = parts[0].mask.copy()
    for part in parts[1:]:
        mask &= part.mask
    if excluded:
        mask[list(excluded)] = False
    return mask.nonzero()[0]


def _with_dropped(hit: Hit, dropped: tuple[str, ...]) -> Hit:
    return Hit(
        hit.doc, hit.id, hit.score, hit.matches, dropped, hit.typos, hit.proximity, hit.field, hit.exactness
    )


def _resolver(p: _Postings, q: QueryWord, candidates: int) -> list[tuple]:
    """A word's alternatives, best first, with what a doc lookup needs: the fast path of _best_match.

    A term's tf and field bits are looked up in a dict when many candidates will ask, and by
    bisection in its posting arrays when few will (building a dict of 50,000 entries for ten
    lookups is the slow part of a long query on a large base)."""
    out = []
    for alt in q.alternatives:
        tables = []
        for t in alt.terms:
            entry = p.entry(t)
            if entry is None:
                lookup: object = {}
            elif candidates * 16 < len(entry[0]):
                lookup = entry
            else:
                lookup = p._packed(t)
            tables.append((lookup, p.names(t)))
        out.append(((alt.typos, _HOW_RANK[alt.how]), _alt_docs(p, alt), tables))
    return out


def _packed_of(lookup, d: int) -> int | None:
    if type(lookup) is dict:
        return lookup.get(d)
    docs, packed = lookup
    i = bisect.bisect_left(docs, d)
    return packed[i] if i < len(docs) and docs[i] == d else None


_TIER_OF_BITS = [_tier(b) for b in range(32)]


def _rank_level(
    index: Index,
    p: _Postings,
    qwords: list[QueryWord],
    idf: list[float],
    keep: list[int],
    docs: set[int],
    limit: int,
) -> list[Hit]:
    """Order the docs matching the same words (`keep`, each with its idf). The cheap tiers and BM25
    are computed for every candidate in one tight loop; proximity, which needs the words'
    positions, only for the best."""
    # With numpy loaded already (a large index), any cut pays; otherwise only a big one pays its import.
    if len(docs) > max(RERANK if p.np is not None else VECTOR_FROM, RERANK, limit):
        top = _preselect(index, p, qwords, keep, docs, idf, _rerank(limit))
        if top is not None:
            docs = top
    if not isinstance(docs, set):
        docs = set(docs.tolist())  # a numpy array of candidates from a large index
    resolvers = [_resolver(p, qwords[i], len(docs)) for i in keep]
    exact_sets = [
        None if qwords[i].exact is None else _exact_set(index, qwords[i].exact, len(docs)) for i in keep
    ]
    tier_of, doclen, kinds, avgdl = _TIER_OF_BITS, index.doclen, index.kinds, index.avgdl
    exact_rank = _HOW_RANK["exact"]
    rows = []
    for d in docs:
        typos = field_sum = exactness = 0
        score = 0.0
        norm = K1 * (1 - B + B * doclen[d] / avgdl)  # index.bm25_norm, inline in this hot loop
        for w, alts in enumerate(resolvers):
            best = None  # (typos, kind) of the best alternative, with its tier: the rule of _best_match
            bits = 0
            tf = 0.0
            tier = 9
            for key, docset, tables in alts:
                if best is not None and (key[0] > best[0] or (tier == 0 and key[1] > best[1])):
                    break
                if d not in docset:
                    continue
                (packed, names), *rest = tables
                pk = packed.get(d) if type(packed) is dict else _packed_of(packed, d)
                b = pk & 31 if pk is not None else 0
                t = (pk >> 5) / 10 if pk is not None else 0.0
                if d in names:
                    b |= ENTITY
                    t = max(t, 1.0)
                if rest:  # a split word or a phrase: every term is there
                    bs, ts = [b], [t]
                    for packed2, names2 in rest:
                        pk2 = _packed_of(packed2, d)
                        b2 = pk2 & 31 if pk2 is not None else 0
                        t2 = (pk2 >> 5) / 10 if pk2 is not None else 0.0
                        if d in names2:
                            b2 |= ENTITY
                            t2 = max(t2, 1.0)
                        bs.append(b2)
                        ts.append(t2)
                    b, t = _all_terms(bs, ts)
                tr = tier_of[b]
                if best is None or (key[0], tr, key[1]) < (best[0], tier, best[1]):
                    best, bits, tf, tier = key, b, t, tr
                elif (key[0], tr, key[1]) == (best[0], tier, best[1]):
                    bits |= b
                    tf = max(tf, t)
            typos += best[0]
            field_sum += tier
            if best[1] == exact_rank and (exact_sets[w] is None or d in exact_sets[w]):
                exactness += 1
            score += idf[w] * tf * (K1 + 1) / (tf + norm)
        rows.append(
            ((typos, field_sum, -exactness, SUBSTANCE[kinds[d]], -score, d), d, score, exactness)
        )  # docs are in id order
    rows.sort(key=lambda r: r[0])
    final = []
    for (typos, field_sum, _, substance, _, _), d, score, exactness in rows[: _rerank(limit)]:
        matches = [_best_match(p, qwords[i], d) for i in keep]
        proximity = _proximity(index, d, matches) if len(keep) > 1 else 0
        final.append(((typos, proximity, field_sum, -exactness, substance, -score, d), d, score, matches))
    final.sort(key=lambda row: row[0])
    hits = []
    for (typos, proximity, field_sum, neg_exact, _, _, _), d, score, matches in final[:limit]:
        word_matches = tuple(
            WordMatch(
                word=qwords[i].text,
                term=m.term,
                typos=m.typos,
                how=m.how,
                fields=tuple(name for bit, name in FIELD_NAMES.items() if m.bits & bit),
                exact=m.how == "exact" and (exact_sets[w] is None or d in exact_sets[w]),
            )
            for w, (i, m) in enumerate(zip(keep, matches))
        )
        hits.append(Hit(d, index.id_of(d), score, word_matches, (), typos, proximity, field_sum, -neg_exact))
    return hits


def _preselect(
    index: Index, p: _Postings, qwords: list[QueryWord], keep: list[int], docs, idf: list[float], k: int
) -> set[int] | None:
    """The k best docs by the cheap tiers and BM25, computed over arrays: the same rule as the
    loop in _rank_level, written for numpy so a query on 100,000 facts stays fast. The loop then
    ranks just these k exactly."""
    import numpy as np

    if isinstance(docs, set):
        cand = np.fromiter(docs, dtype=np.int64, count=len(docs))
        cand.sort()
    else:
        cand = docs.astype(np.int64)  # already sorted
    n = len(cand)
    norm = K1 * (
        1 - B + B * np.frombuffer(index.doclen, dtype=np.float32)[cand].astype(np.float64) / index.avgdl
    )
    tier_of = np.array(_TIER_OF_BITS, dtype=np.int64)
    typos = np.zeros(n, np.int64)
    field_sum = np.zeros(n, np.int64)
    exactness = np.zeros(n, np.int64)
    score = np.zeros(n, np.float64)

    def lookup(sorted_docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.searchsorted(sorted_docs, cand)
        inside = at < len(sorted_docs)
        hit = np.zeros(n, bool)
        hit[inside] = sorted_docs[at[inside]] == cand[inside]
        return hit, at

    def term_arrays(term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each candidate's field bits and tf for one term, and whether it holds the term at all."""
        b = np.zeros(n, np.int64)
        t = np.zeros(n, np.float64)
        present = np.zeros(n, bool)
        entry = p.entry(term)
        if entry is not None:
            pd = np.frombuffer(entry[0], dtype=np.uint32)
            pp = np.frombuffer(entry[1], dtype=np.uint32).astype(np.int64)
            hit, at = lookup(pd)
            b[hit] = pp[at[hit]] & 31
            t[hit] = (pp[at[hit]] >> 5) / 10
            present |= hit
        for kind, ident in index.names.get(term, ()):
            named = index.ref_docs(kind, ident)
            if named:
                hit, _ = lookup(np.frombuffer(named, dtype=np.uint32))
                b[hit] |= ENTITY
                t[hit] = np.maximum(t[hit], 1.0)
                present |= hit
        return b, t, present

    for w, i in enumerate(keep):
        q = qwords[i]
        best = np.full(n, 1 << 30, np.int64)
        bits = np.zeros(n, np.int64)
        tf = np.zeros(n, np.float64)
        tier = np.full(n, 9, np.int64)
        for alt in q.alternatives:
            b, t, present = term_arrays(alt.terms[0])
            if (
                len(alt.terms) > 1
            ):  # every term, as _all_terms: the fields all share (else the first's), the least tf
                common = b.copy()
                for term in alt.terms[1:]:
                    b2, t2, present2 = term_arrays(term)
                    common &= b2
                    t = np.minimum(t, t2)
                    present &= present2
                b = np.where(common != 0, common, b)
            tr = tier_of[b]
            key = (
                alt.typos * 64 + tr * 8 + _HOW_RANK[alt.how]
            )  # typos, then field tier, then kind: _best_match's order
            better = present & (key < best)
            same = present & (key == best)
            bits[same] |= b[same]
            tf[same] = np.maximum(tf[same], t[same])
            best[better], bits[better], tf[better], tier[better] = (
                key[better],
                b[better],
                t[better],
                tr[better],
            )
        typos += best >> 6
        field_sum += tier
        is_exact = (best & 7) == _HOW_RANK["exact"]
        if q.exact is not None:
            exact_docs = index.exact_docs_of(q.exact)
            if exact_docs is not None:
                is_exact &= lookup(np.frombuffer(exact_docs, dtype=np.uint32))[0]
        exactness += is_exact
        score += idf[w] * tf * (K1 + 1) / (tf + norm)
    substance = np.array([SUBSTANCE[c] for c in range(len(KINDS))])[
        np.frombuffer(index.kinds, dtype=np.uint8)[cand]
    ]
    order = np.lexsort((cand, -score, substance, -exactness, field_sum, typos))
    return {int(d) for d in cand[order[:k]]}


class _Sorted:
    """Membership in a sorted array by bisection: cheaper than a set when few docs ask."""

    __slots__ = ("items",)

    def __init__(self, items) -> None:
        self.items = items

    def __contains__(self, doc: int) -> bool:
        at = bisect.bisect_left(self.items, doc)
        return at < len(self.items) and self.items[at] == doc


def _exact_set(index: Index, key: str, asking: int) -> set[int] | _Sorted | None:
    """Docs holding the exact key; None when the key has nothing to distinguish (any match is exact)."""
    docs = index.exact_docs_of(key)
    if docs is None:
        return None
    return _Sorted(docs) if asking * 16 < len(docs) else set(docs)


def _closest(a: list[int], b: list[int]) -> int:
    """The cost of the closest pair between two sorted lists of positions (a word, and the query
    word before it), in one merge: by distance (_gap_cost), and one more when the word stands
    before the one typed before it ('Kazakhstan exports' read in 'exports to Kazakhstan'), as
    Meilisearch counts a pair in reverse order."""
    i = j = 0
    best = PROXIMITY_CAP
    while i < len(a) and j < len(b):
        gap = a[i] - b[j]
        cost = _gap_cost(gap) if gap >= 0 else _gap_cost(-gap) + 1
        if cost < best:
            best = cost
        if gap < 0:
            i += 1
        else:
            j += 1
    return best


def _gap_cost(gap: int) -> int:
    """Words within a short clause of each other (up to 5 apart) count as together; then by distance."""
    return 0 if gap <= 5 else min(gap - 5, PROXIMITY_CAP)


def _positions(words: list[str], wanted: set[str]) -> dict[str, list[int]]:
    """Where each wanted term occurs. list.count and list.index scan in C: far cheaper than
    a Python loop over every word, since a query has few terms and a text many words."""
    positions: dict[str, list[int]] = {}
    for term in wanted:
        n = words.count(term)
        at = -1
        for _ in range(n):
            at = words.index(term, at + 1)
            positions.setdefault(term, []).append(at)
    return positions


def _proximity(index: Index, doc: int, matches: list[_Match]) -> int:
    """The smallest spread of the matched words within one text (English or Vietnamese).

    Words that all belong to one name of an entity the fact is about ('Hoa Kỳ' for
    the United States) are together by definition, and so are words that all stand in the
    fact's id, the title of a few words its curator gave it ('vn-kz/visit/2012-truong-tan-
    sang-to-kazakhstan'). A date or a year that the fact's date matches stands with every
    other word: the date is the whole fact's, not one word's.
    """
    matches = [m for m in matches if not _dated(index, doc, m)]
    if len(matches) < 2:
        return 0
    if all(m.bits & ENTITY for m in matches):
        common = set.intersection(*(set(index.names.get(t, ())) for m in matches for t in m.term.split(" ")))
        if any(doc in _Sorted(index.ref_docs(kind, ident)) for kind, ident in common):
            return 0
    if all(m.bits & META for m in matches):
        title = _id_words(index.id_of(doc))
        if all(t in title for m in matches for t in m.term.split(" ")):
            return 0
    best = PROXIMITY_CAP * (len(matches) - 1)
    wanted = {t for m in matches for t in m.term.split(" ")}
    for sequence in index.sequences(doc):
        positions = _positions(sequence.split(" "), wanted)
        total = 0
        previous: list[int] | None = None
        for m in matches:
            here = sorted(at for t in m.term.split(" ") for at in positions.get(t, ()))
            if not here:
                total += PROXIMITY_CAP
                previous = None
                continue
            if previous:
                total += _closest(here, previous)
            previous = here
        best = min(best, total)
    return best


def _dated(index: Index, doc: int, m: _Match) -> bool:
    """Whether a word was matched by the fact's date: a date typed (1992-06-29), or a year the
    fact's date lies in (and lists among its years, see index._meta_text)."""
    if m.how == "date":
        return True
    if not (len(m.term) == 4 and m.term.isdigit() and m.bits & META):
        return False
    lo, hi = index.date_lo[doc], index.date_hi[doc]
    if lo == OPEN_LO or hi == OPEN_HI:
        return False
    first, last = lo // 10_000, hi // 10_000
    return first <= int(m.term) <= last and last - first <= 10


@functools.lru_cache(maxsize=4096)
def _id_words(fid: str) -> frozenset[str]:
    """A fact id's folded words, as the index reads them (see index._meta_text)."""
    return frozenset(w.folded for w in words(fid.replace("/", " ").replace("-", " ")))


def matched_terms(hit: Hit) -> set[str]:
    """The folded terms to highlight in a hit's text."""
    return {t for m in hit.matches for t in m.term.split(" ")}
