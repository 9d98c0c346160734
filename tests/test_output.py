"""The output layer through the CLI: every format, the JSON contract, pipes, hostile text."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import MINI, Invoke

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\]")
MINI_ARGS = ("--facts", str(MINI), "-r", "mini-rel")
IDS = ["mini-rel/relations-established", "mini-rel/trade/2020", "mini-rel/markup"]


def test_json_is_one_array_with_the_documented_shape(invoke: Invoke) -> None:
    result = invoke("export", *MINI_ARGS, "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == IDS
    assert list(records[1]) == [
        "id",
        "kind",
        "date",
        "status",
        "relations",
        "topics",
        "entities",
        "text",
        "text_vi",
        "value",
        "citations",
        "disputed",
    ]
    assert records[1]["disputed"] is False
    assert records[1]["value"] == {
        "amount": 12_500_000,
        "unit": "USD",
        "comparator": "=",
        "metric": "mini-trade",
        "change": 4.0,
        "vs": "2019",
    }
    assert records[0]["value"] is None and records[0]["status"] is None
    assert records[0]["citations"] == [
        {
            "source": "mini-src",
            "title": "Bản tin thử nghiệm",
            "publisher": "Test Press",
            "author": None,
            "published": "2021-03-04",
            "url": None,
            "accessed": None,
            "quote": "Hai nước Miniland và Testonia thiết lập quan hệ ngoại giao ngày 2/1/2001.",
            "date": None,  # the source agrees with the fact's date
            "value": None,
            "note": None,
        }
    ]


def test_jsonl_is_one_object_a_line(invoke: Invoke) -> None:
    result = invoke("export", *MINI_ARGS, "-f", "jsonl")
    lines = result.stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == IDS
    # UTF-8, not \u escapes: the mini base's Vietnamese text and quotes come out as written.
    assert "thiết lập quan hệ ngoại giao" in result.stdout
    assert "\\u" not in result.stdout


def test_tsv_is_the_default_in_a_pipe_with_four_columns(invoke: Invoke) -> None:
    result = invoke("export", *MINI_ARGS)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == [
        "mini-rel/relations-established",
        "2001-01-02",
        "Miniland and Testonia established diplomatic relations on 2 January 2001.",
        "mini-src",
    ]
    assert [len(r) for r in rows] == [4, 4, 4]


def test_csv_has_a_header(invoke: Invoke) -> None:
    result = invoke("export", *MINI_ARGS, "-f", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "date", "text", "sources"]
    assert [r[0] for r in rows[1:]] == IDS


def test_table_in_a_pipe_has_no_colour_and_no_wrapping(invoke: Invoke) -> None:
    result = invoke("export", *MINI_ARGS, "-f", "table")
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    sentence = (
        "Bilateral trade reached 12.5 million USD in 2020, up 4% on 2019.  [12.5 million USD (+4% vs 2019)]"
    )
    line = next(line for line in result.stdout.splitlines() if "Bilateral trade" in line)
    assert line.rstrip().endswith(sentence) and len(line.rstrip()) > 80  # one line, however long


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "jsonl"])
def test_rich_markup_in_a_fact_prints_literally(invoke: Invoke, fmt: str) -> None:
    result = invoke("show", "mini-rel/markup", "--facts", str(MINI), "-f", fmt)
    assert "[bold]markup[/bold]" in result.stdout
    assert not ANSI.search(result.stdout)


def test_forced_colour_still_prints_markup_literally(invoke: Invoke) -> None:
    result = invoke("show", "mini-rel/markup", "--facts", str(MINI), "-f", "table", env={"FORCE_COLOR": "1"})
    assert ANSI.search(result.stdout), "FORCE_COLOR should colour the table"
    assert "[bold]markup[/bold]" in ANSI.sub("", result.stdout)


def test_no_color_wins_over_force_color(invoke: Invoke) -> None:
    result = invoke(
        "show",
        "mini-rel/markup",
        "--facts",
        str(MINI),
        "-f",
        "table",
        env={"FORCE_COLOR": "1", "NO_COLOR": "1"},
    )
    assert not re.search(r"\x1b\[[0-9;]*3\dm", result.stdout), "NO_COLOR: no foreground colours"


def test_show_prints_every_citation_in_full(invoke: Invoke) -> None:
    result = invoke("show", "mini-rel/trade/2020", "--facts", str(MINI), "-f", "table")
    out = result.stdout
    assert result.exit_code == 0
    assert "mini-rel/trade/2020" in out and "figure · 2020" in out
    assert "12.5 million USD (+4% vs 2019)" in out
    assert "[mini-src] Bản tin thử nghiệm — Test Press, 2021-03-04" in out
    assert "“Năm 2020, kim ngạch thương mại song phương đạt 12,5 triệu USD, tăng 4% so với năm 2019.”" in out


def test_show_keeps_the_order_asked(invoke: Invoke) -> None:
    result = invoke("show", IDS[2], IDS[0], "--facts", str(MINI), "-f", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [IDS[2], IDS[0]]


def test_show_unknown_id_suggests_and_exits_2(invoke: Invoke) -> None:
    result = invoke("show", "mini-rel/trade/2021", "--facts", str(MINI))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == "dipfacts: error: unknown fact id 'mini-rel/trade/2021' (did you mean mini-rel/trade/2020?)\n"
    )


def test_export_by_alias_and_topic(invoke: Invoke) -> None:
    result = invoke("export", "--facts", str(MINI), "-r", "Miniland-Testonia", "-t", "trade", "-f", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["mini-rel/trade/2020"]


def test_export_that_finds_nothing_exits_1(invoke: Invoke) -> None:
    result = invoke("export", "--facts", str(MINI), "-r", "mini-empty", "-f", "json")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "[]\n", "")
    result = invoke("export", "--facts", str(MINI), "-r", "mini-empty")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")


def test_unknown_topic_is_an_error(invoke: Invoke) -> None:
    result = invoke("export", "--facts", str(MINI), "-t", "tarde")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("dipfacts: error: unknown topic 'tarde' (did you mean trade")


def test_unknown_relation_suggests(invoke: Invoke) -> None:
    result = invoke("export", "-r", "kazakstan")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "dipfacts: error: unknown relation 'kazakstan' (did you mean vn-kz?)\n"


def test_bad_format_is_one_line_and_exit_2(invoke: Invoke) -> None:
    result = invoke("export", "-f", "xml")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "'xml' is not one of 'table', 'tsv', 'csv', 'json', 'jsonl'" in result.stderr


def test_unknown_option_and_command_suggest(invoke: Invoke) -> None:
    result = invoke("export", "--formt", "json")
    assert (
        result.exit_code == 2
        and result.stderr == "dipfacts export: error: No such option: --formt (Possible options: --format)\n"
    )
    result = invoke("exprt")
    assert result.exit_code == 2 and "Did you mean 'export'?" in result.stderr


def test_debug_shows_the_traceback(invoke: Invoke) -> None:
    from dipfacts.base.errors import UnknownIdError

    with pytest.raises(UnknownIdError):
        invoke("show", "nope", env={"DIPFACTS_DEBUG": "1"})


def test_version(invoke: Invoke) -> None:
    from dipfacts import __version__

    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout == f"dipfacts {__version__}\n"


def test_control_characters_are_escaped_in_text_formats(invoke: Invoke, tmp_path) -> None:
    hostile = (
        (MINI / "base.toml")
        .read_text()
        .replace(
            "A sentence with [bold]markup[/bold] that must print literally.",
            "Evil \\u001b]0;pwned\\u0007 \\u001b[31mred\\u202e tab\\there",
        )
    )
    (tmp_path / "base.toml").write_text(hostile)
    for fmt in ("table", "tsv", "csv", "json", "jsonl"):
        result = invoke(
            "show", "mini-rel/markup", "--facts", str(tmp_path), "-f", fmt, env={"FORCE_COLOR": None}
        )
        assert (
            "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
        ), fmt
    tsv = invoke("show", "mini-rel/markup", "--facts", str(tmp_path), "-f", "tsv").stdout
    assert tsv.split("\t")[2] == "Evil \\x1b]0;pwned\\x07 \\x1b[31mred\\u202e tab here"
    data = json.loads(invoke("show", "mini-rel/markup", "--facts", str(tmp_path), "-f", "json").stdout)
    assert data[0]["text"] == "Evil \x1b]0;pwned\x07 \x1b[31mred\u202e tab\there"  # JSON keeps the data exact
