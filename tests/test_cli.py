"""The console script itself: which commands it builds, and what the group answers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import Invoke
from dipfacts.cli import _app_for, _command_name, app, main


def test_a_named_command_is_the_only_one_built() -> None:
    slim = _app_for(["search"])
    assert [_command_name(c) for c in slim.registered_commands] == ["search"]
    assert len(app.registered_commands) > 1  # the shared app is left whole


@pytest.mark.parametrize("first", [[], ["--help"], ["--debug"], ["serch"]])
def test_the_group_gets_every_command(first: list[str]) -> None:
    assert _app_for(first) is app


def test_a_mistyped_command_gets_a_suggestion(invoke: Invoke) -> None:
    result = invoke("serch", "Kazakhstan")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "No such command 'serch'" in result.stderr and "Did you mean 'search'?" in result.stderr


def test_main_answers_as_the_console_script(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setenv("DIPFACTS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["dipfacts", "search", "Kazakhstan trade", "-n", "1", "-f", "jsonl"])
    with pytest.raises(SystemExit) as stop:
        main()
    out, err = capsys.readouterr()
    assert stop.value.code == 0
    assert out.startswith('{"id": "vn-kz/bilateral-trade/')
    assert err == ""
