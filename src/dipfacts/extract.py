"""Draft cited facts from a Vietnamese news article, for a curator to finish.

Every sentence that carries an amount, a percentage, a ranking, a date or an
ordinal meeting ("lần thứ 55") becomes a draft `[[fact]]` in the base's schema:
kind, date and value filled in, the sentence (or the clause around the figure,
when the sentence is too long to quote) as the verbatim quote, and `text`,
`text_vi`, `relations` and the metric left empty for the curator (a target, "đặt mục tiêu …
1,5 tỷ USD vào năm 2030", or an announced event, "sẽ thăm", is `status = "planned"`; a
target's metric is its own series, never the measured one's). Every draft says
`draft = true`, which the loader rejects, so nothing unreviewed reaches a base.

A figure takes the nearest date before it in its clause ("Năm 2024 … đạt trên 800
triệu USD"), never one it is compared with ("so với năm 2023"); with none, the
article's date. A cumulative share of a plan whose period has not ended at
publication ("giai đoạn 2021-2025 đạt 75%", July 2025) is dated from the plan's
start to the publication date, as the base's curators date it. A count of years up to
now ("trong 12 năm qua") is the article's date, and a figure measured since a date
("Từ khi … có hiệu lực năm 2016, … tăng khoảng 28% một năm") is open-ended (2016/..);
either way the other date is drafted as an event of its own.

The page's furniture gives no drafts: its headline (which titles a draft source), date
lines, photo captions (but for a day the story does not give), "Theo dõi … trên" lines,
related-article teasers, and sentences the lead repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dipfacts.dates import EDTF, parse_edtf
from dipfacts.errors import DipfactsError
from dipfacts.load import MAX_QUOTE
from dipfacts.index import Index
from dipfacts.names import Labels, marked, mentions, metric_names
from dipfacts.normalize import folded_key, tokens
from dipfacts.vietnamese import Amount, Change, Found, amounts, changes, dates

_ORDINAL_MEETING = re.compile(r"lần thứ\s+(\d{1,3}|nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)", re.IGNORECASE)
# A sentence ends at . ! ? … followed by a space and a capital, an opening quote or a bullet.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘*(\-–]?[^\W\d_])")


# The page's own date line: "Thứ hai, 27/06/2022 20:47", "26/07/2024 17:13", "20:37 | 29/07/2022",
# "Chủ nhật, 20/8/2023, 18:05 (GMT+7)".
_DATELINE = re.compile(
    r"^(?:\d{1,2}:\d{2}\s*[-|,]?\s*)?(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?(?:ngày\s+)?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    r"(?:\s*[-|,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*\(?GMT[^)]*\)?)?\s*$",
    re.IGNORECASE,
)
# "Từ khi …", "kể từ …", "từ năm 2016": a figure measured since a date, not on it.
_SINCE = re.compile(r"(?:^|[\s,(])(?:kể\s+từ|từ\s+khi|từ\s+năm|từ\s+sau)\b(?![^,;]*\bđến\b)[^;]*$", re.IGNORECASE)
_ABBREVIATIONS = {"TS", "PGS", "GS", "ThS", "Th.S", "BS", "KS", "TP", "Tp", "Mr", "Mrs", "Ms", "Dr", "St", "Q"}
_REFERS_BACK = ("trong đó", "trong số đó", "riêng", "cụ thể", "ở chiều ngược lại", "chiều ngược lại", "ngược lại")


@dataclass(frozen=True, slots=True)
class Draft:
    kind: str
    date: str
    quote: str
    value: dict[str, Any] | None
    status: str | None = None  # "planned": announced for the future, or a target


def sentences(text: str) -> list[tuple[int, str]]:
    """The article's sentences with their paragraph's number, each a verbatim slice of it."""
    out = []
    for number, paragraph in enumerate(text.splitlines()):
        start = 0
        for m in _SENTENCE_END.finditer(paragraph):
            nxt = paragraph[m.end() : m.end() + 1]
            word = paragraph[: m.start() + 1].rsplit(None, 1)[-1].rstrip(".")
            if (nxt.isalpha() and not nxt.isupper()) or word in _ABBREVIATIONS:
                continue  # "TS. Lê Văn": a title, not the end of a sentence
            out.append((number, paragraph[start : m.start() + len(m.group()) - len(m.group().lstrip("\"”’"))].strip()))
            start = m.end()
        out.append((number, paragraph[start:].strip()))
    return [(n, s) for n, s in out if s]


# Lines of the page, not of the story: a photo caption ("… (Ảnh: TTXVN)", "Ảnh: …"), a "follow us"
# line ("Theo dõi … trên Google News"), a related-article teaser ("Xem thêm: …", "Tin liên quan", ">> …").
_CAPTION = re.compile(r"\((?:Ảnh|Nguồn ảnh|Photo)\s*:[^)]*\)\s*$|^(?:Ảnh|Nguồn ảnh)\s*:", re.IGNORECASE)
_FOLLOW = re.compile(r"^theo dõi\b.*\btrên\b", re.IGNORECASE)
_TEASER = re.compile(r"^(?:xem thêm|đọc thêm|tin liên quan|bài liên quan|có thể bạn quan tâm|>>|»)", re.IGNORECASE)


def headline(text: str) -> str | None:
    """The page's headline: a first line that is not a sentence (no final stop) and is followed by more."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) >= 2 and len(lines[0]) <= 200 and not lines[0].endswith((".", "!", "?", "…", ":", ",")) and not _DATELINE.match(lines[0]):
        return lines[0]
    return None


