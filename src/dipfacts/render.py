"""The one output layer every command shares.

People read a Rich table on a terminal; scripts read tsv, csv, json or jsonl
from a pipe. Whatever the format, fact text is data: it never passes through
Rich markup, and control characters that could repaint a terminal are shown,
not obeyed.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from dipfacts.model import Fact, Source, Value

if TYPE_CHECKING:
    from rich.console import Console


class Lang(str, enum.Enum):
    en = "en"
    vi = "vi"
    both = "both"


def fact_text(fact: Fact, lang: Lang = Lang.en) -> str:
    """The fact in the language asked for; both is English, then Vietnamese."""
    if lang is Lang.vi:
        return fact.text_vi
    if lang is Lang.both:
        return f"{fact.text} / {fact.text_vi}"
    return fact.text


class Format(str, enum.Enum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def resolve_format(chosen: Format | None, out: IO[str]) -> Format:
    """As gh does: a table for a person at a terminal, tsv for a pipe."""
    if chosen is not None:
        return chosen
    return Format.table if _isatty(out) else Format.tsv


def _isatty(out: IO[str]) -> bool:
    """A terminal, or a stream declared terminal-like with TTY_COMPATIBLE=1 (as Rich reads it)."""
    if os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


# --- making hostile text harmless ---------------------------------------------------------

# C0 and C1 controls (tab and newline too: a record is one line), DEL, and the
# bidirectional overrides and isolates that can make text read backwards.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in "\t\n\r":
        return " "
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """One line of text with every control or bidi-override character shown as an escape."""
    return _UNSAFE.sub(_escape, text)


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _json_safe(encoded: str) -> str:
    """JSON already escapes C0 inside strings; escape DEL, C1 and bidi controls too, keeping the same data."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def dumps(data: Any, *, indent: int | None = None) -> str:
    import json

    return _json_safe(json.dumps(data, ensure_ascii=False, indent=indent))


# --- values and dates for people -------------------------------------------------------------

_SCALES = ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"))
_COMPARATOR_WORDS = {"=": "", ">": "> ", "<": "< ", "~": "~ "}


def _number(amount: float) -> str:
    if float(amount).is_integer():
        return f"{int(amount):,}"
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def format_amount(amount: int | float, unit: str) -> str:
    """426_100_000 USD → '426.1 million USD'; 94.5 % → '94.5%'."""
    if unit == "%":
        return f"{_number(amount)}%"
    if unit == "rank":
        return f"no. {_number(amount)}"
    for scale, word in _SCALES:
        if abs(amount) >= scale:
            return f"{_number(round(amount / scale, 3))} {word} {unit}"
    return f"{_number(amount)} {unit}"


def format_value(value: Value) -> str:
    text = _COMPARATOR_WORDS.get(value.comparator, "") + format_amount(value.amount, value.unit)
    if value.change is not None:
        sign = "+" if value.change >= 0 else ""
        text += f" ({sign}{_number(value.change)}%" + (f" vs {value.vs}" if value.vs else "") + ")"
    return text


# --- records: the contract with scripts ------------------------------------------------------


