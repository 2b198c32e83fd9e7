"""Vietnamese text: normalising, folding for search, and sort keys in Vietnamese alphabet order.

No I/O, no Qt. The fold and sort columns of the store are written from these functions, and every
search goes through `fts_query`, so what is indexed and what is asked for are folded the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks that carry the tone of a syllable, in dictionary order (none comes first).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng

# The Vietnamese alphabet, with f j w z in their usual places.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
# Letters become one byte each, 'A' (0x41) upwards: after white space, punctuation and digits.
_RANK = {letter: chr(0x41 + i) for i, letter in enumerate(_ALPHABET)}
_FIRST_RANKED, _LAST_RANKED = 0x41, 0x41 + len(_ALPHABET) - 1
_SEPARATOR = "\x01"  # sorts before every other character, so a prefix sorts first


# Word's soft line break (\v), form feed and the Unicode line separators become line ends; NUL and BOM vanish.
_CONTROL = {c: " " for c in range(0x20) if chr(c) not in "\n\t"} | {
    0x0B: "\n",
    0x0C: "\n",
    0x2028: "\n",
    0x2029: "\n",
    0x7F: " ",
    0x00: None,
    0xFEFF: None,
}


def nfc(text: str) -> str:
    """Normalise pasted text to NFC, with line ends as \\n, and drop what Word, Excel and SQLite tools do not
    keep well: soft line breaks become line ends, NUL and BOM vanish, other control characters become spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL)


def clean_line(text: str) -> str:
    """NFC with runs of white space folded to one space, trimmed: for one-line fields."""
    return " ".join(nfc(text).split())


_PARENTHESISED = re.compile(r"\([^)]*\)")


def without_parentheses(text: str, replacement: str = "") -> str:
    """Each "(...)" replaced, in linear time: the regex alone rescans the rest of the text from every "(" that
    no ")" follows (quadratic on a hostile line), so the part after the last ")" is left out of it."""
    last = text.rfind(")") + 1
    return _PARENTHESISED.sub(replacement, text[:last]) + text[last:]


def format_count(n: int) -> str:
    """12345 -> '12.345': Vietnamese writes thousands with a dot."""
    return f"{n:,}".replace(",", ".")


def fold(text: str | None) -> str:
    """'Đề án của Ủy ban' -> 'de an cua uy ban': lower case, no marks, đ -> d. For search, never displayed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


_BODY_ABBREVIATIONS = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "mttq": "mat tran to quoc"}


def fold_body_name(text: str | None) -> str:
    """fold(), with the abbreviations of body names spelled out: 'UBND tỉnh Quảng Ngãi' and 'Ủy ban nhân dân
    tỉnh Quảng Ngãi' give the same key, so a duplicate is found whichever way the name was written."""
    return " ".join(_BODY_ABBREVIATIONS.get(word, word) for word in fold(text).split())


def fts_query(user_text: str) -> str:
    """A safe FTS5 MATCH expression: each folded word quoted, the last one a prefix; '' means no filter."""
    # FTS5 reads a quoted string only up to a NUL ("unterminated string"), so NUL separates words here.
    words = ['"' + word.replace('"', '""') + '"' for word in fold(user_text.replace("\x00", " ")).split()]
    return " ".join(words) + ("*" if words else "")


@lru_cache(maxsize=4096)
def _letter(ch: str) -> tuple[str, int]:
    """One character -> (its rank character, its tone 0-5)."""
    lower = ch.lower()
    decomposed = unicodedata.normalize("NFD", lower)
    tone = 0
    kept = []
    for mark in decomposed:
        if mark in _TONES:
            tone = _TONES[mark]
        else:
            kept.append(mark)
    base = unicodedata.normalize("NFC", "".join(kept))
    if base in _RANK:
        return _RANK[base], tone
    # A foreign letter (ç, ö ...): its base letter without marks; anything else as it is.
    plain = "".join(m for m in unicodedata.normalize("NFD", base) if not unicodedata.combining(m))
    if len(plain) == 1 and plain in _RANK:
        return _RANK[plain], tone
    plain = plain or base
    if len(plain) == 1 and _FIRST_RANKED <= ord(plain) <= _LAST_RANKED:
        return "~", tone  # ASCII punctuation that would fall among the letters sorts after them
    return plain, tone


def sort_key(text: str | None) -> str:
    """A key that sorts bytewise (SQLite BINARY) in Vietnamese dictionary order.

    Letters first by the Vietnamese alphabet, ignoring case and tone; then, as a secondary key, the
    tone of each syllable (none, huyền, hỏi, ngã, sắc, nặng). The tone is taken per syllable, so the
    old and new tone placements ('Uỷ ban', 'Ủy ban') get the same key.
    """
    if not text:
        return ""
    primary: list[str] = []
    tones: list[str] = []
    for word in unicodedata.normalize("NFC", text).split():
        # A syllable is a run of letters: 'Rịa-Vũng' and '15/QĐ-UBND' hold several, each with its own tone.
        syllable_tone: int | None = None
        start = len(primary)
        for ch in word:
            rank, tone = _letter(ch)
            primary.append(rank)
            if ch.isalpha() or unicodedata.combining(ch):
                syllable_tone = tone if syllable_tone is None else (syllable_tone or tone)
            elif syllable_tone is not None:
                tones.append(str(syllable_tone))
                syllable_tone = None
        if syllable_tone is not None:
            tones.append(str(syllable_tone))
        if any(primary[start:]):  # a stray tone mark with no letter is no word: no separator for it
            primary.append(" ")
    return "".join(primary).rstrip(" ") + _SEPARATOR + "".join(tones)
