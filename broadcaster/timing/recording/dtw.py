"""Dynamic time warping of the reference onto the recording, in bounded memory.

Rows are reference frames, columns recording frames. Every reference frame is
matched (the script is spoken in order), but the path may begin and end
anywhere in the recording (open begin, open end: music, a countdown or a cold
open before the programme cost nothing).

Multi-resolution: one coarse pass over the whole recording (frames pooled so
the coarse matrix stays under `COARSE_CELLS`, never a full 10 ms n×m matrix),
then passes at 40 ms and 10 ms confined to a band around the previous path.
The coarse path places every turn (its anchor); the finer passes can only move
a boundary within the band, so a bad stretch cannot drag the rest along.

Each row is computed with numpy alone: with steps (1,1), (1,0), (0,1) a row is
D[j] = min_k≤j (A[k] + C[k+1..j]) where A comes from the row above, which is a
running minimum over prefix sums (np.minimum.accumulate) — no Python loop over
cells. Only the step directions are kept (1 byte per cell of the band).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    import numpy as np

COARSE_CELLS = 60_000_000  # coarse matrix cells: ~60 MB of directions, any programme length
_INF = 1e30


STEP_PENALTY = 0.1  # added to every non-diagonal step: squeezing a stretch onto one frame is not free
TURN_FIXED_S = 2.0  # leaving a turn out costs as much as this much more of it (a breath is not a cut turn)


def banded(ref: np.ndarray, rec: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           on_row: Callable[[float], None] | None = None, penalty: float = STEP_PENALTY, skip: float = 0.0,
           jumps: dict[int, tuple[int, float]] | None = None, cap: np.ndarray | None = None,
           free_up: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Open-begin/open-end DTW of ref (n×d) against rec (m×d), row i confined to columns [lo[i], hi[i]).

    cap: per row, the most a step to the right may cost (a pause of the reference may lay over
    unscripted speech at that price instead of stretching the words around it).
    free_up: per row, True where a step down (the reference advancing alone) pays no penalty: a
    pause of the reference shrinks to a short real pause for free.
    jumps: {target row: (source row, cost)}: the path may leave out the rows between
    (a turn cut from the recording) at that cost, staying on its column.
    Returns (first, last, cost): for each reference frame the first and last
    recording frame matched to it, and its local distance at `first`."""
    import numpy as np

    n = len(ref)
    jumps = jumps or {}
    sources = {src for src, _ in jumps.values()}
    kept: dict = {}  # source row -> (lo, D row)
    dirs = []
    prev: Any = None
    pl = ph = 0
    step = max(1, n // 50)
    for i in range(n):
        lo_i, hi_i = int(lo[i]), int(hi[i])
        diff = rec[lo_i:hi_i] - ref[i]
        c = np.sqrt(np.einsum("ij,ij->i", diff, diff, dtype=np.float64))
        if prev is None:  # open begin: start anywhere, each recording frame left out costs `skip`
            a = c + skip * np.arange(lo_i, hi_i)
            d_a = np.full(len(c), 3, dtype=np.int8)
        else:
            up = np.full(len(c), _INF)
            s, e = max(lo_i, pl), min(hi_i, ph)
            if e > s:
                up[s - lo_i:e - lo_i] = prev[s - pl:e - pl]
            diag = np.full(len(c), _INF)
            s, e = max(lo_i, pl + 1), min(hi_i, ph + 1)
            if e > s:
                diag[s - lo_i:e - lo_i] = prev[s - 1 - pl:e - 1 - pl]
            up += 0.0 if free_up is not None and free_up[i] else penalty
            d_a = (up < diag).astype(np.int8)  # 0 diagonal, 1 up
            best = np.minimum(up, diag)
            if i in jumps and jumps[i][0] in kept:
                src, price = jumps[i]
                s_lo, s_d = kept[src]
                jump = np.full(len(c), _INF)
                s, e = max(lo_i, s_lo), min(hi_i, s_lo + len(s_d))
                if e > s:
                    jump[s - lo_i:e - lo_i] = s_d[s - s_lo:e - s_lo] + price
                d_a = np.where(jump < best, np.int8(4), d_a)  # 4: the turn above was left out
                best = np.minimum(best, jump)
            a = best + c
        p = np.cumsum((np.minimum(c, cap[i]) if cap is not None else c) + penalty)
        key = a - p
        run = np.minimum.accumulate(key)
        cur = p + run
        d = np.where(key == run, d_a, np.int8(2))  # 2: from the left
        dirs.append(d.astype(np.int8))
        prev, pl, ph = cur, lo_i, hi_i
        if i in sources:
            kept[i] = (lo_i, cur)
        if on_row and i % step == 0:
            on_row(i / n)
    # backtrack from the cheapest end (open end)
    first = np.zeros(n, dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    i = n - 1
    j = pl + int(np.argmin(prev + skip * (len(rec) - 1 - np.arange(pl, ph))))  # open end, same price
    last[i] = j
    while True:
        first[i] = j
        d = dirs[i][j - int(lo[i])]
        if d == 3:
            break
        if d == 2:
            j -= 1
            continue
        if d == 4:
            src = jumps[i][0]
            first[src + 1:i] = j
            last[src + 1:i] = j
            i = src
            last[i] = j
            continue
        if d == 0:
            j -= 1
        i -= 1
        if i < 0:
            break
        last[i] = j
    first[:i + 1] = first[i]  # unreachable rows (none in a valid band) keep the start
    diff = rec[first] - ref
    cost = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return first, last, cost


def refine_band(first: np.ndarray, last: np.ndarray, ratio: int, n_fine: int, m_fine: int,
                radius: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns allowed at a finer level: the coarse path scaled by `ratio`, widened by `radius` frames."""
    import numpy as np

    rows = np.minimum(np.arange(n_fine) // ratio, len(first) - 1)
    lo = first[rows] * ratio - radius
    hi = (last[rows] + 1) * ratio + radius
    lo = np.maximum.accumulate(np.clip(lo, 0, m_fine - 1))
    hi = np.maximum.accumulate(np.clip(hi, 1, m_fine))
    hi = np.maximum(hi, lo + 1)
    return lo, hi


def _jumps(spans: Iterable[tuple[int, int]], factor: int, n: int, per_row: float,
           fixed_s: float) -> dict[int, tuple[int, float]]:
    """The jumps over each turn at a level: from the row before the turn to the row after it."""
    out = {}
    for a, b in spans:  # turn (start, end) in 10 ms frames
        src, dst = a // factor - 1, -(-b // factor) + 1
        if 0 <= src and dst < n:
            rows = dst - src
            out[dst] = (src, per_row * (rows + fixed_s * 100 / factor))
    return out


def chance(ref: np.ndarray, rec: np.ndarray, seed: int = 0) -> float:
    """Mean distance of reference speech frames to random recording frames: what matching costs at chance.

    Every price of the path is a share of this, measured at each pooling level on the recording
    itself (ALIGNMENT.md: real Mandarin along its true path sits at 71-85% of it, espeak against
    espeak far lower, so fixed prices tuned on one say "skip" on the other)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    loud = ref[:, 0] > 0.5 * float(ref[:, 0].max()) if len(ref) else np.zeros(0, bool)
    rows = np.flatnonzero(loud) if loud.any() else np.arange(len(ref))
    if not len(rows) or not len(rec):
        return 1.0
    pick = rng.choice(rows, size=min(3000, len(rows)))
    cols = rng.integers(0, len(rec), size=len(pick))
    return float(np.sqrt(((ref[pick] - rec[cols]) ** 2).sum(axis=1)).mean()) or 1.0


def align(ref: np.ndarray, rec: np.ndarray, on_progress: Callable[[float], None] | None = None, skip: float = 0.0,
          turns: Sequence[tuple[int, int]] = (), turn_skip: float = 0.0, pause_cap: float | None = None,
          pauses: np.ndarray | None = None, finest: int = 1, penalty: float = STEP_PENALTY, relative: bool = False,
          free: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference frame → (first, last) recording frame, 10 ms features in, 10 ms path out.

    turns: (start, end) 10 ms frames of each turn in the reference; with turn_skip > 0
    a turn may be left out for turn_skip per frame (plus 2 s worth), the way a cut turn is.
    finest: stop at this level (4: a quick 40 ms path, returned in 10 ms frames all the same).
    free: 10 ms reference frames where the reference may advance alone for free (default: the pauses).
    relative: skip, turn_skip, pause_cap and penalty are shares of chance() at each level, so every
    decision is priced on this recording's own distances, the same at every pooling level."""
    import numpy as np

    from .features import pool

    n, m = len(ref), len(rec)
    factor = 16
    while (n // factor + 1) * (m // factor + 1) > COARSE_CELLS:
        factor *= 2
    levels = [f for f in ([factor, 4, 1] if factor > 4 else [4, 1]) if f >= finest]
    radii = {4: 30, 1: 40}  # ±1.2 s at 40 ms, ±0.4 s at 10 ms
    weights = {factor: 0.3, 4: 0.3, 1: 0.4}
    done = 0.0
    first = last = None
    prev_factor = factor
    for f in levels:
        r, c = pool(ref, f), pool(rec, f)

        def report(x: float, f: int = f, done: float = done) -> None:
            if on_progress:
                on_progress(done + weights.get(f, 0.3) * x)

        if first is None:
            lo = np.zeros(len(r), dtype=np.int64)
            hi = np.full(len(r), len(c), dtype=np.int64)
        else:
            # last is set with first (banded): not None here
            lo, hi = refine_band(first, last, prev_factor // f, len(r), len(c), radii[f])  # type: ignore[arg-type]
        unit = chance(r, c) if relative else 1.0
        jumps = _jumps(turns, f, len(r), turn_skip * unit, TURN_FIXED_S) if turn_skip else None
        cap = up = None
        if pauses is not None:  # pauses: 10 ms reference frames in a real pause
            in_pause = pool(pauses[:, None].astype(np.float32), f)[:, 0] > 0.5
            up = in_pause if free is None else pool(free[:, None].astype(np.float32), f)[:, 0] > 0.5
            if pause_cap is not None:
                cap = np.where(in_pause, pause_cap * unit, _INF)
        first, last, cost = banded(r, c, lo, hi, report, penalty=penalty * unit, skip=skip * unit, jumps=jumps,
                                   cap=cap, free_up=up)
        done += weights.get(f, 0.3)
        prev_factor = f
    if on_progress:
        on_progress(1.0)
    assert first is not None and last is not None and cost is not None
    if prev_factor > 1:  # back to 10 ms frames
        rows = np.minimum(np.arange(n) // prev_factor, len(first) - 1)
        first = np.minimum(first[rows] * prev_factor, m - 1)
        last = np.minimum(last[rows] * prev_factor + prev_factor - 1, m - 1)
        cost = cost[rows]
    return first, last, cost
