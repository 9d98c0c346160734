"""The package's layout is its architecture: base ← search ← extract and the views ← cli, each
layer importing only the ones below it (../shared/design/layout.md). Checked from every import in
src/, the lazy ones inside functions included, so a new upward import fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "dipfacts"

# What each part may import from dipfacts (besides itself and the package's __init__).
VIEWS = {"ask", "question", "timeline", "figures", "contents", "completion", "bibliography"}
ALLOWED = {
    "base": {"base"},
    "search": {"base", "search"},
    "extract": {"base", "search", "extract"},
    "views": {"base", "search", "views"},
    "render": {"base", "search", "views"},
    "cli": {"base", "search", "extract", "views", "render", "cli"},
}


def part(module: str) -> str:
    """'dipfacts.search.rank' → 'search'; 'dipfacts.ask' → 'views'; 'dipfacts.cli' → 'cli'."""
    name = module.split(".")[1] if module.count(".") else ""
    if name in ("base", "search", "extract"):
        return name
    if name in VIEWS:
        return "views"
    if name == "render":
        return "render"
    return "cli"  # cli.py, __main__.py


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dipfacts"):
            found |= {
                f"{node.module}.{a.name}" if node.module == "dipfacts" else node.module for a in node.names
            }
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("dipfacts")}
    return {m for m in found if m not in ("dipfacts", "dipfacts.__version__")}


MODULES = sorted(p for p in SRC.rglob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_import_runs_downward(path: Path) -> None:
    module = "dipfacts." + ".".join(path.relative_to(SRC).with_suffix("").parts)
    upward = sorted(m for m in imports(path) if part(m) not in ALLOWED[part(module)])
    assert not upward, f"{module} ({part(module)}) imports {upward}"


def test_the_parts_are_where_the_layout_says() -> None:
    assert {p.name for p in (SRC / "search").glob("*.py")} >= {
        "spec.py",
        "rank.py",
        "topk.py",
        "index.py",
        "cache.py",
    }
    assert {p.name for p in (SRC / "base").glob("*.py")} >= {
        "model.py",
        "load.py",
        "dates.py",
        "check.py",
        "errors.py",
    }
    assert {p.name for p in (SRC / "extract").glob("*.py")} >= {"draft.py", "patterns_vi.py"}
