"""Transcripts copied from web pages: page furniture, header credits, labels in mid-line.

A page copied into a text file brings its navigation bar (`新聞 | 體育 | 娛樂`),
print/share links (`打印本頁 轉發 收藏 關閉`), a dateline with the site name
(`央視國際 www.cctv.com 2007年01月06日`), `【查看原图】` and image captions,
Markdown table remnants (`---|---|`) and URLs. None of it is speech: those lines
are kept as furniture (shown struck through in the prompter, listed by
`check`) and never read, timed or subtitled.

The header may credit the host (`主持人:和 晶`) and list the guests
(`嘉賓介紹:易中天——廈門大學教授…`); later turns by those names are theirs,
and a bare `主持人:` is the named host. Labels count when they say a role,
name a credited person, or recur; each one read that way is reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import labels as L

if TYPE_CHECKING:
    from collections.abc import Callable

FURNITURE_WORDS = frozenset((
    "打印 打印本页 打印本頁 打印此文 打印稿 转发 轉發 收藏 关闭 關閉 关闭窗口 關閉窗口 分享 分享到 复制链接 複製鏈接 返回 "
    "返回首页 返回首頁 返回顶部 返回頂部 回到顶部 上一页 上一頁 下一页 下一頁 上一篇 下一篇 字号 字號 大 中 小 评论 評論 我要评论 "
    "我要評論 发表评论 發表評論 推荐 推薦 纠错 糾錯 更多 进入论坛 進入論壇 相关新闻 相關新聞 相关链接 相關鏈接 微博 微信 QQ空间 "
    "QQ空間 新浪微博 腾讯微博 人人网 豆瓣 查看原图 查看原圖 点击查看大图 點擊查看大圖 查看大图 查看大圖 查看全文 全文 原文 "
    "首页 首頁 正文 打印本文 关闭本页 關閉本頁 投稿 订阅 訂閱 RSS 手机版 手機版 举报 舉報 顶 踩 收起 展开 展開 网友评论 "
    "網友評論 已有 条评论 條評論 参与 參與 人参与 人參與 责任编辑 責任編輯 编辑 編輯 来源 來源 视频 視頻 图片 圖片 播放 点击播放 "
    "點擊播放 高清 下载 下載 E-mail 邮件 郵件 推荐给好友 推薦給好友 保存 复制 複製").split())
SITE_WORDS = ("央视国际", "央視國際", "央视网", "央視網", "cctv", "新浪", "搜狐", "网易", "網易", "腾讯", "騰訊", "凤凰网",
              "鳳凰網", "人民网", "人民網", "新华网", "新華網", "中国网", "中國網", "中新网", "中新網", "东方网", "東方網",
              "www.", ".com", ".cn", ".net", "网站", "網站", "频道", "頻道")
DATE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?")
DATES_RE = re.compile(rf"(?:{DATE_RE.pattern})(?:\s+(?:{DATE_RE.pattern}))+")  # a row of dates and times
URL_RE = re.compile(r"(?:https?://|ftp://|www\.)[!-~]+|[A-Za-z0-9.\-]+\.(?:com|cn|net|org|tv)\b(?:/[!-~]*)?", re.I)
MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\s]*\)")
MD_LINK_RE = re.compile(r"!?\[[^\]\n]*\]\([^)\s]*\)")
TABLE_RULE_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?$|^\|?(?:\s*:?-+:?\s*\|)+\s*$")
TOKEN_SPLIT_RE = re.compile(r"[\s|｜·•/【】\[\]()（）:：]+")  # a line of page links, into its words
ARROWS_RE = re.compile(r"[:：>＞]+")
NAV_SPLIT_RE = re.compile(r"\s*[|｜¦]\s*|\s+[·•/>＞»]\s+|\s*[>＞»]\s*(?=\S)")
CAPTION_RE = re.compile(r"^(?:[（(]?\s*(?:图|圖)\s*(?:[为為:：]|\d|片)|.{0,40}[（(](?:[^()（）]{0,12})(?:摄|攝|供图|供圖|资料图|資料圖|发|發)[)）])")
COPYRIGHT_RE = re.compile(r"copyright|©|版权所有|版權所有|all rights reserved|未经授权|未經授權|ICP", re.I)
IMAGE_MARK_RE = re.compile(r"[【\[]\s*(?:查看原图|查看原圖|点击查看大图|點擊查看大圖|查看大图|查看大圖|组图|組圖|图|圖)\s*[】\]]")
HOST_CREDIT_RE = re.compile(rf"^(?:[{L.OPEN}]\s*)?(?P<role>主持人|主持|主播)(?:\s*[{L.CLOSE}])?\s*[:：]\s*(?P<names>.+)$")
GUEST_CREDIT_RE = re.compile(rf"^(?:[{L.OPEN}]\s*)?(?P<role>(?:本期|访谈|訪談|特邀|做客)?(?:嘉宾|嘉賓)(?:介绍|介紹|简介|簡介)?)"
                             rf"(?:\s*[{L.CLOSE}])?\s*[:：]\s*(?P<names>.+)$")
HEADLINE_RE = re.compile(rf"^[{L.OPEN}](?P<programme>[^{L.CLOSE}\s]{{2,15}})[{L.CLOSE}]\s*(?P<title>\S.{{0,60}})$")
NAME_ONLY_RE = re.compile(rf"^{L.SPACED_NAME}$")
# `責任編輯:李丹`, `來源:央視國際`, `(责任编辑:王 平)`: page details, not turns
META_KEYS = ("责任编辑", "責任編輯", "编辑", "編輯", "责编", "責編", "来源", "來源", "作者", "专题", "專題", "栏目", "欄目",
             "网址", "網址", "首播", "重播", "关键词", "關鍵詞", "制片人", "製片人", "导演", "導演", "摄影", "攝影", "撰稿",
             "整理", "文字", "字号", "字號", "审核", "審核", "校对", "校對", "地点", "地點", "原标题", "原標題", "标签", "標籤")
META_RE = re.compile(rf"^(?:{'|'.join(META_KEYS)}|\S{{0,6}}(?:时间|時間|日期))\s*[:：]")
CONTACT_RE = re.compile(r"(?:电话|電話|热线|熱線|客服|邮箱|郵箱|E-?mail)\s*[:：]?\s*[\d\-()@A-Za-z]{5,}", re.I)
SITE_NAME_RE = re.compile(r"[\u4e00-\u9fff]{2,6}[网網](?![友民])|[\u4e00-\u9fff]{2,6}(?:电视台|電視台|广播|廣播|日报|日報|晚报|晚報)")
SENTENCE_END = "。！？!?…"
FORUM_STAMP_RE = re.compile(r"^本帖最后由 .{1,40} 于 .{6,30}编辑$|^本帖最後由 .{1,40} 於 .{6,30}編輯$")


def furniture_reason(line: str, after_image: bool = False) -> str | None:
    """Why a line is page furniture, or None when it may be speech."""
    s = line.strip()
    if not s:
        return None
    if TABLE_RULE_RE.match(s):
        return "table remnant"
    bare = MD_LINK_RE.sub("", s).strip(" |·•")
    if MD_IMAGE_RE.search(s) and not re.search(r"[\w\u4e00-\u9fff]", bare):
        return "image"
    if MD_LINK_RE.search(s) and not bare:
        return "links"
    if IMAGE_MARK_RE.fullmatch(s) or (IMAGE_MARK_RE.match(s) and len(s) <= 60 and s[-1] not in SENTENCE_END):
        return "image caption"
    if DATE_RE.fullmatch(s) or DATES_RE.fullmatch(s):
        return "dateline"
    if URL_RE.fullmatch(s) or (URL_RE.search(s) and len(URL_RE.sub("", s).strip(" :：|")) <= 6):
        return "URL"
    if COPYRIGHT_RE.search(s) and len(s) <= 120:
        return "copyright notice"
    inner = s.strip("()（）[]【】〔〕 ")
    if s[0] in "[【" and s[-1] in "]】" and inner.startswith(("点击", "點擊", "查看", "更多", "返回", "进入", "進入", "相关", "相關")):
        return "page links"
    if FORUM_STAMP_RE.match(inner):
        return "forum notice"
    if META_RE.match(inner) and len(s) <= 80:
        return "page details"
    if CONTACT_RE.search(s) and len(s) <= 80:
        return "contact details"
    if s[0] in "·•" and len(s) <= 60 and s[-1] not in SENTENCE_END:
        return "related link"
    if s.startswith("|") and s.endswith("|") and MD_IMAGE_RE.search(s):
        return "image caption"
    if after_image and len(s) <= 40 and s[-1] not in SENTENCE_END and not L.loose_label(s):
        return "image caption"
    if CAPTION_RE.match(s) and len(s) <= 80:
        return "image caption"
    if len(s) <= 80 and DATE_RE.search(s) and not any(ch in s for ch in "。！？；"):
        low = s.lower()
        if any(w in low for w in SITE_WORDS) or SITE_NAME_RE.search(s):  # a site's name and a date
            return "dateline"
    items = [i for i in NAV_SPLIT_RE.split(s.strip("|｜ ")) if i]
    if len(items) >= 3 and all(len(i) <= 8 and not _sentence(i) for i in items):
        return "navigation"
    tokens = [t for t in TOKEN_SPLIT_RE.split(s) if t]
    if tokens and len(s) <= 60 and all(t in FURNITURE_WORDS or t.isdigit() or ARROWS_RE.fullmatch(t)
                                       for t in tokens):
        return "page links"
    if "|" in s and s.startswith("|") and s.endswith("|") and all(len(c.strip()) <= 8 for c in s.strip("|").split("|")):
        return "table remnant"
    return None


def _sentence(text: str) -> bool:
    return any(ch in text for ch in "。！？，,；;") or len(text) > 40


def split_names(text: str) -> list[str]:
    """`和 晶` → [和晶]; `窦文涛、许子东` → both; single characters spaced out join their neighbours."""
    out: list[str] = []
    for chunk in re.split(r"[、，,/；;]|\s{2,}", text):
        tokens = chunk.split()
        if tokens and all(len(t) == 1 for t in tokens):
            tokens = ["".join(tokens)]
        out += [t for t in tokens if t]
    return out


@dataclass
class Credits:
    """Who the page's header names: the host, and the guests with their titles."""

    hosts: list[str] = field(default_factory=list)
    guests: dict[str, str] = field(default_factory=dict)  # name → title

    def named(self, name: str) -> bool:
        return name in self.hosts or name in self.guests


