"""One article's facts (--source), and the topics and metrics a reader can filter by."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import Invoke
from dipfacts.base.load import load_base


def _ids(out: str) -> list[str]:
    return [line.split("\t")[0] for line in out.splitlines()]


def test_export_source_lists_only_that_articles_facts(invoke: Invoke) -> None:
    base = load_base()
    cited = sorted(f.id for f in base.facts if any(c.source == "dcsvn-2022-kz" for c in f.citations))
    result = invoke("export", "--source", "dcsvn-2022-kz")
    assert result.exit_code == 0 and sorted(_ids(result.stdout)) == cited
    assert len(cited) < len(base.facts)


def test_a_source_by_its_publishers_name_and_repeated(invoke: Invoke) -> None:
    by_name = _ids(invoke("export", "-s", "VOV").stdout)
    assert by_name == _ids(invoke("export", "-s", "vov-2012-kz").stdout)
    both = set(_ids(invoke("export", "-s", "vov-2012-kz", "-s", "dcsvn-2022-kz").stdout))
    assert both == set(by_name) | set(_ids(invoke("export", "-s", "dcsvn-2022-kz").stdout))


@pytest.mark.parametrize(
    "args",
    [
        ("search", "trade", "-s", "tgvn-2025-kz"),
        ("timeline", "vn-kz", "-s", "tgvn-2025-kz"),
        ("figures", "vn-kz", "-s", "tgvn-2025-kz", "-f", "jsonl"),
    ],
)
def test_every_fact_listed_is_cited_by_the_source(invoke: Invoke, args: tuple[str, ...]) -> None:
    result = invoke(*args, "-f", "jsonl") if "-f" not in args else invoke(*args)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    for r in records:
        cited = (
            r["sources"].split(";")
            if "sources" in r and isinstance(r["sources"], str)
            else [c["source"] for c in r["citations"]]
        )
        assert "tgvn-2025-kz" in cited


def test_ask_answers_only_from_the_source(invoke: Invoke) -> None:
    assert (
        invoke("ask", "how much was Vietnam–Kazakhstan trade in 2021?", "-s", "dcsvn-2022-kz").exit_code == 0
    )
    assert invoke("ask", "how much was Vietnam–Kazakhstan trade in 2021?", "-s", "vov-2012-kz").exit_code == 1


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "jsonl"])
@pytest.mark.parametrize("command", ["topics", "metrics"])
def test_topics_and_metrics_list_in_every_format(invoke: Invoke, command: str, fmt: str) -> None:
    result = invoke(command, "-f", fmt, env={"COLUMNS": "200"})
    assert result.exit_code == 0 and result.stderr == ""
    if fmt == "json":
        records = json.loads(result.stdout)
    elif fmt == "jsonl":
        records = [json.loads(line) for line in result.stdout.splitlines()]
    elif fmt == "csv":
        records = list(csv.DictReader(io.StringIO(result.stdout)))
    else:
        records = [{"id": line.split()[0]} for line in result.stdout.splitlines()[fmt == "table" :]]
    ids = [r["id"] for r in records]
    if command == "topics":
        assert "trade" in ids and "visit" in ids
    else:
        assert ids == sorted(load_base().metrics) and "bilateral-trade" in ids


def test_a_metric_shows_its_latest_measured_value(invoke: Invoke) -> None:
    record = next(
        r for r in json.loads(invoke("metrics", "-f", "json").stdout) if r["id"] == "bilateral-trade"
    )
    counted = sum(1 for f in load_base().facts if f.value is not None and f.value.metric == "bilateral-trade")
    assert record["unit"] == "USD" and record["facts"] == counted and record["years"] == "2011–2025"
    assert record["latest_id"] == "vn-kz/bilateral-trade/2025-q1"
    assert record["latest"] == "146.3 million USD (+18.4% vs Jan–Mar 2024), Jan–Mar 2025"


def test_a_narrow_listing_never_cuts_an_id(invoke: Invoke) -> None:
    out = invoke(
        "metrics", "-f", "table", env={"TTY_COMPATIBLE": "1", "TERM": "dumb", "COLUMNS": "60"}
    ).stdout
    assert "kz-uranium-reserves-world-rank" in out.split()


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_show_in_a_pipe_keeps_every_citation_and_its_quote(invoke: Invoke, fmt: str) -> None:
    result = invoke("show", "vn-kz/diplomatic-relations/established", "-f", fmt)
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\t" if fmt == "tsv" else ","))
    if fmt == "csv":
        assert rows.pop(0) == ["id", "date", "text", "source", "publisher", "published", "quote"]
    assert [(r[0], r[3], r[6]) for r in rows] == [
        (
            "vn-kz/diplomatic-relations/established",
            "vov-2012-kz",
            "Việt Nam và Kazakhstan thiết lập quan hệ ngoại giao ngày 29/6/1992.",
        ),
        (
            "vn-kz/diplomatic-relations/established",
            "dcsvn-2022-kz",
            "Kazakhstan và Việt Nam thiết lập quan hệ ngoại giao ngày 29/6/1992.",
        ),
    ]
    assert rows[0][4] == "VOV" and rows[1][5] == "2022-06-27"


def test_fields_and_header_choose_the_columns(invoke: Invoke) -> None:
    out = invoke(
        "export",
        "--source",
        "dcsvn-2022-kz",
        "--fields",
        "id,amount,unit,metric,quote",
        "--header",
        "-f",
        "tsv",
    ).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0] == ["id", "amount", "unit", "metric", "quote"]
    trade = next(r for r in rows if r[0] == "vn-kz/bilateral-trade/2021")
    assert trade[1:4] == ["426100000", "USD", "bilateral-trade"] and "426,1 triệu USD" in trade[4]
    assert all(len(r) == 5 for r in rows)


def test_fields_in_json_keep_only_those_keys_in_that_order(invoke: Invoke) -> None:
    records = json.loads(
        invoke("search", "Kazakhstan trade", "-n", "2", "--fields", "score,id,disputed", "-f", "json").stdout
    )
    assert [list(r) for r in records] == [["score", "id", "disputed"]] * 2
    assert isinstance(records[0]["score"], float) and records[0]["disputed"] is False


def test_a_list_field_is_one_cell_in_tsv(invoke: Invoke) -> None:
    out = invoke("show", "vn-kz/diplomatic-relations/established", "--fields", "id,sources,entities").stdout
    assert out == "vn-kz/diplomatic-relations/established\tvov-2012-kz;dcsvn-2022-kz\tvietnam;kazakhstan\n"


def test_timeline_fields_carry_its_when(invoke: Invoke) -> None:
    rows = [
        line.split("\t")
        for line in invoke(
            "timeline", "vn-kz", "--all", "--fields", "when,kind", "--until", "2012"
        ).stdout.splitlines()
    ]
    assert ["29 Jun 1992", "event"] in rows and any(
        r[0].startswith("as of ") and r[1] == "state" for r in rows
    )


def test_without_fields_the_default_columns_stay(invoke: Invoke) -> None:
    rows = [line.split("\t") for line in invoke("export", "-r", "vn-kz").stdout.splitlines()]
    assert {len(r) for r in rows} == {4}
    header = invoke("export", "-r", "vn-kz", "--header").stdout.splitlines()[0]
    assert header == "id\tdate\ttext\tsources"


NARROW = [40, 60, 80, 120]


def _screen(invoke: Invoke, *args: str, columns: int) -> str:
    result = invoke(*args, env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": str(columns)})
    assert result.exit_code == 0
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)


@pytest.mark.parametrize("columns", NARROW)
def test_figures_never_cut_a_value_or_a_unit(invoke: Invoke, columns: int) -> None:
    out = _screen(invoke, "figures", "vn-kz", "-m", "bilateral-trade", columns=columns)
    assert "…" not in out
    words = out.split()
    assert "USD" in words and words.count("million") == 4
    assert all(len(line) <= columns for line in out.splitlines())


@pytest.mark.parametrize("columns", NARROW)
@pytest.mark.parametrize("command", [("entities",), ("metrics",), ("relations",), ("topics",)])
def test_listings_never_cut_an_id(invoke: Invoke, columns: int, command: tuple[str, ...]) -> None:
    out = _screen(invoke, *command, columns=columns)
    base = load_base()
    ids = {"entities": base.entities, "metrics": base.metrics, "relations": base.relations}.get(command[0])
    expected = set(ids) if ids is not None else {t for f in base.facts for t in f.topics}
    assert expected <= set(out.split())  # every id whole, on a line of its own or in its column
    assert "…" not in out


def test_a_narrow_listing_is_folded_into_records(invoke: Invoke) -> None:
    lines = [line.rstrip() for line in _screen(invoke, "entities", columns=40).splitlines()]
    at = lines.index("acpheed")
    assert lines[at + 1] == "  kind: organisation" and lines[at + 2].startswith("  name: ASEAN Centre")
