"""The ranking, specified once: every way search ranks derives from this module.

Search ranks facts in four places that must agree to the last bit of a score: the Python
loop (rank._rank_level), its numpy preselection over large candidate sets
(rank._preselect), pruned top-k (topk.py), and the impact orders the index sorts for it
(index.py). Each takes from here what it ranks by, so changing a tier, a weight or the
packing of a posting is one edit:

- the tier order: `SortKey` for a fact, `WordKey` for the way one word matches in it;
- how a word matched (`MatchKind`), the field tiers and the substance order;
- BM25 (`K1`, `B`, `length_norm`, `bm25`, `score`) and what pruning bounds it by
  (`impact`, `impact_orders`, `score_bound`), as whoosh's scoring.py keeps BM25 in one
  function and lets pruning ask it for `max_quality`, and Lucene's BM25Similarity;
- the packed posting: a term's tf and field bits in a doc, as one integer (`pack`).

Which path a query takes (by the size of the base and of its candidate sets) is not
ranking, and is decided in paths.py. The words tier, which orders the groups of facts
matching the same query words, is rank._level_key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum
from operator import mul
from typing import TYPE_CHECKING, Any, NamedTuple, overload

if TYPE_CHECKING:  # the formulas work on numpy arrays as on numbers; numpy is imported only by callers
    import numpy as np
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]
    Floats = NDArray[np.float64]

# --- fields: where in a fact a term was found ---------------------------------------------------------

# Field bits. Text and Vietnamese text rank first, then entity names and aliases, then ids, topics and
# numbers, then quotes (which repeat the text in the article's words).
TEXT, TEXT_VI, ENTITY, META, QUOTE = 1, 2, 4, 8, 16
FIELD_NAMES = {TEXT: "text", TEXT_VI: "text_vi", ENTITY: "entity", META: "meta", QUOTE: "quote"}
FIELD_TIER = {TEXT: 0, TEXT_VI: 0, ENTITY: 1, META: 2, QUOTE: 3}
# A term's tf in a doc counts each occurrence by its field's weight (and so does the doc's length).
FIELD_WEIGHT = {TEXT: 1.0, TEXT_VI: 1.0, ENTITY: 1.0, META: 0.7, QUOTE: 0.5}
BEST_TIER = min(FIELD_TIER.values())
TIER0 = sum(bit for bit, tier in FIELD_TIER.items() if tier == BEST_TIER)  # the bits of the best tier
NO_FIELD = max(FIELD_TIER.values()) + 1  # the tier of no field at all, below every field


def field_tier(bits: int) -> int:
    """The tier of a term found in these fields: its best field's."""
    return min(FIELD_TIER[b] for b in FIELD_NAMES if bits & b) if bits else NO_FIELD


# --- the packed posting: a term's tf and fields in one doc, as one integer ---------------------------

FIELD_BITS = 5  # the low bits: the fields holding the term (FIELD_NAMES)
FIELD_MASK = (1 << FIELD_BITS) - 1
TF_SCALE = 10  # tf is kept in tenths: the field weights are tenths
MAX_TF = 2**26  # in tenths: with the field bits, 31 bits, an array("I") item
TIER_OF_BITS = tuple(field_tier(b) for b in range(1 << FIELD_BITS))  # field_tier of every field set
assert sum(FIELD_NAMES) == FIELD_MASK, "every field has a bit of the packed posting"


def pack(tf: float, bits: int) -> int:
    """A term's weighted tf and field bits in a doc, as its posting stores them."""
    return (min(int(tf * TF_SCALE + 0.5), MAX_TF) << FIELD_BITS) | bits


def unpack(packed: int) -> tuple[int, float]:
    """A packed posting's field bits and weighted tf."""
    return packed & FIELD_MASK, (packed >> FIELD_BITS) / TF_SCALE


@overload
def field_bits(packed: int) -> int: ...
@overload
def field_bits(packed: Ints) -> Ints: ...
def field_bits(packed: Any) -> Any:
    """The fields of a packed posting (elementwise for an array of them)."""
    return packed & FIELD_MASK


@overload
def tf_of(packed: int) -> float: ...
@overload
def tf_of(packed: Ints) -> Floats: ...
def tf_of(packed: Any) -> Any:
    """The weighted tf of a packed posting (elementwise for an array of them)."""
    return (packed >> FIELD_BITS) / TF_SCALE


# --- how a word matched ----------------------------------------------------------------------------------


class MatchKind(str, Enum):
    """How a query word matched a term; declared most exact first, the order its `rank` gives.

    Its value is what --explain shows ('typo'), and what str() and f-strings give."""

    EXACT = "exact"  # the word itself
    DATE = "date"  # a date typed as 1992-06-29, matched on facts' dates
    SYNONYM = "synonym"  # an entry of its group in the synonym table
    JOINED = "joined"  # two query words written as one ('viet nam' finds 'vietnam')
    SPLIT = "split"  # one query word written as two ('vietnam' finds 'viet nam')
    PREFIX = "prefix"  # the last word, as the start of a longer one
    TYPO = "typo"  # a known word a few edits away

    rank: int  # its place in the exactness order, 0 for EXACT (set below)

    def __str__(self) -> str:
        return self.value

    def __format__(self, format_spec: str) -> str:
        return format(self.value, format_spec)


