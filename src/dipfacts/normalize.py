"""Text normalisation shared by the loader, `check`, suggestions and search.

Vietnamese arrives in NFC and NFD, with old and new tone placement, with and
without diacritics; comparisons must not care which.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# Letters that carry no combining mark to strip but still need folding to ASCII.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "ß": "ss"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """NFC with every run of white space made one space: how quotes are compared."""
    return _WS.sub(" ", nfc(text)).strip()


def fold(text: str) -> str:
    """Lower-case, marks removed, đ → d: the key under which 'Tô Lâm' and 'to lam' meet."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLD_EXTRA).casefold()
