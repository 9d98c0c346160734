"""`dipfacts check`: is every quote really in its article?

A quote that has drifted from its source — a retyped diacritic, a "fixed"
comma — turns a citation into a fabrication, so each one is compared with the
article's text after only NFC and white-space normalisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dipfacts.errors import Problem
from dipfacts.files import display
from dipfacts.model import Base
from dipfacts.normalize import squash


@dataclass(frozen=True, slots=True)
class CheckReport:
    facts: int
    sources: int
    relations: int
    entities: int
    citations: int
    verified: int
    unverifiable: tuple[str, ...]  # sources with no article file to check against
    problems: tuple[Problem, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": not self.problems,
            "facts": self.facts,
            "sources": self.sources,
            "relations": self.relations,
            "entities": self.entities,
            "citations": self.citations,
            "citations_verified": self.verified,
            "unverifiable_sources": list(self.unverifiable),
            "problems": [str(p) for p in self.problems],
        }


def _find_article(name: str, dirs: Sequence[Path]) -> Path | None:
    for d in dirs:
        candidate = d / name
        if candidate.is_file():
            return candidate
    return None


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _closest(quote: str, text: str) -> str | None:
    """The span of the article most like a quote that drifted: where to copy it from."""
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=80)
    return text[found.dest_start : found.dest_end] if found else None


def check_base(base: Base, sources_dirs: Sequence[Path] = ()) -> CheckReport:
    """Verify every citation of `base` against the article files in `sources_dirs`."""
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    unverifiable: list[str] = []
    for d in sources_dirs:
        if not d.is_dir():
            problems.append(Problem(display(d), None, "--sources-dir is not a folder"))
    if sources_dirs and not problems:
        for source in base.sources.values():
            if source.file is None:
                unverifiable.append(source.id)
                continue
            path = _find_article(source.file, sources_dirs)
            if path is None:
                where = ", ".join(display(d) for d in sources_dirs)
                problems.append(Problem(source.origin.file, source.origin.line, f"article file '{source.file}' not found in {where}", f"source '{source.id}'"))
                continue
            try:
                texts[source.id] = squash(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as e:
                problems.append(Problem(display(path), None, f"cannot read article: {e}", f"source '{source.id}'"))
    citations = verified = 0
    for fact in base.facts:
        for cite in fact.citations:
            citations += 1
            text = texts.get(cite.source)
            if text is None:
                continue
            quote = squash(cite.quote)
            if quote in text:
                verified += 1
                continue
            message = f"quote not found verbatim in source '{cite.source}': {_clip(quote)!r}"
            closest = _closest(quote, text)
            if closest:
                at = next((i for i, (a, b) in enumerate(zip(quote, closest)) if a != b), min(len(quote), len(closest)))
                lo = max(0, at - 20)
                message += f"; it differs at character {at + 1}: quote {quote[lo:at + 20]!r}, article {closest[lo:at + 20]!r}"
            problems.append(Problem(cite.origin.file, cite.origin.line, message, f"fact '{fact.id}'"))
    return CheckReport(
        facts=len(base.facts),
        sources=len(base.sources),
        relations=len(base.relations),
        entities=len(base.entities),
        citations=citations,
        verified=verified,
        unverifiable=tuple(unverifiable),
        problems=tuple(problems),
    )
