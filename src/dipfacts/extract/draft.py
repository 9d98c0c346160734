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
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dipfacts.base.dates import EDTF, parse_edtf
from dipfacts.base.errors import DipfactsError
from dipfacts.base.load import MAX_QUOTE
from dipfacts.base.model import Metric
from dipfacts.base.names import Labels, Mention, marked, mentions, metric_names
from dipfacts.base.normalize import exact_key, folded_key, tokens
from dipfacts.extract.patterns_vi import (
    Amount,
    Change,
    Found,
    amounts,
    changes,
    dates,
    series,
    series_in_english,
    window,
)
from dipfacts.search.index import Index

# "Hội nghị Bộ trưởng Ngoại giao ASEAN lần thứ 55": a meeting by its number (not "chuyến thăm … lần
# thứ 4", "bầu cử … lần thứ 18": a count, not a meeting the article dates).
_ORDINAL_MEETING = re.compile(
    r"(?:hội nghị|kỳ họp|khóa họp|phiên họp|diễn đàn|đối thoại|hội "
    r"nghị thượng đỉnh|hội thảo|ủy ban|tham vấn)\b[^.;]{0,80}?"
    r"lần thứ\s+(\d{1,3}|nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)",
    re.IGNORECASE,
)
# A sentence ends at . ! ? … followed by a space and a capital, an opening quote or a bullet.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’]?\s+(?=[\"“‘*(\-–]?[^\W\d_])")


# The page's own date line: "Thứ hai, 27/06/2022 20:47", "26/07/2024 17:13", "20:37 | 29/07/2022",
# "Chủ nhật, 20/8/2023, 18:05 (GMT+7)".
_DATELINE = re.compile(
    r"^(?:\d{1,2}:\d{2}\s*[-|,]?\s*)?(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?(?:ngày\s+)?"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    r"(?:\s*[-|,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*\(?GMT[^)]*\)?)?\s*$",
    re.IGNORECASE,
)
# A byline ending in the page's date line: "Trung Kiên (Ban Thời sự)-Thứ hai, ngày 01/07/2019 06:00 GMT+7".
_BYLINE = re.compile(
    r"^.{0,80}?[-–|,]\s*(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?(?:ngày\s+)?"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    r"\s*[-|,]?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*\(?GMT[^)]*\)?)?\s*$",
    re.IGNORECASE,
)


def _dateline(line: str) -> re.Match[str] | None:
    return _DATELINE.match(line) or _BYLINE.match(line)


# "Từ khi …", "kể từ …", "từ năm 2016": a figure measured since a date, not on it.
_SINCE = re.compile(
    r"(?:^|[\s,(])(?:kể\s+từ|từ\s+khi|từ\s+năm|từ\s+sau|từ(?=\s*$))\b(?![^,;]*\bđến\b)[^;]*$", re.IGNORECASE
)
_ABBREVIATIONS = {
    "TS",
    "PGS",
    "GS",
    "ThS",
    "Th.S",
    "BS",
    "KS",
    "TP",
    "Tp",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "Q",
}
_REFERS_BACK = (
    "trong đó",
    "trong số đó",
    "riêng",
    "cụ thể",
    "ở chiều ngược lại",
    "chiều ngược lại",
    "ngược lại",
    "và ",
)


@dataclass(frozen=True, slots=True)
class Draft:
    kind: str
    date: str
    quote: str
    value: dict[str, Any] | None
    status: str | None = None  # "planned": announced for the future, or a target
    series: str = ""  # a figure's words for what it measures ('diện tích', 'trữ lượng kẽm')
    window: str = ""  # the words of its clause before it, where a metric's name is looked for


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
            out.append(
                (number, paragraph[start : m.start() + len(m.group()) - len(m.group().lstrip('"”’'))].strip())
            )
            start = m.end()
        out.append((number, paragraph[start:].strip()))
    return [(n, s) for n, s in out if s]


