"""Shared fixtures: a CLI runner that keeps stdout and stderr apart, and the test bases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dipfacts.cli import _app_for

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
HISTORY = DATA / "history"
ARTICLES = DATA / "articles"
SEEDS = ROOT.parent / "shared" / "seeds"

# Variables that would change what the CLI does, cleared for every test.
_CLEAN_ENV = {"DIPFACTS_FACTS": None, "DIPFACTS_DEBUG": None, "NO_COLOR": None, "FORCE_COLOR": None}

Invoke = Callable[..., Result]


@pytest.fixture
def invoke(tmp_path_factory: pytest.TempPathFactory) -> Invoke:
    """Run the CLI in-process; `result.stdout` and `result.stderr` are separate.

    Each test gets its own index cache folder, so no test reads another's cache. The app is
    chosen as the console script chooses it (only the named command is built).
    """
    cache = tmp_path_factory.mktemp("cache")

    def run(*args: str, env: dict[str, str | None] | None = None, input: str | bytes | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(_app_for(list(args[:1])), list(args), env={**_CLEAN_ENV, "DIPFACTS_CACHE_DIR": str(cache), **(env or {})}, input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the seed articles are missing: expected {SEEDS} (../shared/seeds beside the repo)")
    return SEEDS
