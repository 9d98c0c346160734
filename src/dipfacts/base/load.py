"""Reading fact bases from TOML into a validated `Base`.

The loader is strict on purpose: a fact tool is only as good as its data, and
curators fix problems fastest when told all of them at once, each with the
file, the line and the item it concerns.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from dipfacts.base.dates import EDTF, DateError, parse_edtf
from dipfacts.base.errors import BaseError, Problem
from dipfacts.base.files import ENV_VAR, base_files, builtin_path, collect_files, display, env_paths  # noqa: F401 - re-exported
from dipfacts.base.model import (
    COMPARATORS,
    ENTITY_KINDS,
    FACT_KINDS,
    Base,
    Citation,
    Entity,
    Fact,
    Metric,
    Origin,
    Relation,
    Source,
    Synonyms,
    Value,
)
from dipfacts.base.normalize import squash, words
from dipfacts.base.suggest import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]  # only below Python 3.11

MAX_QUOTE = 400
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FACT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")
TABLES = ("source", "relation", "entity", "metric", "fact", "cite", "synonyms")
T = TypeVar("T")

# --- the schema -----------------------------------------------------------------------

STR, STRS, NUM, TABLE, TABLES_T, BOOL = (
    "string",
    "list of strings",
    "number",
    "table",
    "array of tables",
    "boolean",
)


@dataclass(frozen=True, slots=True)
class Field:
    type: str
    required: bool = False


SCHEMA: dict[str, dict[str, Field]] = {
    "source": {
        "id": Field(STR, True),
        "title": Field(STR, True),
        "title_en": Field(STR),
        "published": Field(STR, True),
        "language": Field(STR, True),
        "publisher": Field(STR),
        "author": Field(STR),
        "file": Field(STR),
        "url": Field(STR),
        "accessed": Field(STR),
        "note": Field(STR),
        "draft": Field(BOOL),
    },
    "relation": {
        "id": Field(STR, True),
        "name": Field(STR, True),
        "name_vi": Field(STR, True),
        "parties": Field(STRS, True),
        "aliases": Field(STRS),
        "draft": Field(BOOL),
    },
    "entity": {
        "id": Field(STR, True),
        "name": Field(STR, True),
        "name_vi": Field(STR, True),
        "kind": Field(STR, True),
        "aliases": Field(STRS),
        "office": Field(STR),
        "office_vi": Field(STR),
    },
    "metric": {
        "id": Field(STR, True),
        "name": Field(STR, True),
        "name_vi": Field(STR, True),
        "unit": Field(STR, True),
        "aliases": Field(STRS),
        "subject": Field(STR),
        "from": Field(STR),
        "to": Field(STR),
        "draft": Field(BOOL),
    },
    "fact": {
        "id": Field(STR, True),
        "kind": Field(STR, True),
        "date": Field(STR, True),
        "status": Field(STR),
        "relations": Field(STRS, True),
        "topics": Field(STRS),
        "entities": Field(STRS),
        "text": Field(STR, True),
        "text_vi": Field(STR, True),
        "value": Field(TABLE),
        "cite": Field(TABLES_T, True),
        "draft": Field(BOOL),
    },
    "value": {
        "amount": Field(NUM, True),
        "unit": Field(STR, True),
        "metric": Field(STR, True),
        "comparator": Field(STR),
        "change": Field(NUM),
        "vs": Field(STR),
    },
    "cite": {
        "source": Field(STR, True),
        "quote": Field(STR, True),
        "date": Field(STR),
        "value": Field(TABLE),
        "note": Field(STR),
    },
    # A top-level [[cite]]: one more source for a fact defined elsewhere (another file, or the
    # built-in base under an extra one).
    "mention": {
        "fact": Field(STR, True),
        "source": Field(STR, True),
        "quote": Field(STR, True),
        "date": Field(STR),
        "value": Field(TABLE),
        "note": Field(STR),
    },
    # The value a citation gives when it disagrees: the fact's metric is implied.
    "cite_value": {
        "amount": Field(NUM, True),
        "unit": Field(STR, True),
        "comparator": Field(STR),
        "change": Field(NUM),
        "vs": Field(STR),
    },
    "synonyms": {
        "words": Field(STRS, True),
    },
}

_TOML_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a float",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
}


def _type_name(value: Any) -> str:
    for t, name in _TOML_TYPE_NAMES.items():
        if type(value) is t:
            return name
    return "a date/time" if hasattr(value, "isoformat") else type(value).__name__


def _has_type(value: Any, expected: str) -> bool:
    if expected == STR:
        return isinstance(value, str)
    if expected == STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected == NUM:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == TABLE:
        return isinstance(value, dict)
    if expected == BOOL:
        return isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


# --- where things are in a file --------------------------------------------------------

_HEADER = re.compile(rf"^\s*\[\[\s*({'|'.join(TABLES)})\s*\]\]\s*(#.*)?$")
_CITE_HEADER = re.compile(r"^\s*\[\[\s*fact\s*\.\s*cite\s*\]\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")


class _Lines:
    """Finds the line of each [[table]] and of each key in it.

    tomllib returns no positions, so we scan the text: the n-th `[[fact]]`
    header belongs to the n-th fact. Good enough to send a curator to the right
    place; None where a table was written inline instead.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {t: [] for t in TABLES}
        self.cites: list[int] = []
        for no, line in enumerate(self.lines, 1):
            if m := _HEADER.match(line):
                self.headers[m.group(1)].append(no)
            elif _CITE_HEADER.match(line):
                self.cites.append(no)

    def table(self, kind: str, index: int) -> int | None:
        found = self.headers.get(kind, [])
        return found[index] if index < len(found) else None

    def end_of(self, start: int) -> int:
        for no in range(start + 1, len(self.lines) + 1):
            if _HEADER.match(self.lines[no - 1]):
                return no - 1
        return len(self.lines)

    def key(self, start: int | None, key: str, stop: int | None = None) -> int | None:
        """The line of `key = …` in the table starting at `start` (before any sub-table)."""
        if start is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        end = stop if stop is not None else len(self.lines)
        for no in range(start + 1, end + 1):
            line = self.lines[no - 1]
            if _ANY_HEADER.match(line):
                break
            if pattern.match(line):
                return no
        return start or None

    def entry(self, start: int | None, key: str, text: str, nth: int = 0) -> int | None:
        """The line of the nth entry `text` of the array `key = [...]` in the table starting at
        `start`: an array may span lines, one entry a line. The key's line when not found."""
        first = self.key(start, key)
        if first is None:
            return None
        end = self.end_of(start) if start is not None else len(self.lines)
        written = (json.dumps(text, ensure_ascii=False), f"'{text}'")  # as a basic or a literal string
        seen = 0
        for no in range(first, end + 1):
            if any(w in self.lines[no - 1] for w in written):
                if seen == nth:
                    return no
                seen += 1
        return first

    def top(self, key: str) -> int | None:
        """The first line that defines top-level `key`: `[[key]]`, `[key]` or `key = …`."""
        pattern = re.compile(rf"^\s*(\[\[?\s*{re.escape(key)}\s*[\].]|{re.escape(key)}\s*=)")
        for no, line in enumerate(self.lines, 1):
            if pattern.match(line):
                return no
        return None

    def cites_in(self, start: int | None) -> list[int]:
        if start is None:
            return []
        end = self.end_of(start)
        return [no for no in self.cites if start < no <= end]


