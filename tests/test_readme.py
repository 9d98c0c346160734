"""The README is generated from the CLI, and CI runs exactly the README's test command."""

from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import ROOT


def _readme_tool():
    spec = importlib.util.spec_from_file_location("readme_tool", ROOT / "tools" / "readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_examples_and_help_match_the_cli(monkeypatch: pytest.MonkeyPatch, seeds) -> None:
    monkeypatch.chdir(ROOT)
    tool = _readme_tool()
    current = (ROOT / "README.md").read_text(encoding="utf-8")
    fresh = tool.render(current)
    assert fresh == current, "README.md is stale: run python tools/readme.py"
    assert current.count("<!-- [[[run:") >= 6


def test_readme_help_blocks_cover_every_command() -> None:
    from dipfacts.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    documented = set(re.findall(r"<!-- \[\[\[run: dipfacts (\S+) --help\]\]\] -->", readme))
    assert names == documented


def _commands(text: str) -> list[str]:
    return re.findall(r"^python -m pip install .*$", text, flags=re.MULTILINE)


def test_ci_runs_the_readme_test_command() -> None:
    readme = _commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(readme) == 2, "the README gives two set-up commands: install-and-run, and test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme[1] in _commands(ci)
