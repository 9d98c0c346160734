"""`dipfacts ask`: a date for when, a value for how much, a fact otherwise; refusal when unsure."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import Invoke
from dipfacts.ask import Intent, intent_of


@pytest.mark.parametrize(
    ("question", "intent", "rest"),
    [
        ("when did Vietnam and Kazakhstan establish diplomatic relations?", Intent.when, "did Vietnam and Kazakhstan establish diplomatic relations"),
        ("In what year did Vietnam join ASEAN", Intent.when, "did Vietnam join ASEAN"),
        ("Việt Nam gia nhập ASEAN năm nào?", Intent.when, "Việt Nam gia nhập ASEAN"),
        ("Viet Nam va Kazakhstan thiet lap quan he ngoai giao khi nao", Intent.when, "Viet Nam va Kazakhstan thiet lap quan he ngoai giao"),
        ("bao giờ Tô Lâm thăm Kazakhstan", Intent.when, "Tô Lâm thăm Kazakhstan"),
        ("how much was trade in 2021?", Intent.how_much, "was trade in 2021"),
        ("How many direct flights a week?", Intent.how_much, "direct flights a week"),
        ("kim ngạch thương mại năm 2021 là bao nhiêu", Intent.how_much, "kim ngạch thương mại năm 2021 là"),
        ("có mấy chuyến bay thẳng mỗi tuần", Intent.how_much, "có chuyến bay thẳng mỗi tuần"),
        ("trade in May 2025", Intent.what, "trade in May 2025"),  # unmarked 'may' is the month
        ("who visited Kazakhstan in 1994?", Intent.what, "who visited Kazakhstan in 1994"),
    ],
)
def test_intent_and_the_words_searched(question: str, intent: Intent, rest: str) -> None:
    assert intent_of(question) == (intent, rest)


def test_when_prints_the_date_then_the_citation(invoke: Invoke) -> None:
    result = invoke("ask", "when did Vietnam and Kazakhstan establish diplomatic relations?", "-f", "table", env={"COLUMNS": "300"})
    assert result.exit_code == 0 and result.stderr == ""
    (line,) = result.stdout.splitlines()
    assert line.startswith("29 June 1992 — Vietnam and Kazakhstan established diplomatic relations")
    assert "vov-2012-kz: VOV, c. Sep 2012" in line and "dcsvn-2022-kz:" in line


def test_when_in_vietnamese(invoke: Invoke) -> None:
    result = invoke("ask", "Việt Nam và Kazakhstan thiết lập quan hệ ngoại giao khi nào?", "--lang", "vi", "-f", "tsv")
    answer, fid, text, citation = result.stdout.rstrip("\n").split("\t")
    assert (answer, fid) == ("29/6/1992", "vn-kz/diplomatic-relations/established")
    assert "Việt Nam và Kazakhstan" in text and "khoảng tháng 9/2012" in citation


def test_how_much_prints_the_value(invoke: Invoke) -> None:
    record = json.loads(invoke("ask", "how much was bilateral trade between Vietnam and Kazakhstan in 2021?", "-f", "json").stdout)[0]
    assert record["intent"] == "how much"
    assert record["answer"] == "426.1 million USD (+11.6% vs 2020)"
    assert record["id"] == "vn-kz/bilateral-trade/2021"
    assert record["fact"]["citations"][0]["source"] == "dcsvn-2022-kz"


def test_how_much_in_vietnamese_unaccented(invoke: Invoke) -> None:
    out = invoke("ask", "kim ngach thuong mai Viet Nam Kazakhstan nam 2024 bao nhieu", "--lang", "vi", "-f", "tsv").stdout
    assert out.split("\t")[:2] == ["hơn 800 triệu USD (+100% so với 2023)", "vn-kz/bilateral-trade/2024"]


def test_who_question_answers_with_the_fact(invoke: Invoke) -> None:
    out = invoke("ask", "who visited Kazakhstan in 1994?", "-f", "jsonl").stdout
    record = json.loads(out)
    assert record["intent"] == "what" and record["answer"] == "Prime Minister Vo Van Kiet visited Kazakhstan in 1994."


def test_csv_has_a_header(invoke: Invoke) -> None:
    rows = list(csv.reader(io.StringIO(invoke("ask", "when did To Lam visit Kazakhstan", "-f", "csv").stdout)))
    assert rows[0] == ["answer", "id", "text", "citation"] and rows[1][0] == "May 2025"


def test_refuses_when_a_word_matches_nothing_and_lists_the_closest(invoke: Invoke) -> None:
    result = invoke("ask", "when did Vietnam and Brazil establish diplomatic relations?", "-f", "tsv")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "dipfacts ask: no fact answers 'when did Vietnam and Brazil establish diplomatic relations?' with confidence; the closest facts follow"
    )
    closest = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert len(closest) == 3 and "vn-kz/diplomatic-relations/established" in closest


def test_refuses_how_much_when_no_figure_matches(invoke: Invoke) -> None:
    result = invoke("ask", "how much did Kazakhstan invest in the moon?", "-f", "json")
    assert result.exit_code == 1 and "with confidence" in result.stderr
    assert isinstance(json.loads(result.stdout), list)


def test_ask_unknown_relation_is_an_error(invoke: Invoke) -> None:
    result = invoke("ask", "when", "-r", "narnia")
    assert result.exit_code == 2 and result.stdout == "" and "unknown relation 'narnia'" in result.stderr
