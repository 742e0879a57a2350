"""What is actually said: numbers read out, spoken syllables counted.

Timing counts spoken syllables, not glyphs: `2022年` is 二零二二年 (5),
`30%` is 百分之三十 (5), `7000万元` is 七千万元 (4). Latin words are
estimated by vowel groups; short capitalised acronyms are spelled out.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_DIGITS = "零一二三四五六七八九"
_GROUP_UNITS = ("", "万", "亿", "万亿")

# A number with optional sign, thousands separators, decimals, and the suffix
# that changes how it is read.
NUMBER_RE = re.compile(r"(?P<sign>[-−])?(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)(?P<suffix>%|％|‰|年|℃)?")
_LATIN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def zh_integer(n: int) -> str:
    """Read a non-negative integer the way a newsreader says it (七千万, 一千零五)."""
    if n == 0:
        return "零"
    if n >= 10**16:
        return zh_digits(str(n))
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    gap = False
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _zh_group(g) + _GROUP_UNITS[i]
        gap = False
    return out[1:] if out.startswith("一十") else out


def _zh_group(g: int) -> str:
    s = ""
    zero = False
    for d, unit in zip((g // 1000, g // 100 % 10, g // 10 % 10, g % 10), ("千", "百", "十", ""), strict=True):
        if d == 0:
            zero = bool(s)
            continue
        if zero:
            s += "零"
            zero = False
        s += _DIGITS[d] + unit
    return s


def zh_digits(digits: str) -> str:
    return "".join(_DIGITS[int(d)] for d in digits if d.isdigit())


def zh_number(sign: str | None, num: str, suffix: str | None) -> str:
    """The spoken Chinese form of one matched number."""
    num = num.replace(",", "").replace("，", "")
    whole, _, frac = num.partition(".")
    if suffix == "年" and len(whole) == 4 and not frac:
        body = zh_digits(whole)  # years are read digit by digit
    elif len(whole) > 1 and whole.startswith("0") or len(whole) > 16:
        body = zh_digits(whole)  # codes and phone numbers
    else:
        body = zh_integer(int(whole))
    if frac:
        body += "点" + zh_digits(frac)
    if suffix in ("%", "％"):
        body = "百分之" + body
    elif suffix == "‰":
        body = "千分之" + body
    elif suffix == "℃":
        body += "摄氏度"
    elif suffix == "年":
        body += "年"
    if sign:
        body = ("零下" if suffix == "℃" else "负") + body
    return body


def spoken_form(text: str, language: str = "zh") -> str:
    """Text with numbers written as they are spoken (Chinese only; English unchanged)."""
    if not language.startswith("zh"):
        return text
    return NUMBER_RE.sub(lambda m: zh_number(m["sign"], m["num"], m["suffix"]), text)


_EN_SMALL = {
    0: 2, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 2, 8: 1, 9: 1, 10: 1, 11: 3, 12: 1,
    13: 2, 14: 2, 15: 2, 16: 2, 17: 3, 18: 2, 19: 2,
}
_EN_TENS = {2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 3, 8: 2, 9: 2}


def _en_integer_syllables(n: int) -> int:
    if n < 20:
        return _EN_SMALL[n]
    if n < 100:
        return _EN_TENS[n // 10] + (_EN_SMALL[n % 10] if n % 10 else 0)
    if n < 1000:
        return _EN_SMALL[n // 100] + 2 + (_en_integer_syllables(n % 100) if n % 100 else 0)
    for size, syl in ((10**9, 2), (10**6, 2), (10**3, 2)):  # billion, million, thousand
        if n >= size:
            head = _en_integer_syllables(n // size) + syl
            return head + (_en_integer_syllables(n % size) if n % size else 0)
    return len(str(n))


def _en_number_syllables(sign: str, num: str, suffix: str) -> int:
    num = num.replace(",", "").replace("，", "")
    whole, _, frac = num.partition(".")
    if len(whole) > 12:
        n = len(whole)
    elif len(whole) == 4 and not frac and 1100 <= int(whole) <= 2099 and int(whole) % 100:
        n = _en_integer_syllables(int(whole[:2])) + _en_integer_syllables(int(whole[2:]))  # a year
    else:
        n = _en_integer_syllables(int(whole))
    if frac:
        n += 1 + sum(_EN_SMALL[int(d)] for d in frac)  # "point five"
    if suffix in ("%", "％"):
        n += 2
    return n + (2 if sign else 0)


def latin_syllables(word: str, in_chinese: bool) -> int:
    """Estimate syllables of a Latin-script word."""
    if word.isupper() and len(word) <= 5:
        # acronyms are spelled: CDMO, PCR, NPR ("W" is three syllables)
        return sum(3 if c == "W" else 1 for c in word)
    if in_chinese and word.isupper():
        return len(word)
    w = word.lower()
    groups = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ie")) and groups > 1:
        groups -= 1
    return max(1, groups)


@cache  # per character: bounded by the characters a transcript uses
def is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and unicodedata.category(ch).startswith("L")


@lru_cache(maxsize=8192)  # the timeline and the subtitle cutting count the same clauses
def count_syllables(text: str, language: str = "zh") -> int:
    """Spoken syllables in `text` (punctuation and spaces are silent)."""
    zh = language.startswith("zh")
    total = 0
    last = 0
    for m in NUMBER_RE.finditer(text):
        total += _count_plain(text[last:m.start()], zh)
        if zh:
            total += len(zh_number(m["sign"], m["num"], m["suffix"]))
        else:
            total += _en_number_syllables(m["sign"], m["num"], m["suffix"])
        last = m.end()
    return total + _count_plain(text[last:], zh)


def _count_plain(text: str, zh: bool) -> int:
    total = 0
    for m in _LATIN_RE.finditer(text):
        total += latin_syllables(m.group(), zh)
    for ch in _LATIN_RE.sub("", text):
        if is_cjk(ch):
            total += 1
        elif ch in "%％":
            total += 3 if zh else 2
        elif ch == "℃":
            total += 3
        elif ch == "&":
            total += 1
    return total