# Lines of the page, not of the story: a photo caption ("… (Ảnh: TTXVN)", "Ảnh: …"), a "follow us"
# line ("Theo dõi … trên Google News"), a related-article teaser ("Xem thêm: …", "Tin liên quan", ">> …").
_CAPTION = re.compile(
    r"\((?:Ảnh|Nguồn ảnh|Photo)\s*:[^)]*\)\s*$|^(?:Ảnh|Nguồn ảnh)\s*:|\.\s*(?:Ảnh|Nguồn ảnh)\s*:[^.]{1,60}$",
    re.IGNORECASE,
)
_FOLLOW = re.compile(r"^theo dõi\b.*\btrên\b", re.IGNORECASE)
_TEASER = re.compile(
    r"^(?:xem thêm|đọc thêm|tin liên quan|bài liên quan|có thể bạn quan tâm|>>|»)", re.IGNORECASE
)


def headline(text: str) -> str | None:
    """The page's headline: a first line that is not a sentence (no final stop) and is followed by more."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if (
        len(lines) >= 2
        and len(lines[0]) <= 200
        and not lines[0].endswith((".", "!", "?", "…", ":", ","))
        and not _dateline(lines[0])
    ):
        return lines[0]
    return None


def furniture(text: str) -> set[int]:
    """The numbers of the paragraphs that are page furniture: the headline, date lines, photo
    captions, 'follow us' lines and related-article teasers."""
    out: set[int] = set()
    title = headline(text)
    for number, line in enumerate(text.splitlines()):
        line = line.strip()
        if (
            (title is not None and line == title and not out)
            or _dateline(line)
            or _CAPTION.search(line)
            or _FOLLOW.match(line)
            or _TEASER.match(line)
        ):
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
            right = min(
                (i for i in (sentence.find(s, hi) for s in separators) if i != -1), default=len(sentence)
            )
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
_PLANNED = re.compile(
    r"(?<!\w)(?:sẽ|dự kiến|dự định|đặt mục tiêu|mục tiêu|phấn đấu|lên kế hoạch|hướng tới)(?!\w)",
    re.IGNORECASE,
)
_DONE = re.compile(r"(?<!\w)(?:đã|vừa)(?!\w)", re.IGNORECASE)


def _planned(sentence: str, start: int, reach: int = 10_000) -> str | None:
    """'planned' when the clause before `start` (at most `reach` characters of it) announces it
    ('sẽ', 'dự kiến', 'đặt mục tiêu') and says nothing of it being done ('đã')."""
    clause = sentence[max(sentence.rfind(";", 0, start) + 1, start - reach) : start]
    marks = list(_PLANNED.finditer(clause))
    if not marks or _DONE.search(clause[marks[-1].end() :]):
        return None
    return "planned"


def _since(sentence: str, f: Found) -> bool:
    """'kể từ khi hai nước nâng cấp quan hệ (2014)': a date something is counted from."""
    return "/" not in f.value and bool(_SINCE.search(sentence[max(0, f.start - 200) : f.start]))


def _growth(sentence: str, a: Amount) -> bool:
    """'tăng 50.000 người so với 2023': how much a figure grew, not a figure of its own."""
    return bool(
        re.search(r"(?:tăng|giảm)(?:\s+thêm)?\s*$", sentence[: a.start], re.IGNORECASE)
        and re.match(r"\s*so với", sentence[a.end :])
    )


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
    after = [
        f
        for f in usable
        if f.start >= amount.end
        and f.end <= clause_end
        and not re.search(r"[,;]", sentence[amount.end : f.start])
    ]
    if not before and re.search(
        r"\bhiện\b", sentence[max(clause_start, amount.start - 60) : amount.start], re.IGNORECASE
    ):
        return published  # "Mỹ hiện là đối tác … lớn thứ hai": now, as of the article
    # "đạt gần 15 tỷ USD trong năm 2023": a date right after the amount is its own.
    right_after = [
        f
        for f in after
        if re.fullmatch(
            r"\s*(?:trong|vào|tính đến|đến hết|cả)?\s*", sentence[amount.end : f.start], re.IGNORECASE
        )
    ]
    if right_after:
        return right_after[0].value
    candidates = in_clause or before or after
    if not candidates:
        return published
    pick = candidates[-1 if (in_clause or before) else 0]
    if _since(sentence, pick) and amount.start > pick.end:
        # "Từ khi Hiệp định … có hiệu lực năm 2016, … tăng khoảng 28% một năm": since then
        return f"{pick.value}/.."
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
    if (
        pub.upper is not None
        and period_end.upper is not None
        and period_end.upper >= pub.upper
        and start[:4].isdigit()
    ):
        return f"{start}/{published.rstrip('~?%')}"
    return date


def draft_facts(text: str, published: EDTF) -> list[Draft]:
    pub = str(published)
    out: list[Draft] = []
    last: tuple[int, str] | None = None  # (paragraph, date) of the last dated figure
    skip = furniture(text)
    seen: set[str] = set()
    for paragraph, sentence in sentences(text):
        if paragraph in skip or _dateline(sentence) or sentence in seen:
            continue  # the page's furniture, or a sentence the lead repeats from the story
        seen.add(sentence)
        found = dates(sentence, published)
        spans = changes(sentence, published)  # "tăng 11,6% so với năm 2020": not a figure of its own
        every = amounts(sentence)
        figures = [a for a in every if not _inside(a.start, spans) and not _growth(sentence, a)]
        taken: set[str] = set()
        for a in figures:
            # "trong 12 năm qua": a count up to the article's day, never the date of another event
            # in the sentence ("từ khi nhậm chức năm 2019"), which is drafted as an event below.
            date = pub if a.unit == "years" else _date_for(a, found, sentence, spans, pub)
            taken.add(date)
            if (
                date == pub
                and last is not None
                and paragraph - last[0] <= 2
                and sentence.lower().startswith(_REFERS_BACK)
            ):
                date = last[1]  # "Trong đó, xuất khẩu …": of the total just given, so of its period
            elif date != pub:
                last = (paragraph, date)
            value = _value(a, sentence, spans, published, date)
            at = every.index(a)
            what = series(sentence, every, at)
            around = window(sentence, every, at, what)
            quote = quote_around(sentence, a.start, a.end)
            draft = Draft(
                "figure",
                _running_plan(date, a, pub),
                quote,
                value,
                _planned(sentence, a.start, 60),
                what,
                around,
            )
            if not any(
                (d.kind, d.date, d.quote, d.value, d.series)
                == (draft.kind, draft.date, draft.quote, draft.value, draft.series)
                for d in out
            ):  # one figure, said twice
                out.append(draft)
        usable = [f for f in found if not _inside(f.start, spans)]
        if figures:  # a date a figure counts from is an event of its own: "từ khi nhậm chức năm 2019"
            counted = any(
                a.unit == "years" for a in figures
            )  # "trong 12 năm qua … từ khi nhậm chức năm 2019"
            usable = [
                f
                for f in usable
                if f.value not in taken and (counted or f"{f.value}/.." in taken or _since(sentence, f))
            ]
            if not usable:
                continue
        meeting = None if figures else _ORDINAL_MEETING.search(sentence)
        if usable:  # one draft a distinct date: "Võ Văn Kiệt … năm 1994, Nguyễn Tấn Dũng năm 2009"
            for f in {f.value: f for f in reversed(usable)}.values():
                out.append(
                    Draft(
                        "event",
                        f.value,
                        quote_around(sentence, f.start, f.end),
                        None,
                        _planned(sentence, len(sentence)),
                    )
                )
        elif meeting:
            out.append(
                Draft(
                    "event",
                    pub,
                    quote_around(sentence, meeting.start(), meeting.end()),
                    None,
                    _planned(sentence, len(sentence)),
                )
            )
    return out + _caption_days(text, published, skip, seen, {d.date for d in out})


def _value(a: Amount, sentence: str, spans: list[Change], published: EDTF, date: str) -> dict[str, Any]:
    """A figure's value, with the change the sentence gives right after it, read again with the
    figure's own period ("so với cùng kỳ 2024" is the same months of 2024)."""
    value: dict[str, Any] = {"amount": a.amount, "unit": a.unit, "metric": ""}
    if a.comparator != "=":
        value["comparator"] = a.comparator
    move = next((c for c in spans if 0 <= c.start - a.end <= 12), None)
    if move is not None:
        (move,) = changes(sentence[move.start : move.end], published, date)
        value["change"] = move.change
        if move.vs:
            value["vs"] = move.vs
    return value


