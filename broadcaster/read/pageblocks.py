"""Furniture as blocks, and the page's title: the second half of the page model (pagemodel.py).

The header is what comes before the first accepted label: in it, every line that is not punctuated
prose is furniture (channel bars, breadcrumbs, buttons, datelines and air times in any language,
bylines, section heads), and so is prose above the headline (a teaser) or wedged between furniture
lines (a sponsor note); prose after the header's furniture is the lede, read by the narrator. The
title is the most headline-like line there: repeated, short, not a sentence. Between turns, short
parenthesised or bracketed lines, ▲ photo captions, `新华社发` captions, "read more" links and
public-broadcasting underwriting are furniture too. A page with no labels gets a header only when
it shows web furniture above its first prose paragraph.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import labels as L
from . import web
from .lazyre import Lazy as lazy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

SENTENCE_END = ("。", "！", "？", "!", "?", "…", ".", "...", "……")
EN_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
EN_DATE_RE = lazy(rf"\b{EN_MONTH} \d{{1,2}},? \d{{4}}\b|\b\d{{1,2}} {EN_MONTH} \d{{4}}\b")
EN_LINK_WORDS = frozenset("transcript transcripts download share print email listen embed subscribe comments comment "
                          "advertisement menu home close more podcast podcasts audio video watch read hide show episode "
                          "discussion similar content related jump navigation search form skip main advanced sign pricing add appearances "
                          "links chapters summary index mp3 mp link click updates see".split())
STOP_WORDS = frozenset("to the of and a in on for".split())
# a line of cue times: `0:00:08.760 --> 0:00:14.440`, `:00:35.:00:45.`, `9:00 am`, `(01:10):`
TIMING_RE = lazy(r"^[(\[]?(?:\d{0,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\.?\s*(?:-->|>|–|-)?\s*){1,2}[)\]]?:?"
                       r"(?:\s*\(\s*\d*\s*sec\))?$|^\d{1,2}:\d{2}\s*[aApP]\.?[mM]\.?(?:\s+[A-Z]{2,4})?$")
TRANSCRIPT_NOTE_RE = lazy(r"\btranscripts?\b.{0,80}\b(?:generated|accura\w*|errors?|edited|final form|updated)\b", re.I)
# `The following is a near-verbatim transcript of today's noon briefing by Stéphane Dujarric, Spokesman…`
TRANSCRIPT_BY_RE = lazy(r"\btranscript\b.{0,80}?\bby (?P<name>[A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+){1,2})")
TRANSCRIPT_OF_RE = lazy(r"^(?:rush |full |partial )?transcripts? (?:of|for)\b", re.I)
CALL_TO_ACTION_RE = lazy(r"(?:^|[-–—|:]\s*)(?:JOIN NOW|SIGN UP|SUBSCRIBE(?: NOW)?|LEARN MORE|READ MORE|CLICK HERE|DOWNLOAD NOW)!?$")
ROC_DATE_RE = lazy(r"^(?:中華民國|中华民国|民國|民国)?\d{2,4}年\d{1,2}月\d{1,2}日\s*[（(](?:星期|週|周)")
DOC_HEADING_RE = lazy(r"^[^\W\d_]{2,20}(?:聲明|声明|公告|通知|報告|报告|說明|说明|決議|决议|議程|议程)$")
CHAPTER_RE = lazy(r"^\d{1,2}:\d{1,2}(?::\d{2})? [A-Z][^.!?]{0,60}[?]?$")  # `7:35 What is Artificial Intelligence?`
SUMMARY_RE = lazy(r"^(?:概要|摘要|提要|内容提要|內容提要|导语|導語)\s*[:：]")
SITE_LINE_RE = lazy(r"^[•·]?\s*\S{2,30}(?:网|網)(?:\([a-zǎ]+\))?(?:站|移动版|移動版|首页|首頁)$")
ABBREVIATION_RE = lazy(r"\b(?:Dr|Mr|Mrs|Ms|St|Jr|Sr|Prof|Gen|Gov|Sen|Rep|No|vs|Ph\.D|U\.S)\.")
TRANSCRIPT_MARK_RE = lazy(r"^(?:[•·]\s*)?(?:episode |full |rush )?transcripts?:?$", re.I)
URL_IN_TEXT_RE = lazy(r"https?://\S+|www\.\S+")
# talk credits: `演说题目:Questioning the universe`, `演说者:Stephen Hawking`
TALK_TITLE_RE = lazy(r"^(?:演说|演說|演讲|演講)?(?:题目|題目)\s*[:：]")
SPEAKER_CREDIT_RE = lazy(r"^(?:演说者|演說者|演讲者|演講者|主讲人|主講人|讲者|講者|演讲人|演講人)\s*[:：]\s*"
                               r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}|(?:[^\W\d_]|·){2,4})$")
BACK_LINK_RE = lazy(r"^(?:return|back|go back|skip) to\b.{0,50}$|^(?:thumbnail|image|photo) of\b|^.{0,40}\b(?:main|home) page$|^.{0,30}\blogo$", re.I)
READ_MORE_RE = lazy(r"^(?:請|请)?(?:繼續|继续)?往?下?(?:閱讀|阅读|查看)(?:全文|更多|原文)?[….。>»\s]*$|^(?:跳至|跳到)主要(?:內容|内容)$")
EN_PHOTO_CREDIT_RE = lazy(r"\((?:[A-Z][\w.'\-]* ){0,3}[A-Z][\w.'\-]*/(?:[A-Z][A-Za-z]*)(?: [A-Z][a-z]+)?\)$")
HTML_TAG_LINE_RE = lazy(r"^[•·]?\s*<[A-Za-z][^<>]*>?\s*$")
CAPS_NOTICE_RE = lazy(r"^[A-Z0-9][A-Z0-9 ,.'\-!?:;]{18,}$")
BREADCRUMB_RE = lazy(r"^\S{1,20}(?:\s*[>＞»]\s*\S{1,24}){2,}$")
LEAD_DATE_RE = lazy(r"^(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+[^。！？，,]{1,16}$")
STAGE_RE = lazy(r"^[【\[〔][^】\]〕:：。！？]{2,20}[】\]〕]$")
PAREN_LINE_RE = lazy(r"^[（(][^（）()]{2,40}[）)]$")
PHOTO_CREDIT_RE = lazy(r"(?:新华社|新華社|中新社|本报记者\s*\S{2,4}|本報記者\s*\S{2,4}|记者\s*\S{2,4}|記者\s*\S{2,4})\s*(?:发|發|摄|攝)$|\s(?:摄|攝)$")
NUMBERS_RE = lazy(r"^[\d\s,./:|-]+$")
UNDERWRITING_RE = lazy(r"\b(?:funding for .{0,80}(?:is|was|has been) provided by|made possible by (?:the )?"
                             r"(?:corporation for public broadcasting|contributions|a grant)|viewers like you)\b", re.I)
FORUM_TAGS = frozenset("討論 讨论 新聞 新闻 問卦 问卦 爆卦 轉錄 转录 心得 分享 情報 情报 公告 閒聊 闲聊 轉載 转载 原創 原创 求助 提問 提问".split())
BRACKET_TAG_RE = lazy(r"^[\[【](?P<tag>[^\]】]{1,6})[\]】]\s*")


def prose(s: str) -> bool:
    """Punctuated prose: a sentence that ends, or text with a full stop inside; not Headline Case."""
    s = ABBREVIATION_RE.sub("", s.strip())  # `Dr. Lex Fridman`: the full stop of a title is no sentence's end
    if re.search(r"\w…$", s) and len(s) < 80:
        return False  # `Chris Mason talks to this week's guest h…`: a cut-off link
    if s.endswith(SENTENCE_END) or (s.endswith((":", "：")) and re.search("[，,]", s) and len(s) >= 15):
        return True  # (a sentence may end in a colon before what it introduces: 中國政協網發布了這樣一則通知:)
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", s) if len(w) > 3]
    if len(words) >= 4 and sum(w[0].isupper() for w in words) * 10 >= len(words) * 6:
        return False  # Headline Case: a list of headlines, a programme's line
    if s.endswith(SENTENCE_END) or re.search(r"[。！？][^\s]", s) or re.search(r"[.?!] [A-Z]", s):
        return True
    return s[0].islower() and len(s) >= 80 and len(re.findall(r"[.?!,;] [a-z]", s)) >= 2  # captions in lower case


def furniture_line(s: str) -> str | None:
    """Furniture the fixed rules (web.furniture_reason) do not know."""
    if HTML_TAG_LINE_RE.match(s):
        return "HTML"
    if TALK_TITLE_RE.match(s) or SPEAKER_CREDIT_RE.match(s):
        return "talk credits"
    if TIMING_RE.match(s):
        return "timing"
    if (TRANSCRIPT_NOTE_RE.search(s) or TRANSCRIPT_BY_RE.search(s) or TRANSCRIPT_OF_RE.match(s)) and len(s) <= 240:
        return "notice"
    if CALL_TO_ACTION_RE.search(s) and len(s) <= 120:
        return "advert"
    urls = URL_IN_TEXT_RE.findall(s)
    if len(urls) >= 3 or (urls and sum(map(len, urls)) * 10 >= len(s) * 3):
        return "links"
    if BACK_LINK_RE.match(s) or READ_MORE_RE.match(s):
        return "page links"
    words = re.findall(r"[A-Za-z]+", s)
    bare = s.strip("•·-–|[]() ")
    content = [w for w in words if w.lower() not in STOP_WORDS]
    if content and len(words) <= 6 and all(w.lower() in EN_LINK_WORDS for w in content) and len(bare) <= 40:
        return "page links"
    date = EN_DATE_RE.search(s)
    if date and len(s) <= 90 and not prose(s) and len(re.findall(r"[A-Za-z]+", EN_DATE_RE.sub("", s))) <= 2:
        return "dateline"
    if web.DATE_RE.search(s) and "《" in s and len(s) <= 80 and not re.search("[。！？]", s):
        return "dateline"  # `《 人民政协报 》 ( 2023年03月05日 第 03 版)`
    if BREADCRUMB_RE.match(s) and not prose(s):
        return "navigation"
    items = [i.strip() for i in s.split(" | ")] if " | " in s and not s.startswith("|") else []
    if len(items) >= 2 and all(0 < len(i) <= 40 and not i.endswith((".", "。")) for i in items):
        return "navigation"
    if CHAPTER_RE.match(s) and not re.search(r"[^\x00-\x7f]", s):
        return "chapters"
    if SUMMARY_RE.match(s):
        return "summary"
    if re.match(r"^By [A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,3}$", s):
        return "byline"
    if ("图为" in s or "圖為" in s) and len(s) <= 150:
        return "image caption"
    if SITE_LINE_RE.match(s):
        return "site name"
    if LEAD_DATE_RE.match(s) or re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", s) or (ROC_DATE_RE.match(s) and len(s) <= 200):
        return "dateline"
    if (PHOTO_CREDIT_RE.search(s) or EN_PHOTO_CREDIT_RE.search(s)) and len(s) <= 160:
        return "image caption"
    if s[0] in "▲△" and not L.loose_label(s.lstrip("▲△ ")):
        return "image caption"
    if NUMBERS_RE.match(s) and len(s) <= 20:
        return "numbers"
    return None


def _overlap(a: str, b: str) -> bool:
    """Two headlines that are one: the same text but for a tag or a masked name (a common end of 8+)."""
    if a == b:
        return False
    short = min(len(a), len(b))
    common_end = len(_common(a[::-1], b[::-1]))
    common_start = len(_common(a, b))
    return max(common_end, common_start) >= max(8, int(short * 0.6))


def _common(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def title(lines: list[str], end: int, taken: dict[int, str], kinds: dict[int, str], speakers: Iterable[str] = (),
          is_credit: Callable[[str], bool] = lambda s: False) -> int | None:
    """The most headline-like line above `end`: repeated, short, not a sentence, not furniture."""
    best, best_points = None, 0
    header = [lines[i] for i in range(end) if lines[i]]
    for i in range(end):
        s = lines[i]
        if not s or i in taken or i in kinds or re.match(r"#+\s|\*\*|[<|!]", s) or len(s) > 140:
            continue
        if prose(s) or NUMBERS_RE.match(s) or is_credit(s) or s.endswith((":", "：")):
            continue  # (a line ending in a colon introduces what follows: no headline)
        tag = BRACKET_TAG_RE.match(s)
        forum = bool(tag and tag["tag"] in FORUM_TAGS)
        points = (1 + 4 * (bool(web.headline(s)) and not forum) + 2 * (header.count(s) >= 2 and len(s) >= 8)
                  + 2 * any(_overlap(s, h) for h in header) - 2 * bool(tag)
                  + (len(s.split()) >= 2 or len(s) >= 6) + (len(s) <= 60)
                  - (len(s) < 6) + (len(s) >= 12) - 2 * s.startswith(("——", "--", "—"))
                  - bool(re.match(r"^[^\s:：]{1,6}[:：].{0,6}$", s))
                  + 2 * any(n in s and len(s) > len(n) + 5 for n in speakers if len(n) >= 2))
        if points > best_points:
            best, best_points = i, points
    return best


def header(lines: list[str], first: int, kinds: dict[int, str], is_credit: Callable[[str], bool], labelled_page: bool,
           speakers: tuple[str, ...] = ()) -> tuple[dict[int, str], int | None]:
    """({index: why} for the header's furniture, the title's index). `first`: the first label (or prose line)."""
    found: dict[int, str] = {}
    for i in range(first):
        if lines[i] and i not in kinds:
            why = furniture_line(lines[i]) or ("speakers" if _names_only(lines[i], speakers) else None)
            if why is None and CAPS_NOTICE_RE.match(lines[i]) and len(lines[i].split()) >= 4:
                why = "notice"
            if why is None and (STAGE_RE.match(lines[i]) or PAREN_LINE_RE.match(lines[i])):
                why = "stage note"
            if why:
                found[i] = why
    web_page = bool(found) or any(kinds[i] != "credit" for i in kinds if i < first)
    head = title(lines, first, found, kinds, speakers, is_credit)
    if not web_page and not labelled_page:
        return found, head
    after_lede = False  # past the headline or a prose lede: short lines are section heads and notes
    for i in range(first):
        s = lines[i]
        if i == head or (s and prose(s)):
            after_lede = True
        if not s or i in kinds or i in found or i == head or _markup(s) or is_credit(s):
            continue
        if web.headline(s) and (head is None or not _overlap(s, lines[head])):
            continue
        if head is not None and (s == lines[head] or _overlap(s, lines[head])):
            found[i] = "repeated headline"
        elif (not prose(s) or _category(s)) and (web_page or (labelled_page and (after_lede or (head is not None and i < head)))):
            found[i] = "page header"  # before the first label and not prose: bars, bylines, section heads
        elif head is not None and i < head and prose(s):
            found[i] = "page summary"  # a teaser above the headline
    marked = set(found) | set(kinds) | ({head} if head is not None else set())
    nonblank = [i for i in range(first) if lines[i]]
    for n, i in enumerate(nonblank):
        if i in marked or not web_page or not prose(lines[i]) or _markup(lines[i]) or is_credit(lines[i]) \
                or any(name in lines[i] for name in speakers):
            continue  # prose that names the page's speakers is the story's lede, not the site's
        before = nonblank[n - 1] if n else None
        after = nonblank[n + 1] if n + 1 < len(nonblank) else None
        if before in marked and before != head and (after in marked or _promo_heading(lines[before])):
            found[i] = "page header"  # prose wedged between furniture lines, or under a promo heading: a sponsor note
    return found, head


def body(lines: list[str], start: int, kinds: dict[int, str], labels: set[int], empty_labels: set[int]) -> dict[int, str]:
    """Furniture between and after the turns."""
    found: dict[int, str] = {}
    underwriting = False
    previous = None
    for i in range(start, len(lines)):
        s = lines[i]
        if not s:
            continue
        if i in labels:
            underwriting = False
            previous = i
            continue
        if i in kinds:
            previous = i
            continue
        why = furniture_line(s) if len(s) <= 90 else None
        if why is None and (STAGE_RE.match(s) or PAREN_LINE_RE.match(s)) and not L.loose_label(s):
            why = "stage note"
        if why is None and previous in empty_labels and len(s) <= 20 and not prose(s):
            why = "subhead"
        if why is None and re.match(r"^\*\*[^*]+$", s) and len(s) <= 80 and not prose(s):
            why = "section heading"  # `**Summit of the Future Action Days`: a bold run-in head
        if why is None and DOC_HEADING_RE.match(s) and previous is not None and lines[previous].endswith((":", "：")):
            why = "document heading"  # `…內容如下:` then `立法院朝野黨團共同聲明`
        if UNDERWRITING_RE.search(s):
            underwriting = True
        if why is None and underwriting:
            why = "underwriting"
        if why:
            found[i] = why
        previous = i
    return found


def blocks(indexes: list[int], numbers: list[int]) -> list[tuple[int, int, list[int]]]:
    """Runs of furniture lines: (first line, last line, indexes)."""
    out: list[tuple[int, int, list[int]]] = []
    for i in indexes:
        if out and numbers[i] - out[-1][1] <= 2:
            out[-1] = (out[-1][0], numbers[i], out[-1][2] + [i])
        else:
            out.append((numbers[i], numbers[i], [i]))
    return out


def _category(s: str) -> bool:
    """`In U.S.`: a few words with a full stop in a page's header are a category, not a sentence."""
    return bool(re.fullmatch(r"[A-Za-z.\s]+", s)) and len(s.split()) <= 3


