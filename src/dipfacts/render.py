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

from dipfacts.base.model import Citation, Fact, Source, Value

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
    md = "md"  # Markdown to paste: facts as a list with footnoted citations, listings as a table


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

_SCALES = {
    "en": ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million")),
    "vi": ((1_000_000_000_000, "nghìn tỷ"), (1_000_000_000, "tỷ"), (1_000_000, "triệu")),
}
_COMPARATORS = {
    "en": {">": "> ", "<": "< ", "~": "~ ", "<~": "nearly "},
    "vi": {">": "hơn ", "<": "dưới ", "~": "khoảng ", "<~": "gần "},
}
# Units are stored as short English words; these read better spelled out.
_UNITS = {
    "en": {"flights-per-week": "flights a week"},
    "vi": {
        "people": "người",
        "visitors": "lượt khách",
        "flights-per-week": "chuyến bay/tuần",
        "tonnes": "tấn",
        "countries": "nước",
        "sessions": "kỳ họp",
        "years": "năm",
        "partners": "đối tác",
        "corridors": "hành lang",
        "times": "lần",
        "organisations": "tổ chức",
    },
}
_VI_DIGITS = str.maketrans({",": ".", ".": ","})


def lang_key(lang: Lang | str) -> str:
    """'vi' or 'en': the language dates and amounts are written in ('both' writes English)."""
    return "vi" if lang in (Lang.vi, "vi") else "en"


def _number(amount: float, lang: str = "en") -> str:
    """1,234.5 in English; 1.234,5 as Vietnamese writes it."""
    text = f"{int(amount):,}" if float(amount).is_integer() else f"{amount:,.2f}".rstrip("0").rstrip(".")
    return text.translate(_VI_DIGITS) if lang == "vi" else text


def format_amount(amount: int | float, unit: str, lang: Lang | str = "en") -> str:
    """426_100_000 USD → '426.1 million USD' ('426,1 triệu USD'); 94.5 % → '94.5%'."""
    key = lang_key(lang)
    if unit == "%":
        return f"{_number(amount, key)}%"
    if unit == "rank":
        return f"thứ {_number(amount, key)}" if key == "vi" else f"no. {_number(amount, key)}"
    if unit == "top":  # "top 15": ranked 15th or better
        return f"top {_number(amount, key)}"
    unit_text = _UNITS[key].get(unit, unit)
    for scale, word in _SCALES[key]:
        if abs(amount) >= scale:
            return f"{_number(round(amount / scale, 3), key)} {word} {unit_text}"
    return f"{_number(amount, key)} {unit_text}"


def format_value(value: Value, lang: Lang | str = "en") -> str:
    """'> 800 million USD (+100% vs 2023)'; in Vietnamese 'hơn 800 triệu USD (+100% so với 2023)'."""
    from dipfacts.base.dates import human_date

    key = lang_key(lang)
    text = _COMPARATORS[key].get(value.comparator, "") + format_amount(value.amount, value.unit, key)
    if value.change is not None:
        sign = "+" if value.change >= 0 else ""
        text += f" ({sign}{_number(value.change, key)}%"
        if value.vs:
            text += (" so với " if key == "vi" else " vs ") + human_date(value.vs, key)
        text += ")"
    return text


# --- records: the contract with scripts ------------------------------------------------------


def _value_record(v: Value | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "amount": v.amount,
        "unit": v.unit,
        "comparator": v.comparator,
        "metric": v.metric,
        "change": v.change,
        "vs": str(v.vs) if v.vs else None,
    }


def stated(c: Citation, lang: Lang | str = "en") -> str:
    """What a disagreeing citation says: its date, its value, or both ("Apr 2012")."""
    from dipfacts.base.dates import human_date

    key = lang_key(lang)
    return ", ".join(
        x
        for x in (human_date(c.date, key) if c.date else "", format_value(c.value, key) if c.value else "")
        if x
    )