# A plain attribute, not a property or a dict keyed by kind: ranking reads it in its hot loops, and
# an Enum member hashes in Python.
for _rank, _kind in enumerate(MatchKind):
    _kind.rank = _rank


# --- the tier order --------------------------------------------------------------------------------------


class WordKey(NamedTuple):
    """Which of a word's alternatives counts in a doc (its best one there): fewest typos, then the
    best field tier, then the most exact kind — the word's part of SortKey's typos, field and
    exactness tiers. Alternatives with equal keys merge: their fields, and the larger tf.

    As one integer (`word_code`), ordered as the tuple, the loop compares it cheaply and numpy
    compares arrays of it. Smaller is better."""

    typos: int
    field: int  # field_tier
    kind: int  # MatchKind.rank

    @classmethod
    def best_possible(cls, typos: int, kind: MatchKind) -> WordKey:
        """The key of an alternative found in the best field: the most it can count for. A word's
        alternatives are tried in this order (rank.parse_query sorts them so), and once one has
        matched, none whose best possible key is above its key can do better."""
        return cls(typos=typos, field=BEST_TIER, kind=kind.rank)

    @property
    def code(self) -> int:
        """The key as one integer (`word_code`)."""
        return word_code(typos=self.typos, field=self.field, kind=self.kind)


# The bits each part of a word code takes; the first part takes what is left.
_WORD_WIDTH = {"field": 3, "kind": 3}
assert NO_FIELD < 1 << _WORD_WIDTH["field"] and len(MatchKind) <= 1 << _WORD_WIDTH["kind"]


def _word_layout() -> dict[str, tuple[int, int]]:
    """Each part's (shift, mask) in a word code, from WordKey's order: the first part highest."""
    layout, shift = {}, 0
    for n, name in enumerate(reversed(WordKey._fields)):
        last = n == len(WordKey._fields) - 1
        layout[name] = (shift, -1 if last else (1 << _WORD_WIDTH[name]) - 1)
        shift += 0 if last else _WORD_WIDTH[name]
    return layout


WORD_LAYOUT = _word_layout()
NO_MATCH = 1 << 62  # a word code above any: no alternative matched yet


def word_code(*, typos: int, field: int, kind: int) -> int:
    """A WordKey as one integer, ordered as the tuple."""
    parts = {"typos": typos, "field": field, "kind": kind}
    return sum(parts[name] << shift for name, (shift, _) in WORD_LAYOUT.items())


@overload
def word_part(code: int, name: str) -> int: ...
@overload
def word_part(code: Ints, name: str) -> Ints: ...
def word_part(code: Any, name: str) -> Any:
    """One part (a WordKey field name) of a word code, elementwise for an array of them (where an
    operation is a pass over the candidates: none is made that would change nothing)."""
    shift, mask = WORD_LAYOUT[name]
    if shift:
        code = code >> shift
    return code & mask if mask != -1 else code


# What finding a term in these fields (its field bits) adds to the code of WordKey.best_possible.
FIELD_STEP = tuple((tier - BEST_TIER) << WORD_LAYOUT["field"][0] for tier in TIER_OF_BITS)


class SortKey(NamedTuple):
    """Where a fact ranks among the facts matching the same query words (the words tier,
    rank._level_key, orders those groups): compared field by field in this order, the tier
    order written once. Smaller is better, so 'more is better' tiers are negated.

    1. typos, fewest first (a synonym costs one; see rank.SYNONYM_COST);
    2. proximity of the matched words in one text (measured only for the best few: every
       other tier is computed for every candidate first, proximity as 0);
    3. field: the sum of the words' field tiers (text and text_vi best);
    4. exactness: words matched exactly, diacritics typed and matched;
    5. substance: a figure, then an event, then a standing fact (SUBSTANCE);
    6. BM25 (`score`);
    7. the doc, which is the fact id's place in id order.

    The loop builds these (`rows`), numpy sorts by their fields (`lexsort_keys`), and pruned top-k
    reads the tiers from substance on in impact order (`PRUNED_TIERS`)."""

    typos: int
    proximity: int
    field: int
    minus_exactness: int
    substance: int
    minus_bm25: float
    doc: int

    @classmethod
    def rows(cls, **columns: Any) -> Iterator[tuple[Any, ...]]:
        """Plain tuples ordered as SortKeys would be, from one column (an iterable) per tier,
        zipped in C: building a SortKey per candidate costs more than the rest of its row."""
        if len(columns) != len(cls._fields):
            raise TypeError(f"a column per tier: {cls._fields}, not {sorted(columns)}")
        tiers = [columns[name] for name in cls._fields]  # KeyError for a tier left out
        return zip(*tiers, strict=False)  # not strict: a tier the same for all may be itertools.repeat


