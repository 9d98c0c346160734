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

The tiers after the first, BM25 and the way a word's best match is chosen are
specified once, in spec.py (SortKey, WordKey, score); which way a query is
ranked (a loop, numpy arrays, pruned top-k) is chosen in paths.py.
"""

from __future__ import annotations

import bisect
import functools
import re
from array import array
from collections.abc import Iterator, Sequence
from itertools import pairwise, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeAlias, TypeVar

from dipfacts.base.errors import QueryError
from dipfacts.base.normalize import fold, folded_key, head, nfc, stop_by_keys, strip_invisible, tokens, words
from dipfacts.search import paths
from dipfacts.search.filters import Filters, allowed_docs
from dipfacts.search.index import OPEN_HI, OPEN_LO, Index, date_key
from dipfacts.search.spec import (
    ENTITY,
    FIELD_BITS,
    FIELD_MASK,
    FIELD_NAMES,
    FIELD_STEP,
    K1,
    META,
    NO_FIELD,
    NO_MATCH,
    SUBSTANCE,
    TF_SCALE,
    TIER_OF_BITS,
    B,
    MatchKind,
    SortKey,
    WordKey,
    field_bits,
    length_norm,
    lexsort_keys,
    score,
    tf_of,
    unpack,
    word_part,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

PROXIMITY_CAP = 8
# A synonym costs what a typo costs (the typos tier): a fact in the user's own words answers before
# one in other words, whatever their proximity or field. Ranked only as less exact (the exactness
# tier, after proximity and field), 'established' found an anniversary fact's 'establishment'
# before the fact that says 'established', and 'Mỹ đầu tư' more investment facts than it should.
SYNONYM_COST = 1


def typo_budget(word: str) -> int:
    """One typo from 4 letters, two from 8 — a little more generous than Meilisearch's 5 and 9,
    so 'trde' finds 'trade'; none in numbers. Only used when the word itself is unknown.
    As in Meilisearch, a typo on the first letter costs two: candidates share the first
    letter, which keeps the comparison to a few thousand terms at 100,000 facts."""
    if not word.isalpha():
        return 0
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Alternative(NamedTuple):
    """One way a query word can match: terms a doc must all hold, with how far they are from what
    was typed: one term (a phrase of the synonym table is one: 'du khach'), or two for a split
    word (viet nam for vietnam)."""

    terms: tuple[str, ...]
    typos: int
    how: MatchKind

    def bound(self) -> int:
        """The code of the most it can count for in a doc: WordKey.best_possible's."""
        return _bound(self.typos, self.how)


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
    how: MatchKind
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
                    "how": m.how.value,
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
_NO_FILTERS = Filters()


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
    for a, b in pairwise(out):  # "to lam": a stop word inside a name is part of the name
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


def _alternative_order(index: Index, a: Alternative) -> tuple[int, int, tuple[str, ...]]:
    """By what it can count for (fewest typos, then the most exact kind: the order in which a
    word's best match in a doc is looked for, see _best_match); then, among typos as costly, a
    word of a name the base knows (a person's or a place's name or alias) before a common word:
    that reading is the word's best, the one the name rule of parse_query and --explain take
    ('To Lamm')."""
    return (a.bound(), 0 if all(index.is_proper_word(t) for t in a.terms) else 1, a.terms)


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


def _date_word(m: re.Match[str]) -> str | None:
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
    for w, typed in zip(words(text), tokens(text), strict=False):
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
            if any(a.how is MatchKind.EXACT for a in other.alternatives):
                continue  # a word the base knows: the name rule of parse_query has read it
            best = min(other.alternatives, key=lambda a: _alternative_order(index, a))
            if len(best.terms) == 1 and pair.format(stop=q.folded, term=best.terms[0]) in index.name_pairs:
                q.stop = False
                found = True
    return found


