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


def render(readme: str) -> str:
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
