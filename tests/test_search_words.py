"""Search keeps the words that matter (issue 13): which words a fact must match when none
matches them all, joined words with a plural, dates typed as the tool writes them, a
mistyped name, and the synonym table (facts/synonyms.toml, or an extra base's own)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Invoke
from dipfacts.base.load import load_base
from dipfacts.search.index import Index, build_index
from dipfacts.search.rank import search


@pytest.fixture(scope="module")
def index() -> Index:
    return build_index(load_base())


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def matched(record: dict) -> dict[str, dict]:
    """The --explain matches of one result, by the query word."""
    return {m["word"]: m for m in record["explain"]["matched"]}


# --- dropping words --------------------------------------------------------------------------------


def test_no_fact_holds_every_word_so_the_least_informative_is_dropped_and_the_results_fill_up(
    invoke: Invoke,
) -> None:
    """The issue's example: it ignored 'partners', 'comprehensive' and 'strategic' to keep
    'number', and gave one result. Facts matching three of the four words come first."""
    query = "number of strategic and comprehensive partners"
    result = invoke("search", query, "-n", "5", "-f", "jsonl")
    assert result.exit_code == 0
    assert result.stderr == f"dipfacts search: no fact matches every word of {query!r}; ignored 'number'\n"
    found = records(invoke("search", query, "-n", "5", "-f", "jsonl", "--explain").stdout)
    assert len(found) == 5  # -n is filled
    assert all(set(matched(r)) == {"strategic", "comprehensive", "partners"} for r in found[:3])
    assert (
        found[0]["id"] == "vn/strategic-comprehensive-partners/2025"
    )  # 'partnerships' in its text beats 'partner' in its metric


def test_facts_matching_other_words_as_many_follow_the_rarest(index: Index) -> None:
    """'ASEAN population and GDP': no fact has all three; the GDP fact (the rarest word) first,
    then the population fact, which also matches two words: both before any fact matching one."""
    hits = search(index, "ASEAN population and GDP", limit=5).hits
    assert [h.id for h in hits[:2]] == ["asean/gdp/2021", "asean/population/2021"]
    assert [h.dropped for h in hits[:2]] == [("population",), ("GDP",)]
    assert all(len(h.dropped) == 2 for h in hits[2:])


def test_the_words_tier_orders_every_result_and_dropped_names_the_words_a_fact_lacks(index: Index) -> None:
    """One rule (rank._level_key) orders the results of any query: for each one, its
    `dropped` is exactly the query words it does not match, and no result lacking a rarer
    word ranks above one lacking only commoner words."""
    from dipfacts.search.rank import _alt_docs, _level_key, _SetPostings, _word_order, parse_query

    for query in (
        "ASEAN Korea plan of action completion",
        "US investment ASEAN",
        "number of strategic and comprehensive partners",
    ):
        hits = search(index, query, limit=10).hits
        assert len(hits) == 10
        qwords = [q for q in parse_query(index, query) if not q.stop]
        p = _SetPostings(index)
        word_docs = [p.union([_alt_docs(p, a) for a in q.alternatives]) for q in qwords]
        order = _word_order(word_docs)
        keys = []
        for h in hits:
            mask = sum(1 << i for i, docs in enumerate(word_docs) if h.doc in docs)
            assert set(h.dropped) == {q.text for i, q in enumerate(qwords) if not mask >> i & 1}, (
                query,
                h.id,
            )
            keys.append(_level_key(mask, order))
        assert keys == sorted(keys), query


# --- joined words, dates, names --------------------------------------------------------------------


def test_a_joined_word_finds_its_halves_each_stemmed(invoke: Invoke) -> None:
    """'masterplans' splits where its stem 'masterplan' does; 'oilgas' only where each half is
    stemmed as a word of its own: 'gas' is no plural of 'ga', as the stem 'oilga' would have it."""
    for query, expected, term in [
        ("masterplans", "asean/master-plan-completion/2022", "master plan"),
        ("oilgas Kazakhstan mining", "vn-kz/economy/2012-mining-oil-gas-potential", "oil gas"),
    ]:
        (record,) = records(invoke("search", query, "-n", "1", "-f", "jsonl", "--explain").stdout)
        assert record["id"] == expected
        joined = matched(record)[query.split()[0]]
        assert (joined["term"], joined["how"], joined["typos"]) == (term, "split", 0)


def test_an_iso_date_finds_the_facts_of_that_day_and_month(invoke: Invoke) -> None:
    day = records(invoke("search", "1992-06-29", "-f", "jsonl", "--explain").stdout)
    assert [r["id"] for r in day] == ["vn-kz/diplomatic-relations/established"]  # the one fact of that day
    assert matched(day[0])["1992-06-29"] == {
        "word": "1992-06-29",
        "term": "1992-06-29",
        "how": "date",
        "typos": 0,
        "fields": ["meta"],
        "exact": False,
    }
    assert (
        records(invoke("search", "1992-06", "-f", "jsonl").stdout)[0]["id"]
        == "vn-kz/diplomatic-relations/established"
    )
    talks = records(invoke("search", "2025-05-06", "-f", "jsonl").stdout)
    assert talks[0]["id"] == "vn-kz/meeting/2025-05-06-to-lam-tokayev-talks"
    assert invoke("search", "1999-01-01").exit_code == 1  # no fact of that day: not the numbers 1999, 01, 01


def test_a_year_the_fact_is_dated_in_beats_a_year_it_mentions(index: Index) -> None:
    """'… trade 2024': the figure for 2024, not the first quarter of 2025 'up 18.4% on 2024'."""
    assert (
        search(index, "bilateral trade 2024 Vietnam Kazakhstan", limit=1).hits[0].id
        == "vn-kz/bilateral-trade/2024"
    )


def test_a_mistyped_name_finds_the_name_not_a_common_word(invoke: Invoke) -> None:
    """'To Lamm': Tô Lâm, not the verb làm; 'To' is part of the name the typo means."""
    found = records(invoke("search", "To Lamm", "-n", "5", "-f", "jsonl", "--explain").stdout)
    assert all("to-lam" in r["id"] or "To Lam" in r["text"] for r in found)
    words = matched(found[0])
    assert words["Lamm"]["term"] == "lam" and words["Lamm"]["how"] == "typo"
    assert words["To"]["term"] == "to"


def test_a_typo_as_near_to_a_name_as_to_a_common_word_means_the_name(index: Index) -> None:
    """'Sonn' is one letter from Sơn (Bùi Thanh Sơn) and from song (bilateral): the name wins,
    and the common word costs one typo more."""
    hits = search(index, "Sonn", limit=3).hits
    assert all(h.matches[0].term == "son" and h.typos == 1 for h in hits)
    assert hits[0].id == "vn-kz/diplomacy/2025-bui-thanh-son-interview-kazakh-press"


# --- synonyms --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # (Not figures: a figure is also found by its metric's names and aliases, facts/metrics.toml.)
        (
            "Truong Tan Sang trip Kazakhstan",
            "vn-kz/visit/2012-truong-tan-sang-to-kazakhstan",
        ),  # no fact says 'trip'
        ("Astana summit", "vn-kz/meeting/2022-cica-6th-summit-nur-sultan"),  # a synonym that is a phrase
        ("Vietnam EAEU trade deal", "vn-kz/trade/vn-eaeu-fta-boosted-trade"),
        ("Vietnam ties Kazakhstan 1992", "vn-kz/diplomatic-relations/established"),
    ],
)
def test_a_synonym_of_the_table_finds_the_fact(invoke: Invoke, query: str, expected: str) -> None:
    (record,) = records(invoke("search", query, "-n", "1", "-f", "jsonl", "--explain").stdout)
    assert record["id"] == expected
    how = {m["how"] for m in record["explain"]["matched"]}
    assert "synonym" in how
    assert all(
        m["typos"] == 1 for m in record["explain"]["matched"] if m["how"] == "synonym"
    )  # a synonym costs as a typo


@pytest.mark.parametrize(
    ("query", "expected", "word"),
    [
        # words no sentence, quote, id or synonym of these facts holds: only their metrics' names
        ("weekly nonstop flights Kazakhstan", "vn-kz/direct-flights/2025", "nonstop"),
        ("ASEAN economy quy mô kinh tế", "asean/gdp/2021", "kinh"),
        ("arrivals from Kazakhstan 2024", "vn-kz/kz-visitors-to-vn/2024", "arrivals"),
        ("chrome reserves Kazakhstan", "vn-kz/kz-chromium-reserves-rank/2012", "chrome"),
    ],
)
def test_a_figure_is_found_by_its_metrics_names(invoke: Invoke, query: str, expected: str, word: str) -> None:
    (record,) = records(invoke("search", query, "-n", "1", "-f", "jsonl", "--explain").stdout)
    assert record["id"] == expected
    (match,) = [m for m in record["explain"]["matched"] if m["word"] == word]
    assert match["how"] == "exact" and match["fields"] == ["meta"]


def test_a_fact_in_the_words_typed_ranks_before_one_in_synonyms(index: Index) -> None:
    """'established' is exact in the fact of 1992, a synonym ('establishment') in the anniversary's."""
    hits = search(index, "Kazakhstan ties established 1992", limit=3).hits
    assert hits[0].id == "vn-kz/diplomatic-relations/established"


