"""The catalogue of bad input: every case a user might type or feed, and what it must get.

tests/test_catalogue.py runs each case through the CLI and asserts its exit code,
that stderr names the problem, and that no traceback appears; tools/readme.py counts
the cases into the table in docs/robustness.md, so the table is what the tests check.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Setup = Callable[[Path], tuple[list[str], dict[str, str]]]  # tmp folder -> (extra args, extra env)


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    args: tuple[str, ...]
    exit: int | tuple[int, ...]
    stderr: str  # a piece of the one-line message that names the problem ("" for none)
    stdin: bytes | None = None
    setup: Setup | None = field(default=None, repr=False)


def _write(name: str, text: str | bytes) -> Setup:
    def setup(tmp: Path) -> tuple[list[str], dict[str, str]]:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return ["--facts", str(tmp / name.split("/")[0])], {}

    return setup


FACT = """[[fact]]
id = "{id}"
kind = "event"
date = "2001"
relations = ["vn-kz"]
text = {text}
text_vi = "Một sự kiện."
entities = {entities}

[[fact.cite]]
source = "tgvn-2025-kz"
quote = {quote}
"""


def _fact(
    id: str = "x/one", text: str = '"An event."', entities: str = "[]", quote: str = '"Một câu."'
) -> str:
    return FACT.format(id=id, text=text, entities=entities, quote=quote)


def _folder_without_toml(tmp: Path) -> tuple[list[str], dict[str, str]]:
    (tmp / "empty").mkdir()
    (tmp / "empty" / "notes.txt").write_text("no facts here")
    return ["--facts", str(tmp / "empty")], {}


def _duplicate_across_bases(tmp: Path) -> tuple[list[str], dict[str, str]]:
    (tmp / "a.toml").write_text(_fact())
    (tmp / "b.toml").write_text(_fact())
    return ["--facts", str(tmp / "a.toml"), "--facts", str(tmp / "b.toml")], {}


def _ten_megabytes(tmp: Path) -> tuple[list[str], dict[str, str]]:
    (tmp / "big.toml").write_text(_fact(quote='"' + "rất dài " * 1_310_720 + '"'))  # 10 MiB in one quote
    return ["--facts", str(tmp / "big.toml")], {}


def _symlink_cycle(tmp: Path) -> tuple[list[str], dict[str, str]]:
    (tmp / "base").mkdir()
    (tmp / "base" / "facts.toml").write_text(_fact())
    os.symlink(tmp / "base", tmp / "base" / "loop")
    return ["--facts", str(tmp / "base")], {}


def _env_missing(tmp: Path) -> tuple[list[str], dict[str, str]]:
    return [], {"DIPFACTS_FACTS": str(tmp / "nowhere")}


def _unreadable(tmp: Path) -> tuple[list[str], dict[str, str]]:
    (tmp / "locked.toml").write_text(_fact())
    (tmp / "locked.toml").chmod(0)  # as root the test makes the read fail itself (see test_catalogue)
    return ["--facts", str(tmp / "locked.toml")], {}


def _sources_dir_file(tmp: Path) -> tuple[list[str], dict[str, str]]:
    (tmp / "article.txt").write_text("một bài báo")
    return ["--sources-dir", str(tmp / "article.txt")], {}


def _empty_sources_dir(tmp: Path) -> tuple[list[str], dict[str, str]]:
    (tmp / "articles").mkdir()
    return ["--sources-dir", str(tmp / "articles")], {}


SOURCE = 'title = "Một trang"\ntitle_en = "A page"\npublished = "2025-07-10"\nlanguage = "vi"\n'


def _source(accessed: str) -> Setup:
    """A source read on a day written as `accessed` (TOML, quoted or not)."""
    return _write("src.toml", f'[[source]]\nid = "web-src"\n{SOURCE}accessed = {accessed}\n')


def _figure(metric: str) -> str:
    return (
        _fact(id="x/figure")
        .replace('kind = "event"', 'kind = "figure"')
        .replace(
            "entities = []", f'entities = []\nvalue = {{ amount = 5, unit = "people", metric = "{metric}" }}'
        )
    )


METRIC = '[[metric]]\nid = "{id}"\nname = "a count"\nname_vi = "một số đếm"\nunit = "{unit}"\n{extra}\n'


RELATION = (
    '[[relation]]\nid = "vn-india"\nname = "Vietnam–India"\nname_vi = "Việt Nam – Ấn Độ"\n'
    'parties = ["vietnam", "kazakhstan"]\n{extra}\n'
)


CITE = '[[cite]]\nfact = "{fact}"\nsource = "tgvn-2025-kz"\nquote = "Một câu."\n{extra}\n'


def _article(name: str, text: str) -> Setup:
    """An article file, given to the command as its argument."""

    def setup(tmp: Path) -> tuple[list[str], dict[str, str]]:
        (tmp / name).write_text(text, encoding="utf-8")
        return [str(tmp / name)], {}

    return setup


LONG = "Kazakhstan trade " * 5_900  # 100,300 characters

CASES: list[Case] = [
    # --- queries ------------------------------------------------------------------------
    Case("queries", "empty query", ("search", ""), 2, "nothing to search for"),
    Case("queries", "only spaces", ("search", "   "), 2, "nothing to search for"),
    Case("queries", "only punctuation", ("search", "?!… — ;"), 2, "nothing to search for"),
    Case("queries", "only stop words", ("search", "the of and"), (0, 1), "only stop words"),
    Case("queries", "empty question", ("ask", "when?"), 2, "nothing to ask about"),
    Case("queries", "100,000 characters", ("search", LONG), 0, "only the first 32 words"),
    Case(
        "queries",
        "100,000-character question",
        ("ask", "when " + LONG),
        (0, 1),
        "only the first 32 words of the question are read",
    ),
    Case(
        "queries",
        "invalid UTF-8 on stdin",
        ("search", "-"),
        0,
        "not valid UTF-8",
        stdin=b"Kazakhstan \xff\xfe trade\n",
    ),
    Case("queries", "NUL bytes on stdin", ("search", "-"), 0, "NUL", stdin=b"Kazakhstan\x00trade\n"),
    Case("queries", "empty stdin", ("search", "-"), 1, "no queries on stdin", stdin=b""),
    Case(
        "queries",
        "a stdin line of punctuation among good ones",
        ("search", "-"),
        0,
        "skipped",
        stdin=b"???\nKazakhstan trade\n",
    ),
    Case("queries", "right-to-left override in a query", ("search", "\u202eKazakhstan trade"), 0, ""),
    Case("queries", "Arabic and Hebrew words", ("search", "كازاخستان שלום"), 1, "no fact matches"),
    Case("queries", "zero-width space inside a word", ("search", "Kazak\u200bhstan trade"), 0, ""),
    Case(
        "queries", "a word that is not UTF-8 in argv", ("search", "Kazakhstan \udcff"), 0, "not valid UTF-8"
    ),
    # --- options ---------------------------------------------------------------------------
    Case("options", "unknown relation", ("search", "trade", "-r", "narnia"), 2, "unknown relation 'narnia'"),
    Case("options", "misspelt relation", ("timeline", "vn-kx"), 2, "did you mean vn-kz?"),
    Case("options", "unknown topic", ("export", "-t", "tarde"), 2, "unknown topic 'tarde'"),
    Case("options", "unknown entity", ("search", "trade", "-e", "Atlantis"), 2, "unknown entity 'Atlantis'"),
    Case("options", "unknown fact id", ("show", "vn-kz/nothing"), 2, "unknown fact id 'vn-kz/nothing'"),
    Case("options", "unknown format", ("search", "trade", "-f", "yaml"), 2, "'yaml' is not one of"),
    Case(
        "options",
        "unknown metric",
        ("figures", "vn-kz", "--metric", "tradde"),
        2,
        "did you mean bilateral-trade?",
    ),
    Case("options", "unknown kind", ("search", "trade", "--kind", "rumour"), 2, "'rumour' is not one of"),
    Case("options", "unknown language", ("search", "trade", "--lang", "fr"), 2, "'fr' is not one of"),
    Case(
        "options",
        "timeline --all with --kind",
        ("timeline", "vn-kz", "--all", "--kind", "state"),
        2,
        "--all and --kind cannot be used together",
    ),
    Case(
        "options",
        "--since after --until",
        ("search", "trade", "--since", "2024", "--until", "2020"),
        2,
        "--since 2024 is after --until 2020",
    ),
    Case(
        "options",
        "day/month/year date",
        ("timeline", "vn-kz", "--since", "29/6/1992"),
        2,
        "write day/month/year as 1992-06-29",
    ),
    Case("options", "month 13", ("search", "trade", "--until", "2021-13"), 2, "month 13 is not 01-12"),
    Case(
        "options",
        "an interval as a bound",
        ("search", "trade", "--since", "2020/2021"),
        2,
        "give a single date",
    ),
    Case(
        "options",
        "a word as a date",
        ("timeline", "vn-kz", "--until", "yesterday"),
        2,
        "malformed EDTF date 'yesterday'",
    ),
    Case("options", "--limit 0", ("search", "trade", "-n", "0"), 2, "0 is not in the range"),
    Case("options", "--limit negative", ("search", "trade", "-n", "-5"), 2, "-5 is not in the range"),
    Case("options", "--limit huge", ("search", "trade", "-n", "1000000000000"), 0, ""),
    Case("options", "--limit not a number", ("search", "trade", "-n", "ten"), 2, "'ten' is not a valid"),
    Case("options", "unknown option", ("search", "trade", "--colour"), 2, "No such option: --colour"),
    Case("options", "unknown command", ("serch", "trade"), 2, "Did you mean 'search'?"),
    Case("options", "missing argument", ("timeline",), 2, "Missing argument 'RELATION'"),
    Case(
        "options",
        "unknown source",
        ("export", "--source", "vov-2021-kz"),
        2,
        "unknown source 'vov-2021-kz' (did you mean vov-2012-kz?)",
    ),
    Case(
        "options",
        "unknown citation format",
        ("cite", "vn-kz/bilateral-trade/2021", "-f", "endnote"),
        2,
        "'endnote' is not one of",
    ),
    Case(
        "options",
        "unknown field",
        ("export", "--fields", "id,amonut"),
        2,
        "unknown field 'amonut' in --fields (did you mean amount?)",
    ),
    Case("options", "no field", ("search", "trade", "--fields", " , "), 2, "--fields names no field"),
    Case(
        "options",
        "--source without a value",
        ("export", "--source"),
        2,
        "Option '--source' requires an argument",
    ),
    Case(
        "options",
        "--sources-dir that does not exist",
        ("check", "--sources-dir", "/nonexistent/articles"),
        2,
        "Directory '/nonexistent/articles' does not exist",
    ),
    Case(
        "options",
        "--sources-dir that is a file",
        ("check",),
        2,
        "article.txt' is a file",
        setup=_sources_dir_file,
    ),
    Case(
        "options",
        "check --strict without --sources-dir",
        ("check", "--strict"),
        2,
        "--strict needs --sources-dir",
    ),
    Case(
        "options",
        "check --strict, articles not in the folder",
        ("check", "--strict"),
        2,
        "citations not verified: article file '",
        setup=_empty_sources_dir,
    ),
    Case(
        "options",
        "check, articles not in the folder",
        ("check",),
        0,
        "not verified: the articles of",
        setup=_empty_sources_dir,
    ),
    # --- articles -----------------------------------------------------------------------------
    Case(
        "articles",
        "extract: an article with dates in its story but no date line",
        ("extract",),
        2,
        "give --published",
        setup=_article("bai.txt", "Sáng 2/9, hai bên hội đàm.\nHai nước thiết lập quan hệ ngày 5/3/1994.\n"),
    ),
    # --- extra bases ------------------------------------------------------------------------
    Case(
        "extra bases",
        "missing path",
        ("export", "--facts", "/nonexistent/facts.toml"),
        2,
        "no such file or folder",
    ),
    Case(
        "extra bases",
        "missing path in DIPFACTS_FACTS",
        ("export",),
        2,
        "no such file or folder",
        setup=_env_missing,
    ),
    Case(
        "extra bases",
        "folder without TOML",
        ("export",),
        2,
        "folder holds no .toml fact files",
        setup=_folder_without_toml,
    ),
    Case("extra bases", "unreadable file", ("export",), 2, "cannot read", setup=_unreadable),
    Case(
        "extra bases",
        "not UTF-8",
        ("export",),
        2,
        "not UTF-8 (byte 0x",
        setup=_write("latin.toml", _fact(text='"Hà Nội"').encode("cp1258", "replace")),
    ),
    Case(
        "extra bases",
        "TOML syntax error",
        ("export",),
        2,
        "bad.toml:3:8: TOML syntax error",
        setup=_write("bad.toml", '[[fact]]\nid = "x"\nkind = event\n'),
    ),
    Case(
        "extra bases",
        "a number where text belongs",
        ("export",),
        2,
        "'text' must be a string",
        setup=_write("num.toml", _fact(text="5")),
    ),
    Case(
        "extra bases",
        "a table where a list belongs",
        ("export",),
        2,
        "'entities' must be a",
        setup=_write("table.toml", _fact(entities="{ a = 1 }")),
    ),
    Case(
        "extra bases",
        "duplicate ids across bases",
        ("export",),
        2,
        "duplicate fact id",
        setup=_duplicate_across_bases,
    ),
    Case("extra bases", "a 10 MB file", ("export",), 2, "at most 400", setup=_ten_megabytes),
    Case(
        "extra bases",
        "a cycle of symlinked folders",
        ("export", "-t", "nothing-such"),
        2,
        "unknown topic",
        setup=_symlink_cycle,
    ),
    Case(
        "extra bases",
        "a figure of an undeclared metric",
        ("export",),
        2,
        "unknown metric 'bilateral-trde' (did you mean 'bilateral-trade'?)",
        setup=_write("m.toml", _figure("bilateral-trde")),
    ),
    Case(
        "extra bases",
        "a figure in another unit than its metric",
        ("export",),
        2,
        "unit 'people' differs from metric 'x-count'",
        setup=_write("m.toml", METRIC.format(id="x-count", unit="USD", extra="") + _figure("x-count")),
    ),
    Case(
        "extra bases",
        "a metric from an unknown entity",
        ("export",),
        2,
        "'from': unknown entity 'narnia'",
        setup=_write("m.toml", METRIC.format(id="x-count", unit="people", extra='from = "narnia"')),
    ),
    Case(
        "extra bases",
        "a metric without a unit",
        ("export",),
        2,
        "missing required field 'unit'",
        setup=_write(
            "m.toml", METRIC.format(id="x-count", unit="people", extra="").replace('unit = "people"\n', "")
        ),
    ),
    Case(
        "extra bases",
        "a draft metric left unreviewed",
        ("export",),
        2,
        "draft metric: check it against the article",
        setup=_write("m.toml", METRIC.format(id="x-count", unit="people", extra="draft = true")),
    ),
    Case(
        "extra bases",
        "a metric's draft flag not true or false",
        ("export",),
        2,
        "'draft' must be a boolean",
        setup=_write("m.toml", METRIC.format(id="x-count", unit="people", extra='draft = "no"')),
    ),
    Case(
        "extra bases",
        "a draft relation left unreviewed",
        ("export",),
        2,
        "draft relation: check it against the article",
        setup=_write("r.toml", RELATION.format(extra="draft = true")),
    ),
    Case(
        "extra bases",
        "a relation's draft flag not true or false",
        ("export",),
        2,
        "'draft' must be a boolean",
        setup=_write("r.toml", RELATION.format(extra="draft = 1")),
    ),
    Case(
        "extra bases",
        "a source's English title given empty",
        ("export",),
        2,
        "'title_en' is empty",
        setup=_write("s.toml", f'[[source]]\nid = "web-src"\n{SOURCE.replace("A page", "")}'),
    ),
    Case(
        "extra bases",
        "a [[cite]] of an unknown fact",
        ("export",),
        2,
        "unknown fact 'vn-kz/diplomatic-relations/establishd' (did you mean",
        setup=_write("c.toml", CITE.format(fact="vn-kz/diplomatic-relations/establishd", extra="")),
    ),
    Case(
        "extra bases",
        "a [[cite]] giving an event a value",
        ("export",),
        2,
        "only a figure's citation can give another value",
        setup=_write(
            "c.toml",
            CITE.format(
                fact="vn-kz/diplomatic-relations/established", extra='value = { amount = 5, unit = "USD" }'
            ),
        ),
    ),
    Case(
        "extra bases",
        "a [[cite]] with a bad date",
        ("export",),
        2,
        "'date': malformed EDTF date '29/6/1992'",
        setup=_write(
            "c.toml", CITE.format(fact="vn-kz/diplomatic-relations/established", extra='date = "29/6/1992"')
        ),
    ),
    Case(
        "extra bases",
        "a source read on a day/month/year date",
        ("export",),
        2,
        "'accessed': malformed EDTF date '10/7/2025' (write day/month/year as 2025-07-10)",
        setup=_source('"10/7/2025"'),
    ),
    Case(
        "extra bases",
        "a source read over an interval",
        ("sources",),
        2,
        "'accessed': give the day the page was read",
        setup=_source('"2025-07/2025-08"'),
    ),
    Case(
        "extra bases",
        "a source read on an unquoted date",
        ("sources",),
        2,
        "'accessed' must be a string, not a date/time — quote it as an EDTF string",
        setup=_source("2025-07-10"),
    ),
    Case(
        "extra bases",
        "unknown source in a fact",
        ("export",),
        2,
        "unknown source",
        setup=_write("src.toml", _fact().replace("tgvn-2025-kz", "tgvn-2052-kz")),
    ),
    Case(
        "extra bases",
        "a synonym group of one word",
        ("search", "trade"),
        2,
        "a group needs at least two different words",
        setup=_write("syn.toml", '[[synonyms]]\nwords = ["gizmo"]\n'),
    ),
    Case(
        "extra bases",
        "an empty synonym",
        ("search", "trade"),
        2,
        "entry 2 of 'words' is empty",
        setup=_write("syn.toml", '[[synonyms]]\nwords = ["gizmo", ""]\n'),
    ),
    Case(
        "extra bases",
        "a synonym that is not a string",
        ("search", "trade"),
        2,
        "syn.toml:2: synonyms 'gizmo': 'words' must be a list of strings: item 2 is an integer",
        setup=_write("syn.toml", '[[synonyms]]\nwords = ["gizmo", 7]\n'),
    ),
    Case(
        "extra bases",
        "a synonym in two groups",
        ("search", "trade"),
        2,
        "'tourists' is already in another group (at ",
        setup=_write("syn.toml", '[[synonyms]]\nwords = ["tourists", "holidaymakers"]\n'),
    ),
]
