"""Where the fact files are: the built-in base, DIPFACTS_FACTS and --facts.

Kept apart from the loader so that a search answered from the index cache finds
its files (for the cache key) without importing the TOML loader at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from dipfacts.base.errors import BaseError, Problem

ENV_VAR = "DIPFACTS_FACTS"


def builtin_path() -> Path:
    """The base that ships with dipfacts: inside the installed package, or the repo's facts/."""
    package = Path(__file__).resolve().parents[1]  # src/dipfacts (or site-packages/dipfacts)
    packaged = package / "facts"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "facts"


def env_paths(environ: Mapping[str, str] | None = None) -> list[Path]:
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def display(path: Path) -> str:
    """A path as the user would want to read it: relative when it lies below the cwd."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _toml_files(root: Path, problems: list[Problem]) -> list[Path]:
    """Every .toml file below `root`, following symlinks but never round a cycle."""
    found: list[Path] = []
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        found += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".toml")]
    if not found:
        problems.append(Problem(display(root), None, "folder holds no .toml fact files"))
    return found


def collect_files(paths: Iterable[Path], problems: list[Problem]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += _toml_files(path, problems)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(Problem(display(path), None, "not a file or a folder"))
        else:
            problems.append(Problem(display(path), None, "no such file or folder"))
    unique: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for f in files:
        st = (
            f.stat()
        )  # the same file by any path: one device and inode (one call, where resolving walks the path)
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            unique.append(f)
    return unique


def base_files(
    extra: Sequence[Path | str] = (), *, builtin: bool = True, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Every TOML file of the built-in base and the extra bases, in load order."""
    paths = ([builtin_path()] if builtin else []) + env_paths(environ) + [Path(p) for p in extra]
    problems: list[Problem] = []
    files = collect_files(paths, problems)
    if problems:
        raise BaseError(problems)
    return files
