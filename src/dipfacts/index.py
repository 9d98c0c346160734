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
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from dipfacts.dates import parse_edtf
from dipfacts.model import Base, Citation, Entity, Fact, Relation, Source, Value
from dipfacts.normalize import Word, number_key, words

# Field bits. Text and Vietnamese text rank first, then entity names and aliases, then ids, topics and
# numbers, then quotes (which repeat the text in the article's words).
TEXT, TEXT_VI, ENTITY, META, QUOTE = 1, 2, 4, 8, 16
FIELD_NAMES = {TEXT: "text", TEXT_VI: "text_vi", ENTITY: "entity", META: "meta", QUOTE: "quote"}
FIELD_TIER = {TEXT: 0, TEXT_VI: 0, ENTITY: 1, META: 2, QUOTE: 3}
FIELD_WEIGHT = {TEXT: 1.0, TEXT_VI: 1.0, ENTITY: 1.0, META: 0.7, QUOTE: 0.5}
KINDS = ("event", "figure", "state")
_FIELD_BITS = 5
_OPEN_LO, _OPEN_HI = -(2**31), 2**31 - 1


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


# --- fact records: small while stored, a Fact when shown ---------------------------------------


def _pack_fact(f: Fact, sequences: tuple[str, str]) -> bytes:
    value = None
    if f.value is not None:
        v = f.value
        value = (v.amount, v.unit, v.metric, v.comparator, v.change, str(v.vs) if v.vs else None)
    cites = tuple((c.source, c.quote) for c in f.citations)
    record = (f.id, f.kind, str(f.date), f.text, f.text_vi, cites, f.relations, f.topics, f.entities, f.status, value, sequences)
    return zlib.compress(marshal.dumps(record), 1)


def _unpack(blob: bytes) -> tuple:
    return marshal.loads(zlib.decompress(blob))


def _unpack_fact(record: tuple) -> Fact:
    fid, kind, date, text, text_vi, cites, relations, topics, entities, status, value, _ = record
    v = None
    if value is not None:
        amount, unit, metric, comparator, change, vs = value
        v = Value(amount, unit, metric, comparator, change, parse_edtf(vs) if vs else None)
    return Fact(
        id=fid,
        kind=kind,
        date=parse_edtf(date),
        text=text,
        text_vi=text_vi,
        citations=tuple(Citation(s, q) for s, q in cites),
        relations=tuple(relations),
        topics=tuple(topics),
        entities=tuple(entities),
        status=status,
        value=v,
    )


# --- the index --------------------------------------------------------------------------------------


def _flatten(lists: dict[str, tuple[array, ...]]) -> tuple[dict[str, int], array, list[array]]:
    """Many small arrays as one big array per column, and each key's slice by number.

    A hundred thousand facts make tens of thousands of posting lists; as a few
    large arrays they pickle and load in one piece instead of as 60,000 objects.
    """
    keys = sorted(lists)
    width = len(next(iter(lists.values()))) if lists else 1
    columns = [array("I") for _ in range(width)]
    offsets = array("Q", [0])
    for key in keys:
        for column, part in zip(columns, lists[key]):
            column.extend(part)
        offsets.append(len(columns[0]))
    return {k: i for i, k in enumerate(keys)}, offsets, columns


@dataclass
class Index:
    ids: list[str]
    store: bytes  # each fact's compressed record, end to end
    offsets: array  # where each record starts in `store`
    terms: dict[str, int]  # folded term -> its number
    term_offsets: array
    term_docs: array  # docs of term n: term_docs[term_offsets[n]:term_offsets[n + 1]]
    term_packed: array  # tf*10 << 5 | field bits, beside term_docs
    exact_terms: dict[str, int]  # exact key (where it differs from the folded one) -> its number
    exact_offsets: array
    exact_docs: array
    names: dict[str, tuple[tuple[str, str], ...]]  # folded term -> (("entity"|"relation", id), ...)
    entity_docs: dict[str, array]
    relation_docs: dict[str, array]
    topic_docs: dict[str, array]
    doclen: array
    kinds: bytes
    date_lo: array
    date_hi: array
    vocab: list[str]
    sources: dict[str, Source]
    relations: dict[str, Relation]
    entities: dict[str, Entity]
    avgdl: float = 1.0
    by_length: dict[int, list[str]] = field(default_factory=dict)
    _records: dict[int, tuple] = field(default_factory=dict, repr=False)
    _facts: dict[int, Fact] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def record(self, doc: int) -> tuple:
        found = self._records.get(doc)
        if found is None:
            found = self._records[doc] = _unpack(self.store[self.offsets[doc] : self.offsets[doc + 1]])
        return found

    def fact(self, doc: int) -> Fact:
        found = self._facts.get(doc)
        if found is None:
            found = self._facts[doc] = _unpack_fact(self.record(doc))
        return found

    def sequences(self, doc: int) -> tuple[str, str]:
        """The folded words of a fact's text and text_vi, for proximity."""
        return self.record(doc)[-1]

    def has_term(self, term: str) -> bool:
        return term in self.terms or term in self.names

    def postings(self, term: str) -> tuple[array, array] | None:
        n = self.terms.get(term)
        if n is None:
            return None
        a, b = self.term_offsets[n], self.term_offsets[n + 1]
        return self.term_docs[a:b], self.term_packed[a:b]

    def exact_docs_of(self, key: str) -> array | None:
        n = self.exact_terms.get(key)
        if n is None:
            return None
        return self.exact_docs[self.exact_offsets[n] : self.exact_offsets[n + 1]]

    def base_view(self) -> Base:
        """The parts of a Base that rendering needs (sources for citations)."""
        return Base(facts=(), facts_by_id={}, sources=self.sources, relations=self.relations, entities=self.entities)

    def prefixed(self, prefix: str, limit: int = 64) -> list[str]:
        i = bisect.bisect_left(self.vocab, prefix)
        out = []
        while i < len(self.vocab) and self.vocab[i].startswith(prefix) and len(out) < limit:
            out.append(self.vocab[i])
            i += 1
        return out

    def name_docs(self, term: str) -> array:
        """Documents reached through an entity or relation name or alias containing `term`."""
        refs = self.names.get(term, ())
        if not refs:
            return array("I")
        merged: set[int] = set()
        for kind, ident in refs:
            merged.update((self.entity_docs if kind == "entity" else self.relation_docs).get(ident, ()))
        return array("I", sorted(merged))

    def __getstate__(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("_facts", "_records", "by_length")}

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            setattr(self, k, v)
        self._facts = {}
        self._records = {}
        self.by_length = _by_length(self.vocab)


