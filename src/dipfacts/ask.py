"""One-line answers to questions — only with a fact that answers the question.

A wrong answer with a citation is worse than none: the user quotes it. So `ask` reads the
question first (question.py: the intent, the period, the entities and which way a flow goes),
then lets a fact answer only when every rule below holds, and otherwise refuses (exit 1) and
offers the closest facts:

- **Period**: a question that names a year or a period is answered only by a fact whose own
  date lies in it; a comparison year (`vs`) never counts. A fact covering part of the period
  (Jan–Mar 2025 for "in 2025") answers labelled as partial.
- **Metric and direction**: how much / how many / growth / rank questions must name the fact's
  metric (its name or an alias, facts/metrics.toml); a flow's origin and destination, when the
  question says them, must be the metric's own.
- **Answer type**: how many needs a count (not money, not a share), rank a rank, growth a stated
  change, who a person, where a place; when is answered by an event or a figure, never a state.
- **Subject**: every country or organisation the question names must be the fact's: among the
  metric's own parties when it has them, else among the fact's entities and its relations'
  parties.
- **Event**: every content word of the question is in the fact (the search matched them all);
  the numbers it names (the 55th, AMM-55) are in the fact's own text; a fact that qualifies what
  happened — an anniversary, an invitation, a proposal, a plan, a target — answers only a
  question that says so; a planned event never answers a question in the past tense ("when did…"),
  and is marked planned when it answers one in none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from dipfacts.base.dates import EDTF
from dipfacts.base.errors import QueryError
from dipfacts.base.model import Entity, Fact, Metric
from dipfacts.base.names import Labels
from dipfacts.base.normalize import fold, folded_key, head, is_stop, strip_invisible, tokens
from dipfacts.question import (
    FIGURE_INTENTS,
    FILLER,
    ROLE_PHRASES,
    Intent,
    Question,
    flow_of,
    named_metrics,
    ordinal_at,
    parse,
)
from dipfacts.search.filters import Filters, allowed_docs
from dipfacts.search.index import Index
from dipfacts.search.rank import MAX_WORDS, Hit, search

__all__ = ["Answer", "Intent", "Verdict", "ask"]

CLOSEST = 3
CANDIDATES = 20  # facts the search offers a question before ask gives up on it
# Units of amounts — money, shares, weights, ratios: "how much", never "how many"; every other
# unit but rank counts something (people, visitors, countries, sessions): "how many".
_AMOUNTS = frozenset({"USD", "VND", "EUR", "%", "tonnes", "times"})
_MONEY_UNITS = frozenset({"USD", "VND", "EUR"})
# Words that make a fact say something other than that the thing happened: an anniversary of it,
# an invitation or a proposal to do it, a plan or a target. Such a fact answers only a question
# that says so too. Read in the fact's English text (its Vietnamese says the same; unaccented
# Vietnamese syllables are too ambiguous: "moi" is mời, mới and mọi), and in the question in
# either language: (the fact's English stem, what a question says for it: stems and folded phrases).
_QUALIFIERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("anniversary", ("anniversary", "celebrat", "ky niem")),
    ("invit", ("invit", "loi moi", "moi")),
    ("propos", ("propos", "de xuat", "de nghi")),
    ("plan", ("plan", "ke hoach", "du kien")),
    ("target", ("target", "muc tieu")),
    ("goal", ("goal", "muc tieu")),
    ("aim", ("aim", "nham")),
    ("expect", ("expect", "du kien", "ky vong")),
    ("intend", ("intend", "du dinh")),
    ("consider", ("consider", "xem xet")),
    ("hope", ("hope", "hy vong")),
    ("candidac", ("candidac", "bid", "ung cu")),
    ("bid", ("candidac", "bid", "ung cu")),
)
_AT_INVITATION = re.compile(r"\b(?:at|on) the invitation of\b", re.IGNORECASE)
_PLAN_WORDS = frozenset({"invit", "plan", "expect", "intend"})
_FUTURE_QUALIFIERS = frozenset({"plan", "expect", "intend"})
_WHERE_PLACE = ("in", "at")
_ONLINE = re.compile(
    r"\b(?:held|took place|met|convened) (?:online|virtually|by video ?conference)\b", re.IGNORECASE
)
_MONTH_NAMES = frozenset(
    folded_key(m)
    for m in "January February March April May June July August September October November December".split()
)
_ACTOR_KINDS = frozenset({"country", "organisation"})
_THINGS = frozenset({"agreement", "document", "programme"})
# Entities that are themselves what happens: "where was ARF-28 held?" names its event by naming them.
_HAPPENINGS = frozenset({"meeting", "meeting-series", "agreement", "document", "programme"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why one fact did or did not answer: what --explain prints."""

    id: str
    answers: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    intent: Intent
    query: str  # the words searched for
    fact: Fact | None  # None: no fact answers
    hit: Hit | None
    closest: tuple[Fact, ...]  # the best facts found, offered when there is no answer
    period: EDTF | None = None  # the period the question named
    partial: bool = False  # the fact covers only part of that period
    person: Entity | None = None  # who: the person (or country, company…); the first of `actors`
    actors: tuple[Entity, ...] = ()  # who, asked in the plural ("which countries…"): every one
    place: str | None = None  # where: the place
    verdicts: tuple[Verdict, ...] = ()
    refusal: str | None = None  # why nothing answered, in one phrase
    ignored: int = 0  # words past MAX_WORDS, not read (as search caps a query)


