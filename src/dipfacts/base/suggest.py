"""'Did you mean …?' — the nearest known names to a mistyped one."""

from __future__ import annotations

from collections.abc import Iterable

from dipfacts.base.normalize import fold


def did_you_mean(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Up to `limit` choices close to `word`, best first, compared without case or diacritics."""
    from rapidfuzz import fuzz, process

    pool = sorted(set(choices))
    if not pool or not word:
        return []
    folded = {c: fold(c) for c in pool}
    key = fold(word)
    prefixed = [c for c in pool if folded[c].startswith(key) and len(key) >= 2]
    scored = sorted(
        process.extract(key, folded, scorer=fuzz.ratio, limit=limit * 2, score_cutoff=60),
        key=lambda t: (-t[1], t[2]),
    )
    # Only guesses about as good as the best one: a clear winner should stand alone.
    close = [c for _, score, c in scored if score >= scored[0][1] - 10] if scored else []
    ranked = prefixed + close
    out: list[str] = []
    for c in ranked:
        if c not in out:
            out.append(c)
    return out[:limit]
