"""Audio-timed timeline: the same phrases, timed by the clips the engine made.

A turn is one clip; its phrases are located by the engine's word events
(text offsets → audio positions). Turns and segments are laid out with the
same pauses as the text timeline, so the programme audio and the timeline
agree to the millisecond.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from ..speech.clip import Clip, samples_per_frame
from ..spoken import spoken_form
from .timeline import SEGMENT_GAP_MS, TURN_PAUSE_MS, TimedSegment, TimedTurn, Timeline


def turn_script(turn: TimedTurn) -> tuple[str, list[int]]:
    """The text an engine reads for a turn, and where each phrase starts in it."""
    parts, starts, pos = [], [], 0
    previous_paragraph = None
    for ph in turn.phrases:
        if previous_paragraph is not None and ph.paragraph != previous_paragraph:
            parts.append("\n")
            pos += 1
        text = spoken_form(ph.text, turn.language)
        starts.append(pos)
        parts.append(text)
        pos += len(text)
        previous_paragraph = ph.paragraph
    return "".join(parts), starts


def _phrase_times(clip: Clip, starts: list[int]) -> list[int]:
    words = sorted((b.text_offset, b.offset_ms) for b in clip.boundaries if b.kind == "word")
    offsets = [w[0] for w in words]
    times: list[int] = []
    for s in starts:
        i = bisect_left(offsets, s)
        t = words[i][1] if i < len(words) else clip.duration_ms
        times.append(max(times[-1] if times else 0, min(t, clip.duration_ms)))
    if times:
        times[0] = 0
    return times


def layout(timeline: Timeline, clips: dict[tuple[int, int], Clip], engine: str) -> Timeline:
    """Place every clip; phrases get the audio's times.

    The pause after a turn is stretched (by under one mp3 frame, 26 ms) so each turn's
    clip and pause fill whole frames of the rehearsal preview from the segment's start:
    the preview is joined from one encoded piece per turn (audio/mp3join.py), and a turn
    then keeps its piece however the turns before it change.
    """
    rate = next(iter(clips.values())).sample_rate if clips else 22050
    frame = samples_per_frame(rate)
    pause = TURN_PAUSE_MS * rate // 1000
    segments = []
    t = 0
    for seg in timeline.segments:
        seg_start = t
        turns: list[TimedTurn] = []
        cursor = 0  # samples from the segment's start to the next turn's
        for turn in seg.turns:
            t = seg_start + round(cursor * 1000 / rate)
            clip = clips.get((turn.segment, turn.index))
            if clip is None or not turn.phrases:
                turns.append(replace(turn, start_ms=t, end_ms=t, phrases=tuple(
                    replace(p, start_ms=t, end_ms=t, pause_ms=0) for p in turn.phrases)))
                cursor += -(-pause // frame) * frame
                continue
            _, starts = turn_script(turn)
            times = _phrase_times(clip, starts) + [clip.duration_ms]
            phrases = tuple(
                replace(ph, start_ms=t + times[i], end_ms=t + times[i + 1], pause_ms=0)
                for i, ph in enumerate(turn.phrases)
            )
            turns.append(replace(turn, start_ms=t, end_ms=t + clip.duration_ms, phrases=phrases))
            cursor += -(-(len(clip.pcm) // 2 + pause) // frame) * frame
            t = t + clip.duration_ms
        segments.append(TimedSegment(seg.index, seg.title, seg_start, t, tuple(turns)))
        t += SEGMENT_GAP_MS
    return Timeline(tuple(segments), f"audio:{engine}", timeline.rates)
