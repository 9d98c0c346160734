"""`dipfacts check`: is the base sound, and is every quote really in its article?

A quote that has drifted from its source — a retyped diacritic, a "fixed"
comma — turns a citation into a fabrication, so each one is compared with the
article's text after only NFC and white-space normalisation.

`check` verifies what it can: a quote whose article is not in the folders given
is *not verified*, which is reported (how many, and why, per source) but is no
error unless `strict` — a curator checking their own base against their own
articles must not fail on the built-in base's. Problems of the loader and of the
quotes come in one report, so a curator fixes them in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dipfacts.base.conflicts import find_conflicts
from dipfacts.base.errors import Problem
from dipfacts.base.files import display
from dipfacts.base.load import ArticleRef, load_partial
from dipfacts.base.model import Base, Citation, Origin, Source
from dipfacts.base.normalize import squash

# Why a source's quotes were not verified: the phrases scripts read in `unverified_sources`.
NO_DIRS = "no --sources-dir given"
NOT_FOUND = "article not in the given folders"
NO_FILE = "no article file"
UNREADABLE = "article unreadable"
UNKNOWN = "unknown source"


@dataclass(frozen=True, slots=True)
class Unverified:
    """One source whose cited quotes were not compared with its article, and why."""

    source: str
    reason: str  # one of NO_DIRS, NOT_FOUND, NO_FILE, UNREADABLE, UNKNOWN
    citations: int
    file: str | None = None
    origin: Origin | None = None  # where the source is defined (None: an unknown source)

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "file": self.file, "citations": self.citations, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class CheckReport:
    facts: int
    sources: int
    relations: int
    entities: int
    citations: int
    verified: int
    unverified: tuple[Unverified, ...]  # by source id
    problems: tuple[Problem, ...]
    dirs: tuple[str, ...] = ()  # the folders searched for articles, as the user reads them
    warnings: tuple[Problem, ...] = ()  # for a curator to look at: events that look like one (conflicts.py)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unverified_citations(self) -> int:
        return sum(u.citations for u in self.unverified)

    def figures(self) -> dict[str, int]:
        """The counts, as tsv and csv give them: one row each."""
        return {
            "facts": self.facts,
            "sources": self.sources,
            "relations": self.relations,
            "entities": self.entities,
            "citations": self.citations,
            "citations_verified": self.verified,
            "citations_unverified": self.unverified_citations,
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            **self.figures(),
            "unverified_sources": [u.as_dict() for u in self.unverified],
            "problems": [str(p) for p in self.problems],
            "warnings": [str(w) for w in self.warnings],
        }


# --- where a quote and its article part -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Where a quote first differs from the span of the article most like it."""

    at: int  # 0-based index in the quote of the first character that differs
    quote: str  # a few words of the quote around it
    article: str  # the same few words of the article


_ANCHOR = 12  # characters of the quote's start looked for as they stand
_SLACK = 3  # letters by which candidate starts may differ in what they keep of a quote and still tie


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _excerpt(text: str, at: int, width: int = 24) -> str:
    """A few whole words of `text` around index `at`, with … where it is cut."""
    lo, hi = max(0, at - width), min(len(text), at + width)
    while lo > 0 and text[lo - 1] != " ":
        lo -= 1
    while hi < len(text) and text[hi] != " ":
        hi += 1
    return ("…" if lo > 0 else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def locate(quote: str, text: str) -> Mismatch | None:
    """Where `quote` (not in `text` verbatim) first differs from the article, or None when
    no span of the article is like it.

    rapidfuzz finds the region most like the quote, but the span it returns may begin before
    the quote's real start (it scores windows, not alignments, so a letter added or lost
    shifts it), and comparing from there said "character 1" of a quote that differs 40
    characters in. So the start is found again within the region. The candidates are the
    offsets difflib's matching blocks put the quote at (and a few letters either side of the
    longest block), and each place the quote's first characters stand. Of those that keep
    about as much of the quote as the best one does, the start from which the quote runs
    unchanged longest is where it was copied from, and where it stops is the difference.
    """
    from difflib import SequenceMatcher

    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=80)
    if not found:
        return None
    lo = max(0, found.dest_start - len(quote))
    window = text[lo : min(len(text), found.dest_end + len(quote))]
    blocks = [
        block
        for block in SequenceMatcher(None, quote, window, autojunk=False).get_matching_blocks()
        if block.size
    ]
    starts = {max(0, b - a) for a, b, _ in blocks}
    if blocks:  # the longest stretch puts the start within a few letters of where it is, edits aside
        a, b, _ = max(blocks, key=lambda block: block.size)
        starts.update(range(max(0, b - a - _SLACK), max(0, b - a + _SLACK + 1)))
    anchor = quote[:_ANCHOR]
    at = window.find(anchor)
    while at >= 0:
        starts.add(at)
        at = window.find(anchor, at + 1)

    def kept(start: int) -> int:
        """How much of the quote the article keeps from `start`."""
        span = window[start : start + len(quote) + _ANCHOR]
        return sum(
            size for *_, size in SequenceMatcher(None, quote, span, autojunk=False).get_matching_blocks()
        )

    # Within a few letters of the best is as good as the best: difflib's count is a heuristic's,
    # and a start one letter off keeps all but a letter of the quote.
    scored = {s: kept(s) for s in starts}
    best = max(scored.values())
    start = max(
        (s for s, same in scored.items() if same >= best - _SLACK),
        key=lambda s: (_common_prefix(quote, window[s:]), scored[s], -s),
    )
    article = window[start:]
    differs = _common_prefix(quote, article)
    return Mismatch(differs, _excerpt(quote, differs), _excerpt(article, differs))


