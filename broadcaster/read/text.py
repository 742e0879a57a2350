"""Transcript text → Episode. Lenient on input; every guess is reported.

The column format (REFERENCE.md "Input"): a programme title line, `#`/`##`
segment headings, a credits line, `**label：**text` turns, unlabelled
continuation paragraphs (joined with no break when the previous one stopped
mid-sentence: a page break). Also plain `主持人：text` / `NAME: text` labels,
inline HTML, and radio transcripts whose labels are glued to the previous
sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast
from pathlib import Path

from . import labels as L
from . import glued, pagemodel, web
from .lines import _join, _language, column_credits, credit_like, logical_lines, page_break_split
from .markup import is_link_only, to_spans
from ..model import Credit, Diagnostic, Episode, Paragraph, Role, Segment, Span, Speaker, Turn

if TYPE_CHECKING:
    from collections.abc import Iterable

HEADING_RE = re.compile(r"^(#+)\s*(.*?)\s*#*\s*$")  # 7+ marks: a level-6 heading, reported
RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
MAX_LABEL = 80
# `**…：**` that did not parse as a label (too long, `*` inside): reported, kept as text
LABEL_LIKE_RE = re.compile(r"^\*\*(?P<label>.+?)[:：]\s*\*\*")


@dataclass
class _Turn:
    speaker: str
    line: int
    paragraphs: list = field(default_factory=list)  # [line, text], or [line, text, why] for furniture
    label_line: int = 0  # where the label is (the turn's block may open with furniture above it)


@dataclass
class _Segment:
    title: str
    line: int
    level: int
    section: str = ""
    credits: list = field(default_factory=list)
    turns: list = field(default_factory=list)


class Parser:
    def __init__(self, source: str, cleaned: Iterable[tuple[int, str]] = (),
                 unit: Literal["line", "paragraph"] = "line") -> None:
        self.source = source
        self.unit = unit  # what the numbers count: text lines, or Word paragraphs (¶)
        self.diagnostics: list[Diagnostic] = [Diagnostic(source, n, msg, unit=unit) for n, msg in cleaned]
        self.title = ""
        self.title_line = 0
        self.segments: list[_Segment] = []
        self.turn: _Turn | None = None
        self.blank_before = True
        self.labels: dict[str, L.Label] = {}  # raw label → parsed
        self.label_key: dict[str, str] = {}  # raw label → speaker key (surname-only labels resolve)
        self.first_line: dict[str, int] = {}
        self.notes: list[str] = []
        self.saw_label = False
        self.saw_content = False
        self.page = web.Page()
        self.pending: list = []  # furniture met before any turn: shown with the next one
        self.model = pagemodel.PageModel()  # what the page shows of itself (learnt in parse)
        self._narration = False  # the narrator takes over after a quoted soundbite

    def warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.source, line, message, unit=self.unit))

    # -- the pass over the lines ---------------------------------------------------
    def parse(self, lines: list[str], numbers: list[int] | None = None) -> Episode:
        """`numbers[i]` is where lines[i] came from (a Word paragraph); default: line i + 1."""
        run_on: set[int] = set()  # lines of a transcript with no line breaks, already cut at its labels
        logical = list(logical_lines(lines, numbers, self.warn, run_on))
        logical, cut = glued.split(logical, run_on)
        for number, message in cut:
            self.warn(number, message)
        counts = L.plain_label_candidates([t for _, t in logical])
        self.accept_plain = lambda label: L.plausible_plain(label, counts)
        logical, self.kinds = self.page.prepare(logical, self.accept_plain)
        known = {i for i, (_, t) in enumerate(logical)  # the lines the fixed rules read as labels
                 if t.strip() and i not in self.kinds and not is_link_only(t) and not HEADING_RE.match(t.strip())
                 and (L.match_label(t.strip(), self.accept_plain) or self.page.label(t.strip()))}
        self.model = model = pagemodel.learn(logical, self.kinds, known, credit_like)
        self.has_labels = bool(model.labels) or any(L.match_label(t, self.accept_plain) or self.page.label(t)
                                                    for _, t in logical)
        self.has_structure = self.has_labels or any(HEADING_RE.match(t) for _, t in logical)
        if model.host_name and not self.page.credits.hosts:
            self.page.credits.hosts.append(model.host_name)
        for number, message in model.report:
            self.warn(number, message)
        for index, (number, text) in enumerate(logical):
            if index in self.page.split_notes:
                self.warn(number, self.page.split_notes[index])
            if index in model.labels:
                self._model_label(number, model.labels[index])
            elif index in model.continued and self.turn is not None:  # the same voice's next cue
                self.blank_before = False
                self._text(number, model.continued[index].text.strip() or " ")
            elif index == model.title and not self.title and not self.saw_content and index not in self.kinds \
                    and not web.headline(text.strip()):
                self.title, self.title_line = text.strip(), number
                self.saw_content = True
            else:
                self._line(number, text, self.kinds.get(index) or model.furniture.get(index, ""))
        return self._finish(lines)

    def _model_label(self, number: int, found: pagemodel.Candidate) -> None:
        """A label the page model accepted: its marker or timestamp is shown, not read."""
        self._start_turn(number, found.raw, "")
        assert self.turn is not None
        if any(ch.isalnum() for ch in found.lead):
            self.turn.paragraphs.append([number, found.lead, "label marker"])
        if found.text.strip():
            self.turn.paragraphs.append([number, found.text.strip()])
        self.saw_content = True
        self.blank_before = False

    def _line(self, number: int, text: str, kind: str = "") -> None:
        if not text.strip():
            self.blank_before = True
            return
        stripped = text.strip()
        if kind:
            self.blank_before = True
            if kind == "credit":
                self._web_credit(number, stripped)
                self.saw_content = True
            else:
                self._furniture(number, stripped, kind)
            return
        if RULE_RE.match(stripped):
            self.notes.append(stripped)
            self.blank_before = True
            return
        heading = HEADING_RE.match(stripped)
        if heading and heading.group(2):
            level = len(heading.group(1))
            if level > 6:
                self.warn(number, f"{level} #'s: Markdown headings have 1 to 6; read as a level-6 heading")
            self._heading(number, min(level, 6), heading.group(2))
        elif self._credits(number, stripped):
            pass
        elif (label := self._label(number, stripped)) is not None:
            self._start_turn(number, *label)
        elif not self.saw_content and (headline := web.headline(stripped)):
            self.title, self.title_line = headline, number
            self.warn(number, f"page headline {stripped!r} read as the programme title")
        elif not self.saw_content and self._title_candidate(stripped):
            self.title, self.title_line = stripped, number
        else:
            self._text(number, stripped)
        self.saw_content = True
        self.blank_before = False

    def _label(self, number: int, text: str) -> tuple[str, str] | None:
        found = L.match_label(text, self.accept_plain)
        if found is not None and len(found[0]) <= MAX_LABEL:
            return found[0], found[1]
        loose = self.page.label(text)
        if loose is not None:
            written, name, rest = loose
            if name not in self.page.reported and not L.is_role_word(name):
                self.page.reported.add(name)
                self.warn(number, f"{written!r} read as a speaker label ({self.page.why(name)})")
            return name, rest
        like = LABEL_LIKE_RE.match(text)
        if like:
            size = len(like["label"])
            why = f"is {size} characters long (at most {MAX_LABEL})" if size > MAX_LABEL else "cannot be read as one"
            self.warn(number, f"looks like a speaker label but {why}: kept as text")
        return None

    def _title_candidate(self, text: str) -> bool:
        return self.has_structure and len(text) <= 60 and text[-1] not in "。！？.!?：:"

    def _heading(self, number: int, level: int, title: str) -> None:
        self._end_turn()
        title = " ".join(s.text for s in to_spans(title)) or "#"
        if not self.saw_content and not self.title:
            self.title, self.title_line = title, number
            self.title_level = level
            return
        section = ""
        last = self.segments[-1] if self.segments else None
        if last and not last.turns and not last.credits and level > last.level:
            # a heading with nothing under it but deeper headings: it names a section
            self.segments.pop()
            section = f"{last.section} / {last.title}" if last.section else last.title  # (nothing lost: 3 levels deep)
        elif last and level >= last.level:
            section = last.section if level > 1 or last.section else ""
        self.segments.append(_Segment(title, number, level, section))

    def _credits(self, number: int, text: str) -> bool:
        credits = column_credits(text)
        if credits is None:
            return False
        self._end_turn()
        self._segment(number).credits.extend(Credit(r, tuple(n)) for r, n in credits)
        return True

    def _segment(self, number: int) -> _Segment:
        if not self.segments:
            self.segments.append(_Segment("", number, 1))
        return self.segments[-1]

    def _start_turn(self, number: int, raw: str, text: str) -> None:
        self._end_turn()
        self.saw_label = True
        key = self._speaker_key(number, raw)
        pending = self._take_pending()  # furniture above the label opens the turn's block
        self.turn = _Turn(key, pending[0][0] if pending else number, pending, number)
        if text.strip().lstrip(":：").strip():
            self.turn.paragraphs.append([number, text.strip().lstrip(":：").strip()])  # `主持人::不是…`

    def _speaker_key(self, number: int, raw: str) -> str:
        credited = self.page.credited_speaker(raw)
        if credited is not None and credited.name != raw:
            # a bare 主持人: when the header named the host: that person
            self.warn(number, f"label {raw!r} read as {credited.name}, the host named in the header")
            raw = credited.name
        if raw in self.label_key:
            return self.label_key[raw]
        if raw in self.model.same:  # `Wang Wenbin:` translating `汪文斌:`: the same speaker
            key = self._speaker_key(number, self.model.same[raw])
            self.label_key[raw] = key
            return key
        parsed = credited or L.parse_label(raw)
        if raw in self.model.names:  # 柯 → 柯文哲, the name the page gives (reported by the model)
            parsed = L.Label(raw, self.model.names[raw], parsed.role, parsed.title)
        if parsed.role == "guest" and parsed.name == raw and not parsed.title and credited is None \
                and not raw.startswith(L.AUDIENCE_WORDS + L.GUEST_WORDS + L.ANSWER_WORDS):
            parsed = L.Label(raw, raw, None)  # a bare name (和晶:): host or guest is decided with the others
        key = raw
        if parsed.role == "host" and parsed.name == raw:
            # a bare 主持人： is the host already speaking in this segment
            hosts = [t.speaker for t in self._segment(number).turns if self.labels[t.speaker].role == "host"]
            if hosts:
                self.warn(number, f"label {raw!r} read as {self.labels[hosts[-1]].name}, this segment's host")
                return hosts[-1]
        if (re.fullmatch(L.CAPS_LABEL, raw) and "," not in raw) or re.fullmatch(r"[A-Z][a-z]+", raw):
            # a surname-only label after a full one (GOLDSTEIN after JACOB GOLDSTEIN, HOST)
            matches = [k for k, lab in self.labels.items() if lab.name.upper().split()[-1:] == [raw.upper()]]
            if not matches:  # LULU after LULU MILLER: a first name, when only one name starts with it
                matches = [k for k, lab in self.labels.items()
                           if " " in lab.name and lab.name.upper().split()[:1] == [raw.upper()]]
            if len(matches) == 1:
                self.label_key[raw] = matches[0]
                self.warn(number, f"label {raw!r} read as {self.labels[matches[0]].name}")
                return matches[0]
        same = [k for k, lab in self.labels.items() if lab.name == raw and k != raw and lab.role != "narrator"]
        if len(same) == 1 and parsed.role in (None, "guest"):
            # `王教授：` after `嘉宾王教授：`: the same person, by the short form of the label
            self.label_key[raw] = same[0]
            self.warn(number, f"label {raw!r} read as {same[0]!r}, the same name")
            return same[0]
        if parsed.guessed:
            self.warn(number, parsed.guessed)
        self.labels[key] = parsed
        self.label_key[raw] = key
        self.first_line[key] = number
        return key

    def _text(self, number: int, text: str) -> None:
        if is_link_only(text):
            self.warn(number, f"link kept in the prompter only, not read: {text[:60]}")
            text = "[" + text.strip()[1:].split("](", 1)[0] + "]"  # a direction, shown but not spoken
        if self.model.quoted and self.turn is not None and self.blank_before and self.labels[self.turn.speaker].role != "narrator" \
                and self.turn.paragraphs and pagemodel.QUOTED_RE.match(self.turn.paragraphs[-1][1]):
            self._end_turn()  # after a quoted soundbite, the narration goes on (the model reported it)
            self._narration = True
        if self.turn is None and self.has_labels and all(s.kind == "direction" for s in to_spans(text)):
            self.pending.append([number, text])  # （掌声） before a label: shown with the turn that follows
            return
        if self.turn is None:
            self._segment(number)  # opens a segment if none is open yet
            narrator = "旁白" if re.search(r"[\u4e00-\u9fff]", text) else "Narrator"
            opener = self.model.opening_speaker.upper() if not self.saw_label else ""  # keyed as labels are written
            if opener and opener not in self.labels:
                self.labels[opener] = L.Label(opener, self.model.opening_speaker, "host")
                self.label_key[opener] = opener
                self.first_line[opener] = number
            if opener:
                narrator = opener
            elif self._narration:
                self._narration = False
            elif self.saw_label:
                self.warn(number, "text before any speaker label in this segment: read by the narrator")
            elif self.has_labels:
                self.warn(number, "text before the first speaker label: read by the narrator")
            if narrator not in self.labels:
                self.labels[narrator] = L.Label(narrator, narrator, "narrator")
                self.label_key[narrator] = narrator
                self.first_line[narrator] = number
            pending = self._take_pending()
            self.turn = _Turn(narrator, pending[0][0] if pending else number, pending)
            # the narrator turn joins the current segment at _end_turn
        paragraphs = self.turn.paragraphs
        if not paragraphs or len(paragraphs[-1]) > 2:  # nothing yet, or furniture: a new paragraph
            paragraphs.append([number, text])
        elif not self.blank_before:
            paragraphs[-1][1] = _join(paragraphs[-1][1], text)  # a soft line break
        elif page_break_split(paragraphs[-1][1], text):
            self.warn(number, "joined to the previous paragraph, which stopped mid-sentence (page break)")
            paragraphs[-1][1] = _join(paragraphs[-1][1], text)
        else:
            paragraphs.append([number, text])

    # -- web pages: furniture and header credits ------------------------------------------
    def _furniture(self, number: int, text: str, reason: str) -> None:
        """Shown greyed in the prompter, never read: with the current turn, or the next one."""
        if reason in ("image", "links"):
            self.warn(number, f"link kept in the prompter only, not read: {text[:60]}")
        (self.turn.paragraphs if self.turn is not None else self.pending).append([number, text, reason])

    def _take_pending(self) -> list:
        pending, self.pending = self.pending, []
        return pending

    def _web_credit(self, number: int, text: str) -> None:
        self._end_turn()
        role, names, whole = self.page.credit(text)
        self._segment(number).credits.append(Credit(role, tuple(names)))
        if whole:
            self._furniture(number, text, "guest list")
        self.warn(number, f"header line read as credits: {role} {'、'.join(names)}")

    def _end_turn(self) -> None:
        turn, self.turn = self.turn, None
        if turn is None:
            return
        if not any(len(p) == 2 for p in turn.paragraphs):
            if turn.paragraphs:
                self.pending[:0] = turn.paragraphs  # only furniture: it waits for the next turn
            self.warn(turn.label_line or turn.line, f"label {turn.speaker!r} has no text: no turn made")
            return
        self._segment(turn.line).turns.append(turn)

    # -- building the frozen model ---------------------------------------------------
    def _finish(self, lines: list[str]) -> Episode:
        self._end_turn()
        last = next((s.turns[-1] for s in reversed(self.segments) if s.turns), None)
        if last is not None:
            last.paragraphs += self._take_pending()  # furniture at the foot of the page
        else:
            self.notes += [p[1] for p in self._take_pending()]
        title = self.title or Path(self.source).stem
        if not self.saw_label:
            self.warn(1, "no speaker labels found: all text is read by a narrator")
        speakers = self._speakers()
        segments = []
        for seg in self.segments:
            turns = []
            for t in seg.turns:
                paragraphs = tuple(Paragraph((Span("furniture", p[1]),) if len(p) > 2 else to_spans(p[1]), p[0])
                                   for p in t.paragraphs)
                paragraphs = tuple(p for p in paragraphs if p.spans)
                if paragraphs:
                    turns.append(Turn(t.speaker, paragraphs, t.line, _language("".join(p.speech for p in paragraphs))))
            if not turns and not seg.credits:
                self.warn(seg.line, f"segment {seg.title or title!r} has no spoken text")
            segments.append(Segment(seg.title or title, seg.line, tuple(seg.credits), tuple(turns), seg.section, seg.level))
        all_text = "".join(t.speech for s in segments for t in s.turns)
        if not any(ch.isalnum() for ch in all_text):
            self.warn(1, "nothing to read aloud: no words in any turn, so the subtitles are empty")
        return Episode(
            title=title,
            source=self.source,
            language=_language(all_text) if all_text else _language(title),
            speakers=speakers,
            segments=tuple(segments),
            diagnostics=tuple(self.diagnostics),
            title_line=self.title_line,
            notes=tuple(self.notes),
            unit=self.unit,
        )

    def _speakers(self) -> tuple[Speaker, ...]:
        keys = list(dict.fromkeys(self.label_key.values()))
        has_host = any(self.labels[k].role == "host" for k in keys)
        out = []
        for i, key in enumerate(keys):
            lab = self.labels[key]
            role = lab.role
            if role is None:
                if not has_host and i == 0:
                    role = "host"
                    self.warn(self.first_line[key], f"no host marked: guessed {lab.name} (the first speaker) is the host")
                else:
                    role = "guest"
            out.append(Speaker(key, lab.name, cast(Role, role), lab.title, self.first_line[key]))
        return tuple(out)
