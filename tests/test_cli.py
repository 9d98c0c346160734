"""The console script itself: which commands it builds, and what the group answers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Invoke
from dipfacts.cli import app, run


def test_a_mistyped_command_gets_a_suggestion(invoke: Invoke) -> None:
    result = invoke("serch", "Kazakhstan")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "No such command 'serch'" in result.stderr and "Did you mean 'search'?" in result.stderr


def test_run_answers_as_the_console_script(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DIPFACTS_CACHE_DIR", str(tmp_path))
    assert run(["search", "Kazakhstan trade", "-n", "1", "-f", "jsonl"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('{"id": "vn-kz/bilateral-trade/')
    assert err == ""
    assert run(["search", "zzzqqqxx"]) == 1
    assert run(["search", "trade", "-r", "vn-kzz"]) == 2
    assert run(["--version"]) == 0


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["search", "Kazakhstan trade", "-n", "1", "-f", "jsonl"], 0, ""),
        (["search", "zzzqqqxx"], 1, "dipfacts search: no fact matches 'zzzqqqxx'\n"),
        (["search", "trade", "-r", "vn-kzz"], 2, "did you mean"),
        (
            ["export", "-f", "jsonl"],
            0,
            "",
        ),  # well over a pipe's 64 KiB: all of it must be flushed before the fast exit
    ],
)
def test_the_console_script_flushes_everything_and_keeps_its_exit_status(
    invoke: Invoke, tmp_path: Path, args: list[str], code: int, stderr: str
) -> None:
    """main() leaves with os._exit (no interpreter teardown): nothing written may be lost."""
    env = {**os.environ, "DIPFACTS_CACHE_DIR": str(tmp_path)}
    env.pop("DIPFACTS_FACTS", None)
    proc = subprocess.run([sys.executable, "-m", "dipfacts", *args], capture_output=True, text=True, env=env)
    expected = invoke(*args)
    assert proc.returncode == code == expected.exit_code
    assert proc.stdout == expected.stdout
    assert stderr in proc.stderr and proc.stderr == expected.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [["export", "-f", "jsonl"], ["search", "Kazakhstan trade", "-n", "1"]],
    ids=["while-writing", "at-the-final-flush"],
)
def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    env = {**os.environ, "DIPFACTS_CACHE_DIR": str(tmp_path)}
    env.pop("DIPFACTS_FACTS", None)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "dipfacts", *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env
        )
    assert proc.returncode == 2
    assert proc.stderr == "dipfacts: error: cannot write the output: No space left on device\n"


def test_bare_dipfacts_prints_the_help_and_exits_0(invoke: Invoke) -> None:
    result = invoke()
    assert result.exit_code == 0
    assert "Usage: dipfacts [OPTIONS] COMMAND [ARGS]..." in result.stdout
    assert "timeline" in result.stdout and "extract" in result.stdout
    assert result.stderr == ""


def _help_texts() -> list[tuple[str, str]]:
    """(command, text) for every command's docstring and every one of its options' and arguments' help."""
    from typer.main import get_command

    texts = []
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        texts.append((name, command.help or ""))
        texts += [(name, p.help) for p in command.params if getattr(p, "help", None)]
    return texts


@pytest.mark.parametrize("name, text", [t for t in _help_texts() if "[" in t[1]], ids=lambda v: v[:40])
def test_help_prints_brackets_literally(invoke: Invoke, name: str, text: str) -> None:
    """Typer reads help as Rich markup: "[[fact]]" came out as "[]". Every bracketed word must survive."""
    result = invoke(name, "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    shown = " ".join(result.stdout.replace("│", " ").split())
    for bracketed in re.findall(r"\[+[^\]\s]*\]+", text.replace("\\[", "[")):
        assert bracketed in shown, f"{name} --help lost {bracketed!r}"


def test_group_help_prints_brackets_literally(invoke: Invoke) -> None:
    result = invoke("--help", env={"COLUMNS": "200"})
    assert "one [[fact]] for each sentence" in result.stdout


@pytest.mark.parametrize(
    "where, problem",
    [("missing", "Directory '{path}' does not exist."), ("a-file", "Directory '{path}' is a file.")],
)
def test_check_with_a_sources_dir_that_is_no_folder_is_one_usage_line(
    invoke: Invoke, tmp_path: Path, where: str, problem: str
) -> None:
    path = tmp_path / where
    if where == "a-file":
        path.write_text("not a folder")
    result = invoke("check", "--sources-dir", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == f"dipfacts check: error: Invalid value for '--sources-dir': {problem.format(path=path)}\n"
    )


def test_the_fast_exit_runs_exit_handlers_so_coverage_records(tmp_path: Path) -> None:
    """The console script leaves with os._exit, skipping teardown; exit handlers must still run:
    `coverage run -m dipfacts …` saves its data from one."""
    pytest.importorskip("coverage")
    data = tmp_path / ".coverage"
    env = {**os.environ, "COVERAGE_FILE": str(data), "DIPFACTS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "run",
            "--source",
            "dipfacts",
            "-m",
            "dipfacts",
            "search",
            "Kazakhstan",
            "-n",
            "1",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("vn-kz/")
    report = subprocess.run(
        [sys.executable, "-m", "coverage", "report"], env=env, capture_output=True, text=True, timeout=60
    )
    assert report.returncode == 0, report.stderr
    assert "cli.py" in report.stdout and "search/rank.py" in report.stdout
