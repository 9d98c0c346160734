"""Regenerate the example outputs and the command reference in the docs from the CLI itself.

The generated files are README.md, CONTRIBUTING.md and every docs/*.md (`FILES`). In each:

- Blocks between `<!-- [[[run: COMMAND]]] -->` and `<!-- [[[end]]] -->` hold what COMMAND
  prints, run in-process as on an 80-column terminal without colour (TERM=dumb).
  COMMAND starts with `dipfacts` and may go on through a pipeline, written as in a shell
  (an unquoted `|` separates the stages):
    - `| jq ARGS` pipes the output through the real jq (which must be installed);
    - `| head -n N` keeps its first N lines (done here, in Python), for commands that
      print more than an example needs.
  In a pipeline dipfacts writes to a pipe, not a terminal, so it prints what it prints
  in a pipe (tsv, not a table, by default).
  A command that must exit 1 (nothing found: `ask` refusing) ends in `  # exit 1`; its block
  shows what stderr says, then stdout, as a terminal shows both.
- `<!-- [[[catalogue]]] -->` … `<!-- [[[end]]] -->` holds the table of bad input tried,
  counted from the tests that try it.

`python tools/readme.py` rewrites the stale files; `--check` rewrites nothing, names each
stale file and exits 1 (tests/test_readme.py checks the same), so the docs never drift
from the CLI. Commands run in the checkout's root, so examples name ../shared/seeds as a
user in the checkout would type it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
DOCS = ROOT / "docs"
BLOCK = re.compile(
    r"(<!-- \[\[\[run: (?P<cmd>.+?)\]\]\] -->\n)(?P<body>.*?)(<!-- \[\[\[end\]\]\] -->)", re.DOTALL
)
TERMINAL = {
    "TTY_COMPATIBLE": "1",
    "COLUMNS": "80",
    "TERM": "dumb",
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "DIPFACTS_FACTS": None,
}
PIPE = {**TERMINAL, "TTY_COMPATIBLE": None}


def files() -> list[Path]:
    """The generated files: README.md, CONTRIBUTING.md (when there is one) and every docs/*.md."""
    found = [README]
    if CONTRIBUTING.is_file():
        found.append(CONTRIBUTING)
    return found + sorted(DOCS.glob("*.md"))


def stages(command: str) -> list[list[str]]:
    """COMMAND split into the words of each pipeline stage, as a POSIX shell splits them."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    split: list[list[str]] = [[]]
    for token in lexer:
        if token == "|":
            split.append([])
        else:
            split[-1].append(token)
    return split


def uses_jq(text: str) -> bool:
    """Whether any run block of TEXT pipes through jq."""
    return any(stage[:1] == ["jq"] for m in BLOCK.finditer(text) for stage in stages(m.group("cmd"))[1:])


def _jq(args: list[str], text: str, command: str) -> str:
    jq = shutil.which("jq")
    if jq is None:
        raise SystemExit(f"jq is not installed, and this example pipes through it: {command}")
    result = subprocess.run(
        [jq, *args], input=text, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"example failed in jq with exit {result.returncode}: {command}\n{result.stderr}")
    return result.stdout


def _head(args: list[str], text: str, command: str) -> str:
    if len(args) != 2 or args[0] != "-n" or not args[1].isdigit():
        raise SystemExit(f"only `head -n N` is supported: {command}")
    return "".join(text.splitlines(keepends=True)[: int(args[1])])


FILTERS = {"jq": _jq, "head": _head}


def run(command: str) -> str:
    from typer.testing import CliRunner

    from dipfacts.cli import app

    command, _, code = command.partition("  # exit ")
    expected = int(code or 0)
    first, *rest = stages(command)
    if first[:1] != ["dipfacts"]:
        raise SystemExit(f"an example must start with dipfacts: {command}")
    for stage in rest:
        if not stage or stage[0] not in FILTERS:
            raise SystemExit(f"an example may pipe only through {' or '.join(FILTERS)}: {command}")
    result = CliRunner().invoke(app, first[1:], env=PIPE if rest else TERMINAL)
    if result.exit_code != expected:
        raise SystemExit(f"example exited {result.exit_code}, not {expected}: {command}\n{result.stderr}")
    output = result.stdout if not expected else result.stderr + result.stdout
    for name, *args in rest:
        output = FILTERS[name](args, output, command)
    text = "\n".join(line.rstrip() for line in output.splitlines())
    return f"```console\n$ {command}\n{text}\n```\n"


CATALOGUE = re.compile(
    r"(<!-- \[\[\[catalogue\]\]\] -->\n)(?P<body>.*?)(<!-- \[\[\[end\]\]\] -->)", re.DOTALL
)


def catalogue() -> str:
    """The table of bad input tried, counted from the tests that try it."""
    sys.path.insert(0, str(ROOT / "tests"))
    from catalogue import CASES
    from test_hostile import COMMANDS, MODES, PAYLOADS
    from test_properties import EXAMPLES

    rows = ["| class | inputs tried | result |", "| --- | ---: | --- |"]
    for group in dict.fromkeys(c.group for c in CASES):
        cases = [c for c in CASES if c.group == group]
        errors = sum(1 for c in cases if c.exit == 2)
        names = "; ".join(c.name for c in cases)
        answered = len(cases) - errors
        rows.append(
            f"| {group}: {names} | {len(cases)} | {errors} a one-line error naming the problem, exit 2; "
            f"{answered} answered (exit 0 or 1; a note on stderr where the input was changed); 0 tracebacks |"
        )
    rows.append(
        f"| hostile fact text ({', '.join(PAYLOADS)}, a 10,000-letter word) in every field, "
        f"through {len(COMMANDS)} commands × {len(MODES)} output modes "
        f"| {len(COMMANDS) * len(MODES)} runs × {len(PAYLOADS) + 1} payloads "
        "| printed as data: no escape sequence, C1 control or bidi override reaches the output "
        "(raw bytes checked) |"
    )
    properties = len([name for name in dir(sys.modules["test_properties"]) if name.startswith("test_")])
    rows.append(
        "| property tests: random Unicode queries, questions and filters for search, ask and timeline; "
        "normalisation; EDTF dates; random TOML documents "
        f"| {properties} properties × {EXAMPLES.max_examples} examples "
        "| 0 exceptions but dipfacts' own errors |"
    )
    return "\n".join(rows) + "\n"


def render(text: str) -> str:
    """TEXT with every generated block filled in afresh."""
    text = CATALOGUE.sub(lambda m: m.group(1) + catalogue() + m.group(3), text)
    return BLOCK.sub(lambda m: m.group(1) + run(m.group("cmd")) + m.group(4), text)


def main(argv: list[str]) -> int:
    os.chdir(ROOT)  # examples name ../shared/seeds as a user in the checkout would
    stale = []
    for path in files():
        current = path.read_text(encoding="utf-8")
        fresh = render(current)
        if fresh == current:
            continue
        stale.append(path.relative_to(ROOT).as_posix())
        if "--check" not in argv:
            path.write_text(fresh, encoding="utf-8")
    if "--check" in argv and stale:
        for name in stale:
            print(f"{name} is out of date: run python tools/readme.py", file=sys.stderr)
        return 1
    for name in stale:
        print(f"regenerated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
