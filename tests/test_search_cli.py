"""`dipfacts search` through the CLI: formats, filters, stdin batches, explain, errors."""

from __future__ import annotations

import json
import re
import unicodedata

from conftest import MINI, Invoke

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def ids(stdout: str) -> list[str]:
    return [json.loads(line)["id"] for line in stdout.splitlines()]


def test_search_tsv_and_exit_0(invoke: Invoke) -> None:
    result = invoke("search", "Kazakhstan", "trade", "-n", "3")
    assert result.exit_code == 0 and result.stderr == ""
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(rows) == 3 and all(len(r) == 4 for r in rows)
    assert rows[0][0].startswith("vn-kz/bilateral-trade/")


def test_search_jsonl_has_the_fact_shape_and_a_score(invoke: Invoke) -> None:
    result = invoke("search", "426,1", "-f", "jsonl")
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == "vn-kz/bilateral-trade/2021"
    assert record["value"]["amount"] == 426_100_000
    assert isinstance(record["score"], float)


def test_same_answer_for_nfc_nfd_and_unaccented(invoke: Invoke) -> None:
    nfc = ids(invoke("search", "đối tác chiến lược", "-f", "jsonl", "-n", "5").stdout)
    nfd = ids(
        invoke("search", unicodedata.normalize("NFD", "đối tác chiến lược"), "-f", "jsonl", "-n", "5").stdout
    )
    bare = ids(invoke("search", "doi tac chien luoc", "-f", "jsonl", "-n", "5").stdout)
    assert nfc == nfd
    assert (
        "vn-kz/strategic-partnership/established" in nfc and "vn-kz/strategic-partnership/established" in bare
    )


def test_nothing_found_exits_1(invoke: Invoke) -> None:
    result = invoke("search", "zzzqqqxxx")
    assert (result.exit_code, result.stdout) == (1, "")


def test_filters_relation_alias_kind_and_dates(invoke: Invoke) -> None:
    result = invoke(
        "search", "trade", "-r", "kz", "--kind", "figure", "--since", "2021", "--until", "2024", "-f", "jsonl"
    )
    found = ids(result.stdout)
    assert set(found) == {
        "vn-kz/bilateral-trade/2021",
        "vn-kz/kz-exports-to-vn/2021",
        "vn-kz/vn-exports-to-kz/2021",
        "vn-kz/bilateral-trade/2024",
        "vn-kz/kz-gateway-market-consumers/2022",  # 'a trade gateway', dated 2022-06-27
    }
    q1 = ids(invoke("search", "trade", "-r", "vn-kz", "--since", "2025-03", "-f", "jsonl").stdout)
    assert "vn-kz/bilateral-trade/2025-q1" in q1 and "vn-kz/bilateral-trade/2024" not in q1


def test_entity_filter_accepts_an_alias_with_diacritics(invoke: Invoke) -> None:
    found = ids(invoke("search", "visit", "-e", "Tô Lâm", "-f", "jsonl").stdout)
    assert found and found[0] == "vn-kz/visit/2025-to-lam-to-kazakhstan"


def test_since_after_until_is_an_error(invoke: Invoke) -> None:
    result = invoke("search", "trade", "--since", "2024", "--until", "2021")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "dipfacts: error: --since 2024 is after --until 2021 (swap them)\n"


def test_bad_filter_values_suggest(invoke: Invoke) -> None:
    result = invoke("search", "trade", "-e", "Kazakstan")
    assert result.exit_code == 2 and "unknown entity 'Kazakstan' (did you mean kazakhstan?)" in result.stderr
    result = invoke("search", "trade", "--since", "29/6/1992")
    assert result.exit_code == 2 and "write day/month/year as 1992-06-29" in result.stderr
    result = invoke("search", "trade", "-n", "0")
    assert result.exit_code == 2 and "--limit" in result.stderr


def test_stdin_batch_adds_the_query(invoke: Invoke) -> None:
    result = invoke("search", "-", "-n", "1", "-f", "jsonl", input="US trade\n\nBiển Đông\n")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["query"], r["id"]) for r in records] == [
        ("US trade", "asean-us/bilateral-trade/2024"),
        ("Biển Đông", "asean/maritime/vietnam-east-sea-position"),
    ]


def test_explain_names_words_typos_and_fields(invoke: Invoke) -> None:
    result = invoke("search", "Kazakstan", "trde", "-n", "1", "-f", "json", "--explain")
    (record,) = json.loads(result.stdout)
    matched = {m["word"]: m for m in record["explain"]["matched"]}
    assert matched["Kazakstan"]["term"] == "kazakhstan" and matched["Kazakstan"]["typos"] == 1
    assert matched["trde"]["term"] == "trade" and matched["trde"]["how"] == "typo"
    assert set(record["explain"]["score"]) == {"words", "typos", "proximity", "field", "exactness", "bm25"}


def test_dropped_word_is_said_never_silent(invoke: Invoke) -> None:
    result = invoke("search", "Kazakhstan", "trade", "zzzqqqxxx", "-n", "2")
    assert result.exit_code == 0
    assert (
        result.stderr == "dipfacts search: no fact matches every word of 'Kazakhstan trade zzzqqqxxx'; "
        "ignored 'zzzqqqxxx'\n"
    )
    explained = invoke("search", "Kazakhstan", "trade", "zzzqqqxxx", "-n", "1", "-f", "json", "--explain")
    assert json.loads(explained.stdout)[0]["explain"]["dropped"] == ["zzzqqqxxx"]


def test_table_highlights_matched_words_and_lang(invoke: Invoke) -> None:
    plain = invoke("search", "thuong mai", "-r", "vn-kz", "-n", "1", "-f", "table", "--lang", "vi")
    assert "thương mại" in plain.stdout and not ANSI.search(plain.stdout)
    coloured = invoke(
        "search",
        "thuong mai",
        "-r",
        "vn-kz",
        "-n",
        "1",
        "-f",
        "table",
        "--lang",
        "vi",
        env={"FORCE_COLOR": "1"},
    )
    assert re.search(r"\x1b\[[0-9;]*1[;m][^\x1b]*thương", coloured.stdout)


def test_search_extra_base(invoke: Invoke) -> None:
    found = ids(invoke("search", "Miniland", "Testonia", "--facts", str(MINI), "-f", "jsonl").stdout)
    assert found[0] == "mini-rel/relations-established"
