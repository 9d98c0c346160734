"""Shared fixtures: a CLI runner that keeps stdout and stderr apart, the test bases, and the
source articles (which live outside the repository, in ../shared)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dipfacts.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini"
HISTORY = DATA / "history"
ARTICLES = DATA / "articles"
# The source articles stay out of the repository: ../shared beside the checkout, or DIPFACTS_SHARED.
SHARED = Path(os.environ.get("DIPFACTS_SHARED") or ROOT.parent / "shared")
# CI sets this so that a test needing the articles fails rather than skips: it must never pass by skipping.
REQUIRE_SEEDS = "DIPFACTS_REQUIRE_SEEDS"

# Variables that would change what the CLI does, cleared for every test.
_CLEAN_ENV = {"DIPFACTS_FACTS": None, "DIPFACTS_DEBUG": None, "NO_COLOR": None, "FORCE_COLOR": None}

Invoke = Callable[..., Result]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache folder for the whole run.

    The cache is keyed by every fact file's path, size and modification time, and each test's
    extra bases live in folders of their own, so sharing it lets no test read another's base; it
    only spares ~190 CLI tests rebuilding the built-in index. Tests of the cache itself (test_cache,
    test_safety) give their own folder.
    """
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def invoke(shared_cache: Path) -> Invoke:
    """Run the CLI in-process; `result.stdout` and `result.stderr` are separate.

    The whole app, through Typer's public test runner (the console script, `run`, builds only the
    named command, for its start-up time; test_cli.py checks that `run` answers the same).
    """

    def run(*args: str, env: dict[str, str | None] | None = None, input: str | bytes | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(
            app,
            list(args),
            env={**_CLEAN_ENV, "DIPFACTS_CACHE_DIR": str(shared_cache), **(env or {})},
            input=input,
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


def shared_folder(name: str) -> Path:
    """A folder of source articles, or a skip naming where it was looked for (a failure under CI)."""
    folder = SHARED / name
    if folder.is_dir():
        return folder
    reason = (
        f"source articles not found: {folder} (put ../shared beside the checkout, or set DIPFACTS_SHARED)"
    )
    if os.environ.get(REQUIRE_SEEDS, "") not in ("", "0"):
        pytest.fail(f"{reason}; {REQUIRE_SEEDS} is set, so they are required", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The five seed articles the built-in base quotes."""
    return shared_folder("seeds")


@pytest.fixture(scope="session")
def articles() -> Path:
    """Articles published after the seeds, with a gold list, for measuring extract on unseen text."""
    return shared_folder("articles")
