"""Many sources, one fact: a [[cite]] adds a source to a fact defined elsewhere; a source that
gives another date or value is a disagreement, kept and shown everywhere, never dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, Invoke
from dipfacts.base.errors import BaseError
from dipfacts.base.load import load_base

MENTIONS = DATA / "mentions"
EXTRA = ("--facts", str(MENTIONS))
VISIT = "vn-kz/visit/2012-truong-tan-sang-to-kazakhstan"
TERMINAL = {"TTY_COMPATIBLE": "1", "COLUMNS": "200", "TERM": "dumb"}


def test_a_cite_adds_a_source_to_a_builtin_fact() -> None:
    base = load_base([MENTIONS])
    established = base.facts_by_id["vn-kz/diplomatic-relations/established"]
    assert [c.source for c in established.citations] == ["vov-2012-kz", "dcsvn-2022-kz", "test-2023-kz"]
    assert not established.disputed  # two sources that agree corroborate
    visit = base.facts_by_id[VISIT]
    assert visit.disputed and str(visit.citations[-1].date) == "2012-04"
    assert str(visit.date) == "2012-09-10/2012-09-11"  # the fact's own date stays the preferred one


def test_json_carries_each_sources_date_and_value(invoke: Invoke) -> None:
    record = json.loads(invoke("show", VISIT, "-f", "jsonl", *EXTRA).stdout)
    assert record["disputed"] is True
    vov, other = record["citations"]
    assert (vov["source"], vov["date"], vov["value"]) == ("vov-2012-kz", None, None)
    assert (other["source"], other["date"], other["note"]) == (
        "test-2023-kz",
        "2012-04",
        "the VOV article of September 2012 gives 10–11 September",
    )
    trade = json.loads(invoke("show", "vn-kz/bilateral-trade/2024", "-f", "jsonl", *EXTRA).stdout)
    assert trade["citations"][-1]["value"] == {
        "amount": 790_000_000,
        "unit": "USD",
        "comparator": "=",
        "metric": "bilateral-trade",
        "change": None,
        "vs": None,
    }


def test_without_the_extra_base_nothing_is_disputed(invoke: Invoke) -> None:
    record = json.loads(invoke("show", VISIT, "-f", "jsonl").stdout)
    assert record["disputed"] is False and [c["source"] for c in record["citations"]] == ["vov-2012-kz"]


def test_show_timeline_and_search_say_who_disagrees(invoke: Invoke) -> None:
    said = "Test Daily (19 Aug 2023) says Apr 2012 (the VOV article of September 2012 gives 10–11 September)"
    show = invoke("show", VISIT, *EXTRA, env=TERMINAL).stdout
    assert (
        "says Apr 2012, not the fact's date: the VOV article of September 2012 gives 10–11 September"
        in " ".join(show.split())
    )
    timeline = invoke("timeline", "vn-kz", "--since", "2012", "--until", "2012", *EXTRA, env=TERMINAL).stdout
    assert said in " ".join(timeline.split())
    search = invoke(
        "search", "Truong Tan Sang visit Kazakhstan", "-n", "1", "-f", "table", *EXTRA, env=TERMINAL
    ).stdout
    assert said in " ".join(search.split())


def test_figures_show_both_values(invoke: Invoke) -> None:
    out = invoke("figures", "vn-kz", "-m", "bilateral-trade", *EXTRA, env=TERMINAL).stdout
    assert (
        "> 800 million USD (+100% vs 2023) tgvn-2025-kz, test-2023-kz — "
        "Test Daily (19 Aug 2023) says 790 million USD"
    ) in " ".join(out.split())


def test_ask_answers_with_the_preferred_value_and_says_who_disagrees(invoke: Invoke) -> None:
    line = invoke(
        "ask", "when did Truong Tan Sang visit Kazakhstan?", "-f", "table", *EXTRA, env={"COLUMNS": "300"}
    ).stdout
    assert line.startswith("10–11 September 2012 — ")
    assert "Test Daily (19 Aug 2023) says Apr 2012" in line
    record = json.loads(
        invoke("ask", "how much was Vietnam–Kazakhstan trade in 2024?", "-f", "json", *EXTRA).stdout
    )
    assert record["answer"]["value"]["amount"] == 800_000_000
    assert record["answer"]["disputed_by"] == ["Test Daily (19 Aug 2023) says 790 million USD"]
    assert record["fact"]["citations"][-1]["value"]["amount"] == 790_000_000


def test_check_passes_with_mentions(invoke: Invoke) -> None:
    result = invoke("check", *EXTRA, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["citations"] == 289


CITE = """
[[cite]]
fact = "{fact}"
source = "tgvn-2025-kz"
quote = "Một câu."
{extra}
"""


@pytest.mark.parametrize(
    ("fact", "extra", "message"),
    [
        (
            "vn-kz/diplomatic-relations/establishd",
            "",
            (
                "unknown fact 'vn-kz/diplomatic-relations/establishd' "
                "(did you mean 'vn-kz/diplomatic-relations/established'?)"
            ),
        ),
        (
            "vn-kz/diplomatic-relations/established",
            'value = { amount = 5, unit = "USD" }',
            "is not a figure: only a figure's citation can give another value",
        ),
        (
            "vn-kz/bilateral-trade/2024",
            'value = { amount = 5, unit = "VND" }',
            "the value is in 'VND', the fact's in 'USD'",
        ),
        ("vn-kz/bilateral-trade/2024", 'date = "last year"', "'date': malformed EDTF date 'last year'"),
        ("vn-kz/bilateral-trade/2024", "value = { amount = 5 }", "missing required field 'unit'"),
        ("vn-kz/bilateral-trade/2024", 'sourcee = "x"', "unknown key 'sourcee' (did you mean 'source'?)"),
    ],
)
def test_a_bad_cite_is_a_problem_with_its_line(tmp_path: Path, fact: str, extra: str, message: str) -> None:
    path = tmp_path / "cite.toml"
    path.write_text(CITE.format(fact=fact, extra=extra), encoding="utf-8")
    with pytest.raises(BaseError) as caught:
        load_base([path])
    problems = [str(p) for p in caught.value.problems]
    assert any(message in p and p.startswith(f"{path}:") for p in problems), problems


TARGETS = ("--facts", str(DATA / "targets"))


def test_a_target_is_drawn_apart_and_never_scaled_with_the_measured(invoke: Invoke) -> None:
    out = invoke("figures", "vn-kz", "-m", "bilateral-trade", *TARGETS, env=TERMINAL).stdout
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  20")}
    assert "target: 1.5 billion USD" in lines["2030"] and "█" not in lines["2030"]
    bars = {year: lines[year].count("█") for year in ("2011", "2021", "2024")}
    # scaled to 800 million, the largest measured value, not to the 1.5 billion target
    assert bars["2024"] == max(bars.values()) and bars["2021"] == round(bars["2024"] * 426.1 / 800)
    rows = [
        line.split("\t")
        for line in invoke(
            "figures", "vn-kz", "-m", "bilateral-trade", "-f", "tsv", *TARGETS
        ).stdout.splitlines()
    ]
    assert [(r[1], r[7]) for r in rows][-1] == ("2030", "planned") and all(r[7] == "" for r in rows[:-1])


def test_a_target_answers_only_as_a_plan(invoke: Invoke) -> None:
    record = json.loads(
        invoke("ask", "how much will Vietnam–Kazakhstan trade be in 2030?", "-f", "json", *TARGETS).stdout
    )
    assert record["answer"]["text"] == "1.5 billion USD, 2030 (planned)"
    refused = invoke("ask", "how much was Vietnam–Kazakhstan trade in 2030?", "-f", "json", *TARGETS)
    assert refused.exit_code == 1
