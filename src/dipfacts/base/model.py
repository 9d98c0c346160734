"""The fact base as immutable, typed objects.

Everything the loader accepts becomes one of these; nothing downstream ever
sees raw TOML, so the rest of the code can trust types and references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dipfacts.base.dates import EDTF

FactKind = Literal["event", "figure", "state"]
FACT_KINDS: tuple[str, ...] = ("event", "figure", "state")
COMPARATORS: tuple[str, ...] = ("=", ">", "<", "~", "<~")  # "<~": nearly, just under (gần)
ENTITY_KINDS: tuple[str, ...] = (
    "country",
    "organisation",
    "person",
    "agreement",
    "meeting-series",
    "meeting",
    "company",
    "region",
    "programme",
    "document",
)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an item was defined, so any later complaint can point a curator at it."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    title_en: str
    published: EDTF
    language: str
    publisher: str | None = None
    author: str | None = None
    file: str | None = None
    url: str | None = None
    note: str | None = None
    accessed: EDTF | None = None  # when the page was read: a page may change after it is quoted
    origin: Origin = field(default=Origin("?"), compare=False, repr=False)

    @property
    def english_title(self) -> str:
        """The title in English, or the article's own where the base gives none (a new source
        drafted by `extract` has none: the title is the article's, its translation optional)."""
        return self.title_en or self.title


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    name: str
    name_vi: str
    parties: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    origin: Origin = field(default=Origin("?"), compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every way the base names it: name, Vietnamese name, aliases."""
        return (self.name, self.name_vi, *self.aliases)


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    name_vi: str
    kind: str
    aliases: tuple[str, ...] = ()
    office: str | None = None
    office_vi: str | None = None
    origin: Origin = field(default=Origin("?"), compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every way the base names it: name, Vietnamese name, aliases."""
        return (self.name, self.name_vi, *self.aliases)


@dataclass(frozen=True, slots=True)
class Metric:
    """What a figure measures: the series its values belong to, and the words that name it.

    Questions are matched to figures through these names ("how much was trade…" needs a metric
    called trade), and `source`/`target` say which way a flow goes, so that Kazakhstan's exports
    to Vietnam never answer for Vietnam's exports to Kazakhstan."""

    id: str
    name: str
    name_vi: str
    unit: str
    aliases: tuple[str, ...] = ()
    subject: str | None = None  # the entity whose quantity it is (Kazakhstan's oil reserves)
    source: str | None = None  # a flow's origin: the exporter, the investor (`from` in TOML)
    target: str | None = None  # a flow's destination: the importer, the host (`to` in TOML)
    origin: Origin = field(default=Origin("?"), compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.name_vi, *self.aliases)

    @property
    def parties(self) -> tuple[str, ...]:
        """The entities the metric itself names: whose it is, or from whom to whom."""
        return tuple(e for e in (self.subject, self.source, self.target) if e is not None)


@dataclass(frozen=True, slots=True)
class Value:
    """A figure's number, in base units, with how exactly the article states it."""

    amount: int | float
    unit: str
    metric: str
    comparator: str = "="
    change: float | None = None
    vs: EDTF | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """One source's word for a fact: its quote, and what it says where it disagrees.

    The fact's own date and value are the preferred ones (as Wikidata's preferred rank); a
    citation carries `date` or `value` only when its source states another, and such a
    disagreement is kept and shown, never dropped."""

    source: str
    quote: str
    date: EDTF | None = None  # the date this source gives, when it is not the fact's
    value: Value | None = None  # the value this source gives, when it is not the fact's
    note: str | None = None  # why it differs, or which is known to be wrong
    origin: Origin = field(default=Origin("?"), compare=False, repr=False)

    @property
    def disagrees(self) -> bool:
        return self.date is not None or self.value is not None


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    kind: str
    date: EDTF
    text: str
    text_vi: str
    citations: tuple[Citation, ...]
    relations: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    status: str | None = None
    value: Value | None = None
    origin: Origin = field(default=Origin("?"), compare=False, repr=False)

    @property
    def disputed(self) -> bool:
        """Whether any of its sources gives another date or value."""
        return any(c.disagrees for c in self.citations)


@dataclass(frozen=True, slots=True)
class Synonyms:
    """One group of words (or short phrases) a user may type for one another, as written."""

    words: tuple[str, ...]
    origin: Origin = field(default=Origin("?"), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Base:
    """A whole, validated fact base: every reference in it resolves."""

    facts: tuple[Fact, ...]
    facts_by_id: dict[str, Fact]
    sources: dict[str, Source]
    relations: dict[str, Relation]
    entities: dict[str, Entity]
    files: tuple[str, ...] = ()
    metrics: dict[str, Metric] = field(default_factory=dict)
    synonyms: tuple[Synonyms, ...] = ()
    mentions: tuple[
        tuple[str, Citation], ...
    ] = ()  # [[cite]] tables: (fact id, citation) of facts defined elsewhere
