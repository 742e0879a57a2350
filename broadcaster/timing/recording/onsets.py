"""Speech onsets in the recording, relative to the local noise floor: where a turn's first word starts.

The alignment places a turn's start within about 0.1 s (espeak's voice is far from a human
one; the path leans on the speech/pause pattern). The onset is then moved to the start of
the nearest run of speech that follows a pause: the first frame whose energy, scaled
between the local noise floor and the local speech level (features.local_levels), is
above ONSET, walked back while it stays above the floor's side (weak initial consonants).
echogarden snaps forward to the first sample above -40 dBFS, which only works where pauses
are quieter than that; a threshold relative to the local floor survives room tone and music
beds (docs/alignment.md has the figures).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .features import HOP_S

if TYPE_CHECKING:
    import numpy as np

ONSET = 0.35  # scaled energy a run of speech must reach (the share of the floor-to-speech span, in dB)
WALK_BACK = 0.15  # ...then its start walked back while above this
MAX_WALK_S = 0.06
MIN_PAUSE_S = 0.15  # a run of speech starts after at least this much below ONSET (turns are 0.2 s apart or more)
MIN_RUN_S = 0.08  # and lasts at least this long (a click is not an onset)
PEAK = 0.5  # and reaches this within PEAK_S (a breath or a bump of far-field noise does not)
PEAK_S = 0.3


def run_starts(energy: np.ndarray, min_pause_s: float = MIN_PAUSE_S) -> np.ndarray:
    """Frames where a run of speech starts after a pause (scaled energy 0..1 per 10 ms frame)."""
    import numpy as np
    from scipy.ndimage import uniform_filter1d

    energy = uniform_filter1d(np.asarray(energy, dtype=np.float32), 5)  # 50 ms: one weak frame is not a pause
    loud = energy > ONSET
    pause, run = int(round(min_pause_s / HOP_S)), int(round(MIN_RUN_S / HOP_S))
    edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8)])) == 1)
    if not len(edges):
        return np.zeros(0, dtype=np.int64)
    out = []
    for k in edges.tolist():
        if k > 0 and loud[max(0, k - pause):k].mean() > 0.2:  # mostly quiet before it
            continue
        if loud[k:k + run].sum() < 0.8 * run or energy[k:k + int(round(PEAK_S / HOP_S))].max() < PEAK:
            continue
        j = k
        while j > 0 and k - j < MAX_WALK_S / HOP_S and energy[j - 1] > WALK_BACK:
            j -= 1
        out.append(j)
    return np.asarray(out, dtype=np.int64)


def snap(starts: np.ndarray, t_s: float, window_s: float, lo_s: float = 0.0, hi_s: float = float("inf")) -> float:
    """The run start (run_starts, frames) nearest to t_s within ±window_s and inside [lo_s, hi_s), else t_s."""
    import numpy as np

    if not len(starts):
        return t_s
    times = starts * HOP_S
    i = int(np.searchsorted(times, t_s))
    best = None
    for j in (i - 1, i):
        if 0 <= j < len(times) and abs(times[j] - t_s) <= window_s and lo_s <= times[j] < hi_s:
            if best is None or abs(times[j] - t_s) < abs(best - t_s):
                best = float(times[j])
    return t_s if best is None else best
