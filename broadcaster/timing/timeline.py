"""The timeline: when each phrase of each turn is spoken, in integer milliseconds.

Built once from the episode by one timing source (estimate.py: character rate;
synthesized.py: the rehearsal audio) and read by every renderer. A phrase is a clause: the source text up to and
including its punctuation. Times are programme-relative; a segment airing on
its own subtracts its `start_ms`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# Pauses after punctuation and between units (ms). Why these: broadcast reading
# leaves a short breath at commas and a full stop's length at sentence ends.
PAUSE_AFTER = {
    "，": 180, "、": 120, ",": 180, "；": 300, ";": 300, "：": 250, ":": 250,
    "。": 400, "！": 400, "？": 400, ".": 350, "!": 350, "?": 350, "…": 400,
    "—": 200,
}
PARAGRAPH_PAUSE_MS = 500
TURN_PAUSE_MS = 700
SEGMENT_GAP_MS = 2000


@dataclass(frozen=True)
class Phrase:
    """A clause of a turn and when it is spoken (speech only; the pause follows)."""

    text: str  # exact slice of the paragraph's speech, trailing punctuation included
    paragraph: int  # index of the paragraph within the turn
    syllables: int
    start_ms: int
    end_ms: int
    pause_ms: int = 0  # silence after it, before the next phrase
    # (character offset in text, ms) where words start inside the phrase, when the timing source
    # knows them (the recording); subtitles cut a long phrase there instead of by syllable count
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class TimedTurn:
    segment: int
    index: int  # index of the turn within its segment
    speaker: str
    language: str
    line: int
    start_ms: int
    end_ms: int
    phrases: tuple[Phrase, ...]
    # in the script but not in the recording (cut in the edit): kept for the prompter and
    # rundown, given no subtitle cues (timing/recording sets it; every other source leaves it False)
    absent: bool = False


@dataclass(frozen=True)
class TimedSegment:
    index: int
    title: str
    start_ms: int
    end_ms: int
    turns: tuple[TimedTurn, ...]

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class Timeline:
    segments: tuple[TimedSegment, ...]
    source: str = "estimate"  # or "audio:<engine>", or "recording" (aligned to the real audio)
    rates: dict = field(default_factory=dict, compare=False)

    @property
    def total_ms(self) -> int:
        return self.segments[-1].end_ms if self.segments else 0

    def turns(self) -> Iterator[TimedTurn]:
        for seg in self.segments:
            yield from seg.turns


def split_phrases(text: str) -> list[str]:
    """Split a paragraph's speech into clauses, each keeping its punctuation.

    Joining the result gives back `text` exactly.
    """
    out: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in PAUSE_AFTER and not _inside_number(text, i) and not _abbreviation(text, i):
            j = i + 1
            # keep runs of closing marks and repeated punctuation with the clause
            while j < n and (text[j] in PAUSE_AFTER or text[j] in _CLOSERS or text[j] == " "):
                j += 1
            out.append(text[start:j])
            start = i = j
            continue
        i += 1
    if start < n:
        out.append(text[start:])
    return out


_CLOSERS = set("”’」』）)】》\"'")


_ABBREVIATIONS = {"no", "mr", "mrs", "ms", "dr", "st", "vs", "jr", "sr", "prof", "inc", "co", "etc", "e.g", "i.e", "u.s"}


def _abbreviation(text: str, i: int) -> bool:
    """`No. 1`, `Mr. Smith`, `U.S.`: a full stop that does not end a clause."""
    if text[i] != "." or i + 1 < len(text) and text[i + 1] == ".":
        return False
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:i].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and text[j:i].isupper())


def _inside_number(text: str, i: int) -> bool:
    """`16.5`, `1,000`, `10:30` are one token, not a clause end."""
    ch = text[i]
    if ch not in ".,:":
        return False
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def pause_after(phrase: str) -> int:
    stripped = phrase.rstrip(" " + "".join(_CLOSERS))
    return PAUSE_AFTER.get(stripped[-1], 0) if stripped else 0