# --- loading ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FactRefs:
    """What the loader keeps of a fact once the fact itself has gone to the sink.

    Only what the duplicate-id check and `check_references` read: where the fact is, and
    what it refers to. Its ids, file name, line numbers and id tuples are shared between facts
    (see `_Loader.share`): about 200 bytes a fact (measured at 20,000) instead of a 2.8 KB Fact.
    """

    file: str
    line: int | None
    relations: tuple[str, ...]
    value: tuple[str, str] | None  # (metric, unit) of a figure
    entities: tuple[str, ...]
    cites: tuple[tuple[str, int | None], ...]  # (source id, line of the [[fact.cite]]), in the fact's file

    @property
    def origin(self) -> Origin:
        return Origin(self.file, self.line)


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """Where a [[source]] that did not load says its article is: all `check` needs to verify
    the quotes citing it in the same run that reports what is wrong with the source."""

    id: str
    file: str | None
    origin: Origin


@dataclass
class _Loader:
    sink: Callable[[Fact], None]  # receives each valid fact as soon as it is read
    problems: list[Problem] = field(default_factory=list)
    # The citations of [[fact]] tables and the articles of [[source]] tables that did not load,
    # for `check` (load_partial); few, since only broken tables add to them.
    unloaded_citations: list[tuple[str, Citation]] = field(default_factory=list)
    unloaded_sources: dict[str, ArticleRef] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    mentions: list[tuple[str, Citation]] = field(default_factory=list)
    facts: dict[str, _FactRefs] = field(default_factory=dict)
    synonyms: list[Synonyms] = field(default_factory=list)
    synonym_keys: dict[tuple[str, ...], tuple[str, Origin, int]] = field(
        default_factory=dict
    )  # key -> (as written, where, group)
    shared: dict[Any, Any] = field(
        default_factory=dict
    )  # one copy of each id, file name, line number, id tuple

    def share(self, item: T) -> T:
        """The first equal item seen: thousands of facts name the same few ids, and would
        otherwise each keep their own copy of them."""
        return self.shared.setdefault(item, item)

    def problem(
        self, origin: Origin | str, message: str, item: str | None = None, column: int | None = None
    ) -> None:
        if isinstance(origin, Origin):
            self.problems.append(Problem(origin.file, origin.line, message, item, column))
        else:
            self.problems.append(Problem(origin, None, message, item, column))

    # one file -----------------------------------------------------------------------

    def read(self, path: Path) -> None:
        name = display(path)
        try:
            raw = path.read_bytes()
        except OSError as e:
            self.problem(name, f"cannot read: {e.strerror or e}")
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            self.problems.append(
                Problem(name, line, f"not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})")
            )
            return
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            msg = str(e)
            m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
            where = (int(m.group(1)), int(m.group(2))) if m else (None, None)
            msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
            self.problems.append(Problem(name, where[0], f"TOML syntax error: {msg}", column=where[1]))
            return
        lines = _Lines(text)
        for key, value in doc.items():
            if key not in TABLES:
                self.problem(Origin(name, lines.top(key)), self._unknown("table", key, TABLES))
                continue
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                self.problem(
                    Origin(name, lines.top(key)), f"'{key}' must be an array of tables, written [[{key}]]"
                )
                continue
            for index, table in enumerate(value):
                start = lines.table(key, index)
                getattr(self, f"_{key}")(table, Origin(name, start), lines)

    @staticmethod
    def _unknown(what: str, key: str, known: Iterable[str]) -> str:
        guesses = did_you_mean(key, known, limit=1)
        hint = f" (did you mean '{guesses[0]}'?)" if guesses else ""
        return f"unknown {what} '{key}'{hint}"

    def _shape(self, kind: str, table: dict[str, Any], origin: Origin, lines: _Lines, label: str) -> bool:
        """Unknown keys, missing keys, wrong types. True when the table is usable."""
        ok = True
        schema = SCHEMA[kind]
        for key, value in table.items():
            at = Origin(origin.file, lines.key(origin.line, key))
            if key not in schema:
                self.problem(at, self._unknown("key", key, schema), label)
                ok = False
            elif not _has_type(value, schema[key].type):
                hint = ""
                if schema[key].type == STR and key in ("date", "published", "accessed", "vs"):
                    hint = f' — quote it as an EDTF string: {key} = "{value}"'
                if schema[key].type == STRS and isinstance(value, list):  # name the item that is not a string
                    n, item = next((n, v) for n, v in enumerate(value, 1) if not isinstance(v, str))
                    self.problem(at, f"'{key}' must be a {STRS}: item {n} is {_type_name(item)}", label)
                else:
                    self.problem(
                        at, f"'{key}' must be a {schema[key].type}, not {_type_name(value)}{hint}", label
                    )
                ok = False
        for key, spec in schema.items():
            if spec.required and key not in table:
                self.problem(origin, f"missing required field '{key}'", label)
                ok = False
        for key in ("text", "text_vi", "title", "title_en", "name", "name_vi"):
            if key in schema and isinstance(table.get(key), str) and not table[key].strip():
                self.problem(Origin(origin.file, lines.key(origin.line, key)), f"'{key}' is empty", label)
        if table.get("draft") is True:  # written by `dipfacts extract`: never part of a base until finished
            todo = "text, text_vi, relations and the value's metric" if kind == "fact" else "its fields"
            self.problem(
                Origin(origin.file, lines.key(origin.line, "draft")),
                f"draft {kind}: check it against the article, fill in {todo}, then delete 'draft = true'",
                label,
            )
        return ok

    def _id(
        self, kind: str, table: dict[str, Any], origin: Origin, lines: _Lines, seen: Mapping[str, Any]
    ) -> str | None:
        raw = table.get("id")
        if not isinstance(raw, str):
            return None
        label = f"{kind} '{raw}'"
        pattern = FACT_ID if kind == "fact" else SLUG
        if not pattern.match(raw):
            shape = (
                "lowercase letters, digits and '-', parts joined by '/'"
                if kind == "fact"
                else "lowercase letters, digits and '-'"
            )
            self.problem(Origin(origin.file, lines.key(origin.line, "id")), f"bad id: use {shape}", label)
            return None
        if raw in seen:
            self.problem(origin, f"duplicate {kind} id (first defined at {seen[raw].origin})", label)
            return None
        return raw

    def _date(self, value: str, key: str, origin: Origin, lines: _Lines, label: str):
        try:
            return parse_edtf(value)
        except DateError as e:
            self.problem(Origin(origin.file, lines.key(origin.line, key)), f"'{key}': {e}", label)
            return None

    # the five kinds of table -------------------------------------------------------

    def _source(self, table: dict[str, Any], origin: Origin, lines: _Lines) -> None:
        label = f"source '{table.get('id', '?')}'"
        ok = self._shape("source", table, origin, lines, label)
        sid = self._id("source", table, origin, lines, self.sources)
        published = (
            self._date(table["published"], "published", origin, lines, label)
            if isinstance(table.get("published"), str)
            else None
        )
        accessed = (
            self._accessed(table["accessed"], origin, lines, label)
            if isinstance(table.get("accessed"), str)
            else None
        )
        ok = ok and published is not None and (accessed is not None or "accessed" not in table)
        if sid is None:
            return
        if not ok or published is None:
            if (
                sid not in self.unloaded_sources
            ):  # where its article is: check still verifies the quotes citing it
                file = table.get("file")
                self.unloaded_sources[sid] = ArticleRef(sid, file if isinstance(file, str) else None, origin)
            return
        fields = {k: table.get(k) for k in ("publisher", "author", "file", "url", "note")}
        self.sources[sid] = Source(
            sid,
            table["title"],
            table.get("title_en", ""),
            published,
            table["language"],
            accessed=accessed,
            origin=origin,
            **fields,
        )

    def _accessed(self, value: str, origin: Origin, lines: _Lines, label: str) -> EDTF | None:
        """The day (or month, or year) a curator read the page: one date, not a span or a season,
        so a reader knows which state of a page that may change was quoted."""
        date = self._date(value, "accessed", origin, lines, label)
        if date is not None and (date.interval or date.precision == "season"):
            at = Origin(origin.file, lines.key(origin.line, "accessed"))
            self.problem(
                at,
                (
                    f"'accessed': give the day the page was read (or its month or "
                    f"year), e.g. 2025-07-10, not '{value}'"
                ),
                label,
            )
            return None
        return date

    def _relation(self, table: dict[str, Any], origin: Origin, lines: _Lines) -> None:
        label = f"relation '{table.get('id', '?')}'"
        ok = self._shape("relation", table, origin, lines, label)
        rid = self._id("relation", table, origin, lines, self.relations)
        if ok and rid is not None:
            self.relations[rid] = Relation(
                rid,
                table["name"],
                table["name_vi"],
                tuple(table["parties"]),
                tuple(table.get("aliases", ())),
                origin=origin,
            )

    def _entity(self, table: dict[str, Any], origin: Origin, lines: _Lines) -> None:
        label = f"entity '{table.get('id', '?')}'"
        ok = self._shape("entity", table, origin, lines, label)
        eid = self._id("entity", table, origin, lines, self.entities)
        kind = table.get("kind")
        if isinstance(kind, str) and kind not in ENTITY_KINDS:
            self.problem(
                Origin(origin.file, lines.key(origin.line, "kind")),
                self._unknown("entity kind", kind, ENTITY_KINDS),
                label,
            )
            ok = False
        if kind == "person" and "office" not in table:
            self.problem(origin, "a person needs 'office', the office held at the time", label)
            ok = False
        if ok and eid is not None:
            self.entities[eid] = Entity(
                eid,
                table["name"],
                table["name_vi"],
                table["kind"],
                tuple(table.get("aliases", ())),
                table.get("office"),
                table.get("office_vi"),
                origin=origin,
            )

    def _metric(self, table: dict[str, Any], origin: Origin, lines: _Lines) -> None:
        label = f"metric '{table.get('id', '?')}'"
        ok = self._shape("metric", table, origin, lines, label)
        mid = self._id("metric", table, origin, lines, self.metrics)
        for key in ("unit", "subject", "from", "to"):
            if isinstance(table.get(key), str) and not table[key].strip():
                self.problem(Origin(origin.file, lines.key(origin.line, key)), f"'{key}' is empty", label)
                ok = False
        aliases = table.get("aliases", [])
        if isinstance(aliases, list) and any(isinstance(a, str) and not a.strip() for a in aliases):
            self.problem(Origin(origin.file, lines.key(origin.line, "aliases")), "an alias is empty", label)
            ok = False
        if ok and mid is not None:
            self.metrics[mid] = Metric(
                mid,
                table["name"],
                table["name_vi"],
                table["unit"],
                tuple(aliases),
                table.get("subject"),
                table.get("from"),
                table.get("to"),
                origin=origin,
            )

    def _fact_cites(
        self, raw_cites: Any, origin: Origin, lines: _Lines, label: str, value: Value | None
    ) -> tuple[list[Citation], bool]:
        """A fact's [[fact.cite]] tables, each a citation (a figure's takes the fact's metric), and
        whether all of them were sound."""
        citations: list[Citation] = []
        if not isinstance(raw_cites, list):
            return citations, True
        ok = True
        if not raw_cites:
            self.problem(origin, "a fact needs at least one [[fact.cite]]", label)
            ok = False
        cite_lines = lines.cites_in(origin.line)
        for i, cite in enumerate(raw_cites):
            if not isinstance(cite, dict):
                continue
            c_origin = Origin(origin.file, cite_lines[i] if i < len(cite_lines) else origin.line)
            citation = self._citation("cite", cite, c_origin, lines, label)
            if citation is None:
                ok = False
                continue
            if citation.value is not None and value is not None:
                citation = replace(citation, value=replace(citation.value, metric=value.metric))
            elif citation.value is not None:
                self.problem(
                    Origin(c_origin.file, lines.key(c_origin.line, "value")),
                    "only a figure's citation can give another value",
                    label,
                )
                ok = False
            citations.append(citation)
        return citations, ok

    def _fact(self, table: dict[str, Any], origin: Origin, lines: _Lines) -> None:
        label = f"fact '{table.get('id', '?')}'"
        ok = self._shape("fact", table, origin, lines, label)
        fid = self._id("fact", table, origin, lines, self.facts)
        at = lambda key: Origin(origin.file, lines.key(origin.line, key))  # noqa: E731

        kind = table.get("kind")
        if isinstance(kind, str) and kind not in FACT_KINDS:
            self.problem(
                at("kind"),
                self._unknown("kind", kind, FACT_KINDS) + "; a fact is an event, a figure or a state",
                label,
            )
            ok = False
        status = table.get("status")
        if isinstance(status, str) and status != "planned":
            self.problem(at("status"), f"unknown status '{status}': the only status is 'planned'", label)
            ok = False
        for key in ("topics",):
            for topic in table.get(key, []) if isinstance(table.get(key), list) else []:
                if isinstance(topic, str) and not SLUG.match(topic):
                    self.problem(
                        at(key), f"bad topic '{topic}': use lowercase letters, digits and '-'", label
                    )
                    ok = False
        date = (
            self._date(table["date"], "date", origin, lines, label)
            if isinstance(table.get("date"), str)
            else None
        )
        ok = ok and date is not None

        value = None
        raw_value = table.get("value")
        if kind == "figure" and raw_value is None:
            self.problem(origin, "a figure needs a value = { amount, unit, metric }", label)
            ok = False
        elif raw_value is not None and kind in ("event", "state"):
            self.problem(at("value"), f"only a figure has a value; this fact is an {kind}", label)
            ok = False
        elif isinstance(raw_value, dict):
            value = self._value(raw_value, at("value"), lines, label)
            ok = ok and value is not None

        citations, cited = self._fact_cites(table.get("cite"), origin, lines, label, value)
        ok = ok and cited

        if ok and fid is not None and date is not None and isinstance(kind, str):
            fact = Fact(
                id=fid,
                kind=kind,
                date=date,
                text=table["text"],
                text_vi=table["text_vi"],
                citations=tuple(citations),
                relations=tuple(table["relations"]),
                topics=tuple(table.get("topics", ())),
                entities=tuple(table.get("entities", ())),
                status=status,
                value=value,
                origin=origin,
            )
            self.facts[fid] = self._refs(fact)
            self.sink(fact)
        else:
            self.unloaded_citations += [(label, c) for c in citations]

    def _synonyms(self, table: dict[str, Any], origin: Origin, lines: _Lines) -> None:
        """A group of words a user may type for one another. Each entry is compared as search
        compares words (folded, stemmed: 'Tourists' is 'tourist'), so an entry may stand in one
        group only: two groups sharing one would silently be one."""
        raw = table.get("words")
        first = (
            next((w for w in raw if isinstance(w, str) and w.strip()), None)
            if isinstance(raw, list)
            else None
        )
        label = f"synonyms '{first}'" if first is not None else "synonyms"
        if not self._shape("synonyms", table, origin, lines, label):
            return
        group = len(self.synonyms)
        keys: dict[tuple[str, ...], str] = {}
        written: dict[str, int] = {}
        ok = True
        for n, entry in enumerate(raw if isinstance(raw, list) else [], 1):
            nth = written.get(entry, 0)
            written[entry] = nth + 1
            at = Origin(origin.file, lines.entry(origin.line, "words", entry, nth))
            if not entry.strip():
                self.problem(at, f"entry {n} of 'words' is empty", label)
                ok = False
                continue
            key = tuple(w.folded for w in words(entry))
            if not key:
                self.problem(at, f"'{entry}' has no word or number to search for", label)
                ok = False
                continue
            if key in keys:
                if squash(keys[key]).casefold() == squash(entry).casefold():
                    self.problem(at, f"'{entry}' is listed twice", label)
                    ok = False
                continue  # 'founded' and 'founding' are one word to search: both may be written
            keys[key] = entry
            other = self.synonym_keys.get(key)
            if other is not None and other[2] != group:
                as_written = f" as '{other[0]}'" if other[0] != entry else ""
                self.problem(
                    at,
                    (
                        f"'{entry}' is already in another group (at {other[1]}{as_written}): "
                        f"a word belongs to one group"
                    ),
                    label,
                )
                ok = False
                continue
            self.synonym_keys[key] = (entry, at, group)
        if ok and len(keys) < 2:
            self.problem(
                origin,
                f"a group needs at least two different words to stand for each other; it has {len(keys)}",
                label,
            )
            ok = False
        if ok:
            self.synonyms.append(Synonyms(tuple(raw or ()), origin=origin))
        else:
            self.synonyms.append(Synonyms((), origin=origin))  # keeps group numbers apart; holds no word

    def _citation(
        self, kind: str, cite: dict[str, Any], origin: Origin, lines: _Lines, label: str
    ) -> Citation | None:
        """A [[fact.cite]] or a [[cite]]: its quote checked, and the date or value it gives
        where its source disagrees with the fact's."""
        if not self._shape(kind, cite, origin, lines, label):
            return None
        quote = cite["quote"]
        at = lambda key: Origin(origin.file, lines.key(origin.line, key))  # noqa: E731
        if len(quote) > MAX_QUOTE:
            self.problem(
                at("quote"),
                (
                    f"quote is {len(quote)} characters; at most {MAX_QUOTE}: cite "
                    f"the shortest span that states the fact"
                ),
                label,
            )
            return None
        if not quote.strip():
            self.problem(at("quote"), "quote is empty", label)
            return None
        date = self._date(cite["date"], "date", origin, lines, label) if "date" in cite else None
        if "date" in cite and date is None:
            return None
        value = None
        if "value" in cite:
            value = self._value(cite["value"], at("value"), lines, label, schema="cite_value")
            if value is None:
                return None
        return Citation(cite["source"], quote, date=date, value=value, note=cite.get("note"), origin=origin)

    def _cite(self, table: dict[str, Any], origin: Origin, lines: _Lines) -> None:
        label = f"cite of '{table.get('fact', '?')}'"
        citation = self._citation("mention", table, origin, lines, label)
        if citation is not None:
            self.mentions.append((table["fact"], citation))

    def _refs(self, fact: Fact) -> _FactRefs:
        """The slim record of `fact`, made of shared copies; the fact itself is left untouched,
        so the sink gets exactly the Fact that load_files would keep."""
        share = self.share
        return _FactRefs(
            share(fact.origin.file),
            share(fact.origin.line),
            share(tuple(map(share, fact.relations))),
            share((share(fact.value.metric), share(fact.value.unit))) if fact.value is not None else None,
            share(tuple(map(share, fact.entities))),
            tuple((share(c.source), share(c.origin.line)) for c in fact.citations),
        )

    def _value(
        self, raw: dict[str, Any], origin: Origin, lines: _Lines, label: str, schema: str = "value"
    ) -> Value | None:
        if not self._shape(schema, raw, origin, lines, label):
            return None
        raw = {"metric": "", **raw}  # a citation's value has its fact's metric, set when it is attached
        comparator = raw.get("comparator", "=")
        if comparator not in COMPARATORS:
            self.problem(
                origin, f"unknown comparator '{comparator}': use one of {', '.join(COMPARATORS)}", label
            )
            return None
        if schema == "value" and not SLUG.match(raw["metric"]):
            self.problem(
                origin, f"bad metric '{raw['metric']}': use lowercase letters, digits and '-'", label
            )
            return None
        vs = None
        if "vs" in raw:
            try:
                vs = parse_edtf(raw["vs"])
            except DateError as e:
                self.problem(origin, f"'vs': {e}", label)
                return None
        change = float(raw["change"]) if "change" in raw else None
        return Value(raw["amount"], raw["unit"], raw["metric"], comparator, change, vs)

    # across files -------------------------------------------------------------------

    def check_references(self) -> None:
        for rel in self.relations.values():
            for party in rel.parties:
                if party not in self.entities:
                    self._missing(rel.origin, f"relation '{rel.id}'", "entity", party, self.entities)
        for metric in self.metrics.values():
            for role, eid in (("subject", metric.subject), ("from", metric.source), ("to", metric.target)):
                if eid is not None and eid not in self.entities:
                    self.problem(
                        metric.origin,
                        f"'{role}': " + self._unknown("entity", eid, self.entities),
                        f"metric '{metric.id}'",
                    )
        for fid, fact in self.facts.items():
            self._check_fact_references(fid, fact)
        self.mentions = [m for m in (self._mention(fid, c) for fid, c in self.mentions) if m is not None]

    def _check_fact_references(self, fid: str, fact: _FactRefs) -> None:
        """A fact's relations, entities, metric (and its unit) and sources, each defined."""
        label = f"fact '{fid}'"
        if not fact.relations:
            self.problem(fact.origin, "a fact needs at least one relation", label)
        for rid in fact.relations:
            if rid not in self.relations:
                self._missing(fact.origin, label, "relation", rid, self.relations)
        for eid in fact.entities:
            if eid not in self.entities:
                self._missing(fact.origin, label, "entity", eid, self.entities)
        if fact.value is not None:
            metric_id, unit = fact.value
            metric = self.metrics.get(metric_id)
            if metric is None:
                self.problem(
                    fact.origin,
                    self._unknown("metric", metric_id, self.metrics)
                    + ": declare it in a [[metric]] table (facts/metrics.toml)",
                    label,
                )
            elif unit != metric.unit:
                self.problem(
                    fact.origin,
                    (
                        f"unit '{unit}' differs from metric '{metric_id}', counted in "
                        f"'{metric.unit}' ({metric.origin})"
                    ),
                    label,
                )
        for source, line in fact.cites:
            if source in self.sources:
                continue
            if source in self.unloaded_sources:  # not unknown: defined, with problems of its own
                self.problem(
                    Origin(fact.file, line),
                    f"source '{source}' did not load (see {self.unloaded_sources[source].origin})",
                    label,
                )
            else:
                self._missing(Origin(fact.file, line), label, "source", source, self.sources)

    def _mention(self, fid: str, citation: Citation) -> tuple[str, Citation] | None:
        """A [[cite]] checked against the fact it names, its value given the fact's metric."""
        label = f"cite of '{fid}'"
        fact = self.facts.get(fid)
        if fact is None:
            self.problem(
                citation.origin,
                self._unknown("fact", fid, self.facts)
                + ": a [[cite]] adds a source to a fact defined elsewhere",
                label,
            )
            return None
        if citation.source not in self.sources:
            self._missing(citation.origin, label, "source", citation.source, self.sources)
            return None
        if citation.value is not None:
            if fact.value is None:
                self.problem(
                    citation.origin,
                    f"'{fid}' is not a figure: only a figure's citation can give another value",
                    label,
                )
                return None
            metric, unit = fact.value
            if citation.value.unit != unit:
                self.problem(
                    citation.origin,
                    (
                        f"the value is in '{citation.value.unit}', the fact's in '{unit}': "
                        f"give it in the fact's unit"
                    ),
                    label,
                )
                return None
            citation = replace(citation, value=replace(citation.value, metric=metric))
        return fid, citation

    def _missing(self, origin: Origin, label: str, what: str, ref: str, known: Mapping[str, Any]) -> None:
        self.problem(origin, self._unknown(what, ref, known), label)


