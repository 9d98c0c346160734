"""The loader refuses a bad base, naming file, line and id for every problem at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MINI, Invoke
from dipfacts.base.errors import BaseError
from dipfacts.base.load import ENV_VAR, load_base

FACT = """
[[fact]]
id = "{id}"
kind = "{kind}"
date = {date}
relations = ["mini-rel"]
entities = ["miniland"]
text = "A test fact."
text_vi = "Một sự kiện thử."
{extra}
[[fact.cite]]
source = "{source}"
quote = "{quote}"
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files relative to the working directory, as a curator runs check."""
    monkeypatch.chdir(tmp_path)


def fact(
    id: str = "mini-rel/x",
    kind: str = "event",
    date: str = '"2001"',
    extra: str = "",
    source: str = "mini-src",
    quote: str = "Miniland",
) -> str:
    return FACT.format(id=id, kind=kind, date=date, extra=extra, source=source, quote=quote)


def problems_for(tmp_path: Path, text: str | bytes, name: str = "broken.toml") -> list[str]:
    """Load the mini base plus one extra file; return the problems as printed."""
    shutil.copy(MINI / "base.toml", tmp_path / "base.toml")
    target = tmp_path / name
    target.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(BaseError) as caught:
        load_base([tmp_path], builtin=False)
    return [str(p) for p in caught.value.problems]


def test_mini_base_loads_into_typed_objects() -> None:
    base = load_base([MINI], builtin=False)
    assert [f.id for f in base.facts] == [
        "mini-rel/relations-established",
        "mini-rel/trade/2020",
        "mini-rel/markup",
    ]
    figure = base.facts_by_id["mini-rel/trade/2020"]
    assert figure.value is not None and figure.value.amount == 12_500_000 and figure.value.comparator == "="
    assert figure.value.vs is not None and str(figure.value.vs) == "2019"
    assert figure.origin.line == 59
    with pytest.raises(AttributeError):
        figure.id = "changed"  # type: ignore[misc]


def test_builtin_base_loads_and_is_not_empty() -> None:
    base = load_base()
    assert len(base.facts) >= 20
    assert {
        "vn-kz",
        "asean",
        "asean-jp",
        "asean-kr",
        "asean-ru",
        "asean-us",
        "asean-plus-3",
        "mekong-jp",
    } <= set(base.relations)


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, '[[fact]]\nid = "a"\nkind = event\n')
    assert len(problems) == 1
    assert problems[0].startswith("broken.toml:3:") and "TOML syntax error" in problems[0]


def test_unknown_key_suggests_the_near_miss(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, fact(extra='dat = "2001"'))
    assert any(
        "broken.toml:10: fact 'mini-rel/x': unknown key 'dat' (did you mean 'date'?)" in p for p in problems
    ), problems


def test_unknown_top_level_table(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, '[[facts]]\nid = "x"\n')
    assert problems == ["broken.toml:1: unknown table 'facts' (did you mean 'fact'?)"]


def test_missing_required_field(tmp_path: Path) -> None:
    text = fact().replace('text_vi = "Một sự kiện thử."\n', "")
    problems = problems_for(tmp_path, text)
    assert problems == ["broken.toml:2: fact 'mini-rel/x': missing required field 'text_vi'"]


@pytest.mark.parametrize(
    ("extra", "date", "message"),
    [
        ("", "1994", "'date' must be a string, not an integer — quote it as an EDTF string: date = \"1994\""),
        ("", "1992-06-29", "'date' must be a string, not a date/time"),
        ('topics = "trade"', '"2001"', "'topics' must be a list of strings, not a string"),
        ("value = [1, 2]", '"2001"', "'value' must be a table, not an array"),
        ("text_en = 5", '"2001"', "unknown key 'text_en'"),
    ],
)
def test_wrong_types(tmp_path: Path, extra: str, date: str, message: str) -> None:
    problems = problems_for(tmp_path, fact(date=date, extra=extra))
    assert any(
        message in p and "fact 'mini-rel/x'" in p and p.startswith("broken.toml:") for p in problems
    ), problems


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, fact(id="mini-rel/trade/2020"))
    assert problems == [
        "broken.toml:2: fact 'mini-rel/trade/2020': duplicate fact id (first defined at base.toml:59)"
    ]


def test_duplicate_entity_id(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path, '[[entity]]\nid = "miniland"\nname = "M"\nname_vi = "M"\nkind = "country"\n'
    )
    assert problems == [
        "broken.toml:1: entity 'miniland': duplicate entity id (first defined at base.toml:25)"
    ]


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ('"29/6/1992"', "malformed EDTF date '29/6/1992' (write day/month/year as 1992-06-29)"),
        ('"2001-13"', "month 13 is not 01-12"),
        ('"2001-02-30"', "2001-02 has no day 30"),
    ],
)
def test_malformed_dates(tmp_path: Path, date: str, message: str) -> None:
    problems = problems_for(tmp_path, fact(date=date))
    assert (
        len(problems) == 1
        and problems[0].startswith("broken.toml:5: fact 'mini-rel/x': 'date': ")
        and message in problems[0]
    ), problems


SOURCE = """
[[source]]
id = "web-src"
title = "Một trang"
title_en = "A page"
published = "2025-07-10"
language = "vi"
{extra}
"""


def test_a_source_keeps_its_url_author_and_the_day_it_was_read(tmp_path: Path) -> None:
    shutil.copy(MINI / "base.toml", tmp_path / "base.toml")
    (tmp_path / "web.toml").write_text(
        SOURCE.format(extra='url = "https://example.org/a"\nauthor = "Nguyễn Văn A"\naccessed = "2025-08-01"')
    )
    source = load_base([tmp_path], builtin=False).sources["web-src"]
    assert (source.url, source.author, str(source.accessed)) == (
        "https://example.org/a",
        "Nguyễn Văn A",
        "2025-08-01",
    )
    assert source.accessed is not None and source.accessed.precision == "day"
    assert load_base([MINI], builtin=False).sources["mini-src"].accessed is None


@pytest.mark.parametrize(
    ("accessed", "message"),
    [
        ('"1/8/2025"', "'accessed': malformed EDTF date '1/8/2025' (write day/month/year as 2025-08-01)"),
        (
            '"2025-13"',
            "'accessed': malformed EDTF date '2025-13' (month 13 is not 01-12 (or a season 21-24))",
        ),
        (
            '"2025-07/2025-08"',
            (
                "'accessed': give the day the page was read (or its month or year), "
                "e.g. 2025-07-10, not '2025-07/2025-08'"
            ),
        ),
        (
            '"2025-22"',
            (
                "'accessed': give the day the page was read (or its month or year), "
                "e.g. 2025-07-10, not '2025-22'"
            ),
        ),
        (
            "2025-08-01",
            (
                "'accessed' must be a string, not a date/time — "
                'quote it as an EDTF string: accessed = "2025-08-01"'
            ),
        ),
    ],
)
def test_a_bad_accessed_date_is_a_problem_at_its_line(tmp_path: Path, accessed: str, message: str) -> None:
    problems = problems_for(tmp_path, SOURCE.format(extra=f"accessed = {accessed}"))
    assert problems == [f"broken.toml:8: source 'web-src': {message}"]


def test_a_fact_citing_a_source_that_did_not_load_says_so(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, SOURCE.format(extra='accessed = "yesterday"') + fact(source="web-src"))
    assert problems == [
        (
            "broken.toml:8: source 'web-src': 'accessed': malformed EDTF date 'yesterday' "
            "(expected e.g. 1992-06-29, 2011-10, 1994 or 2012-09-10/2012-09-11)"
        ),
        "broken.toml:19: fact 'mini-rel/x': source 'web-src' did not load (see broken.toml:2)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (fact(source="mini-srx"), "unknown source 'mini-srx' (did you mean 'mini-src'?)"),
        (
            fact().replace('relations = ["mini-rel"]', 'relations = ["mini-rell"]'),
            "unknown relation 'mini-rell' (did you mean 'mini-rel'?)",
        ),
        (
            fact().replace('entities = ["miniland"]', 'entities = ["minland"]'),
            "unknown entity 'minland' (did you mean 'miniland'?)",
        ),
        (fact().replace('relations = ["mini-rel"]', "relations = []"), "a fact needs at least one relation"),
    ],
)
def test_unknown_references(tmp_path: Path, text: str, message: str) -> None:
    problems = problems_for(tmp_path, text)
    assert (
        len(problems) == 1
        and "broken.toml:" in problems[0]
        and "fact 'mini-rel/x'" in problems[0]
        and message in problems[0]
    ), problems


def test_quote_over_400_characters(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, fact(quote="x" * 401))
    assert problems == [
        (
            "broken.toml:13: fact 'mini-rel/x': quote is 401 characters; at most 400: "
            "cite the shortest span that states the fact"
        )
    ]


def test_figure_without_value_and_value_on_an_event(tmp_path: Path) -> None:
    text = fact(id="mini-rel/a", kind="figure") + fact(
        id="mini-rel/b", extra='value = { amount = 1, unit = "USD", metric = "m" }'
    )
    problems = problems_for(tmp_path, text)
    assert problems == [
        "broken.toml:2: fact 'mini-rel/a': a figure needs a value = { amount, unit, metric }",
        "broken.toml:23: fact 'mini-rel/b': only a figure has a value; this fact is an event",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{ amount = "12", unit = "USD", metric = "m" }', "'amount' must be a number, not a string"),
        ('{ amount = 12, unit = "USD", metric = "m", comparator = ">=" }', "unknown comparator '>='"),
        ('{ amount = 12, unit = "USD" }', "missing required field 'metric'"),
        (
            '{ amount = 12, unit = "USD", metric = "m", vs = "last year" }',
            "'vs': malformed EDTF date 'last year'",
        ),
        (
            '{ amount = 12, unit = "USD", metric = "m", chnage = 4 }',
            "unknown key 'chnage' (did you mean 'change'?)",
        ),
    ],
)
def test_bad_values(tmp_path: Path, value: str, message: str) -> None:
    problems = problems_for(tmp_path, fact(kind="figure", extra=f"value = {value}"))
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('kind = "events"', "unknown kind 'events' (did you mean 'event'?)"),
        ('id = "Mini Rel/X"', "bad id: use lowercase letters"),
        ('status = "done"', "unknown status 'done'"),
    ],
)
def test_bad_enumerations(tmp_path: Path, change: str, message: str) -> None:
    key = change.split(" =")[0]
    lines = [change if line.startswith(f"{key} =") else line for line in fact().splitlines()]
    if key == "status":
        lines.insert(4, change)
    problems = problems_for(tmp_path, "\n".join(lines))
    assert any(message in p for p in problems), problems


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        fact(id="mini-rel/a", date='"2001-13"')
        + fact(id="mini-rel/b", source="nowhere")
        + fact(id="mini-rel/c", quote="y" * 500)
    )
    problems = problems_for(tmp_path, text)
    assert len(problems) == 3
    assert {p.split(": ")[1] for p in problems} == {
        "fact 'mini-rel/a'",
        "fact 'mini-rel/b'",
        "fact 'mini-rel/c'",
    }


def test_not_utf8(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, b'[[fact]]\nid = "caf\xe9"\n')
    assert problems == ["broken.toml:2: not UTF-8 (byte 0xe9 at offset 18)"]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BaseError) as caught:
        load_base([tmp_path / "nope.toml", tmp_path / "empty"], builtin=False)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.endswith("nope.toml: no such file or folder") for m in messages)
    assert any(m.endswith("empty: folder holds no .toml fact files") for m in messages)


def test_symlink_cycle_is_walked_once(tmp_path: Path) -> None:
    shutil.copy(MINI / "base.toml", tmp_path / "base.toml")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    base = load_base([tmp_path], builtin=False)
    assert len(base.facts) == 3


def test_env_var_adds_bases(tmp_path: Path) -> None:
    base = load_base(builtin=False, environ={ENV_VAR: f"{MINI}{__import__('os').pathsep}"})
    assert len(base.facts) == 3


def test_cli_check_reports_a_broken_base_and_exits_2(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "extra.toml").write_text(
        fact(id="vn-kz/bad", source="nowhere").replace("mini-rel", "vn-kz").replace("miniland", "vietnam")
    )
    result = invoke("check", "--facts", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any("extra.toml:11: fact 'vn-kz/bad': unknown source 'nowhere'" in line for line in lines), lines
    assert lines[-1] == "dipfacts: error: 1 problem in the fact base"
    assert "Traceback" not in result.stderr


# --- [[synonyms]] ---------------------------------------------------------------------------------


def test_synonym_groups_load_and_reach_the_index(tmp_path: Path) -> None:
    from dipfacts.search.index import build_index

    shutil.copy(MINI / "base.toml", tmp_path / "base.toml")
    (tmp_path / "synonyms.toml").write_text(
        '[[synonyms]]\nwords = ["Tourists", "visitor", "khách du lịch"]\n', encoding="utf-8"
    )
    base = load_base([tmp_path], builtin=False)
    assert [g.words for g in base.synonyms] == [("Tourists", "visitor", "khách du lịch")]
    assert build_index(base).synonyms["khach du lich"] == (
        "tourist",
        "visitor",
    )  # folded and stemmed as search reads words


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[[synonyms]]\nwords = ["lonely"]\n',
            (
                "broken.toml:1: synonyms 'lonely': "
                "a group needs at least two different words to stand for each other; it has 1"
            ),
        ),
        (
            '[[synonyms]]\nwords = ["founded", "founding"]\n',
            (
                "broken.toml:1: synonyms 'founded': "
                "a group needs at least two different words to stand for each other; it has 1"
            ),
        ),
        (
            "[[synonyms]]\nwords = []\n",
            (
                "broken.toml:1: synonyms: "
                "a group needs at least two different words to stand for each other; it has 0"
            ),
        ),
        (
            '[[synonyms]]\nwords = ["tourist", ""]\n',
            "broken.toml:2: synonyms 'tourist': entry 2 of 'words' is empty",
        ),
        (
            '[[synonyms]]\nwords = [\n  "tourist",\n  "  ",\n]\n',
            "broken.toml:4: synonyms 'tourist': entry 2 of 'words' is empty",
        ),
        (
            '[[synonyms]]\nwords = ["tourist", "—"]\n',
            "broken.toml:2: synonyms 'tourist': '—' has no word or number to search for",
        ),
        (
            '[[synonyms]]\nwords = ["tourist", 3]\n',
            "broken.toml:2: synonyms 'tourist': 'words' must be a list of strings: item 2 is an integer",
        ),
        (
            '[[synonyms]]\nwords = "tourist"\n',
            "broken.toml:2: synonyms: 'words' must be a list of strings, not a string",
        ),
        (
            '[[synonyms]]\nwords = ["gizmo", "widget", "gizmo"]\n',
            "broken.toml:2: synonyms 'gizmo': 'gizmo' is listed twice",
        ),
        (
            '[[synonyms]]\nwrods = ["a", "b"]\n',
            "broken.toml:2: synonyms: unknown key 'wrods' (did you mean 'words'?)",
        ),
        (
            'synonyms = ["tourist", "visitor"]\n',
            "broken.toml:1: 'synonyms' must be an array of tables, written [[synonyms]]",
        ),
        (
            (
                '[[synonyms]]\nwords = ["tourist", "visitor"]\n\n'
                '[[synonyms]]\nwords = [\n  "traveller",\n  "Tourists",\n]\n'
            ),
            (
                "broken.toml:7: synonyms 'traveller': 'Tourists' is already in another group "
                "(at broken.toml:2 as 'tourist'): a word belongs to one group"
            ),
        ),
    ],
)
def test_bad_synonym_tables(tmp_path: Path, text: str, problem: str) -> None:
    problems = problems_for(tmp_path, text)
    assert problem in problems, problems


def test_a_word_in_synonym_groups_of_two_bases_names_both_files(tmp_path: Path) -> None:
    (tmp_path / "a-synonyms.toml").write_text(
        '[[synonyms]]\nwords = ["trade", "commerce"]\n', encoding="utf-8"
    )
    problems = problems_for(tmp_path, '[[synonyms]]\nwords = ["exchange", "commerce"]\n')
    assert problems == [
        (
            "broken.toml:2: synonyms 'exchange': 'commerce' is already in another group "
            "(at a-synonyms.toml:2): a word belongs to one group"
        )
    ]
