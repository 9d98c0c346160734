"""The command line: parse options, call the library, print.

Everything else — loading, checking, resolving, rendering — lives in its own
module. Errors the library raises become one line on stderr and exit 2 here,
in `DipfactsGroup.main`, and nowhere else (output that fails only at the final
flush, after the command has returned, is reported by `main`).
"""

import copy
import enum
import errno
import inspect
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from dipfacts import __version__
from dipfacts.base.errors import BaseError, DipfactsError
from dipfacts.render import Format, Lang

EXIT_FOUND, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2
_WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO)
DEBUG_VAR = "DIPFACTS_DEBUG"


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


# What Rich would take for a markup tag ("[bold]", "[fact]" in "[[fact]]"), as rich.markup.escape finds it.
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def _typos(n: int) -> str:
    return f", {n} typo{'s' if n != 1 else ''}" if n else ""


def _unwrapped(doc: str) -> str:
    """A docstring's paragraphs, each on one line: Typer keeps a docstring's line breaks, and the
    source wraps at 110 columns, where the terminal's width should decide."""
    return "\n\n".join(" ".join(p.split("\n")) for p in doc.split("\n\n"))


def _literal(help_text: str) -> str:
    """Help text as written: Typer renders help as Rich markup, which would eat "[[fact]]" whole.

    (rich.markup.escape does this too, but importing it costs every run Rich's import.)"""
    return _TAG.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), help_text)


class DipfactsGroup(TyperGroup):
    """Runs Typer in non-standalone mode so every error is reported the same way:
    one line on stderr, exit 2, no traceback (unless --debug or DIPFACTS_DEBUG=1).
    """

    def invoke(self, ctx: Any) -> Any:
        """A reader that closed the pipe (`| head -1`) took what it wanted of what was printed:
        the command succeeded, so exit 0, quietly. (Left to Click, a closed pipe is exit 1.)"""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            from typer._click.utils import PacifyFlushWrapper

            sys.stdout = PacifyFlushWrapper(
                sys.stdout
            )  # nothing left to tell the reader: later flushes are silent
            raise typer.Exit(EXIT_FOUND) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv
        debug = debug or os.environ.get(DEBUG_VAR, "") not in ("", "0")
        try:
            rv = super().main(
                args=argv,
                prog_name=prog_name or "dipfacts",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = rv if isinstance(rv, int) else EXIT_FOUND
        except typer.TyperException as e:  # Click's usage errors: bad option, bad value, missing argument
            if debug:
                raise
            ctx = getattr(e, "ctx", None)
            where = ctx.command_path if ctx is not None else "dipfacts"
            _err(f"{where}: error: {e.format_message()}")
            code = EXIT_ERROR
        except BaseError as e:
            if debug:
                raise
            for problem in e.problems:
                _err(str(problem))
            _err(f"dipfacts: error: {e}")
            code = EXIT_ERROR
        except DipfactsError as e:
            if debug:
                raise
            _err(f"dipfacts: error: {e}")
            code = EXIT_ERROR
        except typer.Abort:
            _err("dipfacts: aborted")
            code = 130
        except OSError as e:  # Click handles a closed pipe; a full disk or a failing device is ours to report
            if debug or e.errno not in _WRITE_ERRORS:
                raise
            _err(f"dipfacts: error: cannot write the output: {e.strerror}")
            code = EXIT_ERROR
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=DipfactsGroup,
    name="dipfacts",
    invoke_without_command=True,  # bare `dipfacts` prints the help and exits 0 (see `root`), as git and gh do
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

# --- the shared option set (as sqlite-utils' output_options) --------------------------------

FormatOpt = Annotated[
    Optional[Format],
    typer.Option(
        "-f",
        "--format",
        help="Output format. Default: table on a terminal, tsv in a pipe.",
        case_sensitive=False,
        show_default=False,
    ),
]
FactsOpt = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--facts",
        help="Extra fact base (a TOML file or a folder) loaded on top of the built-in one. Repeatable; "
        "DIPFACTS_FACTS adds more (':'-separated; ';' on Windows).",
        metavar="PATH",
        show_default=False,
    ),
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", help="Language of the fact text: en, vi or both.", case_sensitive=False)
]
RelationOpt = Annotated[
    Optional[str],
    typer.Option(
        "-r",
        "--relation",
        help="Only facts of this relation (id or alias: vn-kz, kz, asean-japan).",
        show_default=False,
        autocompletion=lambda incomplete: _complete("relation", incomplete),
    ),
]
TopicOpt = Annotated[
    Optional[str],
    typer.Option(
        "-t",
        "--topic",
        help="Only facts with this topic (trade, visit, …).",
        show_default=False,
        autocompletion=lambda incomplete: _complete("topic", incomplete),
    ),
]
EntityOpt = Annotated[
    Optional[str],
    typer.Option(
        "-e",
        "--entity",
        help="Only facts about this entity (id or alias: kazakhstan, 'Tô Lâm', US).",
        show_default=False,
        autocompletion=lambda incomplete: _complete("entity", incomplete),
    ),
]


FieldsOpt = Annotated[
    Optional[str],
    typer.Option(
        "--fields",
        help=(
            "Only these fields, comma-separated, in this order, for tsv, "
            "csv, json and jsonl: id, kind, date, when, status, relations, "
            "topics, entities, text, text_vi, amount, unit, comparator, metric, "
            "change, vs, sources, quote, publisher, published, url, disputed, "
            "score (search). quote, publisher, published and url are the "
            "first citation's."
        ),
        metavar="A,B,…",
        show_default=False,
    ),
]
HeaderOpt = Annotated[
    bool, typer.Option("--header", help="Begin tsv with a header row (csv always has one).")
]
SourceOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "-s",
        "--source",
        help=(
            "Only facts cited by this article: a source id or its publisher's "
            "name (see `dipfacts sources`). Repeatable."
        ),
        metavar="SOURCE",
        show_default=False,
        autocompletion=lambda incomplete: _complete("source", incomplete),
    ),
]