def disagreements(fact: Fact, sources: Mapping[str, Source], lang: Lang | str = "en") -> list[str]:
    """What each disagreeing source says instead: 'Dân Việt (19 Aug 2023) says Apr 2012'."""
    from dipfacts.base.dates import human_date

    key = lang_key(lang)
    out = []
    for c in fact.citations:
        if not c.disagrees:
            continue
        s = sources[c.source]
        who = s.publisher or (s.title if key == "vi" else s.english_title)
        line = f"{who} ({human_date(s.published, key)}) {'nói' if key == 'vi' else 'says'} {stated(c, key)}"
        out.append(line + (f" ({c.note})" if c.note else ""))
    return out


def fact_record(
    fact: Fact, sources: Mapping[str, Source], extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON shape of one fact; scripts rely on these keys."""
    value = _value_record(fact.value)
    citations = []
    for c in fact.citations:
        s = sources[c.source]
        citations.append(
            {
                "source": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "author": s.author,
                "published": str(s.published),
                "url": s.url,
                "accessed": str(s.accessed) if s.accessed else None,
                "quote": c.quote,
                # what this source says where it disagrees with the fact; null where it agrees
                "date": str(c.date) if c.date else None,
                "value": _value_record(c.value),
                "note": c.note,
            }
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
        "disputed": fact.disputed,
    }
    if extra:
        record.update(extra)
    return record


def cited_sources(fact: Fact) -> list[str]:
    """The ids of the sources a fact cites, each once, in citation order."""
    return list(dict.fromkeys(c.source for c in fact.citations))


def source_ids(fact: Fact) -> str:
    return ";".join(cited_sources(fact))


FACT_COLUMNS = ("id", "date", "text", "sources")
# What --fields may choose, for tsv, csv, json and jsonl (as gh's --json fields). quote, publisher,
# published and url are the first citation's; score is search's own.
FIELDS = (
    "id",
    "kind",
    "date",
    "when",
    "status",
    "relations",
    "topics",
    "entities",
    "text",
    "text_vi",
    "amount",
    "unit",
    "comparator",
    "metric",
    "change",
    "vs",
    "sources",
    "quote",
    "publisher",
    "published",
    "url",
    "disputed",
    "score",
)


def fact_fields(
    fact: Fact, sources: Mapping[str, Source], lang: Lang = Lang.en, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Every field --fields can choose, for one fact."""
    from dipfacts.base.dates import human_date

    v, first = fact.value, fact.citations[0]
    source = sources[first.source]
    found: dict[str, Any] = {
        "id": fact.id,
        "kind": fact.kind,
        "date": str(fact.date),
        "when": human_date(fact.date, lang_key(lang)),
        "status": fact.status,
        "relations": list(fact.relations),
        "topics": list(fact.topics),
        "entities": list(fact.entities),
        "text": fact_text(fact, lang),
        "text_vi": fact.text_vi,
        "amount": v.amount if v else None,
        "unit": v.unit if v else None,
        "comparator": v.comparator if v else None,
        "metric": v.metric if v else None,
        "change": v.change if v else None,
        "vs": str(v.vs) if v and v.vs else None,
        "sources": cited_sources(fact),
        "quote": first.quote,
        "publisher": source.publisher,
        "published": str(source.published),
        "url": source.url,
        "disputed": fact.disputed,
        "score": None,
    }
    found.update({k: val for k, val in (extra or {}).items() if k in found})
    return found


# `show` in tsv/csv: one row a citation, so a pipe keeps every quote, the one thing `show` is for.
CITATION_COLUMNS = ("id", "date", "text", "source", "publisher", "published", "quote")


def fact_row(fact: Fact, lang: Lang = Lang.en) -> tuple[str, str, str, str]:
    return (fact.id, str(fact.date), fact_text(fact, lang), source_ids(fact))


# --- writers ------------------------------------------------------------------------------------


def _terminal(out: IO[str]) -> bool:
    """Whether output is laid out for a terminal (its width, filled) or for a pipe (one line a row)."""
    return _isatty(out) or bool(os.environ.get("FORCE_COLOR"))


def make_console(out: IO[str]) -> Console:
    """A Rich console that never reads markup and never wraps for a pipe.

    Rich itself honours NO_COLOR, FORCE_COLOR, TERM=dumb, COLUMNS and TTY_COMPATIBLE.
    """
    from rich.console import Console

    terminal = _terminal(out)
    return Console(
        file=out,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=not terminal,
        width=None if terminal else 100_000,
    )


def write_rows(
    rows: Iterable[Sequence[str]], columns: Sequence[str], fmt: Format, out: IO[str], *, header: bool = False
) -> int:
    """tsv (no header, as gh, unless `header`) or csv (with a header); returns the number of rows."""
    count = 0
    if header and fmt is Format.tsv:
        out.write("\t".join(columns) + "\n")
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
    fields: Sequence[str] | None = None,
    header: bool = False,
) -> int:
    """Write facts in any format.

    `full` shows every citation on the terminal (`show`); `extras` adds keys to each
    JSON record, `columns` of them to tsv/csv rows; `highlight` gives, per fact, the
    folded words to mark on the terminal, and `notes` a dim line under each. `fields`
    (--fields) chooses the columns of tsv/csv and the keys of json; `header` gives tsv a
    header row.
    """
    if fmt is Format.md:
        from dipfacts.bibliography import markdown

        if facts:
            out.write(markdown(facts, sources, lambda f: fact_text(f, lang), md, lang_key(lang)))
        return len(facts)
    if fields and fmt is not Format.table:
        chosen = [
            {f: fact_fields(fact, sources, lang, (extras or [{}] * len(facts))[i])[f] for f in fields}
            for i, fact in enumerate(facts)
        ]
        if fmt in (Format.json, Format.jsonl):
            return write_records(chosen, fmt, out)
        return write_rows(
            ([_field_cell(r[f]) for f in fields] for r in chosen), fields, fmt, out, header=header
        )
    if fmt in (Format.json, Format.jsonl):
        extra_for = (lambda i: extras[i]) if extras else (lambda i: None)
        return write_records((fact_record(f, sources, extra_for(i)) for i, f in enumerate(facts)), fmt, out)
    if fmt in (Format.tsv, Format.csv) and full:  # `show` in a pipe: a row a citation, the quote kept
        cited = [
            (
                f.id,
                str(f.date),
                fact_text(f, lang),
                c.source,
                sources[c.source].publisher or "",
                str(sources[c.source].published),
                c.quote,
            )
            for f in facts
            for c in f.citations
        ]
        write_rows(cited, CITATION_COLUMNS, fmt, out, header=header)
        return len(facts)
    if fmt in (Format.tsv, Format.csv):
        rows = (
            fact_row(f, lang) + tuple(_cell((extras or [{}] * len(facts))[i].get(c)) for c in columns)
            for i, f in enumerate(facts)
        )
        return write_rows(rows, FACT_COLUMNS + tuple(columns), fmt, out, header=header)
    if full:
        console = make_console(out)
        for i, fact in enumerate(facts):
            if i:
                console.print()
            console.print(fact_detail(fact, sources))
    elif facts:
        print_view(fact_table(facts, lang, highlight, notes, sources), out)
    return len(facts)