NO_FILTERS = Filters()  # a frozen value: one instance serves as every call's default


def ask(index: Index, question: str, filters: Filters = NO_FILTERS) -> Answer:
    question, total = head(strip_invisible(question), MAX_WORDS)
    answer = _ask(index, question, filters)
    return replace(answer, ignored=max(0, total - MAX_WORDS))


def _ask(index: Index, question: str, filters: Filters) -> Answer:
    labels = index.entity_labels()
    q = parse(question, labels)
    content = [w for w in q.rest() if not is_stop(w)]
    if not content and not q.mentions:
        raise _nothing_to_ask(question)
    if q.intent in FIGURE_INTENTS:
        return _ask_figure(index, q, filters, labels)
    return _ask_fact(index, q, filters, labels)


def _nothing_to_ask(question: str) -> QueryError:
    return QueryError(
        f"nothing to ask about in {question.strip()[:40]!r}",
        "say what, e.g. 'when did Vietnam and Kazakhstan establish relations?'",
    )


def _must_hold(index: Index, q: Question, i: int) -> bool:
    """Whether a fact must hold the question's i-th word to answer it.

    Not a function word, nor a word that frames an event ("take place", "diễn ra"); nor a
    lowercase word no fact in the base holds at all, which cannot tell facts apart ("came",
    "nationwide"). A capitalised word the base lacks must hold: it names something, and a fact
    about something else must not answer ("when did Tokayev visit Laos?")."""
    word, key = q.words[i], q.keys[i]
    if i in q.used or is_stop(word) or key in FILLER:
        return False
    if _names(q, i) or word[:1].isdigit():
        return True
    return index.has_term(key)


def _names(q: Question, i: int) -> bool:
    """Whether the i-th word names something: written with a capital, not only because it opens
    the question ("Roughly how many…"), or all in capitals. (Names the base knows are mentions,
    read apart; a lowercase word of some long name — "giữa", "trên" — names nothing.)"""
    word = q.words[i]
    return word[:1].isupper() and (i > 0 or word.isupper())


# --- figures: how much, how many, growth, rank ------------------------------------------------


def _ask_figure(index: Index, q: Question, filters: Filters, labels: Labels) -> Answer:
    metrics = index.metrics
    named = named_metrics(q, metrics)
    query = " ".join(q.rest())
    closest = _closest(index, query, filters)
    if not named:
        return _refuse(
            q, query, closest, (), "the question names no metric the base counts (see `dipfacts figures`)"
        )
    verdicts: list[Verdict] = []
    passing: list[tuple[Fact, bool]] = []
    allowed = allowed_docs(index, filters)
    spoken = set().union(*named.values()) | q.named_at
    for mid in sorted(named, key=lambda m: (-len(named[m]), m)):
        metric = metrics[mid]
        problem = _metric_problem(q, metric, index.entities)
        for doc in index.metric_docs.get(mid, ()):
            if allowed is not None and doc not in allowed:
                continue
            fact = index.fact(doc)
            reasons = [problem] if problem else _figure_problems(index, q, fact, metric, spoken, labels)
            verdicts.append(Verdict(fact.id, not reasons, tuple(reasons) or (f"metric {mid}",)))
            if not reasons:
                passing.append((fact, _partial(fact, q.period)))
    if not passing:
        return _refuse(
            q,
            query,
            closest,
            verdicts,
            "no fact of " + ", ".join(sorted(named)) + " fits every part of the question",
        )
    best = _best_figure(passing, q)
    if best is None:
        return _refuse(
            q, query, closest, verdicts, "facts of different value fit equally: the question is ambiguous"
        )
    fact, partial = best
    return Answer(q.text, q.intent, query, fact, None, closest, q.period, partial, verdicts=tuple(verdicts))


