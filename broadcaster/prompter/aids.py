"""Reading aids for the host: pinyin over hard characters, numbers as they are spoken.

Pinyin goes only where it helps: a polyphone read differently here than it
usually is (重庆 chóng, 银行 háng — phrase-aware, pypinyin), and rare
characters (outside GB2312's 3,755 common ones). Text is escaped before any
markup is added: transcript text is data, never markup.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from ..spoken import NUMBER_RE, zh_number


def _wrap_points(text: str) -> list[int]:
    from ..subtitles.breaks import wrap_points  # the dictionary loads only when a page is made

    return wrap_points(text)


def _rare(ch: str) -> bool:
    if not "\u4e00" <= ch <= "\u9fff":
        return False
    try:
        return ch.encode("gb2312")[0] >= 0xD8  # level 2 or beyond: not among the common characters
    except UnicodeEncodeError:
        return True


@lru_cache(maxsize=1)
def _pypinyin() -> Any:
    import pypinyin  # heavy: loaded only when pinyin is asked for

    return pypinyin


def _pinyin_marks(text: str) -> list[str | None]:
    """Per character: its pinyin when the host needs it, else None."""
    pp = _pypinyin()
    readings = pp.pinyin(text, style=pp.Style.TONE, errors=lambda s: [None] * len(s))
    flat: list[str | None] = []
    for item in readings:
        flat.extend(item if isinstance(item, list) else [item])
    marks: list[str | None] = []
    for ch, reading in zip(text, flat + [None] * (len(text) - len(flat)), strict=False):
        if reading is None or not "\u4e00" <= ch <= "\u9fff":
            marks.append(None)
            continue
        usual = pp.pinyin(ch, style=pp.Style.TONE)[0][0]
        marks.append(reading if _rare(ch) or reading != usual else None)
    return marks


def annotate(text: str, language: str, pinyin: bool, numbers: bool, wrap: bool = False) -> Markup:
    """Escaped text with <ruby> for the asked-for aids; with wrap (Chinese), a <wbr> where a line may
    wrap between words (the page sets word-break: keep-all, so lines wrap there and nowhere else)."""
    points = set(_wrap_points(text)) if wrap and language.startswith("zh") else set()
    if not (pinyin or numbers) or not language.startswith("zh"):
        if not points:
            return escape(text)
        cuts = [0, *sorted(points), len(text)]
        return Markup("<wbr>".join(str(escape(text[a:b])) for a, b in zip(cuts, cuts[1:], strict=False)))
    out: list[str] = []
    marks = _pinyin_marks(text) if pinyin else [None] * len(text)
    spans = [(m.start(), m.end(), zh_number(m["sign"], m["num"], m["suffix"])) for m in NUMBER_RE.finditer(text)] \
        if numbers else []
    i = 0
    for start, end, spoken in spans + [(len(text), len(text), None)]:
        for k in range(i, start):
            if k in points:
                out.append("<wbr>")
            ch = escape(text[k])
            out.append(f"<ruby>{ch}<rt>{escape(marks[k])}</rt></ruby>" if marks[k] else str(ch))
        if spoken is not None:
            out.append(f'<ruby class="number">{escape(text[start:end])}<rt>{escape(spoken)}</rt></ruby>')
        i = end
    return Markup("".join(out))
