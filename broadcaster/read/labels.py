"""Speaker labels: where a turn starts, and who is speaking.

`**主持人李薇：**` → host 李薇; `**枣庄经济开发区管委会副主任李大星：**` → guest
李大星 titled 枣庄经济开发区管委会副主任; `JACOB GOLDSTEIN, HOST:` → host
Jacob Goldstein, and a later `GOLDSTEIN:` is the same person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import words as W

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

HOST_WORDS = ("主持人", "主播")
NARRATOR_WORDS = ("旁白", "解说", "解說", "画外音", "畫外音", "配音", "记者", "記者", "同期")
GUEST_WORDS = ("嘉宾", "嘉賓", "受访者", "受訪者", "采访对象", "採訪對象")
# Title words a Chinese guest label ends with before the name (longest first).
TITLE_WORDS = tuple(sorted((
    "主任", "副主任", "书记", "副书记", "局长", "经理", "总经理", "董事长", "主席", "市长", "区长", "县长",
    "镇长", "乡长", "部长", "院长", "校长", "所长", "处长", "科长", "主管", "总监", "委员", "代表", "负责人",
    "教授", "医生", "老师", "站长", "队长", "村民", "居民", "厂长", "会长", "秘书长", "社长", "主编",
    "工程师", "研究员", "馆长", "行长", "司长", "厅长", "省长", "组长", "班长", "店长", "总裁", "创始人",
    "专家", "学生", "员工", "工人", "农民", "党员", "网格员", "志愿者", "民警", "警官", "法官", "检察官",
    "主持", "干部", "支书", "社区主任", "大队长", "老板", "大户", "店主", "律师", "护士", "司机", "警察", "会计",
), key=len, reverse=True))
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤葛"
)

# Bold label, colon inside or outside the bold: **名字：**text / **名字**：text
BOLD_LABEL_RE = re.compile(r"^\*\*(?P<label>[^*\n]{1,80}?)\s*[:：]\s*\*\*\s*(?P<text>.*)$|"
                           r"^\*\*(?P<label2>[^*\n]{1,80}?)\*\*\s*[:：]\s*(?P<text2>.*)$")
# Plain Chinese label: 主持人：text, 李大星：text
ZH_PLAIN_RE = re.compile(r"^(?P<label>[\u4e00-\u9fff·]{2,30})[:：]\s*(?P<text>\S.*)$")
# Plain English label: Jerod Santo: text, GOLDSTEIN: text, JACOB GOLDSTEIN, HOST: text
EN_LABEL = r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}(?:, [A-Z][A-Z ]{1,20})?"
EN_PLAIN_RE = re.compile(rf"^(?P<label>{EN_LABEL}):\s+(?P<text>\S.*)$")
# An ALL-CAPS label glued to the previous sentence (transcripts with no line breaks).
CAPS_LABEL = r"[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3}(?:, [A-Z][A-Z ]{1,20})?"
GLUED_LABEL_RE = re.compile(rf"(?<=[.?!…\"”)\]\-—])\s*(?=(?:{CAPS_LABEL}): [^\d\s])")


@dataclass(frozen=True)
class Label:
    """What a label says about the speaker."""

    raw: str
    name: str
    role: str | None  # None: not stated; decided later
    title: str = ""
    guessed: str = ""  # why a guess was made (reported by `check`)


def parse_label(raw: str) -> Label:
    raw = raw.strip()
    if re.search(r"[A-Za-z]", raw) and not re.search(r"[\u4e00-\u9fff]", raw):
        return _english_label(raw)
    for word in HOST_WORDS:
        if raw.startswith(word):
            return Label(raw, raw[len(word):].strip() or raw, "host", word)
    for word in NARRATOR_WORDS:
        if raw.startswith(word):
            return Label(raw, raw[len(word):].strip() or raw, "narrator", word)
    if raw in QUESTION_WORDS:
        return Label(raw, raw, "host", "提问")  # the interviewer's questions
    if raw in ANSWER_WORDS:
        return Label(raw, raw, "guest", "回答")
    if raw.startswith(AUDIENCE_WORDS):
        return Label(raw, raw, "guest")  # 观众, 网友“小草”: a member of the audience, named as written
    for word in GUEST_WORDS:
        if raw.startswith(word) and len(raw) > len(word):
            return Label(raw, raw[len(word):].strip(), "guest", word)
    return _chinese_guest_label(raw)


# Mr. BILL MOYERS (Author, "Bill Moyers Journal"): an honorific, the name, what the person is
HONORIFIC_LABEL_RE = re.compile(r"^(?i:Mr|Ms|Mrs|Dr|Prof|Rep|Sen|Gov|Gen)\.?\s+(?P<name>[^()]+?)\s*(?:\((?P<desc>.*)\))?$")


def _english_label(raw: str) -> Label:
    honorific = HONORIFIC_LABEL_RE.match(raw)
    if honorific:
        name = " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in honorific["name"].split())
        return Label(raw, name, None, (honorific["desc"] or "").strip())
    name, _, role_text = raw.partition(",")
    role_text = role_text.strip().upper()
    role = None
    role_words = set(re.split(r"[\s,]+", role_text))
    if role_text in ("HOST", "ANCHOR", "PRESENTER", "CO-HOST") or role_words & W.EN_HOST_WORDS:
        role = "host"
    elif role_text in ("BYLINE", "NARRATOR", "ANNOUNCER") or role_words & W.EN_NARRATOR_WORDS:
        role = "narrator"
    elif role_text:
        role = "guest"
    name = re.sub(r"^(?:(?:[A-Z]{2,5}\.|VICE|FORMER)\s+)+(?=[A-Z])", "", name.strip())  # FMR. VICE PRES. MIKE PENCE
    if name.isupper() or re.fullmatch(r"[A-Z. '\-]*(?:Mc|Mac)[A-Z][A-Z. '\-]*", name):
        name = " ".join(w.capitalize() if len(w) > 2 or "." not in w else w for w in name.split())
    return Label(raw, name, role, role_text.title())


def _chinese_guest_label(raw: str) -> Label:
    if len(raw) <= 4:
        return Label(raw, raw, "guest")
    titled = _title_after_name(raw)
    if titled is not None:
        return titled
    best = None
    for word in TITLE_WORDS:
        pos = raw.rfind(word)
        if pos > -1 and 2 <= len(raw) - pos - len(word) <= 4:
            end = pos + len(word)
            if best is None or end > best:
                best = end
    if best is not None:
        return Label(raw, raw[best:], "guest", raw[:best])
    # No title word: take a 2- or 3-character name, by the surname it starts with.
    cut = 3 if raw[-3] in _SURNAMES else 2
    return Label(raw, raw[-cut:], "guest", raw[:-cut],
                 guessed=f"guessed the name {raw[-cut:]!r} at the end of the label {raw!r}")


_TITLES_ALL = W.traditional(TITLE_WORDS + ("记者", "发言人", "主持人", "议员", "议长"))
_ALL_SURNAMES = _SURNAMES | W.SURNAMES_TRAD


def _title_after_name(raw: str) -> Label | None:
    """何啟明議員 → 何啟明 (議員); 立法會主席梁君彥議員 → 梁君彥; DVB電視臺記者 → the whole label, a role."""
    for word in W.SUFFIX_TITLES:
        if raw.endswith(word):
            head = raw[: -len(word)]
            if 2 <= len(head) <= 3 and head[0] in _ALL_SURNAMES:
                return Label(raw, head, "guest", word)
            for title in _TITLES_ALL:
                pos = head.rfind(title)
                if pos > -1 and 2 <= len(head) - pos - len(title) <= 3 and head[pos + len(title)] in _ALL_SURNAMES:
                    return Label(raw, head[pos + len(title):], "guest", head[: pos + len(title)] + word)
            break
    for title in _TITLES_ALL:  # 林秘書長志嘉, 柯委員建銘: surname, title, given name
        if raw[0] in _ALL_SURNAMES and raw[1:].startswith(title) and 1 <= len(raw) - 1 - len(title) <= 2:
            return Label(raw, raw[0] + raw[1 + len(title):], "guest", title)
    for word in W.ROLE_ENDS:
        if raw.endswith(word):
            return Label(raw, raw, "guest")  # an organisation's reporter, a spokesperson: the role names the speaker
    for title in _TITLES_ALL:
        pos = raw.rfind(title)
        if pos > -1 and 2 <= len(raw) - pos - len(title) <= 3 and raw[pos + len(title)] in _ALL_SURNAMES \
                and title not in TITLE_WORDS:
            return Label(raw, raw[pos + len(title):], "guest", raw[: pos + len(title)])  # 中新社记者梁晓辉
    return None


def split_glued_labels(line: str) -> list[str]:
    """Cut a line where an ALL-CAPS label is glued to the previous sentence."""
    parts = GLUED_LABEL_RE.split(line)
    return [p.strip() for p in parts if p.strip()]


def match_label(line: str, accept_plain: Callable[[str], bool]) -> tuple[str, str, bool] | None:
    """(label, text, bold) if the line starts a turn, else None.

    `accept_plain(label)` decides whether a plain (not bold) label counts.
    """
    m = BOLD_LABEL_RE.match(line)
    if m:
        label = m["label"] if m["label"] is not None else m["label2"]
        text = m["text"] if m["label"] is not None else m["text2"]
        if label.strip() and not label.strip().startswith(("#", "-")):
            return label.strip(), text or "", True
    for regex in (ZH_PLAIN_RE, EN_PLAIN_RE):
        m = regex.match(line)
        if m and accept_plain(m["label"]):
            return m["label"], m["text"], False
    return None


def plain_label_candidates(lines: list[str]) -> dict[str, int]:
    """Count plain labels at line starts, to accept only ones that recur or say a role."""
    counts: dict[str, int] = {}
    for line in lines:
        for part in split_glued_labels(line) if ": " in line else [line]:
            for regex in (ZH_PLAIN_RE, EN_PLAIN_RE):
                m = regex.match(part)
                if m:
                    counts[m["label"]] = counts.get(m["label"], 0) + 1
    return counts


def plausible_plain(label: str, counts: dict[str, int]) -> bool:
    if is_not_label(label):
        return False
    if label.startswith(HOST_WORDS + NARRATOR_WORDS + GUEST_WORDS):
        return True
    if re.fullmatch(CAPS_LABEL, label) and any(c.isalpha() for c in label) and len(label) >= 2:
        return True  # radio transcripts: capitals then a colon
    if counts.get(label, 0) == 1 and re.fullmatch(r"[\u4e00-\u9fff]{5,20}", label):
        # once only, but plainly `organisation + title + name` (省农科院研究员钱立): a label
        parsed = _chinese_guest_label(label)
        return bool(parsed.title) and not parsed.guessed and parsed.name[0] in _SURNAMES and len(parsed.name) <= 3
    if counts.get(label, 0) >= 2:
        if re.fullmatch(r"[\u4e00-\u9fff·]+", label):
            return any(label.endswith(w, 0, len(label) - 2) or w in label for w in TITLE_WORDS) or len(label) <= 4
        return True
    return False


# -- labels as people type them on web pages ------------------------------------------------
# `和晶:`, `高 岩:` (a name spaced out for alignment), `主持人 :`, `[主持人]`, `【主持人】：`, `〔记者〕`.
ROLE_WORDS = ("主持人", "主持", "主播", "记者", "記者", "嘉宾", "嘉賓", "观众", "觀眾", "听众", "聽眾", "网友", "網友",
              "旁白", "解说", "解說", "现场观众", "現場觀眾", "受访者", "受訪者", "同期", "画外音", "畫外音", "读者", "讀者")
AUDIENCE_WORDS = ("观众", "觀眾", "听众", "聽眾", "网友", "網友", "现场观众", "現場觀眾", "读者", "讀者")
# A print interview's 问：/答： (question by the interviewer, answer by the guest)
QUESTION_WORDS = ("问", "問", "记者问", "記者問", "Q")
ANSWER_WORDS = ("答", "A")
# `X:` that head a fact, not a turn (時間:2009年, 地點:北京, 專題:…)
NOT_LABELS = frozenset((
    "时间 時間 日期 地点 地點 专题 專題 来源 來源 作者 编辑 編輯 责编 責編 责任编辑 責任編輯 栏目 欄目 标题 標題 主题 主題 "
    "题目 題目 网址 網址 电话 電話 地址 邮箱 郵箱 节目 節目 播出 首播 重播 关键词 關鍵詞 摘要 导语 導語 简介 簡介 提示 注 备注 "
    "備註 原标题 原標題 图 圖 图片 圖片 链接 鏈接 出处 出處 版权 版權 声明 聲明 字号 字號 嘉宾介绍 嘉賓介紹 本期嘉宾 本期嘉賓 "
    "播出时间 播出時間 制片人 製片人 导演 導演 文字 摄影 攝影 撰稿 记录 記錄 整理 文 图文 圖文 发布时间 發佈時間 发表时间 "
    "發表時間 更新时间 更新時間 点击 點擊 阅读 閱讀 分享 分享到 相关 相關 相关新闻 相關新聞 附 例如 比如 如下 特别提示 "
    "特別提示 注意 答案 问题 問題 结论 結論 总结 總結 第一 第二 第三 其一 其二 一是 二是 三是 首先 其次 最后 最後").split())
# A name ending like this is a sentence, not a label: 他说：…, 文章指出：…
SPEECH_VERB_ENDS = ("说", "說", "说道", "說道", "问道", "問道", "写道", "寫道", "问", "問", "表示", "指出", "称", "稱", "认为", "認為", "强调", "強調", "介绍",
                    "介紹", "回答", "回忆", "回憶", "提到", "透露", "坦言", "笑言", "告诉", "告訴", "是", "有", "为", "為",
                    "如下", "包括", "在于", "在於", "写着", "寫著", "喊", "叫", "唱")
HANZI = r"[\u4e00-\u9fff\u3400-\u4dbf]"
SPACED_NAME = rf"{HANZI}(?:[ \u3000]?{HANZI}){{1,3}}"  # 2-4 hanzi, a space allowed between them
ROLE_NAME = rf"(?:{'|'.join(sorted(ROLE_WORDS, key=len, reverse=True))}){HANZI}{{0,4}}"
EN_NAME = r"[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}"
# 网友“小草”, 观众「李先生」: an audience member with a nickname
AUDIENCE_NAME = rf"(?:{'|'.join(AUDIENCE_WORDS)})[“\"「][^”\"」:：\n]{{1,16}}[”\"」]"
QA_NAME = rf"(?:{'|'.join(sorted((w for w in QUESTION_WORDS + ANSWER_WORDS if not w.isascii()), key=len, reverse=True))})(?!\w)"
_NAME = rf"(?:{AUDIENCE_NAME}|{QA_NAME}|{ROLE_NAME}|{SPACED_NAME}|{EN_NAME})"
OPEN_CHARS, CLOSE_CHARS = "[【〔［", "]】〕］"
OPEN, CLOSE = r"\[【〔［", r"\]】〕］"  # for regex classes
# One pattern for a label wherever it stands (at a line's start, or after other text): its CJK
# classes make it slow to compile (~7 ms), so it is compiled once, not once per use.
LABEL_RE = re.compile(rf"(?:[{OPEN}]\s*(?P<b>{_NAME})\s*[{CLOSE}]\s*[:：]?|(?P<p>{_NAME})\s*[:：])")
# where a label may follow other text: after a sentence's end, or after a space
_AFTER_TEXT_RE = re.compile(r"(?<=[。！？!?…”」』）)])|(?<=\s)")


def midline_labels(line: str) -> Iterator[re.Match[str]]:
    """The labels that follow other text in a line (`…以下为节目内容。 杨 春:欢迎…`), left to right,
    not overlapping: LABEL_RE matches, each at a place where a label may follow text."""
    end = 0
    for place in _AFTER_TEXT_RE.finditer(line):
        if place.start() >= end and (m := LABEL_RE.match(line, place.start())):
            end = m.end()
            yield m


def clean_name(raw: str) -> str:
    """`高 岩` → 高岩 (spaces typeset for alignment), `【主持人】` → 主持人."""
    raw = raw.strip().strip(OPEN_CHARS + CLOSE_CHARS).strip()
    if re.search(HANZI, raw):
        return re.sub(r"[ \u3000]+", "", raw)
    return raw


def loose_label(line: str) -> tuple[str, str, str] | None:
    """(label as written, cleaned name, text) if the line opens with a label as people type it."""
    m = LABEL_RE.match(line)
    if not m:
        return None
    start = m.end()  # the text: after the label and its spaces (\s is str.isspace), to the line's end
    while start < len(line) and line[start].isspace():
        start += 1
    text = line[start:]
    if "\n" in text[:-1]:
        return None  # not one line
    text = text.removesuffix("\n")
    raw = m["b"] if m["b"] is not None else m["p"]
    written = line[:start].strip()
    if m["b"] is None and re.fullmatch(EN_NAME, raw) and not text.startswith(" ") and text \
            and not written.endswith("："):
        return None  # `Note:x` / `http:` is not a label; an English label is followed by a space (or is `Name：`)
    return written, clean_name(raw), text


def is_not_label(name: str) -> bool:
    """Facts (時間, 地點, 專題) and sentences with a colon (他说：) are not labels."""
    name = clean_name(name)
    if name in NOT_LABELS or name.lower() in ("http", "https", "www", "note", "tips", "ps", "tel", "email", "re"):
        return True
    if name.startswith(ROLE_WORDS) or not name.endswith(SPEECH_VERB_ENDS):
        return False
    return len(name) >= 3 or name[0] in "他她我你它这這那谁誰有"


def is_role_word(name: str) -> bool:
    name = clean_name(name)
    return name in ROLE_WORDS or (name in QUESTION_WORDS + ANSWER_WORDS and not name.isascii())
