"""One-line answers to questions: when, how much, or what.

The question's kind decides what is answered — the date of the best fact for
"when / khi nào / năm nào / bao giờ", its value for "how much / how many / bao
nhiêu", otherwise its text — and which facts may answer (an event or a figure
has a date worth giving; only a figure has a value). The rest of the question
is a search. An answer is given only with confidence: the fact must match every
word of the question that carries meaning. Otherwise nothing is answered and
the closest facts are offered instead, because a wrong date stated with
confidence is worse than none.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dipfacts.errors import QueryError
from dipfacts.filters import Filters
from dipfacts.index import Index
from dipfacts.model import Fact
from dipfacts.normalize import fold, nfc, tokens
from dipfacts.rank import Hit, search


class Intent(str, enum.Enum):
    when = "when"
    how_much = "how much"
    what = "what"


# Question phrases, as folded words (so "khi nào", "khi nao" and "KHI NÀO" all meet).
_PHRASES: dict[Intent, tuple[tuple[str, ...], ...]] = {
    Intent.when: (
        ("since", "when"), ("when",), ("what", "year"), ("which", "year"), ("what", "date"), ("what", "day"), ("in", "what", "year"),
        ("tu", "bao", "gio"), ("bao", "gio"), ("khi", "nao"), ("luc", "nao"), ("nam", "nao"), ("ngay", "nao"), ("thang", "nao"),
        ("thoi", "diem", "nao"), ("vao", "nam", "nao"), ("vao", "ngay", "nao"), ("vao", "thoi", "gian", "nao"),
    ),
    Intent.how_much: (
        ("how", "much"), ("how", "many"), ("what", "percentage"), ("what", "share"), ("what", "value"), ("bao", "nhieu"),
    ),
}
_ANSWERING_KINDS = {Intent.when: ("event", "figure"), Intent.how_much: ("figure",), Intent.what: ("event", "figure", "state")}
CLOSEST = 3


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    intent: Intent
    query: str  # the question without its question phrase: what was searched
    fact: Fact | None  # None: no fact answers with confidence
    hit: Hit | None
    closest: tuple[Fact, ...]  # the best facts found, offered when there is no answer


def intent_of(question: str) -> tuple[Intent, str]:
    """The question's kind, and the question with its question phrase taken out."""
    typed = tokens(question)
    folded = [fold(t) for t in typed]
    for intent in (Intent.when, Intent.how_much):
        for phrase in sorted(_PHRASES[intent], key=len, reverse=True):
            n = len(phrase)
            for i in range(len(folded) - n + 1):
                if tuple(folded[i : i + n]) == phrase:
                    return intent, " ".join(typed[:i] + typed[i + n :])
    # "mấy" (how many) only with its marks: unmarked, "may" is the month.
    for i, t in enumerate(typed):
        if nfc(t).lower() == "mấy":
            return Intent.how_much, " ".join(typed[:i] + typed[i + 1 :])
    return Intent.what, " ".join(typed)


def _in_year(fact: Fact, year: int) -> bool:
    lo, hi = fact.date.lower, fact.date.upper
    return lo is not None and hi is not None and lo[0] <= year <= hi[0] and hi[0] - lo[0] < 2


def ask(index: Index, question: str, filters: Filters = Filters()) -> Answer:
    intent, query = intent_of(question)
    if not tokens(query):
        raise QueryError(f"nothing to ask about in {question.strip()[:40]!r}", "say what, e.g. 'when did Vietnam and Kazakhstan establish relations?'")
    result = search(index, query, filters, limit=10)
    kinds = _ANSWERING_KINDS[intent]
    able: list[Hit] = []
    for hit in result.hits:
        if hit.dropped:
            break  # the rest match fewer words still
        fact = index.fact(hit.doc)
        if fact.kind in kinds and (intent is not Intent.how_much or fact.value is not None):
            able.append(hit)
    # A year in the question ("trade in 2024") asks about that year: a fact dated in it beats
    # one that only mentions it ("… up 18.4% on the same period of 2024").
    years = {int(t) for t in tokens(query) if t.isdigit() and len(t) == 4}
    dated = [h for h in able if years and any(_in_year(index.fact(h.doc), y) for y in years)]
    chosen = (dated or able or [None])[0]
    closest = tuple(index.fact(h.doc) for h in result.hits[:CLOSEST])
    return Answer(question, intent, query, index.fact(chosen.doc) if chosen else None, chosen, closest)