def host_credit(line: str) -> tuple[str, list[str]] | None:
    """`主持人:和 晶` → (主持人, [和晶]): a header line naming the host, not a turn."""
    m = HOST_CREDIT_RE.match(line.strip())
    if not m:
        return None
    names = split_names(m["names"])
    if names and all(NAME_ONLY_RE.match(n) or re.fullmatch(L.EN_NAME, n) for n in names) and len(names) <= 4:
        return m["role"], [L.clean_name(n) for n in names]
    return None


def guest_credit(line: str) -> tuple[str, dict[str, str]] | None:
    """`嘉賓介紹:易中天——廈門大學教授…` → (嘉賓介紹, {易中天: 廈門大學教授})."""
    m = GUEST_CREDIT_RE.match(line.strip())
    if not m:
        return None
    guests: dict[str, str] = {}
    for chunk in re.split(r"[、；;]|(?<=[。）)])", m["names"]):
        g = re.match(rf"^\s*(?P<name>{L.SPACED_NAME}|{L.EN_NAME})\s*(?:——|—|--|-|[（(]|，|,|：|:|\s|$)\s*"
                     r"(?P<title>[^，,。；;（）()]*)", chunk)
        if g:
            guests[L.clean_name(g["name"])] = g["title"].strip(" ）)—")
    if not guests:
        return None
    if "介" not in m["role"] and len(m["names"]) > 40:
        return None  # a long answer after 嘉宾: is a turn
    return m["role"], guests