def md(text: str) -> str:
    """Fact text in Markdown: shown as written (no emphasis, no link, no HTML), one line, controls escaped."""
    text = safe(" ".join(text.split()))
    return re.sub(r"([\\`*_{}\[\]<>#|!])", r"\\\1", text)


def _field_cell(value: Any) -> str:
    """A --fields value in a tsv/csv cell: a list as the default columns write one (a;b)."""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value)


def highlighted(text: str, terms: set[str]):
    """Rich Text of `text` with the words whose folded key is in `terms` in bold."""
    from rich.text import Text

    from dipfacts.base.normalize import nfc, words

    text = safe(nfc(text))
    out = Text(text)
    if terms:
        for w in words(text):
            if w.folded in terms:
                out.stylize("bold underline", w.start, w.end)
    return out


def fact_table(
    facts: Sequence[Fact],
    lang: Lang = Lang.en,
    highlight: Sequence[set[str]] | None = None,
    notes: Sequence[str] | None = None,
    sources: Mapping[str, Source] | None = None,
):
    """Date beside the fact, the id and sources under it: the text gets the width."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        show_header=True, header_style="bold", box=None, pad_edge=False, padding=(0, 2, 1, 0), expand=True
    )
    table.add_column("date", no_wrap=True)
    table.add_column("fact", ratio=1)
    for i, fact in enumerate(facts):
        text = highlighted(fact_text(fact, lang), highlight[i] if highlight else set())
        if fact.value is not None:
            text.append(f"  [{format_value(fact.value, lang)}]", style="green")
        if fact.status:
            text.append(f"  ({fact.status})", style="yellow")
        text.append("\n")
        text.append(safe(fact.id), style="cyan")
        text.append(f"  {safe(source_ids(fact))}", style="dim")
        if sources is not None and fact.disputed:
            text.append("\n" + safe("; ".join(disagreements(fact, sources, lang))), style="yellow")
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
        if where := source_where(s):
            parts.append(Padding(Text(where, style="dim"), (0, 0, 0, 4)))
        parts.append(Padding(Text("“" + safe(c.quote) + "”", style="italic"), (0, 0, 0, 4)))
        if c.disagrees:
            says = stated(c)
            parts.append(
                Padding(
                    Text(
                        safe(
                            f"says {says}, not the fact's "
                            + ("date" if c.date else "value")
                            + (f": {c.note}" if c.note else "")
                        ),
                        style="yellow",
                    ),
                    (0, 0, 0, 4),
                )
            )
    return Group(*parts)


def source_where(source: Source) -> str:
    """Where and when the page was read: 'https://… · accessed 2025-07-10', or '' for a source
    that gives neither (most do not: no URL is ever made up for a page that shows none)."""
    parts = [safe(source.url)] if source.url else []
    if source.accessed:
        parts.append(f"accessed {source.accessed}")
    return " · ".join(parts)


# --- listings: relations, sources, entities, figures ---------------------------------------------


def print_view(view: Any, out: IO[str]) -> None:
    """Print a terminal view: a table fills a terminal's width, and is never padded in a pipe."""
    console = make_console(out)
    if _terminal(out):
        if hasattr(view, "expand"):
            view.expand = True
        console.print(view)
        return
    with console.capture() as captured:  # a pipe: cells are padded to their column; trim each line
        console.print(view)
    out.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def write_listing(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    out: IO[str],
    *,
    title: str | None = None,
) -> int:
    """Rows of named values in any format: JSON keeps every key, tsv/csv and the table show `columns`."""
    if fmt in (Format.json, Format.jsonl):
        return write_records(records, fmt, out)
    rows = [tuple(_cell(r.get(c)) for c in columns) for r in records]
    if fmt is Format.md:  # a Markdown table
        out.write("| " + " | ".join(columns) + " |\n|" + " --- |" * len(columns) + "\n")
        out.writelines("| " + " | ".join(md(c) for c in row) + " |\n" for row in rows)
        return len(rows)
    if fmt in (Format.tsv, Format.csv):
        return write_rows(rows, columns, fmt, out)
    from rich.table import Table

    if rows and _terminal(out) and _too_narrow(rows, columns, make_console(out).width):
        return _folded_listing(rows, columns, out)
    table = Table(
        box=None, pad_edge=False, padding=(0, 2, 0, 0), header_style="bold", title=title, title_justify="left"
    )
    for c in columns:  # an id is never cut: the other columns wrap around it
        table.add_column(c, overflow="fold", no_wrap=c == "id")
    for row in rows:
        table.add_row(*(safe(c) for c in row))
    if rows:
        print_view(table, out)
    return len(rows)


