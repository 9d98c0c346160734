"""`timeline` and `figures`: history order, dates for people, series, bars and partial periods."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import HISTORY, Invoke
from dipfacts.dates import human_date, parse_edtf

H = ("--facts", str(HISTORY))


def tsv_ids(stdout: str) -> list[str]:
    return [line.split("\t")[0] for line in stdout.splitlines()]


def test_timeline_orders_by_start_coarser_first_then_id(invoke: Invoke) -> None:
    result = invoke("timeline", "hist-rel", *H, "-f", "tsv")
    assert result.exit_code == 0 and result.stderr == ""
    assert tsv_ids(result.stdout) == [
        "hist/g-decade",  # 199X starts 1990-01-01
        "hist/f-approx",  # 1991~
        "hist/a-year",  # 1992, before the month and the day it contains
        "hist/b-month",  # 1992-06
        "hist/d-interval",  # 29 Jun–1 Jul: same first day as 29 Jun, longer, so first
        "hist/c-day",
        "hist/e-open-start",  # ../1992-06-30: placed at the one day it is known by
        "hist/trade-2011",
        "hist/trade-2021",
        "hist/trade-2024",
        "hist/i-open-end",  # 2024-03/..: placed at its start, the one day it is known by
        "hist/trade-2025-q1",
        "hist/rank-2025",
        "hist/h-planned",
    ]


def test_timeline_tsv_gives_human_dates_and_status(invoke: Invoke) -> None:
    rows = {r[0]: r for r in (line.split("\t") for line in invoke("timeline", "vn-hl", *H, "-f", "tsv").stdout.splitlines())}
    assert rows["hist/d-interval"][4] == "29 Jun–1 Jul 1992"
    assert rows["hist/trade-2025-q1"][4] == "Jan–Mar 2025"
    assert rows["hist/h-planned"][5] == "planned" and rows["hist/a-year"][5] == ""


def test_timeline_terminal_groups_by_year_marks_planned_and_cites(invoke: Invoke) -> None:
    out = invoke("timeline", "hist-rel", *H, "-f", "table", env={"COLUMNS": "200"}).stdout
    lines = out.splitlines()
    assert "1992" in lines and "2026" in lines  # a heading line per year
    assert lines.index("1992") < lines.index("2026")
    planned = next(line for line in lines if "summit" in line)
    assert "Mar 2026" in planned and "planned: A summit" in planned and "hist-src" in planned
    assert any("29 Jun–1 Jul 1992" in line for line in lines)
    assert all(line == line.rstrip() for line in lines)  # a pipe gets no padding


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "jsonl"])
def test_timeline_every_format(invoke: Invoke, fmt: str) -> None:
    result = invoke("timeline", "hist-rel", *H, "--kind", "event", "-f", fmt)
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    if fmt == "json":
        records = json.loads(out)
        assert records[0]["id"] == "hist/f-approx" and records[0]["when"] == "c. 1991"
        assert {r["kind"] for r in records} == {"event"}
    elif fmt == "jsonl":
        assert [json.loads(line)["id"] for line in out.splitlines()][-1] == "hist/h-planned"
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["id", "date", "text", "sources", "when", "status"] and len(rows) == 7
    elif fmt == "tsv":
        assert len(out.splitlines()) == 6
    else:
        assert "Contacts began around 1991." in out and "c. 1991" in out


def test_timeline_filters_by_date_topic_and_lang(invoke: Invoke) -> None:
    out = invoke("timeline", "hist-rel", *H, "--since", "2021", "--until", "2024", "-f", "tsv").stdout
    assert tsv_ids(out) == ["hist/trade-2021", "hist/trade-2024", "hist/i-open-end"]
    vi = invoke("timeline", "hist-rel", *H, "--until", "1991", "--lang", "vi", "-f", "tsv").stdout
    assert vi.splitlines()[1].split("\t")[2:5:2] == ["(vi) Contacts began around 1991.", "khoảng 1991"]


def test_timeline_unknown_relation_suggests_and_exits_2(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kx")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == "dipfacts: error: unknown relation 'vn-kx' (did you mean vn-kz?)"


def test_timeline_with_nothing_in_range_exits_1(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kz", "--since", "2090")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no facts of vn-kz match" in result.stderr


def test_timeline_vn_kz_reads_as_the_history(invoke: Invoke) -> None:
    rows = [line.split("\t") for line in invoke("timeline", "vn-kz", "-f", "tsv").stdout.splitlines()]
    ids = [r[0] for r in rows]
    assert ids.index("vn-kz/diplomatic-relations/established") < ids.index("vn-kz/strategic-partnership/established")
    established = rows[ids.index("vn-kz/diplomatic-relations/established")]
    assert established[4] == "29 Jun 1992" and established[3]
    assert all(r[3] for r in rows)  # every line cited


# --- dates open at one side (issue 13) ----------------------------------------------------------


def known_first_day(date: str) -> tuple[int, int, int]:
    """The first day a date can mean; for a date open at the start, its known end."""
    parsed = parse_edtf(date)
    day = parsed.lower or parsed.upper
    assert day is not None
    return day


def test_until_lists_no_fact_dated_after_it(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kz", "--until", "1995", "-f", "tsv")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(known_first_day(r[1]) <= (1995, 12, 31) for r in rows), [r[:2] for r in rows]
    assert "vn-kz/agreement/railways-mou" not in {r[0] for r in rows}  # ../2022-06-27 is 2022, not "any time"


def test_a_date_open_at_one_side_is_filtered_by_its_known_end(invoke: Invoke) -> None:
    def ids(*args: str) -> list[str]:
        return tsv_ids(invoke("timeline", "hist-rel", *H, "--kind", "state", *args, "-f", "tsv").stdout)

    # ../1992-06-30: known only by its end
    assert "hist/e-open-start" not in ids("--until", "1992-06-29")
    assert "hist/e-open-start" in ids("--until", "1992-06-30") and "hist/e-open-start" in ids("--since", "1992-06-30")
    assert "hist/e-open-start" not in ids("--since", "1992-07")
    # 2024-03/..: known only by its start, the day the timeline places it at
    assert "hist/i-open-end" not in ids("--since", "2025")
    assert "hist/i-open-end" in ids("--since", "2024-03") and "hist/i-open-end" in ids("--until", "2024-03")
    assert "hist/i-open-end" not in ids("--until", "2024-02")
    # search filters by the same rule
    found = invoke("search", "visa exemption", *H, "--since", "2025", "-f", "tsv")
    assert found.exit_code == 1 and "hist/i-open-end" not in found.stdout
    assert "hist/i-open-end" in invoke("search", "visa exemption", *H, "--since", "2024", "-f", "tsv").stdout
    assert "hist/e-open-start" not in invoke("search", "consulate", *H, "--until", "1992-06-29", "-f", "tsv").stdout


@pytest.mark.parametrize(
    ("edtf", "en", "long", "vi"),
    [
        ("1992-06-29", "29 Jun 1992", "29 June 1992", "29/6/1992"),
        ("2011-10", "Oct 2011", "October 2011", "tháng 10/2011"),
        ("1994", "1994", "1994", "1994"),
        ("2012-09-10/2012-09-11", "10–11 Sep 2012", "10–11 September 2012", "10–11/9/2012"),
        ("2025-01/2025-03", "Jan–Mar 2025", "January–March 2025", "tháng 1–3/2025"),
        ("2022-06-29/2022-07-01", "29 Jun–1 Jul 2022", "29 June–1 July 2022", "29/6–1/7/2022"),
        ("2008/2009", "2008–2009", "2008–2009", "2008–2009"),
        ("2012-09~", "c. Sep 2012", "c. September 2012", "khoảng tháng 9/2012"),
        ("199X", "1990s", "1990s", "thập niên 1990"),
        ("2025-21", "spring 2025", "spring 2025", "mùa xuân 2025"),
        ("../2022-06-27", "until 27 Jun 2022", "until 27 June 2022", "đến 27/6/2022"),
        ("2012/..", "from 2012", "from 2012", "từ 2012"),
        ("/2020", "?–2020", "?–2020", "?–2020"),
        ("2021?", "2021?", "2021?", "2021?"),
    ],
)
def test_dates_for_people_keep_their_precision(edtf: str, en: str, long: str, vi: str) -> None:
    date = parse_edtf(edtf)
    assert (human_date(date), human_date(date, long=True), human_date(date, "vi")) == (en, long, vi)


def test_figures_series_in_period_order_with_partial_and_comparators(invoke: Invoke) -> None:
    result = invoke("figures", "hist-rel", *H, "-f", "jsonl")
    assert result.exit_code == 0
    points = [json.loads(line) for line in result.stdout.splitlines()]
    trade = [p for p in points if p["metric"] == "trade"]
    assert [p["id"] for p in trade] == ["hist/trade-2011", "hist/trade-2021", "hist/trade-2024", "hist/trade-2025-q1"]
    assert [p["partial"] for p in trade] == [False, False, False, True]
    assert [p["comparator"] for p in trade] == ["~", "=", ">", "="]
    assert trade[2]["value"] == "> 800 million USD (+100% vs 2023)"
    assert trade[3]["value"] == "146.3 million USD (+18.4% vs Jan–Mar 2024)"
    assert points[0]["metric"] == "trade"  # the longest series first


def test_figures_terminal_draws_bars_labels_partial_and_skips_rank_bars(invoke: Invoke) -> None:
    out = invoke("figures", "hist-rel", *H, "-f", "table", env={"COLUMNS": "120"}).stdout
    lines = out.splitlines()
    bar = {label: line.count("█") + line.count("▒") for label in ("2011", "2021", "2024", "Jan–Mar 2025") for line in lines if line.strip().startswith(label)}
    assert bar["2011"] < bar["Jan–Mar 2025"] < bar["2021"] < bar["2024"]  # bars scale with the amount
    q1 = next(line for line in lines if "Jan–Mar 2025" in line)
    assert "(3 months)" in q1 and "▒" in q1 and "█" not in q1  # partial: labelled, lighter
    assert "▸" in next(line for line in lines if line.strip().startswith("2024"))  # '> 800 million'
    assert "426.1 million USD" in out and "~ 49 million USD" in out
    rank = next(line for line in lines if "no. 2" in line)
    assert "█" not in rank
    assert "sources: hist-src" in out


def test_figures_in_vietnamese_units_and_labels(invoke: Invoke) -> None:
    out = invoke("figures", "hist-rel", *H, "--lang", "vi", "-f", "table").stdout
    assert "426,1 triệu USD (+11,6% so với 2020)" in out
    assert "hơn 800 triệu USD" in out and "tháng 1–3/2025 (3 tháng)" in out and "thứ 2" in out


@pytest.mark.parametrize("fmt", ["tsv", "csv", "json"])
def test_figures_formats_and_metric_filter(invoke: Invoke, fmt: str) -> None:
    out = invoke("figures", "vn-kz", "--metric", "bilateral-trade", "-f", fmt).stdout
    if fmt == "json":
        assert [p["date"] for p in json.loads(out)] == ["2011", "2021", "2024", "2025-01/2025-03"]
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][:4] == ["metric", "date", "when", "value"] and len(rows) == 5
    else:
        assert [line.split("\t")[4] for line in out.splitlines()] == ["49000000", "426100000", "800000000", "146300000"]


def test_figures_unknown_metric_suggests(invoke: Invoke) -> None:
    result = invoke("figures", "vn-kz", "--metric", "trade")
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown metric 'trade' (did you mean bilateral-trade?)" in result.stderr


def test_figures_of_a_relation_without_figures_exits_1(invoke: Invoke) -> None:
    result = invoke("figures", "mekong-jp")
    assert result.exit_code == 1 and result.stdout == "" and "no figures of mekong-jp" in result.stderr
