"""Regenerate the README's command reference and example outputs from the CLI itself.

Blocks between `<!-- [[[run: COMMAND]]] -->` and `<!-- [[[end]]] -->` hold what
COMMAND prints, run in-process as on an 80-column terminal without colour (TERM=dumb).
`python tools/readme.py` rewrites README.md; `--check` exits 1 when it is stale
(tests/test_readme.py runs that), so the docs never drift from `--help`.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- \[\[\[run: (?P<cmd>.+?)\]\]\] -->\n)(?P<body>.*?)(<!-- \[\[\[end\]\]\] -->)", re.DOTALL)
TERMINAL = {"TTY_COMPATIBLE": "1", "COLUMNS": "80", "TERM": "dumb", "NO_COLOR": None, "FORCE_COLOR": None, "DIPFACTS_FACTS": None}


def run(command: str) -> str:
    from typer.testing import CliRunner

    from dipfacts.cli import app

    args = shlex.split(command)
    assert args[0] == "dipfacts", command
    result = CliRunner().invoke(app, args[1:], env=TERMINAL)
    if result.exit_code != 0:
        raise SystemExit(f"README example failed with exit {result.exit_code}: {command}\n{result.stderr}")
    text = "\n".join(line.rstrip() for line in result.stdout.splitlines())
    return f"```console\n$ {command}\n{text}\n```\n"


CATALOGUE = re.compile(r"(<!-- \[\[\[catalogue\]\]\] -->\n)(?P<body>.*?)(<!-- \[\[\[end\]\]\] -->)", re.DOTALL)


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
        f"| hostile fact text ({', '.join(PAYLOADS)}, a 10,000-letter word) in every field, through {len(COMMANDS)} commands "
        f"× {len(MODES)} output modes | {len(COMMANDS) * len(MODES)} runs × {len(PAYLOADS) + 1} payloads "
        "| printed as data: no escape sequence, C1 control or bidi override reaches the output (raw bytes checked) |"
    )
    properties = len([name for name in dir(sys.modules["test_properties"]) if name.startswith("test_")])
    rows.append(
        "| property tests: random Unicode queries, questions and filters for search, ask and timeline; normalisation; EDTF "
        f"dates; random TOML documents | {properties} properties × {EXAMPLES.max_examples} examples | 0 exceptions but dipfacts' own errors |"
    )
    return "\n".join(rows) + "\n"


def render(readme: str) -> str:
    readme = CATALOGUE.sub(lambda m: m.group(1) + catalogue() + m.group(3), readme)
    return BLOCK.sub(lambda m: m.group(1) + run(m.group("cmd")) + m.group(4), readme)


def main(argv: list[str]) -> int:
    os.chdir(ROOT)  # examples name ../shared/seeds as a user in the checkout would
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md is out of date: run python tools/readme.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
