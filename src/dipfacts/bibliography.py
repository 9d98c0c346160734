"""The sources behind facts in the formats reference managers and writers read.

A student puts a fact's source into Zotero or LaTeX; a journalist pastes a fact with its
footnote. `dipfacts cite` gives each source once (deduplicated over the facts asked for),
with the quotes those facts rely on:

- CSL-JSON (`article-newspaper`), which Zotero, Pandoc and citeproc read;
- BibTeX (`@online`, biblatex's fields: `journaltitle`, `date` in EDTF, `langid`);
- RIS (`TY  - NEWS`), which EndNote and Mendeley import;
- Markdown: each fact's text with footnoted citations, ready to paste.

Nothing is invented: a field the base does not hold (author, URL) is left out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from dipfacts.base.dates import EDTF, human_date
from dipfacts.base.model import Fact, Source

_LANGID = {"vi": "vietnamese", "en": "english"}
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def cited(facts: Sequence[Fact]) -> list[tuple[str, list[str]]]:
    """Each source the facts cite, once, in order of first citation, with the quotes cited from it."""
    found: dict[str, list[str]] = {}
    for fact in facts:
        for c in fact.citations:
            quotes = found.setdefault(c.source, [])
            if c.quote not in quotes:
                quotes.append(c.quote)
    return list(found.items())


def _date_parts(date: EDTF) -> dict[str, object]:
    """CSL's `issued`: date-parts to the precision the base holds, `circa` for an approximate date."""
    start = date.start or date.end
    if start is None:
        return {"literal": str(date)}
    y, m, d = start.lower
    parts = (
        [y] if start.precision in ("year", "season") else [y, m] if start.precision == "month" else [y, m, d]
    )
    issued: dict[str, object] = {"date-parts": [parts]}
    if start.approximate or start.uncertain:
        issued["circa"] = True
    return issued


def csl_json(facts: Sequence[Fact], sources: Mapping[str, Source]) -> str:
    items = []
    for sid, quotes in cited(facts):
        s = sources[sid]
        item: dict[str, object] = {
            "id": s.id,
            "type": "article-newspaper",
            "title": s.title,
            "container-title": s.publisher or s.english_title,
            "issued": _date_parts(s.published),
            "language": s.language,
            "note": "; ".join(f"“{q}”" for q in quotes),
        }
        if s.publisher:
            item["publisher"] = s.publisher
        if s.author:
            item["author"] = [{"literal": s.author}]
        if s.url:
            item["URL"] = s.url
        if s.accessed is not None and s.accessed.start is not None:
            item["accessed"] = _date_parts(s.accessed)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _bib(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def bibtex(facts: Sequence[Fact], sources: Mapping[str, Source]) -> str:
    entries = []
    for sid, quotes in cited(facts):
        s = sources[sid]
        # biblatex reads EDTF level 1 dates ("2012-09~"); "%" (uncertain and approximate) would start a TeX
        # comment
        fields = [
            ("title", s.title),
            ("journaltitle", s.publisher or s.english_title),
            ("date", str(s.published).replace("%", "~")),
        ]
        if s.author:
            fields.append(("author", s.author))
        if s.url:
            fields.append(("url", s.url))
        fields.append(("langid", _LANGID.get(s.language, s.language)))
        fields.append(("note", "; ".join(quotes)))
        body = ",\n".join(
            f"  {name} = {{{_bib(value) if name not in ('url', 'date') else value}}}"
            for name, value in fields
        )
        entries.append(f"@online{{{s.id},\n{body}\n}}\n")
    return "\n".join(entries)


def ris(facts: Sequence[Fact], sources: Mapping[str, Source]) -> str:
    records = []
    for sid, quotes in cited(facts):
        s = sources[sid]
        start = s.published.start or s.published.end
        lines = ["TY  - NEWS", f"ID  - {s.id}", f"TI  - {s.title}", f"T2  - {s.publisher or s.english_title}"]
        if s.publisher:
            lines.append(f"PB  - {s.publisher}")
        if s.author:
            lines.append(f"AU  - {s.author}")
        if start is not None:
            y, m, d = start.lower
            lines.append(f"PY  - {y}")
            lines.append(
                f"DA  - {y}/"
                + (f"{m:02d}/" if start.precision in ("month", "day") else "/")
                + (f"{d:02d}/" if start.precision == "day" else "")
            )
        if s.url:
            lines.append(f"UR  - {s.url}")
        lines.append(f"LA  - {s.language}")
        lines += [f"N1  - {q}" for q in quotes]
        lines.append("ER  - ")
        records.append("\n".join(lines) + "\n")
    return "\n".join(records)


def markdown(
    facts: Sequence[Fact],
    sources: Mapping[str, Source],
    text_of: Callable[[Fact], str],
    escape: Callable[[str], str],
    lang: str = "en",
) -> str:
    """Each fact's text with a footnote a citation, and the footnotes after: ready to paste.
    `escape` makes a text Markdown that shows it as written (render.md)."""
    lines: list[str] = []
    notes: list[str] = []
    for fact in facts:
        marks = ""
        for c in fact.citations:
            s = sources[c.source]
            note = (
                f'{s.publisher or s.english_title}, "{s.title}", {human_date(s.published, lang, long=True)}. '
                f"“{c.quote}”"
            )
            notes.append(f"[^{len(notes) + 1}]: {escape(note)}")
            marks += f"[^{len(notes)}]"
        lines.append(f"- {escape(text_of(fact))}{marks}")
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"
