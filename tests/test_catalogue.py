"""Every case of the bad-input catalogue (tests/catalogue.py): its exit code, a stderr
line naming the problem, and never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogue import CASES, Case
from conftest import Invoke


@pytest.mark.parametrize("case", CASES, ids=[f"{c.group}: {c.name}" for c in CASES])
def test_catalogue(case: Case, invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args, env = case.setup(tmp_path) if case.setup else ([], {})
    if (
        case.name == "unreadable file" and os.geteuid() == 0
    ):  # root reads a mode-000 file: fail the read as the OS would
        real = Path.read_bytes
        monkeypatch.setattr(
            Path,
            "read_bytes",
            lambda self: (
                (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                if self.name == "locked.toml"
                else real(self)
            ),
        )
    result = invoke(*case.args, *args, env=env, input=case.stdin)
    expected = case.exit if isinstance(case.exit, tuple) else (case.exit,)
    assert result.exit_code in expected, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert case.stderr in result.stderr
    if result.exit_code == 2:  # an error: nothing on stdout, and the last line says so in our one form
        assert result.stdout == ""
        assert result.stderr.rstrip("\n").splitlines()[-1].startswith("dipfacts")