BYLINE_RE = re.compile(r"^(?P<role>(?:本报|本報|特约|特約|实习|實習|新华社|新華社|中新社)(?:记者|記者|通讯员|通訊員))\s*(?P<names>.+)$"
                       r"|^(?P<role2>文|文字|图文|圖文|作者|编辑|編輯|责编|責編|摄影|攝影|图|圖|校对|校對|审核|審核|美编|美編|记者|記者"
                       r"|撰文|采写|採寫)\s*[|｜/／]\s*(?P<names2>.+)$")


def byline(line: str) -> tuple[str, list[str]] | None:
    """`本报记者 刘 洋` → (本报记者, [刘洋]): a print byline, credits."""
    m = BYLINE_RE.match(line.strip())
    if not m:
        return None
    role, names = (m["role"], split_names(m["names"])) if m["role"] else (m["role2"], split_names(m["names2"]))
    if names and all(NAME_ONLY_RE.match(n) for n in names) and len(names) <= 6:
        return role, [L.clean_name(n) for n in names]
    return None


def headline(line: str) -> str | None:
    """`[實話實説]好消息壞消息(上)` → 《實話實説》好消息壞消息(上): the programme in the page headline."""
    m = HEADLINE_RE.match(line.strip())
    if not m or L.is_role_word(m["programme"]) or m["title"][-1] in SENTENCE_END or L.loose_label(m["title"]):
        return None
    return f"《{m['programme']}》{m['title']}"