def _alternatives(index: Index, q: QueryWord, last: bool) -> list[Alternative]:
    key = q.folded
    if q.date:  # a date matches the dates of facts, and nothing else
        return [Alternative((key,), 0, MatchKind.DATE)] if index.has_term(key) else []
    if q.phrase:  # the phrase's words side by side (its term), its synonyms, or its words apart
        alts: list[Alternative] = [Alternative((key,), 0, MatchKind.EXACT)] if index.has_term(key) else []
        alts += [
            Alternative((term,), SYNONYM_COST, MatchKind.SYNONYM)
            for term in index.synonyms.get(key, ())
            if index.has_term(term)
        ]
        if all(index.has_term(t) for t in q.phrase):
            alts.append(Alternative(q.phrase, 0, MatchKind.SPLIT))
        return alts
    alts = []
    present = index.has_term(key)
    if present:
        alts.append(Alternative((key,), 0, MatchKind.EXACT))
    # A synonym that is a phrase ('khach du lich') is one term, found where its words stand together.
    alts += [
        Alternative((term,), SYNONYM_COST, MatchKind.SYNONYM)
        for term in index.synonyms.get(key, ())
        if index.has_term(term)
    ]
    if last and len(key) >= 2 and not key[0].isdigit():
        alts += [Alternative((t,), 0, MatchKind.PREFIX) for t in index.prefixed(key) if t != key]
    if not present:
        budget = typo_budget(fold(q.text))
        if not budget and len(key) == 3 and key.isalpha():
            # Three letters get no typo, but two of them swapped are one: 'GPD' is 'GDP' (an
            # acronym typed fast), and a swap leaves only two candidates to try.
            swaps = dict.fromkeys((key[1] + key[0] + key[2], key[0] + key[2] + key[1]))
            alts += _names_first(
                index, [Alternative((t,), 1, MatchKind.TYPO) for t in swaps if t != key and index.has_term(t)]
            )
        if budget:
            from rapidfuzz import process  # only a word the index does not know pays for this
            from rapidfuzz.distance import OSA

            n = len(key)
            same_start = index.typo_pool(n - budget, n + budget, key[0])
            typos = [
                Alternative((term,), int(d), MatchKind.TYPO)
                for term, d, _ in process.extract(
                    key, same_start, scorer=OSA.distance, score_cutoff=budget, limit=None
                )
            ]
            if budget >= 2:  # as Meilisearch counts it, a typo on the first letter costs two
                for term, d, _ in process.extract(
                    key, index.typo_pool(n - 1, n + 1), scorer=OSA.distance, score_cutoff=1, limit=None
                ):
                    if term[0] != key[0]:
                        typos.append(Alternative((term,), int(d) + 1, MatchKind.TYPO))
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
    return [Alternative(pair, 0, MatchKind.SPLIT) for pair in found]


def _add_joined(index: Index, live: list[QueryWord]) -> None:
    """'viet nam' also finds 'vietnam', and 'master plans' 'masterplan': the joined pair (stemmed as
    one word) is one more way to match both words."""
    for a, b in pairwise(live):
        if a.date or b.date or a.phrase or b.phrase:
            continue
        for joined in dict.fromkeys(
            (folded_key(a.folded + b.folded), folded_key(fold(a.text) + fold(b.text)))
        ):
            if index.has_term(joined):
                a.alternatives.append(Alternative((joined,), 0, MatchKind.JOINED))
                b.alternatives.append(Alternative((joined,), 0, MatchKind.JOINED))


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

    def __init__(self, term: str, typos: int, how: MatchKind, bits: int, tf: float) -> None:
        self.term, self.typos, self.how, self.bits, self.tf = term, typos, how, bits, tf


if TYPE_CHECKING:  # only annotations name it: no class to make at every import

    class Members(Protocol):
        """What a doc lookup needs of a set of docs: `doc in docs`."""

        def __contains__(self, doc: int, /) -> bool: ...


class _MaskSet:
    """A doc set over a large index as a numpy boolean mask: the same `in`, `len` and `&` as a set."""

    __slots__ = ("mask", "_count")

    def __init__(self, mask: NDArray[np.bool_]) -> None:
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


# The docs a level ranks: a set, or over a large index the numbers of its docs, ascending.
Candidates: TypeAlias = "set[int] | NDArray[np.intp]"


class _Sorted:
    """Membership in a sorted array by bisection: cheaper than a set when few docs ask."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[int]) -> None:
        self.items = items

    def __contains__(self, doc: int) -> bool:
        at = bisect.bisect_left(self.items, doc)
        return at < len(self.items) and self.items[at] == doc


class _AnyOf:
    """Membership in any of some sorted doc arrays, by bisection: when a query asks about twenty
    docs, a set of 50,000 would cost more than the whole search. A term's docs: its postings,
    and the facts of what it names."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Sequence[int]]) -> None:
        self.parts = [_Sorted(part) for part in parts if len(part)]

    def __contains__(self, doc: int) -> bool:
        return any(doc in part for part in self.parts)


