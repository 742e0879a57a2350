"""Speaker labels: where a turn starts, and who is speaking.

`**主持人李薇：**` → host 李薇; `**枣庄经济开发区管委会副主任李大星：**` → guest
李大星 titled 枣庄经济开发区管委会副主任; `JACOB GOLDSTEIN, HOST:` → host
Jacob Goldstein, and a later `GOLDSTEIN:` is the same person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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
    "主持", "干部", "支书", "社区主任", "大队长",
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
GLUED_LABEL_RE = re.compile(rf"(?<=[.?!…\"”)\]\-—])\s*(?=(?:{CAPS_LABEL}): )")


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
    for word in GUEST_WORDS:
        if raw.startswith(word) and len(raw) > len(word):
            return Label(raw, raw[len(word):].strip(), "guest", word)
    return _chinese_guest_label(raw)


def _english_label(raw: str) -> Label:
    name, _, role_text = raw.partition(",")
    role_text = role_text.strip().upper()
    role = None
    if role_text in ("HOST", "ANCHOR", "PRESENTER", "CO-HOST"):
        role = "host"
    elif role_text in ("BYLINE", "NARRATOR", "ANNOUNCER"):
        role = "narrator"
    elif role_text:
        role = "guest"
    name = name.strip()
    if name.isupper():
        name = " ".join(w.capitalize() if len(w) > 2 or "." not in w else w for w in name.split())
    return Label(raw, name, role, role_text.title())


def _chinese_guest_label(raw: str) -> Label:
    if len(raw) <= 4:
        return Label(raw, raw, "guest")
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


def split_glued_labels(line: str) -> list[str]:
    """Cut a line where an ALL-CAPS label is glued to the previous sentence."""
    parts = GLUED_LABEL_RE.split(line)
    return [p.strip() for p in parts if p.strip()]


def match_label(line: str, accept_plain) -> tuple[str, str, bool] | None:
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
    if label.startswith(HOST_WORDS + NARRATOR_WORDS + GUEST_WORDS):
        return True
    if re.fullmatch(CAPS_LABEL, label) and any(c.isalpha() for c in label) and len(label) >= 2:
        return True  # radio transcripts: capitals then a colon
    if counts.get(label, 0) >= 2:
        if re.fullmatch(r"[\u4e00-\u9fff·]+", label):
            return any(label.endswith(w, 0, len(label) - 2) or w in label for w in TITLE_WORDS) or len(label) <= 4
        return True
    return False