#: The width below which a listing's other columns would be shredded beside its ids.
_MIN_COLUMN = 10


def _too_narrow(rows: Sequence[Sequence[str]], columns: Sequence[str], width: int) -> bool:
    """Whether the ids and a readable width for every other column do not fit side by side."""
    natural = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    needed = sum(
        n if c == "id" else min(n, _MIN_COLUMN) for n, c in zip(natural, columns, strict=True)
    ) + 2 * (len(columns) - 1)
    return needed > width


def _folded_listing(rows: Sequence[Sequence[str]], columns: Sequence[str], out: IO[str]) -> int:
    """A listing too wide for the terminal, one record a block: the first column, then
    "name: value" lines — folded rather than shredded."""
    from rich.padding import Padding
    from rich.text import Text

    console = make_console(out)
    for n, row in enumerate(rows):
        if n:
            console.print()
        console.print(
            Text(safe(row[0]), style="bold"), no_wrap=True, overflow="ignore", crop=False
        )  # an id is never cut
        for c, value in zip(columns[1:], row[1:], strict=True):
            if value:
                console.print(Padding(Text(f"{c}: {safe(value)}"), (0, 0, 0, 2)))
    return len(rows)


def sources_view(sources: Sequence[Source], facts: Mapping[str, int], lang: Lang = Lang.en):
    """The sources as a table: id, publisher, date, facts and title, with the author, the URL
    and the day the page was read on lines under the title where a source gives them — so a
    long URL folds within the title's column and a source without them takes no extra space."""
    from rich.table import Table
    from rich.text import Text

    from dipfacts.base.dates import human_date

    key = lang_key(lang)
    by, read = ("tác giả", "truy cập") if key == "vi" else ("by", "accessed")
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0), header_style="bold")
    for c in ("id", "publisher", "when", "facts", "title"):
        table.add_column(c, overflow="fold")
    for s in sources:
        title = Text(
            safe(
                s.title
                if key == "vi"
                else f"{s.english_title} / {s.title}"
                if lang is Lang.both
                else s.english_title
            )
        )
        if s.author:
            title.append(f"\n{by} {safe(s.author)}", style="dim")
        if s.url:
            title.append("\n" + safe(s.url), style="dim")
        if s.accessed:
            title.append(f"\n{read} {human_date(s.accessed, key)}", style="dim")
        table.add_row(
            safe(s.id), safe(s.publisher or ""), human_date(s.published, key), str(facts[s.id]), title
        )
    return table