class _AllOf:
    """Membership in every one of some doc sets: an alternative of several terms."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Members]) -> None:
        self.parts = parts

    def __contains__(self, doc: int) -> bool:
        return all(doc in part for part in self.parts)


# A term's (docs, packed) posting arrays for a lookup by bisection, or a dict doc -> packed.
Packed: TypeAlias = "dict[int, int] | tuple[Sequence[int], Sequence[int]]"


class _Lookups:
    """Per-query cache of what ranking asks of the postings: a term's posting arrays, its field bits
    and tf in a doc, the docs holding an alternative (`members`) and those of what a term names
    (`name_members`), to ask `doc in` of."""

    np: Any = None  # numpy, when doc sets are its masks (a large index)

    def __init__(self, index: Index) -> None:
        self.index = index
        self._details: dict[str, dict[int, int]] = {}
        self._entries: dict[str, tuple[array[int], array[int]] | None] = {}

    def entry(self, term: str) -> tuple[array[int], array[int]] | None:
        """A term's posting arrays, checked once per query."""
        if term not in self._entries:
            self._entries[term] = self.index.postings(term)
        return self._entries[term]

    def _packed(self, term: str) -> dict[int, int]:
        found = self._details.get(term)
        if found is None:
            entry = self.entry(term)
            found = self._details[term] = dict(zip(*entry, strict=True)) if entry is not None else {}
        return found

    def _name_parts(self, term: str) -> list[array[int]]:
        return [self.index.ref_docs(kind, ident) for kind, ident in self.index.names.get(term, ())]

    def members(self, alt: Alternative) -> Members:
        """The docs holding every term of an alternative."""
        raise NotImplementedError

    def name_members(self, term: str) -> Members:
        """The docs of what a term names (entities and relations whose names hold it)."""
        raise NotImplementedError

    def detail(self, term: str, doc: int) -> tuple[int, float]:
        """(field bits, weighted tf) of `term` in `doc`."""
        bits, tf = 0, 0.0
        lookup: Packed | None = self._details.get(term)  # a dict if the tight loop built one
        if lookup is None:
            lookup = self.entry(term) or {}
        packed = _packed_of(lookup, doc)
        if packed is not None:
            bits, tf = unpack(packed)
        if doc in self.name_members(term):
            bits |= ENTITY
            tf = max(tf, 1.0)
        return bits, tf


# A query's doc sets, built whole: Python sets, or over a large index numpy masks. One _Postings
# makes one kind (_SetPostings, _MaskPostings).
D = TypeVar("D", set[int], _MaskSet)


class _Postings(_Lookups, Generic[D]):
    """The postings of a query that ranks many docs: its doc sets built whole, of one kind (D),
    whose operations a subclass gives."""

    def __init__(self, index: Index) -> None:
        super().__init__(index)
        self._sets: dict[str | tuple[str, ...], D] = {}
        self._names: dict[str, D] = {}

    def docs(self, term: str) -> D:
        """The docs holding a term: in its postings, or as the name of what they are about."""
        found = self._sets.get(term)
        if found is None:
            entry = self.entry(term)
            found = self._sets[term] = self._with(self.names(term), entry[0] if entry is not None else ())
        return found

    def names(self, term: str) -> D:
        """The docs of what a term names (entities and relations whose names hold it)."""
        found = self._names.get(term)
        if found is None:
            found = self._names[term] = self._of(self._name_parts(term))
        return found

    def alt_docs(self, alt: Alternative) -> D:
        """The docs holding every term of an alternative."""
        if len(alt.terms) == 1:
            return self.docs(alt.terms[0])
        found = self._sets.get(alt.terms)  # keyed by the tuple: a phrase term 'viet nam' is another thing
        if found is None:
            found = self._sets[alt.terms] = self.intersection([self.docs(term) for term in alt.terms])
        return found

    members = alt_docs  # the built doc sets answer `in` too (an alias: no call more per lookup)
    name_members = names

    # What each kind of doc set does.

    def _of(self, parts: Sequence[Sequence[int]]) -> D:
        """The docs in any of these arrays."""
        raise NotImplementedError

    def _with(self, docs: D, more: Sequence[int]) -> D:
        """A new doc set: `docs` and the docs of an array."""
        raise NotImplementedError

    def union(self, parts: list[D]) -> D:
        raise NotImplementedError

    def intersection(self, parts: list[D]) -> D:
        raise NotImplementedError

    def as_docs(self, docs: set[int]) -> D:
        """A set of docs as this kind."""
        raise NotImplementedError

    def in_all(self, parts: list[D], excluded: set[int]) -> Candidates:
        """The docs in every part and not excluded, to rank."""
        raise NotImplementedError

    def by_words(self, word_docs: list[D]) -> dict[int, Candidates]:
        """The docs matching some query word, grouped by exactly which words they match (bit i for
        word i)."""
        raise NotImplementedError


