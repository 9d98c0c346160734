"""Text normalisation shared by the loader, `check`, suggestions and search.

Vietnamese arrives in NFC and NFD, with old and new tone placement, with and
without diacritics, and sometimes with look-alike Greek or Cyrillic letters;
comparisons must not care which. Every word gets two keys, as Meilisearch's
charabia and Lucene's ASCII folding do:

- the *exact* key: NFC, lower-case, tone mark on the vowel the modern rule puts
  it on (thuỷ and thủy, hoà and hòa give one key);
- the *folded* key: every mark removed, đ → d, then lightly stemmed for English
  (exports → export). Retrieval uses it; exact keys only rank.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_WS = re.compile(r"\s+")
# Letters with no combining mark to strip that still fold to ASCII.
_FOLD_EXTRA = str.maketrans(
    {
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ı": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "ß": "ss",
    }
)
# Greek and Cyrillic letters that look Latin: "ΑΙ" typed with Greek capitals is "AI".
_LOOKALIKE = str.maketrans(
    {
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
        "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ι": "i", "ν": "v",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    }
)  # fmt: skip

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_VOWELS = set("aeiouy")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """NFC with every run of white space made one space: how quotes are compared."""
    return _WS.sub(" ", nfc(text)).strip()


def fold(text: str) -> str:
    """Lower-case, marks removed, đ → d: the key under which 'Tô Lâm' and 'to lam' meet.

    Folding is applied until nothing changes, so a key folds to itself: case folding can
    add a mark ('İ' → 'i̇') and compatibility decomposition a capital ('㎒' → 'MHz')."""
    for _ in range(4):
        if text.isascii():
            return text.lower()
        once = _fold_once(text)
        if once == text:
            break
        text = once
    return text


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize(
        "NFKD", text.translate(_LOOKALIKE).casefold().translate(_LOOKALIKE).translate(_FOLD_EXTRA)
    )
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLD_EXTRA).casefold()


def _retone(word: str) -> str:
    """Move a Vietnamese tone mark to where the modern ('new style') rule puts it."""
    chars = unicodedata.normalize("NFD", word)
    tone = next((c for c in chars if c in _TONES), None)
    if tone is None:
        return word
    letters: list[list[str]] = []  # each base letter with its non-tone marks
    for c in chars:
        if unicodedata.combining(c):
            if c not in _TONES and letters:
                letters[-1].append(c)
        else:
            letters.append([c])
    base = "".join(g[0] for g in letters)
    start = 0
    if base[:2] in ("qu", "gi") and len(base) > 2 and base[2] in _VOWELS:
        start = 2  # the u of qu and the i of gi belong to the consonant
    vowels = [i for i in range(start, len(base)) if base[i] in _VOWELS]
    if not vowels:
        return word
    first, last = vowels[0], vowels[-1]
    cluster = list(range(first, last + 1))
    marked = [i for i in cluster if len(letters[i]) > 1]  # â ê ô ơ ư ă carry the tone
    if marked:
        target = marked[-1]
    elif last + 1 < len(base) or len(cluster) == 3:
        target = cluster[1] if len(cluster) == 3 else last  # closed syllable, or oai/uya/…
    elif len(cluster) == 2 and base[first : last + 1] in ("oa", "oe", "uy"):
        target = last  # hòa, khỏe, thủy
    else:
        target = first
    letters[target].append(tone)
    return unicodedata.normalize("NFC", "".join("".join(g) for g in letters))


def exact_key(word: str) -> str:
    """NFC, case-folded, tone mark where the modern rule puts it; look-alike letters made Latin
    after case folding too (it can produce one: 'ᾀ' folds to 'ἀι'), so a key is its own key."""
    return _retone(nfc(nfc(word.translate(_LOOKALIKE)).casefold().translate(_LOOKALIKE)))


def stem(word: str) -> str:
    """Light English stemming on a folded word. Vietnamese syllables never end in s, d or ing.

    Repeated until nothing changes ('meetings' → 'meeting' → 'meet'), so a key is its own key."""
    while (shorter := _stem_once(word)) != word:
        word = shorter
    return word


def _stem_once(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "sses", "zes")):
                continue
            return word[: -len(suffix)] + repl
    return word


def folded_key(word: str) -> str:
    return stem(fold(word))


# --- words --------------------------------------------------------------------------------

# A word: letters and digits; a number keeps its separators ("426,1", "150.000").
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:\d+[^\W\d_]*)*", re.UNICODE)


def number_key(token: str) -> str:
    """426,1 and 426.1 meet; so do 150.000 and 150,000 (both written with a separator)."""
    return token.replace(",", ".")


class Word(NamedTuple):
    position: int
    start: int  # offset in the NFC text, for highlighting
    end: int
    exact: str
    folded: str


# Invisible format characters — zero-width spaces and joiners, soft hyphens, bidi marks,
# the BOM — split or disguise a typed word without showing; a query drops them.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def head(text: str, n: int) -> tuple[str, int]:
    """The start of `text` holding its first n words, and how many words it has in all.

    Counting is one regex scan; normalising 100,000 characters of words that will be
    ignored is what would be slow."""
    end = len(text)
    count = 0
    for count, m in enumerate(_WORD.finditer(text), 1):
        if count == n:
            end = m.end()
    return text[:end], count


def tokens(text: str) -> list[str]:
    """The words of `text` as typed (NFC), in the same split as `words`."""
    return [m.group() for m in _WORD.finditer(nfc(text))]


def words(text: str) -> list[Word]:
    """Split text into words with both keys; numbers get one key, separators normalised."""
    text = nfc(text)
    out: list[Word] = []
    for i, m in enumerate(_WORD.finditer(text)):
        token = m.group()
        if token[0].isdecimal():
            key = number_key(token)
            out.append(Word(i, m.start(), m.end(), key, key))
        else:
            out.append(Word(i, m.start(), m.end(), exact_key(token), folded_key(token)))
    return out


def has_marks(word: str) -> bool:
    """Whether a word carries diacritics: only then can an exact match outrank a folded one."""
    return fold(word) != word.casefold()


# Words that carry no information for ranking: English stop words, and Vietnamese
# function words. An unaccented Vietnamese word is only taken for a function word
# when no content word folds to it ("tu" may be "đầu tư", "da" may be "đa phương").
_STOP_EN = frozenset(
    """a an and are as at be by did do does for from had has have how i in into is it its many much
    of on or that the their there this to was were what when where which who whom why will with""".split()
)
_STOP_VI = frozenset(
    """của và các những là có được với cho trong này đã sẽ thì mà để từ tại về như khi nào gì bao nhiêu
    ra vào theo một""".split()
)
_STOP_VI_UNACCENTED = frozenset("cua va cac nhung la duoc voi thi nay khi nao gi nhieu".split())


def is_stop(word: str) -> bool:
    """Whether a query word is a function word that should not drive ranking."""
    folded = fold(word)
    return stop_by_keys(exact_key(word), folded, folded != word.casefold())


def stop_by_keys(exact: str, folded: str, marked: bool) -> bool:
    """is_stop for a word whose keys are known already (the query parser has them)."""
    if marked:
        return exact in _STOP_VI
    return folded in _STOP_EN or folded in _STOP_VI_UNACCENTED
