"""The wheel carries the built-in base: installed into a fresh venv, dipfacts works from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The wheel built and installed into a brand-new venv: (its bin folder, a folder outside the repo,
    env)."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    dist = tmp_path / "dist"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, ROOT, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("dipfacts-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "dipfacts/facts/sources.toml" in names and "dipfacts/facts/vn-kz.toml" in names

    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    installed = run(bindir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DIPFACTS_FACTS", "PYTHONPATH")}
    env["DIPFACTS_CACHE_DIR"] = str(tmp_path / "cache")
    return bindir, elsewhere, env


def test_the_installed_wheel_runs_from_anywhere_on_its_own_base(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    bindir, elsewhere, env = installed
    exported = run(
        bindir / "python", "-m", "dipfacts", "export", "-r", "vn-kz", "-f", "jsonl", cwd=elsewhere, env=env
    )
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(records) >= 20 and all("vn-kz" in r["relations"] for r in records)
    where = run(
        bindir / "python",
        "-c",
        "import dipfacts.base.load as l; print(l.builtin_path())",
        cwd=elsewhere,
        env=env,
    )
    assert str(bindir.parent) in where.stdout, (
        "the base must come from the installed package, not the checkout"
    )
    checked = run(bindir / "dipfacts", "check", "-f", "json", cwd=elsewhere, env=env)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["ok"]


def test_the_installed_wheel_verifies_every_quote(
    installed: tuple[Path, Path, dict[str, str]], seeds: Path
) -> None:
    bindir, elsewhere, env = installed
    checked = run(bindir / "dipfacts", "check", "--sources-dir", seeds, "-f", "json", cwd=elsewhere, env=env)
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["ok"] and report["facts"] >= 20 and report["citations_verified"] == report["citations"]