def _metric_problem(q: Question, metric: Metric, entities: dict[str, Entity]) -> str | None:
    unit = metric.unit
    if q.intent is Intent.rank and unit != "rank":
        return f"asks for a rank; {metric.id} is counted in {unit}"
    if (
        q.intent is Intent.how_many
        and (unit in _AMOUNTS or unit == "rank")
        and not (unit == "times" and "time" in q.keys)
    ):
        return f"asks how many; {metric.id} is measured in {unit}"
    if q.intent is Intent.how_much and (unit == "rank" or (unit not in _AMOUNTS and not q.either)):
        return f"asks how much; {metric.id} counts {unit}"
    if q.intent is Intent.how_much and q.percent and unit != "%":
        return f"asks for a share; {metric.id} is counted in {unit}"
    if q.intent is Intent.how_much and q.money and unit not in _MONEY_UNITS:
        return f"asks for money; {metric.id} is counted in {unit}"
    ranked = metric.subject or metric.source
    if (
        q.intent is Intent.rank
        and ranked
        and q.mentions
        and q.mentions[0].entity != ranked
        and q.mentions[0].entity in entities
        and entities[q.mentions[0].entity].kind in _ACTOR_KINDS
    ):
        return f"asks the rank of {q.mentions[0].entity}; {metric.id} ranks {ranked}"
    if q.source and metric.source and q.source != metric.source:
        return f"asks about flows from {q.source}; {metric.id} runs from {metric.source}"
    if q.target and metric.target and q.target != metric.target:
        return f"asks about flows to {q.target}; {metric.id} runs to {metric.target}"
    if (
        metric.parties and q.intent is not Intent.rank
    ):  # only countries and organisations change whose figure it is; a person or a sea does not
        foreign = sorted(
            e
            for e in q.named
            if e not in metric.parties and e in entities and entities[e].kind in _ACTOR_KINDS
        )
        if foreign:
            return f"names {', '.join(foreign)}; {metric.id} is about {', '.join(metric.parties)}"
    return None


def _figure_problems(
    index: Index, q: Question, fact: Fact, metric: Metric, spoken: set[int], labels: Labels
) -> list[str]:
    reasons = []
    if q.whole and _partial(fact, q.period):
        reasons.append(f"covers {fact.date}, part of the whole {q.period} the question asks for")
    if q.intent is Intent.growth and (fact.value is None or fact.value.change is None):
        reasons.append("asks for a change; the fact states none")
    if q.period is not None and not _within(fact.date, q.period):
        reasons.append(f"period {fact.date} is not within {q.period}")
    reasons += _tense_problems(q, fact)
    if not metric.parties:
        reasons += _subject_problems(index, q, fact)
    # A programme, document or agreement the question names must be the fact's, and so must a name
    # the metric and the entities do not account for: the value of "the Methane Reduction
    # Project" or "the ASEAN–Korea Startup Partnership" is not the value of another project.
    things = sorted(
        e
        for e in q.named
        if e in index.entities and index.entities[e].kind in _THINGS and e not in fact.entities
    )
    if things:
        reasons.append(f"is not about {', '.join(things)}")
    words = _fact_words(index, fact)
    for i, w in enumerate(q.words):
        if i not in spoken and _must_hold(index, q, i) and _names(q, i) and q.keys[i] not in words:
            reasons.append(f"'{w}' is not in the fact")
    reasons += _number_problems(q, fact)
    reasons += _role_problems(index, q, fact, labels)
    return reasons


def _best_figure(passing: list[tuple[Fact, bool]], q: Question) -> tuple[Fact, bool] | None:
    """The whole period before a part of it, then the latest; two different values that fit
    equally well make the question ambiguous."""

    def key(item: tuple[Fact, bool]) -> tuple:
        fact, partial = item
        upper = fact.date.upper or (0, 0, 0)
        return (partial or _is_part_of_year(fact.date), tuple(-x for x in upper))

    ranked = sorted(passing, key=key)
    best = ranked[0]
    ties = [f for f in ranked if key(f) == key(best)]
    if len({(f.value.amount, f.value.metric) if f.value else None for f, _ in ties}) > 1:
        return None
    return best


