"""A retake: a stretch of unscripted speech that is the recording saying one of its own turns again.

espeak's voice is too far from a human one to tell one sentence from another reliably (real
Mandarin along its true path is at 71-85% of the chance distance, other turns of the script
not much further). Two takes of one turn by one speaker are much closer to each other than to
anything else, so a retake is found by comparing the recording with itself: the unexplained
stretch against the turn placed just before or after it, at 40 ms, as a share of the distance
between random frames of the same recording.
"""
from __future__ import annotations

from .aligner import HOP, Part

RETAKE = 0.55  # rec-vs-rec distance of two takes, as a share of chance (docs/alignment.md)
NEAR_S = 3.0  # the other take starts or ends this close to the turn
LENGTH = (0.6, 1.6)  # and is about as long


def _fit_rr(part: Part, x: tuple[float, float], y: tuple[float, float]) -> float | None:
    """Mean distance along the best path of recording stretch x against recording stretch y (40 ms)."""
    import numpy as np

    from .dtw import banded
    from .features import pool

    feats = part.rec_feats
    a = pool(feats[int(x[0] / HOP):int(x[1] / HOP)], 4)
    b = pool(feats[int(y[0] / HOP):int(y[1] / HOP)], 4)
    if len(a) < 5 or len(b) < 5:
        return None
    lo = np.zeros(len(a), dtype=np.int64)
    hi = np.full(len(a), len(b), dtype=np.int64)
    _, _, cost = banded(a, b, lo, hi, penalty=0.0)
    loud = a[:, 0] > 0.5 * float(a[:, 0].max())
    return float(cost[loud].mean()) if loud.any() else float(cost.mean())


def chance_rr(part: Part, seed: int = 1) -> float:
    """Mean distance between random speech frames of the recording (at 40 ms)."""
    import numpy as np

    from .features import pool

    f = pool(part.rec_feats, 4)
    loud = np.flatnonzero(f[:, 0] > 0.5 * float(f[:, 0].max()))
    if len(loud) < 10:
        return 1.0
    rng = np.random.default_rng(seed)
    i, j = rng.choice(loud, 3000), rng.choice(loud, 3000)
    return float(np.sqrt(((f[i] - f[j]) ** 2).sum(axis=1)).mean()) or 1.0


def retake_of(part: Part, x: tuple[float, float], turn_span: dict[tuple[int, int], tuple[float, float]],
              absent: set[tuple[int, int]], chance: float) -> tuple[tuple[int, int], float] | None:
    """(turn key, share of chance) of the turn that stretch x says again, or None."""
    best = None
    for key, (a, b) in turn_span.items():
        if key in absent or b <= a:
            continue
        if not (abs(x[0] - b) <= NEAR_S or abs(a - x[1]) <= NEAR_S):
            continue
        if not LENGTH[0] <= (x[1] - x[0]) / (b - a) <= LENGTH[1]:
            continue
        d = _fit_rr(part, x, (a, b))
        if d is not None and (best is None or d < best[1]):
            best = (key, d / chance)
    return best if best is not None and best[1] <= RETAKE else None