def read_files(files: Sequence[Path], sink: Callable[[Fact], None]) -> Base:
    """Check these files as one base, handing each valid fact to `sink` instead of keeping it.

    The index build's way in: a parsed Fact takes about 2.8 KB, and holding all 100,000 of a
    large base while indexing them was most of the build's peak memory. The loader keeps only
    what its cross-file checks need (see `_FactRefs`), and reports exactly what `load_files`
    reports. The sink sees facts before those checks, so on BaseError whatever it collected
    belongs to a broken base and must be dropped.

    Returns the base without its facts: `facts` and `facts_by_id` are empty.
    """
    loader = _read(files, sink)
    if loader.problems:
        raise BaseError(loader.problems)
    return _base(loader, files)


def _read(files: Sequence[Path], sink: Callable[[Fact], None]) -> _Loader:
    loader = _Loader(sink)
    for path in files:
        loader.read(path)
    loader.check_references()
    return loader


def _base(loader: _Loader, files: Sequence[Path], facts: dict[str, Fact] | None = None) -> Base:
    """The loaded base; given the facts kept, each with the sources [[cite]] tables add to it
    (without them, the mentions travel in `Base.mentions`, for the index build to attach)."""
    facts = {} if facts is None else facts
    if facts:
        added = mentions_by_fact(loader.mentions)
        for fid, fact in facts.items():
            facts[fid] = with_mentions(fact, added)
    return Base(
        facts=tuple(facts.values()),
        facts_by_id=facts,
        sources=loader.sources,
        relations=loader.relations,
        entities=loader.entities,
        files=tuple(display(f) for f in files),
        metrics=loader.metrics,
        synonyms=tuple(g for g in loader.synonyms if g.words),
        mentions=() if facts else tuple(loader.mentions),
    )


