"""`dipfacts check`: the base validates and every quote is verbatim in its article."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ARTICLES, MINI, Invoke
from dipfacts.base.check import check_base
from dipfacts.base.files import display
from dipfacts.base.load import load_base


def test_builtin_base_quotes_are_all_verified(invoke: Invoke, seeds: Path) -> None:
    result = invoke("check", "--sources-dir", str(seeds), "-f", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.stderr
    assert report["ok"] is True and report["problems"] == []
    assert report["citations"] == report["citations_verified"] > 0 and report["citations_unverified"] == 0
    assert report["sources"] == 5 and report["unverified_sources"] == []


def test_builtin_check_summary_for_people(invoke: Invoke, seeds: Path) -> None:
    result = invoke("check", "--sources-dir", str(seeds), "-f", "table")
    base = load_base()
    n = sum(len(f.citations) for f in base.facts)
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"ok: {len(base.facts)} facts, 5 sources, {len(base.relations)} relations, "
        f"{len(base.entities)} entities; "
    )
    assert f"{n} of {n} citations verified verbatim against" in result.stdout
    assert result.stderr == ""


def test_check_without_sources_dir_says_no_quote_was_verified(invoke: Invoke) -> None:
    n = sum(len(f.citations) for f in load_base().facts)
    table = invoke("check", "-f", "table")
    assert table.exit_code == 0 and table.stderr == ""
    assert table.stdout.rstrip().endswith(
        f"; no quote verified: give --sources-dir to check the {n} citations against their articles"
    )
    tsv = invoke("check", "-f", "tsv")
    assert tsv.exit_code == 0
    rows = dict(line.split("\t") for line in tsv.stdout.splitlines())
    assert "ok" not in rows  # the exit status says it; the rows are figures
    assert (rows["citations"], rows["citations_verified"], rows["citations_unverified"]) == (
        str(n),
        "0",
        str(n),
    )
    assert tsv.stderr == (
        "dipfacts check: no quote verified: "
        f"give --sources-dir to check the {n} citations against their articles\n"
    )
    report = json.loads(invoke("check", "-f", "json").stdout)
    assert report["ok"] is True and report["citations_verified"] == 0 and report["citations_unverified"] == n
    assert {u["reason"] for u in report["unverified_sources"]} == {"no --sources-dir given"}


def test_mini_base_verifies(tmp_path: Path) -> None:
    report = check_base(load_base([MINI], builtin=False), [ARTICLES])
    assert (report.citations, report.verified, report.problems) == (3, 3, ())


def test_quotes_compare_after_nfc_and_white_space_only(tmp_path: Path) -> None:
    import unicodedata

    text = (MINI / "base.toml").read_text()
    nfd = unicodedata.normalize("NFD", "Hai nước Miniland và Testonia thiết lập quan hệ")
    text = text.replace("Hai nước Miniland và Testonia thiết lập quan hệ", nfd.replace(" ", "   "))
    (tmp_path / "base.toml").write_text(text)
    report = check_base(load_base([tmp_path], builtin=False), [ARTICLES])
    assert report.problems == () and report.verified == 3


def test_a_changed_quote_is_caught_with_file_line_and_id(invoke: Invoke, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, "base")
    text = Path("base/base.toml").read_text().replace("tăng 4% so với năm 2019", "tăng 4 % so với năm 2019")
    Path("base/base.toml").write_text(text)
    result = invoke("check", "--facts", "base", "--sources-dir", str(ARTICLES))
    lines = result.stderr.splitlines()
    assert result.exit_code == 2
    assert (
        "base/base.toml:70: fact 'mini-rel/trade/2020': quote not found verbatim in source 'mini-src': "
        "'Năm 2020, kim ngạch thương mại song phương đạt 12,5 triệu...'; it differs at character 70: "
        "quote '…đạt 12,5 triệu USD, tăng 4 % so với năm 2019.', "
        "article '…đạt 12,5 triệu USD, tăng 4% so với năm 2019. Miniland…'"
    ) in lines
    # The built-in sources' articles are not in ARTICLES: not verified, which is no problem.
    assert not any("not found in" in line for line in lines)
    assert lines[-1] == "dipfacts: error: 1 problem in the fact base"


# --- verifying what it can ---------------------------------------------------------------------

BUILTIN_SOURCES = ["amm58-2025-plus1", "dcsvn-2022-kz", "tgvn-2022-amm55", "tgvn-2025-kz", "vov-2012-kz"]


def test_own_base_against_own_articles_verifies_its_quotes_and_passes(invoke: Invoke) -> None:
    """ARTICLES holds only the mini base's article: its quotes are verified, the built-in ones
    are reported as not verified, naming their sources and why, and the base is sound."""
    n = sum(len(f.citations) for f in load_base().facts)
    report = json.loads(
        invoke("check", "--facts", str(MINI), "--sources-dir", str(ARTICLES), "-f", "json").stdout
    )
    assert report["ok"] is True and report["problems"] == []
    assert (report["citations"], report["citations_verified"], report["citations_unverified"]) == (
        n + 3,
        3,
        n,
    )
    assert [u["source"] for u in report["unverified_sources"]] == BUILTIN_SOURCES
    assert {u["reason"] for u in report["unverified_sources"]} == {"article not in the given folders"}
    assert sum(u["citations"] for u in report["unverified_sources"]) == n
    assert report["unverified_sources"][-1]["file"] == "002_6e178449dc3f2a60.txt"

    table = invoke("check", "--facts", str(MINI), "--sources-dir", str(ARTICLES), "-f", "table")
    assert table.exit_code == 0 and table.stderr == ""
    assert (
        f"; 3 of {n + 3} citations verified verbatim against {display(ARTICLES)}; {n} not verified: "
        f"the articles of {', '.join(BUILTIN_SOURCES)} not in the given folder"
    ) in table.stdout
    tsv = invoke("check", "--facts", str(MINI), "--sources-dir", str(ARTICLES))
    assert tsv.exit_code == 0 and "citations_unverified\t" + str(n) in tsv.stdout.splitlines()
    assert (
        tsv.stderr.startswith(f"dipfacts check: 3 of {n + 3} citations verified verbatim")
        and "vov-2012-kz not in the given folder" in tsv.stderr
    )


def test_strict_makes_every_unverified_citation_an_error(invoke: Invoke) -> None:
    result = invoke("check", "--facts", str(MINI), "--sources-dir", str(ARTICLES), "--strict")
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    for sid in BUILTIN_SOURCES:
        assert any(
            f"source '{sid}': " in line
            and "citations not verified: article file '" in line
            and line.endswith(f"not found in {display(ARTICLES)} (--strict)")
            for line in lines
        ), (sid, lines)
    assert lines[-1] == "dipfacts: error: 5 problems in the fact base"


def test_strict_passes_when_every_quote_is_verified(invoke: Invoke, seeds: Path) -> None:
    result = invoke(
        "check",
        "--facts",
        str(MINI),
        "--sources-dir",
        str(seeds),
        "--sources-dir",
        str(ARTICLES),
        "--strict",
        "-f",
        "table",
    )
    assert result.exit_code == 0, result.stderr
    assert (
        f"verified verbatim against {display(seeds)}, {display(ARTICLES)}" in result.stdout
        and "not verified" not in result.stdout
    )


def test_a_source_without_file_is_not_verified_and_fails_strict(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(
        (MINI / "base.toml").read_text().replace('file = "mini-article.txt"\n', "")
    )
    report = json.loads(
        invoke("check", "--facts", str(tmp_path), "--sources-dir", str(ARTICLES), "-f", "json").stdout
    )
    assert {"source": "mini-src", "file": None, "citations": 3, "reason": "no article file"} in report[
        "unverified_sources"
    ]
    assert report["ok"] is True
    strict = invoke("check", "--facts", str(tmp_path), "--sources-dir", str(ARTICLES), "--strict")
    assert strict.exit_code == 2
    assert (
        f"{display(tmp_path / 'base.toml')}:3: source 'mini-src': 3 citations not verified: "
        "the source names no article 'file' (--strict)"
    ) in strict.stderr.splitlines()


def test_loader_problems_and_quote_problems_come_in_one_run(
    invoke: Invoke, tmp_path: Path, monkeypatch
) -> None:
    """An unknown key no longer hides the quotes: those of the facts that loaded, of a fact that
    did not (its own key is wrong), and of a source that did not (an unknown key in it) are all
    verified, and every problem is reported at once."""
    monkeypatch.chdir(tmp_path)
    text = (MINI / "base.toml").read_text()
    text = text.replace(
        'file = "mini-article.txt"', 'file = "mini-article.txt"\nacessed = "2021-03-05"'
    )  # a typo in the source
    text = text.replace(
        'topics = ["diplomacy"]', 'topics = ["diplomacy"]\ntopic = "visit"'
    )  # a typo in the first fact...
    text = text.replace('ngoại giao ngày 2/1/2001."', 'ngoại giao ngày 2/1/2002."')  # ... whose quote drifted
    text = text.replace("đạt 12,5 triệu USD", "đạt khoảng 12,5 triệu USD")  # another fact's quote drifted
    Path("base.toml").write_text(text)
    result = invoke("check", "--facts", "base.toml", "--sources-dir", str(ARTICLES))
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    expected = [
        "base.toml:11: source 'mini-src': unknown key 'acessed' (did you mean 'accessed'?)",
        "base.toml:52: fact 'mini-rel/relations-established': unknown key 'topic' (did you mean 'topics'?)",
        "base.toml:72: fact 'mini-rel/trade/2020': source 'mini-src' did not load (see base.toml:3)",
        "base.toml:85: fact 'mini-rel/markup': source 'mini-src' did not load (see base.toml:3)",
    ]
    assert lines[:4] == expected
    assert any(
        line.startswith("base.toml:57: fact 'mini-rel/relations-established': quote not found verbatim")
        and "differs at character 72" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("base.toml:72: fact 'mini-rel/trade/2020': quote not found verbatim")
        and "differs at character 48" in line
        for line in lines
    ), lines
    assert lines[-1] == "dipfacts: error: 6 problems in the fact base"
    # Every other command stays strict: it answers from no broken base, and checks no quote.
    exported = invoke("export", "--facts", "base.toml")
    assert exported.exit_code == 2 and exported.stdout == ""
    assert exported.stderr.splitlines()[:4] == expected and "quote not found" not in exported.stderr


def test_json_reports_a_broken_base_with_its_problems(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text((MINI / "base.toml").read_text().replace("tăng 4%", "tăng 5%"))
    result = invoke("check", "--facts", str(tmp_path), "--sources-dir", str(ARTICLES), "-f", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert (
        report["ok"] is False
        and len(report["problems"]) == 1
        and "differs at character" in report["problems"][0]
    )
    assert report["citations_verified"] == 2


# --- where a drifted quote differs ----------------------------------------------------------------


def test_a_deep_mismatch_is_located_where_the_quote_and_the_article_part(tmp_path: Path) -> None:
    """A word added 47 characters in: the alignment of the closest span starts a character early,
    and comparing from there said 'character 1'."""
    (tmp_path / "base.toml").write_text(
        (MINI / "base.toml").read_text().replace("đạt 12,5 triệu USD", "đạt khoảng 12,5 triệu USD")
    )
    report = check_base(load_base([tmp_path], builtin=False), [ARTICLES])
    (problem,) = report.problems
    assert problem.line == 70 and problem.item == "fact 'mini-rel/trade/2020'"
    assert problem.message.endswith(
        "; it differs at character 48: "
        "quote '…thương mại song phương đạt khoảng 12,5 triệu USD, tăng…', "
        "article '…thương mại song phương đạt 12,5 triệu USD, tăng 4% so…'"
    )


ARTICLE = (
    "Mở đầu. Hai nước Miniland và Testonia thiết lập quan hệ ngoại giao ngày 2/1/2001 tại thủ đô. Kết thúc."
)
ORIGINAL = "Hai nước Miniland và Testonia thiết lập quan hệ ngoại giao ngày 2/1/2001 tại thủ đô."


@pytest.mark.parametrize(
    ("quote", "at"),
    [
        (ORIGINAL.replace("ngoại giao", "ngoại  giao").replace("  ", " x "), 55),  # a word added deep inside
        (ORIGINAL.replace("Testonia", "Testnia"), 26),  # a letter lost
        (ORIGINAL.replace("Testonia", "Testtonia"), 26),  # a letter doubled
        (ORIGINAL.replace("2/1/2001", "2/1/2011"), 71),  # a digit changed
        ("Hi nước Miniland và Testonia thiết lập quan hệ ngoại giao", 2),  # at the very start
        ("X" + ORIGINAL, 1),  # something before it
        (ORIGINAL[:-1] + " vào buổi sáng.", 84),  # more at the end
    ],
)
def test_locate_finds_the_first_difference(quote: str, at: int) -> None:
    from dipfacts.base.check import locate

    found = locate(quote, ARTICLE)
    assert found is not None and found.at + 1 == at, found
    assert quote[: found.at] == ARTICLE[ARTICLE.index(quote[: found.at] or "Hai") :][: found.at]


def test_locate_gives_up_on_a_quote_like_nothing_in_the_article() -> None:
    from dipfacts.base.check import locate

    assert locate("Một câu hoàn toàn khác, không có trong bài.", ARTICLE) is None
