"""The streamed build: `index_files` makes exactly the index `build_index(load_files(...))` makes,
and refuses a broken base with exactly the problems `load_files` names, without ever holding
the whole parsed base."""

from __future__ import annotations

import gc
import pickle
import random
from dataclasses import fields
from pathlib import Path

import pytest
import tomli_w

from conftest import HISTORY, MINI
from dipfacts.base.errors import BaseError
from dipfacts.base.files import base_files
from dipfacts.base.load import load_files, read_files, tomllib
from dipfacts.base.model import Fact
from dipfacts.search.index import Index, PackedFacts, _pack_fact, build_index, index_files

BASES = {
    "real": lambda: base_files([]),
    "mini": lambda: base_files([MINI], builtin=False),
    "history": lambda: base_files([HISTORY], builtin=False),
}


def public(index: Index) -> dict[str, object]:
    """Every field an index is made of (the '_' ones are caches of one process)."""
    return {f.name: getattr(index, f.name) for f in fields(index) if not f.name.startswith("_")}


def assert_same(streamed: Index, built: Index) -> None:
    a, b = public(streamed), public(built)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name


@pytest.mark.parametrize("name", BASES)
def test_the_streamed_index_is_the_built_index(name: str) -> None:
    files = BASES[name]()
    base = load_files(files)
    streamed = index_files(files)
    assert_same(streamed, build_index(base))
    # Each stored record is the record of the parsed fact, as the build packed it before facts
    # went through PackedFacts: the detour through a first, sequence-less record changes no byte.
    assert streamed.ids == sorted(base.facts_by_id) and len(streamed) == len(base.facts) > 0
    for doc, fid in enumerate(streamed.ids):
        fact = base.facts_by_id[fid]
        assert streamed.fact(doc) == fact
        assert bytes(streamed.store[streamed.offsets[doc] : streamed.offsets[doc + 1]]) == _pack_fact(
            fact, streamed.sequences(doc)
        )


def scatter(files: list[Path], target: Path, parts: int = 3) -> list[Path]:
    """The same base rewritten: its facts shuffled over `parts` files, its sources, relations,
    entities, metrics and synonyms in one file that sorts after them all, so every reference points to a
    later file."""
    tables: dict[str, list] = {
        "source": [],
        "relation": [],
        "entity": [],
        "metric": [],
        "fact": [],
        "synonyms": [],
    }
    for path in files:
        for key, items in tomllib.loads(path.read_text(encoding="utf-8")).items():
            tables[key] += items
    facts = tables.pop("fact")
    random.Random(7).shuffle(facts)
    target.mkdir()
    for n in range(parts):
        (target / f"facts-{n}.toml").write_text(tomli_w.dumps({"fact": facts[n::parts]}), encoding="utf-8")
    (target / "zz-refs.toml").write_text(tomli_w.dumps(tables), encoding="utf-8")
    return base_files([target], builtin=False)


def test_a_base_scattered_over_files_in_no_id_order_indexes_as_the_whole(tmp_path: Path) -> None:
    files = scatter(base_files([]), tmp_path / "scattered")
    read: list[str] = []
    base = read_files(files, lambda fact: read.append(fact.id))
    assert base.facts == () and base.entities and len(files) == 4
    assert read != sorted(read), "the premise: facts arrive out of id order"

    streamed = index_files(files)
    assert_same(streamed, build_index(load_files(files)))
    assert streamed.ids == sorted(read)

    # Where facts were written changes nothing in the index but the origins kept with the
    # relations and entities (which equality ignores).
    a, b = public(streamed), public(index_files(base_files([])))
    assert pickle.loads(a.pop("refs")) == pickle.loads(b.pop("refs"))  # type: ignore[arg-type]
    assert a == b


FACT = """
[[fact]]
id = "{id}"
kind = "event"
date = "2001"
relations = ["t-rel"]
entities = [{entities}]
text = "A test fact."
text_vi = "Một sự kiện thử."

[[fact.cite]]
source = "t-src"
quote = "Test"
{more}"""

