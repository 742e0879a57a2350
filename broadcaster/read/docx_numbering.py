"""Word's automatic numbering: the `一、` `（二）` `1.` `a)` a reader sees before a paragraph.

The numbers are not in the text runs: numbering.xml describes each list
(abstractNum: per level a start, a format such as decimal or chineseCounting
and a pattern such as `%1、` or `%1.%2`), each paragraph names a list instance
(numId, directly or through its style) and a level, and Word counts. Counting
follows Word: instances of one abstract list share their counters (a
`startOverride` restarts an instance where it is first used), a level restarts
when a higher one is used (unless `lvlRestart` says otherwise), and `isLgl`
shows every level as a decimal. Bullets and hidden numbers give no label.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .docx_package import W

if TYPE_CHECKING:
    from lxml.etree import _Element

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TW_LEGAL = "零壹貳參肆伍陸柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CARDINAL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
             "sixteen seventeen eighteen nineteen twenty").split()


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # lvlRestart: None → after any higher level; 0 → never
    legal: bool = False
    suffix: str = "tab"
    hidden: bool = False
    style: str | None = None


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level
    levels: dict[int, _Level] = field(default_factory=dict)  # lvlOverride/lvl per level


class Numbering:
    """Labels for numbered paragraphs, in document order (call `label` once per paragraph)."""

    def __init__(self, root: _Element | None, styles_root: _Element | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum → the numbering style it takes its list from
        self.nums: dict[str, _Num] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if styles_root is not None:
            for style in styles_root.iter(W + "style"):
                num_id, ilvl = _numpr(style.find(W + "pPr"))
                based = style.find(W + "basedOn")
                if num_id is not None or ilvl is not None or based is not None:
                    self.style_num[style.get(W + "styleId") or ""] = (num_id, ilvl)
                if based is not None:
                    self.style_num.setdefault("\0based:" + (style.get(W + "styleId") or ""), (based.get(W + "val"), None))
        if root is None:
            return
        for an in root.iter(W + "abstractNum"):
            aid = an.get(W + "abstractNumId") or ""
            self.abstract[aid] = {int(lvl.get(W + "ilvl") or 0): _level(lvl) for lvl in an.findall(W + "lvl")
                                  if (lvl.get(W + "ilvl") or "0").isdigit()}
            link = an.find(W + "numStyleLink")
            if link is not None:
                self.links[aid] = link.get(W + "val") or ""
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            entry = _Num(ref.get(W + "val") if ref is not None else "")
            for override in num.findall(W + "lvlOverride"):
                ilvl = int(override.get(W + "ilvl") or 0) if (override.get(W + "ilvl") or "0").isdigit() else 0
                start = override.find(W + "startOverride")
                if start is not None and _int(start.get(W + "val")) is not None:
                    entry.starts[ilvl] = _int(start.get(W + "val")) or 0
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
            self.nums[num.get(W + "numId") or ""] = entry

    def label(self, p: _Element, style_id: str | None) -> tuple[str, str] | None:
        """(label, what follows it: "tab", "space" or "nothing") of this paragraph, counting it."""
        num_id, ilvl = _numpr(p.find(W + "pPr"))
        from_style = num_id is None
        if num_id is None:
            num_id, style_ilvl = self._style_numpr(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        num = self.nums[num_id]
        aid = self._abstract_id(num.abstract)
        levels = self.abstract.get(aid, {})
        if ilvl is None and from_style and style_id:
            ilvl = next((i for i, lv in levels.items() if lv.style == style_id), 0)
        ilvl = min(max(ilvl or 0, 0), 8)
        counters = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.used:  # an instance that restarts its levels: they count again from its start
            self.used.add(num_id)
            for lvl_index in num.starts:
                if 0 <= lvl_index < 9:
                    counters[lvl_index] = None
        level = num.levels.get(ilvl) or levels.get(ilvl) or _Level()
        value = counters[ilvl]
        counters[ilvl] = num.starts.get(ilvl, level.start) if value is None else value + 1
        for deeper in range(ilvl + 1, 9):
            restart = (num.levels.get(deeper) or levels.get(deeper) or _Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if level.hidden or level.fmt == "bullet" or level.text is None:
            return None

        def shown(index: int) -> str:
            lv = num.levels.get(index) or levels.get(index) or _Level()
            value = counters[index] if counters[index] is not None else num.starts.get(index, lv.start)
            return format_number(value or 0, "decimal" if level.legal and lv.fmt != "none" else lv.fmt)

        out = []
        text = level.text
        i = 0
        while i < len(text):
            if text[i] == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
                out.append(shown(int(text[i + 1]) - 1))
                i += 2
            else:
                out.append(text[i])
                i += 1
        label = "".join(out).strip()
        return (label, level.suffix) if label else None

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen = set()
        ilvl = None
        while style_id and style_id not in seen:
            seen.add(style_id)
            num_id, level = self.style_num.get(style_id, (None, None))
            ilvl = ilvl if ilvl is not None else level
            if num_id is not None:
                return num_id, ilvl
            style_id = self.style_num.get("\0based:" + style_id, (None, None))[0]
        return None, ilvl

    def _abstract_id(self, aid: str) -> str:
        """An abstract list that only links to a numbering style takes that style's list."""
        for _ in range(4):
            if aid not in self.links:
                return aid
            num_id, _lvl = self._style_numpr(self.links[aid])
            if num_id is None or num_id not in self.nums:
                return aid
            aid = self.nums[num_id].abstract
        return aid


