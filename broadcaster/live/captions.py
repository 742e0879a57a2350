"""Live captions from the script: the programme's subtitle cues, placed on the script's text.

The cues are the programme SRT's (render.tracks on the estimate timeline: the same segmentation
and norms). Each gets the character range of the programme's text it shows, so the follower's
position (a character) says which cue the voice has reached. A cue is shown once the voice
reaches its first character, never before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..subtitles.segment import Track
    from .script import LiveScript


@dataclass(frozen=True)
class LiveCue:
    index: int
    c0: int  # first character in the programme's text
    c1: int
    text: str
    speaker: str
    name: str
    role: str


def place(script: LiveScript, track: Track) -> list[LiveCue]:
    """The track's cues with their character ranges (cues of a turn are consecutive slices of it)."""
    base = {(t.segment, t.index): a for t, (a, _b) in zip(script.turns, script.turn_chars, strict=True)}
    said = {(t.segment, t.index): "".join(p.text for p in t.phrases) for t in script.turns}
    out: list[LiveCue] = []
    at: dict[tuple[int, int], int] = {}
    for i, cue in enumerate(track.cues):
        key = (cue.segment, cue.turn)
        if key not in base:
            continue
        text = said[key]
        start = at.get(key, 0)
        src = cue.source.strip()
        found = text.find(src[:4], start) if src else -1
        c0 = found if found >= 0 else start
        c1 = min(len(text), c0 + len(src)) if src else c0
        at[key] = c1
        name, role = track.speaker(cue.speaker)
        out.append(LiveCue(i, base[key] + c0, base[key] + max(c1, c0 + 1), cue.text, cue.speaker, name, role))
    return out


def current(cues: list[LiveCue], char: float) -> LiveCue | None:
    """The last cue whose first character the voice has reached."""
    best = None
    for cue in cues:
        if cue.c0 <= char:
            best = cue
        else:
            break
    return best