def furniture(text: str) -> set[int]:
    """The numbers of the paragraphs that are page furniture: the headline, date lines, photo
    captions, 'follow us' lines and related-article teasers."""
    out = set()
    title = headline(text)
    for number, line in enumerate(text.splitlines()):
        line = line.strip()
        if (title is not None and line == title and not out) or _DATELINE.match(line) or _CAPTION.search(line) or _FOLLOW.match(line) or _TEASER.match(line):
            out.add(number)
    return out


def quote_around(sentence: str, start: int, end: int) -> str:
    """The sentence, or when it is longer than a quote may be, the clauses around [start, end)."""
    if len(sentence) <= MAX_QUOTE:
        return sentence
    for separators in (";", ",", " "):
        lo, hi = start, end
        while True:
            left = max((sentence.rfind(s, 0, lo) for s in separators), default=-1)
            right = min((i for i in (sentence.find(s, hi) for s in separators) if i != -1), default=len(sentence))
            grown_lo, grown_hi = (left + 1 if left != -1 else 0), right
            if grown_hi - grown_lo > MAX_QUOTE or (grown_lo, grown_hi) == (lo, hi):
                break
            lo, hi = grown_lo, grown_hi
            if lo == 0 and hi == len(sentence):
                break
        if MAX_QUOTE >= hi - lo >= 40:  # enough to read the figure in its context
            return sentence[lo:hi].strip(" ,;")
    lo = max(0, start - 100)  # no separator fits: a window around the figure
    return sentence[lo : lo + MAX_QUOTE].strip()


# "sẽ thăm", "dự kiến … sẽ ký", "đặt mục tiêu … 1,5 tỷ USD vào năm 2030": not (yet) a fact, a plan.
_PLANNED = re.compile(r"(?<!\w)(?:sẽ|dự kiến|dự định|đặt mục tiêu|mục tiêu|phấn đấu|lên kế hoạch|hướng tới)(?!\w)", re.IGNORECASE)
_DONE = re.compile(r"(?<!\w)(?:đã|vừa)(?!\w)", re.IGNORECASE)


def _planned(sentence: str, start: int, reach: int = 10_000) -> str | None:
    """'planned' when the clause before `start` (at most `reach` characters of it) announces it
    ('sẽ', 'dự kiến', 'đặt mục tiêu') and says nothing of it being done ('đã')."""
    clause = sentence[max(sentence.rfind(";", 0, start) + 1, start - reach) : start]
    marks = list(_PLANNED.finditer(clause))
    if not marks or _DONE.search(clause[marks[-1].end() :]):
        return None
    return "planned"


