"""relations, sources, entities [NAME]; shell completion; a closed pipe."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from conftest import HISTORY, MINI, ROOT, Invoke

FORMATS = ["table", "tsv", "csv", "json", "jsonl"]


def records(invoke: Invoke, *args: str) -> list[dict]:
    result = invoke(*args, "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
    return json.loads(result.stdout)


def test_relations_count_facts_and_span_years(invoke: Invoke) -> None:
    rows = {r["id"]: r for r in records(invoke, "relations")}
    assert rows["vn-kz"]["name"] == "Vietnam–Kazakhstan"
    assert (
        rows["vn-kz"]["from"] == 1991
        and rows["vn-kz"]["to"] == 2025
        and rows["vn-kz"]["years"] == "1991–2025"
    )
    assert rows["vn-kz"]["facts"] >= 119
    assert "kz" in rows["vn-kz"]["aliases"] or "kazakhstan" in [a.lower() for a in rows["vn-kz"]["aliases"]]


def test_relations_with_no_facts_still_listed(invoke: Invoke) -> None:
    rows = {r["id"]: r for r in records(invoke, "relations", "--facts", str(MINI))}
    assert rows["mini-empty"]["facts"] == 0 and rows["mini-empty"]["years"] == ""


def test_relations_in_vietnamese(invoke: Invoke) -> None:
    out = invoke("relations", "--lang", "vi", "-f", "tsv").stdout
    assert "vn-kz\tViệt Nam – Kazakhstan\t" in out or "vn-kz\tViệt Nam–Kazakhstan\t" in out


def test_sources_count_citing_facts(invoke: Invoke) -> None:
    rows = {r["id"]: r for r in records(invoke, "sources")}
    assert set(rows) == {
        "tgvn-2025-kz",
        "dcsvn-2022-kz",
        "vov-2012-kz",
        "tgvn-2022-amm55",
        "amm58-2025-plus1",
    }
    assert (
        rows["dcsvn-2022-kz"]["published"] == "2022-06-27" and rows["dcsvn-2022-kz"]["when"] == "27 Jun 2022"
    )
    assert all(r["facts"] > 0 for r in rows.values())
    assert sum(r["facts"] for r in rows.values()) >= 264  # a fact citing two sources counts for each


WEB_SOURCE = """
[[source]]
id = "web-src"
title = "Một trang"
title_en = "A page"
published = "2025-07-10"
language = "vi"
author = "Nguyễn Văn A"
url = "https://example.org/tin/hai-nuoc-thiet-lap-quan-he-ngoai-giao-2001.html"
accessed = "2025-08-01"

[[fact]]
id = "vn-kz/web-test"
kind = "event"
date = "2001"
relations = ["vn-kz"]
text = "A fact from a page."
text_vi = "Một sự kiện từ một trang."

