"""`timeline` and `figures`: history order, dates for people, series, bars and partial periods."""

from __future__ import annotations

import csv
import functools
import io
import json

import pytest

from conftest import HISTORY, Invoke
from dipfacts.base.dates import as_of, human_date, parse_edtf
from dipfacts.base.load import load_base

H = ("--facts", str(HISTORY))


def tsv_ids(stdout: str) -> list[str]:
    return [line.split("\t")[0] for line in stdout.splitlines()]


def test_timeline_orders_by_start_coarser_first_then_id(invoke: Invoke) -> None:
    result = invoke("timeline", "hist-rel", *H, "--all", "-f", "tsv")
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
    rows = {
        r[0]: r
        for r in (
            line.split("\t")
            for line in invoke("timeline", "vn-hl", *H, "--all", "-f", "tsv").stdout.splitlines()
        )
    }
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
    out = invoke(
        "timeline", "hist-rel", *H, "--all", "--since", "2021", "--until", "2024", "-f", "tsv"
    ).stdout
    assert tsv_ids(out) == ["hist/trade-2021", "hist/trade-2024", "hist/i-open-end"]
    vi = invoke(
        "timeline", "hist-rel", *H, "--all", "--until", "1991", "--lang", "vi", "-f", "tsv"
    ).stdout.splitlines()
    assert vi[0].split("\t")[2:5:2] == ["(vi) Trade grew through the 1990s.", "tính đến thập niên 1990"]
    assert vi[1].split("\t")[2:5:2] == ["(vi) Contacts began around 1991.", "khoảng 1991"]