class _SetPostings(_Postings[set[int]]):
    """Doc sets as Python sets: for a small index, where a set is quick to build."""

    def _of(self, parts: Sequence[Sequence[int]]) -> set[int]:
        return set().union(*parts)

    def _with(self, docs: set[int], more: Sequence[int]) -> set[int]:
        found = set(more)
        found |= docs
        return found

    def union(self, parts: list[set[int]]) -> set[int]:
        if len(parts) == 1:
            return parts[0]
        return set().union(*parts)

    def intersection(self, parts: list[set[int]]) -> set[int]:
        return set.intersection(*parts)

    def as_docs(self, docs: set[int]) -> set[int]:
        return docs

    def in_all(self, parts: list[set[int]], excluded: set[int]) -> Candidates:
        return set.intersection(*parts) - excluded

    def by_words(self, word_docs: list[set[int]]) -> dict[int, Candidates]:
        """Sets split word by word."""
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
        by_words: dict[int, Candidates] = dict(parts)
        return by_words


class _MaskPostings(_Postings[_MaskSet]):
    """Doc sets as numpy boolean masks over every doc: for a large index, where a set of 80,000 ints
    costs milliseconds to build, and a mask microseconds."""

    def __init__(self, index: Index) -> None:
        super().__init__(index)
        import numpy

        self.np = numpy

    def _of(self, parts: Sequence[Sequence[int]]) -> _MaskSet:
        mask = self.np.zeros(len(self.index), dtype=bool)
        for part in parts:
            if len(part):
                mask[self.np.frombuffer(part, dtype=self.np.uint32)] = True
        return _MaskSet(mask)

    def _with(self, docs: _MaskSet, more: Sequence[int]) -> _MaskSet:
        mask = docs.mask.copy()
        if len(more):
            mask[self.np.frombuffer(more, dtype=self.np.uint32)] = True
        return _MaskSet(mask)

    def union(self, parts: list[_MaskSet]) -> _MaskSet:
        if not parts:
            return _MaskSet(self.np.zeros(len(self.index), dtype=bool))
        if len(parts) == 1:
            return parts[0]
        mask = parts[0].mask.copy()
        for part in parts[1:]:
            mask |= part.mask
        return _MaskSet(mask)

    def intersection(self, parts: list[_MaskSet]) -> _MaskSet:
        mask = parts[0].mask.copy()
        for part in parts[1:]:
            mask &= part.mask
        return _MaskSet(mask)

    def as_docs(self, docs: set[int]) -> _MaskSet:
        mask = self.np.zeros(len(self.index), dtype=bool)
        mask[list(docs)] = True
        return _MaskSet(mask)

    def in_all(self, parts: list[_MaskSet], excluded: set[int]) -> Candidates:
        mask = parts[0].mask.copy()
        for part in parts[1:]:
            mask &= part.mask
        if excluded:
            mask[list(excluded)] = False
        found: NDArray[np.intp] = mask.nonzero()[0]
        return found

    def by_words(self, word_docs: list[_MaskSet]) -> dict[int, Candidates]:
        """One code a doc: the bits of the words it matches."""
        np = self.np
        codes = np.zeros(len(self.index), dtype=np.int64)
        for i, docs in enumerate(word_docs):
            codes[docs.mask] |= 1 << i
        matched = codes.nonzero()[0]
        codes = codes[matched]
        return {int(mask): matched[codes == mask] for mask in np.unique(codes)}


class _SparsePostings(_Lookups):
    """The postings of a query that asks about a few known docs only (after pruned top-k): doc sets
    are memberships by bisection in the posting arrays, never built."""

    def __init__(self, index: Index) -> None:
        super().__init__(index)
        self._members: dict[str | tuple[str, ...], Members] = {}
        self._name_members: dict[str, Members] = {}

    def _term_members(self, term: str) -> Members:
        found = self._members.get(term)
        if found is None:
            entry = self.entry(term)
            found = self._members[term] = _AnyOf(
                [entry[0] if entry is not None else (), *self._name_parts(term)]
            )
        return found

    def members(self, alt: Alternative) -> Members:
        if len(alt.terms) == 1:
            return self._term_members(alt.terms[0])
        found = self._members.get(alt.terms)
        if found is None:
            found = self._members[alt.terms] = _AllOf([self._term_members(term) for term in alt.terms])
        return found

    def name_members(self, term: str) -> Members:
        found = self._name_members.get(term)
        if found is None:
            found = self._name_members[term] = _AnyOf(self._name_parts(term))
        return found


def _alt_docs(p: _Postings[D], alt: Alternative) -> D:
    """The docs holding every term of an alternative."""
    return p.alt_docs(alt)