def load_files(files: Sequence[Path]) -> Base:
    """Load these files as one base; raise BaseError listing every problem."""
    facts: dict[str, Fact] = {}

    def keep(fact: Fact) -> None:
        facts[fact.id] = fact

    loader = _read(files, keep)
    if loader.problems:
        raise BaseError(loader.problems)
    return _base(loader, files, facts)


def mentions_by_fact(mentions: Iterable[tuple[str, Citation]]) -> dict[str, tuple[Citation, ...]]:
    """[[cite]] tables grouped by the fact they add a source to, in the order they were read."""
    found: dict[str, tuple[Citation, ...]] = {}
    for fid, citation in mentions:
        found[fid] = found.get(fid, ()) + (citation,)
    return found


def with_mentions(fact: Fact, added: Mapping[str, tuple[Citation, ...]]) -> Fact:
    """The fact with the citations that [[cite]] tables elsewhere add to it, after its own."""
    extra = added.get(fact.id)
    return replace(fact, citations=fact.citations + extra) if extra else fact


@dataclass(frozen=True, slots=True)
class Partial:
    """Whatever of a base loaded, with every problem found: `check`'s way in, never a command's.

    `check` reports the loader's problems and the quotes that are not in their articles in
    one run, so a curator is not sent back to fix a typo in a key before learning that a
    quote drifted too. It verifies the quotes of the facts that loaded, and the citations
    of the [[fact]] tables that did not (when their [[fact.cite]] tables are whole), against
    the articles of sources that loaded or not. Every other command answers only from a
    base that loaded whole (load_files): `base` here may hold facts that cite a source, a
    relation or an entity that is missing.
    """

    base: Base
    problems: tuple[Problem, ...]
    unloaded_citations: tuple[tuple[str, Citation], ...]  # (the fact as problems name it, its citation)
    unloaded_sources: Mapping[str, ArticleRef]


def load_partial(files: Sequence[Path]) -> Partial:
    """Load these files as far as they load; never raise for what is wrong in them."""
    facts: dict[str, Fact] = {}

    def keep(fact: Fact) -> None:
        facts[fact.id] = fact

    loader = _read(files, keep)
    return Partial(
        _base(loader, files, facts),
        tuple(loader.problems),
        tuple(loader.unloaded_citations),
        loader.unloaded_sources,
    )


def load_base(
    extra: Sequence[Path | str] = (), *, builtin: bool = True, environ: Mapping[str, str] | None = None
) -> Base:
    """Load the built-in base plus any extra bases; raise BaseError listing every problem."""
    return load_files(base_files(extra, builtin=builtin, environ=environ))
