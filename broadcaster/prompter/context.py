"""The view of an episode that every prompter template reads (text, HTML, rundown).

Read times come from the timeline; titles, credits and directions are shown
but never timed. Speaker cues give name and title on first appearance, the
name alone after that.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Episode
from ..timing import Timeline


def clock(ms: int) -> str:
    """m:ss (or h:mm:ss) for rundowns; rounded to the second."""
    s = max(0, round(ms / 1000))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@dataclass(frozen=True)
class TurnView:
    speaker: str  # key
    name: str
    role: str
    cue: str  # what the prompter shows at the turn: "李大星（枣庄经济开发区管委会副主任）" first, then "李大星"
    color: int  # index into the template's speaker palette
    paragraphs: tuple  # of tuples of (kind, text)
    line: int
    read_ms: int
    start_ms: int  # from the segment's start
    absent: bool = False  # timed to a real recording that lacks it (cut, or out of order): no read time


@dataclass(frozen=True)
class SegmentView:
    number: int
    title: str
    section: str
    credits: tuple  # of "记者 白雪松 李薇"
    turns: tuple
    read_ms: int
    start_ms: int  # programme-relative
    cumulative_ms: int  # programme time at its end


def build_context(episode: Episode, timeline: Timeline, hard_out_ms: int | None = None) -> dict:
    seen: set[str] = set()
    palette = {s.key: i for i, s in enumerate(episode.speakers)}
    segments = []
    for seg, tseg in zip(episode.segments, timeline.segments, strict=True):
        turns = []
        for turn, tturn in zip(seg.turns, tseg.turns, strict=True):
            sp = episode.speaker(turn.speaker)
            cue = sp.name
            if turn.speaker not in seen and sp.title and sp.title != sp.name:
                cue = f"{sp.name}（{sp.title}）" if episode.language == "zh" else f"{sp.name} ({sp.title})"
            seen.add(turn.speaker)
            paragraphs = tuple(tuple((span.kind, span.text) for span in p.spans) for p in turn.paragraphs)
            turns.append(TurnView(turn.speaker, sp.name, sp.role, cue, palette[turn.speaker], paragraphs,
                                  turn.line, tturn.end_ms - tturn.start_ms, tturn.start_ms - tseg.start_ms,
                                  tturn.absent))
        segments.append(SegmentView(
            tseg.index + 1, seg.title, seg.section,
            tuple(f"{c.role} {' '.join(c.names)}" for c in seg.credits),
            tuple(turns), tseg.duration_ms, tseg.start_ms, tseg.end_ms,
        ))
    per_speaker: dict[str, int] = {}
    for tturn in timeline.turns():
        per_speaker[tturn.speaker] = per_speaker.get(tturn.speaker, 0) + tturn.end_ms - tturn.start_ms
    return {
        "episode": episode,
        "title": episode.title,
        "language": "zh-CN" if episode.language == "zh" else episode.language,
        "segments": segments,
        "speakers": [(episode.speaker(k), ms) for k, ms in per_speaker.items()],
        "total_ms": timeline.total_ms,
        "read_ms": sum(s.read_ms for s in segments),
        "timing_source": timeline.source,
        "hard_out_ms": hard_out_ms,
        "clock": clock,
    }