def _inside(pos: int, spans: list[Change]) -> bool:
    return any(c.start <= pos < c.end for c in spans)


def _date_for(amount: Amount, found: list[Found], sentence: str, skip: list[Change], published: str) -> str:
    """The nearest date before the amount in its clause; else before it in the sentence; else after it
    in the clause; else the article's date. Dates a change is measured against are never taken."""
    usable = [f for f in found if not _inside(f.start, skip)]
    clause_start = sentence.rfind(";", 0, amount.start) + 1
    clause_end = sentence.find(";", amount.end)
    clause_end = len(sentence) if clause_end == -1 else clause_end
    before = [f for f in usable if f.end <= amount.start]
    in_clause = [f for f in before if f.start >= clause_start]
    # After the amount only within its comma clause: "đạt 426,1 triệu USD trong năm 2021", not
    # "21 chuyến bay thẳng/tuần, năm 2024 có khoảng 150.000 lượt khách".
    after = [f for f in usable if f.start >= amount.end and f.end <= clause_end and not re.search(r"[,;]", sentence[amount.end : f.start])]
    if not before and re.search(r"\bhiện\b", sentence[max(clause_start, amount.start - 60) : amount.start], re.IGNORECASE):
        return published  # "Mỹ hiện là đối tác … lớn thứ hai": now, as of the article
    pick = (in_clause or before or after or [None])[-1 if (in_clause or before) else 0]
    if pick is None:
        return published
    if "/" not in pick.value and _SINCE.search(sentence[max(0, pick.start - 200) : pick.start]) and amount.start > pick.end:
        return f"{pick.value}/.."  # "Từ khi Hiệp định … có hiệu lực năm 2016, … tăng khoảng 28% một năm": since then
    return pick.value


def _running_plan(date: str, amount: Amount, published: str) -> str:
    """A share of a plan period still running at publication: from the plan's start to publication."""
    if amount.unit != "%" or "/" not in date:
        return date
    start, end = date.split("/")
    pub = parse_edtf(published)
    try:
        period_end = parse_edtf(end)
    except DipfactsError:
        return date
    if pub.upper is not None and period_end.upper is not None and period_end.upper >= pub.upper and start[:4].isdigit():
        return f"{start}/{published.rstrip('~?%')}"
    return date