class Kind(str, enum.Enum):
    event = "event"
    figure = "figure"
    state = "state"


KindOpt = Annotated[
    Optional[Kind],
    typer.Option("--kind", help="Only events, figures or states.", case_sensitive=False, show_default=False),
]
SinceOpt = Annotated[
    Optional[str],
    typer.Option(
        "--since",
        help=(
            "Only facts whose date reaches this date or later (EDTF: 2021, "
            "2021-06). A date open at one end ('until 2022', 'from 2026') "
            "counts as the end it is known by."
        ),
        metavar="DATE",
        show_default=False,
    ),
]
UntilOpt = Annotated[
    Optional[str],
    typer.Option(
        "--until",
        help=(
            "Only facts whose date starts on or before this date (a date "
            "open at one end: the end it is known by)."
        ),
        metavar="DATE",
        show_default=False,
    ),
]
RelationArg = Annotated[
    str,
    typer.Argument(
        help="A relation: id or alias (vn-kz, kazakhstan, asean-japan). See `dipfacts relations`.",
        metavar="RELATION",
        show_default=False,
        autocompletion=lambda incomplete: _complete("relation", incomplete),
    ),
]


def _complete(kind: str, incomplete: str) -> list[str]:
    """Shell completion from the cached index's id lists: no TOML is parsed once the cache
    exists. Extra bases count when named in DIPFACTS_FACTS (--facts is not parsed yet)."""
    from dipfacts.completion import candidates

    return candidates(_index(None).index, kind, incomplete)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dipfacts {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show tracebacks instead of one-line errors (also DIPFACTS_DEBUG=1)."),
    ] = False,
) -> None:
    """Quotable, cited facts about Vietnam's diplomatic relations.

    Exit status: 0 found, 1 nothing found, 2 error (as grep).
    """
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        help_text = ctx.get_help()  # Typer's Rich help prints itself and returns ""; Click's returns the text
        if help_text:
            typer.echo(help_text)
        raise typer.Exit(EXIT_FOUND)


def _load(facts: list[Path] | None):
    from dipfacts.base.load import load_base

    return load_base(facts or ())


def _fields(text: str | None) -> tuple[str, ...] | None:
    """--fields as typed, checked against the fields there are."""
    if text is None:
        return None
    from dipfacts.base.errors import DipfactsError
    from dipfacts.base.suggest import did_you_mean
    from dipfacts.render import FIELDS

    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    for f in chosen:
        if f not in FIELDS:
            guess = did_you_mean(f, FIELDS, limit=1)
            raise DipfactsError(
                f"unknown field {f!r} in --fields" + (f" (did you mean {guess[0]}?)" if guess else ""),
                "fields: " + ", ".join(FIELDS),
            )
    if not chosen:
        raise DipfactsError("--fields names no field", "fields: " + ", ".join(FIELDS))
    return chosen


def _done(count: int) -> NoReturn:
    raise typer.Exit(EXIT_FOUND if count else EXIT_NOTHING)


# --- commands -----------------------------------------------------------------------------------


