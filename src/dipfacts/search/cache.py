"""The on-disk cache of the built search index.

Building the index means parsing every TOML file; loading it back is one small
unpickle and a memory map. The cache is keyed by the package version, the
index's shape and every fact file's path, size and modification time, so any
edit rebuilds it.

File layout: magic, key, the CRC-32 of the pickle, the section lengths; the
pickle of the index's small part; then its large sections (index.RAW_SECTIONS: the
fact records, the posting arrays, the term list, the impact orders), 8-byte aligned,
which are memory-mapped rather than read, so a search touches only the pages it
needs. Only a file with our magic, the expected key, the expected total size and
a matching CRC-32 is ever unpickled; the sections are checked where they are read
(a CRC-32 per posting list, per impact order and for the term list, zlib's
Adler-32 per record), and a damaged one makes the caller rebuild. The checksums guard against damage,
not against an attacker: whoever can write the user's cache folder can compute
any checksum (a CRC-32 over 8 MB costs 4 ms where BLAKE2 cost 16).
Anything corrupt, truncated, foreign or stale is ignored and rebuilt. Writes go
to a temporary file renamed into place, so two processes building at once never
leave a broken file; a folder we cannot write means no caching, not an error.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar

from dipfacts import __version__
from dipfacts.base.model import Entity, Metric, Origin, Relation, Source, Synonyms
from dipfacts.search.index import RAW_SECTIONS, CorruptIndex, Index

try:  # CPython's built-in BLAKE2: importing hashlib loads OpenSSL first, ~5 ms of every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import blake2b


def _hash(data: bytes = b"") -> blake2b:
    return blake2b(data, digest_size=32)


MAGIC = b"DIPFACTS-INDEX-12\n"
_CRC = struct.Struct("<I")
_SIZES = struct.Struct(f"<{1 + len(RAW_SECTIONS)}Q")  # the pickle's length, then each section's
_HEAD = len(MAGIC) + 64 + _CRC.size + _SIZES.size
ENV_VAR = "DIPFACTS_CACHE_DIR"
_PICKLED = (
    Index,
    Source,
    Relation,
    Entity,
    Metric,
    Synonyms,
    Origin,
)  # the classes whose fields a cache file holds


def cache_dir() -> Path:
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dipfacts"


class Key(NamedTuple):
    """Which base (its files' paths: the cache file's name) and which state of it (checked inside)."""

    name: str
    digest: str


def cache_key(files: Sequence[Path]) -> Key:
    # Absolute, not resolved: resolving walks every component of every path (40 ms for a
    # hundred files); a base reached through a symlink merely gets a cache of its own.
    paths = [os.path.abspath(f) for f in files]
    name = _hash("\0".join(paths).encode()).hexdigest()
    h = _hash()
    # The shape of the Index and of the records pickled in it is part of the key: a cache written
    # by code with other fields is never read (an old Source unpickled without a new field would
    # fail only when the field is read). Fields starting with "_" are caches of a process, never
    # written (Index.__getstate__): not shape.
    shape = ";".join(
        ",".join(f for f in cls.__dataclass_fields__ if not f.startswith("_")) for cls in _PICKLED
    )
    h.update(f"{__version__}\0{sys.version_info[:2]}\0{shape}\0".encode())
    for path in paths:
        st = os.stat(path)
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return Key(name, h.hexdigest())


def _path(key: Key) -> Path:
    """One file per base: a stale state of the same base is replaced, other bases' caches are kept."""
    return cache_dir() / f"index-{key.name[:32]}.bin"


def _padded(n: int) -> int:
    return (n + 7) & ~7


def read(key: Key) -> Index | None:
    try:
        with open(_path(key), "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < _HEAD:
                return None
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    view = memoryview(data)
    if bytes(view[: len(MAGIC)]) != MAGIC or bytes(view[len(MAGIC) : len(MAGIC) + 64]) != key.digest.encode(
        "ascii"
    ):
        return None
    (crc,) = _CRC.unpack(view[len(MAGIC) + 64 : len(MAGIC) + 64 + _CRC.size])
    lengths = _SIZES.unpack(view[len(MAGIC) + 64 + _CRC.size : _HEAD])
    if _HEAD + sum(_padded(n) for n in lengths) != size:
        return None  # truncated, or grown
    pickled = view[_HEAD : _HEAD + lengths[0]]
    if zlib.crc32(pickled) != crc:
        return None
    try:
        index = pickle.loads(pickled)
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return None  # ours, intact, but written by code whose classes have since changed: rebuild
    if not isinstance(index, Index):
        return None
    sections = []
    at = _HEAD + _padded(lengths[0])
    for item, n in zip(RAW_SECTIONS.values(), lengths[1:], strict=True):
        part = view[at : at + n]
        sections.append(part if item == "B" else part.cast(item))
        at += _padded(n)
    index.attach(sections)
    return index


def write(key: Key, index: Index) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
        sections = [memoryview(s).cast("B") for s in index.raw_sections()]  # written as they are: no copies
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=".index-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + key.digest.encode("ascii") + _CRC.pack(zlib.crc32(payload)))
                out.write(_SIZES.pack(len(payload), *(s.nbytes for s in sections)))
                for part in (memoryview(payload), *sections):
                    out.write(part)
                    out.write(b"\0" * (_padded(part.nbytes) - part.nbytes))
            os.replace(tmp, _path(key))
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # read-only or missing cache folder: no caching, not an error


def forget(key: Key) -> None:
    """Drop a cache file found damaged while in use."""
    try:
        _path(key).unlink()
    except OSError:
        pass


def load_index(files: Sequence[Path], build: Callable[[], Index], *, use_cache: bool = True) -> Index:
    """The index for these fact files: from the cache when it is fresh, else built (and cached)."""
    return IndexHandle(files, build, use_cache=use_cache).index


T = TypeVar("T")


class IndexHandle:
    """An index that rebuilds itself if its cached bytes turn out damaged while in use."""

    def __init__(self, files: Sequence[Path], build: Callable[[], Index], *, use_cache: bool = True) -> None:
        self._build = build
        self._key = cache_key(files) if use_cache else None
        found = read(self._key) if self._key else None
        self.index = found if found is not None else self._fresh()

    def _fresh(self) -> Index:
        index = self._build()
        if self._key:
            write(self._key, index)
        return index

    def run(self, task: Callable[[Index], T]) -> T:
        """Run `task` on the index; on a damaged cache, rebuild once and run it again."""
        try:
            return task(self.index)
        except CorruptIndex:
            if self._key:
                forget(self._key)
            self.index = self._fresh()
            return task(self.index)
