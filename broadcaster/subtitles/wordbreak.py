"""Where a line may break inside a clause, and the words and word classes around it.

Hard rules (never broken): W3C clreq line-start/line-end prohibitions, never
inside a Latin word or number, never inside a grapheme (combining marks, ZWJ
emoji sequences). Soft rules (breaks.py): between words (jieba's dictionary, via rjieba, for Chinese;
loaded only when a clause is too long for one line), so 开发区 or 产业园 stay whole, and by word class
(jieba's part-of-speech tags from the same dictionary: rjieba.tag, no second model).
"""
from __future__ import annotations

import atexit
import json
import os
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

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


def tags(text: str) -> tuple[tuple[int, str], ...]:
    """Chinese words as (end offset, jieba part-of-speech flag), in order; the last ends at len(text)."""
    return _tags(text) if text else ()


@lru_cache(maxsize=4096)
def _word_ends(text: str) -> tuple[int, ...]:
    if _segmenter is not _own_segmenter:  # a segmenter swapped in to compare (scripts/bench.py)
        out, pos = [], 0
        for word in _segmenter()(text):
            pos += len(word)
            out.append(pos)
        return tuple(out[:-1])
    return tuple(end for end, _ in _tags(text)[:-1])


@lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[tuple[int, str], ...]:
    known = _known().get(text)
    if isinstance(known, str):
        try:
            return tuple((int(end), flag) for end, _, flag in (w.partition(":") for w in known.split()))
        except ValueError:
            pass  # a damaged entry: cut afresh
    out, pos = [], 0
    for word, flag in _tagger()(text):
        pos += len(word)
        out.append((pos, flag))
    _learn(text, out)
    return tuple(out)


# Clauses already cut and tagged, kept beside the clip cache: a re-render (the edit loop) cuts only what
# changed and need not load the dictionary at all. Keyed by the segmenter's build, bounded.
_KEEP = 4096
_state: dict = {}


def _store() -> Path | None:
    import importlib.util

    from ..cachedir import default_dir

    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    built = sorted(f for f in folder.iterdir() if f.suffix in (".so", ".pyd"))
    if not built:
        return None
    stat = built[0].stat()  # the extension module (its dictionary is built in): a new build may cut differently
    return default_dir() / "words" / f"rjieba-tags2-{stat.st_size}-{stat.st_mtime_ns}.json"


def _known() -> dict[str, str]:
    if "known" not in _state:
        _state["known"], _state["new"] = {}, {}
        try:
            path = _store()
            data = json.loads(path.read_text(encoding="utf-8")) if path else {}
            if isinstance(data, dict):
                _state["known"] = data
        except (OSError, ValueError):
            pass  # no store yet, or a damaged one: cut afresh
    return _state["known"]


def _learn(text: str, words: list[tuple[int, str]]) -> None:
    if not _state["new"]:
        atexit.register(_save)
    # one short string per clause ("3:n 5:v"): the store loads on every render, and lists of pairs took
    # five times the bytes and ~0.3 s to parse once it held its 4,096 clauses
    _state["new"][text] = " ".join(f"{end}:{flag}" for end, flag in words)


def _save() -> None:
    """Merge what this process cut into the store (atomically; a lost race only costs time)."""
    try:
        path = _store()
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            data = {}
        data.update(_state["new"])
        data = dict(list(data.items())[-_KEEP:])  # the most recently learnt
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".words.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass


@lru_cache(maxsize=1)
def _segmenter() -> Callable[[str], list[str]]:
    """jieba's dictionary and HMM, in Rust (rjieba): the same words as the Python jieba,
    loaded in ~0.13 s instead of ~0.9 s. Loaded once per process, only when a clause
    needs breaking. (scripts/bench.py swaps in the Python jieba to compare.)"""
    import rjieba

    return rjieba.cut


_own_segmenter = _segmenter


@lru_cache(maxsize=1)
def _tagger() -> Callable[[str], list[tuple[str, str]]]:
    """The same dictionary's words with their part-of-speech flags (jieba.posseg's, from rjieba)."""
    import rjieba

    return rjieba.tag


def preload() -> None:
    """Load the dictionary now (before forking workers that will all need it)."""
    _segmenter()
    _tagger()