def _all_terms(bits: list[int], tfs: list[float]) -> tuple[int, float]:
    """The field bits and tf of an alternative of several terms (a split word, a phrase) in a doc:
    the fields every term is in (else the first term's), and the smallest tf. One rule for the
    loop, --explain and (in arrays) the numpy preselection."""
    common = bits[0]
    for b in bits[1:]:
        common &= b
    return common or bits[0], min(tfs)


def _best_match(p: _Lookups, ways: list[tuple[Alternative, Way]], doc: int) -> _Match:
    """The best alternative of a word in a doc, by spec.WordKey: fewest typos, then the best field,
    then the most exact kind ('partners' is the 'partnerships' of a fact's text sooner than the
    'partner' of its metric). Alternatives as good merge their fields and take the larger tf.
    Compared as word codes (spec.word_code), as the loop of _cheap_keys and _preselect do.
    `ways`: the word's alternatives, each with what _resolver made of it."""
    best: _Match | None = None
    code = NO_MATCH
    for alt, (bound, _, _, docs, _) in ways:  # by bound (parse_query sorts them so)
        if bound > code:
            break  # nothing later can be better
        if doc not in docs:
            continue
        details = [p.detail(t, doc) for t in alt.terms]
        bits, tf = (
            details[0] if len(details) == 1 else _all_terms([d[0] for d in details], [d[1] for d in details])
        )
        here = bound + FIELD_STEP[bits]
        if best is None or here < code:
            best, code = _Match(" ".join(alt.terms), alt.typos, alt.how, bits, tf), here
        elif here == code:
            best.bits |= bits
            best.tf = max(best.tf, tf)
    assert best is not None
    return best


@functools.cache
def _bound(typos: int, how: MatchKind) -> int:
    """The code of WordKey.best_possible: a few distinct ones, each made once (a WordKey costs more
    than a lookup, and a typo may have hundreds of alternatives to sort)."""
    return WordKey.best_possible(typos, how).code


# --- the search ----------------------------------------------------------------------------------------


def search(index: Index, query: str, filters: Filters = _NO_FILTERS, limit: int = 10) -> Result:
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
    if allowed is None and len(index) >= paths.PRUNED_TOPK_FROM_FACTS:
        pruned = _pruned(index, qwords, limit)
        if pruned is not None:
            return Result(pruned, tuple(q.text for q in qwords), (), ignored, stop_only)
    if len(index) >= paths.NUMPY_MASKS_FROM_FACTS:
        hits, dropped = _ranked(index, _MaskPostings(index), qwords, allowed, limit)
    else:
        hits, dropped = _ranked(index, _SetPostings(index), qwords, allowed, limit)
    return Result(tuple(hits[:limit]), tuple(q.text for q in qwords), dropped, ignored, stop_only)


def _ranked(
    index: Index, p: _Postings[D], qwords: list[QueryWord], allowed: set[int] | None, limit: int
) -> tuple[list[Hit], tuple[str, ...]]:
    """The hits, level by level of the words tier, and the words the first level's hits lack."""
    # One doc set a word (shared with _Postings: never modified in place).
    word_docs = [p.union([p.alt_docs(alt) for alt in q.alternatives]) for q in qwords]
    if allowed is not None:
        allowed_set = p.as_docs(allowed)
        word_docs = [p.intersection([docs, allowed_set]) for docs in word_docs]
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
    return hits, dropped_overall


# --- the words tier: which words a fact matches ----------------------------------------------------------


def _word_order(word_docs: Sequence[D]) -> list[int]:
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


def _levels(p: _Postings[D], word_docs: list[D], order: list[int]) -> Iterator[tuple[int, Candidates]]:
    """(words, docs) in the order of the words tier: first the docs matching every word, then
    (computed only when those do not fill the results) the others, grouped by the words they
    match. Every doc is in one group: the exact set of words it matches."""
    everything = (1 << len(word_docs)) - 1
    yield everything, p.in_all(word_docs, set())
    groups = p.by_words(word_docs)
    groups.pop(everything, None)
    for mask in sorted(groups, key=lambda m: _level_key(m, order)):
        yield mask, groups[mask]


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
        first = alts[0].bound()
        group = [a for a in alts if a.bound() == first]
        if any(len(a.terms) != 1 for a in group):
            return None
        if alts[0].how is not MatchKind.EXACT and any(a.typos == alts[0].typos for a in alts[len(group) :]):
            return None
        exact = q.exact if alts[0].how is MatchKind.EXACT else None
        groups.append(Group(tuple(a.terms[0] for a in group), exact, tuple(a.terms for a in alts)))
    found = best(index, groups, paths.rerank(limit))
    if found is None:
        return None
    top, idf = found
    p = _SparsePostings(index)
    return tuple(_rank_level(index, p, qwords, idf, list(range(len(qwords))), set(top), limit))


