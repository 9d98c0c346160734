"""dipfacts writes nothing but its cache, and two processes building at once leave a sound one."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import MINI, ROOT, Invoke
from dipfacts.base.files import base_files
from dipfacts.search import cache


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under root: mtime and content hash."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out[str(path.relative_to(root))] = (
                path.stat().st_mtime_ns,
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
    return out


def test_commands_write_nothing_but_the_cache(invoke: Invoke, tmp_path: Path, monkeypatch) -> None:
    base = tmp_path / "base"
    shutil.copytree(MINI, base)
    home, work, cache_dir = tmp_path / "home", tmp_path / "work", tmp_path / "cache"
    home.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)
    env = {"HOME": str(home), "XDG_CACHE_HOME": None, "DIPFACTS_CACHE_DIR": str(cache_dir)}
    watched = {p: snapshot(p) for p in (base, home, work, ROOT / "facts")}
    commands = [
        ["search", "Miniland"],
        ["search", "-", "-f", "jsonl"],
        ["export", "-f", "json"],
        ["show", "mini-rel/relations-established"],
        ["timeline", "mini-rel"],
        ["figures", "vn-kz"],
        ["ask", "when did Miniland and Testonia establish relations?"],
        ["relations"],
        ["sources"],
        ["entities", "miniland"],
        ["check"],
        ["search", "Testonia", "--explain"],
    ]
    for command in commands:
        result = invoke(*command, "--facts", str(base), env=env, input="Miniland\n")
        assert result.exit_code in (0, 1), (command, result.stderr)
    for path, before in watched.items():
        assert snapshot(path) == before, path
    written = [p.name for p in cache_dir.iterdir()]
    assert written and all(name.startswith("index-") and name.endswith(".bin") for name in written)


BUILD = """
import sys
from dipfacts.base.files import base_files
from dipfacts.search.cache import load_index
from dipfacts.search.index import index_files
files = base_files([sys.argv[1]])
index = load_index(files, lambda: index_files(files))
print(len(index))
"""


def test_two_processes_building_at_once_leave_a_sound_cache(tmp_path: Path, monkeypatch) -> None:
    env = {**os.environ, "DIPFACTS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DIPFACTS_FACTS", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", BUILD, str(MINI)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [o[1] for o in outs]
    assert len({o[0] for o in outs}) == 1  # every process saw the same index
    files = sorted((tmp_path / "cache").iterdir())
    assert len(files) == 1 and not files[0].name.startswith(".")  # no temporary file left behind
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    index = cache.read(cache.cache_key(base_files([MINI])))
    assert index is not None and len(index) == int(outs[0][0])
