"""What a curator must decide: two figures of one metric, relation and period (a conflict, or a
duplicate), and two events that look like one (a warning)."""

from __future__ import annotations

from pathlib import Path

from conftest import Invoke
from dipfacts.base.conflicts import find_conflicts
from dipfacts.base.load import load_base

FIGURE = """
[[fact]]
id = "{id}"
kind = "figure"
date = "2022"
relations = ["vn-kz"]
entities = ["vietnam", "kazakhstan"]
text = "Trade in 2022."
text_vi = "Thương mại năm 2022."
value = {{ amount = {amount}, unit = "USD", metric = "bilateral-trade"{comparator} }}

[[fact.cite]]
source = "tgvn-2025-kz"
quote = "Một câu."
"""

EVENT = """
[[fact]]
id = "{id}"
kind = "event"
date = "{date}"
relations = ["vn-kz"]
entities = ["truong-tan-sang", "kazakhstan"]
text = "{text}"
text_vi = "Chủ tịch nước Trương Tấn Sang thăm Kazakhstan."

[[fact.cite]]
source = "tgvn-2025-kz"
quote = "Một câu."
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.toml"
    path.write_text(text, encoding="utf-8")
    return path


PEOPLE = frozenset({"truong-tan-sang", "nursultan-nazarbayev"})


def test_the_builtin_base_has_no_conflict_no_duplicate_and_no_warning() -> None:
    base = load_base()
    people = {e.id for e in base.entities.values() if e.kind == "person"}
    assert find_conflicts(base.facts, people) == find_conflicts((), people)  # nothing to decide


def test_two_values_for_one_period_are_a_conflict_naming_both(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        FIGURE.format(id="x/trade-2022-a", amount=600_000_000, comparator=', comparator = "<"')
        + FIGURE.format(id="x/trade-2022-b", amount=584_000_000, comparator=""),
    )
    (problem,) = find_conflicts(load_base([path]).facts).problems
    text = str(problem)
    assert text.startswith(f"{path}:16: fact 'x/trade-2022-b': conflicts with x/trade-2022-a ({path}:2)")
    assert "bilateral-trade for vn-kz in 2022 is 584,000,000 USD here and < 600,000,000 USD there" in text
    assert "keep one fact and make the other a [[cite]] of it with its value" in text


def test_one_value_twice_is_a_duplicate(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        FIGURE.format(id="x/trade-2022-a", amount=584_000_000, comparator="")
        + FIGURE.format(id="x/trade-2022-b", amount=584_000_000, comparator=""),
    )
    (problem,) = find_conflicts(load_base([path]).facts).problems
    assert "duplicate of x/trade-2022-a" in str(problem) and "make it a [[cite]] of x/trade-2022-a" in str(
        problem
    )


def test_a_visit_told_twice_is_a_warning(tmp_path: Path) -> None:
    """The same people, overlapping dates and alike texts: a warning (two visits in a year happen)."""
    same_year = _write(
        tmp_path,
        EVENT.format(
            id="x/visit-b",
            date="2012",
            text="President Truong Tan Sang paid an official visit to Kazakhstan in 2012.",
        ),
    )
    findings = find_conflicts(load_base([same_year]).facts, PEOPLE)
    assert findings.problems == ()
    warnings = [str(w) for w in findings.warnings if "x/visit-b" in str(w)]
    assert (
        len(warnings) == 1
        and "looks like the same event as vn-kz/visit/2012-truong-tan-sang-to-kazakhstan" in warnings[0]
    )


def test_a_visit_in_another_month_is_no_warning(tmp_path: Path) -> None:
    """April 2012 does not overlap 10–11 September 2012: that is a disagreement for a [[cite]], not a
    duplicate."""
    april = _write(
        tmp_path,
        EVENT.format(
            id="x/visit-a", date="2012-04", text="President Truong Tan Sang visited Kazakhstan in April 2012."
        ),
    )
    assert not [w for w in find_conflicts(load_base([april]).facts, PEOPLE).warnings if "x/visit-a" in str(w)]


def test_check_exits_2_naming_both_figures(invoke: Invoke, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        FIGURE.format(id="x/trade-2022-a", amount=600_000_000, comparator="")
        + FIGURE.format(id="x/trade-2022-b", amount=584_000_000, comparator=""),
    )
    result = invoke("check", "--facts", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{path}:16: fact 'x/trade-2022-b': conflicts with x/trade-2022-a ({path}:2)" in result.stderr
    same = _write(
        tmp_path,
        FIGURE.format(id="x/trade-2022-a", amount=584_000_000, comparator="")
        + FIGURE.format(id="x/trade-2022-b", amount=584_000_000, comparator=""),
    )
    duplicate = invoke("check", "--facts", str(same))
    assert duplicate.exit_code == 2 and "duplicate of x/trade-2022-a" in duplicate.stderr


def test_check_warns_of_one_event_told_twice_and_passes(invoke: Invoke, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        EVENT.format(
            id="x/visit-b",
            date="2012",
            text="President Truong Tan Sang paid an official visit to Kazakhstan in 2012.",
        ),
    )
    result = invoke("check", "--facts", str(path), "-f", "json")
    assert result.exit_code == 0
    assert (
        "dipfacts check: warning: " in result.stderr
        and "looks like the same event as vn-kz/visit/2012-truong-tan-sang-to-kazakhstan" in result.stderr
    )
    import json

    assert len(json.loads(result.stdout)["warnings"]) == 1