def _caption_days(
    text: str, published: EDTF, skip: set[int], seen: set[str], drafted: set[str]
) -> list[Draft]:
    """A photo caption is furniture, but one can be the only place a day is given ("Hai nhà lãnh
    đạo hội đàm ngày 6/5. (Ảnh: …)"): its dates the story did not give are drafted, nothing else."""
    lines = text.splitlines()
    out = []
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
        m = _dateline(line.strip())
        if m:
            days = [f.value for f in dates(f"{m['d']}/{m['m']}/{m['y']}") if len(f.value) == 10]
            if days:
                return days[0]
    return None


def drafts_document(
    article: Path, text: str, source_id: str, published: EDTF, known_source: bool, index: Index | None = None
) -> dict[str, Any]:
    """The TOML document: a draft [[source]] when the source is new, a draft [[metric]] for each
    series the base does not know, then a draft [[fact]] each.

    Given the base's index, each draft is filled from its vocabularies (see `_Vocabulary`), and a
    draft that restates a fact the base holds becomes a [[cite]] of it (with the value this
    article gives, when it differs): a curator merges instead of duplicating."""
    doc: dict[str, Any] = {}
    mentions_of: list[dict[str, Any]] = []
    if not known_source:
        title = headline(text) or article.stem
        doc["source"] = [
            {
                "draft": True,
                "id": source_id,
                "title": title,
                "published": str(published),
                "language": "vi",
                "file": article.name,
            }
        ]
    vocabulary = _Vocabulary(index) if index is not None else None
    facts = []
    drafts = draft_facts(text, published)
    for n, d in enumerate(drafts, 1):
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
        if vocabulary is not None:
            vocabulary.name(fact, d)
        facts.append(fact)
    if vocabulary is not None:
        # A sentence that names no party ("Kim ngạch thương mại song phương năm 2022 đạt …") is
        # about the relation the rest of the article is about.
        counts = Counter(r for f in facts for r in f["relations"])
        main = counts.most_common(1)[0][0] if counts else None
        kept = []
        for fact, d in zip(facts, drafts, strict=True):
            if not fact["relations"] and main is not None:
                fact["relations"] = [main]
            restated = vocabulary.measure(fact, d)
            if restated is None:
                kept.append(fact)
            elif restated:  # an empty one: the base already cites this article for the fact
                mentions_of.append(restated)
        facts = kept
        vocabulary.keep_apart(facts)
        if vocabulary.new_relations:
            doc["relation"] = [
                vocabulary.new_relations[r]
                for r in sorted({r for f in facts for r in f["relations"]} & set(vocabulary.new_relations))
            ]
        if vocabulary.new_metrics:
            doc["metric"] = [
                vocabulary.new_metrics[m]
                for m in sorted(
                    {f["value"]["metric"] for f in facts if "value" in f} & set(vocabulary.new_metrics)
                )
            ]
    doc["fact"] = facts
    if mentions_of:
        doc["cite"] = mentions_of
    return doc


