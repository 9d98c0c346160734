"""Vietnamese numbers in words, written once: counts ("bốn tháng đầu năm", "ba nước") and ordinals
("thứ tư", "lần thứ năm"). Read with their marks by extract (news is written with them) and
folded by the question parser (questions often are not)."""

from __future__ import annotations

from dipfacts.base.normalize import fold

#: Counts: một 1 … mười 10. "tư" is four only after a number or in an ordinal ("hai mươi tư",
#: "thứ tư"); "bốn" is the count.
COUNTS: dict[str, int] = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
#: Ordinals, as they follow "thứ": nhất (first), nhì or hai (second), tư or bốn (fourth), …
ORDINALS: dict[str, int] = {"nhất": 1, "nhì": 2, "tư": 4, **{w: n for w, n in COUNTS.items() if n > 1}}


def folded(words: dict[str, int]) -> dict[str, int]:
    """The same words without their marks, as a question may type them ("bon", "thu tu")."""
    return {fold(w): n for w, n in words.items()}
