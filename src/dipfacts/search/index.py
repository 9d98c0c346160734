"""The in-memory search index: postings over every fact, built once and cached.

Kept compact on purpose, so 100,000 facts fit and load fast: postings are
`array`s of document numbers with packed term frequencies and field bits, and a
fact's own record stays a compressed blob until it is shown. Entity and relation
names and aliases are indexed once, not copied into every fact, and reach the
facts through `entity_docs`/`relation_docs` at query time: that is how 'Kazakh',
'KZ' and 'Cộng hòa Kazakhstan' all find facts about Kazakhstan.
"""

from __future__ import annotations

import bisect
import marshal
import math
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from itertools import pairwise
from typing import TYPE_CHECKING, Literal, TypeVar

from dipfacts.base.dates import EDTF, parse_edtf
from dipfacts.base.model import Base, Citation, Entity, Fact, Metric, Relation, Source, Synonyms, Value
from dipfacts.base.names import Labels, entity_labels
from dipfacts.base.normalize import Word, number_key, words
from dipfacts.search import paths
from dipfacts.search.spec import (
    FIELD_WEIGHT,
    KINDS,
    META,
    QUOTE,
    SUBSTANCE,
    SUBSTANCE_ORDER,
    TEXT,
    TEXT_VI,
    impact_orders,
    length_norm,
    pack,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

OPEN_LO, OPEN_HI = -(2**31), 2**31 - 1  # day numbers of an open or unknown interval end
# Entities whose names are proper names, the names a user most often mistypes ('Nazarbaev', 'Kazakstan',
# 'To Lamm'). The names of agreements, meetings, plans and bodies are titles made of common words.
PROPER_KINDS = ("person", "country", "region")


def day_number(day: tuple[int, int, int]) -> int:
    """A comparable integer for a (year, month, day) bound; works for any year."""
    y, m, d = day
    return y * 10_000 + m * 100 + d


def amount_keys(amount: float) -> set[str]:
    """Every way a user may type a figure: 426100000, 426.1 (million), 426,1, 150.000."""
    keys = set()
    if float(amount).is_integer():
        n = int(amount)
        keys.add(str(n))
        keys.add(number_key(f"{n:,}"))
    else:
        keys.add(number_key(f"{amount:g}"))
    for scale in (1_000, 1_000_000, 1_000_000_000, 1_000_000_000_000):
        if abs(amount) >= scale:
            scaled = round(amount / scale, 3)
            keys.add(number_key(f"{scaled:g}"))
    return keys


def date_key(year: int, month: int, day: int | None = None) -> str:
    """The term under which a date typed in a query (1992-06-29, 1992-06) finds a fact's date:
    ISO, which no word of a text can be (the tokenizer splits at '-')."""
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


MAX_DATE_DAYS, MAX_DATE_MONTHS = 31, 12


def date_keys(date: EDTF) -> list[str]:
    """The date terms of a fact (see rank.parse_query for how a query date uses them): each
    day of a date given to the day, and each month of a date given to the day or the month
    (or a season), when it spans at most a month of days or a year of months, as a fact's
    years are only listed for a span of ten. Never padded: a fact of 'May 2025' has the month
    2025-05 and no day; a date with unspecified digits (2025-XX) has neither."""
    import datetime

    start, end = date.start, date.end
    if (
        start is None
        or end is None
        or "X" in date.text
        or start.precision == "year"
        or end.precision == "year"
    ):
        return []
    lo, hi = start.lower, end.upper
    if not (1 <= lo[0] and hi[0] <= 9999) or lo > hi:
        return []
    keys = []
    months = (hi[0] - lo[0]) * 12 + hi[1] - lo[1] + 1
    if months <= MAX_DATE_MONTHS:
        y, m = lo[0], lo[1]
        for _ in range(months):
            keys.append(date_key(y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if start.precision == "day" and end.precision == "day":
        first, last = datetime.date(*lo), datetime.date(*hi)
        if (last - first).days < MAX_DATE_DAYS:
            keys += [
                date_key(d.year, d.month, d.day)
                for d in (first + datetime.timedelta(n) for n in range((last - first).days + 1))
            ]
    return keys


def synonym_table(groups: Iterable[Synonyms]) -> dict[str, tuple[str, ...]]:
    """Each entry of each group as a term (its folded, stemmed words joined by a space: 'tourist',
    'khach du lich'), and the other entries of its group: the terms a query word may match instead.

    An entry of several words is a phrase term: the index holds it where a fact has those words
    side by side (see `_Phrases`), so matching it is as cheap and as strict as matching a word."""
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        entries = list(dict.fromkeys(" ".join(w.folded for w in words(entry)) for entry in group.words))
        for entry in entries:
            table[entry] = tuple(other for other in entries if other != entry)
    return table


class _Phrases:
    """The phrase terms of a synonym table, found in a run of folded words."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self.phrases = {k for k in table if " " in k}
        self.starts = {k.split(" ", 1)[0] for k in self.phrases}  # a cheap test before any join
        self.span = max((k.count(" ") + 1 for k in self.phrases), default=0)

    def find(self, folded: list[str]) -> Iterator[str]:
        """Each phrase standing in these words, once per place it stands."""
        for i, first in enumerate(folded):
            if first in self.starts:
                for end in range(i + 2, min(len(folded), i + self.span) + 1):
                    key = " ".join(folded[i:end])
                    if key in self.phrases:
                        yield key


# --- fact records: small while stored, a Fact when shown ---------------------------------------


def _pack_value(v: Value | None) -> tuple | None:
    return (
        None
        if v is None
        else (v.amount, v.unit, v.metric, v.comparator, v.change, str(v.vs) if v.vs else None)
    )


def _unpack_value(value: tuple | None) -> Value | None:
    if value is None:
        return None
    amount, unit, metric, comparator, change, vs = value
    return Value(amount, unit, metric, comparator, change, parse_edtf(vs) if vs else None)


def _pack_fact(f: Fact, sequences: tuple[str, str]) -> bytes:
    value = _pack_value(f.value)
    cites = tuple(
        (c.source, c.quote, str(c.date) if c.date else None, _pack_value(c.value), c.note)
        for c in f.citations
    )
    record = (
        f.id,
        f.kind,
        str(f.date),
        f.text,
        f.text_vi,
        cites,
        f.relations,
        f.topics,
        f.entities,
        f.status,
        value,
        sequences,
    )
    return zlib.compress(marshal.dumps(record), 1)


def _unpack(blob: bytes | bytearray | memoryview) -> tuple:
    return marshal.loads(zlib.decompress(blob))


def _unpack_fact(record: tuple) -> Fact:
    fid, kind, date, text, text_vi, cites, relations, topics, entities, status, value, _ = record
    v = _unpack_value(value)
    return Fact(
        id=fid,
        kind=kind,
        date=parse_edtf(date),
        text=text,
        text_vi=text_vi,
        citations=tuple(
            Citation(s, q, parse_edtf(d) if d else None, _unpack_value(cv), n) for s, q, d, cv, n in cites
        ),
        relations=tuple(relations),
        topics=tuple(topics),
        entities=tuple(entities),
        status=status,
        value=v,
    )


# --- the index --------------------------------------------------------------------------------------


Columns = TypeVar("Columns", bound=tuple[array, ...])  # a key's arrays: (docs,) or (docs, packed)


def _flatten(lists: dict[str, Columns]) -> tuple[list[str], array, list[array], array]:
    """Many small arrays as one big array per column, and each key's slice by number.

    A hundred thousand facts make tens of thousands of posting lists; as a few
    large arrays they pickle and load in one piece instead of as 60,000 objects.
    The small arrays are dropped from `lists` as they are copied, so the two
    never both take the memory.
    """
    keys = sorted(lists)
    width = len(next(iter(lists.values()))) if lists else 1
    columns = [array("I") for _ in range(width)]
    offsets = array("Q", [0])
    crcs = array("I")
    for key in keys:
        crc = 0
        for column, part in zip(columns, lists.pop(key), strict=True):
            column.extend(part)
            crc = zlib.crc32(part, crc)
        crcs.append(crc)
        offsets.append(len(columns[0]))
    return keys, offsets, columns, crcs


class CorruptIndex(Exception):
    """A cached index whose bytes no longer match their checksums: rebuild it."""


@dataclass
class Index:
    id_blob: bytes  # fact ids, newline-separated, in doc order (which is id order)
    id_offsets: array
    store: bytes | bytearray | memoryview  # each fact's compressed record, end to end (a view of the cache)
    offsets: array  # where each record starts in `store`
    term_blob: bytes  # the folded terms, sorted, each ending in a newline (a Strings blob, as id_blob)
    term_starts: array
    term_blob_crc: int  # checked when the terms are first read (the blob is memory-mapped, not hashed)
    term_offsets: array
    term_docs: array  # docs of term n: term_docs[term_offsets[n]:term_offsets[n + 1]]
    term_packed: array  # spec.pack(tf, field bits) of each of term_docs
    term_crcs: array  # CRC-32 of each term's slices: a cached index is checked where it is read
    exact_terms: list[str]  # exact keys (where they differ from the folded one), sorted
    exact_offsets: array
    exact_docs: array
    exact_crcs: array
    names: dict[str, tuple[tuple[str, str], ...]]  # folded term -> (("entity"|"relation", id), ...)
    name_pairs: frozenset[str]  # "to lam": two folded words that stand side by side in a name
    proper_words: frozenset[str]  # the words of people's and places' names and aliases (see PROPER_KINDS)
    entity_docs: dict[str, array]
    relation_docs: dict[str, array]
    topic_docs: dict[str, array]
    source_docs: dict[str, array]
    metric_docs: dict[str, array]
    doclen: array
    kinds: bytes
    date_lo: array
    date_hi: array
    sources: dict[str, Source]
    refs: bytes  # the pickled relations, entities and metrics: decoded on first use (see `_refs`)
    name_df: dict[str, int]  # docs a name word finds: its postings and the facts of what it names
    impact_terms: array  # numbers of the terms that have an impact order, ascending
    impact_bounds: array  # per such term, where its orders start, and where each substance's ends
    impact_crcs: array
    impact_pos: array  # positions in the terms' posting arrays (see `impact_orders`)
    avgdl: float = 1.0
    # entry -> the entries of its synonym group it may be matched by ('tourist' -> ('visitor', 'du khach', …))
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _synonym_span: int | None = field(default=None, repr=False)
    _name_terms: list[str] | None = field(default=None, repr=False)
    _names_by_length: dict[int, list[str]] | None = field(default=None, repr=False)
    _length_pools: dict[int, list[str]] | None = field(default=None, repr=False)
    _typo_pools: dict[tuple[int, int, str | None], list[str]] | None = field(default=None, repr=False)
    _terms: Strings | None = field(default=None, repr=False)
    _ids: Strings | None = field(default=None, repr=False)
    length_order: array = field(default_factory=lambda: array("I"))  # term numbers by length, then term
    length_starts: array = field(
        default_factory=lambda: array("I")
    )  # where each length starts in length_order
    _records: dict[int, tuple] = field(default_factory=dict, repr=False)
    _facts: dict[int, Fact] = field(default_factory=dict, repr=False)
    _decoded_refs: tuple[dict[str, Relation], dict[str, Entity], dict[str, Metric]] | None = field(
        default=None, repr=False
    )
    _entity_labels: Labels | None = field(default=None, repr=False)

    def entity_labels(self) -> Labels:
        """Every name of every entity as words (names.entity_labels), made once a process: a
        question reads them all, and folding a few thousand names was most of its time."""
        if self._entity_labels is None:
            self._entity_labels = entity_labels(self.entities)
        return self._entity_labels

    def _refs(self) -> tuple[dict[str, Relation], dict[str, Entity], dict[str, Metric]]:
        """Relations, entities and metrics are a few hundred objects whose unpickling costs more than
        a whole search, and only a filter or a question needs them: decoded when asked for."""
        if self._decoded_refs is None:
            import pickle

            self._decoded_refs = pickle.loads(self.refs)
        return self._decoded_refs

    @property
    def relations(self) -> dict[str, Relation]:
        return self._refs()[0]

    @property
    def entities(self) -> dict[str, Entity]:
        return self._refs()[1]

    @property
    def metrics(self) -> dict[str, Metric]:
        return self._refs()[2]

    @property
    def terms(self) -> Strings:
        """The sorted folded terms, read from the blob one at a time as bisection asks.

        A hundred thousand facts make over a hundred thousand terms; unpickling them as
        strings was the largest part of loading the cache. Checked once, on first use."""
        if self._terms is None:
            if zlib.crc32(self.term_blob) != self.term_blob_crc:
                raise CorruptIndex("terms")
            self._terms = Strings(self.term_blob, self.term_starts)
        return self._terms

    @property
    def id_list(self) -> Strings:
        """The fact ids in doc order (which is id order): indexable and bisectable."""
        if self._ids is None:
            self._ids = Strings(self.id_blob, self.id_offsets)
        return self._ids

    def __len__(self) -> int:
        return len(self.id_offsets) - 1

    def id_of(self, doc: int) -> str:
        return self.id_list[doc]

    @property
    def ids(self) -> list[str]:
        return self.id_list.as_list()

    def record(self, doc: int) -> tuple:
        found = self._records.get(doc)
        if found is None:
            try:  # each record is a zlib stream, whose Adler-32 catches a damaged cache
                found = self._records[doc] = _unpack(self.store[self.offsets[doc] : self.offsets[doc + 1]])
            except (zlib.error, ValueError, EOFError, TypeError) as e:
                raise CorruptIndex(f"record {doc}") from e
        return found

    def fact(self, doc: int) -> Fact:
        found = self._facts.get(doc)
        if found is None:
            found = self._facts[doc] = _unpack_fact(self.record(doc))
        return found

    def sequences(self, doc: int) -> tuple[str, str]:
        """The folded words of a fact's text and text_vi, for proximity."""
        return self.record(doc)[-1]

    def ref_docs(self, kind: str, ident: str) -> array:
        """The docs (in doc order) of an entity or a relation, as `names` refers to them."""
        return (self.entity_docs if kind == "entity" else self.relation_docs).get(ident, array("I"))

    def norm(self, doc: int) -> float:
        """BM25's length normalisation of a doc (spec.length_norm)."""
        return length_norm(self.doclen[doc], self.avgdl)

    def idf(self, df: int) -> float:
        """BM25's idf of a word `df` docs hold."""
        n = len(self)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def df(self, alternatives: Iterable[str | tuple[str, ...]]) -> int:
        """How many docs any of these alternatives finds (a term, or several terms a doc must all
        hold: a split word, a phrase), in their fields or as a name of what they are about: the size
        of a query word's doc set, counted without building it when it is one term."""
        alts = {(a,) if isinstance(a, str) else tuple(a) for a in alternatives}
        if len(alts) == 1 and len(next(iter(alts))) == 1:
            ((term,),) = alts
            found = self.name_df.get(term)
            if found is not None:
                return found
            n = _place(self.terms, term)
            return 0 if n is None else self.term_offsets[n + 1] - self.term_offsets[n]
        single = {a[0] for a in alts if len(a) == 1}
        docs = self._doc_set(single)
        for a in alts:
            if len(a) > 1:
                docs |= set.intersection(*(self._doc_set((t,)) for t in a))
        return len(docs)

    def _doc_set(self, terms: Iterable[str]) -> set[int]:
        docs: set[int] = set()
        for term in terms:
            entry = self.postings(term)
            if entry is not None:
                docs.update(entry[0])
            for kind, ident in self.names.get(term, ()):
                docs.update(self.ref_docs(kind, ident))
        return docs

    def impact_orders(self, term: str) -> Sequence[Sequence[int]] | None:
        """The docs holding `term` in text or text_vi, one order a substance, best BM25 impact
        first: their positions in the term's posting arrays. The sorted access of pruned top-k
        search (see topk.py): stored for a frequent term, sorted here, the same way, for a rare
        one. None for a term no fact holds."""
        n = _place(self.terms, term)
        if n is None:
            return None
        i = bisect.bisect_left(self.impact_terms, n)
        if i == len(self.impact_terms) or self.impact_terms[i] != n:
            entry = self.postings(term)
            assert entry is not None, "a known term has postings"
            docs, packed = entry
            return impact_orders(docs, packed, self.norm, lambda doc: SUBSTANCE[self.kinds[doc]])
        orders = len(SUBSTANCE_ORDER)
        bounds = self.impact_bounds[(orders + 1) * i : (orders + 1) * (i + 1)]
        if zlib.crc32(self.impact_pos[bounds[0] : bounds[orders]]) != self.impact_crcs[i]:
            raise CorruptIndex(f"impact order of {term!r}")
        return [self.impact_pos[bounds[s] : bounds[s + 1]] for s in range(orders)]

    def has_term(self, term: str) -> bool:
        return _place(self.terms, term) is not None or term in self.names

    def postings(self, term: str) -> tuple[array, array] | None:
        n = _place(self.terms, term)
        if n is None:
            return None
        a, b = self.term_offsets[n], self.term_offsets[n + 1]
        docs, packed = self.term_docs[a:b], self.term_packed[a:b]
        if zlib.crc32(packed, zlib.crc32(docs)) != self.term_crcs[n]:
            raise CorruptIndex(f"postings of {term!r}")
        return docs, packed

    def exact_docs_of(self, key: str) -> array | None:
        n = _place(self.exact_terms, key)
        if n is None:
            return None
        docs = self.exact_docs[self.exact_offsets[n] : self.exact_offsets[n + 1]]
        if zlib.crc32(docs) != self.exact_crcs[n]:
            raise CorruptIndex(f"exact postings of {key!r}")
        return docs

    def base_view(self) -> Base:
        """The parts of a Base that rendering needs (sources for citations)."""
        return Base(
            facts=(),
            facts_by_id={},
            sources=self.sources,
            relations=self.relations,
            entities=self.entities,
            metrics=self.metrics,
        )

    @property
    def synonym_span(self) -> int:
        """The most words an entry of the synonym table has: the longest query phrase to look up."""
        if self._synonym_span is None:
            self._synonym_span = max((k.count(" ") + 1 for k in self.synonyms), default=0)
        return self._synonym_span

    def is_proper_word(self, term: str) -> bool:
        """Whether a term is a word of a person's, a country's or a region's name or alias."""
        return term in self.proper_words

    @property
    def name_terms(self) -> list[str]:
        """The words of entity and relation names, sorted (a few thousand; built on first need)."""
        if self._name_terms is None:
            self._name_terms = sorted(self.names)
        return self._name_terms

    def terms_of_length(self, n: int) -> list[str]:
        """Known terms of n characters, for typo candidates: a slice of a precomputed order, no scan.
        Kept once made: at 100,000 facts one length is tens of thousands of terms, and every
        unknown word of every later query in this process asks for the same few lengths."""
        if self._length_pools is None:
            self._length_pools = {}
        found = self._length_pools.get(n)
        if found is None:
            found = []
            if 0 <= n < len(self.length_starts) - 1:
                terms = self.terms.as_list()  # tens of thousands wanted: decode them all at once
                found = [
                    t
                    for t in (
                        terms[i] for i in self.length_order[self.length_starts[n] : self.length_starts[n + 1]]
                    )
                    if " " not in t
                ]
            found = self._length_pools[n] = found + self._name_terms_by_length().get(n, [])
        return found

    def typo_pool(self, lo: int, hi: int, first: str | None = None) -> list[str]:
        """Known terms of lo to hi characters (starting with `first`, when given): the candidates
        rapidfuzz compares a mistyped word with. Kept once made, as terms_of_length is."""
        if self._typo_pools is None:
            self._typo_pools = {}
        key = (lo, hi, first)
        pool = self._typo_pools.get(key)
        if pool is None:
            pool = [
                t
                for n in range(lo, hi + 1)
                for t in self.terms_of_length(n)
                if first is None or t.startswith(first)
            ]
            self._typo_pools[key] = pool
        return pool

    def _name_terms_by_length(self) -> dict[int, list[str]]:
        """Name words that are not text terms, by length: grouped once, asked for per typo length."""
        if self._names_by_length is None:
            grouped: dict[int, list[str]] = {}
            terms = self.terms.as_list()
            for t in self.name_terms:
                if _place(terms, t) is None and " " not in t:
                    grouped.setdefault(len(t), []).append(t)
            self._names_by_length = grouped
        return self._names_by_length

    def prefixed(self, prefix: str, limit: int = 64) -> list[str]:
        """Known terms starting with `prefix`, sorted: bisection in the two sorted term lists."""
        found: set[str] = set()
        for keys in (self.terms, self.name_terms):
            i = bisect.bisect_left(keys, prefix)
            while i < len(keys) and keys[i].startswith(prefix) and len(found) < 2 * limit:
                if " " not in keys[i]:  # a phrase term of the synonym table is no word to complete
                    found.add(keys[i])
                i += 1
        return sorted(found)[:limit]

    def __getstate__(self) -> dict:
        """The small part; the large RAW_SECTIONS travel beside the pickle (see cache.py)."""
        # Fields starting with "_" are caches of this process, rebuilt on demand.
        return {
            k: getattr(self, k)
            for k in self.__dataclass_fields__
            if not k.startswith("_") and k not in RAW_SECTIONS
        }

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            setattr(self, k, v)
        for f in fields(self):  # the process's caches start empty, from the fields' own defaults
            if f.name.startswith("_"):
                setattr(self, f.name, f.default_factory() if callable(f.default_factory) else f.default)

    def raw_sections(self) -> list[bytes | array]:
        return [getattr(self, name) for name in RAW_SECTIONS]

    def attach(self, sections: list) -> None:
        """Give an unpickled index its large sections (memoryviews over the cache file)."""
        for name, section in zip(RAW_SECTIONS, sections, strict=True):
            setattr(self, name, section)


# The large sections of an index, which the cache writes beside the pickle of the rest and reads
# back as memoryviews over the file (cache.py), in this order: each with the format of its items.
RAW_SECTIONS: dict[str, Literal["B", "I"]] = {
    "store": "B",
    "term_docs": "I",
    "term_packed": "I",
    "exact_docs": "I",
    "id_blob": "B",
    "term_blob": "B",
    "impact_pos": "I",
}


def _impact_orders(
    term_offsets: array, term_docs: array, term_packed: array, norms: list[float], kinds: bytes, least: int
) -> tuple[array, array, array, array]:
    """Each frequent term's impact orders (spec.impact_orders), sorted once here so a search can
    stop reading a long posting list as soon as no unread doc could reach its top results (topk.py)."""
    numbers, bounds, crcs, positions = array("I"), array("Q"), array("I"), array("I")
    substance = [SUBSTANCE[k] for k in kinds]
    for n in range(len(term_offsets) - 1):
        a, b = term_offsets[n], term_offsets[n + 1]
        if b - a < least:
            continue
        start = len(positions)
        numbers.append(n)
        bounds.append(start)
        for order in impact_orders(
            term_docs[a:b], term_packed[a:b], norms.__getitem__, substance.__getitem__
        ):
            positions.extend(order)
            bounds.append(len(positions))
        crcs.append(zlib.crc32(positions[start:]))
    return numbers, bounds, crcs, positions


class Strings:
    """Strings kept as one UTF-8 blob, each ending in a newline, and their offsets.

    Indexable and bisectable like a list without a str object per item until one is
    asked for (bisection decodes ~17); `as_list` decodes all in one C split when every
    item is wanted (typo candidates, the id list). Used for fact ids and for terms."""

    __slots__ = ("blob", "starts", "_all")

    def __init__(self, blob: bytes, starts: array) -> None:
        self.blob, self.starts = blob, starts
        self._all: list[str] | None = None

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, n: int) -> str:
        if self._all is not None:
            return self._all[n]
        if n < 0:
            n += len(self)
        if not 0 <= n < len(self):
            raise IndexError(n)
        return bytes(self.blob[self.starts[n] : self.starts[n + 1] - 1]).decode()

    def as_list(self) -> list[str]:
        if self._all is None:
            self._all = bytes(self.blob).decode().split("\n")[:-1]
        return self._all


def _strings_blob(items: list[str]) -> tuple[bytes, array]:
    """The blob and offsets of a Strings: no item may hold a newline (ids and terms cannot)."""
    encoded = [i.encode() + b"\n" for i in items]
    starts = array("Q", [0])
    for e in encoded:
        starts.append(starts[-1] + len(e))
    return b"".join(encoded), starts


def _place(keys, key: str) -> int | None:
    i = bisect.bisect_left(keys, key)
    return i if i < len(keys) and keys[i] == key else None


def _length_index(terms: list[str]) -> tuple[array, array]:
    order = array("I", sorted(range(len(terms)), key=lambda i: (len(terms[i]), terms[i])))
    longest = max((len(t) for t in terms), default=0)
    starts = array("I", [0] * (longest + 2))
    for i in order:
        starts[len(terms[i]) + 1] += 1
    for n in range(1, len(starts)):
        starts[n] += starts[n - 1]
    return order, starts


def _meta_text(f: Fact, metrics: dict[str, Metric]) -> list[str]:
    """The words a fact is found by besides its sentences: id, topics, kind, status, its metric's
    names in both languages (so "kim ngạch" finds a trade figure whose sentence says "xuất nhập
    khẩu"), and the years its date spans."""
    parts = [f.id.replace("/", " ").replace("-", " "), " ".join(f.topics), f.kind]
    if f.status:
        parts.append(f.status)
    if f.value is not None:
        parts += [f.value.unit, f.value.metric.replace("-", " ")]
        metric = metrics.get(f.value.metric)
        if metric is not None:
            parts += metric.names
    lo, hi = f.date.lower, f.date.upper
    if lo and hi and hi[0] - lo[0] <= 10:
        parts += [str(y) for y in range(lo[0], hi[0] + 1)]
    return parts


class PackedFacts:
    """Facts given one at a time and in any order, kept as compressed records until indexed.

    Documents must be numbered in fact-id order, and the last fact read may have the first
    id, so nothing can be indexed before every fact is in. Kept as Fact objects (~2.8 KB
    each) they were most of the build's peak memory; as records (`_pack_fact`, without the
    word sequences that only indexing computes) they take a sixth of that. A record made
    again from a taken fact, with its sequences, is byte for byte the one the parsed fact
    makes (tests/test_stream.py checks it), so the index is the same either way.
    """

    __slots__ = ("_records",)

    def __init__(self) -> None:
        self._records: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self._records)

    def add(self, fact: Fact) -> None:
        if fact.id in self._records:
            raise ValueError(f"fact '{fact.id}' given twice")
        self._records[fact.id] = _pack_fact(fact, ("", ""))

    def take(self) -> tuple[list[str], Iterator[Fact]]:
        """The ids in order, and the facts in that order: each record is dropped as its fact is
        made, so the records shrink while the postings grow. Leaves this empty."""
        ids = sorted(self._records)
        return ids, (_unpack_fact(_unpack(self._records.pop(fid))) for fid in ids)


def index_files(files: Sequence[Path]) -> Index:
    """Read and index these files as one base; raise BaseError listing every problem.

    The CLI's way to build: each fact is packed as soon as it is read (see `PackedFacts`),
    so the parsed base never exists whole, as it would with `build_index(load_files(files))`."""
    from dipfacts.base.load import read_files

    packed = PackedFacts()
    return build_index(read_files(files, packed.add), packed=packed)


def build_index(base: Base, impact_from: int | None = None, *, packed: PackedFacts | None = None) -> Index:
    """Index every fact of `base`; the order of documents is the order of fact ids.

    With `packed` (from `index_files`), its facts too. Every fact goes through one PackedFacts,
    so facts are indexed one way. The base's facts are let go as they are packed: when the
    caller keeps no other reference to the base (`build_index(load_files(files))`), the
    parsed facts are freed before the postings grow.

    impact_from: the docs a term needs for its impact orders to be stored (default
    paths.IMPACT_ORDERS_FROM_DOCS)."""
    from dipfacts.base.load import mentions_by_fact, with_mentions

    packed = packed if packed is not None else PackedFacts()
    # What facts refer to, kept while the facts are let go: the base without its facts.
    refs = Base(
        facts=(),
        facts_by_id={},
        sources=dict(base.sources),
        relations=dict(base.relations),
        entities=dict(base.entities),
        metrics=dict(base.metrics),
    )
    added = mentions_by_fact(base.mentions)
    synonyms = synonym_table(base.synonyms)
    pending: list[Fact | None] = list(base.facts)
    del base  # the facts live on in `pending` only, each until it is packed
    _pack_releasing(pending, packed)
    ids, facts = packed.take()
    phrases = _Phrases(synonyms)
    columns = _Columns()
    for doc, f in enumerate(facts):
        # with the sources [[cite]] tables add, stored and found with the fact
        columns.add(doc, with_mentions(f, added), refs.metrics, phrases)
    least = paths.IMPACT_ORDERS_FROM_DOCS if impact_from is None else impact_from
    return _assemble(ids, columns, _name_index(refs, phrases), refs, synonyms, least)


def _pack_releasing(pending: list[Fact | None], packed: PackedFacts) -> None:
    """Pack every fact, dropping each from `pending` as it goes (its only reference, see build_index)."""
    for n, f in enumerate(pending):
        pending[n] = None
        assert f is not None
        packed.add(f)


def _fact_fields(f: Fact, metrics: dict[str, Metric]) -> list[tuple[int, list[Word]]]:
    """A fact's words in each field (the field bits of spec); a figure's amount, as every way a
    user may type it, among its meta words."""
    fields: list[tuple[int, list[Word]]] = [
        (TEXT, words(f.text)),
        (TEXT_VI, words(f.text_vi)),
        (META, [w for part in _meta_text(f, metrics) for w in words(part)]),
        (QUOTE, [w for c in f.citations for w in words(c.quote)]),
    ]
    if f.value is not None:
        fields[2][1].extend(Word(0, 0, 0, k, k) for k in amount_keys(f.value.amount))
    return fields


def _fact_terms(
    fields: list[tuple[int, list[Word]]], phrases: _Phrases, dated: list[str]
) -> tuple[dict[str, float], dict[str, int], set[str], float]:
    """A fact's terms, each weighted by its fields (spec.FIELD_WEIGHT) as BM25 counts tf and length:
    each term's weighted tf and field bits, the fact's exact keys, and its length."""
    weighted: dict[str, float] = {}
    bits: dict[str, int] = {}
    exact_here: set[str] = set()
    length = 0.0
    for bit, ws in fields:
        weight = FIELD_WEIGHT[bit]
        length += weight * len(ws)
        for w in ws:
            weighted[w.folded] = weighted.get(w.folded, 0.0) + weight
            bits[w.folded] = bits.get(w.folded, 0) | bit
            if w.exact != w.folded:
                exact_here.add(w.exact)
    if phrases.phrases:  # the synonym table's phrases: terms of words already counted in the length
        for bit, ws in fields:
            for key in phrases.find([w.folded for w in ws]):
                weighted[key] = weighted.get(key, 0.0) + FIELD_WEIGHT[bit]
                bits[key] = bits.get(key, 0) | bit
    for key in dated:  # a field of the fact, not words of it: not counted in its length (BM25's)
        weighted[key] = FIELD_WEIGHT[META]
        bits[key] = META
    return weighted, bits, exact_here, length


class _Columns:
    """What the index holds per fact, filled fact by fact in doc order: the records, the postings,
    the exact keys, and the arrays (length, kind, dates, what it is about)."""

    def __init__(self) -> None:
        self.postings: dict[str, tuple[array, array]] = {}
        self.exact: dict[str, array] = {}
        self.doclen = array("f")
        self.store = bytearray()
        self.offsets = array("Q", [0])
        self.date_lo, self.date_hi = array("i"), array("i")
        self.kinds = bytearray()
        self.entity_docs: dict[str, array] = {}
        self.relation_docs: dict[str, array] = {}
        self.topic_docs: dict[str, array] = {}
        self.source_docs: dict[str, array] = {}
        self.metric_docs: dict[str, array] = {}

    def add(self, doc: int, f: Fact, metrics: dict[str, Metric], phrases: _Phrases) -> None:
        fields = _fact_fields(f, metrics)
        dated = date_keys(f.date)
        self.store += _pack_fact(
            f, (" ".join(w.folded for w in fields[0][1]), " ".join(w.folded for w in fields[1][1]))
        )
        self.offsets.append(len(self.store))
        weighted, bits, exact, length = _fact_terms(fields, phrases, dated)
        for term, tf in weighted.items():
            entry = self.postings.get(term)
            if entry is None:
                entry = self.postings[term] = (array("I"), array("I"))
            entry[0].append(doc)
            entry[1].append(pack(tf, bits[term]))
        for key in exact:
            self.exact.setdefault(key, array("I")).append(doc)
        self.doclen.append(length)
        self.kinds.append(KINDS.index(f.kind))
        lo, hi = f.date.lower, f.date.upper
        self.date_lo.append(day_number(lo) if lo else OPEN_LO)
        self.date_hi.append(day_number(hi) if hi else OPEN_HI)
        self._add_about(doc, f)

    def _add_about(self, doc: int, f: Fact) -> None:
        for eid in f.entities:
            self.entity_docs.setdefault(eid, array("I")).append(doc)
        for rid in f.relations:
            self.relation_docs.setdefault(rid, array("I")).append(doc)
        for t in f.topics:
            self.topic_docs.setdefault(t, array("I")).append(doc)
        for sid in dict.fromkeys(c.source for c in f.citations):
            self.source_docs.setdefault(sid, array("I")).append(doc)
        if f.value is not None:
            self.metric_docs.setdefault(f.value.metric, array("I")).append(doc)


# The name index: each folded term's entities and relations (("entity"|"relation", id), ...), the
# pairs of folded words side by side in a name, and the words of people's and places' names.
Names = tuple[dict[str, tuple[tuple[str, str], ...]], frozenset[str], frozenset[str]]


def _name_index(refs: Base, phrases: _Phrases) -> Names:
    """Entity and relation names and aliases, indexed once rather than copied into every fact."""
    names: dict[str, set[tuple[str, str]]] = {}
    pairs: set[str] = set()
    proper = {
        w.folded
        for e in refs.entities.values()
        if e.kind in PROPER_KINDS
        for label in e.names
        for w in words(label)
    }
    labelled = [(("entity", e.id), (e.id.replace("-", " "), *e.names)) for e in refs.entities.values()]
    labelled += [(("relation", r.id), (r.id.replace("-", " "), *r.names)) for r in refs.relations.values()]
    for ref, labels in labelled:
        for label in labels:
            ws = words(label)
            for w in ws:
                names.setdefault(w.folded, set()).add(ref)
            for key in phrases.find([w.folded for w in ws]):
                names.setdefault(key, set()).add(ref)
            pairs.update(f"{a.folded} {b.folded}" for a, b in pairwise(ws))
    return {k: tuple(sorted(v)) for k, v in names.items()}, frozenset(pairs), frozenset(proper)


def _assemble(
    ids: list[str],
    columns: _Columns,
    names: Names,
    refs: Base,
    synonyms: dict[str, tuple[str, ...]],
    impact_from: int,
) -> Index:
    """The Index of what was gathered: postings flattened into a few large arrays, the term
    list, the impact orders of the terms in at least `impact_from` docs."""
    import pickle

    terms, term_offsets, (term_docs, term_packed), term_crcs = _flatten(columns.postings)
    term_blob, term_starts = _strings_blob(terms)
    id_blob, id_offsets = _strings_blob(ids)
    length_order, length_starts = _length_index(terms)
    exact_terms, exact_offsets, exact_columns, exact_crcs = _flatten(
        {k: (v,) for k, v in columns.exact.items()}
    )
    name_terms, name_pairs, proper_words = names
    doclen = columns.doclen
    avgdl = (sum(doclen) / len(doclen)) if doclen else 1.0
    impact_terms, impact_bounds, impact_crcs, impact_pos = _impact_orders(
        term_offsets,
        term_docs,
        term_packed,
        [length_norm(x, avgdl) for x in doclen],
        bytes(columns.kinds),
        impact_from,
    )
    index = Index(
        id_blob=id_blob,
        id_offsets=id_offsets,
        # The store is not copied into bytes: the copy would be as large as the store, at the build's peak.
        store=columns.store,
        offsets=columns.offsets,
        term_blob=term_blob,
        term_starts=term_starts,
        term_blob_crc=zlib.crc32(term_blob),
        term_offsets=term_offsets,
        term_docs=term_docs,
        term_packed=term_packed,
        term_crcs=term_crcs,
        length_order=length_order,
        length_starts=length_starts,
        exact_terms=exact_terms,
        exact_offsets=exact_offsets,
        exact_crcs=exact_crcs,
        exact_docs=exact_columns[0] if exact_columns else array("I"),
        names=name_terms,
        name_pairs=name_pairs,
        proper_words=proper_words,
        entity_docs=columns.entity_docs,
        relation_docs=columns.relation_docs,
        topic_docs=columns.topic_docs,
        source_docs=columns.source_docs,
        metric_docs=columns.metric_docs,
        doclen=doclen,
        kinds=bytes(columns.kinds),
        date_lo=columns.date_lo,
        date_hi=columns.date_hi,
        sources=refs.sources,
        refs=pickle.dumps((refs.relations, refs.entities, refs.metrics), protocol=pickle.HIGHEST_PROTOCOL),
        name_df={},
        impact_terms=impact_terms,
        impact_bounds=impact_bounds,
        impact_crcs=impact_crcs,
        impact_pos=impact_pos,
        avgdl=avgdl,
        synonyms=synonyms,
    )
    # Counted once here rather than by a set union in every search that has a name word.
    index.name_df = {term: len(index._doc_set((term,))) for term in index.names}
    return index