def draft_facts(text: str, published: EDTF) -> list[Draft]:
    pub = str(published)
    out: list[Draft] = []
    last: tuple[int, str] | None = None  # (paragraph, date) of the last dated figure
    skip = furniture(text)
    seen: set[str] = set()
    for paragraph, sentence in sentences(text):
        if paragraph in skip or _DATELINE.match(sentence) or sentence in seen:
            continue  # the page's furniture, or a sentence the lead repeats from the story
        seen.add(sentence)
        found = dates(sentence, published)
        spans = changes(sentence, published)  # "tăng 11,6% so với năm 2020": not a figure of its own
        figures = [a for a in amounts(sentence) if not _inside(a.start, spans)]
        taken: set[str] = set()
        for a in figures:
            # "trong 12 năm qua": a count up to the article's day, never the date of another event
            # in the sentence ("từ khi nhậm chức năm 2019"), which is drafted as an event below.
            date = pub if a.unit == "years" else _date_for(a, found, sentence, spans, pub)
            taken.add(date)
            if date == pub and last is not None and paragraph - last[0] <= 2 and sentence.lower().startswith(_REFERS_BACK):
                date = last[1]  # "Trong đó, xuất khẩu …": of the total just given, so of its period
            elif date != pub:
                last = (paragraph, date)
            value: dict[str, Any] = {"amount": a.amount, "unit": a.unit, "metric": ""}
            if a.comparator != "=":
                value["comparator"] = a.comparator
            move = next((c for c in spans if 0 <= c.start - a.end <= 12), None)
            if move is not None:  # read again with this figure's period: "so với cùng kỳ 2024"
                (move,) = changes(sentence[move.start : move.end], published, date)
                value["change"] = move.change
                if move.vs:
                    value["vs"] = move.vs
            draft = Draft("figure", _running_plan(date, a, pub), quote_around(sentence, a.start, a.end), value, _planned(sentence, a.start, 60))
            if not any((d.kind, d.date, d.quote, d.value) == (draft.kind, draft.date, draft.quote, draft.value) for d in out):  # one figure, said twice
                out.append(draft)
        usable = [f for f in found if not _inside(f.start, spans)]
        if figures:  # a date a figure counts from is an event of its own: "từ khi nhậm chức năm 2019"
            counted = any(a.unit == "years" for a in figures)  # "trong 12 năm qua … từ khi nhậm chức năm 2019"
            usable = [f for f in usable if f.value not in taken and (counted or f"{f.value}/.." in taken)]
            if not usable:
                continue
        meeting = None if figures else _ORDINAL_MEETING.search(sentence)
        if usable:  # one draft a distinct date: "Võ Văn Kiệt … năm 1994, Nguyễn Tấn Dũng năm 2009"
            for f in {f.value: f for f in reversed(usable)}.values():
                out.append(Draft("event", f.value, quote_around(sentence, f.start, f.end), None, _planned(sentence, len(sentence))))
        elif meeting:
            out.append(Draft("event", pub, quote_around(sentence, meeting.start(), meeting.end()), None, _planned(sentence, len(sentence))))
    # A photo caption is furniture, but one can be the only place a day is given ("Hai nhà lãnh
    # đạo hội đàm ngày 6/5. (Ảnh: …)"): its dates the story did not give are drafted, nothing else.
    lines = text.splitlines()
    drafted = {d.date for d in out}
    for paragraph, sentence in sentences(text):
        if paragraph in skip and _CAPTION.search(lines[paragraph]) and sentence not in seen:
            seen.add(sentence)
            for f in dates(sentence, published):
                if f.value not in drafted and len(f.value) >= 7:
                    drafted.add(f.value)
                    out.append(Draft("event", f.value, quote_around(sentence, f.start, f.end), None))
    return out


def published_in(text: str) -> str | None:
    """The article's own date, from a date line of its header ('Thứ hai, 27/06/2022 20:47',
    '26/07/2024 17:13'): a line that is only a date. Never a date of the story ('Sáng 21/8, …',
    'ngày 29/6/1992'): an article without a date line has no date here."""
    for line in text.splitlines()[:8]:
        m = _DATELINE.match(line.strip())
        if m:
            days = [f.value for f in dates(f"{m['d']}/{m['m']}/{m['y']}") if len(f.value) == 10]
            if days:
                return days[0]
    return None


def drafts_document(article: Path, text: str, source_id: str, published: EDTF, known_source: bool, index: Index | None = None) -> dict[str, Any]:
    """The TOML document: a draft [[source]] when the source is new, then a draft [[fact]] each.

    Given the base's index, each draft is filled from its vocabularies (see `_known`), and a
    draft that restates a fact the base holds becomes a [[cite]] of it (with the value this
    article gives, when it differs): a curator merges instead of duplicating."""
    doc: dict[str, Any] = {}
    labels = index.entity_labels() if index is not None else []
    mentions_of: list[dict[str, Any]] = []
    if not known_source:
        title = headline(text) or article.stem
        doc["source"] = [
            {"draft": True, "id": source_id, "title": title, "title_en": "", "published": str(published), "language": "vi", "file": article.name}
        ]
    facts = []
    for n, d in enumerate(draft_facts(text, published), 1):
        fact: dict[str, Any] = {
            "draft": True,
            "id": f"{source_id}/draft-{n:03d}",
            "kind": d.kind,
            "date": d.date,
            "relations": [],
            "topics": [],
            "entities": [],
            "text": "",
            "text_vi": "",
        }
        if d.status is not None:
            fact["status"] = d.status
        if d.value is not None:
            fact["value"] = d.value
        fact["cite"] = [{"source": source_id, "quote": d.quote}]
        restated = _known(fact, d.quote, index, labels) if index is not None else None
        if restated is None:
            facts.append(fact)
        elif restated:  # an empty one: the base already cites this article for the fact
            mentions_of.append(restated)
    doc["fact"] = facts
    if mentions_of:
        doc["cite"] = mentions_of
    return doc