def _numpr(ppr: _Element | None) -> tuple[str | None, int | None]:
    if ppr is None:
        return None, None
    numpr = ppr.find(W + "numPr")
    if numpr is None:
        return None, None
    num = numpr.find(W + "numId")
    lvl = numpr.find(W + "ilvl")
    return (num.get(W + "val") if num is not None else None,
            _int(lvl.get(W + "val")) if lvl is not None else None)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _level(lvl: _Element) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(W + tag)
        return el.get(W + "val") if el is not None else None

    rpr = lvl.find(W + "rPr")
    vanish = rpr.find(W + "vanish") if rpr is not None else None
    text = lvl.find(W + "lvlText")
    return _Level(
        start=_int(val("start")) or (0 if val("start") == "0" else 1),
        fmt=val("numFmt") or "decimal",
        text=text.get(W + "val") if text is not None else None,
        restart=_int(val("lvlRestart")),
        legal=lvl.find(W + "isLgl") is not None and (val("isLgl") or "true") not in ("0", "false", "off"),
        suffix=val("suff") or "tab",
        hidden=vanish is not None and (vanish.get(W + "val") or "true") not in ("0", "false", "off"),
        style=val("pStyle"),
    )


def format_number(n: int, fmt: str) -> str:
    """n in one of Word's number formats (ST_NumberFormat); unknown ones as decimals."""
    if fmt == "none":
        return ""
    if n <= 0 and fmt not in ("decimal", "decimalZero"):
        return str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "koreanCounting"):
        return _chinese(n, _CN_DIGITS, "十百千万")
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾佰仟万", legal=True)
    if fmt == "ideographLegalTraditional":
        return _chinese(n, _TW_LEGAL, "拾佰仟萬", legal=True)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle") and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt == "chicago":
        return "*†‡§"[(n - 1) % 4] * ((n - 1) // 4 + 1)
    if fmt == "cardinalText" and n < len(_CARDINAL):
        return _CARDINAL[n].capitalize()
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _chinese(n: int, digits: str, units: str, legal: bool = False) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (legal: 壹拾, 壹佰零伍)."""
    if n >= 100_000:
        return str(n)
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = _chinese(low, digits, units, legal) if low else ""
        return _chinese(high, digits, units, legal) + units[3] + ("零" if 0 < low < 1000 else "") + rest
    out: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零" if digits[0] == "〇" else digits[0])  # counting writes 零 (digits write 〇)
            zero = False
        if not (d == 1 and power == 10 and not out and not legal):
            out.append(digits[d])
        out.append(unit)
    return "".join(out)