def _with_dropped(hit: Hit, dropped: tuple[str, ...]) -> Hit:
    return Hit(
        hit.doc, hit.id, hit.score, hit.matches, dropped, hit.typos, hit.proximity, hit.field, hit.exactness
    )


# --- ranking the docs matching the same words ----------------------------------------------------------


# One alternative of a word, with what a lookup in a doc needs (a plain tuple: the loop of _cheap_keys
# unpacks it, and a query may have hundreds of alternatives to make): the code of its best possible
# WordKey, which is where its code in a doc starts; its typos; whether it is of the kind EXACT; the
# docs holding it; and each term's packed postings with the docs of what the term names.
Way: TypeAlias = "tuple[int, int, bool, Members, list[tuple[Packed, Members]]]"


def _resolver(p: _Lookups, q: QueryWord, candidates: int) -> list[Way]:
    """A word's alternatives, best first, with what a doc lookup needs: the fast path of _best_match.

    A term's tf and field bits are looked up in a dict when many candidates will ask, and by
    bisection in its posting arrays when few will (building a dict of 50,000 entries for ten
    lookups is the slow part of a long query on a large base)."""
    out = []
    for alt in q.alternatives:
        tables: list[tuple[Packed, Members]] = []
        for t in alt.terms:
            entry = p.entry(t)
            lookup: Packed
            if entry is None:
                lookup = {}
            elif candidates * 16 < len(entry[0]):
                lookup = entry
            else:
                lookup = p._packed(t)
            tables.append((lookup, p.name_members(t)))
        out.append((alt.bound(), alt.typos, alt.how is MatchKind.EXACT, p.members(alt), tables))
    return out


def _packed_of(lookup: Packed, d: int) -> int | None:
    if isinstance(lookup, dict):
        return lookup.get(d)
    docs, packed = lookup
    i = bisect.bisect_left(docs, d)
    return packed[i] if i < len(docs) and docs[i] == d else None


def _rank_level(
    index: Index,
    p: _Lookups,
    qwords: list[QueryWord],
    idf: list[float],
    keep: list[int],
    docs: Candidates,
    limit: int,
) -> list[Hit]:
    """Order the docs matching the same words (`keep`, each with its idf) by spec.SortKey. Every
    tier but proximity, which needs the words' positions, is computed for every candidate in one
    tight loop (_cheap_keys); proximity only for the best of them (paths.rerank)."""
    # With numpy loaded already (a large index), any cut pays; otherwise only a big one pays its import.
    at_most = paths.RERANK_AT_MOST
    if len(docs) > max(
        at_most if p.np is not None else paths.NUMPY_PRESELECT_FROM_CANDIDATES, at_most, limit
    ):
        docs = _preselect(index, p, qwords, keep, docs, idf, paths.rerank(limit))
    if not isinstance(docs, set):
        docs = set(docs.tolist())  # a numpy array of candidates from a large index
    words = [qwords[i] for i in keep]
    resolvers = [_resolver(p, q, len(docs)) for q in words]
    exact_sets = [_exact_set(index, q.exact, len(docs)) for q in words]
    keys = _cheap_keys(index, resolvers, idf, exact_sets, docs)
    keys.sort()
    final = []
    ways = [list(zip(q.alternatives, found, strict=True)) for q, found in zip(words, resolvers, strict=True)]
    for row in keys[: paths.rerank(limit)]:  # plain tuples: a SortKey is made only for the hits
        d = row[_DOC]
        matches = [_best_match(p, alternatives, d) for alternatives in ways]
        proximity = _proximity(index, d, matches) if len(keep) > 1 else 0
        final.append((row[:_PROXIMITY] + (proximity,) + row[_PROXIMITY + 1 :], matches))
    final.sort(key=itemgetter(0))
    hits = []
    for row, matches in final[:limit]:
        key = SortKey._make(row)
        d = key.doc
        word_matches = tuple(
            WordMatch(
                word=words[w].text,
                term=m.term,
                typos=m.typos,
                how=m.how,
                fields=tuple(name for bit, name in FIELD_NAMES.items() if m.bits & bit),
                exact=m.how is MatchKind.EXACT and _holds(exact_sets[w], d),
            )
            for w, m in enumerate(matches)
        )
        hits.append(
            Hit(
                d,
                index.id_of(d),
                -key.minus_bm25,
                word_matches,
                (),
                key.typos,
                key.proximity,
                key.field,
                -key.minus_exactness,
            )
        )
    return hits