REFS = """
[[source]]
id = "t-src"
title = "Bản tin"
title_en = "A bulletin"
published = "2021"
language = "vi"

[[relation]]
id = "t-rel"
name = "Laterland–Vietnam"
name_vi = "Laterland – Việt Nam"
parties = ["later-land"]

[[entity]]
id = "later-land"
name = "Laterland"
name_vi = "Laterland"
kind = "country"
"""


def write_base(folder: Path, broken: bool) -> list[Path]:
    """Facts that name an entity, a relation and a source defined only in a later file; when
    `broken`, also a fact id defined twice (in two files), an entity and a source defined nowhere."""
    folder.mkdir()
    first = FACT.format(id="t/one", entities='"later-land"', more="") + FACT.format(
        id="t/dup", entities="", more=""
    )
    second = FACT.format(id="t/two", entities='"later-land"', more="")
    if broken:
        first += FACT.format(
            id="t/three",
            entities='"later-land", "nowhere-land"',
            more='\n[[fact.cite]]\nsource = "no-src"\nquote = "Test"\n',
        )
        second = FACT.format(id="t/dup", entities="", more="") + second
    (folder / "a-facts.toml").write_text(first, encoding="utf-8")
    (folder / "b-facts.toml").write_text(second, encoding="utf-8")
    (folder / "z-refs.toml").write_text(REFS, encoding="utf-8")
    return base_files([folder], builtin=False)


def test_references_to_a_later_file_are_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = write_base(tmp_path / "base", broken=False)
    index = index_files(files)
    assert_same(index, build_index(load_files(files)))
    assert index.ids == ["t/dup", "t/one", "t/two"]
    assert list(index.entity_docs["later-land"]) == [1, 2] and list(index.relation_docs["t-rel"]) == [0, 1, 2]


def test_a_broken_base_is_refused_with_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = write_base(tmp_path / "base", broken=True)
    with pytest.raises(BaseError) as loaded:
        load_files(files)
    with pytest.raises(BaseError) as streamed:
        index_files(files)
    assert streamed.value.problems == loaded.value.problems
    assert [str(p) for p in streamed.value.problems] == [
        "base/b-facts.toml:2: fact 't/dup': duplicate fact id (first defined at base/a-facts.toml:15)",
        "base/a-facts.toml:28: fact 't/three': unknown entity 'nowhere-land' (did you mean 'later-land'?)",
        "base/a-facts.toml:41: fact 't/three': unknown source 'no-src' (did you mean 't-src'?)",
    ]


def test_packed_facts_come_back_in_id_order_each_record_let_go_as_taken() -> None:
    base = load_files(base_files([MINI], builtin=False))
    packed = PackedFacts()
    for fact in reversed(base.facts):
        packed.add(fact)
    with pytest.raises(ValueError, match="given twice"):
        packed.add(base.facts[0])
    ids, facts = packed.take()
    assert ids == sorted(base.facts_by_id) != [f.id for f in reversed(base.facts)]
    assert next(facts) == base.facts_by_id[ids[0]] and len(packed) == len(ids) - 1
    assert list(facts) == [base.facts_by_id[i] for i in ids[1:]] and len(packed) == 0


def test_reading_holds_no_fact_the_sink_let_go(tmp_path: Path) -> None:
    """The point of read_files: however many facts were read, only the one being handed over is alive."""
    files = scatter(base_files([]), tmp_path / "scattered")

    def facts_alive() -> int:
        return sum(type(o) is Fact for o in gc.get_objects())

    before = facts_alive()
    alive: list[int] = []
    given: list[str] = []

    def sink(fact: Fact) -> None:
        given.append(fact.id)
        if len(given) % 100 == 0:
            alive.append(facts_alive() - before)

    read_files(files, sink)
    assert len(given) > 200 and alive and max(alive) <= 1
