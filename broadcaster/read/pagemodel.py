"""The page model: which label shapes this page uses and where its furniture is, from the page's own evidence.

Two passes over the page's lines, before any turn is built:

1. collect candidate labels: up to ~20 characters before a colon at a paragraph's start (after a
   marker such as ▲ ■ ● ◆ ♪, a `[10:00:16]` timestamp or a `(BREAK)` clip marker), English capitals
   with their role and show (`AUDIE CORNISH, CNN ANCHOR:`), `Mr. BILL MOYERS (Author):`, English
   names (`The Paper:`), and short heading lines that name the next speaker (`【同期】中新社记者 梁晓辉`);
2. score each on what the page shows: the label recurs, it ends in a role or title word (記者, 議員,
   HOST, CORRESPONDENT), the name is in the page's header (title, lede, credits), its text reads as
   speech, it is not a fact (時間:) or a sentence (他说:), it is the translation of the label before it.
   The shapes holding accepted labels are the page's shapes, and a label used once counts when it has
   one of them.

Then names the page gives (柯 → 柯文哲 from the title, WILLIAM → William Brangham who says "I'M
WILLIAM BRANGHAM", 我是主持人张曼, an unlabelled opening by "I'm Terry Gross", The Paper → 澎湃新闻记者
on a bilingual page: pagenames.py), and the furniture blocks and title (pageblocks.py). Everything accepted is
reported by `check` with its line.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import labels as L
from . import pageblocks as B
from . import web
from . import words as W
from .lazyre import Lazy as lazy
from .pagenames import give_names

if TYPE_CHECKING:
    from collections.abc import Callable

MARKERS = "▲■●◆►▶★☆◇□○◎※♪"
LEAD_RE = lazy(rf"^(?:[{MARKERS}]\s*|\[\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]\s*|[【\[]\s*同期声?\s*[】\]]\s*"
                     r"|\([A-Z][A-Z ,.'\-]{2,40}\)\s*(?=[A-Z]))+")
CAPS_WORD = r"(?:Mc|Mac)?[A-Z][A-Z.'\-]*"
CAPS_RE = lazy(rf"^(?P<label>{CAPS_WORD}(?: {CAPS_WORD}){{0,4}}"
                     r"(?:\s*,\s*[A-Z0-9][A-Za-z0-9 .'&/\-]{1,40}?){0,3})\s*:(?:\s*(?P<text>\S.*))?$")
HONORIFIC_RE = lazy(r"^(?P<label>(?i:Mr|Ms|Mrs|Dr|Prof|Rep|Sen|Gov|Gen)\.? [A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}"
                          r"(?: \((?:[^()]|\([^()]*\)){0,160}\))?)\s*:\s+(?P<text>\S.*)$")
TIMED_RE = lazy(r"^(?P<label>[A-Z][A-Za-z.'\-]*(?: [A-Z0-9][A-Za-z0-9.'\-]*){0,3})\s*(?::\s*)?"
                      r"(?P<time>\(\d{1,2}:\d{2}(?::\d{2})?\))\s*(?::\s*(?P<text>.*)|$)")
ROLE_NAME_RE = lazy(r"^(?P<role>主持人|主播|记者|記者|嘉宾|嘉賓)[（(](?P<name>[^()（）\s]{2,4})[）)]\s*[:：]\s*(?P<text>.*)$")
QA_RE = lazy(r"^(?P<label>Q|A)(?:\.|\s{2,}|\t)\s*(?P<text>\S.*)$")  # `Q    Sure, thanks, Josh.`
NAME_LINE_RE = lazy(r"^(?P<label>[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,3})$")  # `Karine Jean-Pierre` over the quote
VOICE_RE = lazy(r"^<v(?:\.[\w.-]+)?\s+(?P<label>[^<>]{1,40})>\s*(?P<text>.*)$")
UNNAMED_RE = lazy(r"^(?P<label>Unidentified (?:Man|Woman|Person|Speaker|Child|Group|Reporter)(?: #\d+)?)\s*:\s*(?P<text>.*)$")
EN_NAME_RE = lazy(r"^(?P<label>(?:The |A )?[A-Z][a-z]+(?: [A-Z][a-z]+){0,3})\s*:(?:\s+(?P<text>\S.*))?$")
ZH_COLON_RE = lazy(r"^(?P<label>[^\s:：。！？!?，,；;“”\"「」（）()《》、]{1,20}(?: [^\s:：。！？!?，,；;“”\"「」（）()《》、]{1,10})?)"
                         r"\s*[:：]\s*(?P<text>.*)$")
ZH_MARKED_RE = lazy(r"^(?P<label>[^\s:：。！？!?；;“”\"「」（）()《》]{2,30})\s*[:：]\s*(?P<text>.*)$")
HEADING_RE = lazy(r"^(?P<label>(?:[^\W\d_]|·){2,14}(?: (?:[^\W\d_]|·){2,4})?)$")
QUOTED_RE = lazy(r"^[「“\"『].*[」”\"』]$")
QUOTE_START_RE = lazy(r"^[「“\"『]")


@dataclass
class Candidate:
    index: int
    number: int
    lead: str  # a marker, timestamp or clip marker before the label (shown, not read: ▲, [10:00:16], 【同期】)
    raw: str  # the label as the speaker's key (spaces of alignment removed)
    text: str  # what follows it on the line
    shape: str
    score: int = 0
    speech_below: bool = False  # no text after the label, but the next line reads as speech


@dataclass
class PageModel:
    labels: dict[int, Candidate] = field(default_factory=dict)  # logical index → accepted label
    furniture: dict[int, str] = field(default_factory=dict)  # logical index → why
    title: int | None = None
    host_name: str = ""  # 我是主持人张曼: the bare 主持人 is this person
    opening_speaker: str = ""  # I'm Terry Gross in the unlabelled opening: that person speaks it
    names: dict[str, str] = field(default_factory=dict)  # label → the full name the page gives
    same: dict[str, str] = field(default_factory=dict)  # a translated label → the label it translates
    quoted: bool = False  # soundbites in quotes between narration: after one, the narrator speaks again
    continued: dict[int, Candidate] = field(default_factory=dict)  # a cue's voice tag repeating the speaker
    report: list[tuple[int, str]] = field(default_factory=list)


def candidate(index: int, number: int, line: str, ahead: list[str]) -> Candidate | None:
    """The candidate label a line opens with, if any; `ahead`: the next few non-blank lines."""
    s = line.strip()
    if len(s) > 40 and ":" not in s[:120] and "：" not in s[:40] and "):" not in s[:40] and "）：" not in s[:40] and "):" not in s[:200] and s[0] not in MARKERS + "<[(【〔" \
            and not s.startswith(("Q ", "A ", "Q\t", "A\t", "Q.", "A.")):
        return None  # a paragraph of text: a label is short and ends in a colon near the start
    next_line = ahead[0] if ahead else ""
    lead_m = LEAD_RE.match(s)
    lead = lead_m.group().strip() if lead_m else ""
    body = s[lead_m.end():] if lead_m else s
    m = VOICE_RE.match(body) or TIMED_RE.match(body)
    if m:
        time = m.groupdict().get("time") or ""
        return Candidate(index, number, (lead + " " + time).strip(), m["label"].strip(), m["text"] or "",
                         "voice" if not time else "timed")
    m = QA_RE.match(body)
    if m:
        return Candidate(index, number, lead, m["label"], m["text"], "qa")
    m = ROLE_NAME_RE.match(body)  # 主持人(王躍軍): the role, the name in brackets
    if m:
        return Candidate(index, number, lead, m["role"] + m["name"], m["text"], "colon",
                         speech_below=not m["text"].strip() and _reads_as_speech(next_line))
    for regex, shape in ((HONORIFIC_RE, "honorific"), (UNNAMED_RE, "unnamed"), (CAPS_RE, "capitals"), (EN_NAME_RE, "english")):
        m = regex.match(body)
        if m and any(c.isalpha() for c in m["label"]):
            return Candidate(index, number, lead, m["label"].strip(), m["text"] or "", shape,
                             speech_below=not (m["text"] or "").strip() and _reads_as_speech(next_line))
    m = ZH_COLON_RE.match(body) or (ZH_MARKED_RE.match(body) if lead[:1] in MARKERS and lead else None)
    if m and re.search(L.HANZI, m["label"]):
        return Candidate(index, number, lead, L.clean_name(m["label"]), m["text"], "colon",
                         speech_below=not m["text"].strip() and _reads_as_speech(next_line))
    m = NAME_LINE_RE.match(body)
    if m and not B.furniture_line(body) and any(QUOTE_START_RE.match(a) for a in ahead[:3]):
        return Candidate(index, number, lead, m["label"], "", "name line")
    m = HEADING_RE.match(body)
    if m and next_line and _reads_as_speech(next_line) and (lead or _names_someone(m["label"])) and not web.headline(s) \
            and not ZH_COLON_RE.match(next_line):  # a heading names the speaker of the text under it, not of a labelled line
        return Candidate(index, number, lead, L.clean_name(m["label"]), "", "heading")
    return None


def _names_someone(label: str) -> bool:
    parsed = L.parse_label(L.clean_name(label))
    return bool(parsed.title) and not parsed.guessed


def _headline(text: str) -> bool:
    """`Machines, Creativity & Love`: Headline Case words with no sentence end."""
    text = text.strip()
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", text) if len(w) > 3]
    return len(words) >= 2 and not text.endswith(B.SENTENCE_END) and all(w[0].isupper() for w in words)


def _reads_as_speech(text: str) -> bool:
    text = text.strip()
    if _headline(text):
        return False  # a headline after a name, not speech
    return len(text) >= 8 and (text.endswith(B.SENTENCE_END) or any(p in text for p in "，,。？?"))


def score(c: Candidate, counts: Counter, header_text: str, before: str = "") -> int:
    name = c.raw
    if L.is_not_label(name) or name.lower() in ("http", "https", "note"):
        return -10
    if re.search(L.HANZI, name) and name.endswith(L.SPEECH_VERB_ENDS) and not name.endswith(W.ROLE_ENDS):
        return -10
    points = 2 if counts[name] >= 2 else 0
    parsed = L.parse_label(name)
    if c.shape == "name line" and name not in header_text:
        return 0  # a bare name over a quote counts only when the page names that person (`• Karine Jean-Pierre`)
    if c.shape in ("voice", "timed", "qa"):
        points += 3
    elif c.shape == "name line":
        points += 1
    elif c.shape in ("capitals", "honorific", "unnamed"):
        role_words = set(re.split(r"[\s,]+", name.partition(",")[2].upper()))
        points += 3 if role_words & W.EN_ROLE_WORDS or c.shape != "capitals" else 2 if "," in name else 1
        if c.shape == "honorific" and _headline(c.text):
            return 0  # `Dr. Lex Fridman: Machines, Creativity & Love` is a headline
    elif c.shape == "english":
        points += 0
    elif parsed.role in ("host", "narrator") or (parsed.title and not parsed.guessed) or name.endswith(W.ROLE_ENDS):
        points += 3
    elif 2 <= len(name) <= 4 and name[0] in L._ALL_SURNAMES:
        points += 1
    if len(parsed.name) >= 2 and parsed.name in header_text:
        points += 2  # the page names this person in its title, lede or credits
    elif c.shape == "english" and len(last := parsed.name.split()[-1]) >= 4 and re.search(rf"\b{re.escape(last)}\b", before):
        points += 2  # named in the text before (`Director Mulvaney` introduced, then `Direcotr Mulvaney:`)
    if c.lead:
        points += 1
    if _reads_as_speech(c.text) or c.shape in ("heading", "name line") or c.speech_below:
        points += 1
    elif not c.text.strip():
        points -= 1
    if re.fullmatch(rf"{L.HANZI}{{11,}}", name) and not parsed.title:
        points -= 2  # a long run of characters with no title word: a sentence before its colon
    return points


def learn(logical: list[tuple[int, str]], kinds: dict[int, str], known: set[int],
          is_credit: Callable[[str], bool] = lambda s: False) -> PageModel:
    """The page model. `known`: indexes of lines the fixed label rules already read as labels."""
    model = PageModel()
    lines = [t.strip() for _, t in logical]
    if known and all(lines[i].startswith("**") for i in known):
        return model  # Markdown bold labels (the column's house style): the fixed rules read them exactly
    numbers = [n for n, _ in logical]
    following = _next_nonblank(lines)
    cands = []
    for i, number in enumerate(numbers):
        if not lines[i] or i in kinds or lines[i].startswith(("#", "**", "|")) or (lines[i][0] == "<" and not VOICE_RE.match(lines[i])):
            continue
        ahead: list[str] = []
        nxt = following[i]
        while nxt is not None and len(ahead) < 3:
            ahead.append(lines[nxt])
            nxt = following[nxt]
        c = candidate(i, number, lines[i], ahead)
        if c is not None:
            cands.append(c)
    first_cand = min([c.index for c in cands] + list(known), default=len(lines))
    counts = Counter(c.raw for c in cands)
    _score_all(cands, counts, lines, "\n".join(lines[:first_cand]))
    if not known and not any(c.score >= 3 for c in cands):
        # nothing reads as a label yet: the header may reach further, to the first line that looks like the talk
        strong = [c.index for c in cands if c.text.strip().endswith(B.SENTENCE_END) or c.speech_below
                  or c.shape in ("heading", "name line", "voice", "timed", "qa")]
        own = {c.index for c in cands}  # (a candidate's own line is no evidence for itself)
        _score_all(cands, counts, lines, "\n".join(s for i, s in enumerate(lines[:min(strong, default=len(lines))])
                                                   if i not in own))
    shapes: Counter = Counter(c.shape for c in cands if c.score >= 3)
    accepted_shapes = {s for s, n in shapes.items() if n >= 2}
    for c in cands:
        if c.index in known and not (c.lead and c.score >= 3):
            continue  # the fixed rules read it (unless they took the 【同期】 before a heading for the label)
        if c.score >= 3 or (c.shape in accepted_shapes and c.score >= 1):
            model.labels[c.index] = c
    _bilingual(model, cands, known, lines)
    previous = None
    for i in sorted(known | set(model.labels)):
        c = model.labels.get(i)
        if c is not None and c.shape == "voice" and previous is not None and previous.shape == "voice" \
                and previous.raw == c.raw:
            model.continued[i] = model.labels.pop(i)  # the next cue of the same voice: the turn goes on
        else:
            previous = c
    for shape in sorted(accepted_shapes):
        group = [c for c in cands if c.shape == shape and (c.index in model.labels or c.index in known)]
        if group:
            names = ", ".join(dict.fromkeys(c.raw for c in group))
            model.report.append((group[0].number, f"label shape '{shape}' accepted: {len(group)} label(s) "
                                                   f"({_cut(names)}), first at line {group[0].number}"))
    for c in cands:
        if c.index in model.labels and c.shape not in accepted_shapes:
            model.report.append((c.number, f"{c.raw!r} read as a speaker label ({c.shape}, used {counts[c.raw]} "
                                           f"time(s), scored {c.score})"))
    vetoed = {i for i in known if re.search(r"\d", after := re.split("[:：]", lines[i], maxsplit=1)[-1])
              and not re.search(r"[^\W\d_]", after)}
    opening = next((i for i, s in enumerate(lines) if s), None)
    if opening in known and len(lines[opening]) <= 60 and not re.search(r"[。！？.!?，,]", lines[opening]) and \
            sum(1 for i in known if L.clean_name(re.split("[:：]", lines[i])[0]) == L.clean_name(re.split("[:：]", lines[opening])[0])) == 1:
        vetoed.add(opening)  # `記者探兩會:換種方式和委員“面對面”`: the page's first line, a headline, not a turn
    known = known - vetoed  # `ISBN: 0070466149`: a label shape with no words after it is a fact
    labelled = sorted(known | set(model.labels))
    web_page = False
    if labelled:
        first = labelled[0]
    else:
        mark = max((i for i in range(min(len(lines), 60)) if B.TRANSCRIPT_MARK_RE.match(lines[i])), default=-1)
        first = next((i for i, s in enumerate(lines) if s and i not in kinds and not B.furniture_line(s)
                      and (B.prose(s) or (mark >= 0 and i > mark))), len(lines))
        probe, _ = B.header(lines, first, kinds, is_credit, False)
        web_page = bool(probe) or any(kinds[i] != "credit" for i in kinds if i < first)
        if web_page:  # a web page with no labels: its header reaches to where the text starts
            first = B.body_start(lines, kinds)
    speakers = tuple({n for c in model.labels.values() if len(n := L.parse_label(c.raw).name) >= 2}
                     | {n for i in known if len(n := L.parse_label(L.clean_name(re.split("[:：]", lines[i])[0])).name) >= 2})
    found, model.title = B.header(lines, first, kinds, is_credit, bool(labelled), speakers)
    if labelled or web_page:
        empty = {c.index for c in model.labels.values() if not c.text.strip()}
        found.update(B.body(lines, first, kinds, set(labelled), empty))
    if labelled:
        _quoted(model, lines, numbers, labelled)
    give_names(model, lines, numbers, labelled, first, found)
    model.furniture = found
    for i in vetoed:
        if i != model.title:
            found[i] = "page details"
    for start, end, indexes in B.blocks(sorted(found), numbers):
        whys = ", ".join(sorted({found[i] for i in indexes}))
        model.report.append((start, f"furniture block, lines {start}–{end}: {len(indexes)} line(s) shown, not read ({whys})"))
    body = [i for i in range(labelled[0], len(lines)) if lines[i] and i not in found and i not in kinds] if labelled else []
    if len(labelled) == 1 and len(body) >= 10:
        model.report.append((numbers[labelled[0]], f"one speaker label explains 1 of {len(body)} paragraphs: "
                                                   "everything after it is read as that turn; check the speakers"))
    return model


def _score_all(cands: list[Candidate], counts: Counter, lines: list[str], header_text: str) -> None:
    for c in cands:
        c.score = score(c, counts, header_text, "\n".join(lines[max(0, c.index - 40):c.index]))
        previous = next((lines[j] for j in range(c.index - 1, -1, -1) if lines[j]), "")
        if B.TIMING_RE.match(previous) or previous.isdigit():
            c.score += 2  # a label opening a subtitle cue


def _bilingual(model: PageModel, cands: list[Candidate], known: set[int], lines: list[str]) -> None:
    """A Chinese turn followed by its English translation (`汪文斌:` then `Wang Wenbin:`): the same speaker."""
    by_index = {c.index: c for c in cands}
    order = sorted(set(known) | set(model.labels) | {c.index for c in cands if c.shape == "english"})
    kinds = ["en" if i in by_index and by_index[i].shape == "english" else "zh" for i in order]
    if len(order) < 4 or kinds[0] != "zh" or any(a == b for a, b in zip(kinds, kinds[1:], strict=False)):
        return  # a translated page alternates strictly: Chinese turn, its English, Chinese turn, its English
    pairs = [(i, by_index[j]) for i, j in zip(order[::2], order[1::2], strict=False)]
    for i, second in pairs:
        model.labels[second.index] = second
        zh_raw = by_index[i].raw if i in by_index else None
        if zh_raw and second.raw not in model.same:
            model.same[second.raw] = zh_raw
            model.report.append((second.number, f"{second.raw!r} translates the label before it: read as {zh_raw}"))


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


def _quoted(model: PageModel, lines: list[str], numbers: list[int], labelled: list[int]) -> None:
    """TV news: `總統蔡英文:「…」` soundbites between narration paragraphs."""
    texts = []
    for i in labelled:
        c = model.labels.get(i)
        text = c.text if c else re.split("[:：]", lines[i], maxsplit=1)[-1]
        texts.append(text.strip())
    quoted = sum(bool(QUOTED_RE.match(t)) for t in texts)
    if quoted >= 2 and quoted * 10 >= len(texts) * 6:
        model.quoted = True
        model.report.append((numbers[labelled[0]], f"{quoted} of {len(texts)} labelled turns are quotations: "
                                          "the text after each is the narrator's"))