_DOC, _PROXIMITY = SortKey._fields.index("doc"), SortKey._fields.index("proximity")


def _holds(exact: Members | None, doc: int) -> bool:
    """Whether the doc holds a word as typed, with its diacritics (None: nothing to tell apart)."""
    return exact is None or doc in exact


def _cheap_keys(
    index: Index,
    resolvers: list[list[Way]],
    idf: list[float],
    exact_sets: list[Members | None],
    docs: set[int],
) -> list[tuple[Any, ...]]:
    """Every candidate's spec.SortKey, as a plain tuple, with proximity 0: the tiers computed for
    all. One tight loop; a word's best match in a doc is _best_match's, computed on word codes
    (spec.word_code: an int compare where _best_match compares WordKeys).

    spec.tf_of, spec.field_bits, spec.length_norm and spec.bm25 are inlined here, and only here:
    this loop runs for every candidate, and calling them took a fifth of its time. The same
    expressions, in the same order of operations, on spec's constants; tests/test_search_quality.py
    checks that the scores it gives are spec.score's to the last bit."""
    words = list(zip(resolvers, exact_sets, idf, strict=True))
    tier_of, step, doclen, avgdl = TIER_OF_BITS, FIELD_STEP, index.doclen, index.avgdl
    k1, b_param, one_minus_b, k1_plus_1 = K1, B, 1 - B, K1 + 1  # spec's BM25 parameters, as spec uses them
    field_mask, field_shift, tf_scale = FIELD_MASK, FIELD_BITS, TF_SCALE  # spec's packed posting
    order = list(docs)
    typos_col, field_col, exactness_col, bm25_col = [], [], [], []
    for d in order:
        typos = field_sum = exactness = 0
        bm25 = 0.0
        norm = k1 * (one_minus_b + b_param * doclen[d] / avgdl)  # spec.length_norm
        for ways, exact_set, word_idf in words:
            best, tf, tier, best_typos, best_exact = NO_MATCH, 0.0, NO_FIELD, 0, False
            for bound, alt_typos, alt_exact, alt_docs, tables in ways:
                if bound > best:
                    break  # nothing later can be better
                if d not in alt_docs:
                    continue
                (packed, names), *rest = tables
                pk = packed.get(d) if type(packed) is dict else _packed_of(packed, d)
                if pk is None:
                    b, t = 0, 0.0
                else:
                    b, t = pk & field_mask, (pk >> field_shift) / tf_scale  # spec.field_bits, spec.tf_of
                if d in names:
                    b |= ENTITY
                    t = max(t, 1.0)
                if rest:  # a split word or a phrase: every term is there
                    b, t = _every_term(d, b, t, rest)
                code = bound + step[b]
                if code < best:
                    best, tf, tier, best_typos, best_exact = code, t, tier_of[b], alt_typos, alt_exact
                elif code == best:
                    tf = max(tf, t)
            typos += best_typos
            field_sum += tier
            if best_exact and (exact_set is None or d in exact_set):
                exactness += 1
            bm25 += word_idf * tf * k1_plus_1 / (tf + norm)  # spec.bm25, summed as spec.score does
        typos_col.append(typos)
        field_col.append(field_sum)
        exactness_col.append(-exactness)
        bm25_col.append(-bm25)
    kinds = index.kinds
    return list(
        SortKey.rows(
            typos=typos_col,
            proximity=repeat(0),
            field=field_col,
            minus_exactness=exactness_col,
            substance=[SUBSTANCE[kinds[d]] for d in order],
            minus_bm25=bm25_col,
            doc=order,
        )
    )


def _every_term(d: int, bits: int, tf: float, rest: list[tuple[Packed, Members]]) -> tuple[int, float]:
    """The bits and tf of an alternative of several terms in a doc, given its first term's."""
    bs, ts = [bits], [tf]
    for packed, names in rest:
        pk = _packed_of(packed, d)
        b, t = (0, 0.0) if pk is None else unpack(pk)
        if d in names:
            b |= ENTITY
            t = max(t, 1.0)
        bs.append(b)
        ts.append(t)
    return _all_terms(bs, ts)