def test_timeline_unknown_relation_suggests_and_exits_2(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kx")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == "dipfacts: error: unknown relation 'vn-kx' (did you mean vn-kz?)"


def test_timeline_with_nothing_in_range_exits_1(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kz", "--since", "2090")
    assert result.exit_code == 1 and result.stdout == ""
    assert (
        result.stderr == "dipfacts timeline: no events of vn-kz match these options\n"
    )  # nor would anything else: no --all hint


def test_timeline_vn_kz_reads_as_the_history(invoke: Invoke) -> None:
    rows = [line.split("\t") for line in invoke("timeline", "vn-kz", "-f", "tsv").stdout.splitlines()]
    ids = [r[0] for r in rows]
    assert ids.index("vn-kz/diplomatic-relations/established") < ids.index(
        "vn-kz/strategic-partnership/established"
    )
    established = rows[ids.index("vn-kz/diplomatic-relations/established")]
    assert established[4] == "29 Jun 1992" and established[3]
    assert all(r[3] for r in rows)  # every line cited


# --- events by default; --all with states "as of"; dates open at one side (issue 13) ------------


@functools.cache
def builtin_facts() -> tuple:
    return tuple(load_base().facts)


def vn_kz_facts(kind: str | None = None) -> list:
    """vn-kz's facts as the base holds them, read without the CLI."""
    return [f for f in builtin_facts() if "vn-kz" in f.relations and (kind is None or f.kind == kind)]


def test_timeline_shows_the_events_by_default_planned_ones_marked(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kz", "-f", "tsv")
    assert result.exit_code == 0 and result.stderr == ""
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    events = vn_kz_facts("event")
    assert len(rows) == len(events) and {r[0] for r in rows} == {f.id for f in events}
    assert not {r[0] for r in rows} & {f.id for f in vn_kz_facts("state")}
    planned = {f.id for f in events if f.status == "planned"}
    assert planned and {r[0] for r in rows if r[5] == "planned"} == planned
    table = invoke("timeline", "vn-kz", "-f", "table", env={"COLUMNS": "300"}).stdout
    assert table.count("planned: ") == len(planned) and not any(
        line.lstrip().startswith("as of ") for line in table.splitlines()
    )


def test_timeline_all_shows_every_fact_states_as_of_their_article(invoke: Invoke) -> None:
    records = json.loads(invoke("timeline", "vn-kz", "--all", "-f", "json").stdout)
    assert len(records) == len(vn_kz_facts())
    for r in records:  # a state holds as of its date; everything else happened (or is planned) then
        if r["kind"] == "state":
            assert r["when"] == as_of(parse_edtf(r["date"])) and r["when"].startswith("as of ")
        else:
            assert r["when"] == human_date(parse_edtf(r["date"])) and not r["when"].startswith("as of")
    when = {r["id"]: r["when"] for r in records}
    assert when["vn-kz/diplomacy/kz-sees-vn-as-important-partner"] == "as of 27 Jun 2022"
    assert when["vn-kz/agreement/railways-mou"] == "until 27 Jun 2022"  # an event, open at the start
    tsv = {
        r[0]: r
        for r in (
            line.split("\t") for line in invoke("timeline", "vn-kz", "--all", "-f", "tsv").stdout.splitlines()
        )
    }
    assert tsv["vn-kz/diplomacy/kz-sees-vn-as-important-partner"][4] == "as of 27 Jun 2022"
    vi = {
        r[0]: r
        for r in (
            line.split("\t")
            for line in invoke("timeline", "vn-kz", "--all", "--lang", "vi", "-f", "tsv").stdout.splitlines()
        )
    }
    assert vi["vn-kz/diplomacy/kz-sees-vn-as-important-partner"][4] == "tính đến 27/6/2022"
    assert vi["vn-kz/diplomatic-relations/established"][4] == "29/6/1992"


def test_timeline_all_on_a_terminal_sets_states_apart_after_the_years_events(invoke: Invoke) -> None:
    lines = invoke(
        "timeline", "hist-rel", *H, "--all", "-f", "table", env={"COLUMNS": "200"}
    ).stdout.splitlines()
    consulate = next(n for n, line in enumerate(lines) if "A consulate had opened" in line)
    assert lines[consulate].lstrip().startswith("as of 30 Jun 1992 — A consulate had opened by 30 June 1992.")
    assert lines[consulate].startswith(" " * 10)  # not in the date column: that holds only what happened
    assert [line for line in lines[lines.index("1992") : lines.index("2011")] if line.strip()][-1] == lines[
        consulate
    ]
    assert any(line.lstrip().startswith("as of the 1990s — Trade grew") for line in lines)
    assert any(line.lstrip().startswith("as of Mar 2024 — A visa exemption") for line in lines)
    assert (
        sum(line.lstrip().startswith("as of ") for line in lines) == 3
    )  # the three states, and nothing else
    vi = invoke(
        "timeline", "hist-rel", *H, "--all", "--lang", "vi", "-f", "table", env={"COLUMNS": "200"}
    ).stdout
    assert "tính đến 30/6/1992 — (vi) A consulate" in vi
    # vn-kz's 2022: states dated 27 Jun follow the year's events, even those of later months
    kz = invoke(
        "timeline",
        "vn-kz",
        "--all",
        "--since",
        "2022",
        "--until",
        "2022",
        "-f",
        "table",
        env={"COLUMNS": "300"},
    ).stdout.splitlines()
    first_state = next(n for n, line in enumerate(kz) if line.lstrip().startswith("as of "))
    assert (
        kz[first_state - 1].startswith("  Oct 2022") and "planned: The 6th CICA Summit" in kz[first_state - 1]
    )
    assert all(line.lstrip().startswith("as of 27 Jun 2022 — ") for line in kz[first_state:])
    assert len(kz) - first_state == len(
        [f for f in vn_kz_facts("state") if f.date.upper and f.date.upper[0] == 2022]
    )


@pytest.mark.parametrize(
    ("edtf", "en", "vi"),
    [
        ("2022-06-27", "as of 27 Jun 2022", "tính đến 27/6/2022"),
        (
            "../2022-06-27",
            "as of 27 Jun 2022",
            "tính đến 27/6/2022",
        ),  # by its known end, never "as of until …"
        ("2026-01/..", "as of Jan 2026", "tính đến tháng 1/2026"),
        ("2022", "as of 2022", "tính đến năm 2022"),
        ("2025-05~", "as of c. May 2025", "tính đến khoảng tháng 5/2025"),
        ("199X", "as of the 1990s", "tính đến thập niên 1990"),
        ("2013/2015", "as of 2013–2015", "tính đến 2013–2015"),
    ],
)
def test_a_state_reads_as_of_its_date(edtf: str, en: str, vi: str) -> None:
    assert (as_of(parse_edtf(edtf)), as_of(parse_edtf(edtf), "vi")) == (en, vi)


def test_timeline_kind_state_lists_only_states_as_of(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kz", "--kind", "state", "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
    records = json.loads(result.stdout)
    assert {r["id"] for r in records} == {f.id for f in vn_kz_facts("state")}
    assert all(r["when"].startswith("as of ") for r in records)
    figures = json.loads(invoke("timeline", "vn-kz", "--kind", "figure", "-f", "json").stdout)
    assert {r["id"] for r in figures} == {f.id for f in vn_kz_facts("figure")}


def test_timeline_all_with_kind_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("timeline", "vn-kz", "--all", "--kind", "event")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "dipfacts: error: --all and --kind cannot be used together "
        "(--all shows every kind; --kind one of them)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--since", "2011", "--until", "2011"),
            "no events of hist-rel match these options; --all shows 1 more fact (1 figure)",
        ),
        (
            ("--since", "2024", "--until", "2024"),
            "no events of hist-rel match these options; --all shows 2 more facts (1 figure, 1 state)",
        ),
        (
            ("--kind", "state", "--since", "2026"),
            "no states of hist-rel match these options; without --kind, --all shows 1 more fact (1 event)",
        ),
        (("--all", "--since", "2027"), "no facts of hist-rel match these options"),
    ],
)
def test_timeline_with_nothing_to_show_says_what_all_would(
    invoke: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = invoke("timeline", "hist-rel", *H, *args)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"dipfacts timeline: {message}\n"


def known_first_day(date: str) -> tuple[int, int, int]:
    """The first day a date can mean; for a date open at the start, its known end."""
    parsed = parse_edtf(date)
    day = parsed.lower or parsed.upper
    assert day is not None
    return day


@pytest.mark.parametrize("every", [(), ("--all",)])
def test_until_lists_no_fact_dated_after_it(invoke: Invoke, every: tuple[str, ...]) -> None:
    result = invoke("timeline", "vn-kz", "--until", "1995", *every, "-f", "tsv")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(known_first_day(r[1]) <= (1995, 12, 31) for r in rows), [r[:2] for r in rows]
    assert "vn-kz/agreement/railways-mou" not in {r[0] for r in rows}  # ../2022-06-27 is 2022, not "any time"


def test_a_date_open_at_one_side_is_filtered_by_its_known_end(invoke: Invoke) -> None:
    def ids(*args: str) -> list[str]:
        return tsv_ids(invoke("timeline", "hist-rel", *H, "--kind", "state", *args, "-f", "tsv").stdout)

    # ../1992-06-30: known only by its end
    assert "hist/e-open-start" not in ids("--until", "1992-06-29")
    assert "hist/e-open-start" in ids("--until", "1992-06-30") and "hist/e-open-start" in ids(
        "--since", "1992-06-30"
    )
    assert "hist/e-open-start" not in ids("--since", "1992-07")
    # 2024-03/..: known only by its start, the day the timeline places it at
    assert "hist/i-open-end" not in ids("--since", "2025")
    assert "hist/i-open-end" in ids("--since", "2024-03") and "hist/i-open-end" in ids("--until", "2024-03")
    assert "hist/i-open-end" not in ids("--until", "2024-02")
    # search filters by the same rule
    found = invoke("search", "visa exemption", *H, "--since", "2025", "-f", "tsv")
    assert found.exit_code == 1 and "hist/i-open-end" not in found.stdout
    assert "hist/i-open-end" in invoke("search", "visa exemption", *H, "--since", "2024", "-f", "tsv").stdout
    assert (
        "hist/e-open-start"
        not in invoke("search", "consulate", *H, "--until", "1992-06-29", "-f", "tsv").stdout
    )


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
        # A century or a millennium as its first and last years: "1900s" reads as 1900–1909 to many.
        ("19XX", "1900–1999", "1900–1999", "1900–1999"),
        ("1XXX", "1000–1999", "1000–1999", "1000–1999"),
        ("XXXX", "an unknown year", "an unknown year", "năm chưa rõ"),
        ("-199X", "-1999–-1990", "-1999–-1990", "-1999–-1990"),
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
    assert [p["id"] for p in trade] == [
        "hist/trade-2011",
        "hist/trade-2021",
        "hist/trade-2024",
        "hist/trade-2025-q1",
    ]
    assert [p["partial"] for p in trade] == [False, False, False, True]
    assert [p["comparator"] for p in trade] == ["~", "=", ">", "="]
    assert trade[2]["value"] == "> 800 million USD (+100% vs 2023)"
    assert trade[3]["value"] == "146.3 million USD (+18.4% vs Jan–Mar 2024)"
    assert points[0]["metric"] == "trade"  # the longest series first


def test_figures_terminal_draws_bars_labels_partial_and_skips_rank_bars(invoke: Invoke) -> None:
    out = invoke("figures", "hist-rel", *H, "-f", "table", env={"COLUMNS": "120"}).stdout
    lines = out.splitlines()
    bar = {
        label: line.count("█") + line.count("▒")
        for label in ("2011", "2021", "2024", "Jan–Mar 2025")
        for line in lines
        if line.strip().startswith(label)
    }
    assert bar["2011"] < bar["Jan–Mar 2025"] < bar["2021"] < bar["2024"]  # bars scale with the amount
    q1 = next(line for line in lines if "Jan–Mar 2025" in line)
    assert "(3 months)" in q1 and "▒" in q1 and "█" not in q1  # partial: labelled, lighter
    assert "▸" in next(line for line in lines if line.strip().startswith("2024"))  # '> 800 million'
    assert "426.1 million USD" in out and "~ 49 million USD" in out
    rank = next(line for line in lines if "no. 2" in line)
    assert "█" not in rank
    assert out.count("hist-src") == 5  # each of the five points names its source


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
        assert [line.split("\t")[4] for line in out.splitlines()] == [
            "49000000",
            "426100000",
            "800000000",
            "146300000",
        ]


def test_figures_unknown_metric_suggests(invoke: Invoke) -> None:
    result = invoke("figures", "vn-kz", "--metric", "tradde")
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown metric 'tradde' (did you mean bilateral-trade?)" in result.stderr


@pytest.mark.parametrize(
    "name", ["bilateral-trade", "trade", "kim ngạch thương mại", "kim ngach thuong mai", "Two-way trade"]
)
def test_figures_metric_by_name_or_alias(invoke: Invoke, name: str) -> None:
    """facts/metrics.toml names each metric in both languages: -m takes any of its names."""
    result = invoke("figures", "vn-kz", "--metric", name, "-f", "tsv")
    assert result.exit_code == 0
    assert {line.split("\t")[0] for line in result.stdout.splitlines()} == {"bilateral-trade"}


def test_figures_of_a_relation_without_figures_exits_1(invoke: Invoke) -> None:
    result = invoke("figures", "mekong-jp")
    assert result.exit_code == 1 and result.stdout == "" and "no figures of mekong-jp" in result.stderr