def test_a_vietnamese_word_of_two_syllables_is_one_word(index: Index) -> None:
    """'xuất khẩu' (export) is not the 'xuất … khẩu' of 'xuất nhập khẩu' (trade)."""
    hit = search(index, "Kazakhstan xuất khẩu 2021", limit=10).hits[0]
    assert hit.id == "vn-kz/kz-exports-to-vn/2021"
    assert [m.word for m in hit.matches] == ["Kazakhstan", "xuất khẩu", "2021"]


SYNONYM_BASE = """
[[synonyms]]
words = ["capital city", "thủ đô"]

[[fact]]
id = "vn-kz/test/capital-city"
kind = "state"
date = "2025"
relations = ["vn-kz"]
text = "Astana is the capital city of Kazakhstan."
text_vi = "Astana là thủ đô của Kazakhstan."

[[fact.cite]]
source = "tgvn-2025-kz"
quote = "Astana"
"""


def test_an_extra_base_adds_its_own_synonyms(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "extra.toml").write_text(
        SYNONYM_BASE.replace('"thủ đô"', '"seat of government"'), encoding="utf-8"
    )
    result = invoke(
        "search", "seat of government", "--facts", str(tmp_path), "-n", "1", "-f", "jsonl", "--explain"
    )
    (record,) = records(result.stdout)
    assert record["id"] == "vn-kz/test/capital-city"
    assert matched(record)["seat of government"]["how"] == "synonym"
    without = invoke("search", "seat of government", "-n", "1", "-f", "jsonl")
    assert all(r["id"] != "vn-kz/test/capital-city" for r in records(without.stdout))


def test_the_synonyms_are_in_the_built_index(tmp_path: Path) -> None:
    """Built once with the base (a cache of an index without them is never read: the cache key
    holds the Index's field names), unaccented and stemmed as search reads words."""
    index = build_index(load_base())
    assert "synonyms" in Index.__dataclass_fields__
    assert "visitor" in index.synonyms["tourist"] and "khach du lich" in index.synonyms["tourist"]
    assert index.has_term("khach du lich")  # a phrase of the table is a term where its words stand together
