"""The episode model: what a transcript says, parsed once, frozen.

Every renderer reads this (through the timeline); nothing re-parses text.
Plain data only, like cdown/srt: frozen dataclasses, source line numbers on
every element, and a JSON form that round-trips exactly.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from .errors import InputError

Role = Literal["host", "guest", "narrator"]
SpanKind = Literal["speech", "direction", "furniture"]  # furniture: web page text, shown, never read
ROLES: tuple[str, ...] = ("host", "guest", "narrator")


@dataclass(frozen=True)
class Diagnostic:
    """A guess or problem found while reading, reported as `file:line: message`."""

    path: str
    line: int
    message: str
    level: Literal["warning", "error"] = "warning"
    unit: Literal["line", "paragraph"] = "line"  # a Word document's places are paragraphs: FILE.docx:¶12

    def __str__(self) -> str:
        return f"{self.path}:{self.where}: {self.level}: {self.message}"

    @property
    def where(self) -> str:
        return f"¶{self.line}" if self.unit == "paragraph" else str(self.line)


@dataclass(frozen=True)
class Speaker:
    """One person. `key` is the label as written first (e.g. 主持人李薇)."""

    key: str
    name: str
    role: Role
    title: str = ""
    line: int = 0


@dataclass(frozen=True)
class Span:
    """Part of a paragraph: spoken words, or a stage direction never read aloud."""

    kind: SpanKind
    text: str


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    line: int

    @property
    def speech(self) -> str:
        """The spoken text: speech spans joined, directions left out."""
        return _join_speech(s.text for s in self.spans if s.kind == "speech")

    @property
    def directions(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.spans if s.kind == "direction")


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted contribution (one shot)."""

    speaker: str  # Speaker.key
    paragraphs: tuple[Paragraph, ...]
    line: int
    language: str = "zh"

    @property
    def speech(self) -> str:
        return "\n".join(p.speech for p in self.paragraphs if p.speech)


@dataclass(frozen=True)
class Credit:
    """`记者 白雪松 李薇` → role 记者, names (白雪松, 李薇)."""

    role: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    title: str
    line: int
    credits: tuple[Credit, ...] = ()
    turns: tuple[Turn, ...] = ()
    section: str = ""  # an enclosing heading with no text of its own (e.g. 详细新闻)
    level: int = 1


@dataclass(frozen=True)
class Episode:
    title: str
    source: str
    language: str
    speakers: tuple[Speaker, ...]
    segments: tuple[Segment, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    title_line: int = 0
    notes: tuple[str, ...] = field(default=())  # text kept but not spoken (rules, links)
    unit: str = "line"  # what line numbers count: "line" (text) or "paragraph" (a Word document's ¶)

    def where(self, number: int) -> str:
        """A place in the source as a person reads it: `line 12`, or `¶12` in a Word document."""
        return f"¶{number}" if self.unit == "paragraph" else f"line {number}"

    def speaker(self, key: str) -> Speaker:
        for s in self.speakers:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def speech(self) -> str:
        """All spoken text in order, one turn per line (the conservation oracle)."""
        return "\n".join(t.speech for seg in self.segments for t in seg.turns if t.speech)

    def to_dict(self) -> dict:
        return {"format": "broadcaster.episode/1", **asdict(self)}

    @staticmethod
    def from_dict(data: dict) -> Episode:
        if data.get("format") != "broadcaster.episode/1":
            raise InputError("not a broadcaster episode JSON (missing format tag)", line=1)
        try:
            episode = Episode(
                title=data["title"],
                source=data["source"],
                language=data["language"],
                title_line=data.get("title_line", 0),
                notes=tuple(data.get("notes", ())),
                unit=data.get("unit", "line"),
                speakers=tuple(Speaker(**s) for s in data["speakers"]),
                diagnostics=tuple(Diagnostic(**d) for d in data.get("diagnostics", ())),
                segments=tuple(
                    Segment(
                        title=s["title"],
                        line=s["line"],
                        section=s.get("section", ""),
                        level=s.get("level", 1),
                        credits=tuple(Credit(c["role"], tuple(c["names"])) for c in s["credits"]),
                        turns=tuple(
                            Turn(
                                speaker=t["speaker"],
                                line=t["line"],
                                language=t.get("language", "zh"),
                                paragraphs=tuple(
                                    Paragraph(
                                        line=p["line"],
                                        spans=tuple(Span(sp["kind"], sp["text"]) for sp in p["spans"]),
                                    )
                                    for p in t["paragraphs"]
                                ),
                            )
                            for t in s["turns"]
                        ),
                    )
                    for s in data["segments"]
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"episode JSON is missing or has a bad field: {exc}", line=1) from None
        problem = _invalid(episode)
        if problem:
            raise InputError(f"episode JSON does not hold together: {problem}", line=1)
        return episode


def _invalid(ep: Episode) -> str:
    """Why a loaded episode cannot be rendered ('' if it can): renderers trust the model."""
    if ep.unit not in ("line", "paragraph"):
        return f"unit {ep.unit!r} is not line or paragraph"
    texts = [ep.title, ep.source, ep.language, *ep.notes]
    keys = set()
    for s in ep.speakers:
        texts += [s.key, s.name, s.title]
        keys.add(s.key)
        if s.role not in ROLES:
            return f"speaker {s.key!r} has role {s.role!r} (not one of {', '.join(ROLES)})"
    lines = [ep.title_line, *(s.line for s in ep.speakers)]
    for seg in ep.segments:
        texts += [seg.title, seg.section, *(c.role for c in seg.credits), *(n for c in seg.credits for n in c.names)]
        lines += [seg.line, seg.level]
        for turn in seg.turns:
            if turn.speaker not in keys:
                return f"a turn at line {turn.line} is by {turn.speaker!r}, who is not among the speakers"
            texts.append(turn.language)
            lines.append(turn.line)
            for p in turn.paragraphs:
                lines.append(p.line)
                for span in p.spans:
                    if span.kind not in ("speech", "direction", "furniture"):
                        return f"a span at line {p.line} is of kind {span.kind!r} (not speech, direction or furniture)"
                    texts.append(span.text)
    if not all(isinstance(t, str) for t in texts):
        return "a title, name or text is not a string"
    if any(ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029" for t in texts for ch in t):
        return "a title, name or text holds a line break or control character (a parsed transcript never does)"
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in lines):
        return "a line number or level is not a whole number"
    return ""


def _join_speech(parts: Iterable[str]) -> str:
    """Join speech spans around a removed direction without doubling spaces."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and (out[-1].isascii() and out[-1].isalnum() or out[-1] in ",.;:!?\"')") and part[0].isascii():
            out += " "
        out += part
    return out
