"""Inline clean-up of one line of transcript text into spoken text and directions.

Markdown emphasis and escapes, inline HTML (`<p>`, `&nbsp;`), links, and stage
directions (`\\[laughs\\]`, `(SOUNDBITE OF SONG, ...)`, `(Singing)`, timestamps)
are separated here, so that subtitles carry what is spoken and nothing else
while the prompter can still show the directions.
"""
from __future__ import annotations

import html
import re

from ..model import Span

# a tag name ends at a space, `/` or `>`: `<P:>` or `<p价格>` is text, not a paragraph tag
HTML_BLOCK_RE = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table)(?:\s[^<>]*)?/?>", re.I)
HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
LINK_RE = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\((?P<url>[^)\s]*)\)")
MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
# ** and * emphasis; __ only around whole words (window.__pwned is not emphasis)
EMPHASIS_RE = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__)(?=\S)(.+?)(?<=\S)__(?!\w)")
# Directions: [laughs], [unintelligible 00:01:58.00], [06:08], (SOUNDBITE OF ...), (Singing), （掌声）
TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?"
DIRECTION_RE = re.compile(
    r"\[(?:[^\[\]\n]{1,80})\]"  # square brackets are never spoken
    r"|\((?:[A-Z][A-Z0-9 ,.'\"\-&:;!?/]{2,200}|[A-Z][a-z]+(?: [a-z]+){0,3}\.?)\)"  # (SOUNDBITE ...), (Singing), (Laughter.)
    r"|\((?:inaudible|unintelligible|laughter|laughs|laughing|crosstalk|applause|cheering|sighs|coughs|ph|sic)\)"
    r"|^[（(](?![一二三四五六七八九十百零〇]+[）)])[^\W\d_]{2,5}[）)](?=\S)"  # (開場白)那我們…: a stage note
    r"|[（(][^\W\d_]{1,3}[:：][^()（）\n]{1,80}[)）]"  # (旁:怪手…): someone else's words
    r"|[（(][^()（）\n]{2,40}[?？][)）]"  # (蘇院長是不是會繼續留任?): the question put to the speaker
    r"|【[^】\n]{0,20}(?:记者|記者|专稿|專稿|讯|訊)[^】\n]{0,12}】"  # 【《财经网》专稿/记者 罗昌平】: the source
    r"|^(?:[A-Z][a-z]+(?: [a-z]+){0,3} )?\d{1,2}:\d{2}:\d{2}(?=\s+[A-Z])"  # Starting point is 00:00:00 Hello…
    r"|(?<=[\"”])\s+\d{1,4}$"  # `"…by popular demand." 2`: a quote's number on the page
    r"|[（(【\[](?:同期声?|画外音|音乐|掌声|笑声?|现场声|字幕|片花|音效|停顿|鼓掌"
    r"|同期聲?|畫外音|音樂|掌聲|笑聲|現場聲|停頓|大笑|众笑|眾笑|全场笑|全場笑|笑声掌声|笑聲掌聲)[）)】\]]"
)


def is_html_line(line: str) -> bool:
    return bool(HTML_BLOCK_RE.search(line) or "&nbsp;" in line)


def split_html_blocks(line: str) -> list[str]:
    """`<p>a</p><p>b</p>` → ['a', 'b'] with tags stripped and entities decoded."""
    parts = HTML_BLOCK_RE.split(line)
    out = []
    for part in parts:
        text = html.unescape(HTML_TAG_RE.sub("", part)).replace("\u00a0", " ").strip()
        if text:
            out.append(text)
    return out


def to_spans(text: str) -> tuple[Span, ...]:
    """Separate a cleaned line into speech and direction spans (order kept)."""
    text = _unmark(text)
    spans: list[Span] = []
    last = 0
    for m in DIRECTION_RE.finditer(text):
        before = text[last:m.start()]
        if before.strip():
            spans.append(Span("speech", _squash(before)))
        spans.append(Span("direction", m.group().strip()))
        last = m.end()
    rest = text[last:]
    if rest.strip():
        spans.append(Span("speech", _squash(rest)))
    return tuple(spans)


def _unmark(text: str) -> str:
    """Drop Markdown emphasis, escapes and link targets; keep every visible word."""
    text = LINK_RE.sub(lambda m: m["text"] if m["text"].strip() else m["url"], text)
    text = _escape_brackets(text)
    text = EMPHASIS_RE.sub(lambda m: m.group(2) if m.group(1) else m.group(4), text)
    return MD_ESCAPE_RE.sub(lambda m: m.group(1), text).replace("\x00", "")


def _escape_brackets(text: str) -> str:
    # `\[laughs\]` is a direction in square brackets once unescaped
    return text.replace("\\[", "[").replace("\\]", "]")


def _squash(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def is_link_only(line: str) -> bool:
    return bool(LINK_RE.fullmatch(line.strip()))
