"""Line-level helpers of the transcript parser: logical lines (inline HTML split into paragraphs,
run-on radio transcripts split at their capital-letter labels), a column's credits line, and the
language of a stretch of text."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import labels as L
from .markup import is_html_line, split_html_blocks

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

CREDIT_ROLES = ("记者", "通讯员", "摄像", "编辑", "责编", "剪辑", "制片", "编导", "实习生", "主持")
NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
# Digits, Chinese numerals (一、 （二） 十二．), 甲乙丙丁 and circled numbers: the labels Word numbering writes too.
LIST_MARKER_RE = re.compile(r"^(?:\d{1,3}[.、．]|（\d{1,3}）|\(\d{1,3}\)|[-*+] "
                            r"|[一二三四五六七八九十百]{1,3}[、．.]|[（(][一二三四五六七八九十百]{1,3}[）)]"
                            r"|[甲乙丙丁戊己庚辛壬癸][、．.]|[①-⑳])")
# A paragraph ending in one of these finished its sentence.
SENTENCE_END = set("。！？!?…”」』\"'）)】.》")


def page_break_split(previous: str, text: str) -> bool:
    """Is paragraph `text` the rest of `previous`, a sentence a page break split? (It stopped mid-sentence,
    and `text` opens no list item.)"""
    return previous[-1] not in SENTENCE_END and not LIST_MARKER_RE.match(text)


def logical_lines(lines: list[str], numbers: list[int] | None, warn: Callable[[int, str], None],
                  split: set[int] | None = None) -> Iterator[tuple[int, str]]:
    """(line number, text) for each logical line; `warn(number, message)` hears what was split, and the
    numbers of lines split at their capital-letter labels are added to `split`."""
    html_warned = False
    for index, line in enumerate(lines):
        number = numbers[index] if numbers else index + 1
        if is_html_line(line):
            if not html_warned:
                warn(number, "inline HTML: tags removed, paragraphs kept")
                html_warned = True
            for part in split_html_blocks(line):
                yield number, ""
                yield number, part
            yield number, ""
            continue
        if len(line) > 200 and ": " in line:
            parts = L.split_glued_labels(line)
            if len(parts) > 1:
                warn(number, f"{len(parts)} turns on one line: split at the capital-letter labels")
                if split is not None:
                    split.add(number)
                for part in parts:
                    yield number, ""
                    yield number, part
                yield number, ""
                continue
        yield number, line


def column_credits(text: str) -> list[tuple[str, list[str]]] | None:
    """`记者 白雪松 李薇 通讯员 张志伟` → [(记者, [白雪松, 李薇]), (通讯员, [张志伟])], or None."""
    tokens = re.split(r"[\s、，,：:]+", text)
    if not tokens or tokens[0] not in CREDIT_ROLES or len(tokens) < 2:
        return None
    credits: list[tuple[str, list[str]]] = []
    role = None
    for tok in tokens:
        if tok in CREDIT_ROLES:
            role = tok
            credits.append((role, []))
        elif NAME_RE.match(tok) and role:
            credits[-1][1].append(tok)
        else:
            return None
    if any(not names for _, names in credits):
        return None
    return credits


def credit_like(text: str) -> bool:
    """A line opening with a credit role (记者 …): the parser's credits, never page furniture."""
    tokens = re.split(r"[\s、，,：:]+", text)
    return len(tokens) >= 2 and tokens[0] in CREDIT_ROLES


def _join(before: str, after: str) -> str:
    if before and after and before[-1].isascii() and after[0].isascii():
        return before + " " + after
    return before + after


_HANZI_RE = re.compile(r"[\u4e00-\u9fff]")
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")


def _language(text: str) -> str:
    cjk = len(_HANZI_RE.findall(text))  # counted by the regex engine: a per-character loop was a tenth of a render
    latin = len(_ASCII_LETTER_RE.findall(text))
    return "zh" if cjk * 2 >= latin else "en"