# --- events, states and people: when, who, where, what ----------------------------------------


def _ask_fact(index: Index, q: Question, filters: Filters, labels: Labels) -> Answer:
    keep = q.named_at | _synonym_phrases(index, q)
    query = " ".join(w for i, w in enumerate(q.words) if _must_hold(index, q, i) or i in keep)
    if not tokens(query):
        raise _nothing_to_ask(q.text)
    result = search(index, query, filters, limit=CANDIDATES)
    closest = tuple(index.fact(h.doc) for h in result.hits[:CLOSEST])
    event = [
        i
        for i, w in enumerate(q.words)
        if i not in q.named_at
        and i not in q.used
        and w.isalpha()
        and not is_stop(w)
        and q.keys[i] not in FILLER
    ]
    happening = any(
        index.entities[m.entity].kind in _HAPPENINGS for m in q.mentions if m.entity in index.entities
    )
    said = any(_known(index, q.keys[i]) for i in event) or bool(_synonym_phrases(index, q) - q.named_at)
    if q.intent is not Intent.what and not happening and not said:
        # "when did ASEAN come into being?", "when was Vietnam elected to …?": no word the base holds
        # says what happened, only who it happened to
        return _refuse(q, query, closest, (), "the base holds no word of what the question says happened")
    verdicts: list[Verdict] = []
    found: list[Answer] = []
    for hit in _candidates(index, q, query, result.hits, filters):
        fact = index.fact(hit.doc)
        if hit.dropped and not all(_has_relative(folded_key(w), fact) for w in hit.dropped):
            verdicts.append(
                Verdict(fact.id, False, ("does not hold " + ", ".join(repr(w) for w in hit.dropped),))
            )
            continue
        reasons = _fact_problems(index, q, fact, labels)
        person = place = None
        actors: tuple[Entity, ...] | None = ()
        if not reasons and q.intent is Intent.who:
            actors = _actor(index, q, fact, labels)
            if actors is None:
                reasons.append(f"names no one {q.actor} who fits the question")
            else:
                person = actors[0]
        if not reasons and q.intent is Intent.where:
            place = _place(index, q, fact)
            if place is None:
                reasons.append("names no place")
        verdicts.append(Verdict(fact.id, not reasons, tuple(reasons) or ("matches every word",)))
        if not reasons:
            found.append(
                Answer(
                    q.text,
                    q.intent,
                    query,
                    fact,
                    hit,
                    closest,
                    q.period,
                    _partial(fact, q.period),
                    person,
                    actors if person and actors else (),
                    place,
                )
            )
    if not found:
        return _refuse(q, query, closest, verdicts, "no fact holds every word of the question and fits it")

    # A date is best told by the event itself: the founding before a figure dated by it, the meeting
    # before the statement it adopted (a fact about a document the question does not name).
    def fit(a: Answer) -> tuple[bool, int, int]:
        assert a.fact is not None
        others = sum(1 for e in a.fact.entities if e not in q.named and index.entities[e].kind in _THINGS)
        return (q.intent is Intent.when and a.fact.kind != "event", others, found.index(a))

    best = min(found, key=fit)
    return replace(best, verdicts=tuple(verdicts))


def _synonym_phrases(index: Index, q: Question) -> set[int]:
    """Positions of the synonym table's phrases in the question ("head of state", "party chief"):
    kept whole for the search, which matches a phrase as one word, though a part of one may be a
    word no fact holds or a stop word."""
    found: set[int] = set()
    for i in range(len(q.keys)):
        for n in (4, 3, 2):
            if i + n <= len(q.keys) and " ".join(q.keys[i : i + n]) in index.synonyms:
                found |= set(range(i, i + n))
                break
    return found