def fact_record(fact: Fact, sources: Mapping[str, Source], extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON shape of one fact; scripts rely on these keys."""
    value = None
    if fact.value is not None:
        v = fact.value
        value = {
            "amount": v.amount,
            "unit": v.unit,
            "comparator": v.comparator,
            "metric": v.metric,
            "change": v.change,
            "vs": str(v.vs) if v.vs else None,
        }
    citations = []
    for c in fact.citations:
        s = sources[c.source]
        citations.append(
            {"source": s.id, "title": s.title, "publisher": s.publisher, "published": str(s.published), "quote": c.quote}
        )
    record: dict[str, Any] = {
        "id": fact.id,
        "kind": fact.kind,
        "date": str(fact.date),
        "status": fact.status,
        "relations": list(fact.relations),
        "topics": list(fact.topics),
        "entities": list(fact.entities),
        "text": fact.text,
        "text_vi": fact.text_vi,
        "value": value,
        "citations": citations,
    }
    if extra:
        record.update(extra)
    return record


def source_ids(fact: Fact) -> str:
    seen: list[str] = []
    for c in fact.citations:
        if c.source not in seen:
            seen.append(c.source)
    return ";".join(seen)


FACT_COLUMNS = ("id", "date", "text", "sources")


def fact_row(fact: Fact, lang: Lang = Lang.en) -> tuple[str, str, str, str]:
    return (fact.id, str(fact.date), fact_text(fact, lang), source_ids(fact))


# --- writers ------------------------------------------------------------------------------------


def make_console(out: IO[str]) -> Console:
    """A Rich console that never reads markup and never wraps for a pipe.

    Rich itself honours NO_COLOR, FORCE_COLOR, TERM=dumb, COLUMNS and TTY_COMPATIBLE.
    """
    from rich.console import Console

    terminal = _isatty(out) or bool(os.environ.get("FORCE_COLOR"))
    return Console(
        file=out,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=not terminal,
        width=None if terminal else 100_000,
    )


def write_rows(rows: Iterable[Sequence[str]], columns: Sequence[str], fmt: Format, out: IO[str]) -> int:
    """tsv (no header, as gh) or csv (with a header); returns the number of rows."""
    count = 0
    if fmt is Format.csv:
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe(str(c)) for c in row])
            count += 1
    else:
        for row in rows:
            out.write("\t".join(safe(str(c)) for c in row) + "\n")
            count += 1
    return count


def write_records(records: Iterable[Mapping[str, Any]], fmt: Format, out: IO[str]) -> int:
    """json (one array) or jsonl (one object a line); returns the number of records."""
    count = 0
    if fmt is Format.jsonl:
        for record in records:
            out.write(dumps(record) + "\n")
            count += 1
        return count
    items = list(records)
    out.write(dumps(items, indent=2) + "\n")
    return len(items)


def write_facts(
    facts: Sequence[Fact],
    sources: Mapping[str, Source],
    fmt: Format,
    out: IO[str],
    *,
    full: bool = False,
    lang: Lang = Lang.en,
    extras: Sequence[Mapping[str, Any]] | None = None,
    columns: Sequence[str] = (),
    highlight: Sequence[set[str]] | None = None,
    notes: Sequence[str] | None = None,
) -> int:
    """Write facts in any format.

    `full` shows every citation on the terminal (`show`); `extras` adds keys to each
    JSON record, `columns` of them to tsv/csv rows; `highlight` gives, per fact, the
    folded words to mark on the terminal, and `notes` a dim line under each.
    """
    if fmt in (Format.json, Format.jsonl):
        extra_for = (lambda i: extras[i]) if extras else (lambda i: None)
        return write_records((fact_record(f, sources, extra_for(i)) for i, f in enumerate(facts)), fmt, out)
    if fmt in (Format.tsv, Format.csv):
        rows = (
            fact_row(f, lang) + tuple(_cell((extras or [{}] * len(facts))[i].get(c)) for c in columns) for i, f in enumerate(facts)
        )
        return write_rows(rows, FACT_COLUMNS + tuple(columns), fmt, out)
    console = make_console(out)
    if full:
        for i, fact in enumerate(facts):
            if i:
                console.print()
            console.print(fact_detail(fact, sources))
    elif facts:
        table = fact_table(facts, lang, highlight, notes)
        table.expand = console.is_terminal  # fill a terminal; never pad a pipe
        console.print(table)
    return len(facts)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value)


def highlighted(text: str, terms: set[str]):
    """Rich Text of `text` with the words whose folded key is in `terms` in bold."""
    from rich.text import Text

    from dipfacts.normalize import nfc, words

    text = safe(nfc(text))
    out = Text(text)
    if terms:
        for w in words(text):
            if w.folded in terms:
                out.stylize("bold underline", w.start, w.end)
    return out


def fact_table(facts: Sequence[Fact], lang: Lang = Lang.en, highlight: Sequence[set[str]] | None = None, notes: Sequence[str] | None = None):
    """Date beside the fact, the id and sources under it: the text gets the width."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, padding=(0, 2, 1, 0), expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("fact", ratio=1)
    for i, fact in enumerate(facts):
        text = highlighted(fact_text(fact, lang), highlight[i] if highlight else set())
        if fact.value is not None:
            text.append(f"  [{format_value(fact.value)}]", style="green")
        if fact.status:
            text.append(f"  ({fact.status})", style="yellow")
        text.append("\n")
        text.append(safe(fact.id), style="cyan")
        text.append(f"  {safe(source_ids(fact))}", style="dim")
        if notes and notes[i]:
            text.append("\n" + safe(notes[i]), style="dim italic")
        table.add_row(Text(str(fact.date)), text)
    return table


def fact_detail(fact: Fact, sources: Mapping[str, Source]):
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    head = Text()
    head.append(safe(fact.id), style="bold cyan")
    head.append(f"  {fact.kind} · {fact.date}", style="dim")
    if fact.status:
        head.append(f" · {fact.status}", style="yellow")
    parts: list[Any] = [head, Text(safe(fact.text)), Text(safe(fact.text_vi), style="italic")]
    if fact.value is not None:
        v = fact.value
        parts.append(Text(f"value: {format_value(v)}  · metric {safe(v.metric)}", style="green"))
    tags = []
    if fact.relations:
        tags.append("relations: " + ", ".join(fact.relations))
    if fact.entities:
        tags.append("entities: " + ", ".join(fact.entities))
    if fact.topics:
        tags.append("topics: " + ", ".join(fact.topics))
    if tags:
        parts.append(Text(safe("  ·  ".join(tags)), style="dim"))
    for c in fact.citations:
        s = sources[c.source]
        cite = Text()
        cite.append(f"[{safe(s.id)}] ", style="bold")
        cite.append(safe(s.title))
        meta = ", ".join(x for x in (s.publisher, s.author, str(s.published)) if x)
        cite.append(f" — {safe(meta)}", style="dim")
        parts.append(Padding(cite, (0, 0, 0, 2)))
        parts.append(Padding(Text("“" + safe(c.quote) + "”", style="italic"), (0, 0, 0, 4)))
    return Group(*parts)
