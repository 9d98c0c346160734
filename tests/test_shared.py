"""Tests that need the source articles skip, naming the folder, when ../shared is absent; CI makes
that skip a failure so it can never pass by skipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import conftest
from conftest import REQUIRE_SEEDS, ROOT


def _pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The seed-reading tests of test_check.py, run as a user would, with ../shared somewhere else."""
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DIPFACTS_SHARED", REQUIRE_SEEDS, "PYTEST_ADDOPTS")
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/test_check.py",
        "-k",
        "builtin",
    ]
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**clean, "DIPFACTS_SHARED": str(tmp_path / "nowhere"), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_the_articles_their_tests_skip_with_the_folder_named(tmp_path: Path) -> None:
    result = _pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 skipped" in result.stdout
    first = (ROOT / "tests" / "test_check.py").read_text(encoding="utf-8").splitlines().index(
        "def test_builtin_base_quotes_are_all_verified(invoke: Invoke, seeds: Path) -> None:"
    ) + 1
    assert (
        f"SKIPPED [1] tests/test_check.py:{first}: "
        f"source articles not found: {tmp_path / 'nowhere' / 'seeds'}"
    ) in result.stdout


def test_when_ci_requires_the_articles_a_missing_folder_fails(tmp_path: Path) -> None:
    result = _pytest(tmp_path, **{REQUIRE_SEEDS: "1"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "skipped" not in result.stdout
    assert f"{REQUIRE_SEEDS} is set, so they are required" in result.stdout


@pytest.mark.parametrize(
    "value, outcome",
    [("", pytest.skip.Exception), ("0", pytest.skip.Exception), ("1", pytest.fail.Exception)],
)
def test_the_switch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    monkeypatch.setenv(REQUIRE_SEEDS, value)
    with pytest.raises(outcome, match="source articles not found"):
        conftest.shared_folder("seeds")
    (tmp_path / "seeds").mkdir()
    assert conftest.shared_folder("seeds") == tmp_path / "seeds"


def test_ci_requires_the_articles() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_SEEDS}=1\n" in ci
