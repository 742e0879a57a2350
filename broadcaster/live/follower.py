"""Following the voice: an online time warping of the microphone against the script's reference.

After Dixon's on-line time warping (2005), made for real speech against espeak's voice, where a
frame of real Mandarin is barely closer to the right espeak frame than to a random one
(ALIGNMENT.md): what carries the match is the speech/pause structure and the pace.

- Each new 10 ms microphone frame adds one row of a DTW over a window of the reference
  (WINDOW_BEHIND before the position, WINDOW_AHEAD after it); costs accumulate (no forgetting:
  a one-time cost that faded would let the path run ahead for free). Steps: the microphone moves
  on while the script holds (V_PEN more, the local cost capped at HOLD_COST), both move, or the
  script moves on within one microphone frame (H_PEN more; a pause of the script is passed over
  almost free, PAUSE_PASS: the speaker need not pause where espeak does).
- The microphone's frames are paced: the speaker's syllable rate (energy peaks per voiced frame)
  against the script voice's decides how many DTW rows a frame makes (0, 1 or 2), half way
  from 1 to what the peaks say (PACE_SHRINK): a fast speaker's frame covers more of the script.
- Re-entry further ahead (a skipped paragraph) is possible only at paragraph starts, during a
  pause, at price ENTRY; it is off (inf) because on real speech any price that found a skip
  also jumped on clean programmes (docs/performance.md).
- The best cell of the newest row is the raw position; `Follower` turns it into the position
  the displays show, with the safety rules: while the voice is silent the position holds (the
  host stopped); small steps forward are taken at once; a step back only when the raw position
  has stayed clearly behind for REPEAT_S (a clear repeat); a jump ahead of more than JUMP_NEAR_S
  waits until it has been consistent for JUMP_CONFIRM_S (longer across more than one turn
  boundary); speech that matches the script no better than chance for LOST_S is "lost".

Cost: one row is a few numpy operations over ~850 cells; 100 rows a second (docs/performance.md).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from .script import LiveScript

FRAME_S = 0.01
TAU_S = 2.0  # the fading mean of the costs that says how well the voice matches (ratio)
WINDOW_BEHIND = 150  # frames
WINDOW_AHEAD = 700
HOLD_COST = 1.5
CEPS_SCALE = 1.0  # real speech against espeak: the cepstra barely tell the right word from another
V_PEN = 0.7  # microphone moves, script holds
H_PEN = 0.3  # script moves within one microphone frame
PAUSE_PASS = 0.02  # per frame of a script pause passed over while the speaker goes on
ENTRY = math.inf  # the price of re-entering the path further ahead (a skip)
ENTRY_FAR = math.inf  # beyond ENTRY_NEAR_FRAMES
ENTRY_BACK = math.inf
ENTRY_NEAR_FRAMES = 1500
ENTRY_PAUSE_S = 0.4
VOICE_ON = 0.3  # scaled energy of speech
SILENT_S = 0.35  # this long below VOICE_ON: the host has stopped
JUMP_NEAR_S = 3.0
JUMP_CONFIRM_S = 1.5
JUMP_TURN_CONFIRM_S = 2.5
REPEAT_S = 3.0
PACE_FRAMES = 800  # the speaker's pace over the last 8 s
PACE_SHRINK = 0.5  # syllable peaks are a rough count: half way from 1 to what they say
PACE_MIN, PACE_MAX = 0.7, 1.6
PEAK_PROMINENCE = 0.1
REPEAT_MIN_S = 1.5
LOST_RATIO = 0.92
LOST_S = 4.0


@dataclass
class Position:
    frame: int  # reference frame the displays show
    char: float  # character offset in the programme's text
    turn: int
    state: str  # listening | following | lost
    voice: bool  # the microphone hears speech now
    level: float  # 0..1, the microphone's scaled energy
    ratio: float  # recent best-path cost over chance (about 0.75 aligned, about 1 unrelated)
    t: float  # microphone seconds since the start


class Tracker:
    """The online DTW: raw positions, no policy."""

    def __init__(self, script: LiveScript, start: int = 0) -> None:
        import numpy as np

        self.weights = np.ones(script.feats.shape[1], dtype=np.float32)
        self.weights[2:] = CEPS_SCALE
        self.ref = script.feats * self.weights
        self.speech = script.speech
        self.anchors = script.anchors
        self.n = len(self.ref)
        self.lam = math.exp(-FRAME_S / TAU_S)
        self.w0 = 0
        self.D = np.zeros(0)
        self.null = 1.0
        self.best = 1.0
        self.recent = 1.0
        self.entry: Any = None
        self.last = start
        self._place(start, fresh=True)

    def _place(self, centre: int, fresh: bool = False) -> None:
        import numpy as np

        w0 = max(0, centre - WINDOW_BEHIND)
        w1 = min(self.n, centre + WINDOW_AHEAD)
        D = np.full(w1 - w0, np.inf)  # columns new to the window are reached by the path or by re-entry
        if fresh:
            D[max(0, centre - w0 - 50):centre - w0 + 50] = 0.0
        else:
            s, e = max(w0, self.w0), min(w1, self.w0 + len(self.D))
            if e > s:
                D[s - w0:e - w0] = self.D[s - self.w0:e - self.w0]
        self.w0, self.D = w0, D
        # the price of re-entering each column: near ahead, further ahead, behind
        import numpy as np

        # re-entry only where a paragraph or a turn starts (where a host who skips or repeats lands)
        self.entry = np.full(w1 - w0, np.inf)
        near = int(JUMP_NEAR_S / FRAME_S)
        for a in self.anchors[(self.anchors >= w0) & (self.anchors < w1)]:
            if a > centre + near // 3:
                self.entry[a - w0] = ENTRY if a - centre < ENTRY_NEAR_FRAMES else ENTRY_FAR
            elif a < centre - near // 3:
                self.entry[a - w0] = ENTRY_BACK

    def step(self, x: np.ndarray, entry: bool = True) -> int:
        """One microphone frame (d,) in; the raw position (reference frame) out."""
        import numpy as np

        ref = self.ref[self.w0:self.w0 + len(self.D)]
        diff = ref - x * self.weights
        c = np.sqrt(np.einsum("ij,ij->i", diff, diff))
        prev = self.D
        vert = prev + np.minimum(c, HOLD_COST) + V_PEN
        diag = np.empty_like(prev)
        diag[0] = np.inf
        diag[1:] = prev[:-1] + c[1:]
        a = np.minimum(vert, diag)
        # re-entry anywhere in the window from the best cell, at a price (a skip, a repeat)
        if entry:
            a = np.minimum(a, float(prev.min()) + self.entry + c)
        # a pause of the script costs next to nothing to pass over (the speaker need not pause there)
        h = np.where(self.speech[self.w0:self.w0 + len(c)], c + H_PEN, PAUSE_PASS)
        p = np.cumsum(h)
        D = p + np.minimum.accumulate(a - p)
        j = int(np.argmin(D))
        self.last = self.w0 + j
        self.best = float(D[j])
        self.D = D - self.best
        self.recent = self.lam * self.recent + (1 - self.lam) * float(c[j])
        # chance: the mean distance of this frame to the window (a running, fading mean)
        self.null = self.lam * self.null + (1 - self.lam) * float(c.mean())
        pos = self.w0 + j
        if j > WINDOW_BEHIND + 100 or (j < WINDOW_BEHIND - 100 and self.w0 > 0):
            self._place(pos)
        return pos

    @property
    def ratio(self) -> float:
        return self.recent / max(1e-6, self.null)


class Follower:
    """Microphone audio in, the position the displays should show out."""

    def __init__(self, script: LiveScript, in_rate: int = 16000, start_char: float = 0.0) -> None:
        from .stream import FeatureStream

        self.script = script
        self.stream = FeatureStream(in_rate)
        start = script.frame_of_char(start_char)
        self.tracker = Tracker(script, start)
        self.frame = start
        self.t = 0.0
        self.silent_for = 0.0
        self.heard = False
        self.level = 0.0
        self.state = "listening"
        self.cand: int | None = None  # a jump ahead or back waiting for confirmation
        self.cand_since = 0.0
        self.cand_raw = 0
        self.unsure_for = 0.0
        self.path: list[tuple[float, int, int]] = []  # (t, raw frame, shown frame), for the as-aired times
        from collections import deque

        self.frames_seen = 0
        from scipy.signal import find_peaks

        self.energies: deque = deque(maxlen=PACE_FRAMES)
        self.pace, self.acc = 1.0, 0.0
        e = script.feats[:, 0] / 2.0
        self.ref_pace = len(find_peaks(e, prominence=PEAK_PROMINENCE, distance=8)[0]) / max(1, int(script.speech.sum()))

    def restart(self, char: float) -> None:
        """The operator moved the text: follow from there."""
        self.frame = self.script.frame_of_char(char)
        self.tracker = Tracker(self.script, self.frame)
        self.cand = None
        self.unsure_for = 0.0

    def feed(self, pcm: np.ndarray) -> Position:
        for x in self.stream.feed(pcm):
            self._frame(x)
        return self.position()

    def position(self) -> Position:
        char = float(self.script.chars[min(self.frame, self.script.frames - 1)])
        return Position(self.frame, char, self.script.turn_at_char(char), self.state, self.silent_for < SILENT_S,
                        self.level, self.tracker.ratio, self.t)

    def _frame(self, x: np.ndarray) -> None:
        from ..timing.recording.features import ENERGY_WEIGHT

        self.t += FRAME_S
        self.level = float(x[0] / ENERGY_WEIGHT)
        if self.level > VOICE_ON:
            self.silent_for = 0.0
            self.heard = True
        else:
            self.silent_for += FRAME_S
        # the microphone's frames are fed to the warping at the speaker's pace relative to the script's
        # voice (a fast speaker's frame covers more of the script): repeated or dropped, never reordered
        self.energies.append(self.level)
        if len(self.energies) % 50 == 0 or self.frames_seen < 5:
            self._pace()
        self.acc += self.pace
        steps = int(self.acc)
        self.acc -= steps
        pause = self.silent_for >= ENTRY_PAUSE_S  # a host who skips does it at a pause
        raw = self.tracker.last if steps == 0 else self.tracker.step(x, pause)
        for _ in range(steps - 1):
            raw = self.tracker.step(x, pause)
        self.frames_seen += 1
        speaking = self.silent_for < SILENT_S
        if speaking and self.tracker.ratio > LOST_RATIO:
            self.unsure_for += FRAME_S
        elif speaking:
            self.unsure_for = max(0.0, self.unsure_for - 2 * FRAME_S)
        if not speaking:
            self.cand = None
            self.state = "listening" if self.state != "lost" else "lost"
            self.path.append((self.t, raw, self.frame))
            return
        self.state = "lost" if self.unsure_for > LOST_S else "following"
        near = int(JUMP_NEAR_S / FRAME_S)
        if self.frame <= raw <= self.frame + near:
            self.frame = raw
            self.cand = None
        elif raw < self.frame:
            self._confirm(raw, REPEAT_S if self.frame - raw > int(REPEAT_MIN_S / FRAME_S) else None)
        else:
            turns = int(self.script.turn_of[raw]) - int(self.script.turn_of[self.frame])
            self._confirm(raw, JUMP_CONFIRM_S if turns <= 1 else JUMP_TURN_CONFIRM_S)
        self.path.append((self.t, raw, self.frame))

    def _pace(self) -> None:
        """The speaker's syllable pace (energy peaks per voiced frame) over the script voice's."""
        import numpy as np
        from scipy.signal import find_peaks

        if PACE_SHRINK <= 0:
            return
        e = np.fromiter(self.energies, dtype=np.float32)
        voiced = int((e > VOICE_ON).sum())
        if voiced < 200:
            return
        peaks = len(find_peaks(e, prominence=PEAK_PROMINENCE, distance=8)[0])
        raw = peaks / voiced / max(1e-6, self.ref_pace)
        self.pace = float(np.clip(1 + PACE_SHRINK * (raw - 1), PACE_MIN, PACE_MAX))

    def _confirm(self, raw: int, wait: float | None) -> None:
        """A raw position away from the shown one: taken once it has held (moving on at speech pace)."""
        if wait is None:  # a small step back: not worth moving the text
            self.cand = None
            return
        if self.cand is None or abs(raw - (self.cand_raw + (self.t - self.cand_since) / FRAME_S)) > 150:
            self.cand, self.cand_since, self.cand_raw = raw, self.t, raw
            return
        if self.t - self.cand_since >= wait and self.tracker.ratio < LOST_RATIO:
            self.frame = raw
            self.cand = None
