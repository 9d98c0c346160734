"""Reading a question: what kind of answer it wants, for which period, about whom, and which way.

`ask` answers only with a fact that answers the question, so it first has to know what
the question asks. This module turns the words a user typed into a `Question`:

- its intent — a date (when), an amount (how much), a count (how many), a change
  (how much did it grow), a rank (what rank), a person (who), a place (where), or the fact;
- the period it names ("in 2023", "the first quarter of 2025", "quý 1/2025");
- its tense: the future ("when will…", "is to be held", "sẽ", "dự kiến"), the past ("when did…",
  "đã"), or neither ("when is…", most Vietnamese questions);
- the numbers a fact must state itself (the 55th meeting, lần thứ 55, AMM-55);
- the entities it names, and for a flow (exports, investment, visitors) which of them is
  the origin and which the destination.

Nothing here reads the fact base beyond the names of its entities and metrics.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dipfacts.base.dates import EDTF, DateError, parse_edtf
from dipfacts.base.model import Metric
from dipfacts.base.names import Labels, Mention, find, find_all, marked, metric_names
from dipfacts.base.names import mentions as find_mentions
from dipfacts.base.normalize import fold, folded_key, nfc, tokens
from dipfacts.base.numbers_vi import COUNTS, ORDINALS, folded


class Intent(str, enum.Enum):
    when = "when"
    how_much = "how much"
    how_many = "how many"
    growth = "growth"
    rank = "rank"
    who = "who"
    where = "where"
    what = "what"


#: Intents answered by a figure's value: the question must name the figure's metric.
FIGURE_INTENTS = frozenset({Intent.how_much, Intent.how_many, Intent.growth, Intent.rank})

# Question phrases as folded words, so "khi nào", "khi nao" and "KHI NÀO" all meet. The longest
# phrase found wins; "bao nhiêu" asks for an amount or a count alike (the unit decides).
_PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.when: (
        "since when",
        "when",
        "what year",
        "which year",
        "in what year",
        "in which year",
        "what date",
        "which date",
        "what day",
        "what month",
        "which month",
        "on what date",
        "what dates",
        "which dates",
        "what days",
        "which days",
        "tu bao gio",
        "bao gio",
        "khi nao",
        "luc nao",
        "nam nao",
        "ngay nao",
        "thang nao",
        "thoi diem nao",
        "vao nam nao",
        "vao ngay nao",
        "vao thoi gian nao",
        "thoi gian nao",
        "vao thang nao",
        "tu nam nao",
        "tu khi nao",
        "thang may",
        "ngay may",
        "nam may",
        "vao thang may",
        "giai doan nao",
        "trong giai doan nao",
        "nhiem ky nao",
    ),
    Intent.how_much: (
        "how much",
        "what was the value",
        "what is the value",
        "what value",
        "what percentage",
        "what percent",
        "what share",
        "how large",
        "how big",
        "what was the amount",
        "what is the amount",
        "what was the total",
        "what is the total",
        "what was the volume",
        "what is the volume",
        "what was the size",
        "what is the size",
        "bao nhieu",
        "la bao nhieu",
        "dat bao nhieu",
        "bao nhieu phan tram",
        "worth",
        "tri gia",
    ),
    Intent.how_many: (
        "how many",
        "what number",
        "what is the number",
        "what was the number",
        "number of",
        "co bao nhieu",
    ),
    Intent.rank: (
        "what rank",
        "which rank",
        "what position",
        "which position",
        "what place",
        "which place",
        "where does",
        "where did",
        "how does",
        "how did",
        "thu may",
        "hang may",
        "dung thu may",
        "xep thu may",
        "xep hang may",
        "vi tri nao",
        "dung thu",
    ),
    # "which country…" asks for an actor too: a country (see Question.actor)
    Intent.who: (
        "who",
        "whom",
        "which person",
        "la ai",
        "ai la",
        "ai",
        "ai la nguoi",
        "la nguoi nao",
        "which country",
        "which countries",
        "what country",
        "which nation",
        "nuoc nao",
        "quoc gia nao",
        "which company",
        "which companies",
        "what company",
        "cong ty nao",
        "doanh nghiep nao",
        "which organisation",
        "which organization",
        "to chuc nao",
    ),
    Intent.where: (
        "where",
        "in which city",
        "in what city",
        "which city",
        "what city",
        "o dau",
        "tai dau",
        "noi nao",
        "dia diem nao",
        "thanh pho nao",
        "dien ra o dau",
        "to chuc o dau",
    ),
}
# "where does Kazakhstan rank", "how does it rank": a rank question only with a rank word in it.
_RANK_WORDS = frozenset({"rank", "ranking", "position", "place", "stand", "hang", "xep", "thu", "dung"})
# Words of a change: "how much did trade grow", "tăng bao nhiêu phần trăm".
_GROWTH = frozenset(
    {"grow", "grew", "growth", "increase", "rise", "rose", "risen", "up", "jump", "climb", "climbed"}
)
# Vietnamese "tăng" only with its mark, or unmarked before "bao"/"truong": "tang" alone is also tầng (hạ
# tầng).
# A question about what is to come: a planned event may answer it, and only it.
# ("plan" alone is not one: "the Plan of Action"; nor "dự" or "tới": tham dự, dự án, dẫn tới.)
_FUTURE = frozenset({"will", "planned", "planning", "schedul", "expect", "upcoming"})
_FUTURE_PHRASES = (
    ("du", "kien"),
    ("sap", "toi"),
    ("du", "dinh"),
    ("plan", "to"),
    ("plans", "to"),
    ("to", "be", "held"),
    ("is", "to", "be"),
    ("are", "to", "be"),
)
_PAST = frozenset({"did", "was", "were", "had", "ago", "last"})
_PAST_EXACT = frozenset({"đã"})
_FUTURE_EXACT = frozenset({"sẽ", "sắp"})
# "the Plan of Action 2021–2025", "giai đoạn 2026-2030": a span of years names a plan or a term; the
# fact must state it, and it is not the question's period.
_YEAR_SPAN = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)\s*[-–—/]\s*(1[89]\d\d|20\d\d)(?!\d)")
# Words that only turn a statement into a question, once the intent is known.
_AUXILIARY = frozenset(
    "did do does was were is are has have had be been being the a "
    "an of on in at to for by it its their there this that "
    "da duoc co la cua".split()
)

# Words that frame an event in a question but that a fact need not repeat: "make a visit",
# "take place", "was held", "diễn ra", "được tổ chức" (folded stems).
FILLER = frozenset(
    """make made pay paid take took taken place happen occur hold held start began begin come came go went
    official officially
    schedul first ever exactly actually get got year date day time month his her s dien ra xay to chuc chinh
    thuc vao ngay
    thang nam lan thu sang den lam become became""".split()
)
# Offices, as folded words: English single words, Vietnamese as the phrases they are.
ROLE_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(folded_key(w) for w in phrase.split())
    for phrase in (
        "president",
        "prime",
        "premier",
        "minister",
        "ambassador",
        "secretary",
        "chairman",
        "king",
        "deputy",
        "thu tuong",
        "chu tich",
        "dai su",
        "bo truong",
        "tong thong",
        "tong bi thu",
    )
)
# "which country", "which company": the kind of entity a who-question asks for (a person otherwise)
_ACTORS = {
    "country": ("country", "countries", "nation", "nuoc", "quoc"),
    "company": ("company", "companies", "cong", "doanh"),
    "organisation": ("organisation", "organization", "to"),
}
# Framing phrases, Vietnamese: "trở thành" (become), "hai nước" (the two countries, named beside it).
_FILLER_PHRASES = (
    ("tro", "thanh"),
    ("hai", "nuoc"),
    ("phia",),
    ("viec",),
    ("o",),
    ("noi", "gi"),
    ("la", "gi"),
)
# "for the whole of 2025", "cả năm 2025": a part of the period does not answer.
_WHOLE = frozenset({"whole", "full", "entire", "ca", "toan"})
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_QUARTER = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
}
_COUNT = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    **folded(COUNTS),
}
_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})

# Flows: which way a named entity stands to the verb. For export-like words the origin comes
# before the word (or after "from"/"of"); for import-like words the buyer comes first.
_OUTWARD = frozenset(
    {
        "export",
        "xuat",
        "invest",
        "investment",
        "investor",
        "dau",
        "fdi",
        "visitor",
        "tourist",
        "visit",
        "tham",
        "khach",
        "sell",
        "sale",
        "ship",
        "send",
        "flow",
        "ambassador",
        "embassy",
        "envoy",
        "su",
        "support",
        "back",
        "ung",
        "come",
        "came",
        "travel",
        "travell",
    }
)
# After these verbs a named entity needs no "to": "visited Kazakhstan", "thăm Kazakhstan".
_DIRECT = frozenset({"visit", "tham", "support", "back", "ung"})
_INWARD = frozenset({"import", "nhap", "buy", "purchase", "receive", "attract", "host", "hosted"})
_TO_MARKERS = frozenset({"to", "into", "in", "sang", "vao", "toi", "den", "tai", "for"})
_FROM_MARKERS = frozenset({"from", "tu"})
_OF_MARKERS = frozenset({"of", "cua", "s"})


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    intent: Intent
    words: tuple[str, ...]  # every word as typed (NFC)
    keys: tuple[str, ...]  # the same words, folded and stemmed
    used: frozenset[int]  # positions taken by the question phrase, the period and auxiliaries
    period: EDTF | None  # the period the question names, if any
    whole: bool  # "the whole of 2025": a part of the period does not answer
    either: bool  # "bao nhiêu": an amount or a count alike
    actor: str  # who: the kind of entity that answers ("person", or "country" for "which country")
    plural: bool  # "which countries…": every one the fact names answers
    percent: bool  # "what percentage / share", "bao nhiêu phần trăm", "tỷ lệ": the answer is a %
    money: bool  # "how much money", "spend", "worth", "bao nhiêu tiền", "trị giá": the answer is money
    future: bool  # "when will…": only a planned event answers
    past: bool  # "when did…": only what happened answers; neither: both, a plan marked as one
    numbers: tuple[str, ...]  # numbers a fact must state itself: ordinals, counts (not the period's year)
    mentions: tuple[Mention, ...]
    source: str | None  # for a flow: the entity things go from
    target: str | None  # … and the one they go to

    @property
    def named(self) -> frozenset[str]:
        return frozenset(m.entity for m in self.mentions)

    @property
    def named_at(self) -> frozenset[int]:
        """The positions of the words that name an entity."""
        return frozenset(i for m in self.mentions for i in range(m.start, m.end))

    def says(self, phrase: Sequence[str]) -> bool:
        """Whether the question holds these folded, stemmed words side by side."""
        return find(self.keys, phrase) >= 0

    def rest(self, also: Iterable[int] = ()) -> list[str]:
        """The words left to search for: not the question phrase, the period or `also`."""
        skip = self.used | set(also)
        return [w for i, w in enumerate(self.words) if i not in skip]


def _phrases() -> list[tuple[Intent, tuple[str, ...]]]:
    found = [(intent, tuple(p.split())) for intent, phrases in _PHRASES.items() for p in phrases]
    return sorted(found, key=lambda item: -len(item[1]))


_ORDERED_PHRASES = _phrases()


def _intent(folded: list[str], typed: list[str]) -> tuple[Intent, set[int]]:
    for intent, phrase in _ORDERED_PHRASES:
        i = find(folded, phrase)
        if i < 0:
            continue
        if (
            intent is Intent.rank
            and phrase[0] in ("where", "how")
            and not _RANK_WORDS & {folded_key(w) for w in folded}
        ):
            continue
        if intent is Intent.who and phrase == ("ai",) and nfc(typed[i]).lower() != "ai":
            continue
        used = set(range(i, i + len(phrase)))
        for other in _PHRASES[
            intent
        ]:  # "tháng mấy năm nào", "từ ngày nào đến ngày nào": every part asks the same
            words = tuple(other.split())
            for j in find_all(folded, words):
                if not used & set(range(j, j + len(words))):
                    used |= set(range(j, j + len(words)))
        return intent, used
    for i, t in enumerate(typed):  # "mấy" (how many) only with its marks: unmarked, "may" is the month
        if nfc(t).lower() == "mấy":
            return Intent.how_many, {i}
    keys = [folded_key(w) for w in folded]
    if (
        keys
        and keys[0] in ("which", "what")
        and any(tuple(keys[i : i + len(r)]) == r for r in ROLE_PHRASES for i in range(1, 4))
    ):
        return Intent.who, {0}  # "which Vietnamese prime minister visited…": a person
    return Intent.what, set()


_NUMERIC_DATE = re.compile(r"(?<![\d/])(?:(\d{1,2})/)?(\d{1,2})/(1[89]\d\d|20\d\d)(?![\d/])")


def _period(keys: list[str], text: str = "") -> tuple[EDTF | None, set[int]]:
    """The period a question names: a year, a month of it, a quarter, a half, its first N months,
    or a date written as Vietnamese articles write it (6/5/2025, tháng 7/2025). Not a span of
    years (2021–2025): that names a plan or a term."""
    spans = {y for m in _YEAR_SPAN.finditer(text) for y in m.groups()}
    years = [i for i, w in enumerate(keys) if _YEAR.match(w) and w not in spans]
    if not years:
        return None, set()
    i = years[0]
    year = int(keys[i])
    written = _numeric_date(keys, years, text)
    if written is not None:
        return written
    lo = max(0, i - 6)
    before = keys[lo:i]
    text, used = str(year), {i}

    def months(first: int, last: int, at: int) -> tuple[str, set[int]]:
        return (
            f"{year}-{first:02d}" if first == last else f"{year}-{first:02d}/{year}-{last:02d}"
        ), used | set(range(lo + at, i))

    for j, w in enumerate(before):
        after = before[j + 1] if j + 1 < len(before) else ""
        if re.fullmatch(r"q[1-4]", w):  # Q1 2025
            text, used = months(3 * int(w[1]) - 2, 3 * int(w[1]), j)
        elif w in ("quarter", "quy") and (quarter := _quarter(before, j))[0]:
            text, used = months(3 * quarter[0] - 2, 3 * quarter[0], quarter[1])
        elif w in ("half", "nua"):  # the first half of 2025, nửa đầu năm 2025
            if {"first", "dau"} & set(before):
                text, used = months(1, 6, max(0, j - 1))
            elif {"second", "cuoi"} & set(before):
                text, used = months(7, 12, max(0, j - 1))
        elif (
            w in ("month", "thang")
            and j > 0
            and {"first", "dau"} & set(before[j:]) | {"first"} & set(before[:j])
        ):
            n = before[j - 1]  # the first three months of 2025, 3 tháng đầu năm 2025
            count = int(n) if n.isdigit() else _COUNT.get(n, 0)
            if 1 <= count <= 11:
                text, used = months(1, count, j - 1)
        elif w in _MONTHS and j == len(before) - 1:  # June 2022
            text, used = months(_MONTHS[w], _MONTHS[w], j)
        elif w == "thang" and after.isdigit() and 1 <= int(after) <= 12:  # tháng 6 năm 2022, tháng 6/2022
            text, used = months(int(after), int(after), j)
    if i > 0 and keys[i - 1] == "nam" and not (i > 1 and keys[i - 2] == "viet"):
        used.add(i - 1)  # "năm 2023": the year's own word (not "Việt Nam 2023")
    return parse_edtf(text), used


def _quarter(before: list[str], j: int) -> tuple[int, int]:
    """Which quarter the word at j names, and where the phrase starts: the first quarter of 2025,
    quarter 1, quý I/2025, quý 1 năm 2025 (0 for none)."""
    if before[j] == "quarter" and j > 0 and before[j - 1] in _QUARTER:
        return _QUARTER[before[j - 1]], j - 1
    return _QUARTER.get(before[j + 1] if j + 1 < len(before) else "", 0), j


def _numeric_date(keys: list[str], years: list[int], text: str) -> tuple[EDTF, set[int]] | None:
    """A date written as Vietnamese articles write it (6/5/2025, tháng 7/2025), and the words it takes."""
    m = _NUMERIC_DATE.search(text)
    if m is None:
        return None
    day, month = (int(m.group(1)) if m.group(1) else None), int(m.group(2))
    at = next((j for j in years if keys[j] == m.group(3)), years[0])
    parts = 3 if day else 2
    if not (1 <= month <= 12 and at >= parts - 1):
        return None
    try:
        date = parse_edtf(f"{m.group(3)}-{month:02d}" + (f"-{day:02d}" if day else ""))
    except DateError:  # 31/2/2025: not a day; read as the year alone
        return None
    used = set(range(at - parts + 1, at + 1))
    if at - parts >= 0 and keys[at - parts] in ("thang", "ngay"):
        used.add(at - parts)
    return date, used


# Words that ask for money: a count of visitors is not what they spent.
_MONEY = frozenset({"money", "spend", "spent", "worth", "value", "cost", "dollar", "usd", "tien", "von"})
# Ordinals written as words: English from "second" (a "first" is as often "for the first time"),
# Vietnamese after "thứ" (lần thứ năm, thứ sáu).
_ORDINALS_EN = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_ORDINALS_VI = folded(ORDINALS)


def ordinal_at(folded: Sequence[str], i: int) -> str | None:
    """The number an ordinal word at position i stands for ("fifth", "thứ năm" → "5"), or None."""
    word = folded[i]
    if word in _ORDINALS_EN:
        return str(_ORDINALS_EN[word])
    if word in _ORDINALS_VI and i > 0 and folded[i - 1] == "thu":
        return str(_ORDINALS_VI[word])
    return None


def _is_growth(keys: Sequence[str], typed: Sequence[str], i: int) -> bool:
    if keys[i] in _GROWTH:
        return True
    nxt = keys[i + 1] if i + 1 < len(keys) else ""
    return nfc(typed[i]).lower() == "tăng" or (typed[i].lower() == "tang" and nxt in ("bao", "truong"))


def _is_verb(keys: Sequence[str], i: int) -> bool:
    """ "xuất"/"nhập" are a flow only as xuất khẩu/nhập khẩu, xuất sang/nhập từ ("gia nhập" is joining); "đầu"
    only
    as đầu tư; "sứ" only as đại sứ; "ủng" only as ủng hộ."""
    nxt = keys[i + 1] if i + 1 < len(keys) else ""
    prev = keys[i - 1] if i > 0 else ""
    return {
        "xuat": nxt in ("khau", "sang"),
        "nhap": nxt in ("khau", "tu"),
        "dau": nxt == "tu",
        "su": prev == "dai",
        "ung": nxt == "ho",
    }.get(keys[i], True)


def _flow(keys: Sequence[str], mentions: Sequence[Mention]) -> tuple[str | None, str | None]:
    """Which named entity things go from, and which to, for a flow word in the question."""
    verbs = [
        (i, k in _INWARD) for i, k in enumerate(keys) if (k in _OUTWARD or k in _INWARD) and _is_verb(keys, i)
    ]
    if not verbs or not mentions:
        return None, None
    at, inward = verbs[0]
    source = target = None
    for m in mentions:
        before = keys[m.start - 1] if m.start > 0 else ""
        if keys[at] in _DIRECT and 0 < m.start - at <= 3 and before not in _FROM_MARKERS:
            role = "target"
        elif before in _FROM_MARKERS:
            role = "source"
        elif before in _TO_MARKERS and m.start > at:
            role = "target"
        elif before in _OF_MARKERS and m.start > at:
            role = "target" if inward else "source"
        elif m.end <= at:  # the subject of the verb: the exporter, or the importer
            role = "target" if inward else "source"
        else:
            continue
        if role == "source" and source is None:
            source = m.entity
        elif role == "target" and target is None:
            target = m.entity
    return source, target


def parse(question: str, labels: Labels) -> Question:
    """Read a question; `labels` are the base's entity names (entity_labels)."""
    typed = tokens(question)
    folded = [fold(t) for t in typed]
    keys = [folded_key(t) for t in typed]
    intent, used = _intent(folded, typed)
    phrase_at = set(used)
    period, period_used = _period(keys, nfc(question))
    used |= period_used
    growth = {i for i, k in enumerate(keys) if i not in used and _is_growth(keys, typed, i)}
    if intent in (Intent.how_much, Intent.what) and growth:
        if intent is Intent.how_much or any(
            k in ("percent", "percentage", "phan", "tram", "rate") for k in keys
        ):
            intent = Intent.growth
            used |= growth
    future = (
        any(k in _FUTURE for k in keys)
        or any(nfc(t).lower() in _FUTURE_EXACT for t in typed)
        or any(find(folded, phrase) >= 0 for phrase in _FUTURE_PHRASES)
    )
    past = (
        any(k in _PAST for k in keys)
        or any(nfc(t).lower() in _PAST_EXACT for t in typed)
        # "da" typed without marks is đã before a verb; not đa- (đa phương, đa dạng)
        or any(
            t.lower() == "da" and keys[i + 1 : i + 2] not in (["phuong"], ["dang"], ["quoc"], [])
            for i, t in enumerate(typed)
        )
    )
    if future and past:  # "were expected to join": a plan told in the past, either may answer
        future = past = False
    for phrase in (
        _FUTURE_PHRASES + _FILLER_PHRASES
    ):  # tense words and framing phrases say nothing a fact must hold
        for j in find_all(folded, phrase):
            used |= set(range(j, j + len(phrase)))
    marks = [marked(t) for t in typed]
    mentions = find_mentions(keys, marks, labels, used)  # before the auxiliaries: "Tô" in Tô Lâm is not "to"
    named_at = {i for m in mentions for i in range(m.start, m.end)}
    used |= {
        i for i, k in enumerate(keys) if (k in _AUXILIARY or k in {"will", "planned"}) and i not in named_at
    }
    numbers = []
    for i, w in enumerate(folded):
        if i in used or any(m.start <= i < m.end for m in mentions):
            continue
        ordinal = ordinal_at(folded, i)
        if ordinal is not None:  # "the fifth summit", "lần thứ năm": a number the fact must state
            numbers.append(ordinal)
            used.add(i)
            continue
        if not w[0].isdigit():
            continue
        numbers.append(w)
        if i + 1 < len(folded) and folded[i + 1] in _ORDINAL_SUFFIX:
            used.add(i + 1)
    source, target = _flow(keys, mentions)
    whole = period is not None and any(k in _WHOLE for k in keys)
    either = intent is Intent.how_much and find(folded, ("bao", "nhieu")) >= 0
    actor = next(
        (
            kind
            for i in sorted(phrase_at)
            for kind, words in _ACTORS.items()
            if intent is Intent.who and folded[i] in words
        ),
        "person",
    )
    percent = (
        any(k in ("percent", "percentage", "share", "proportion") for k in keys)
        or find(folded, ("phan", "tram")) >= 0
        or find(folded, ("ty", "le")) >= 0
    )
    money = any(k in _MONEY for k in keys) or any(
        find(folded, p) >= 0 for p in (("chi", "tieu"), ("tri", "gia"), ("gia", "tri"))
    )
    plural = intent is Intent.who and any(
        folded[i] in ("countries", "companies", "organisations", "organizations") for i in phrase_at
    )
    return Question(
        question,
        intent,
        tuple(typed),
        tuple(keys),
        frozenset(used),
        period,
        whole,
        either,
        actor,
        plural,
        percent,
        money,
        future,
        past,
        tuple(numbers),
        tuple(mentions),
        source,
        target,
    )


def flow_of(text: str, labels: Labels) -> tuple[str | None, str | None]:
    """Which way a fact's own sentence runs (Vietnam's exports to Kazakhstan; To Lam visited Kazakhstan)."""
    typed = tokens(text)
    keys = [folded_key(t) for t in typed]
    return _flow(keys, find_mentions(keys, [marked(t) for t in typed], labels, set()))


def named_metrics(q: Question, metrics: Mapping[str, Metric]) -> dict[str, set[int]]:
    """The metrics the question names, each with the positions of the words that name it.

    A metric is named when every content word of its name or of one alias stands in the question,
    in any order ("oil reserves", "reserves of oil"), so "how many members" never names "founding
    members"."""
    found: dict[str, set[int]] = {}
    for metric in metrics.values():
        best: set[int] = set()
        for name in metric_names(metric):
            at = {i for i, k in enumerate(q.keys) if k in name}
            if set(name) <= {q.keys[i] for i in at} and len(at) > len(best):
                best = at
        if best:
            found[metric.id] = best
    return found