def _by_length(vocab: Iterable[str]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for term in vocab:
        out.setdefault(len(term), []).append(term)
    return out


def _meta_text(f: Fact) -> list[str]:
    parts = [f.id.replace("/", " ").replace("-", " "), " ".join(f.topics), f.kind]
    if f.status:
        parts.append(f.status)
    if f.value is not None:
        parts += [f.value.unit, f.value.metric.replace("-", " ")]
    lo, hi = f.date.lower, f.date.upper
    if lo and hi and hi[0] - lo[0] <= 10:
        parts += [str(y) for y in range(lo[0], hi[0] + 1)]
    return parts


def build_index(base: Base) -> Index:
    """Index every fact of `base`; the order of documents is the order of fact ids."""
    facts = sorted(base.facts, key=lambda f: f.id)
    postings: dict[str, tuple[array, array]] = {}
    exact: dict[str, array] = {}
    doclen = array("f")
    store = bytearray()
    offsets = array("Q", [0])
    date_lo, date_hi = array("i"), array("i")
    kinds = bytearray()
    entity_docs: dict[str, array] = {}
    relation_docs: dict[str, array] = {}
    topic_docs: dict[str, array] = {}
    for doc, f in enumerate(facts):
        weighted: dict[str, float] = {}
        bits: dict[str, int] = {}
        exact_here: set[str] = set()
        length = 0.0
        fields: list[tuple[int, list[Word]]] = [
            (TEXT, words(f.text)),
            (TEXT_VI, words(f.text_vi)),
            (META, [w for part in _meta_text(f) for w in words(part)]),
            (QUOTE, [w for c in f.citations for w in words(c.quote)]),
        ]
        if f.value is not None:
            fields[2][1].extend(Word(0, 0, 0, k, k) for k in amount_keys(f.value.amount))
        store += _pack_fact(f, (" ".join(w.folded for w in fields[0][1]), " ".join(w.folded for w in fields[1][1])))
        offsets.append(len(store))
        for bit, ws in fields:
            weight = FIELD_WEIGHT[bit]
            length += weight * len(ws)
            for w in ws:
                weighted[w.folded] = weighted.get(w.folded, 0.0) + weight
                bits[w.folded] = bits.get(w.folded, 0) | bit
                if w.exact != w.folded:
                    exact_here.add(w.exact)
        for term, tf in weighted.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = (array("I"), array("I"))
            entry[0].append(doc)
            entry[1].append((min(int(tf * 10 + 0.5), 2**26) << _FIELD_BITS) | bits[term])
        for key in exact_here:
            exact.setdefault(key, array("I")).append(doc)
        doclen.append(length)
        kinds.append(KINDS.index(f.kind))
        lo, hi = f.date.lower, f.date.upper
        date_lo.append(day_number(lo) if lo else _OPEN_LO)
        date_hi.append(day_number(hi) if hi else _OPEN_HI)
        for eid in f.entities:
            entity_docs.setdefault(eid, array("I")).append(doc)
        for rid in f.relations:
            relation_docs.setdefault(rid, array("I")).append(doc)
        for t in f.topics:
            topic_docs.setdefault(t, array("I")).append(doc)

    names: dict[str, set[tuple[str, str]]] = {}
    for e in base.entities.values():
        for label in (e.id.replace("-", " "), e.name, e.name_vi, *e.aliases):
            for w in words(label):
                names.setdefault(w.folded, set()).add(("entity", e.id))
    for r in base.relations.values():
        for label in (r.id.replace("-", " "), r.name, r.name_vi, *r.aliases):
            for w in words(label):
                names.setdefault(w.folded, set()).add(("relation", r.id))
    vocab = sorted(set(postings) | set(names))
    terms, term_offsets, (term_docs, term_packed) = _flatten(postings)
    exact_terms, exact_offsets, exact_columns = _flatten({k: (v,) for k, v in exact.items()})
    return Index(
        ids=[f.id for f in facts],
        store=bytes(store),
        offsets=offsets,
        terms=terms,
        term_offsets=term_offsets,
        term_docs=term_docs,
        term_packed=term_packed,
        exact_terms=exact_terms,
        exact_offsets=exact_offsets,
        exact_docs=exact_columns[0] if exact_columns else array("I"),
        names={k: tuple(sorted(v)) for k, v in names.items()},
        entity_docs=entity_docs,
        relation_docs=relation_docs,
        topic_docs=topic_docs,
        doclen=doclen,
        kinds=bytes(kinds),
        date_lo=date_lo,
        date_hi=date_hi,
        vocab=vocab,
        sources=dict(base.sources),
        relations=dict(base.relations),
        entities=dict(base.entities),
        avgdl=(sum(doclen) / len(doclen)) if doclen else 1.0,
        by_length=_by_length(vocab),
    )
