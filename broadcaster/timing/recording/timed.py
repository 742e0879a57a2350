"""The recording's Timeline: the estimate's phrases, timed where the recording speaks them.

A turn not found in the recording is kept (the prompter and rundown still show
it) but marked `absent` at the place it would have been, with no duration, so
the subtitles give it no cues and the cues around it stay on their speech.
"""
from __future__ import annotations

from dataclasses import replace

from ..timeline import Phrase, TimedSegment, TimedTurn, Timeline


def _turn(turn: TimedTurn, times: dict, marks: dict) -> TimedTurn:
    phrases: list[Phrase] = []
    for k, ph in enumerate(turn.phrases):
        a, b = times[(turn.segment, turn.index, k)]
        start = round(a * 1000)
        if phrases:
            start = max(start, phrases[-1].end_ms)
        end = max(start, round(b * 1000))
        inside = tuple((o, min(end, max(start, round(t * 1000)))) for o, t in marks.get((turn.segment, turn.index, k), ())
                       if 0 < o < len(ph.text))
        phrases.append(replace(ph, start_ms=start, end_ms=end, pause_ms=0, marks=inside))
    for k in range(len(phrases) - 1):
        phrases[k] = replace(phrases[k], pause_ms=phrases[k + 1].start_ms - phrases[k].end_ms)
    if not phrases:
        return turn
    return replace(turn, start_ms=phrases[0].start_ms, end_ms=phrases[-1].end_ms, phrases=tuple(phrases))


def _absent(turn: TimedTurn, at: int) -> TimedTurn:
    return replace(turn, start_ms=at, end_ms=at, absent=True, phrases=tuple(
        replace(p, start_ms=at, end_ms=at, pause_ms=0) for p in turn.phrases))


def build(timeline: Timeline, times: dict, absent: set, segment_starts: dict | None = None,
          marks: dict | None = None) -> Timeline:
    """times: (segment, turn, phrase) -> (start s, end s) in programme time; absent: {(segment, turn)};
    segment_starts: segment -> start ms (one recording per segment: where its file starts)."""
    segments = []
    marks = marks or {}
    t = 0
    for seg in timeline.segments:
        present = [_turn(turn, times, marks) for turn in seg.turns
                   if (seg.index, turn.index) not in absent and turn.phrases]
        turns: list[TimedTurn] = []
        for turn in seg.turns:
            if (seg.index, turn.index) in absent or not turn.phrases:
                nxt = next((p for p in present if p.index > turn.index), None)
                at = turns[-1].end_ms if turns else (nxt.start_ms if nxt else t)
                turns.append(_absent(turn, at) if turn.phrases else replace(turn, start_ms=at, end_ms=at))
            else:
                turns.append(next(p for p in present if p.index == turn.index))
        if segment_starts and seg.index in segment_starts:
            start = segment_starts[seg.index]
        else:
            start = present[0].start_ms if present else t
        end = max([start] + [tt.end_ms for tt in turns])
        segments.append(TimedSegment(seg.index, seg.title, start, end, tuple(turns)))
        t = end
    return Timeline(tuple(segments), "recording", timeline.rates)