def _candidates(index: Index, q: Question, query: str, hits: tuple[Hit, ...], filters: Filters) -> list[Hit]:
    """The facts that hold every word, then those that hold every word but one plain word in
    another form ("invited" for a fact that says "at the invitation of").

    The search, when no fact holds every word, drops its most common words first — the names —
    which is right for ranking and wrong for answering: so each plain word is left out in turn,
    the rest searched, and a fact kept only if it holds a relative of the word left out."""
    found = [h for h in hits if not h.dropped]
    if found or q.intent is Intent.what:  # "what" answers with the fact itself: all of it must fit
        return list(hits)
    seen: set[int] = set()
    words = tokens(query)
    named = {q.words[i].casefold() for i in q.named_at}
    for i, word in enumerate(words):
        if not (word.isalpha() and word[:1].islower() and word.casefold() not in named and not is_stop(word)):
            continue
        rest = " ".join(words[:i] + words[i + 1 :])
        try:
            result = search(index, rest, filters, limit=CANDIDATES)
        except QueryError:
            continue
        for hit in result.hits:
            if (
                not hit.dropped
                and hit.doc not in seen
                and _has_relative(folded_key(word), index.fact(hit.doc))
            ):
                seen.add(hit.doc)
                found.append(hit._replace(dropped=(word,)))
    return found + [h for h in hits if h.dropped]


def _known(index: Index, key: str) -> bool:
    """Whether the base holds the word, or another form of it ("chairmanship" — chair)."""
    if index.has_term(key):
        return True
    return (
        len(key) >= 5
        and key.isascii()
        and (bool(index.prefixed(key, limit=1)) or any(index.has_term(key[:n]) for n in range(5, len(key))))
    )


def _has_relative(key: str, fact: Fact) -> bool:
    """Whether the fact's own text holds another form of a (folded, stemmed) word: one that
    begins with it, or that it begins with ("invit" — invitation)."""
    if len(key) < 4 or not key.isascii():
        return False
    # "issue" — issued (stemmed "issu"); "ministerial" — minister: a common beginning of four letters
    # at least, the shorter word at most two letters short of the longer unless both have five.
    return any(
        (k.startswith(key) or key.startswith(k))
        and (min(len(k), len(key)) >= 5 or abs(len(k) - len(key)) <= 2)
        and len(k) >= 4
        for k in _own_keys(fact)
    )


def _fact_problems(index: Index, q: Question, fact: Fact, labels: Labels) -> list[str]:
    reasons = []
    if q.intent is Intent.when and fact.kind == "state":
        reasons.append("a state has no date of its own (it is dated by its article)")
    if q.intent is Intent.when and fact.kind == "figure" and not _states_amount(q, fact):
        # "in what year did trade reach 800 million?" — a figure dates its number, nothing else
        reasons.append("a figure dates a number; the question does not name its number")
    if q.whole and _partial(fact, q.period):
        reasons.append(f"covers {fact.date}, part of the whole {q.period} the question asks for")
    if q.period is not None and not _within(fact.date, q.period):
        reasons.append(f"date {fact.date} is not within {q.period}")
    reasons += _tense_problems(q, fact)
    reasons += _subject_problems(index, q, fact)
    metric = index.metrics.get(fact.value.metric) if fact.value is not None else None
    if metric is not None:
        problem = _metric_problem(replace(q, intent=Intent.what), metric, index.entities)
        if problem:
            reasons.append(problem)
    reasons += _flow_problems(index, q, fact, labels)
    reasons += _number_problems(q, fact)
    reasons += _role_problems(index, q, fact, labels)
    # "At the invitation of X, Y visited…" tells a visit that happened, not an invitation.
    english = _qualifying_keys(fact)
    for stem, asked in _QUALIFIERS:
        if not any(k.startswith(stem) for k in english) or (q.future and stem in _FUTURE_QUALIFIERS):
            continue
        if not _says(q, asked):
            reasons.append(
                f"says '{stem}…' (an anniversary, invitation, proposal, plan or target), not that it happened"
            )
    return reasons


def _tense_problems(q: Question, fact: Fact) -> list[str]:
    """A plan never answers "when did…" (unless the question asks about the plan itself: "for
    which year was he invited to visit?"); what happened never answers "when will…"."""
    if fact.status == "planned" and _asks_about_plan(q, fact):
        return []
    if fact.status == "planned" and (q.past or not (q.future or _tenseless(q))):
        return ["planned, not (yet) happened"]
    if fact.status != "planned" and q.future:
        return ["happened; the question asks about plans"]
    return []


def _asks_about_plan(q: Question, fact: Fact) -> bool:
    """Whether the question names what makes the fact a plan: its invitation, plan or expectation."""
    english = _qualifying_keys(fact)
    return any(
        any(k.startswith(stem) for k in english) and _says(q, asked)
        for stem, asked in _QUALIFIERS
        if stem in _PLAN_WORDS
    )


