"""The script as the follower sees it: reference features and where each frame is in the text.

The reference is the offline alignment's (timing/recording/reference.py: the script read by
espeak-ng phrase by phrase, long silences between turns), reduced to the same features
(timing/recording/features.py). Every 10 ms reference frame gets a position in the script's
text: a character offset over the whole programme (turns joined in order), interpolated between
the word marks espeak reported, held through pauses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from ..model import Episode
    from ..timing import Timeline, TimedTurn
    from ..timing.recording.reference import Reference

REF_SPAN_DB = 35.0  # the reference's speech-to-silence span (espeak's silence is digital zero)


@dataclass
class LiveScript:
    feats: Any  # reference features, frames × d
    chars: Any  # per reference frame: character offset in the programme's text (float)
    turn_of: Any  # per reference frame: index into `turns` (the turn it is in or the last before it)
    speech: Any  # per reference frame: True inside a phrase
    turns: list  # TimedTurn, programme order
    turn_chars: list  # per turn: (first char, end char) in the programme's text
    turn_frames: list  # per turn: (first frame, end frame) in the reference
    phrases: list = field(default_factory=list)  # (key (s, t, k), first char, end char, first frame, end frame)
    anchors: Any = None  # reference frames where a paragraph (or a turn) starts: where a host who skips lands
    total_chars: int = 0

    @property
    def frames(self) -> int:
        return len(self.feats)

    def frame_of_char(self, c: float) -> int:
        """The first reference frame at or past character c."""
        import numpy as np

        return min(self.frames - 1, int(np.searchsorted(self.chars, c, side="left")))

    def turn_at_char(self, c: float) -> int:
        for i, (a, b) in enumerate(self.turn_chars):
            if c < b or i == len(self.turn_chars) - 1:
                return i if c >= a or i == 0 else i - 1
        return 0


def turns_of(timeline: Timeline) -> list[TimedTurn]:
    return [t for s in timeline.segments for t in s.turns if t.phrases]


def build(episode: Episode, timeline: Timeline, voices_path: str | Path | None = None,
          progress: Callable[[float], None] | None = None) -> LiveScript:
    """The live script of an episode's (estimate) timeline."""
    from ..timing.recording import reference
    from ..timing.recording.run import _voices

    turns = turns_of(timeline)
    ref = reference.build(turns, _voices(episode, voices_path), progress)
    return from_reference(ref, turns)


def from_reference(ref: Reference, turns: list[TimedTurn]) -> LiveScript:
    import numpy as np

    from ..timing.recording import features as feat

    energy, ceps = feat.raw(ref.samples, ref.rate)
    audible = energy > -90
    level = float(np.percentile(energy[audible], 90)) if audible.any() else 0.0
    feats = feat.finish(energy, ceps, level, level - REF_SPAN_DB)
    n = len(feats)
    hop = feat.HOP_S
    xs: list[float] = [0.0]
    ys: list[float] = [0.0]
    speech = np.zeros(n, dtype=bool)
    turn_of = np.zeros(n, dtype=np.int32)
    turn_chars, turn_frames, phrases, anchors = [], [], [], []
    base = 0
    for i, turn in enumerate(turns):
        t0 = base
        a_s, b_s = ref.turns[(turn.segment, turn.index)]
        fa, fb = int(round(a_s / hop)), int(round(b_s / hop))
        turn_of[min(fa, n):] = i
        for k, ph in enumerate(turn.phrases):
            key = (turn.segment, turn.index, k)
            start, end = ref.phrases[key]
            pa, pb = int(round(start / hop)), max(int(round(start / hop)) + 1, int(round(end / hop)))
            speech[pa:min(pb, n)] = True
            pts = [(start, 0)] + [(t, off) for off, t in ref.marks.get(key, ()) if 0 < off < len(ph.text)]
            pts.append((end, len(ph.text)))
            for t, off in pts:
                if t >= xs[-1] and base + off >= ys[-1]:
                    xs.append(t)
                    ys.append(base + off)
            phrases.append((key, base, base + len(ph.text), pa, pb))
            if k == 0 or ph.paragraph != turn.phrases[k - 1].paragraph:
                anchors.append(pa)
            base += len(ph.text)
        turn_chars.append((t0, base))
        turn_frames.append((fa, fb))
    xs.append(n * hop)
    ys.append(float(base))
    chars = np.interp(np.arange(n) * hop, np.array(xs), np.array(ys))
    return LiveScript(feats.astype(np.float32), chars, turn_of, speech, turns, turn_chars, turn_frames, phrases,
                      np.array(anchors, dtype=np.int64), base)