def _preselect(
    index: Index,
    p: _Lookups,
    qwords: list[QueryWord],
    keep: list[int],
    docs: Candidates,
    idf: list[float],
    k: int,
) -> set[int]:
    """The k best docs by every tier but proximity, computed over arrays: the rule of the loop
    in _cheap_keys, written for numpy so a query on 100,000 facts stays fast. The loop then
    ranks just these k exactly."""
    import numpy as np

    if isinstance(docs, set):
        cand = np.fromiter(docs, dtype=np.intp, count=len(docs))
        cand.sort()
    else:
        cand = docs.astype(np.intp)  # already sorted
    arrays = _Arrays(index, p, cand)
    typos = np.zeros(len(cand), np.int64)
    field_sum = np.zeros(len(cand), np.int64)
    exactness = np.zeros(len(cand), np.int64)
    tfs = []
    for i in keep:
        q = qwords[i]
        code, tf = arrays.best_match(q)
        typos += word_part(code, "typos")
        field_sum += word_part(code, "field")
        is_exact = word_part(code, "kind") == MatchKind.EXACT.rank
        if q.exact is not None:
            exact_docs = index.exact_docs_of(q.exact)
            if exact_docs is not None:
                is_exact &= arrays.lookup(np.frombuffer(exact_docs, dtype=np.uint32))[0]
        exactness += is_exact
        tfs.append(tf)
    norm = length_norm(np.frombuffer(index.doclen, dtype=np.float32)[cand].astype(np.float64), index.avgdl)
    columns = {
        "typos": typos,
        "field": field_sum,
        "minus_exactness": -exactness,
        "substance": np.array(SUBSTANCE)[np.frombuffer(index.kinds, dtype=np.uint8)[cand]],
        "minus_bm25": -score(idf, tfs, norm),
        "doc": cand,
    }
    order = np.lexsort(lexsort_keys(columns))
    return {int(d) for d in cand[order[:k]]}


class _Arrays:
    """Each candidate's field bits and tf for a term, as arrays over the candidates (sorted)."""

    def __init__(self, index: Index, p: _Lookups, cand: NDArray[np.intp]) -> None:
        import numpy as np

        self.np, self.index, self.p, self.cand = np, index, p, cand
        self.step = np.array(FIELD_STEP, dtype=np.int64)

    def lookup(self, sorted_docs: NDArray[Any]) -> tuple[NDArray[np.bool_], NDArray[np.intp]]:
        """Which candidates are in `sorted_docs`, and where."""
        np, cand = self.np, self.cand
        at = np.searchsorted(sorted_docs, cand)
        inside = at < len(sorted_docs)
        hit = np.zeros(len(cand), bool)
        hit[inside] = sorted_docs[at[inside]] == cand[inside]
        return hit, at

    def term(self, term: str) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]:
        """Each candidate's field bits and tf for one term, and whether it holds the term at all."""
        np, n = self.np, len(self.cand)
        b = np.zeros(n, np.int64)
        t = np.zeros(n, np.float64)
        present = np.zeros(n, bool)
        entry = self.p.entry(term)
        if entry is not None:
            pd = np.frombuffer(entry[0], dtype=np.uint32)
            pp = np.frombuffer(entry[1], dtype=np.uint32).astype(np.int64)
            hit, at = self.lookup(pd)
            b[hit] = field_bits(pp[at[hit]])
            t[hit] = tf_of(pp[at[hit]])
            present |= hit
        for kind, ident in self.index.names.get(term, ()):
            named = self.index.ref_docs(kind, ident)
            if named:
                hit, _ = self.lookup(np.frombuffer(named, dtype=np.uint32))
                b[hit] |= ENTITY
                t[hit] = np.maximum(t[hit], 1.0)
                present |= hit
        return b, t, present

    def best_match(self, q: QueryWord) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Each candidate's word code of its best alternative (_best_match's rule), and its tf."""
        np, n = self.np, len(self.cand)
        best = np.full(n, NO_MATCH, np.int64)
        tf = np.zeros(n, np.float64)
        for alt in q.alternatives:
            b, t, present = self.term(alt.terms[0])
            if (
                len(alt.terms) > 1
            ):  # every term, as _all_terms: the fields all share (else the first's), least tf
                common = b.copy()
                for term in alt.terms[1:]:
                    b2, t2, present2 = self.term(term)
                    common &= b2
                    t = np.minimum(t, t2)
                    present &= present2
                b = np.where(common != 0, common, b)
            code = alt.bound() + self.step[b]  # as in _cheap_keys: the code of the WordKey
            better = present & (code < best)
            same = present & (code == best)
            tf[same] = np.maximum(tf[same], t[same])
            best[better], tf[better] = code[better], t[better]
        return best, tf


def _exact_set(index: Index, key: str | None, asking: int) -> Members | None:
    """Docs holding the exact key (typed with diacritics); None when there is none, or it has
    nothing to distinguish (any match is exact)."""
    if key is None:
        return None
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
    if m.how is MatchKind.DATE:
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