def _sources_text(fact: Fact) -> str:
    return safe(", ".join(cited_sources(fact)))


def timeline_view(
    groups: Sequence[tuple[int | None, Sequence[Fact]]],
    lang: Lang = Lang.en,
    sources: Mapping[str, Source] | None = None,
):
    """A history by year: each date at its own precision, planned events marked, each line cited.

    States (what an article says holds as of its date) would read as events if they
    stood in the date column: they follow the year's events instead, indented past the
    date column as "as of 27 Jun 2022 — …", in italics, so the date column holds only
    events and figures, each at the date it happened or was measured."""
    from rich.table import Table
    from rich.text import Text

    from dipfacts.base.dates import as_of, human_date

    key = lang_key(lang)
    table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("date", no_wrap=True)
    table.add_column("fact", ratio=1)
    for n, (year, facts) in enumerate(groups):
        if n:
            table.add_row("", "")
        table.add_row(Text(str(year) if year is not None else "?", style="bold"), "")
        for fact in [f for f in facts if f.kind != "state"] + [f for f in facts if f.kind == "state"]:
            text = Text()
            state = fact.kind == "state"
            if state:
                text.append(as_of(fact.date, key) + " — ", style="italic magenta")
            if fact.status:
                text.append(("kế hoạch" if key == "vi" else fact.status) + ": ", style="bold yellow")
            text.append(safe(fact_text(fact, lang)), style="italic" if state else "")
            if fact.value is not None:
                text.append(f"  [{format_value(fact.value, key)}]", style="green")
            text.append(f"  {_sources_text(fact)}", style="dim")
            if sources is not None and fact.disputed:
                text.append("\n" + safe("; ".join(disagreements(fact, sources, key))), style="yellow")
            table.add_row(Text("" if state else "  " + human_date(fact.date, key)), text)
    return table


BAR_WIDTH = 40