HOME = "vietnam"  # the country whose relations the base holds
# Entities the base files under one relation, whose naming says which ("AMM" → ASEAN); an agreement's
# or a document's names are too alike across relations ("Tuyên bố chung") to say.
_FILED = ("meeting-series", "meeting")


class _Vocabulary:
    """The base's names, relations and metrics, put to a draft: which entities its sentence names,
    the relation whose parties those are, the metric whose name it uses; and which fact it restates."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.labels: Labels = index.entity_labels()
        self.parties = {p for r in index.relations.values() for p in r.parties}
        self.new_metrics: dict[str, dict[str, Any]] = {}
        self.new_relations: dict[str, dict[str, Any]] = {}

    def _mentions(self, typed: list[str]) -> list[Mention]:
        """The base's entities named in these words (with marks only by the same marks)."""
        return mentions([folded_key(t) for t in typed], [marked(t) for t in typed], self.labels, set())

    def named(self, quote: str) -> list[str]:
        return sorted({m.entity for m in self._mentions(tokens(quote))})

    def name(self, fact: dict[str, Any], d: Draft) -> None:
        """Fill the entities the quote names and the relation they are parties to."""
        fact["entities"] = self.named(d.quote)
        fact["relations"] = self.relations(set(fact["entities"]))

    def relations(self, named: set[str]) -> list[str]:
        """The widest relation whose parties the sentence names, counting for a person the countries
        their office names (Tokayev, President of Kazakhstan) and for a meeting the parties of the
        relation the base mostly files it under (AMM → ASEAN). A sentence about Vietnam and one other
        country ("Hàn Quốc là đối tác đầu tư số 1") is about the relation of the two — a draft
        [[relation]] when the base has none — never about another relation that country is in
        (ASEAN–Korea). Else the relation the base mostly files a named meeting under."""
        implied = set(named)
        for e in named - self.parties:
            implied |= self._implied(e)
        fitting = [r for r in self.index.relations.values() if set(r.parties) <= implied]
        widest = max((len(r.parties) for r in fitting), default=0)
        others = {
            e
            for e in implied
            if e != HOME and e in self.index.entities and self.index.entities[e].kind == "country"
        }
        if widest < 2 and len(others) == 1:
            return [self._pair(others.pop())]
        if not fitting:
            homes = {self._home(e) for e in named if self.index.entities[e].kind in _FILED} - {None}
            fitting = [self.index.relations[h] for h in homes if h is not None] if len(homes) == 1 else []
            widest = max((len(r.parties) for r in fitting), default=0)
        return sorted(r.id for r in fitting if len(r.parties) == widest)

    def _pair(self, country: str) -> str:
        """Vietnam's relation with a country: the base's, or a draft [[relation]] named from the two."""
        held = next((r.id for r in self.index.relations.values() if set(r.parties) == {HOME, country}), None)
        if held is not None:
            return held
        rid = f"vn-{country}" if f"vn-{country}" not in self.index.relations else f"{HOME}-{country}"
        home, other = self.index.entities[HOME], self.index.entities[country]
        self.new_relations.setdefault(
            rid,
            {
                "draft": True,
                "id": rid,
                "name": f"{home.name}–{other.name}",
                "name_vi": f"{home.name_vi} – {other.name_vi}",
                "parties": [HOME, country],
            },
        )
        return rid

    def _parties(self, relation: str) -> int:
        held = self.index.relations.get(relation)
        return len(held.parties) if held is not None else len(self.new_relations[relation]["parties"])

    def _implied(self, entity: str) -> set[str]:
        e = self.index.entities[entity]
        if (
            e.kind == "person"
        ):  # a Vietnamese minister appears in every relation: their office says whose they are
            return set(self.named(f"{e.office or ''}; {e.office_vi or ''}")) & self.parties
        home = self._home(entity) if e.kind in _FILED else None
        return set(self.index.relations[home].parties) if home is not None else set()

    def _home(self, entity: str) -> str | None:
        counts = Counter(
            r for doc in self.index.entity_docs.get(entity, ()) for r in self.index.fact(doc).relations
        )
        if not counts:
            return None
        relation, n = counts.most_common(1)[0]
        return relation if 3 * n >= 2 * sum(counts.values()) else None

    def measure(self, fact: dict[str, Any], d: Draft) -> dict[str, Any] | None:
        """Set a figure's metric (and the topics of the facts of it), and say which fact the draft
        restates: a [[cite]] of that fact, {} when the base already cites this article for it, or
        None for a new fact."""
        value = fact.get("value")
        if fact["kind"] == "event":
            return _known_event(fact, self.index) if fact.get("status") is None else None
        if value is None:
            return None
        known = self._metric(d.window, value["unit"], set(fact["entities"]), fact["relations"])
        planned = fact.get("status") == "planned"
        if known is not None and not planned and known.unit == value["unit"]:
            value["metric"] = known.id
            fact["topics"] = self._topics(known.id)
            return self._restated(fact, known.id)
        value["metric"] = self._new_metric(fact, d, known, planned)
        if known is not None and (planned or value["unit"] == "%"):  # its target, or its growth
            fact["topics"] = self._topics(known.id)
        return None

    def _metric(self, window: str, unit: str, named: set[str], relations: list[str]) -> Metric | None:
        """The one metric whose name the clause uses, of this unit if any is (else of any unit, to
        name a target or a growth rate after), and whose subject, if it has one, the sentence names."""
        keys = [exact_key(t) for t in tokens(window)]
        used = []
        for m in self.index.metrics.values():
            if not set(m.parties) <= named:
                continue  # Kazakhstan's population is not asked of a sentence that names only Vietnam
            if not m.parties and not any(self._parties(r) >= 2 for r in relations):
                continue  # bilateral trade lies between a relation's parties: not of Vietnam's foreign policy
            # A flow's name in its order ("xuất khẩu … Kazakhstan sang … Việt Nam" is not Vietnam's exports
            # to Kazakhstan); the subject may be named anywhere in the sentence ("Kazakhstan có … dân số").
            subject = (
                {exact_key(t) for n in self.index.entities[m.subject].names for t in tokens(n)}
                if m.subject
                else set()
            )
            flow = m.source is not None or m.target is not None
            for name in metric_names(m, exact=True):
                if _in_order(list(name), keys) if flow else set(name) - subject <= set(keys):
                    used.append(m)
                    break
        same = [m for m in used if m.unit == unit]
        chosen = same or used
        return chosen[0] if len({m.id for m in chosen}) == 1 else None

    def _topics(self, metric: str) -> list[str]:
        counts = Counter(
            t for doc in self.index.metric_docs.get(metric, ()) for t in self.index.fact(doc).topics
        )
        n = len(self.index.metric_docs.get(metric, ()))
        return sorted(t for t, c in counts.items() if 2 * c >= n)

    def _new_metric(self, fact: dict[str, Any], d: Draft, known: Metric | None, planned: bool) -> str:
        """A draft [[metric]] for a series the base does not hold: a target or growth rate of a
        known series ('bilateral-trade-target'), or one named by the article's own words for it,
        put into English where every word is known. Its id is unique in the base."""
        unit = fact["value"]["unit"]
        target = planned and "mục tiêu" in fact["cite"][0]["quote"].lower()
        suffix, suffix_vi = (
            ("target", "mục tiêu") if target else ("planned", "dự kiến") if planned else ("", "")
        )
        table: dict[str, Any]
        if known is not None and (planned or unit == "%"):
            kind, kind_vi = (suffix, suffix_vi) if planned else ("growth", "tăng trưởng")
            table = {
                "id": f"{known.id}-{kind}",
                "name": f"{known.name} {kind}",
                "name_vi": f"{kind_vi} {known.name_vi}",
            }
            for key, field in (("subject", known.subject), ("from", known.source), ("to", known.target)):
                if field is not None:
                    table[key] = field
        else:
            vi, en = self._series_names(d.series, unit)
            subjects = [
                e for e in fact["entities"] if self.index.entities[e].kind in ("country", "organisation")
            ]
            owner = (
                subjects[0] if len(subjects) == 1 else fact["relations"][0] if fact["relations"] else "series"
            )
            words = [owner, slug(en or vi)]
            if unit in ("rank", "top"):
                words.append(unit)
                en, vi = (
                    f"{en or vi} ({'top' if unit == 'top' else 'rank'})",
                    f"{vi} ({'thứ hạng' if unit == 'rank' else 'top'})",
                )
            if suffix:
                words.append(suffix)
                en, vi = f"{en or vi} ({suffix})", f"{vi} ({suffix_vi})"
            table = {"id": "-".join(w for w in words if w), "name": en or vi, "name_vi": vi}
            if len(subjects) == 1:
                table["subject"] = subjects[0]
        table["unit"] = unit
        mid = table["id"]
        held = self.index.metrics.get(mid)
        if held is not None and held.unit == unit:
            return mid
        if held is not None or (mid in self.new_metrics and self.new_metrics[mid]["unit"] != unit):
            table["id"] = mid = f"{mid}-{slug(unit)}"
        self.new_metrics.setdefault(mid, {"draft": True, **table})
        return mid

    def keep_apart(self, facts: list[dict[str, Any]]) -> None:
        """Two figures of one new series, one date and different values are two series the
        article's words did not tell apart ('trữ lượng … 23 tỷ tấn', '… Caspi … trữ lượng 13 tỷ tấn'):
        each later one gets a series of its own, numbered, for the curator to name."""
        seen: dict[tuple[str, str], tuple] = {}
        for fact in facts:
            value = fact.get("value")
            if value is None or value["metric"] not in self.new_metrics:
                continue
            stated = (value["amount"], value.get("comparator", "="))
            key = (value["metric"], fact["date"])
            if seen.setdefault(key, stated) == stated:
                continue
            table = self.new_metrics[value["metric"]]
            n = 2
            while f"{table['id']}-{n}" in self.new_metrics or f"{table['id']}-{n}" in self.index.metrics:
                n += 1
            mid = f"{table['id']}-{n}"
            self.new_metrics[mid] = {
                **table,
                "id": mid,
                "name": f"{table['name']} ({n})",
                "name_vi": f"{table['name_vi']} ({n})",
            }
            value["metric"] = mid
            seen[(mid, fact["date"])] = stated

    def _series_names(self, words: str, unit: str) -> tuple[str, str | None]:
        """The series' words in Vietnamese (without the entities they name, which the metric's
        subject holds) and in English where every word is known."""
        typed = tokens(words)
        drop = {i for m in self._mentions(typed) for i in range(m.start, m.end)}
        vi = " ".join(t for i, t in enumerate(typed) if i not in drop) or ("tỷ lệ" if unit == "%" else unit)
        return vi, series_in_english(vi)

    def _restated(self, fact: dict[str, Any], metric: str) -> dict[str, Any] | None:
        value = fact["value"]
        for doc in self.index.metric_docs.get(metric, ()):
            held = self.index.fact(doc)
            if (
                str(held.date) != fact["date"]
                or not set(held.relations) & set(fact["relations"])
                or held.status is not None
            ):
                continue
            if any(c.source == fact["cite"][0]["source"] for c in held.citations):
                return {}  # already cited from this very article
            cite: dict[str, Any] = {"fact": held.id, **fact["cite"][0]}
            if held.value is not None and (held.value.amount, held.value.comparator) != (
                value["amount"],
                value.get("comparator", "="),
            ):
                cite["value"] = {k: value[k] for k in ("amount", "unit", "comparator") if k in value}
                cite["note"] = "draft: this article gives another value; check which is right"
            return cite
        return None


