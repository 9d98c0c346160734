"""`dipfacts ask`: an answer only from a fact that answers the question — its period, metric,
direction, answer type, subject, and an event that happened — otherwise a refusal (exit 1)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import Invoke
from dipfacts.base.load import load_base
from dipfacts.base.names import entity_labels
from dipfacts.question import Intent, parse


@pytest.fixture(scope="module")
def labels():
    return entity_labels(load_base().entities)


@pytest.mark.parametrize(
    ("question", "intent", "period", "future", "source", "target"),
    [
        (
            "when did Vietnam and Kazakhstan establish diplomatic relations?",
            Intent.when,
            None,
            False,
            None,
            None,
        ),
        ("Việt Nam gia nhập ASEAN năm nào?", Intent.when, None, False, None, None),
        ("bao giờ Tô Lâm thăm Kazakhstan", Intent.when, None, False, "to-lam", "kazakhstan"),
        ("how much was trade in 2021?", Intent.how_much, "2021", False, None, None),
        ("How many direct flights a week?", Intent.how_many, None, False, None, None),
        ("kim ngạch thương mại năm 2021 là bao nhiêu", Intent.how_much, "2021", False, None, None),
        ("có mấy chuyến bay thẳng mỗi tuần", Intent.how_many, None, False, None, None),
        ("how much did Kazakhstan export to Vietnam?", Intent.how_much, None, False, "kazakhstan", "vietnam"),
        (
            "Việt Nam nhập khẩu từ Kazakhstan bao nhiêu?",
            Intent.how_much,
            None,
            False,
            "kazakhstan",
            "vietnam",
        ),
        ("how much did trade grow in 2021?", Intent.growth, "2021", False, None, None),
        ("Kazakhstan đứng thứ mấy về trữ lượng urani?", Intent.rank, None, False, None, None),
        ("where does Kazakhstan rank in uranium reserves?", Intent.rank, None, False, None, None),
        ("where was the 6th CICA summit held?", Intent.where, None, False, None, None),
        ("who is the Kazakh ambassador to Vietnam?", Intent.who, None, False, "kazakhstan", "vietnam"),
        ("when will Tokayev visit Vietnam?", Intent.when, None, True, "kassym-jomart-tokayev", "vietnam"),
        ("trade in the first quarter of 2025", Intent.what, "2025-01/2025-03", False, None, None),
        ("kim ngạch 3 tháng đầu năm 2025", Intent.what, "2025-01/2025-03", False, None, None),
        ("thương mại quý I/2025", Intent.what, "2025-01/2025-03", False, None, None),
        ("trade in June 2022", Intent.what, "2022-06", False, None, None),
        ("trade in May 2025", Intent.what, "2025-05", False, None, None),  # unmarked 'may' is the month
    ],
)
def test_reading_the_question(
    labels,
    question: str,
    intent: Intent,
    period: str | None,
    future: bool,
    source: str | None,
    target: str | None,
) -> None:
    q = parse(question, labels)
    assert (q.intent, q.period.text if q.period else None, q.future, q.source, q.target) == (
        intent,
        period,
        future,
        source,
        target,
    )


def test_an_ordinal_must_be_the_facts_own(labels) -> None:
    assert parse("when was AMM-55 held?", labels).numbers == ("55",)
    assert parse("Hội nghị lần thứ 55 diễn ra khi nào?", labels).numbers == ("55",)
    assert parse("when was the 55th AMM held?", labels).numbers == ("55",)


def _ask(invoke: Invoke, question: str, *args: str) -> tuple[int, dict]:
    result = invoke("ask", question, "-f", "json", *args)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("question", "fact", "answer"),
    [
        (
            "when did Vietnam and Kazakhstan establish diplomatic relations?",
            "vn-kz/diplomatic-relations/established",
            "29 June 1992",
        ),
        (
            "how much was bilateral trade between Vietnam and Kazakhstan in 2021?",
            "vn-kz/bilateral-trade/2021",
            "426.1 million USD (+11.6% vs 2020), 2021",
        ),
        (
            "how much did Kazakhstan export to Vietnam?",
            "vn-kz/kz-exports-to-vn/2021",
            "81.3 million USD (+29.5% vs 2020), 2021",
        ),
        ("how much did trade grow in 2021?", "vn-kz/bilateral-trade/2021", "+11.6% on 2020, 2021"),
        (
            "how much was Vietnam–Kazakhstan trade in 2025?",
            "vn-kz/bilateral-trade/2025-q1",
            "146.3 million USD (+18.4% vs Jan–Mar 2024), Jan–Mar 2025 (not the whole of 2025)",
        ),
        ("when was ASEAN founded?", "asean/establishment/1967", "1967"),  # not the 55th anniversary (2022)
        (
            "How much were Vietnam's imports from Kazakhstan in 2021?",
            "vn-kz/kz-exports-to-vn/2021",
            "81.3 million USD (+29.5% vs 2020), 2021",
        ),
        (
            "Which Vietnamese prime minister visited Kazakhstan in 2009?",
            "vn-kz/visit/2009-nguyen-tan-dung-to-kazakhstan",
            "Nguyen Tan Dung (Prime Minister of Vietnam (2009))",
        ),
        (
            "When is the 6th CICA Summit?",
            "vn-kz/meeting/2022-cica-6th-summit-nur-sultan",
            "October 2022 (planned)",
        ),
        ("Where was ARF-28 held?", "asean/meeting/2021-arf-28", "online, Aug 2021"),
        (
            "Which countries co-chair Mekong–Japan cooperation?",
            "mekong-jp/chair/2025-vietnam-japan-co-chairs",
            "Vietnam and Japan",
        ),
        (
            "For which year was President Nguyen Xuan Phuc invited to make a state visit to Kazakhstan?",
            "vn-kz/visit/2022-nguyen-xuan-phuc-to-kazakhstan-invited",
            "2022 (planned)",
        ),
        (
            "Who visited Vietnam in 2011?",
            "vn-kz/visit/2011-nazarbayev-to-vietnam",
            "Nursultan Nazarbayev (President of Kazakhstan (2011, 2012))",
        ),
    ],
)
def test_answers_with_the_fact_that_answers(invoke: Invoke, question: str, fact: str, answer: str) -> None:
    code, record = _ask(invoke, question)
    assert code == 0 and record["answered"] is True
    assert record["fact"]["id"] == fact and record["answer"]["text"] == answer


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("how much was Vietnam–Kazakhstan trade in 2023?", "period"),  # 2023 is only the 2024 figure's `vs`
        ("how much was Vietnam–Kazakhstan trade in 2020?", "period"),
        ("kim ngach thuong mai viet nam kazakhstan ca nam 2025 bao nhieu", "whole"),  # only Jan–Mar is known
        ("how much oil does Vietnam have?", "subject"),
        ("how many members does ASEAN have?", "metric"),  # the base counts only its founding members
        ("when was the 56th AMM held?", "ordinal"),  # the base has the 54th, 55th and 58th
        ("when did Nguyen Xuan Phuc visit Kazakhstan?", "planned"),  # only an invitation
        ("Who is Vietnam's ambassador to Kazakhstan?", "direction"),  # the base knows Kazakhstan's to Vietnam
        ("When did President Tokayev visit Vietnam?", "direction"),
        ("how much money did Kazakh tourists spend in Vietnam in 2024?", "unit"),
        (
            "How many visitors from Vietnam went to Kazakhstan in 2024?",
            "direction",
        ),  # only Kazakh visitors to Vietnam
        ("How much did Vietnam export to Kazakhstan in 2024?", "period"),  # only 2021
        ("What was ASEAN's GDP in 2020?", "period"),
        (
            "Who is the president of Kazakhstan?",
            "office held by two",
        ),  # Nazarbayev (2011–12), Tokayev (2022–25)
        ("When did Vietnam and Japan establish diplomatic relations?", "relation"),
        ("When did To Lam visit Russia?", "destination"),
        ("kim ngạch thương mại Việt Nam - Nhật Bản năm 2024 là bao nhiêu?", "relation"),
        ("What rank is Vietnam in uranium reserves?", "subject"),  # Kazakhstan's rank
        ("hoi nghi cap cao mekong nhat ban da duoc noi lai khi nao", "planned"),  # 'đã' typed without marks
        ("Nguyễn Xuân Phúc thăm Kazakhstan khi nào?", "invitation"),
    ],
)
def test_refuses_what_the_base_does_not_hold(invoke: Invoke, question: str, why: str) -> None:
    code, record = _ask(invoke, question)
    assert code == 1, f"{why}: answered with {record['fact'] and record['fact']['id']}"
    assert record["answered"] is False and record["answer"] is None and record["fact"] is None


def test_who_answers_with_the_person_and_a_fact_that_names_them(invoke: Invoke) -> None:
    code, record = _ask(invoke, "who is the Kazakh ambassador to Vietnam?")
    assert code == 0
    assert (
        record["answer"]["text"]
        == "Yerlan Baizhanov (Ambassador Extraordinary and Plenipotentiary of Kazakhstan to Vietnam (2022))"
    )
    assert (
        record["answer"]["person"] == "yerlan-baizhanov" and "yerlan-baizhanov" in record["fact"]["entities"]
    )


def test_one_json_schema_for_both_outcomes(invoke: Invoke) -> None:
    _, yes = _ask(invoke, "when did Vietnam and Kazakhstan establish diplomatic relations?")
    _, no = _ask(invoke, "when did Vietnam and Brazil establish diplomatic relations?")
    shared = {"question", "intent", "answered", "answer", "fact", "candidates"}
    assert shared <= set(yes) and shared <= set(no)
    assert set(yes["answer"]) == {
        "text",
        "date",
        "value",
        "partial",
        "period",
        "person",
        "actors",
        "place",
        "disputed_by",
    }
    assert yes["answer"]["disputed_by"] == []
    assert yes["answer"]["date"] == "1992-06-29" and yes["answer"]["value"] is None
    assert no["candidates"] and all("id" in c for c in no["candidates"])


def test_explain_says_why_each_fact_did_or_did_not_answer(invoke: Invoke) -> None:
    _, record = _ask(invoke, "how much was Vietnam–Kazakhstan trade in 2023?", "--explain")
    reasons = {v["id"]: v["why"] for v in record["explain"]}
    assert "period 2024 is not within 2023" in reasons["vn-kz/bilateral-trade/2024"]
    table = invoke("ask", "how much was Vietnam–Kazakhstan trade in 2023?", "--explain", "-f", "tsv")
    assert table.exit_code == 1
    assert "dipfacts ask: vn-kz/bilateral-trade/2024: no: period 2024 is not within 2023" in table.stderr


def test_when_prints_the_date_then_the_citation(invoke: Invoke) -> None:
    result = invoke(
        "ask",
        "when did Vietnam and Kazakhstan establish diplomatic relations?",
        "-f",
        "table",
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 0 and result.stderr == ""
    (line,) = result.stdout.splitlines()
    assert line.startswith("29 June 1992 — Vietnam and Kazakhstan established diplomatic relations")
    assert "vov-2012-kz: VOV, c. Sep 2012" in line and "dcsvn-2022-kz:" in line


def test_when_in_vietnamese(invoke: Invoke) -> None:
    result = invoke(
        "ask", "Việt Nam và Kazakhstan thiết lập quan hệ ngoại giao khi nào?", "--lang", "vi", "-f", "tsv"
    )
    answer, fid, text, citation = result.stdout.rstrip("\n").split("\t")
    assert (answer, fid) == ("29/6/1992", "vn-kz/diplomatic-relations/established")
    assert "Việt Nam và Kazakhstan" in text and "khoảng tháng 9/2012" in citation


def test_how_much_in_vietnamese_unaccented(invoke: Invoke) -> None:
    out = invoke(
        "ask", "kim ngach thuong mai Viet Nam Kazakhstan nam 2024 bao nhieu", "--lang", "vi", "-f", "tsv"
    ).stdout
    assert out.split("\t")[:2] == [
        "hơn 800 triệu USD (+100% so với 2023), 2024",
        "vn-kz/bilateral-trade/2024",
    ]


def test_csv_has_a_header(invoke: Invoke) -> None:
    rows = list(
        csv.reader(io.StringIO(invoke("ask", "when did To Lam visit Kazakhstan", "-f", "csv").stdout))
    )
    assert rows[0] == ["answer", "id", "text", "citation"] and rows[1][0] == "May 2025"


def test_refuses_when_a_word_matches_nothing_and_lists_the_closest(invoke: Invoke) -> None:
    result = invoke("ask", "when did Vietnam and Brazil establish diplomatic relations?", "-f", "tsv")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "dipfacts ask: no fact answers 'when did Vietnam and Brazil establish diplomatic relations?': "
    )
    assert (
        result.stderr.rstrip("\n").endswith("the closest facts follow")
        and len(result.stderr.splitlines()) == 1
    )
    closest = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert len(closest) == 3 and "vn-kz/diplomatic-relations/established" in closest


def test_ask_unknown_relation_is_an_error(invoke: Invoke) -> None:
    result = invoke("ask", "when", "-r", "narnia")
    assert result.exit_code == 2 and result.stdout == "" and "unknown relation 'narnia'" in result.stderr