def figures_view(
    all_series: Sequence[Any],
    lang: Lang = Lang.en,
    width: int = 80,
    sources: Mapping[str, Source] | None = None,
):
    """Each metric as a bar chart: one bar a period, scaled to the series' largest value.

    A partial period is drawn in a lighter shade and labelled with its length; a
    lower bound ('> 800 million') ends its bar with an arrow; a target (planned) gets
    no bar and the word "target", and the bars are scaled to the measured points only. A lone value or a
    rank gets no bar (a longer bar for 8th than for 2nd would say the opposite).
    """
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from dipfacts.base.dates import human_date
    from dipfacts.figures import months

    key = lang_key(lang)
    parts: list[Any] = []
    for n, s in enumerate(all_series):
        if n:
            parts.append(Text(""))
        parts.append(Text(f"{safe(s.metric)} ({safe(s.unit)})", style="bold"))
        labels = []
        for p in s.points:
            label = "  " + human_date(p.fact.date, key)
            if p.partial:
                label += f" ({months(p.fact)} tháng)" if key == "vi" else f" ({months(p.fact)} months)"
            labels.append(label)
        # scaled to what was measured: a target drawn on the same scale would read as growth
        amounts = [p.fact.value.amount for p in s.points if not p.planned] or [0]
        bars = len(amounts) > 1 and s.unit != "rank" and max(amounts) > 0 and min(amounts) >= 0
        label_width = max(map(len, labels))
        # Narrow (under ~60 columns): the value goes under its period, not beside it, so a unit is
        # never cut to "m…"; the bar takes what the label leaves.
        folded = width < label_width + 2 + 12 + 28
        bar_width = (
            max(4, min(BAR_WIDTH, width - label_width - 4))
            if folded
            else max(8, min(BAR_WIDTH, width - label_width - 40))
        )
        table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column("period", no_wrap=True)
        if bars:
            table.add_column("bar", no_wrap=True, min_width=bar_width + 1)
        if not folded:
            table.add_column("value", ratio=1)
        for p, label in zip(s.points, labels, strict=True):
            v = p.fact.value
            row: list[Any] = [Text(label, style="yellow" if p.partial else "")]
            if bars and p.planned:
                row.append(Text("mục tiêu" if key == "vi" else "target", style="italic yellow"))
            elif bars:
                bar = Text(
                    ("▒" if p.partial else "█") * max(1, round(bar_width * v.amount / max(amounts))),
                    style="yellow" if p.partial else "cyan",
                )
                if v.comparator == ">":
                    bar.append("▸", style="bold")
                row.append(bar)
            cell = Text(
                ("mục tiêu: " if key == "vi" else "target: ") if p.planned else "", style="italic yellow"
            )
            cell.append(format_value(v, key), style="green")
            cell.append(f"  {_sources_text(p.fact)}", style="dim")  # each bar names its source
            if sources is not None and p.fact.disputed:
                cell.append(" — " + safe("; ".join(disagreements(p.fact, sources, key))), style="yellow")
            if folded:  # no table: the period and its bar on a line, the value wrapped under them
                line = Text(label.ljust(label_width) + "  ", style="yellow" if p.partial else "")
                for piece in row[1:]:
                    line.append_text(piece)
                parts.append(line)
                parts.append(Padding(cell, (0, 0, 0, 4)))
                continue
            row.append(cell)
            table.add_row(*row)
        if not folded:
            parts.append(table)
    return Group(*parts)


def citation_text(fact: Fact, sources: Mapping[str, Source], lang: Lang = Lang.en) -> str:
    """'tgvn-2025-kz: Báo Thế giới và Việt Nam (Baoquocte.vn), c. May 2025' for each source."""
    from dipfacts.base.dates import human_date

    key = lang_key(lang)
    out = []
    for sid in cited_sources(fact):
        s = sources[sid]
        who = s.publisher or (s.title if key == "vi" else s.english_title)
        out.append(f"{sid}: {who}, {human_date(s.published, key)}")
    return safe("; ".join(out))