def _qualifying_keys(fact: Fact) -> set[str]:
    """The folded words of the fact's English text that a qualifier is read in: "At the
    invitation of X, Y visited…" tells a visit that happened, not an invitation."""
    return {folded_key(t) for t in tokens(_AT_INVITATION.sub(" ", fact.text))}


def _says(q: Question, asked: tuple[str, ...]) -> bool:
    return any(q.says(v.split()) if " " in v else any(k.startswith(v) for k in q.keys) for v in asked)


def _tenseless(q: Question) -> bool:
    """A question that says neither "did" nor "will" ("when is the CICA summit?", "khi nào"):
    either may answer it, a plan marked as one."""
    return not q.past and not q.future


def _subject_problems(index: Index, q: Question, fact: Fact) -> list[str]:
    entities = index.entities
    theirs = set(fact.entities) | {
        p for r in fact.relations if r in index.relations for p in index.relations[r].parties
    }
    foreign = sorted(
        e
        for e in q.named
        if e not in theirs and entities.get(e) is not None and entities[e].kind in _ACTOR_KINDS
    )
    return [f"is not about {', '.join(foreign)}"] if foreign else []


def _flow_problems(index: Index, q: Question, fact: Fact, labels: Labels) -> list[str]:
    """A question and a fact that both say which way something goes must agree: Kazakhstan's
    exports to Vietnam are not Vietnam's exports to Kazakhstan; a visit to Vietnam is not one to
    Kazakhstan. Only countries and organisations are compared (a person visits for a country)."""
    if not (q.source or q.target):
        return []
    source, target = flow_of(fact.text, labels)
    actors = {e for e, ent in index.entities.items() if ent.kind in _ACTOR_KINDS}
    for asked, told, role in ((q.source, source, "from"), (q.target, target, "to")):
        if asked in actors and told in actors and asked != told:
            return [f"goes {role} {told}, not {asked}"]
    if q.target in actors and target is None and q.intent in (Intent.when, Intent.where):
        return [f"does not say it went to {q.target}"]
    return []


def _role_problems(index: Index, q: Question, fact: Fact, labels: Labels) -> list[str]:
    """A question naming an office ("a Kazakh prime minister", "Vietnam's ambassador") needs a
    person in the fact who held it, for the country named with it."""
    if q.intent is Intent.who:
        return []  # who-questions look for that person themselves (_actor)
    roles, attached = _roles(index, q)
    if not roles or any(_holds_office(index, q, e, roles, attached, labels) for e in fact.entities):
        return []
    return ["no person in it holds the office the question names"]


def _roles(index: Index, q: Question) -> tuple[set[str], set[str]]:
    """The office words a question names, and the countries attached to them: "Vietnamese prime
    minister", "prime minister of Vietnam", "Thủ tướng Việt Nam", "Kazakhstan's ambassador" — not
    the country the office faces ("ambassador to Vietnam", which the direction check reads)."""
    at: set[int] = set()
    for phrase in ROLE_PHRASES:
        n = len(phrase)
        at |= {
            j
            for i in range(len(q.keys) - n + 1)
            if tuple(q.keys[i : i + n]) == phrase
            for j in range(i, i + n)
        }
    at -= q.used | q.named_at  # "Tổng Bí thư Tô Lâm" is a name
    if not at:
        return set(), set()
    lo, hi = min(at), max(at)
    if any(
        m.start == hi + 1
        and index.entities.get(m.entity) is not None
        and index.entities[m.entity].kind == "person"
        for m in q.mentions
    ):
        return (
            set(),
            set(),
        )  # "Tổng Bí thư Tô Lâm", "President Tokayev": the office of the person named, not one asked for
    after = q.keys[hi + 1] if hi + 1 < len(q.keys) else ""
    before = tuple(q.keys[max(0, lo - 2) : lo])
    plural = any(
        q.words[i].lower().endswith(("ministers", "ministers'", "presidents", "ambassadors")) for i in at
    ) or (lo > 0 and q.keys[lo - 1] in ("cac", "nhung"))
    if after in _GATHERINGS or before == ("hoi", "nghi") or plural:
        return (
            set(),
            set(),
        )  # "the Foreign Ministers' Meeting", "Hội nghị Bộ trưởng", "các bộ trưởng": not one office holder
    attached = set()
    for m in q.mentions:
        if index.entities.get(m.entity) is None or index.entities[m.entity].kind != "country":
            continue
        between = q.keys[m.end : lo] if m.end <= lo else q.keys[hi + 1 : m.start]
        if (
            m.end <= lo
            and all(k in _OFFICE_ADJECTIVES for k in between)
            or m.start > hi
            and all(k in ("of", "cua") for k in between)
        ):
            attached.add(m.entity)
    return {q.keys[i] for i in at}, attached


