"""The on-disk cache of the built search index.

Building the index means parsing every TOML file; loading it back is a single
read. The cache is keyed by the package version and every fact file's path,
size and modification time, so any edit rebuilds it. Only a file that carries
our magic header, the expected key and a matching SHA-256 of its payload is
ever unpickled; anything else — corrupt, truncated, foreign, stale — is
ignored and rebuilt. Writes go to a temporary file renamed into place, so two
processes building at once never leave a broken file; a folder we cannot write
means no caching, not an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from dipfacts import __version__
from dipfacts.index import Index

MAGIC = b"DIPFACTS-INDEX-1\n"
ENV_VAR = "DIPFACTS_CACHE_DIR"


def cache_dir() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dipfacts"


def cache_key(files: Sequence[Path]) -> str:
    h = hashlib.sha256()
    # The Index's own shape is part of the key: a cache written by code with other fields is never read.
    shape = ",".join(Index.__dataclass_fields__)
    h.update(f"{__version__}\0{sys.version_info[:2]}\0{shape}\0".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / f"index-{key[:32]}.bin"


def read(key: str) -> Index | None:
    try:
        data = _path(key).read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 64 + 32
    if len(data) < head or not data.startswith(MAGIC):
        return None
    stored_key = data[len(MAGIC) : len(MAGIC) + 64].decode("ascii", "replace")
    digest = data[len(MAGIC) + 64 : head]
    payload = data[head:]
    if stored_key != key or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        index = pickle.loads(payload)
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return None  # ours, intact, but written by code whose classes have since changed: rebuild
    return index if isinstance(index, Index) else None


def write(key: str, index: Index) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(prefix=".index-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + key.encode("ascii") + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, _path(key))
        except BaseException:
            os.unlink(tmp)
            raise
        for old in folder.glob("index-*.bin"):  # one base, one cache file: drop stale ones
            if old != _path(key):
                old.unlink(missing_ok=True)
    except OSError:
        return  # read-only or missing cache folder: no caching, not an error


def load_index(files: Sequence[Path], build: Callable[[], Index], *, use_cache: bool = True) -> Index:
    """The index for these fact files: from the cache when it is fresh, else built (and cached)."""
    if not use_cache:
        return build()
    key = cache_key(files)
    found = read(key)
    if found is not None:
        return found
    index = build()
    write(key, index)
    return index