def answer_text(answer: Any, lang: Lang = Lang.en) -> str:
    """The answer itself, always with its period: a date, a value, a change, a rank, a person,
    a place, or for any other question the fact's date (its text follows on the line)."""
    from dipfacts.ask import Intent
    from dipfacts.base.dates import human_date

    fact, key = answer.fact, lang_key(lang)
    vi = key == "vi"
    when = human_date(fact.date, key)
    if fact.status == "planned":
        when += " (dự kiến)" if vi else " (planned)"
    if answer.partial and answer.period is not None:
        whole = human_date(answer.period, key)
        when += f" (không phải cả {whole})" if vi else f" (not the whole of {whole})"
    value = fact.value
    if answer.intent is Intent.when:
        text = human_date(fact.date, key, long=True)
        return text + (" (dự kiến)" if vi else " (planned)") if fact.status == "planned" else text
    if answer.intent is Intent.growth and value is not None and value.change is not None:
        change = f"{'+' if value.change >= 0 else ''}{_number(value.change, key)}%"
        if value.vs is not None:
            change += (" so với " if vi else " on ") + human_date(value.vs, key)
        return f"{change}, {when}"
    if answer.intent in (Intent.how_much, Intent.how_many, Intent.rank) and value is not None:
        return f"{format_value(value, key)}, {when}"
    if answer.intent is Intent.who and answer.actors:
        named = []
        for actor in answer.actors:
            name = actor.name_vi if vi else actor.name
            office = (actor.office_vi or actor.office) if vi else actor.office
            named.append(f"{name} ({office})" if office else name)
        return (" và " if vi else " and ").join(named)
    if answer.intent is Intent.where and answer.place is not None:
        return f"{answer.place}, {when}"
    return when


def answer_record(
    answer: Any, sources: Mapping[str, Source], lang: Lang = Lang.en, *, explain: bool = False
) -> dict[str, Any]:
    """`ask`'s one JSON shape, answered or not: scripts read `answered` and never a second schema."""
    fact = answer.fact
    record: dict[str, Any] = {
        "question": answer.question,
        "intent": answer.intent.value,
        "answered": fact is not None,
        "answer": None,
        "fact": None,
        "candidates": [fact_record(f, sources) for f in answer.closest],
    }
    if fact is not None:
        value = fact.value
        record["answer"] = {
            "text": answer_text(answer, lang),
            "date": str(fact.date),
            "value": {
                "amount": value.amount,
                "unit": value.unit,
                "comparator": value.comparator,
                "change": value.change,
            }
            if value
            else None,
            "partial": answer.partial,
            "period": str(answer.period) if answer.period is not None else None,
            "person": answer.person.id if answer.person is not None else None,
            "actors": [a.id for a in answer.actors],
            "place": answer.place,
        }
        record["fact"] = fact_record(fact, sources)
        record["citation"] = citation_text(fact, sources, lang)
        record["text"] = fact_text(fact, lang)
        record["answer"]["disputed_by"] = disagreements(fact, sources, lang)
    else:
        record["refusal"] = answer.refusal
    if explain:
        record["explain"] = explanation(answer)
    return record


def explanation(answer: Any) -> list[dict[str, Any]]:
    """Why each fact considered did or did not answer, in the order they were considered."""
    return [{"id": v.id, "answers": v.answers, "why": list(v.reasons)} for v in answer.verdicts]


def answer_line(record: Mapping[str, Any]):
    """The answer in bold, the fact (when the answer is not the fact itself), the citation dim."""
    from rich.text import Text

    line = Text(safe(record["answer"]["text"]), style="bold")
    if record["answer"]["text"] != record["text"]:
        line.append(" — " + safe(record["text"]))
    if record["answer"].get("disputed_by"):
        line.append(" — " + safe("; ".join(record["answer"]["disputed_by"])), style="yellow")
    line.append(f"  ({safe(record['citation'])})", style="dim")
    return line


def entity_card(entity: Any, facts: int, lang: Lang = Lang.en):
    """Who or what an entity is: its names, kind, office and aliases, above its facts."""
    from rich.text import Text

    key = lang_key(lang)
    card = Text()
    shown = entity.name_vi if key == "vi" else entity.name
    card.append(safe(shown), style="bold")
    other = entity.name if key == "vi" else entity.name_vi
    if other != shown:  # the other language's name, when it differs from the one shown
        card.append(f" / {safe(other)}")
    card.append(f"  {entity.kind} · {safe(entity.id)}", style="dim")
    office = entity.office_vi if key == "vi" and entity.office_vi else entity.office
    if office:
        card.append("\n" + safe(office))
    if entity.aliases:
        card.append(
            "\n" + ("tên khác: " if key == "vi" else "also: ") + safe(", ".join(entity.aliases)), style="dim"
        )
    card.append(
        "\n" + (f"{facts} sự kiện" if key == "vi" else f"{facts} fact{'s' if facts != 1 else ''}") + "\n",
        style="dim",
    )
    return card