def _promo_heading(s: str) -> bool:
    """`Transcribe Your Own Content`: a short line in Headline Case over a sales pitch."""
    words = s.split()
    return 2 <= len(words) <= 6 and all(w[0].isupper() for w in words) and not prose(s)


def _names_only(s: str, speakers: tuple[str, ...]) -> bool:
    """`朱 輝 李徽昭`: a line that only names the page's speakers (two or more)."""
    rest, found = re.sub(r"[\s、,，/]+", "", s), 0
    while rest:
        name = next((n for n in sorted(speakers, key=len, reverse=True) if rest.startswith(n)), None)
        if name is None:
            return False
        rest, found = rest[len(name):], found + 1
    return found >= 2


def body_start(lines: list[str], kinds: dict[int, str]) -> int:
    """Where an unlabelled page's text starts: after a `Transcript` heading near the top, at the first prose
    line that is not wedged between furniture (a prose line with no prose in the three lines after it)."""
    nonblank = [i for i, s in enumerate(lines) if s and i not in kinds]
    start = 0
    for i in nonblank[:40]:
        if TRANSCRIPT_MARK_RE.match(lines[i]):
            start = i + 1
    for n, i in enumerate(nonblank):
        if i < start or not prose(lines[i]) or furniture_line(lines[i]):
            continue
        previous = nonblank[n - 1] if n else None
        ahead = nonblank[n + 1:n + 4]
        wedged = previous is not None and not prose(lines[previous]) and bool(ahead) \
            and not any(prose(lines[j]) and not furniture_line(lines[j]) for j in ahead)
        if not wedged:
            return i
    return len(lines)


def _markup(s: str) -> bool:
    """A Markdown heading, bold label or table row: the parser's own structure, never header furniture."""
    return s.startswith(("#", "|")) or bool(re.match(r"\*\*[^*]+\*\*", s))