class LabelVote:
    """Which loose labels count: roles, credited names, and names that recur as labels."""

    def __init__(self, lines: list[str]):
        self.counts: dict[str, int] = {}
        for line in lines:
            found = L.loose_label(line.strip())
            if found:
                self.counts[found[1]] = self.counts.get(found[1], 0) + 1
            for m in L.midline_labels(line):
                name = L.clean_name(m["b"] or m["p"])
                self.counts[name] = self.counts.get(name, 0) + 1

    def accepts(self, name: str, credits: Credits) -> bool:
        if not name or L.is_not_label(name):
            return False
        if L.is_role_word(name) or credits.named(name) or re.fullmatch(L.AUDIENCE_NAME, name):
            return True
        if self.counts.get(name, 0) < 2:
            return False
        if re.fullmatch(L.EN_NAME, name):
            return True
        stem = name
        for word in L.ROLE_WORDS:
            if name.startswith(word):
                stem = name[len(word):]
                break
        return 2 <= len(stem) <= 4 or stem == ""


def split_midline(line: str, vote: LabelVote, credits: Credits) -> list[str]:
    """Cut a line before each label that follows other text (`…以下为节目内容。 杨 春:欢迎…`)."""
    cuts = []
    head = L.loose_label(line)
    head_end = len(head[0]) if head else 0  # never cut inside the label that opens the line
    for m in L.midline_labels(line):
        name = L.clean_name(m["b"] or m["p"])
        before = line[: m.start()].rstrip()
        if m.start() < head_end or not before or not vote.accepts(name, credits):
            continue
        if re.fullmatch(L.EN_NAME, name) and before[-1] not in ".?!。！？…\"”)）":
            continue  # an English name mid-line only after a sentence's end (not `John Smith:` itself)
        after = line[m.end():].strip()
        if re.fullmatch(L.EN_NAME, name) and (not after or (not after.endswith((".", "?", "!"))
                                                         and all(w[0].isupper() for w in re.findall(r"[A-Za-z]{4,}", after)))):
            continue  # `Dr. Lex Fridman: Machines, Creativity & Love`, `Connect with Dr. Lex Fridman:`: no turn
        cuts.append(m.start())
    if not cuts:
        return [line]
    parts = [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
    return [p for p in parts if p]


class Page:
    """What the whole transcript says about its labels and furniture, learnt before parsing."""

    def __init__(self) -> None:
        self.credits = Credits()
        self.vote = LabelVote([])
        self.reported: set[str] = set()
        self.split_notes: dict[int, str] = {}  # index of a logical line → what was split there

    def prepare(self, logical: list[tuple[int, str]],
                accept_plain: Callable[[str], bool]) -> tuple[list[tuple[int, str]], dict[int, str]]:
        """Split mid-line labels, mark furniture and header credits. Returns (lines, {index: kind})."""
        self.vote = LabelVote([t for _, t in logical])
        for _, text in logical:  # credits come in the header, before the first turn
            s = text.strip()
            if host_credit(s) or guest_credit(s):
                self._learn(s)
            elif L.match_label(s, accept_plain) or self.label(s):
                break  # the first turn: the header is over
        out: list[tuple[int, str]] = []
        kinds: dict[int, str] = {}
        started = after_image = False
        for number, text in logical:
            s = text.strip()
            if not s:
                out.append((number, text))
                continue
            labelled = L.match_label(s, accept_plain)
            reason = None if labelled else furniture_reason(s, after_image)
            after_image = reason in ("image", "image caption") or bool(IMAGE_MARK_RE.search(s))
            if reason:
                kinds[len(out)] = reason
                out.append((number, text))
                continue
            if not started and (host_credit(s) or guest_credit(s) or byline(s)):
                kinds[len(out)] = "credit"
                out.append((number, text))
                continue
            parts = split_midline(s, self.vote, self.credits) if not s.startswith(("#", "**")) else [s]
            if len(parts) > 1:
                self.split_notes[len(out)] = (f"{len(parts) - 1} speaker label(s) in mid-line: the line is split "
                                              "before " + ", ".join(repr(p[:8]) for p in parts[1:]))
            for part in parts:
                if len(parts) > 1:
                    out.append((number, ""))
                    reason = furniture_reason(part)  # a live blog's `14:05` before the label
                    if reason:
                        kinds[len(out)] = reason
                out.append((number, part))
            if len(parts) > 1:
                out.append((number, ""))
            started = started or bool(labelled or self.label(s))
        return out, kinds

    def _learn(self, line: str) -> None:
        host = host_credit(line)
        if host:
            self.credits.hosts += [n for n in host[1] if n not in self.credits.hosts]
        guest = guest_credit(line)
        if guest:
            self.credits.guests.update(guest[1])

    def credit(self, line: str) -> tuple[str, list[str], bool]:
        """(role, names, keep the whole line as a note) for a header credit line."""
        host = host_credit(line) or byline(line)
        if host:
            return host[0], host[1], False
        role, guests = guest_credit(line) or ("", {})
        return role, list(guests), True

    def label(self, line: str) -> tuple[str, str, str] | None:
        """(as written, speaker name, text) when the line opens with a label that counts."""
        found = L.loose_label(line.strip())
        if found and self.vote.accepts(found[1], self.credits):
            return found
        return None

    def why(self, name: str) -> str:
        if re.fullmatch(L.AUDIENCE_NAME, name):
            return "a member of the audience"
        if name in self.credits.hosts:
            return "the host named in the header"
        if name in self.credits.guests:
            return "a guest named in the header"
        return f"used as a label {self.vote.counts.get(name, 0)} times"

    def credited_speaker(self, name: str) -> L.Label | None:
        """The Label for a name the header credited, or the named host for a bare 主持人."""
        if name in ("主持人", "主持", "主播") and self.credits.hosts:
            host = self.credits.hosts[0]
            return L.Label(host, host, "host", name)
        if name in self.credits.hosts:
            return L.Label(name, name, "host", "主持人")
        if name in self.credits.guests:
            return L.Label(name, name, "guest", self.credits.guests[name])
        return None