def _holds_office(
    index: Index, q: Question, eid: str, roles: set[str], attached: set[str], labels: Labels
) -> bool:
    """Whether a person held the office the question names, for its country, facing its way
    ("Vietnam's ambassador to Kazakhstan" is not the Kazakh ambassador to Vietnam)."""
    person = index.entities.get(eid)
    if person is None or person.kind != "person":
        return False
    office = _office_keys(person)
    if not roles <= office:
        return False
    if not all(any(_label_in(label, office) for label in index.entities[c].names) for c in attached):
        return False
    if q.source or q.target:
        source, target = flow_of(person.office or "", labels)
        if (q.source and source and q.source != source) or (q.target and target and q.target != target):
            return False
    return True


def _office_keys(person: Entity) -> set[str]:
    return {folded_key(t) for t in tokens(f"{person.office or ''} {person.office_vi or ''}")}


def _label_in(label: str, keys: set[str]) -> bool:
    words = [folded_key(t) for t in tokens(label) if not is_stop(t)]
    return bool(words) and all(w in keys for w in words)


def _states_amount(q: Question, fact: Fact) -> bool:
    from dipfacts.search.index import amount_keys

    return fact.value is not None and bool(set(q.numbers) & amount_keys(fact.value.amount))


def _number_problems(q: Question, fact: Fact) -> list[str]:
    own = _own_keys(fact)
    missing = [n for n in q.numbers if n not in own]
    return [f"does not itself state {', '.join(missing)}"] if missing else []


def _actor(index: Index, q: Question, fact: Fact, labels: Labels) -> tuple[Entity, ...] | None:
    """Who answers a who-question in this fact: the one person (or, for "which country", the one
    country) it names that the question does not; with an office in the question, the one who
    held it. Two such, and the fact does not say which: no answer — unless the question asks in
    the plural ("which countries co-chair…"), when all of them answer."""
    roles, attached = _roles(index, q)
    if roles and q.period is None and q.actor == "person":
        holders = [
            e
            for e, ent in index.entities.items()
            if ent.kind == "person"
            and e not in q.named
            and _holds_office(index, q, e, roles, attached, labels)
        ]
        if len(holders) > 1:  # "who is the president of Kazakhstan?": the base has two, of different years
            return None
    # "who represented Russia", "ai đại diện Hàn Quốc": the person must be that country's
    represents = any(k.startswith(("represent", "behalf")) for k in q.keys) or any(
        q.says(p) for p in (("dai", "dien"), ("thay", "mat"), ("spoke", "for"))
    )
    countries = [c for c in q.named if index.entities[c].kind == "country"] if represents else []
    found = []
    for eid in fact.entities:
        entity = index.entities.get(eid)
        if entity is None or eid in q.named or entity.kind != q.actor:
            continue
        if q.actor == "person":
            if roles and not _holds_office(index, q, eid, roles, attached, labels):
                continue
            # "who represented Russia": someone whose office is Russia's, not another delegate
            office = _office_keys(entity)
            if countries and not any(
                _label_in(label, office) for c in countries for label in index.entities[c].names
            ):
                continue
        found.append(entity)
    people = [
        e
        for e in fact.entities
        if e in index.entities and e not in q.named and index.entities[e].kind == "person"
    ]
    if (
        not people and q.actor == "person" and not roles
    ):  # "who is the biggest investor in ASEAN?": a country may be who
        for kind in ("country", "organisation"):
            found = [
                index.entities[e]
                for e in fact.entities
                if e in index.entities and e not in q.named and index.entities[e].kind == kind
            ]
            if found:
                break
    if len(found) > 1 and (
        q.source or q.target
    ):  # "which country did To Lam visit": where the fact's visit went
        source, target = flow_of(fact.text, labels)
        wanted = target if q.source and not q.target else source if q.target and not q.source else None
        found = [e for e in found if e.id == wanted]
    if q.plural and len(found) > 1:
        return tuple(found)
    return (found[0],) if len(found) == 1 else None


