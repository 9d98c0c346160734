"""The index cache: used when fresh, rebuilt when stale, corrupt or foreign, never fatal."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import dipfacts.search.paths as paths
from conftest import MINI
from dipfacts.base.load import base_files
from dipfacts.search import cache
from dipfacts.search.index import RAW_SECTIONS, index_files


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    return folder


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    shutil.copytree(MINI, tmp_path / "base")
    return base_files([tmp_path / "base"], builtin=False)


def counting_builder(files: list[Path]):
    calls = []

    def build():
        calls.append(1)
        return index_files(files)

    return build, calls


def test_second_load_comes_from_the_cache(cache_dir: Path, files: list[Path]) -> None:
    build, calls = counting_builder(files)
    first = cache.load_index(files, build)
    second = cache.load_index(files, build)
    assert len(calls) == 1
    assert second.ids == first.ids and len(list(cache_dir.glob("index-*.bin"))) == 1
    assert second.fact(0).text == first.fact(0).text


def test_an_edited_fact_file_rebuilds(cache_dir: Path, files: list[Path]) -> None:
    build, calls = counting_builder(files)
    cache.load_index(files, build)
    target = files[0]
    before = os.stat(target)
    old, new = "Bilateral trade reached 12.5 million USD", "Bilateral trade reached 12.75 million USD"
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # the content changed, not the time
    edited = cache.load_index(files, build)
    assert len(calls) == 2
    assert any(edited.fact(d).text.startswith(new) for d in range(len(edited.ids))), (
        "the edit is served, not the stale index"
    )
    assert len(list(cache_dir.glob("index-*.bin"))) == 1, "the stale file is replaced, not kept"


def test_two_bases_keep_their_own_caches(cache_dir: Path, files: list[Path]) -> None:
    """Alternating between bases (--facts) must not rebuild each time."""
    build, calls = counting_builder(files)
    builtin = base_files(builtin=True)
    build_builtin, builtin_calls = counting_builder(builtin)
    for _ in range(2):
        cache.load_index(files, build)
        cache.load_index(builtin, build_builtin)
    assert (len(calls), len(builtin_calls)) == (1, 1)
    assert len(list(cache_dir.glob("index-*.bin"))) == 2


def read_everything(index) -> list:
    """Touch every posting list and record, as enough searches eventually would."""
    out = [index.postings(t) is not None for t in index.terms]
    out += [index.exact_docs_of(k) is not None for k in index.exact_terms]
    out += [[len(order) for order in index.impact_orders(t) or ()] for t in index.terms]
    out += [index.fact(d).id for d in range(len(index))]
    return out


def section_start(data: bytearray, name: str) -> int:
    """Where a large section starts in a cache file (after the pickle and the sections before it)."""
    lengths = cache._SIZES.unpack(data[cache._HEAD - cache._SIZES.size : cache._HEAD])
    before = list(RAW_SECTIONS).index(name) + 1
    return cache._HEAD + sum(cache._padded(n) for n in lengths[:before])


@pytest.mark.parametrize(
    "damage", ["truncate", "flip-pickle", "flip-sections", "flip-terms", "flip-impact", "foreign", "empty"]
)
def test_a_damaged_cache_is_rebuilt_silently(
    cache_dir: Path, files: list[Path], damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "IMPACT_ORDERS_FROM_DOCS", 1)  # so the small base has impact orders to damage
    build, calls = counting_builder(files)
    expected = read_everything(cache.load_index(files, build))
    (path,) = cache_dir.glob("index-*.bin")
    data = bytearray(path.read_bytes())
    head = cache._HEAD
    if damage == "flip-pickle":
        data[head + 5] ^= 0xFF
    elif damage == "flip-sections":
        data[section_start(data, "store") + 3] ^= 0xFF  # inside the first fact record
    elif damage == "flip-terms":
        data[section_start(data, "term_blob") + 2] ^= 0x01  # inside the term list
    elif damage == "flip-impact":
        data[section_start(data, "impact_pos") + 1] ^= 0x01  # inside the first impact order
    damaged = {
        "truncate": bytes(data[: len(data) // 2]),
        "foreign": b"\x80\x04K\x01.",  # a valid pickle, but not ours
        "empty": b"",
    }.get(damage, bytes(data))
    path.write_bytes(damaged)
    handle = cache.IndexHandle(files, build)
    assert handle.run(read_everything) == expected
    assert len(calls) == 2
    assert path.read_bytes().startswith(cache.MAGIC)


def test_an_unwritable_cache_folder_means_no_cache(
    tmp_path: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker / "cache"))
    build, calls = counting_builder(files)
    assert cache.load_index(files, build).ids
    assert cache.load_index(files, build).ids
    assert len(calls) == 2


def test_a_different_base_never_uses_another_base_cache(cache_dir: Path, files: list[Path]) -> None:
    build, _ = counting_builder(files)
    cache.load_index(files, build)
    other = base_files(builtin=True)
    assert cache.cache_key(other) != cache.cache_key(files)
    assert cache.read(cache.cache_key(other)) is None
    stale = cache.Key(cache.cache_key(files).name, "0" * 64)  # the same base in another state
    assert cache.read(stale) is None


def test_a_new_field_of_a_cached_record_makes_a_new_key(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sources are pickled whole: one cached before Source had `accessed` would unpickle without
    it and fail only where the field is read (`dipfacts sources`), so their fields are in the key."""
    from dataclasses import dataclass

    from dipfacts.base.model import Source

    key = cache.cache_key(files)

    @dataclass(frozen=True, slots=True)
    class Older:  # Source as it was before a field was added
        id: str

    monkeypatch.setattr(cache, "_PICKLED", tuple(Older if c is Source else c for c in cache._PICKLED))
    assert cache.cache_key(files) != key
