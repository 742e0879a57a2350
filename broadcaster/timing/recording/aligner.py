"""Align the script to one or more recordings: decode, reference, features, DTW, times.

One recording for the whole programme, or one per segment in order. The
result is a Part per recording: where each phrase of its turns is spoken
(recording seconds), plus what the checks need (energy, path, costs).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..timeline import TimedTurn
from . import features as feat

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

HOP = feat.HOP_S
# prices of the path, as shares of the recording's chance distance at each level (dtw.chance)
TURN_SKIP = 0.5  # per reference frame of a turn left out (cut from the recording)
PAUSE_CAP = 0.7  # the most a recording frame laid over a reference pause costs (unscripted speech)
PENALTY = 0.07  # every step that is not diagonal
LOCAL_LEVELS = True
SKIP = 0.5  # per frame of recording left out before the programme or after it


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
    rec_db: Any = None  # energy in dB per recording frame (float32)
    ref_energy: Any = None
    ref_pause: Any = None  # reference frames inside a pause between phrases or turns (not a dip in a word)
    ref_feats: Any = None
    rec_feats: Any = None
    null_cost: float = 1.0  # mean distance of reference speech to random recording frames


def _frames(seconds: float) -> int:
    return int(round(seconds / HOP))


def align_part(media: str, turns: list[TimedTurn], voices: dict, channel: int | None = None,
               progress: Callable[[str, float], None] | None = None) -> Part:
    """progress(stage, fraction) as the work goes."""
    import numpy as np

    from . import dtw, media as mediamod, reference

    def say(stage: str) -> Callable[[float], None] | None:
        return (lambda x: progress(stage, x)) if progress else None

    samples = mediamod.decode(media, channel, on_progress=(
        (lambda done, total: progress("decoding", done / total if total else 0.0)) if progress else None))
    part = Part(media, turns, len(samples) / mediamod.RATE)
    if progress:
        progress("features", 0.0)
    rec_e, rec_c = feat.raw(samples, mediamod.RATE)
    del samples  # before the reference is made: never both recordings' samples at once (30 min: 164 MB each)
    ref = reference.build(turns, voices, say("synthesizing the reference"))
    ref_e, ref_c = feat.raw(ref.samples, ref.rate)
    ref.samples = None
    rec_level, rec_floor = feat.speech_level(rec_e), feat.noise_floor(rec_e)
    ref_level = float(np.percentile(ref_e[ref_e > -90], 90)) if (ref_e > -90).any() else 0.0
    rec_level = _speech_level(rec_e, rec_floor)
    span = max(rec_level - rec_floor, 10.0)
    if LOCAL_LEVELS:
        rec = feat.finish(rec_e, rec_c, *feat.local_levels(rec_e))
    else:
        rec = feat.finish(rec_e, rec_c, rec_level, rec_floor)
    ref_f = feat.finish(ref_e, ref_c, ref_level, ref_level - span)
    # the reference opens and closes with silence; a recording that starts on the first word has
    # none, so it is padded with silent frames (features of silence are zeros) as long as those edges
    pad = _frames(reference.EDGE_S)
    padded = np.vstack([np.zeros((pad, rec.shape[1]), rec.dtype), rec, np.zeros((pad, rec.shape[1]), rec.dtype)])
    # each turn's pace: a quick 40 ms pass gives every turn's length in the recording; the reference of
    # each turn is then stretched to its speaker's pace (real speakers read at 2.5-7 syllables a second,
    # espeak at one rate; a tongue twister at 7/s against espeak's 4.5 made the path borrow the next turn)
    pauses = _pauses(ref_f[:, 0] / feat.ENERGY_WEIGHT)
    spans = [(_frames(a), _frames(b)) for a, b in ref.turns.values()]
    if PACE_PASS:
        f1, l1, _ = dtw.align(ref_f, padded, say("aligning (pace)"), skip=SKIP, pause_cap=PAUSE_CAP, pauses=pauses,
                              finest=4, penalty=PENALTY, relative=True)
        ratio = _turn_ratios(turns, spans, f1, l1, len(ref_f))
    else:
        ratio = np.ones(len(ref_f))
    pos = np.concatenate([[0.0], np.cumsum(ratio)])
    n_ref = len(ref_f)
    n_scaled = max(1, int(round(pos[-1])))
    take = np.clip(np.searchsorted(pos, np.arange(n_scaled) + 0.5, side="right") - 1, 0, n_ref - 1)
    scaled = ref_f[take]
    tspans = [(int(round(pos[a])), int(round(pos[b]))) for a, b in spans]
    s_pauses = _pauses(scaled[:, 0] / feat.ENERGY_WEIGHT)
    # a pause of the reference shrinks for free, except the first GAP_HOLD_S between two turns: that much
    # real pause is there between turns, so a turn cannot end on a breath inside the next one
    free = s_pauses.copy()
    for (_, b), (a, _) in zip(tspans, tspans[1:], strict=False):
        free[b:min(a, b + _frames(GAP_HOLD_S))] = False
    first, last, cost = dtw.align(scaled, padded, say("aligning"), skip=SKIP, pause_cap=PAUSE_CAP,
                                  pauses=s_pauses, turns=tspans, turn_skip=TURN_SKIP, penalty=PENALTY,
                                  relative=True, free=free)
    del padded
    at = np.clip(np.round(pos[:-1]).astype(np.int64), 0, n_scaled - 1)
    end = np.clip(np.maximum(np.round(pos[1:]).astype(np.int64) - 1, at), 0, n_scaled - 1)
    first, last, cost = first[at], last[end], cost[at]
    first = np.clip(first - pad, 0, len(rec) - 1)
    last = np.clip(last - pad, 0, len(rec) - 1)
    part.first, part.last, part.cost = first, last, cost
    part.rec_energy = rec[:, 0] / feat.ENERGY_WEIGHT
    part.rec_db = rec_e.astype(np.float32)
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
    _snap_turn_onsets(part, turns)
    speech = part.ref_energy > 0.5
    rng = np.random.default_rng(0)
    rows = np.nonzero(speech)[0]
    if len(rows):
        pick = rng.choice(rows, size=min(4000, len(rows)))
        cols = rng.integers(0, len(rec), size=len(pick))
        part.null_cost = float(np.sqrt(((ref_f[pick] - rec[cols]) ** 2).sum(axis=1)).mean())
    return part


GAP_HOLD_S = 0.15  # real pauses between turns are 0.2 s or more
SNAP_AHEAD_S = 0.8  # ...or ahead by up to this, when the path put it on noise before the first word
ON_SPEECH = 0.45  # the 300 ms after a start on speech average at least this (scaled by the turn's floor and level)
RESEAT = True
RESEAT_S = 2.5  # a turn start found inside speech moves to the nearest speech onset after a pause within this
QUIET_BEFORE = 0.3  # the 150 ms before a turn's start average below this (scaled by the turn's floor and level)
SNAP_S = 0.25  # a turn's start moves to the speech onset nearest it within this


def _snap_turn_onsets(part: Part, turns: list[TimedTurn]) -> None:
    """Each turn's first phrase starts where its speech starts (onsets.py), not where the path put it.

    The floor and level are the turn's own (its aligned stretch): a far-field guest's room noise,
    spliced between a studio's quiet pauses, is not the guest's first word."""
    import numpy as np

    from . import onsets

    prev_end = 0.0
    prev_key = None
    n = len(part.rec_db)
    for turn in turns:
        if not turn.phrases:
            continue
        key = (turn.segment, turn.index, 0)
        last = (turn.segment, turn.index, len(turn.phrases) - 1)
        a, b = part.phrases[key]
        fa, fb = _frames(a), max(_frames(part.phrases[last][1]), _frames(a) + 1)
        own = part.rec_db[max(0, fa):min(n, fb)]
        w0, w1 = max(0, _frames(a - RESEAT_S)), min(n, _frames(a + RESEAT_S))
        if len(own) < 20 or w1 - w0 < 10:
            t = a
        else:
            floor, level = float(np.percentile(own, 10)), float(np.percentile(own, 95))
            scaled = np.clip((part.rec_db[w0:w1] - floor) / max(level - floor, 6.0), 0.0, 1.0)
            starts = onsets.run_starts(scaled) + w0
            t = onsets.snap(starts, a, SNAP_S, prev_end, max(b, a + 1e-3))
            k = _frames(t) - w0
            if scaled[k:k + _frames(0.3)].mean() < ON_SPEECH:  # not on speech by the turn's own floor:
                ahead = starts[(starts * HOP >= t) & (starts * HOP <= t + SNAP_AHEAD_S)]  # its first word is ahead
                if len(ahead):
                    t = float(ahead[0] * HOP)
            k = _frames(t) - w0
            if k >= _frames(0.15) and scaled[k - _frames(0.15):k].mean() > QUIET_BEFORE and RESEAT:
                # mid-speech: a turn starts after a pause. The path let the turn before run into this one
                # (or this one into the turn before): the nearest start of speech after a pause instead
                near = starts[(starts * HOP > prev_end) & (np.abs(starts * HOP - a) <= RESEAT_S)]
                if len(near):
                    t = float(near[np.argmin(np.abs(near * HOP - a))] * HOP)
        part.phrases[key] = (t, max(b, t))
        if prev_key is not None and part.phrases[prev_key][1] > t:
            pa, _ = part.phrases[prev_key]
            part.phrases[prev_key] = (pa, max(pa, t))
        prev_key, prev_end = last, part.phrases[last][0]


def _speech_level(energy: np.ndarray, floor: float) -> float:
    """The level of speech: the 90th percentile of frames well above the floor."""
    import numpy as np

    loud = energy[energy > floor + 6]
    return float(np.percentile(loud, 90)) if len(loud) > 100 else float(np.percentile(energy, 95))


PACE_PASS = True  # measured: worse on real speech (docs/alignment.md)
PACE = (0.5, 2.0)  # a turn's recorded length over its reference length, at most this far either way


def _turn_ratios(turns: list[TimedTurn], spans: list[tuple[int, int]], first: np.ndarray, last: np.ndarray,
                 n_ref: int) -> np.ndarray:
    """Per reference frame: how much to stretch it. Each turn by its speaker's pace (the median of the
    speaker's turns, each turn's own length counting half, in log), the pauses between turns as they are."""
    import numpy as np

    own = []
    for a, b in spans:
        b = min(max(b, a + 1), n_ref)
        got = float(last[b - 1] - first[a] + 1)
        own.append(float(np.clip(got / max(1, b - a), *PACE)))
    by_speaker: dict = {}
    for turn, r in zip(turns, own, strict=False):
        by_speaker.setdefault(turn.speaker, []).append(np.log(r))
    ratio = np.ones(n_ref)
    for turn, r, (a, b) in zip(turns, own, spans, strict=False):
        pace = float(np.median(by_speaker[turn.speaker]))
        ratio[a:b] = float(np.exp(0.5 * np.log(r) + 0.5 * pace))
    return ratio



def _pauses(energy: np.ndarray, min_s: float = 0.12) -> np.ndarray:
    """Frames in a run of silence at least min_s long: the reference's real pauses, not a stop consonant."""
    import numpy as np

    quiet = energy < 0.1
    out = np.zeros_like(quiet)
    idx = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    for a, b in zip(idx[::2], idx[1::2], strict=True):
        if b - a >= _frames(min_s):
            out[a:b] = True
    return out