[[fact.cite]]
source = "web-src"
quote = "Một câu."
"""


@pytest.fixture
def web(tmp_path) -> str:
    (tmp_path / "web.toml").write_text(WEB_SOURCE, encoding="utf-8")
    return str(tmp_path)


def test_sources_show_url_author_and_accessed_in_every_format(invoke: Invoke, web: str) -> None:
    url = "https://example.org/tin/hai-nuoc-thiet-lap-quan-he-ngoai-giao-2001.html"
    rows = {r["id"]: r for r in records(invoke, "sources", "--facts", web)}
    assert (rows["web-src"]["author"], rows["web-src"]["url"], rows["web-src"]["accessed"]) == (
        "Nguyễn Văn A",
        url,
        "2025-08-01",
    )
    assert rows["vov-2012-kz"]["url"] is None and rows["vov-2012-kz"]["accessed"] is None
    tsv = {
        line.split("\t")[0]: line.split("\t")
        for line in invoke("sources", "--facts", web, "-f", "tsv").stdout.splitlines()
    }
    assert tsv["web-src"][5:] == ["Nguyễn Văn A", url, "2025-08-01"]
    assert tsv["vov-2012-kz"][5:] == ["", "", ""]
    header = next(csv.reader(io.StringIO(invoke("sources", "--facts", web, "-f", "csv").stdout)))
    assert header == ["id", "publisher", "when", "facts", "title", "author", "url", "accessed"]
    # On a narrow terminal they are lines under the title; the URL folds there, whole.
    table = invoke(
        "sources", "--facts", web, "-f", "table", env={"TTY_COMPATIBLE": "1", "COLUMNS": "80", "TERM": "dumb"}
    ).stdout
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("web-src"))
    title_column = "".join(line[lines[0].index("title") :].strip() for line in lines[start:])
    assert title_column == "A pageby Nguyễn Văn A" + url + "accessed 1 Aug 2025"
    assert max(map(len, lines)) <= 80
    assert "by Hoàng Lan" in table  # a built-in source's author; none of them gives a URL


def test_show_gives_each_citation_its_url_author_and_accessed(invoke: Invoke, web: str) -> None:
    (record,) = records(invoke, "show", "vn-kz/web-test", "--facts", web)
    cite = record["citations"][0]
    assert (cite["author"], cite["url"], cite["accessed"]) == (
        "Nguyễn Văn A",
        "https://example.org/tin/hai-nuoc-thiet-lap-quan-he-ngoai-giao-2001.html",
        "2025-08-01",
    )
    shown = invoke(
        "show",
        "vn-kz/web-test",
        "--facts",
        web,
        "-f",
        "table",
        env={"TTY_COMPATIBLE": "1", "COLUMNS": "80", "TERM": "dumb"},
    ).stdout
    lines = shown.splitlines()
    cited = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("  [web-src] Một trang — Nguyễn Văn A, 2025-07-10")
    )
    assert lines[cited + 1].startswith("    https://example.org/tin/")  # under its citation, above the quote
    assert "".join(shown.split()).endswith(
        "https://example.org/tin/hai-nuoc-thiet-lap-quan-he-ngoai-giao-2001.html·accessed2025-08-01“Mộtcâu.”"
    )


def test_entities_list_and_one_entity_by_unaccented_name(invoke: Invoke) -> None:
    rows = {r["id"]: r for r in records(invoke, "entities")}
    assert rows["to-lam"]["kind"] == "person" and rows["to-lam"]["facts"] >= 1
    (card,) = records(invoke, "entities", "to lam")
    assert card["id"] == "to-lam" and card["name_vi"] == "Tô Lâm" and "Tô Lâm" in card["aliases"]
    assert card["facts"] and all("to-lam" in f["entities"] for f in card["facts"])


@pytest.mark.parametrize("name", ["Tô Lâm", "to lam", "TO-LAM", "Tổng Bí thư Tô Lâm"])
def test_entity_names_resolve(invoke: Invoke, name: str) -> None:
    result = invoke("entities", name, "-f", "tsv")
    assert result.exit_code == 0 and result.stdout
    assert all("\t" in line for line in result.stdout.splitlines())


def test_entity_by_part_of_a_name(invoke: Invoke) -> None:
    out = invoke("entities", "Nazarbayev", "-f", "tsv").stdout
    assert "vn-kz/visit/2011-nazarbayev-to-vietnam" in out


def test_entity_terminal_card_then_history(invoke: Invoke) -> None:
    out = invoke("entities", "histland", "--facts", str(HISTORY), "-f", "table").stdout
    lines = out.splitlines()
    assert lines[0].startswith("Histland") and "country · histland" in lines[0]
    assert any(line.startswith("also: Republic of Histland") for line in lines)
    assert "14 facts" in out and lines.index("1992") < lines.index("2026")


def test_unknown_entity_suggests(invoke: Invoke) -> None:
    result = invoke("entities", "Kazakstan")
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown entity 'Kazakstan'" in result.stderr and "kazakhstan" in result.stderr


@pytest.mark.parametrize("command", [["relations"], ["sources"], ["entities"], ["entities", "kazakhstan"]])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_listing_in_every_format(invoke: Invoke, command: list[str], fmt: str) -> None:
    result = invoke(*command, "-f", fmt)
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert out.endswith("\n") and "\x1b[" not in out
    if fmt == "json":
        assert isinstance(json.loads(out), list)
    elif fmt == "jsonl":
        assert all(isinstance(json.loads(line), dict) for line in out.splitlines())
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len({len(r) for r in rows}) == 1 and rows[0][0] == "id"
    elif fmt == "tsv":
        assert len({line.count("\t") for line in out.splitlines()}) == 1
    else:
        assert all(line == line.rstrip() for line in out.splitlines())


# --- shell completion ------------------------------------------------------------------------


def complete(invoke: Invoke, line: str) -> list[str]:
    words = line.split(" ")
    result = invoke(
        env={"_DIPFACTS_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("dipfacts timeline vn", ["vn", "vn-kz"]),
        ("dipfacts search x -e to-", ["to-lam"]),
        ("dipfacts figures vn-kz --metric bilateral", ["bilateral-trade"]),
        (
            "dipfacts show vn-kz/bilateral-trade/20",
            [
                "vn-kz/bilateral-trade/2011",
                "vn-kz/bilateral-trade/2021",
                "vn-kz/bilateral-trade/2024",
                "vn-kz/bilateral-trade/2025-q1",
            ],
        ),
        ("dipfacts tim", ["timeline"]),
    ],
)
def test_completion_of_ids_metrics_and_commands(invoke: Invoke, line: str, expected: list[str]) -> None:
    assert complete(invoke, line) == expected


def test_install_completion_is_offered(invoke: Invoke) -> None:
    assert "--install-completion" in invoke("--help").stdout


# --- pipes -----------------------------------------------------------------------------------------


# Each writes well over a pipe's 64 KiB buffer, so the writer does meet the closed pipe.
@pytest.mark.parametrize(
    "command",
    [
        ["export", "-f", "jsonl"],
        ["timeline", "vn-kz", "-f", "json"],
        ["search", "Kazakhstan", "-n", "200", "-f", "json"],
        ["entities", "kazakhstan", "-f", "json"],
    ],
)
def test_a_closed_pipe_ends_quietly(command: list[str], tmp_path) -> None:
    env = {**os.environ, "DIPFACTS_CACHE_DIR": str(tmp_path)}
    env.pop("DIPFACTS_FACTS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dipfacts", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0  # it printed what the reader wanted: success, as the issue asks
    assert err == b""


@pytest.mark.parametrize(
    ("lang", "first"),
    [("en", "Japan / Nhật Bản"), ("vi", "Nhật Bản / Japan")],
)
def test_an_entity_card_names_it_in_both_languages_whichever_is_shown(
    invoke: Invoke, lang: str, first: str
) -> None:
    out = invoke("entities", "japan", "--lang", lang, "-f", "table").stdout
    assert out.splitlines()[0].startswith(first)
