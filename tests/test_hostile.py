"""A hostile fact base renders harmlessly: markup, ANSI/OSC escapes (OSC 8 links, title
changes), C1 controls, bidi overrides and very long words are printed as data in every
format and on the terminal, never obeyed. The checks read the raw bytes written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Invoke

PAYLOADS = {
    "markup": "[bold red]loud[/] [link=https://evil.example]click[/link]",
    "csi": "\x1b[31mred\x1b[0m \x1b[2J",
    "osc-title": "\x1b]0;pwned\x07",
    "osc8-link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "c1": "\x9b31m\x9d0;t\x9c",
    "bidi": "\u202eevil\u202c \u2066iso\u2069",
    "overwrite": "safe\rEVIL\b\b",
}
LONG_WORD = "a" * 10_000
HOSTILE = " ".join(PAYLOADS.values()) + " " + LONG_WORD


def toml_str(text: str) -> str:
    """A TOML basic string with every non-printable character as a \\uXXXX escape."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif (
            ord(ch) < 0x20
            or 0x7F <= ord(ch) <= 0x9F
            or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        ):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    h = toml_str(HOSTILE)
    short = toml_str(" ".join(PAYLOADS.values()))
    (folder / "base.toml").write_text(
        f"""
[[source]]
id = "evil-src"
title = {short}
title_en = {short}
publisher = {short}
author = {short}
url = {short}
published = "2024-01-02"
accessed = "2024-02-03"
language = "vi"

[[relation]]
id = "evil-rel"
name = {short}
name_vi = {short}
parties = ["evil-land"]
aliases = ["evilrel"]

[[entity]]
id = "evil-land"
name = {short}
name_vi = {short}
kind = "country"
aliases = ["Evil Land"]

[[synonyms]]
words = [{short}, "zyzzyva lure"]

[[cite]]
fact = "evil/fact"
source = "evil-src"
quote = {short}
date = "2023"
value = {{ amount = 2_000_000, unit = "USD" }}
note = {short}

[[metric]]
id = "evil-metric"
name = {short}
name_vi = {short}
unit = "USD"
aliases = [{short}, "zyzzyva"]
subject = "evil-land"

[[fact]]
id = "evil/fact"
kind = "figure"
date = "2024"
relations = ["evil-rel"]
entities = ["evil-land"]
topics = ["evil"]
text = {toml_str("zyzzyva " + HOSTILE)}
text_vi = {h}
value = {{ amount = 1_000_000, unit = "USD", metric = "evil-metric" }}

[[fact.cite]]
source = "evil-src"
quote = {toml_str(" ".join(PAYLOADS.values()))}

[[fact]]
id = "evil/second"
kind = "figure"
date = "2025-01/2025-03"
relations = ["evil-rel"]
entities = ["evil-land"]
text = {toml_str("zyzzyva again " + " ".join(PAYLOADS.values()))}
text_vi = {short}
value = {{ amount = 400_000, unit = "USD", metric = "evil-metric" }}

[[fact.cite]]
source = "evil-src"
quote = {short}
""",
        encoding="utf-8",
    )
    return folder


COMMANDS = [
    ["search", "zyzzyva"],
    ["show", "evil/fact"],
    ["export", "-r", "evil-rel"],
    ["timeline", "evil-rel", "--all", "--lang", "both"],  # --all: the hostile facts are figures, not events
    ["figures", "evil-rel"],
    ["entities", "evil land"],
    ["entities"],
    ["relations"],
    ["sources"],
    ["ask", "how much zyzzyva"],
    ["ask", "which country zyzzyva", "--explain"],  # the answer is an entity's (hostile) name
]
MODES = {
    "tsv": (["-f", "tsv"], {}),
    "csv": (["-f", "csv"], {}),
    "json": (["-f", "json"], {}),
    "jsonl": (["-f", "jsonl"], {}),
    "md": (["-f", "md"], {}),
    "table in a pipe": (["-f", "table"], {}),
    "terminal": ([], {"TTY_COMPATIBLE": "1", "COLUMNS": "100"}),
    "terminal, colour forced": ([], {"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1", "COLUMNS": "100"}),
}
# Rich's own colour codes (SGR) when colour is forced are the only escape sequences allowed.
OWN_SGR = re.compile(rb"\x1b\[[0-9;]*m")
FORBIDDEN = [
    b"\x1b",
    b"\x07",
    b"\x08",
    b"\r",
    "\x9b".encode(),
    "\x9d".encode(),
    "\u202e".encode(),
    "\u2066".encode(),
]


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_hostile_text_is_never_obeyed(invoke: Invoke, hostile: Path, command: list[str], mode: str) -> None:
    extra, env = MODES[mode]
    result = invoke(*command, *extra, "--facts", str(hostile), env=env)
    assert result.exit_code == 0, result.stderr
    raw = OWN_SGR.sub(b"", result.stdout_bytes)
    for bad in FORBIDDEN:
        assert bad not in raw, (bad, raw[:300])
    assert b"Traceback" not in result.stderr_bytes
    if mode in ("json", "jsonl"):  # still valid JSON: the payload travels as data, escaped
        lines = result.stdout.splitlines()
        assert [json.loads(line) for line in lines] if mode == "jsonl" else json.loads(result.stdout)


def test_escapes_and_markup_are_shown_literally(invoke: Invoke, hostile: Path) -> None:
    for fmt in ("tsv", "table"):
        out = invoke(
            "search", "zyzzyva", "-f", fmt, "--facts", str(hostile), env={"COLUMNS": "100000"}
        ).stdout
        assert "[bold red]loud[/]" in out and "\\x1b]0;pwned\\x07" in out and "\\u202eevil" in out
    record = json.loads(invoke("show", "evil/fact", "-f", "jsonl", "--facts", str(hostile)).stdout)
    assert "\x1b]0;pwned\x07" in record["text"]  # JSON keeps the exact data


def test_a_long_word_neither_breaks_a_pipe_row_nor_is_lost(invoke: Invoke, hostile: Path) -> None:
    out = invoke("export", "-r", "evil-rel", "-f", "tsv", "--facts", str(hostile)).stdout
    row = next(line for line in out.splitlines() if line.startswith("evil/fact\t"))
    assert LONG_WORD in row and row.count("\t") == 3