def lexsort_keys(columns: Mapping[str, Any]) -> tuple[Any, ...]:
    """numpy.lexsort's keys for SortKey's order (it sorts by its last key first). A tier left out
    of `columns` is taken to be the same for every doc (proximity, before it is measured)."""
    unknown = columns.keys() - set(SortKey._fields)
    if unknown:
        raise TypeError(f"not a tier: {sorted(unknown)}")
    return tuple(columns[name] for name in reversed(SortKey._fields) if name in columns)


# The tiers that order the facts at the best of every earlier tier: pruned top-k finds its k best
# among the facts at the best typos, field and exactness by reading them by substance, then by
# impact (topk.py; index.impact_orders sorts them so).
PRUNED_TIERS = SortKey._fields[SortKey._fields.index("substance") :]


# --- substance -------------------------------------------------------------------------------------------

KINDS = ("event", "figure", "state")  # a fact's kind as the index stores it: its place here
SUBSTANCE_ORDER = ("figure", "event", "state")  # the hard facts a user looks up before the commentary
SUBSTANCE = tuple(SUBSTANCE_ORDER.index(kind) for kind in KINDS)  # by the stored kind


# --- BM25 ------------------------------------------------------------------------------------------------

K1, B = 1.2, 0.75  # BM25's parameters (Lucene's and Elasticsearch's defaults)


@overload
def length_norm(length: float, avgdl: float) -> float: ...
@overload
def length_norm(length: Floats, avgdl: float) -> Floats: ...
def length_norm(length: Any, avgdl: float) -> Any:
    """BM25's length normalisation of a doc, times k1: k1 × (1 − b + b × length / avgdl)."""
    return K1 * (1 - B + B * length / avgdl)


@overload
def bm25(idf: float, tf: float, norm: float) -> float: ...
@overload
def bm25(idf: float, tf: Floats, norm: Floats) -> Floats: ...
def bm25(idf: float, tf: Any, norm: Any) -> Any:
    """One query word's BM25 in a doc (Robertson's): idf × tf × (k1 + 1) / (tf + norm), where norm
    is `length_norm` of the doc. In one order of operations, elementwise on numpy arrays (over the
    candidates) as on floats, so every path computes the same bits.

    The one place the formula is written, but for the ranking loop's copy (rank._cheap_keys),
    inlined there for speed on these constants, and checked against this by tests."""
    return idf * tf * (K1 + 1) / (tf + norm)


@overload
def score(idfs: Sequence[float], tfs: Sequence[float], norm: float) -> float: ...
@overload
def score(idfs: Sequence[float], tfs: Sequence[Floats], norm: Floats) -> Floats: ...
def score(idfs: Sequence[float], tfs: Sequence[Any], norm: Any) -> Any:
    """A doc's BM25 tier: `bm25` summed over the query words, in the query's order (floats do not
    add associatively: every path adds in this order)."""
    total: Any = 0.0
    for idf, tf in zip(idfs, tfs, strict=True):
        total += bm25(idf, tf, norm)
    return total


def impact(tf: float, norm: float) -> float:
    """A word's BM25 in a doc before idf: `bm25` at idf 1 (multiplying by 1.0 is exact). What the
    impact orders are sorted by, and what pruned top-k bounds a score with (`score_bound`)."""
    return bm25(1.0, tf, norm)


# Float rounding: `bm25` computes idf × tf × (k1 + 1) / (tf + norm), which may differ in the last
# bit from idf × impact; the sum of those may differ from the score's own sum by a few more.
_MARGIN = 1 + 1e-9


def score_bound(idfs: Sequence[float], impacts: Sequence[float]) -> float:
    """The most `score` can give a doc in which each word's impact is at most `impacts`.

    Invariant: never less than the actual maximum score of such a doc, or pruned top-k would
    stop before reading a doc that belongs in the top k. In exact arithmetic a score is the sum of
    each word's idf × impact, so at most the sum of idf × its bound; the margin covers rounding."""
    return sum(map(mul, idfs, impacts)) * _MARGIN  # map(mul), not a generator: asked every round


def impact_orders(
    docs: Sequence[int], packed: Sequence[int], norm: Callable[[int], float], substance: Callable[[int], int]
) -> list[list[int]]:
    """A term's postings in the order pruned top-k reads them: the positions of the docs holding
    it in the best field tier, one list per substance, each by impact (best first), then doc."""
    orders: list[list[int]] = [[] for _ in SUBSTANCE_ORDER]
    for i in sorted(
        (i for i in range(len(docs)) if packed[i] & TIER0),
        key=lambda i: (-impact(tf_of(packed[i]), norm(docs[i])), docs[i]),
    ):
        orders[substance(docs[i])].append(i)
    return orders