# --- the check -----------------------------------------------------------------------------


def check_base(base: Base, sources_dirs: Sequence[Path] = (), *, strict: bool = False) -> CheckReport:
    """Verify every citation of a loaded `base` against the article files in `sources_dirs`."""
    return _check(base, sources_dirs, strict=strict)


def check_files(
    files: Sequence[Path], sources_dirs: Sequence[Path] = (), *, strict: bool = False
) -> CheckReport:
    """Check the base in `files` as far as it loads: every loader problem and every quote
    problem in one report (see load.Partial)."""
    partial = load_partial(files)
    return _check(
        partial.base,
        sources_dirs,
        strict=strict,
        problems=partial.problems,
        unloaded_citations=partial.unloaded_citations,
        unloaded_sources=partial.unloaded_sources,
    )


def _find_article(name: str, dirs: Sequence[Path]) -> Path | None:
    for d in dirs:
        candidate = d / name
        if candidate.is_file():
            return candidate
    return None


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _quote_problem(cite: Citation, text: str, label: str) -> Problem | None:
    """None when the quote stands verbatim in its article's text; else where it first differs."""
    quote = squash(cite.quote)
    if quote in text:
        return None
    message = f"quote not found verbatim in source '{cite.source}': {_clip(quote)!r}"
    mismatch = locate(quote, text)
    if mismatch is not None:
        message += (
            f"; it differs at character {mismatch.at + 1}: quote {mismatch.quote!r}, "
            f"article {mismatch.article!r}"
        )
    return Problem(cite.origin.file, cite.origin.line, message, label)