def _known(fact: dict[str, Any], quote: str, index: Index, labels: Labels) -> dict[str, Any] | None:
    """Fill a draft from the base's vocabularies — the entities its sentence names, the relation
    whose parties those are, the metric whose name it uses (a measured figure only: a target is
    its own series) — and say which fact it restates: a [[cite]] of that fact, {} when the base
    already cites this article for it, or None for a new fact."""
    typed = tokens(quote)
    keys = [folded_key(t) for t in typed]
    found = sorted({m.entity for m in mentions(keys, [marked(t) for t in typed], labels, set())})
    fact["entities"] = found
    named = set(found)
    fitting = [r for r in index.relations.values() if set(r.parties) <= named]
    if not fitting:  # one side named ("Tổng thống Kazakhstan…"): the one relation of two parties it is in
        countries = {e for e in named if index.entities[e].kind == "country"}
        pairs = [r for r in index.relations.values() if len(r.parties) == 2 and countries and countries <= set(r.parties)]
        fitting = pairs if len(pairs) == 1 else []
    widest = max((len(r.parties) for r in fitting), default=0)
    fact["relations"] = sorted(r.id for r in fitting if len(r.parties) == widest)
    value = fact.get("value")
    if fact["kind"] == "event" and fact.get("status") is None:
        return _known_event(fact, index)
    if value is None or fact.get("status") == "planned":
        return None
    words = set(keys)
    metrics = [m for m in index.metrics.values() if m.unit == value["unit"] and any(set(name) <= words for name in metric_names(m))]
    if len(metrics) != 1:
        return None
    value["metric"] = metrics[0].id
    for doc in index.metric_docs.get(metrics[0].id, ()):
        held = index.fact(doc)
        if str(held.date) != fact["date"] or not set(held.relations) & set(fact["relations"]) or held.status is not None:
            continue
        if any(c.source == fact["cite"][0]["source"] for c in held.citations):
            return {}  # already cited from this very article
        cite: dict[str, Any] = {"fact": held.id, **fact["cite"][0]}
        if held.value is not None and (held.value.amount, held.value.comparator) != (value["amount"], value.get("comparator", "=")):
            cite["value"] = {k: value[k] for k in ("amount", "unit", "comparator") if k in value}
            cite["note"] = "draft: this article gives another value; check which is right"
        return cite
    return None


def _known_event(fact: dict[str, Any], index: Index) -> dict[str, Any] | None:
    """The event the base holds that this draft tells again: the same day, a person both name,
    and one of its relations when the sentence names one (as check's conflicts.py reads 'the same
    event') — a [[cite]] of it."""
    people = {e for e in fact["entities"] if index.entities[e].kind == "person"}
    if not people:
        return None
    docs = set().union(*(index.entity_docs.get(e, ()) for e in people))
    for doc in sorted(docs):
        held = index.fact(doc)
        if held.kind != "event" or held.status is not None or str(held.date) != fact["date"]:
            continue
        if (not fact["relations"] or set(held.relations) & set(fact["relations"])) and people & set(held.entities):
            if any(c.source == fact["cite"][0]["source"] for c in held.citations):
                return {}
            return {"fact": held.id, **fact["cite"][0]}
    return None


def slug(name: str) -> str:
    """A source id from a file name: 'Bài báo 1.txt' → 'bai-bao-1'."""
    from dipfacts.normalize import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "article"
