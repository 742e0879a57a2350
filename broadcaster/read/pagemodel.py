"""The page model: which label shapes this page uses and where its furniture is, from the page's own evidence.

Two passes over the page's lines, before any turn is built:

1. collect candidate labels: up to ~20 characters before a colon at a paragraph's start (after a
   marker such as ▲ ■ ● ◆ or a `[10:00:16]` timestamp), English capitals with their role and show
   (`AUDIE CORNISH, CNN ANCHOR:`), `Mr. BILL MOYERS (Author):`, and short heading lines that name
   the next speaker (`【同期】中新社记者 梁晓辉`);
2. score each on what the page shows: the label recurs, it ends in a role or title word (記者, 議員,
   HOST, CORRESPONDENT), its text reads as speech, it is not a fact (時間:) or a sentence (他说:).
   The shapes (marker + form + script) that hold accepted labels are the page's shapes, and a label
   used once counts when it has one of them.

Then the furniture: the header (what comes before the first label, up to its last navigation line,
dateline or notice) is a block of furniture except the title, the most headline-like line in it;
short parenthesised lines and bracketed stage notes between turns are furniture too. Everything
accepted is reported by `check` with its line (Parser.parse adds the report).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import labels as L
from . import web
from . import words as W

MARKERS = "▲■●◆►▶★☆◇□○◎※"
LEAD_RE = re.compile(rf"^(?:[{MARKERS}]\s*|\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]\s*|[【\[]\s*同期声?\s*[】\]]\s*)+")
CAPS_RE = re.compile(r"^(?P<label>[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,3}"
                     r"(?:\s*,\s*[A-Z0-9][A-Za-z0-9 .'&/\-]{1,40}?){0,3})\s*:\s+(?P<text>\S.*)$")
HONORIFIC_RE = re.compile(r"^(?P<label>(?:Mr|Ms|Mrs|Dr|Prof|Rep|Sen|Gov|Gen)\.? [A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}"
                          r"(?: \((?:[^()]|\([^()]*\)){0,160}\))?)\s*:\s+(?P<text>\S.*)$")
UNNAMED_RE = re.compile(r"^(?P<label>Unidentified (?:Man|Woman|Person|Speaker|Child|Group|Reporter)(?: #\d+)?)\s*:\s*(?P<text>.*)$")
ZH_COLON_RE = re.compile(r"^(?P<label>[^\s:：。！？!?，,；;“”\"「」（）()《》、]{1,20})\s*[:：]\s*(?P<text>.*)$")
HEADING_RE = re.compile(r"^(?P<label>[\u4e00-\u9fffA-Za-z·]{2,14}(?: [\u4e00-\u9fff·]{2,4})?)$")
SENTENCE_END = tuple("。！？!?….")
EN_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
EN_DATE_RE = re.compile(rf"\b{EN_MONTH} \d{{1,2}},? \d{{4}}\b|\b\d{{1,2}} {EN_MONTH} \d{{4}}\b")
EN_LINK_WORDS = frozenset("transcript transcripts download share print email listen embed subscribe comments comment "
                          "advertisement menu home close more podcast podcasts audio video watch read".split())
BACK_LINK_RE = re.compile(r"^(?:return|back|go back|skip) to\b.{0,50}$|^.{0,40}\b(?:main|home) page$|^.{0,30}\blogo$", re.I)
HTML_TAG_LINE_RE = re.compile(r"^[•·]?\s*<[A-Za-z][^<>]*>?\s*$")
CAPS_NOTICE_RE = re.compile(r"^[A-Z0-9][A-Z0-9 ,.'\-!?:;]{18,}$")
BREADCRUMB_RE = re.compile(r"^\S{1,20}(?:\s*[>＞»]\s*\S{1,24}){2,}$")
LEAD_DATE_RE = re.compile(r"^(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(?:\s+\d{1,2}:\d{2})?\s+[^\s。！？，,]{1,12}$")
STAGE_RE = re.compile(r"^[【\[〔][^】\]〕:：。！？]{2,20}[】\]〕]$")
PAREN_LINE_RE = re.compile(r"^[（(][^（）()]{2,40}[）)]$")
SELF_INTRO_EN_RE = re.compile(r"\bI'm ([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\b")
SELF_INTRO_ZH_RE = re.compile(r"我是(?:主持人|主播)([\u4e00-\u9fff]{2,3})(?=[。，,！!、；;\s])")


@dataclass
class Candidate:
    index: int
    number: int
    lead: str  # a marker or timestamp before the label (kept as furniture: ▲, [10:00:16], 【同期】)
    raw: str  # the label as the speaker's key (spaces of alignment removed)
    text: str  # what follows it on the line
    shape: str
    score: int = 0


@dataclass
class PageModel:
    labels: dict[int, Candidate] = field(default_factory=dict)  # logical index → accepted label
    furniture: dict[int, str] = field(default_factory=dict)  # logical index → why
    title: int | None = None
    host_name: str = ""  # 我是主持人张曼: the bare 主持人 is this person
    opening_speaker: str = ""  # I'm Terry Gross in the unlabelled opening: that person speaks it
    report: list[tuple[int, str]] = field(default_factory=list)


def candidate(index: int, number: int, line: str, next_line: str) -> Candidate | None:
    s = line.strip()
    lead_m = LEAD_RE.match(s)
    lead = lead_m.group().strip() if lead_m else ""
    body = s[lead_m.end():] if lead_m else s
    for regex, shape in ((HONORIFIC_RE, "honorific"), (UNNAMED_RE, "unnamed"), (CAPS_RE, "capitals")):
        m = regex.match(body)
        if m and any(c.isalpha() for c in m["label"]):
            return Candidate(index, number, lead, m["label"].strip(), m["text"], _shape(lead, shape))
    m = ZH_COLON_RE.match(body)
    if m and re.search(L.HANZI, m["label"]):
        return Candidate(index, number, lead, L.clean_name(m["label"]), m["text"], _shape(lead, "colon"))
    m = HEADING_RE.match(body)
    if m and next_line and _reads_as_speech(next_line) and (lead or _names_someone(m["label"])) \
            and not web.headline(s):
        return Candidate(index, number, lead, L.clean_name(m["label"]), "", _shape(lead, "heading"))
    return None


def _shape(lead: str, form: str) -> str:
    return form  # a marker or timestamp before the label is evidence (score), not another shape


def _names_someone(label: str) -> bool:
    name = L.clean_name(label)
    parsed = L.parse_label(name)
    return bool(parsed.title) and not parsed.guessed


def _reads_as_speech(text: str) -> bool:
    text = text.strip()
    return len(text) >= 8 and (text.endswith(SENTENCE_END) or any(p in text for p in "，,。？?"))


def score(c: Candidate, counts: Counter) -> int:
    name = c.raw
    if L.is_not_label(name) or name.lower() in ("http", "https", "note"):
        return -10
    if re.search(L.HANZI, name) and name.endswith(L.SPEECH_VERB_ENDS) and not name.endswith(W.ROLE_ENDS):
        return -10
    points = 0
    if counts[name] >= 2:
        points += 2
    parsed = L.parse_label(name)
    if c.shape in ("capitals", "honorific", "unnamed"):
        role_words = set(re.split(r"[\s,]+", name.partition(",")[2].upper()))
        points += 3 if role_words & W.EN_ROLE_WORDS or c.shape != "capitals" else 2 if "," in name else 1
    elif parsed.role in ("host", "narrator") or (parsed.title and not parsed.guessed) or name.endswith(W.ROLE_ENDS):
        points += 3
    elif 2 <= len(name) <= 4 and (name[0] in L._ALL_SURNAMES):
        points += 1
    if c.lead:
        points += 1
    if _reads_as_speech(c.text) or c.shape.endswith("heading"):
        points += 1
    elif not c.text.strip():
        points -= 1
    if re.fullmatch(rf"{L.HANZI}{{11,}}", name) and not parsed.title:
        points -= 2  # a long run of characters with no title word: a sentence before its colon
    return points


def learn(logical: list[tuple[int, str]], kinds: dict[int, str], known: set[int]) -> PageModel:
    """The page model. `known`: indexes of lines the fixed label rules already read as labels."""
    model = PageModel()
    lines = [t.strip() for _, t in logical]
    following = _next_nonblank(lines)
    cands = []
    for i, (number, _) in enumerate(logical):
        if not lines[i] or i in kinds or lines[i].startswith(("#", "**", "<", "|")):
            continue
        nxt = following[i]
        c = candidate(i, number, lines[i], lines[nxt] if nxt is not None else "")
        if c is not None:
            cands.append(c)
    counts = Counter(c.raw for c in cands)
    shapes: Counter = Counter()
    for c in cands:
        c.score = score(c, counts)
        if c.score >= 3:
            shapes[c.shape] += 1
    accepted_shapes = {s for s, n in shapes.items() if n >= 2}
    for c in cands:
        if c.index in known and not (c.lead and c.score >= 3):
            continue  # the fixed rules read it (unless they took the 【同期】 before a heading for the label)
        if c.score >= 3 or (c.shape in accepted_shapes and c.score >= 1):
            model.labels[c.index] = c
    for shape in sorted(accepted_shapes):
        group = [c for c in cands if c.shape == shape and c.index in model.labels]
        if group:
            names = ", ".join(dict.fromkeys(c.raw for c in group))
            model.report.append((group[0].number, f"label shape '{shape}' accepted: {len(group)} label(s) "
                                                   f"({_cut(names)}), first at line {group[0].number}"))
    for c in cands:
        if c.index in model.labels and c.shape not in accepted_shapes:
            model.report.append((c.number, f"{c.raw!r} read as a speaker label ({_why(c, counts)})"))
    if not (known or model.labels):
        return PageModel(report=model.report)  # no labels: a narration, whose lines the fixed rules read
    _furniture(model, logical, lines, kinds, known)
    _names(model, logical, lines, known)
    return model


def _why(c: Candidate, counts: Counter) -> str:
    return f"{c.shape}, used {counts[c.raw]} time(s), scored {c.score}"


def _cut(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _next_nonblank(lines: list[str]) -> list[int | None]:
    out: list[int | None] = [None] * len(lines)
    nxt = None
    for i in range(len(lines) - 1, -1, -1):
        out[i] = nxt
        if lines[i]:
            nxt = i
    return out


def furniture_line(s: str) -> str | None:
    """Furniture the fixed rules (web.furniture_reason) do not know: English page links and datelines,
    notices in capitals, breadcrumbs with long items, a date and a site name, HTML tags."""
    if HTML_TAG_LINE_RE.match(s):
        return "HTML"
    if BACK_LINK_RE.match(s):
        return "page links"
    words = re.findall(r"[A-Za-z]+", s)
    bare = s.strip("•·-–|[]() ")
    if words and len(words) <= 3 and all(w.lower() in EN_LINK_WORDS for w in words) and len(bare) <= 30:
        return "page links"
    if len(s) <= 90 and EN_DATE_RE.search(s) and not s.endswith(SENTENCE_END[:-1]) and s.count(" ") <= 10:
        return "dateline"
    if BREADCRUMB_RE.match(s) and not _reads_as_speech(s):
        return "navigation"
    if LEAD_DATE_RE.match(s):
        return "dateline"
    return None


def _furniture(model: PageModel, logical, lines: list[str], kinds: dict[int, str], known: set[int]) -> None:
    labelled = sorted(known | set(model.labels))
    first = labelled[0] if labelled else len(lines)
    header: dict[int, str] = {}
    for i in range(first):
        if not lines[i] or i in kinds:
            continue
        why = furniture_line(lines[i])
        if why is None and CAPS_NOTICE_RE.match(lines[i]) and len(lines[i].split()) >= 4:
            why = "notice"
        if why is None and (STAGE_RE.match(lines[i]) or PAREN_LINE_RE.match(lines[i])):
            why = "stage note"
        if why:
            header[i] = why
    last = max([i for i in header] + [i for i in kinds if i < first and kinds[i] != "credit"], default=-1)
    title = _title(lines, first, header, kinds)
    model.title = title
    seen = {lines[title]} if title is not None else set()
    for i in range(first):
        s = lines[i]
        if not s or i in kinds or i == title or s.startswith(("#", "**")):
            continue
        if i in header:
            model.furniture[i] = header[i]
        elif s in seen:
            model.furniture[i] = "repeated headline"
        elif i < last and not web.headline(s) and (
                (len(s) > 60 and not s.endswith(SENTENCE_END)) or (title is not None and i < title)):
            model.furniture[i] = "page header"  # a teaser, a line of the page's top above its last furniture
    for i in range(first, len(lines)):
        s = lines[i]
        if not s or i in kinds or i in model.labels or i in known:
            continue
        why = furniture_line(s) if len(s) <= 90 else None
        if why is None and (STAGE_RE.match(s) or PAREN_LINE_RE.match(s)) and not L.loose_label(s):
            why = "stage note"
        if why:
            model.furniture[i] = why
    blocks = _blocks(sorted(model.furniture), logical)
    for start, end, count in blocks:
        model.report.append((start, f"furniture block, lines {start}–{end}: {count} line(s) shown, not read "
                                    f"({', '.join(sorted({model.furniture[i] for i in model.furniture if start <= logical[i][0] <= end}))})"))


def _blocks(indexes: list[int], logical) -> list[tuple[int, int, int]]:
    out: list[list[int]] = []
    for i in indexes:
        number = logical[i][0]
        if out and number - out[-1][1] <= 2:
            out[-1][1] = number
            out[-1][2] += 1
        else:
            out.append([number, number, 1])
    return [(a, b, n) for a, b, n in out]


def _title(lines: list[str], first: int, header: dict[int, str], kinds: dict[int, str]) -> int | None:
    """The most headline-like line above the first label: repeated, short, not a sentence, not furniture."""
    best, best_points = None, 0
    texts = Counter(lines[:first])
    for i in range(first):
        s = lines[i]
        if not s or i in header or i in kinds or s.startswith(("#", "**", "<", "|", "!")) or len(s) > 100:
            continue
        if s.endswith(SENTENCE_END[:-1]) or (s.endswith(".") and not s.endswith("...")) or L.loose_label(s):
            continue
        points = 1 + 4 * bool(web.headline(s)) + 2 * (texts[s] >= 2) + (len(s.split()) >= 2 or len(s) >= 6) + (len(s) <= 60)
        if points > best_points:
            best, best_points = i, points
    return best


def _names(model: PageModel, logical, lines: list[str], known: set[int]) -> None:
    """Names the page gives in its own words: 我是主持人张曼, and I'm Terry Gross in an unlabelled opening."""
    labelled = sorted(known | set(model.labels))
    first = labelled[0] if labelled else None
    if first is None:
        return
    for i in range(first):
        if lines[i] and i not in model.furniture and i != model.title:
            m = SELF_INTRO_EN_RE.search(lines[i])
            if m:
                model.opening_speaker = m[1]
                model.report.append((logical[i][0], f"the opening before the first label is read by {m[1]} "
                                                     f"(who says {m.group()!r})"))
                break
    for i in labelled[:3]:
        m = SELF_INTRO_ZH_RE.search(lines[i])
        if m and L.clean_name(lines[i].split(":")[0].split("：")[0]).lstrip("[【").rstrip("]】") in L.HOST_WORDS:
            model.host_name = m[1]
            model.report.append((logical[i][0], f"the host names herself or himself: {m.group()!r}"))
            break