def _check(
    base: Base,
    sources_dirs: Sequence[Path],
    *,
    strict: bool,
    problems: Iterable[Problem] = (),
    unloaded_citations: Iterable[tuple[str, Citation]] = (),
    unloaded_sources: Mapping[str, ArticleRef] | None = None,
) -> CheckReport:
    found: list[Problem] = list(problems)
    dirs = [d for d in sources_dirs if d.is_dir()]
    for d in sources_dirs:
        if not d.is_dir():
            found.append(Problem(display(d), None, "--sources-dir is not a folder"))
    where = tuple(display(d) for d in sources_dirs)
    articles: dict[str, Source | ArticleRef] = {**(unloaded_sources or {}), **base.sources}
    texts: dict[str, str | None] = {}  # source id -> its article's text; None: not verifiable
    why: dict[str, str] = {}  # source id -> why its quotes are not verified

    def text_of(sid: str) -> str | None:
        if sid in texts:
            return texts[sid]
        texts[sid] = None
        source = articles.get(sid)
        if source is None:
            why[sid] = UNKNOWN  # the loader has said so
        elif not sources_dirs:
            why[sid] = NO_DIRS
        elif source.file is None:
            why[sid] = NO_FILE
        elif (path := _find_article(source.file, dirs)) is None:
            why[sid] = NOT_FOUND
        else:
            try:
                texts[sid] = squash(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as e:
                why[sid] = UNREADABLE
                found.append(Problem(display(path), None, f"cannot read article: {e}", f"source '{sid}'"))
        return texts[sid]

    citations = verified = 0
    not_verified: dict[str, int] = {}
    for label, cite in _citations(base, unloaded_citations):
        citations += 1
        text = text_of(cite.source)
        if text is None:
            not_verified[cite.source] = not_verified.get(cite.source, 0) + 1
            continue
        problem = _quote_problem(cite, text, label)
        if problem is None:
            verified += 1
        else:
            found.append(problem)

    unverified = []
    for sid in sorted(not_verified):
        source = articles.get(sid)
        unverified.append(
            Unverified(
                sid,
                why[sid],
                not_verified[sid],
                source.file if source else None,
                source.origin if source else None,
            )
        )
    if strict:
        found += [p for u in unverified if (p := _strict_problem(u, where)) is not None]
    people = {e.id for e in base.entities.values() if e.kind == "person"}
    findings = find_conflicts(
        base.facts, people
    )  # two facts of one number or one event: for the curator to merge
    found += findings.problems
    return CheckReport(
        facts=len(base.facts),
        sources=len(base.sources),
        relations=len(base.relations),
        entities=len(base.entities),
        citations=citations,
        verified=verified,
        unverified=tuple(unverified),
        problems=tuple(found),
        dirs=where,
        warnings=findings.warnings,
    )


def _citations(base: Base, unloaded: Iterable[tuple[str, Citation]]) -> Iterator[tuple[str, Citation]]:
    """Every citation to verify, with the fact a problem names: those of the facts that loaded,
    then those of the [[fact]] tables that did not."""
    for fact in base.facts:
        for cite in fact.citations:
            yield f"fact '{fact.id}'", cite
    yield from unloaded


def _strict_problem(u: Unverified, where: Sequence[str]) -> Problem | None:
    """Under --strict an unverified citation is an error, reported at its source's table.
    An unknown source or an unreadable article is a problem already."""
    if u.origin is None or u.reason in (UNKNOWN, UNREADABLE):
        return None
    detail = {
        NO_DIRS: "no --sources-dir given",
        NO_FILE: "the source names no article 'file'",
        NOT_FOUND: f"article file '{u.file}' not found in {', '.join(where)}",
    }[u.reason]
    n = u.citations
    return Problem(
        u.origin.file,
        u.origin.line,
        f"{n} citation{'s' if n != 1 else ''} not verified: {detail} (--strict)",
        f"source '{u.source}'",
    )


# --- the report in words ---------------------------------------------------------------------


def _ids(ids: Sequence[str], most: int = 6) -> str:
    """Source ids for a sentence: a large base's hundred missing articles are not all named."""
    shown = ", ".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} and {len(ids) - most} more"


def why_unverified(report: CheckReport) -> str:
    """Why the unverified citations were not verified, grouped by reason: "the articles of
    tgvn-2025-kz, vov-2012-kz not in the given folder; x-src names no article file"."""
    by_reason: dict[str, list[str]] = {}
    for u in report.unverified:
        by_reason.setdefault(u.reason, []).append(u.source)
    folders = "the given folder" if len(report.dirs) == 1 else "the given folders"
    parts = []
    for reason, ids in by_reason.items():
        many = len(ids) != 1
        if reason == NOT_FOUND:
            parts.append(f"the article{'s' if many else ''} of {_ids(ids)} not in {folders}")
        elif reason == NO_FILE:
            parts.append(f"{_ids(ids)} name{'' if many else 's'} no article file")
        elif reason == UNREADABLE:
            parts.append(f"the article{'s' if many else ''} of {_ids(ids)} unreadable")
        elif reason == UNKNOWN:
            parts.append(f"unknown source{'s' if many else ''} {_ids(ids)}")
        else:
            parts.append(f"{_ids(ids)}: {reason}")
    return "; ".join(parts)


def summary(report: CheckReport) -> str:
    """The report as one sentence for a person: what the base holds, and what was verified.

    "ok: 264 facts, 5 sources, 9 relations, 116 entities; 286 of 286 citations verified
    verbatim against ../shared/seeds"."""
    head = (
        f"{'ok' if report.ok else 'not ok'}: {report.facts} facts, {report.sources} "
        f"sources, {report.relations} relations, {report.entities} entities"
    )
    return f"{head}; {verification(report)}"


def verification(report: CheckReport) -> str:
    """What was verified, and what not and why: the part of `summary` after the counts."""
    n = report.citations
    if not report.dirs:
        return (
            f"no quote verified: give --sources-dir to check the {n} citation{'s' if n != 1 else ''} "
            f"against their articles"
        )
    line = (
        f"{report.verified} of {n} citation{'s' if n != 1 else ''} verified "
        f"verbatim against {', '.join(report.dirs)}"
    )
    if report.unverified:
        line += f"; {report.unverified_citations} not verified: {why_unverified(report)}"
    return line
