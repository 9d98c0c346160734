"""`dipfacts cite`: a fact's sources in the formats reference managers read."""

from __future__ import annotations

import json

import pytest

from conftest import Invoke

TRADE = "vn-kz/bilateral-trade/2021"
ESTABLISHED = "vn-kz/diplomatic-relations/established"


def test_csl_json_is_an_array_of_newspaper_articles(invoke: Invoke) -> None:
    result = invoke("cite", TRADE, "-f", "csl-json")
    assert result.exit_code == 0 and result.stderr == ""
    (item,) = json.loads(result.stdout)
    assert (
        item["type"] == "article-newspaper" and item["id"] == "dcsvn-2022-kz"
    )  # the CSL schema's required fields
    assert item["title"] == "Thúc đẩy quan hệ Việt Nam - Kazakhstan ngày càng đi vào chiều sâu"
    assert item["container-title"] == "Báo điện tử Đảng Cộng sản Việt Nam (ĐCSVN)"
    assert item["issued"] == {"date-parts": [[2022, 6, 27]]}
    assert item["language"] == "vi" and "426,1 triệu USD" in item["note"]
    assert "URL" not in item  # the base holds no URL for it: none is invented


def test_csl_json_keeps_an_approximate_date_as_circa(invoke: Invoke) -> None:
    items = json.loads(invoke("cite", ESTABLISHED).stdout)
    vov = next(i for i in items if i["id"] == "vov-2012-kz")
    assert vov["issued"] == {"date-parts": [[2012, 9]], "circa": True}


def test_sources_are_given_once_over_many_facts(invoke: Invoke) -> None:
    items = json.loads(invoke("cite", TRADE, ESTABLISHED, "-f", "csl-json").stdout)
    assert [i["id"] for i in items] == ["dcsvn-2022-kz", "vov-2012-kz"]
    assert items[0]["note"].count("“") == 2  # both facts' quotes from the one article


def test_bibtex_parses(invoke: Invoke) -> None:
    from pybtex.database import parse_string

    data = parse_string(invoke("cite", TRADE, ESTABLISHED, "-f", "bibtex").stdout, "bibtex")
    entry = data.entries["dcsvn-2022-kz"]
    assert entry.type == "online"
    assert entry.fields["journaltitle"] == "Báo điện tử Đảng Cộng sản Việt Nam (ĐCSVN)"
    assert entry.fields["date"] == "2022-06-27" and entry.fields["langid"] == "vietnamese"
    assert "11,6\\% so với" in entry.fields["note"]  # '%' escaped: it would start a TeX comment
    assert data.entries["vov-2012-kz"].fields["date"] == "2012-09~"


def test_ris_is_one_news_record_a_source(invoke: Invoke) -> None:
    out = invoke("cite", ESTABLISHED, "-f", "ris").stdout
    records = [r for r in out.split("ER  - ") if r.strip()]
    assert len(records) == 2 and all(r.strip().startswith("TY  - NEWS") for r in records)
    assert "DA  - 2022/06/27/" in out and "PY  - 2012" in out


def test_markdown_is_the_fact_with_its_footnotes(invoke: Invoke) -> None:
    out = invoke("cite", ESTABLISHED, "-f", "md").stdout
    assert out.startswith(
        "- Vietnam and Kazakhstan established diplomatic relations on 29 June 1992.[^1][^2]\n\n"
    )
    assert (
        "[^2]: Báo điện tử Đảng Cộng sản Việt Nam (ĐCSVN), "
        '"Thúc đẩy quan hệ Việt Nam - Kazakhstan ngày càng đi vào chiều sâu", 27 June 2022. '
        "“Kazakhstan và Việt Nam thiết lập quan hệ ngoại giao ngày 29/6/1992.”"
    ) in out


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex", "ris", "md"])
def test_an_unknown_id_is_one_line(invoke: Invoke, fmt: str) -> None:
    result = invoke("cite", "vn-kz/bilateral-trade/2012", "-f", fmt)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("dipfacts: error: unknown fact id 'vn-kz/bilateral-trade/2012'")


def test_md_lists_facts_with_footnotes_for_search_show_and_timeline(invoke: Invoke) -> None:
    out = invoke("timeline", "vn-kz", "--until", "1994", "-f", "md").stdout
    assert out.startswith(
        "- Kazakhstan declared its independence in 1991.[^1]\n"
        "- Vietnam and Kazakhstan established diplomatic relations on 29 June 1992.[^2][^3]\n"
    )
    assert "\n[^4]: VOV, " in out
    show = invoke("show", ESTABLISHED, "-f", "md").stdout
    assert show == invoke("cite", ESTABLISHED, "-f", "md").stdout
    assert invoke("search", "Kazakhstan trade", "-n", "1", "-f", "md").stdout.startswith("- ")


def test_md_answer_is_bold_then_the_fact_and_its_footnotes(invoke: Invoke) -> None:
    out = invoke("ask", "when did Vietnam and Kazakhstan establish diplomatic relations?", "-f", "md").stdout
    assert out.startswith(
        "**29 June 1992** — "
        "Vietnam and Kazakhstan established diplomatic relations on 29 June 1992.[^1][^2]\n\n"
        "[^1]: VOV, "
    )


def test_md_listing_is_a_table_and_text_is_shown_as_written(invoke: Invoke) -> None:
    out = invoke("relations", "-f", "md").stdout.splitlines()
    assert out[0] == "| id | name | facts | years |" and out[1] == "| --- | --- | --- | --- |"
    assert any(line.startswith("| vn-kz | Vietnam–Kazakhstan | ") for line in out)
    from dipfacts.render import md

    assert md("a *b* [c](d) | e <f>") == r"a \*b\* \[c\](d) \| e \<f\>"