@app.command()
def show(
    ids: Annotated[
        list[str],
        typer.Argument(
            help="Fact ids, e.g. vn-kz/diplomatic-relations/established.",
            metavar="ID",
            show_default=False,
            autocompletion=lambda incomplete: _complete("fact", incomplete),
        ),
    ],
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    header: HeaderOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Print facts in full, with every citation (in a pipe, a row a citation)."""
    from dipfacts.render import resolve_format, write_facts
    from dipfacts.search.lookup import get_facts

    base = _load(facts)
    found = get_facts(base, ids)
    _done(
        write_facts(
            found,
            base.sources,
            resolve_format(fmt, sys.stdout),
            sys.stdout,
            full=True,
            fields=_fields(fields),
            header=header,
        )
    )


@app.command()
def export(
    relation: RelationOpt = None,
    topic: TopicOpt = None,
    source: SourceOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    header: HeaderOpt = False,
    lang: LangOpt = Lang.en,
    facts: FactsOpt = None,
) -> None:
    """Print the whole base, or the facts of one relation, topic or article: the bridge to jq and
    spreadsheets."""
    from dipfacts.render import resolve_format, write_facts
    from dipfacts.search.lookup import resolve_source, select

    base = _load(facts)
    chosen = select(base, relation=relation, topic=topic)
    if source:
        wanted = {resolve_source(base.sources, s) for s in source}
        chosen = [f for f in chosen if any(c.source in wanted for c in f.citations)]
    _done(
        write_facts(
            chosen,
            base.sources,
            resolve_format(fmt, sys.stdout),
            sys.stdout,
            lang=lang,
            fields=_fields(fields),
            header=header,
        )
    )


@app.command()
def search(
    query: Annotated[
        list[str],
        typer.Argument(
            help=(
                "Words to look for, in English or Vietnamese, with or without "
                "diacritics. '-' reads one query per line from stdin."
            ),
            metavar="QUERY",
            show_default=False,
        ),
    ],
    relation: RelationOpt = None,
    topic: TopicOpt = None,
    entity: EntityOpt = None,
    kind: KindOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: SourceOpt = None,
    limit: Annotated[
        int, typer.Option("-n", "--limit", help="At most this many results per query.", min=1)
    ] = 10,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    header: HeaderOpt = False,
    lang: LangOpt = Lang.en,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show why each fact matched: words, typos, fields and the score's parts."
        ),
    ] = False,
    facts: FactsOpt = None,
) -> None:
    """Find facts: bilingual, diacritic-insensitive, typo-tolerant, ranked."""
    from dipfacts.base.errors import QueryError
    from dipfacts.render import resolve_format, write_facts
    from dipfacts.search.rank import MAX_WORDS
    from dipfacts.search.rank import search as rank_search

    chosen_fields = _fields(fields)
    handle = _index(facts)
    filters = _filters(
        handle.index,
        relation=relation,
        topic=topic,
        entity=entity,
        kind=kind,
        since=since,
        until=until,
        sources=source,
    )
    batch = query == ["-"]
    queries = [line.strip() for line in _stdin_lines()] if batch else [_typed(" ".join(query))]
    out_fmt = resolve_format(fmt, sys.stdout)
    sources = handle.index.sources
    found = 0
    for q in queries:
        if not q and batch:
            continue
        # Everything a query needs is read before anything is printed: a damaged cache rebuilds cleanly.
        try:
            result, shown = handle.run(lambda ix, q=q: _answer(ix, rank_search(ix, q, filters, limit)))
        except QueryError as e:
            if not batch:
                raise
            _err(f"dipfacts search: {e}; skipped")  # one bad line of many: say so, answer the rest
            continue
        if result.ignored:
            _err(
                (
                    f"dipfacts search: only the first {MAX_WORDS} words of the query "
                    f"are searched; {result.ignored} more ignored"
                )
            )
        if result.stop_only:
            _err(f"dipfacts search: {_short(q)!r} has only stop words; searching for them anyway")
        if not result.hits:
            _err(f"dipfacts search: no fact matches {_short(q)!r}")
        elif result.dropped and not explain:
            _err(
                f"dipfacts search: no fact matches every word of {_short(q)!r}; ignored "
                + ", ".join(repr(w) for w in result.dropped)
            )
        hits = list(result.hits)
        extras = []
        for hit in hits:
            extra: dict[str, object] = {"score": round(hit.score, 4)}
            if batch:
                extra["query"] = q
            if explain:
                extra["explain"] = hit.explain()
            extras.append(extra)
        columns = (["query"] if batch else []) + (["explain"] if explain else [])
        notes = [_explain_line(h) for h in hits] if explain else None
        if batch and out_fmt is Format.table:
            from dipfacts.render import make_console

            make_console(sys.stdout).print(f"» {q}", style="bold")
        found += write_facts(
            shown,
            sources,
            out_fmt,
            sys.stdout,
            lang=lang,
            extras=extras,
            columns=columns,
            highlight=[_terms(h) for h in hits],
            notes=notes,
            fields=chosen_fields,
            header=header and not found,
        )
    _done(found)


AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help=(
            "Every fact: events, figures, and states (what an article says "
            "holds) marked 'as of' their date, kept apart from the events."
        ),
    ),
]
TimelineKindOpt = Annotated[
    Optional[Kind],
    typer.Option(
        "--kind",
        help="Only this kind instead of events: figure or state (event is the default).",
        case_sensitive=False,
        show_default=False,
    ),
]
_PLURAL = {"event": "events", "figure": "figures", "state": "states"}


@app.command()
def timeline(
    relation: RelationArg,
    since: SinceOpt = None,
    until: UntilOpt = None,
    topic: TopicOpt = None,
    kind: TimelineKindOpt = None,
    every: AllOpt = False,
    source: SourceOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    header: HeaderOpt = False,
    lang: LangOpt = Lang.en,
    facts: FactsOpt = None,
) -> None:
    """A relation's history in order: what happened, by year, each date at its own precision, planned events
    marked, each line cited.

    Events only by default. --all shows every fact: the figures too, and the states (what an article says
    holds, true as of the day it appeared), each marked "as of" that day and kept apart from the events.
    --kind figure or --kind state shows one other kind alone.
    """
    from dipfacts.base.errors import DipfactsError
    from dipfacts.search.filters import allowed_docs
    from dipfacts.timeline import chronological

    if every and kind is not None:
        raise DipfactsError(
            "--all and --kind cannot be used together", "--all shows every kind; --kind one of them"
        )
    handle = _index(facts)
    filters = _filters(
        handle.index,
        relation=relation,
        topic=topic,
        kind=None if every else kind or Kind.event,
        since=since,
        until=until,
        sources=source,
    )
    shown = handle.run(lambda ix: [ix.fact(d) for d in chronological(ix, allowed_docs(ix, filters) or ())])
    if not shown:
        _err(f"dipfacts timeline: {_nothing_in_timeline(handle.index, filters, kind is not None)}")
    _done(_write_history(shown, handle.index.sources, fmt, lang, _fields(fields), header))


def _nothing_in_timeline(index, filters, chosen: bool) -> str:
    """Nothing of the kind shown: say so, and what --all would show, so an empty answer is never a dead
    end."""
    from dipfacts.search.filters import kind_counts

    line = (
        f"no {_PLURAL[filters.kind] if filters.kind else 'facts'} of {filters.relation} match these options"
    )
    others = (
        {k: n for k, n in kind_counts(index, filters).items() if n and k != filters.kind}
        if filters.kind
        else {}
    )
    if others:
        total = sum(others.values())
        parts = ", ".join(f"{n} {_PLURAL[k] if n != 1 else k}" for k, n in others.items())
        line += (
            f"; {'without --kind, ' if chosen else ''}--all shows {total} "
            f"more fact{'s' if total != 1 else ''} ({parts})"
        )
    return line


def _write_history(shown, sources, fmt, lang, fields=None, header=False) -> int:
    """Facts in history order: grouped by year on a terminal; with a human `when` for scripts.

    A state's `when` reads "as of 27 Jun 2022" (as the terminal shows it), so a script
    can tell what held on a day from what happened on it."""
    from dipfacts.base.dates import as_of, human_date
    from dipfacts.render import lang_key, print_view, resolve_format, timeline_view, write_facts
    from dipfacts.timeline import by_year

    out_fmt = resolve_format(fmt, sys.stdout)
    if out_fmt is Format.table:
        if shown:
            print_view(timeline_view(by_year(shown), lang, sources), sys.stdout)
        return len(shown)
    key = lang_key(lang)
    extras = [
        {"when": (as_of if f.kind == "state" else human_date)(f.date, key), "status": f.status} for f in shown
    ]
    return write_facts(
        shown,
        sources,
        out_fmt,
        sys.stdout,
        lang=lang,
        extras=extras,
        columns=["when", "status"],
        fields=fields,
        header=header,
    )


MetricOpt = Annotated[
    Optional[str],
    typer.Option(
        "-m",
        "--metric",
        help=(
            "Only this metric: id, name or alias (bilateral-trade, trade, "
            "'kim ngạch thương mại'; see facts/metrics.toml)."
        ),
        show_default=False,
        autocompletion=lambda incomplete: _complete("metric", incomplete),
    ),
]
FIGURE_COLUMNS = ("metric", "date", "when", "value", "amount", "unit", "partial", "status", "id", "sources")


@app.command()
def figures(
    relation: RelationArg,
    metric: MetricOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: SourceOpt = None,
    fmt: FormatOpt = None,
    lang: LangOpt = Lang.en,
    facts: FactsOpt = None,
) -> None:
    """A relation's numbers over time: each metric's series in period order, as bars on a terminal."""
    from dipfacts.figures import series
    from dipfacts.render import figures_view, print_view, resolve_format, write_listing
    from dipfacts.search.filters import allowed_docs

    handle = _index(facts)
    filters = _filters(
        handle.index,
        relation=relation,
        kind="figure",
        metric=metric,
        since=since,
        until=until,
        sources=source,
    )
    found = handle.run(lambda ix: series(ix, allowed_docs(ix, filters) or ()))
    if not found:
        _err(f"dipfacts figures: no figures of {filters.relation} match these options")
    out_fmt = resolve_format(fmt, sys.stdout)
    if out_fmt is Format.table:
        if found:
            from dipfacts.render import make_console

            print_view(
                figures_view(
                    found, lang, width=min(make_console(sys.stdout).width, 120), sources=handle.index.sources
                ),
                sys.stdout,
            )
        _done(len(found))
    records = [_point_record(s, p, lang) for s in found for p in s.points]
    _done(write_listing(records, FIGURE_COLUMNS, out_fmt, sys.stdout))


def _point_record(s, p, lang) -> dict[str, object]:
    from dipfacts.base.dates import human_date
    from dipfacts.render import format_value, lang_key, source_ids

    v, key = p.fact.value, lang_key(lang)
    return {
        "metric": s.metric,
        "date": str(p.fact.date),
        "when": human_date(p.fact.date, key),
        "value": format_value(v, key),
        "amount": v.amount,
        "unit": v.unit,
        "comparator": v.comparator,
        "change": v.change,
        "vs": str(v.vs) if v.vs else None,
        "partial": p.partial,
        "status": p.fact.status,
        "id": p.fact.id,
        "sources": source_ids(p.fact),
    }


@app.command()
def ask(
    question: Annotated[
        list[str],
        typer.Argument(
            help=(
                "A question in English or Vietnamese: when…? / khi nào…?, how "
                "much/how many…? / bao nhiêu…?, who…? / ai…?, where…? / ở đâu…?, "
                "what rank…? / thứ mấy…?, or any other."
            ),
            metavar="QUESTION",
            show_default=False,
        ),
    ],
    relation: RelationOpt = None,
    source: SourceOpt = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help=(
                "Say why each fact considered did or did not answer: words, period, "
                "metric, answer type, subject (on stderr; a key in json)."
            ),
        ),
    ] = False,
    fmt: FormatOpt = None,
    lang: LangOpt = Lang.en,
    facts: FactsOpt = None,
) -> None:
    """One line: the answer (a date, a value, a person, a place or a fact) with its period, then its citation.

    Only a fact that answers the question answers it: the period it names, the metric and direction of a
    figure, the kind of answer, the subject, and an event that happened (not an anniversary, an invitation or
    a plan). Otherwise exit 1, with the closest facts."""
    from dipfacts.ask import ask as answer_question
    from dipfacts.render import (
        answer_line,
        answer_record,
        dumps,
        explanation,
        make_console,
        resolve_format,
        write_facts,
        write_rows,
    )
    from dipfacts.search.rank import MAX_WORDS

    handle = _index(facts)
    filters = _filters(handle.index, relation=relation, sources=source)
    q = _typed(" ".join(question))
    answer = handle.run(lambda ix: answer_question(ix, q, filters))
    sources = handle.index.sources
    out_fmt = resolve_format(fmt, sys.stdout)
    if answer.ignored:
        _err(
            (
                f"dipfacts ask: only the first {MAX_WORDS} words of the question "
                f"are read; {answer.ignored} more ignored"
            )
        )
    record = answer_record(answer, sources, lang, explain=explain)
    if explain and out_fmt not in (Format.json, Format.jsonl):
        for verdict in explanation(answer):
            _err(
                (
                    f"dipfacts ask: {verdict['id']}: {'answers' if verdict['answers'] else 'no'}: "
                    f"{'; '.join(verdict['why'])}"
                )
            )
    if answer.fact is None:
        what = "the closest facts follow" if answer.closest else "nothing comes close"
        _err(f"dipfacts ask: no fact answers {_short(q)!r}: {answer.refusal}; {what}")
        if out_fmt in (Format.json, Format.jsonl):  # one object, answered or not
            sys.stdout.write(dumps(record, indent=2 if out_fmt is Format.json else None) + "\n")
        else:
            write_facts(answer.closest, sources, out_fmt, sys.stdout, lang=lang)
        raise typer.Exit(EXIT_NOTHING)
    if out_fmt in (Format.json, Format.jsonl):
        sys.stdout.write(dumps(record, indent=2 if out_fmt is Format.json else None) + "\n")
    elif out_fmt is Format.md:  # the answer in bold, the fact with its footnotes
        from dipfacts.bibliography import markdown
        from dipfacts.render import fact_text, md

        sys.stdout.write(
            f"**{md(record['answer']['text'])}** — "
            + markdown(
                [answer.fact], sources, lambda f: fact_text(f, lang), md, "vi" if lang is Lang.vi else "en"
            )[2:]
        )
    elif out_fmt in (Format.tsv, Format.csv):
        write_rows(
            [(record["answer"]["text"], record["fact"]["id"], record["text"], record["citation"])],
            ("answer", "id", "text", "citation"),
            out_fmt,
            sys.stdout,
        )
    else:
        make_console(sys.stdout).print(answer_line(record))
    raise typer.Exit(EXIT_FOUND)


@app.command()
def relations(fmt: FormatOpt = None, lang: LangOpt = Lang.en, facts: FactsOpt = None) -> None:
    """The relations in the base, with their fact counts and the years they span."""
    from dipfacts.contents import spans, years
    from dipfacts.render import resolve_format, write_listing

    index = _index(facts).index
    counted = spans(index, index.relation_docs, list(index.relations))
    records = [
        {
            "id": r.id,
            "name": _named(r.name, r.name_vi, lang),
            "name_en": r.name,
            "name_vi": r.name_vi,
            "parties": list(r.parties),
            "aliases": list(r.aliases),
            "facts": counted[r.id].facts,
            "from": counted[r.id].first,
            "to": counted[r.id].last,
            "years": years(counted[r.id]),
        }
        for r in sorted(index.relations.values(), key=lambda r: r.id)
    ]
    _done(
        write_listing(records, ("id", "name", "facts", "years"), resolve_format(fmt, sys.stdout), sys.stdout)
    )


class CiteFormat(str, enum.Enum):
    csl_json = "csl-json"
    bibtex = "bibtex"
    ris = "ris"
    md = "md"


@app.command()
def cite(
    ids: Annotated[
        list[str],
        typer.Argument(
            help="Fact ids, e.g. vn-kz/bilateral-trade/2021.",
            metavar="ID",
            show_default=False,
            autocompletion=lambda incomplete: _complete("fact", incomplete),
        ),
    ],
    fmt: Annotated[
        CiteFormat,
        typer.Option(
            "-f",
            "--format",
            help=(
                "csl-json (Zotero, Pandoc), bibtex (biblatex @online), ris (EndNote, "
                "Mendeley), or md: the facts with footnoted citations, to paste."
            ),
            case_sensitive=False,
        ),
    ] = CiteFormat.csl_json,
    lang: LangOpt = Lang.en,
    facts: FactsOpt = None,
) -> None:
    """The sources behind facts, each once, in the formats reference managers read, with the quotes the
    facts rely on."""
    from dipfacts import bibliography
    from dipfacts.render import fact_text, md
    from dipfacts.search.lookup import get_facts

    base = _load(facts)
    found = get_facts(base, ids)
    if fmt is CiteFormat.md:
        text = bibliography.markdown(
            found, base.sources, lambda f: fact_text(f, lang), md, "vi" if lang is Lang.vi else "en"
        )
    else:
        text = {
            CiteFormat.csl_json: bibliography.csl_json,
            CiteFormat.bibtex: bibliography.bibtex,
            CiteFormat.ris: bibliography.ris,
        }[fmt](found, base.sources)
    sys.stdout.write(text)
    _done(len(found))


@app.command()
def topics(fmt: FormatOpt = None, facts: FactsOpt = None) -> None:
    """The topics facts are filed under (for -t), with their fact counts and the years they span."""
    from dipfacts.contents import spans, years
    from dipfacts.render import resolve_format, write_listing

    index = _index(facts).index
    counted = spans(index, index.topic_docs, sorted(index.topic_docs))
    records = [
        {"id": t, "facts": c.facts, "from": c.first, "to": c.last, "years": years(c)}
        for t, c in counted.items()
    ]
    _done(write_listing(records, ("id", "facts", "years"), resolve_format(fmt, sys.stdout), sys.stdout))


@app.command()
def metrics(fmt: FormatOpt = None, lang: LangOpt = Lang.en, facts: FactsOpt = None) -> None:
    """The metrics figures measure (for figures -m): name, unit, fact count, years, and the latest value."""
    from dipfacts.base.dates import human_date
    from dipfacts.contents import spans, years
    from dipfacts.render import format_value, lang_key, resolve_format, write_listing
    from dipfacts.timeline import chronological

    index = _index(facts).index
    counted = spans(index, index.metric_docs, sorted(index.metrics))
    key = lang_key(lang)
    records = []
    for m in sorted(index.metrics.values(), key=lambda m: m.id):
        measured = [
            d
            for d in chronological(index, index.metric_docs.get(m.id, ()))
            if index.fact(d).status != "planned"
        ]
        latest = index.fact(measured[-1]) if measured else None
        records.append(
            {
                "id": m.id,
                "name": _named(m.name, m.name_vi, lang),
                "name_en": m.name,
                "name_vi": m.name_vi,
                "unit": m.unit,
                "aliases": list(m.aliases),
                "subject": m.subject,
                "from_entity": m.source,
                "to_entity": m.target,
                "facts": counted[m.id].facts,
                "from": counted[m.id].first,
                "to": counted[m.id].last,
                "years": years(counted[m.id]),
                "latest": f"{format_value(latest.value, key)}, {human_date(latest.date, key)}"
                if latest and latest.value
                else None,
                "latest_id": latest.id if latest else None,
            }
        )
    _done(
        write_listing(
            records, ("id", "unit", "facts", "years", "latest"), resolve_format(fmt, sys.stdout), sys.stdout
        )
    )


# The columns of `sources` in tsv and csv. New columns go last: a script reading by position keeps working.
SOURCE_COLUMNS = ("id", "publisher", "when", "facts", "title", "author", "url", "accessed")


@app.command()
def sources(fmt: FormatOpt = None, lang: LangOpt = Lang.en, facts: FactsOpt = None) -> None:
    """The articles the facts come from: publisher, date, title, how many facts cite each, and the author,
    URL and day the page was read where known."""
    from dipfacts.base.dates import human_date
    from dipfacts.contents import spans
    from dipfacts.render import lang_key, print_view, resolve_format, sources_view, write_listing

    index = _index(facts).index
    counted = spans(index, index.source_docs, list(index.sources))
    key = lang_key(lang)
    chosen = sorted(index.sources.values(), key=lambda s: s.id)
    out_fmt = resolve_format(fmt, sys.stdout)
    if out_fmt is Format.table:
        if chosen:
            print_view(sources_view(chosen, {s.id: counted[s.id].facts for s in chosen}, lang), sys.stdout)
        _done(len(chosen))
    records = [
        {
            "id": s.id,
            "publisher": s.publisher,
            "published": str(s.published),
            "when": human_date(s.published, key),
            "title": _named(s.english_title, s.title, lang),
            "title_vi": s.title,
            "title_en": s.title_en or None,
            "language": s.language,
            "author": s.author,
            "file": s.file,
            "url": s.url,
            "accessed": str(s.accessed) if s.accessed else None,
            "note": s.note,
            "facts": counted[s.id].facts,
        }
        for s in chosen
    ]
    _done(write_listing(records, SOURCE_COLUMNS, out_fmt, sys.stdout))


@app.command()
def entities(
    name: Annotated[
        Optional[str],
        typer.Argument(
            help="An entity (id, name or alias: 'Tô Lâm', to lam, kazakhstan): show it and all its facts.",
            metavar="[NAME]",
            show_default=False,
            autocompletion=lambda incomplete: _complete("entity", incomplete),
        ),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = Lang.en,
    facts: FactsOpt = None,
) -> None:
    """The people, countries, organisations and agreements the facts are about; with NAME, one of them in
    full."""
    from dipfacts.contents import spans, years
    from dipfacts.render import resolve_format, write_listing

    handle = _index(facts)
    index = handle.index
    out_fmt = resolve_format(fmt, sys.stdout)
    if name is None:
        counted = spans(index, index.entity_docs, list(index.entities))
        records = [
            {
                **_entity_record(e, lang),
                "facts": counted[e.id].facts,
                "from": counted[e.id].first,
                "to": counted[e.id].last,
                "years": years(counted[e.id]),
            }
            for e in sorted(index.entities.values(), key=lambda e: e.id)
        ]
        _done(write_listing(records, ("id", "kind", "name", "facts", "years"), out_fmt, sys.stdout))
    from dipfacts.render import entity_card, make_console, write_records
    from dipfacts.search.filters import Filters, allowed_docs
    from dipfacts.timeline import chronological

    eid = _filters(index, entity=name).entity
    entity = index.entities[eid]
    shown = handle.run(
        lambda ix: [ix.fact(d) for d in chronological(ix, allowed_docs(ix, Filters(entity=eid)) or ())]
    )
    if out_fmt in (Format.json, Format.jsonl):
        from dipfacts.render import fact_record

        write_records(
            [{**_entity_record(entity, lang), "facts": [fact_record(f, index.sources) for f in shown]}],
            out_fmt,
            sys.stdout,
        )
    else:
        if out_fmt is Format.table:
            make_console(sys.stdout).print(entity_card(entity, len(shown), lang))
        _write_history(shown, index.sources, out_fmt, lang)
    raise typer.Exit(EXIT_FOUND)


def _named(en: str, vi: str, lang: Lang) -> str:
    return vi if lang is Lang.vi else f"{en} / {vi}" if lang is Lang.both else en


def _entity_record(e, lang: Lang) -> dict[str, object]:
    return {
        "id": e.id,
        "kind": e.kind,
        "name": _named(e.name, e.name_vi, lang),
        "name_en": e.name,
        "name_vi": e.name_vi,
        "aliases": list(e.aliases),
        "office": e.office,
        "office_vi": e.office_vi,
    }


def _answer(index, result):
    return result, [index.fact(h.doc) for h in result.hits]


def _typed(text: str) -> str:
    """An argument as typed: bytes that were not UTF-8 (kept by Python as lone surrogates,
    which no output could encode) become U+FFFD, as undecodable stdin does."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        _err("dipfacts: an argument is not valid UTF-8; undecodable bytes read as U+FFFD")
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def _short(text: str, n: int = 80) -> str:
    """A query quoted back in a message: one line, never 100,000 characters."""
    return text if len(text) <= n else text[: n - 1] + "…"


def _stdin_lines() -> list[str]:
    """Queries from stdin, one a line. Undecodable bytes become U+FFFD and NULs spaces, as
    grep reads on past them; a line on stderr says so, since the words may not be what was meant."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        _err(
            (
                f"dipfacts search: stdin is not valid UTF-8 (byte 0x{data[e.start]:02x} "
                f"at offset {e.start}); undecodable bytes read as U+FFFD"
            )
        )
        text = data.decode("utf-8", "replace")
    if "\x00" in text:
        _err("dipfacts search: NUL bytes on stdin read as spaces")
        text = text.replace("\x00", " ")
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        _err("dipfacts search: no queries on stdin (one query a line)")
    return lines


def _terms(hit) -> set[str]:
    from dipfacts.search.rank import matched_terms

    return matched_terms(hit)


def _explain_line(hit) -> str:
    parts = []
    for m in hit.matches:
        via = m.term if m.term == m.word.lower() else f"{m.term} ({m.how}{_typos(m.typos)})"
        parts.append(f"{m.word} → {via} in {'/'.join(m.fields)}")
    line = "; ".join(parts)
    if hit.dropped:
        line += f"; dropped {', '.join(hit.dropped)}"
    return (
        f"{line} · typos {hit.typos} · proximity {hit.proximity} · field "
        f"{hit.field} · exact {hit.exactness} · bm25 {hit.score:.3f}"
    )


def _index(facts: list[Path] | None):
    from dipfacts.base.files import base_files
    from dipfacts.search.cache import IndexHandle

    files = base_files(facts or ())

    def build():  # only on a cache miss: the TOML loader is not even imported otherwise
        from dipfacts.search.index import index_files

        return index_files(files)

    return IndexHandle(files, build)


def _filters(
    index,
    *,
    relation=None,
    topic=None,
    entity=None,
    kind=None,
    since=None,
    until=None,
    metric=None,
    sources=None,
):
    """Options as typed (aliases, EDTF strings) resolved into one Filters, or a one-line error."""
    from dipfacts.base.dates import parse_bound
    from dipfacts.base.errors import DipfactsError
    from dipfacts.search.filters import Filters
    from dipfacts.search.index import day_number
    from dipfacts.search.lookup import (
        resolve_entity,
        resolve_metric,
        resolve_relation,
        resolve_source,
        resolve_topic_name,
    )

    lo = parse_bound(since, end=False) if since else None
    hi = parse_bound(until, end=True) if until else None
    if lo and hi and lo > hi:
        raise DipfactsError(f"--since {since} is after --until {until}", "swap them")
    return Filters(
        relation=resolve_relation(index.base_view(), relation) if relation else None,
        entity=resolve_entity(index.base_view(), entity) if entity else None,
        topic=resolve_topic_name(index.topic_docs, topic) if topic else None,
        kind=kind.value if isinstance(kind, Kind) else kind,
        since=day_number(lo) if lo else None,
        until=day_number(hi) if hi else None,
        metric=resolve_metric(index.metrics, metric) if metric else None,
        sources=tuple(dict.fromkeys(resolve_source(index.sources, s) for s in sources)) if sources else None,
    )


@app.command()
def extract(
    article: Annotated[
        Path,
        typer.Argument(
            help="A Vietnamese news article, as UTF-8 text.", metavar="ARTICLE.txt", show_default=False
        ),
    ],
    source_id: Annotated[
        Optional[str],
        typer.Option(
            "--source-id",
            help=_literal(
                (
                    "The source the drafts cite. Default: the known source whose "
                    "file is ARTICLE, else one named after the file (with a draft "
                    "[[source]])."
                )
            ),
            metavar="ID",
            show_default=False,
        ),
    ] = None,
    published: Annotated[
        Optional[str],
        typer.Option(
            "--published",
            help=(
                "The article's date (EDTF), which dates without a year, 'năm "
                "nay' and 'hôm qua' are read against. Default: the known source's, "
                "else the article's date line; never a date of the story."
            ),
            metavar="DATE",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "-o",
            "--output",
            help="Write the drafts to this file (default: stdout).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    facts: FactsOpt = None,
) -> None:
    """Draft cited facts from a new article: one [[fact]] for each sentence with a date, an amount, a
    percentage or an ordinal meeting, for a curator to finish."""
    from dipfacts.base.dates import parse_edtf
    from dipfacts.base.errors import DipfactsError
    from dipfacts.base.files import base_files, display
    from dipfacts.extract.draft import drafts_document, published_in, slug

    try:
        text = article.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DipfactsError(f"{display(article)}: no such file") from None
    except IsADirectoryError:
        raise DipfactsError(f"{display(article)}: is a folder, not an article") from None
    except OSError as e:
        raise DipfactsError(f"{display(article)}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise DipfactsError(
            f"{display(article)}: not UTF-8 (byte at offset {e.start})", "convert it: iconv -t UTF-8"
        ) from None
    files = base_files(facts or ())
    if output is not None:
        if output.resolve() in {f.resolve() for f in files}:
            raise DipfactsError(
                f"{display(output)} is part of the fact base",
                "write drafts to a new file; move finished facts in by hand",
            )
        if output.exists() and not force:
            raise DipfactsError(
                f"{display(output)} exists", "use --force to replace it, or choose another file"
            )
    index = _index(facts).index
    sources = index.sources
    known = (
        next((s for s in sources.values() if s.file == article.name), None)
        if source_id is None
        else sources.get(source_id)
    )
    sid = source_id or (known.id if known else slug(article.stem))
    date = published or (str(known.published) if known else published_in(text))
    if date is None:
        raise DipfactsError(
            f"{display(article)} has no date line and is not a known source",
            "give --published, e.g. --published 2022-06-27: dates without a year are read against it",
        )
    doc = drafts_document(article, text, sid, parse_edtf(date), known_source=known is not None, index=index)
    rendered = _drafts_toml(doc, article)
    if output is None:
        sys.stdout.write(rendered)
    else:
        _write_new(output, rendered)
        _err(f"dipfacts extract: {len(doc['fact'])} draft facts written to {display(output)}")
    _done(len(doc["fact"]))


def _drafts_toml(doc: dict, article: Path) -> str:
    from dipfacts.extract.draft import drafts_toml

    head = (
        f"# Drafts from {article.name}, by dipfacts extract. For each fact: check it against the article,\n"
        "# write text and text_vi, review what was filled from the base "
        "(relations, entities, topics, metric; a draft\n"
        "# [[metric]] names a series the base lacks), keep or cut, then delete each 'draft = true'.\n"
        "# `dipfacts check --facts THIS_FILE --sources-dir FOLDER` lists what is still to do.\n\n"
    )
    return head + drafts_toml(doc)


def _write_new(path: Path, text: str) -> None:
    """Write through a temporary file renamed into place: never a half-written file."""
    import tempfile

    from dipfacts.base.errors import DipfactsError
    from dipfacts.base.files import display

    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dipfacts-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError as e:
        raise DipfactsError(f"cannot write {display(path)}: {e.strerror or e}") from None


@app.command()
def check(
    sources_dir: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--sources-dir",
            help=(
                "Folder of source articles: each quote whose article is here "
                "is checked against it. Repeatable."
            ),
            metavar="DIR",
            show_default=False,
            exists=True,
            file_okay=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help=(
                "Fail unless every quote is verified: a source whose article "
                "is not in the folders, or that names no article file, is an "
                "error. Needs --sources-dir."
            ),
        ),
    ] = False,
    fmt: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Validate the fact base and verify every quote verbatim against its article; report every problem at
    once.

    A quote whose article is not in the --sources-dir folders is counted as not verified, with the reason, and
    is no error unless --strict. Two figures of one metric, relation and period are an error (a conflict, or a
    duplicate: make one a [[cite]] of the other); two events that look like one are a warning. Exit status: 0
    the base is sound, 2 any problem (each on stderr, with file and line)."""
    from dipfacts.base.check import check_files, summary, verification
    from dipfacts.base.errors import DipfactsError
    from dipfacts.base.files import base_files
    from dipfacts.render import dumps, make_console, resolve_format, write_rows

    if strict and not sources_dir:
        raise DipfactsError(
            "--strict needs --sources-dir: without the articles no quote can be verified",
            "give --sources-dir DIR",
        )
    report = check_files(base_files(facts or ()), sources_dir or [], strict=strict)
    for warning in report.warnings:  # a curator's decision, not an error: the exit status stays
        _err(f"dipfacts check: warning: {warning}")
    out_fmt = resolve_format(fmt, sys.stdout)
    if out_fmt in (Format.json, Format.jsonl):  # one object: the report, problems included
        sys.stdout.write(dumps(report.as_dict(), indent=2 if out_fmt is Format.json else None) + "\n")
    if report.problems:
        raise BaseError(list(report.problems))
    if out_fmt in (Format.tsv, Format.csv):
        write_rows(
            [(k, str(v)) for k, v in report.figures().items()], ("check", "value"), out_fmt, sys.stdout
        )
    elif out_fmt in (Format.table, Format.md):
        make_console(sys.stdout).print(summary(report))
    if (
        out_fmt not in (Format.table, Format.md) and report.verified < report.citations
    ):  # the sentence says it on a terminal
        _err(f"dipfacts check: {verification(report)}")


for _info in app.registered_commands:  # every command's docstring is its help: shown as written
    _info.help = _literal(_unwrapped(inspect.getdoc(_info.callback) or ""))


def main() -> NoReturn:
    """The console script: run, flush, and leave at once.

    Leaving with os._exit skips the interpreter's teardown, which frees every module and
    object one by one, after the answer is written (docs/benchmarks.md). Nothing is lost by
    it: the output is flushed here, the exit handlers others registered (logging's shutdown)
    are run first, and dipfacts' own files (the cache, extract's output) are complete and
    closed before a command returns. A process something watches — a tracer, a profiler,
    coverage (which saves its data after the program returns) — exits normally. In-process
    callers (tests) use `run`, which exits normally."""
    code = run(sys.argv[1:])
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (
            BrokenPipeError,
            ValueError,
        ):  # a reader that went away (`| head -1`): nothing left to tell it
            pass
        except OSError as e:  # a full disk: the answer is incomplete, and the exit status must say so
            if stream is sys.stdout and code != EXIT_ERROR:  # (unless already said, by DipfactsGroup.main)
                _err(f"dipfacts: error: cannot write the output: {e.strerror or e}")
                sys.stderr.flush()
                code = EXIT_ERROR
    if _watched():
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()  # CPython's own: what a normal exit would run, and nothing else
    os._exit(code)


def _watched() -> bool:
    """Whether a tracer, a profiler or a sys.monitoring tool (coverage, a debugger) is attached."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+
    return monitoring is not None and any(monitoring.get_tool(i) is not None for i in range(6))


def run(argv: list[str]) -> int:
    """Run the CLI on `argv` and return its exit status (what sys.exit would make of it).

    Typer turns every registered function into a Click command on each run, evaluating
    its annotations (milliseconds a command, paid on every call). A run needs only the
    command it names, so when the first argument is one, only that command is built; the
    group's own help, completion and a mistyped name still see them all."""
    try:
        _app_for(argv[:1])(args=argv)
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return e.code or 0
        _err(str(e.code))  # as sys.exit reports a message
        return 1
    return 0


def _app_for(first: list[str]) -> typer.Typer:
    chosen = [c for c in app.registered_commands if first and _command_name(c) == first[0]]
    if not chosen:
        return app
    slim = copy.copy(app)
    slim.registered_commands = chosen
    return slim


def _command_name(info: Any) -> str:
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__)
