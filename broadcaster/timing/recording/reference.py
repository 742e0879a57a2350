"""The reference: the script read by the offline espeak-ng voice, one clip per phrase.

Each phrase (a clause of the timeline; cues are made of phrases) is
synthesized on its own and trimmed to its speech, so its start and end in the
reference are exact. Phrases are joined with their punctuation's pause, turns
with TURN_GAP_S of silence: ALIGNMENT.md measured long gaps between turns as
the largest single gain (a real pause needs a pause to match).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...spoken import spoken_form
from ..timeline import PARAGRAPH_PAUSE_MS, TimedTurn, pause_after
from .media import RATE

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from ...speech.clip import Clip

TURN_GAP_S = 1.5
EDGE_S = 1.5  # silence before the first and after the last turn
MIN_PHRASE_PAUSE_MS = 150


@dataclass
class Reference:
    samples: Any  # float32 mono
    rate: int
    phrases: dict = field(default_factory=dict)  # (segment, turn, phrase) -> (start s, end s)
    turns: dict = field(default_factory=dict)  # (segment, turn) -> (start s, end s)
    marks: dict = field(default_factory=dict)  # (segment, turn, phrase) -> [(character offset, s)] of its words
    gaps: list = field(default_factory=list)  # (start s, end s) of the silences between turns

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate


def _trim(pcm: np.ndarray, rate: int) -> tuple[int, int]:
    """(first, last) sample of the clip's speech: 5 ms frames above 2% of its loudest frame."""
    import numpy as np

    hop = max(1, rate // 200)
    n = len(pcm) // hop
    if n == 0:
        return 0, 0
    rms = np.sqrt((pcm[:n * hop].reshape(n, hop).astype(np.float64) ** 2).mean(axis=1))
    if rms.max() <= 0:
        return 0, 0
    on = np.nonzero(rms > 0.02 * rms.max())[0]
    if len(on) == 0:
        return 0, 0
    return int(on[0] * hop), int(min(len(pcm), (on[-1] + 1) * hop))


def _written(offset: int, same: bool, lead: int, n: int, m: int) -> int:
    return offset + lead if same else min(n, round(offset * n / m))


def build(turns: list[TimedTurn], voices: dict, progress: Callable[[float], None] | None = None) -> Reference:
    """voices: speaker key → (espeak voice, rate, pitch)."""
    import numpy as np

    from ...speech import espeak

    jobs, keys, to_text = [], [], {}
    for turn in turns:
        for k, ph in enumerate(turn.phrases):
            said = spoken_form(ph.text, turn.language)
            text = said.strip()
            if any(ch.isalnum() for ch in text):
                v = voices[turn.speaker]
                jobs.append((text, v[0], int(v[1]), int(v[2])))
                keys.append((turn.segment, turn.index, k))
                lead = len(said) - len(said.lstrip())
                # an offset in what espeak read → an offset in the phrase as written (numbers are read longer)
                to_text[keys[-1]] = (said == ph.text, lead, len(ph.text), max(1, len(text)))
    clips: dict = {}

    def done(i: int, clip: Clip) -> None:
        clips[keys[i]] = clip
        if progress:
            progress(len(clips) / max(1, len(jobs)))

    espeak.synthesize_many(jobs, on_done=done)
    rate = next(iter(clips.values())).sample_rate if clips else 22050
    parts = []
    pos = 0

    def silence(seconds: float) -> None:
        nonlocal pos
        n = int(round(seconds * rate))
        parts.append(np.zeros(n, dtype=np.float32))
        pos += n

    ref = Reference(None, rate)
    silence(EDGE_S)
    for t_i, turn in enumerate(turns):
        if t_i:
            gap_start = pos / rate
            silence(TURN_GAP_S)
            ref.gaps.append((gap_start, pos / rate))
        t_start = pos / rate
        prev_para = None
        for k, ph in enumerate(turn.phrases):
            if k:
                pause = pause_after(turn.phrases[k - 1].text)
                if ph.paragraph != prev_para:
                    pause = max(pause, PARAGRAPH_PAUSE_MS)
                silence(max(pause, MIN_PHRASE_PAUSE_MS) / 1000)
            prev_para = ph.paragraph
            clip = clips.pop((turn.segment, turn.index, k), None)  # freed as it is joined
            start = pos / rate
            if clip is not None:
                pcm = np.frombuffer(clip.pcm, dtype="<i2")
                a, b = _trim(pcm, rate)
                parts.append(pcm[a:b].astype(np.float32) / 32768.0)
                key = (turn.segment, turn.index, k)
                ref.marks[key] = sorted({(_written(w.text_offset, *to_text[key]), start + max(0.0, w.offset_ms / 1000 - a / rate))
                                         for w in clip.boundaries if w.kind == "word" and w.text_offset > 0})
                pos += b - a
            ref.phrases[(turn.segment, turn.index, k)] = (start, pos / rate)
        ref.turns[(turn.segment, turn.index)] = (t_start, pos / rate)
    silence(EDGE_S)
    samples = np.empty(sum(len(p) for p in parts), dtype=np.float32)  # joined piece by piece: never twice
    at = 0
    parts.reverse()
    while parts:
        piece = parts.pop()
        samples[at:at + len(piece)] = piece
        at += len(piece)
    if rate != RATE:  # the recording's rate, so both have exact 10 ms frames
        from math import gcd

        from scipy.signal import resample_poly

        g = gcd(RATE, rate)
        samples = resample_poly(samples, RATE // g, rate // g).astype(np.float32)
    ref.samples, ref.rate = samples, RATE
    return ref
