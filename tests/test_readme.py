"""The README and docs are generated from the CLI, and CI runs exactly the README's test command."""

from __future__ import annotations

import importlib.util
import re
import shutil

import pytest

from conftest import ROOT


def _readme_tool():
    spec = importlib.util.spec_from_file_location("readme_tool", ROOT / "tools" / "readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _readme_tool()
GENERATED = [path.relative_to(ROOT).as_posix() for path in TOOL.files()]
README = ROOT / "README.md"


@pytest.mark.parametrize("name", GENERATED)
def test_generated_docs_match_the_cli(
    name: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(ROOT)
    current = (ROOT / name).read_text(encoding="utf-8")
    if any("../shared/" in m.group("cmd") for m in TOOL.BLOCK.finditer(current)):
        request.getfixturevalue("seeds")  # this file's examples read the source articles
    if TOOL.uses_jq(current) and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    fresh = TOOL.render(current)
    assert fresh == current, f"{name} is stale: run python tools/readme.py"


def test_the_generated_files_are_the_readme_contributing_and_docs() -> None:
    assert GENERATED[0] == "README.md"
    assert "CONTRIBUTING.md" in GENERATED
    assert {
        "docs/cli.md",
        "docs/search.md",
        "docs/robustness.md",
        "docs/benchmarks.md",
        "docs/extract.md",
    } <= set(GENERATED)


def test_readme_is_a_front_page() -> None:
    readme = README.read_text(encoding="utf-8")
    lines = len(readme.splitlines())
    assert lines <= 200, f"README.md has {lines} lines: move detail to docs/"
    assert readme.count("<!-- [[[run:") >= 6


def test_readme_help_blocks_cover_every_command() -> None:
    from dipfacts.cli import app

    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    documented = set(re.findall(r"<!-- \[\[\[run: dipfacts (\S+) --help\]\]\] -->", cli))
    assert names == documented
    assert "<!-- [[[run: dipfacts --help]]] -->" in cli


LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


@pytest.mark.parametrize("name", GENERATED)
def test_relative_links_resolve(name: str) -> None:
    path = ROOT / name
    text = path.read_text(encoding="utf-8")
    broken = []
    for m in LINK.finditer(text):
        target = m.group("target").split("#", 1)[0]
        if not target or re.match(r"[a-z][a-z0-9+.-]*:", target):  # an anchor in this page, or a URL
            continue
        if not (path.parent / target).exists():
            broken.append(m.group("target"))
    assert not broken, f"{name} links to missing files: {broken}"


def test_readme_links_to_the_docs() -> None:
    targets = set(LINK.findall(README.read_text(encoding="utf-8")))
    assert "CONTRIBUTING.md" in targets
    assert "facts/README.md" in targets
    assert {
        "docs/cli.md",
        "docs/search.md",
        "docs/extract.md",
        "docs/robustness.md",
        "docs/benchmarks.md",
    } <= targets


def _commands(text: str) -> list[str]:
    return re.findall(r"^python -m pip install .*$", text, flags=re.MULTILINE)


def test_ci_runs_the_readme_test_command() -> None:
    readme = _commands(README.read_text(encoding="utf-8"))
    assert len(readme) == 2, "the README gives two set-up commands: install-and-run, and test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme[1] in _commands(ci)
