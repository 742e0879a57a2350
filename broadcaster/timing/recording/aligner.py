"""Align the script to one or more recordings: decode, reference, features, DTW, times.

One recording for the whole programme, or one per segment in order. The
result is a Part per recording: where each phrase of its turns is spoken
(recording seconds), plus what the checks need (energy, path, costs).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..timeline import TimedTurn
from . import features as feat

HOP = feat.HOP_S
TURN_SKIP = 0.3  # per reference cell of a turn left out (cut from the recording)
PAUSE_CAP = 0.75  # the most a recording cell laid over a reference pause costs (unscripted speech)
SKIP = 0.6  # per cell (any level) of recording left out before the programme or after it


@dataclass
class Part:
    media: str
    turns: list  # TimedTurn of this part, script order
    duration_s: float
    phrases: dict = field(default_factory=dict)  # (s, t, k) -> (start s, end s) in the recording
    ref_phrases: dict = field(default_factory=dict)  # (s, t, k) -> (start s, end s) in the reference
    ref_turns: dict = field(default_factory=dict)
    marks: dict = field(default_factory=dict)  # (s, t, k) -> [(character offset, recording s)]
    first: Any = None  # reference frame -> first recording frame (10 ms)
    last: Any = None
    cost: Any = None  # local distance per reference frame
    rec_energy: Any = None  # scaled 0..1 per recording frame
    ref_energy: Any = None
    ref_pause: Any = None  # reference frames inside a pause between phrases or turns (not a dip in a word)
    ref_feats: Any = None
    rec_feats: Any = None
    null_cost: float = 1.0  # mean distance of reference speech to random recording frames


def _frames(seconds: float) -> int:
    return int(round(seconds / HOP))


def align_part(media: str, turns: list[TimedTurn], voices: dict, channel: int | None = None,
               progress=None) -> Part:
    """progress(stage, fraction) as the work goes."""
    import numpy as np

    from . import dtw, media as mediamod, reference

    def say(stage):
        return (lambda x: progress(stage, x)) if progress else None

    samples = mediamod.decode(media, channel, on_progress=(
        (lambda done, total: progress("decoding", done / total if total else 0.0)) if progress else None))
    part = Part(media, turns, len(samples) / mediamod.RATE)
    ref = reference.build(turns, voices, say("synthesizing the reference"))
    if progress:
        progress("features", 0.0)
    rec_e, rec_c = feat.raw(samples, mediamod.RATE)
    del samples
    ref_e, ref_c = feat.raw(ref.samples, ref.rate)
    rec_level, rec_floor = feat.speech_level(rec_e), feat.noise_floor(rec_e)
    ref_level = float(np.percentile(ref_e[ref_e > -90], 90)) if (ref_e > -90).any() else 0.0
    rec_level = _speech_level(rec_e, rec_floor)
    span = max(rec_level - rec_floor, 10.0)
    rec = feat.finish(rec_e, rec_c, rec_level, rec_floor)
    ref_f = feat.finish(ref_e, ref_c, ref_level, ref_level - span)
    # the reference opens and closes with silence; a recording that starts on the first word has
    # none, so it is padded with silent frames (features of silence are zeros) as long as those edges
    pad = _frames(reference.EDGE_S)
    padded = np.vstack([np.zeros((pad, rec.shape[1]), rec.dtype), rec, np.zeros((pad, rec.shape[1]), rec.dtype)])
    # one global speaking-rate match (ALIGNMENT.md): the reference stretched in time to the recording's
    # pace when the two differ by more than the warping handles well
    ratio = _rate_ratio(rec[:, 0], ref_f[:, 0])
    if RATE_MATCH[0] <= ratio <= RATE_MATCH[1]:
        ratio = 1.0
    n_ref = len(ref_f)
    n_scaled = max(1, int(round(n_ref * ratio)))
    take = np.minimum((np.arange(n_scaled) / ratio).astype(np.int64), n_ref - 1)
    scaled = ref_f[take] if ratio != 1.0 else ref_f
    spans = [(int(round(_frames(a) * ratio)), int(round(_frames(b) * ratio))) for a, b in ref.turns.values()]
    first, last, cost = dtw.align(scaled, padded, say("aligning"), skip=SKIP, turns=spans, turn_skip=TURN_SKIP,
                                  pause_cap=PAUSE_CAP, pauses=_pauses(scaled[:, 0] / feat.ENERGY_WEIGHT))
    del padded
    if ratio != 1.0:  # back to the reference's own frames
        at = np.minimum(np.round(np.arange(n_ref) * ratio).astype(np.int64), n_scaled - 1)
        end = np.minimum(np.maximum(np.round(np.arange(1, n_ref + 1) * ratio).astype(np.int64) - 1, at), n_scaled - 1)
        first, last, cost = first[at], last[end], cost[at]
    first = np.clip(first - pad, 0, len(rec) - 1)
    last = np.clip(last - pad, 0, len(rec) - 1)
    part.first, part.last, part.cost = first, last, cost
    part.rec_energy = rec[:, 0] / feat.ENERGY_WEIGHT
    part.ref_energy = ref_f[:, 0] / feat.ENERGY_WEIGHT
    part.ref_pause = _pauses(part.ref_energy)
    part.ref_feats, part.rec_feats = ref_f, rec
    n = len(ref_f)
    for key, (a, b) in ref.phrases.items():
        fa = min(_frames(a), n - 1)
        fb = min(max(_frames(b), fa + 1), n)
        start = first[fa] * HOP
        end = (last[fb - 1] + 1) * HOP if fb > fa else start
        part.phrases[key] = (start, max(start, end))
        part.ref_phrases[key] = (a, b)
    for key, marks in ref.marks.items():
        part.marks[key] = [(off, first[min(_frames(t), n - 1)] * HOP) for off, t in marks]
    part.ref_turns = dict(ref.turns)
    speech = part.ref_energy > 0.5
    rng = np.random.default_rng(0)
    rows = np.nonzero(speech)[0]
    if len(rows):
        pick = rng.choice(rows, size=min(4000, len(rows)))
        cols = rng.integers(0, len(rec), size=len(pick))
        part.null_cost = float(np.sqrt(((ref_f[pick] - rec[cols]) ** 2).sum(axis=1)).mean())
    return part


def _speech_level(energy, floor: float) -> float:
    """The level of speech: the 90th percentile of frames well above the floor."""
    import numpy as np

    loud = energy[energy > floor + 6]
    return float(np.percentile(loud, 90)) if len(loud) > 100 else float(np.percentile(energy, 95))


RATE_MATCH = (0.85, 1.18)  # within this the reference is left as it is


def _rate_ratio(rec_energy, ref_energy) -> float:
    """Recording speech time over reference speech time (frames of clear speech energy), 0.5-2."""
    import numpy as np

    rec = float((rec_energy / feat.ENERGY_WEIGHT > 0.4).sum())
    ref = float((ref_energy / feat.ENERGY_WEIGHT > 0.4).sum())
    return float(np.clip(rec / ref, 0.5, 2.0)) if ref > 0 and rec > 0 else 1.0


def _pauses(energy, min_s: float = 0.12):
    """Frames in a run of silence at least min_s long: the reference's real pauses, not a stop consonant."""
    import numpy as np

    quiet = energy < 0.1
    out = np.zeros_like(quiet)
    idx = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    for a, b in zip(idx[::2], idx[1::2], strict=True):
        if b - a >= _frames(min_s):
            out[a:b] = True
    return out
