"""Where a line may break inside a clause, and where it breaks well.

Hard rules (never broken): W3C clreq line-start/line-end prohibitions, never
inside a Latin word or number, never inside a grapheme (combining marks, ZWJ
emoji sequences). Soft rule: break between words (jieba's dictionary, via rjieba, for Chinese; loaded
only when a clause is too long for one line), so 开发区 or 产业园 stay whole.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .profile import NO_LINE_END, NO_LINE_START

_JOINERS = {"\u200d"}


def allowed(text: str, i: int) -> bool:
    """May a line break fall between text[i-1] and text[i]?"""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if b in NO_LINE_START or a in NO_LINE_END:
        return False
    if a in _JOINERS or unicodedata.category(b) in ("Mn", "Me", "Cf", "Sk") or "\ufe00" <= b <= "\ufe0f":
        return False
    if 0x1F1E6 <= ord(a) <= 0x1F1FF and 0x1F1E6 <= ord(b) <= 0x1F1FF:
        return False  # a flag is two regional indicators
    if a.isascii() and b.isascii() and (a.isalnum() or a in "'.,%-") and (b.isalnum() or b in "'.%"):
        return False  # inside a Latin word or a number
    if "\ud800" <= b <= "\udfff":
        return False
    return True


def word_boundaries(text: str, language: str) -> set[int]:
    """Positions that fall between words."""
    if language != "zh":
        return {i for i in range(1, len(text)) if text[i - 1] == " " or text[i] == " "}
    return set(_word_ends(text))


@lru_cache(maxsize=4096)
def _word_ends(text: str) -> tuple[int, ...]:
    out, pos = [], 0
    for word in _segmenter()(text):
        pos += len(word)
        out.append(pos)
    return tuple(out[:-1])


@lru_cache(maxsize=1)
def _segmenter():
    """jieba's dictionary and HMM, in Rust (rjieba): the same words as the Python jieba,
    loaded in ~0.13 s instead of ~0.9 s. Loaded once per process, only when a clause
    needs breaking. (scripts/bench.py swaps in the Python jieba to compare.)"""
    import rjieba

    return rjieba.cut


def preload() -> None:
    """Load the dictionary now (before forking workers that will all need it)."""
    _segmenter()