def _in_order(phrase: list[str], keys: list[str]) -> bool:
    """Whether the words of `phrase` stand in `keys` in that order, other words between them."""
    rest = iter(keys)
    return bool(phrase) and all(any(k == w for k in rest) for w in phrase)


def _known_event(fact: dict[str, Any], index: Index) -> dict[str, Any] | None:
    """The event the base holds that this draft tells again — a [[cite]] of it: the same day, one
    of its relations, and a person both name, or (no person named) another entity both name and
    words alike (as check's conflicts.py reads 'the same event': "Việt Nam và Kazakhstan thiết lập
    quan hệ ngoại giao ngày 29/6/1992", told again)."""
    from rapidfuzz import fuzz

    from dipfacts.base.conflicts import SIMILAR_TEXT

    named = set(fact["entities"])
    people = {e for e in named if index.entities[e].kind == "person"}
    quote = fact["cite"][0]["quote"]
    docs = set().union(*(index.entity_docs.get(e, ()) for e in (people or named - {HOME})))
    for doc in sorted(docs):
        held = index.fact(doc)
        if held.kind != "event" or held.status is not None or str(held.date) != fact["date"]:
            continue
        if fact["relations"] and not set(held.relations) & set(fact["relations"]):
            continue
        if people:
            same = bool(people & set(held.entities))
        else:
            told = [held.text_vi, *(c.quote for c in held.citations)]
            same = (
                bool((named - {HOME}) & set(held.entities))
                and max(fuzz.token_set_ratio(quote, t) for t in told) >= SIMILAR_TEXT
            )
        if same:
            if any(c.source == fact["cite"][0]["source"] for c in held.citations):
                return {}
            return {"fact": held.id, **fact["cite"][0]}
    return None


# The order a curator reads a draft in: what it cites, the vocabulary it adds, then the facts.
TABLE_ORDER = ("source", "relation", "metric", "fact", "cite")


def drafts_toml(doc: dict[str, Any]) -> str:
    """The document as TOML, every table written out as `[[kind]]` (tomli_w would write a short one
    inline, `metric = [{ … }]`, where a curator looks for the tables), in TABLE_ORDER."""
    return "\n".join(_table(kind, table, aot=True) for kind in TABLE_ORDER for table in doc.get(kind, ()))


def _table(name: str, table: dict[str, Any], aot: bool) -> str:
    import tomli_w

    flat = {
        k: v
        for k, v in table.items()
        if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict))
    }
    out = [f"[[{name}]]\n" if aot else f"[{name}]\n", tomli_w.dumps(flat)]
    for key, value in table.items():
        if isinstance(value, dict):
            out.append("\n" + _table(f"{name}.{key}", value, aot=False))
        elif key not in flat:
            out.extend("\n" + _table(f"{name}.{key}", item, aot=True) for item in value)
    return "".join(out)


def slug(name: str) -> str:
    """A source id from a file name: 'Bài báo 1.txt' → 'bai-bao-1'."""
    from dipfacts.base.normalize import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "article"
