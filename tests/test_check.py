"""`dipfacts check`: the base validates and every quote is verbatim in its article."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import ARTICLES, MINI, Invoke
from dipfacts.check import check_base
from dipfacts.load import load_base


def test_builtin_base_quotes_are_all_verified(invoke: Invoke, seeds: Path) -> None:
    result = invoke("check", "--sources-dir", str(seeds), "-f", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.stderr
    assert report["ok"] is True and report["problems"] == []
    assert report["citations"] == report["citations_verified"] > 0
    assert report["sources"] == 5 and report["unverifiable_sources"] == []


def test_builtin_check_summary_for_people(invoke: Invoke, seeds: Path) -> None:
    result = invoke("check", "--sources-dir", str(seeds), "-f", "table")
    base = load_base()
    n = sum(len(f.citations) for f in base.facts)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"ok: {len(base.facts)} facts, 5 sources, {len(base.relations)} relations, {len(base.entities)} entities; ")
    assert f"{n} of {n} citations verified verbatim against" in result.stdout
    assert result.stderr == ""


def test_check_without_sources_dir_says_quotes_were_not_verified(invoke: Invoke) -> None:
    result = invoke("check", "-f", "tsv")
    assert result.exit_code == 0
    assert "ok\tTrue" in result.stdout.splitlines()
    assert "citations not verified: give --sources-dir" in result.stderr


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
    # The built-in sources' articles are not in ARTICLES: each is named as not found.
    lines = result.stderr.splitlines()
    assert result.exit_code == 2
    assert "base/base.toml:70: fact 'mini-rel/trade/2020': quote not found verbatim in source 'mini-src': 'Năm 2020, kim ngạch thương mại song phương đạt 12,5 triệu...'; it differs at character 70: quote ',5 triệu USD, tăng 4 % so với năm 2019.', article ',5 triệu USD, tăng 4% so với năm 2019. '" in lines
    assert any("source 'vov-2012-kz': article file '002_6e178449dc3f2a60.txt' not found in" in line for line in lines)
    assert lines[-1].startswith("dipfacts: error: ")
