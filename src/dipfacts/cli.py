"""The command line: parse options, call the library, print.

Everything else — loading, checking, resolving, rendering — lives in its own
module. Errors the library raises become one line on stderr and exit 2 here,
in `DipfactsGroup.main`, and nowhere else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from dipfacts import __version__
from dipfacts.errors import BaseError, DipfactsError
from dipfacts.render import Format

EXIT_FOUND, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2
DEBUG_VAR = "DIPFACTS_DEBUG"


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


class DipfactsGroup(TyperGroup):
    """Runs Typer in non-standalone mode so every error is reported the same way:
    one line on stderr, exit 2, no traceback (unless --debug or DIPFACTS_DEBUG=1).
    """

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:  # type: ignore[override]
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv
        debug = debug or os.environ.get(DEBUG_VAR, "") not in ("", "0")
        try:
            rv = super().main(args=argv, prog_name=prog_name or "dipfacts", complete_var=complete_var, standalone_mode=False, **extra)
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
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=DipfactsGroup,
    name="dipfacts",
    no_args_is_help=True,
    add_completion=False,
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
RelationOpt = Annotated[Optional[str], typer.Option("-r", "--relation", help="Only facts of this relation (id or alias: vn-kz, kz, asean-japan).", show_default=False)]
TopicOpt = Annotated[Optional[str], typer.Option("-t", "--topic", help="Only facts with this topic (trade, visit, …).", show_default=False)]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dipfacts {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors (also DIPFACTS_DEBUG=1).")] = False,
) -> None:
    """Quotable, cited facts about Vietnam's diplomatic relations.

    Exit status: 0 found, 1 nothing found, 2 error (as grep).
    """


def _load(facts: list[Path] | None):
    from dipfacts.load import load_base

    return load_base(facts or ())


def _done(count: int) -> NoReturn:
    raise typer.Exit(EXIT_FOUND if count else EXIT_NOTHING)


# --- commands -----------------------------------------------------------------------------------


@app.command()
def show(
    ids: Annotated[list[str], typer.Argument(help="Fact ids, e.g. vn-kz/diplomatic-relations/established.", metavar="ID", show_default=False)],
    fmt: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Print facts in full, with every citation."""
    from dipfacts.lookup import get_facts
    from dipfacts.render import resolve_format, write_facts

    base = _load(facts)
    found = get_facts(base, ids)
    _done(write_facts(found, base, resolve_format(fmt, sys.stdout), sys.stdout, full=True))


@app.command()
def export(
    relation: RelationOpt = None,
    topic: TopicOpt = None,
    fmt: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Print the whole base, or the facts of one relation or topic: the bridge to jq and spreadsheets."""
    from dipfacts.lookup import select
    from dipfacts.render import resolve_format, write_facts

    base = _load(facts)
    chosen = select(base, relation=relation, topic=topic)
    _done(write_facts(chosen, base, resolve_format(fmt, sys.stdout), sys.stdout))


@app.command()
def check(
    sources_dir: Annotated[
        Optional[list[Path]],
        typer.Option("--sources-dir", help="Folder of the source articles; every quote is checked against its article. Repeatable.", metavar="DIR", show_default=False),
    ] = None,
    fmt: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Validate the fact base and, given --sources-dir, verify every quote verbatim."""
    from dipfacts.check import check_base
    from dipfacts.load import display
    from dipfacts.render import dumps, make_console, resolve_format, write_rows

    base = _load(facts)
    dirs = sources_dir or []
    report = check_base(base, dirs)
    out_fmt = resolve_format(fmt, sys.stdout)
    summary = report.as_dict()
    if out_fmt in (Format.json, Format.jsonl):  # one object: the report, problems included
        sys.stdout.write(dumps(summary, indent=2 if out_fmt is Format.json else None) + "\n")
    if report.problems:
        raise BaseError(list(report.problems))
    if out_fmt in (Format.tsv, Format.csv):
        rows = [(k, str(v)) for k, v in summary.items() if not isinstance(v, list)]
        write_rows(rows, ("check", "value"), out_fmt, sys.stdout)
    elif out_fmt is Format.table:
        where = ", ".join(display(d) for d in dirs)
        line = f"ok: {report.facts} facts, {report.sources} sources, {report.relations} relations, {report.entities} entities"
        if dirs:
            line += f"; {report.verified} of {report.citations} citations verified verbatim against {where}"
        make_console(sys.stdout).print(line)
    if not dirs:
        _err(f"dipfacts check: {report.citations} citations not verified: give --sources-dir to check quotes against their articles")
    elif report.unverifiable:
        _err("dipfacts check: no article file for source(s) " + ", ".join(report.unverifiable) + ": their quotes were not verified")


def main() -> None:
    """The console script."""
    app()