# What may stand between a country and its office: "Japan's foreign minister", "Kazakhstan's first deputy…"
_OFFICE_ADJECTIVES = frozenset({"s", "foreign", "first", "vice", "former", "then", "ngoai", "giao"})
_GATHERINGS = frozenset(
    {"meet", "meeting", "conference", "forum", "summit", "consultation", "retreat", "dialogue"}
)


def _place(index: Index, q: Question, fact: Fact) -> str | None:
    """The place a fact says something happened in: a named place after "in"/"at" in its text.
    (Not a country among its entities: a meeting with Japan did not take place in Japan.)"""
    if _ONLINE.search(fact.text):
        return "online"
    words = fact.text.split()
    asked = set(q.keys)
    for i, w in enumerate(words[:-1]):
        start = (
            i + 2 if words[i + 1].lower() == "the" and i + 2 < len(words) else i + 1
        )  # "at the Kuala Lumpur Convention Centre"
        if w.lower() in _WHERE_PLACE and words[start][:1].isupper():
            place = []
            for nxt in words[start:]:
                clean = nxt.strip(",.;:()'\"")
                if not clean[:1].isupper():
                    break
                place.append(clean)
                if nxt != clean:
                    break
            name = " ".join(place)
            keys = {folded_key(t) for t in tokens(name)}
            if name and not keys <= asked and not any(t.isdigit() for t in keys) and not keys & _MONTH_NAMES:
                return name
    return None


# --- helpers ------------------------------------------------------------------------------------


def _refuse(
    q: Question, query: str, closest: tuple[Fact, ...], verdicts: Iterable[Verdict], why: str
) -> Answer:
    return Answer(
        q.text, q.intent, query, None, None, closest, q.period, verdicts=tuple(verdicts), refusal=why
    )


def _closest(index: Index, query: str, filters: Filters) -> tuple[Fact, ...]:
    if not tokens(query):
        return ()
    try:
        result = search(index, query, filters, limit=CLOSEST)
    except QueryError:
        return ()
    return tuple(index.fact(h.doc) for h in result.hits)


def _within(date: EDTF, period: EDTF) -> bool:
    """Whether every day the date is known by lies in the period (an open end is unknown, not wide)."""
    plo, phi = period.lower, period.upper
    known = [d for d in (date.lower, date.upper) if d is not None]
    return bool(known) and plo is not None and phi is not None and all(plo <= d <= phi for d in known)


def _partial(fact: Fact, period: EDTF | None) -> bool:
    """The fact covers less than the period the question names (Jan–Mar 2025 for "in 2025")."""
    if period is None or fact.kind != "figure":
        return False
    return (fact.date.lower, fact.date.upper) != (period.lower, period.upper) and fact.date.precision != "day"


def _is_part_of_year(date: EDTF) -> bool:
    lo, hi = date.lower, date.upper
    return (
        date.interval
        and lo is not None
        and hi is not None
        and lo[0] == hi[0]
        and (lo[1:], hi[1:]) != ((1, 1), (12, 31))
    )


def _own_keys(fact: Fact) -> set[str]:
    """The folded words of the fact's own sentences (not the names of what it refers to), with
    the number each ordinal word stands for ("sixth", "thứ sáu": 6)."""
    keys = {folded_key(t) for t in tokens(f"{fact.text} {fact.text_vi}")}
    for text in (fact.text, fact.text_vi):
        folded = [fold(t) for t in tokens(text)]
        keys |= {n for i in range(len(folded)) if (n := ordinal_at(folded, i)) is not None}
    if "first" in keys:  # a question's "first" is not read as 1 ("when did he first…"), a fact's is
        keys.add("1")
    return keys


def _fact_words(index: Index, fact: Fact) -> set[str]:
    keys = _own_keys(fact) | {folded_key(t) for c in fact.citations for t in tokens(c.quote)}
    for eid in fact.entities:
        entity = index.entities.get(eid)
        if entity is not None:
            keys |= {folded_key(t) for label in entity.names for t in tokens(label)}
    if fact.value is not None and fact.value.metric in index.metrics:
        keys |= {folded_key(t) for label in index.metrics[fact.value.metric].names for t in tokens(label)}
    return keys
