"""The estimate: every phrase timed by character rate (spoken syllables per second)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import spoken
from ..model import Episode, Turn
from .timeline import (PARAGRAPH_PAUSE_MS, SEGMENT_GAP_MS, TURN_PAUSE_MS, Phrase, TimedSegment, TimedTurn,
                       Timeline, pause_after, split_phrases)

DEFAULT_RATES = {"host": 4.5, "guest": 4.0, "narrator": 4.5}


@dataclass(frozen=True)
class Rates:
    """Speaking rates in spoken syllables per second: per role, per speaker."""

    by_role: dict = field(default_factory=lambda: dict(DEFAULT_RATES))
    by_speaker: dict = field(default_factory=dict)

    def for_speaker(self, key: str, role: str) -> float:
        return float(self.by_speaker.get(key, self.by_role.get(role, DEFAULT_RATES["guest"])))


def _time_turn(turn: Turn, seg_index: int, turn_index: int, start: int, rate: float) -> TimedTurn:
    phrases: list[Phrase] = []
    t = start
    for p_index, para in enumerate(turn.paragraphs):
        speech = para.speech
        if not speech:
            continue
        if phrases:  # a new paragraph of the same turn: a longer breath
            last = phrases[-1]
            phrases[-1] = replace(last, pause_ms=max(last.pause_ms, PARAGRAPH_PAUSE_MS))
            t = last.end_ms + phrases[-1].pause_ms
        for text in split_phrases(speech):
            syl = spoken.count_syllables(text, turn.language)
            dur = round(1000 * syl / rate) if syl else 0
            pause = pause_after(text)
            phrases.append(Phrase(text, p_index, syl, t, t + dur, pause))
            t += dur + pause
    if phrases:
        last = phrases[-1]
        phrases[-1] = replace(last, pause_ms=0)
        end = last.end_ms
    else:
        end = start
    return TimedTurn(seg_index, turn_index, turn.speaker, turn.language, turn.line, start, end, tuple(phrases))


def estimate(episode: Episode, rates: Rates | None = None) -> Timeline:
    """Time every phrase by character rate (the text-only timeline)."""
    rates = rates or Rates()
    segments: list[TimedSegment] = []
    t = 0
    for s_index, seg in enumerate(episode.segments):
        seg_start = t
        turns: list[TimedTurn] = []
        for t_index, turn in enumerate(seg.turns):
            if turns:
                t = turns[-1].end_ms + TURN_PAUSE_MS
            role = episode.speaker(turn.speaker).role
            timed = _time_turn(turn, s_index, t_index, t, rates.for_speaker(turn.speaker, role))
            turns.append(timed)
            t = timed.end_ms
        segments.append(TimedSegment(s_index, seg.title, seg_start, t, tuple(turns)))
        t += SEGMENT_GAP_MS
    return Timeline(tuple(segments), "estimate", {"by_role": dict(rates.by_role), "by_speaker": dict(rates.by_speaker)})
