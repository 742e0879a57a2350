"""Honest confidence: what in the recording does not match the script, and how sure each phrase is.

- a turn is missing when its aligned length is under a third of the reference's
  (ALIGNMENT.md: a cut turn gets squeezed into a few hundred ms with a normal
  DTW cost; its length gives it away), or when its span holds almost no speech;
- an ad-lib is speech in the recording that the path lays over a pause of the
  reference (at least MIN_EXTRA_S), or a phrase that runs far longer than read;
- a missing turn whose reference matches such an unexplained stretch was
  recorded in another order;
- most turns missing, or most phrases far from the reference: another programme.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .aligner import HOP, Part

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from ..timeline import TimedTurn

MIN_EXTRA_S = 2.5  # shorter unscripted stretches: real speakers' pauses and drawn-out words made 1.6-2.3 s
MIN_MOVED_S = 1.5  # a stretch this long may still be a turn recorded elsewhere or said twice
# a phrase's distance to its reference, as a share of the distance to random recording frames:
# at GOOD or below it is as close as aligned speech in another voice gets (0.27-0.35 measured on
# synthetic recordings), at BAD no closer than chance (another programme measured 0.94)
GOOD, BAD = 0.75, 1.0
DISTINCT = 0.8  # a turn found elsewhere fits there at most this share of the next best turn's distance
# the median speech frame's distance to its reference, as a share of chance, above which the recording is
# not of this script: real speech matched to its own script sat at 0.74-0.78, another programme's real speech
# at 0.83-0.85 (tuning half). espeak voices against espeak are closer on both sides (another programme 0.74)
MISMATCH = 0.8  # the median speech frame this far from its reference (share of chance): not this script
SHORT_RATIO = 1 / 3
NEARBY = 5  # turns either side of an unexplained stretch that may have been recorded there


@dataclass(frozen=True)
class Finding:
    kind: str  # "missing", "order", "ad-lib", "retake", "mismatch"
    segment: int | None
    turn: int | None
    line: int | None
    speaker: str
    text: str  # what the script has there ("" for an ad-lib)
    start_s: float  # programme (recording) time
    end_s: float
    why: str


def _runs(mask: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """(start, end) frame runs of True, gaps shorter than min_gap frames bridged."""
    import numpy as np

    idx = np.nonzero(mask)[0]
    if not len(idx):
        return []
    breaks = np.nonzero(np.diff(idx) > min_gap)[0]
    starts = np.concatenate([[idx[0]], idx[breaks + 1]])
    ends = np.concatenate([idx[breaks], [idx[-1]]]) + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def phrase_confidence(part: Part) -> dict:
    """(s, t, k) -> 0..1: how close the phrase's audio is to its reference, and how plausible its length."""
    import numpy as np

    out = {}
    good, bad = GOOD * part.null_cost, BAD * part.null_cost
    for key, (a, b) in part.ref_phrases.items():
        fa, fb = int(round(a / HOP)), max(int(round(b / HOP)), int(round(a / HOP)) + 1)
        rows = part.cost[fa:fb]
        speech = part.ref_energy[fa:fb] > 0.3
        c = float(rows[speech].mean()) if speech.any() else float(rows.mean()) if len(rows) else bad
        fit = float(np.clip((bad - c) / (bad - good), 0.0, 1.0))
        ra, rb = part.phrases[key]
        ratio = (rb - ra) / max(b - a, 1e-3)
        length = float(np.clip(min(ratio / 0.5, 2.0 / ratio) if ratio > 0 else 0.0, 0.0, 1.0))
        out[key] = round(fit * length, 2)
    return out


def _turn_text(turn: TimedTurn) -> str:
    return "".join(p.text for p in turn.phrases)


def check(part: Part, offset_s: float, speaker_name: Callable[[str], str] = lambda key: key,
          ) -> tuple[list[Finding], set[tuple[int, int]], dict[tuple[int, int, int], float]]:
    """(findings, absent turns {(s, t)}, phrase confidences) for one recording."""
    import numpy as np

    findings: list[Finding] = []
    absent: set = set()
    turn_span: dict = {}
    for turn in part.turns:
        keys = [(turn.segment, turn.index, k) for k in range(len(turn.phrases))]
        if not keys:
            continue
        ra, rb = part.ref_turns[(turn.segment, turn.index)]
        a, b = part.phrases[keys[0]][0], part.phrases[keys[-1]][1]
        turn_span[(turn.segment, turn.index)] = (a, b)
        fa, fb = int(a / HOP), max(int(b / HOP), int(a / HOP) + 1)
        voiced = float((part.rec_energy[fa:fb] > 0.5).mean()) if fb > fa else 0.0
        if (b - a) < 0.05:
            why = (f"the recording goes straight from the turn before to the turn after; read aloud it "
                   f"takes {rb - ra:.1f} s: cut from the recording")
        elif (b - a) < SHORT_RATIO * (rb - ra):
            why = (f"aligned to {b - a:.1f} s of recording where the script takes {rb - ra:.1f} s read aloud "
                   f"(under a third): not in the recording")
        elif voiced < 0.15 and (rb - ra) > 1.0:
            why = f"its place in the recording holds almost no speech ({voiced:.0%} of frames)"
        else:
            continue
        absent.add((turn.segment, turn.index))
        findings.append(Finding("missing", turn.segment, turn.index, turn.line, speaker_name(turn.speaker),
                                _turn_text(turn), offset_s + a, offset_s + b, why))
    # speech the script does not have: recording frames the path lays over reference pauses
    first = part.first
    row_of = np.clip(np.searchsorted(first, np.arange(len(part.rec_energy)), side="right") - 1, 0, len(first) - 1)
    ref_pause = part.ref_pause
    begin = int(first[int(part.ref_turns[min(part.ref_turns)][0] / HOP)]) if part.ref_turns else 0
    end = int(part.last[min(len(first) - 1, int(part.ref_turns[max(part.ref_turns)][1] / HOP))]) if part.ref_turns else 0
    speech = part.rec_energy > 0.5
    extra = speech & ref_pause[row_of]
    extra[:begin] = False
    extra[end:] = False
    stretched = []  # a phrase that runs far longer than read: extra words inside it
    for turn in part.turns:
        for k in range(len(turn.phrases)):
            ra, rb = part.ref_phrases[(turn.segment, turn.index, k)]
            a, b = part.phrases[(turn.segment, turn.index, k)]
            if (turn.segment, turn.index) not in absent and (b - a) > 2.5 * (rb - ra) + 1.5:
                stretched.append((a + (rb - ra), b))

    def unexplained() -> list[tuple[float, float]]:
        runs = [(s * HOP, e * HOP) for s, e in _runs(extra, int(1.6 / HOP)) if (e - s) * HOP >= MIN_MOVED_S]
        merged: list = []
        for a, b in sorted(runs + stretched):  # one stretch seen both ways is one finding
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    # an unexplained stretch that is a turn of the script: recorded in another order. A turn found
    # missing is looked for there; so is a turn that matches the stretch better than where it was put.
    by_key = {(t.segment, t.index): t for t in part.turns}
    extras = unexplained()
    changed = True
    while changed:
        changed = False
        for x in extras:
            hit = _out_of_order(part, x, by_key, absent, turn_span)
            if hit is None:
                continue
            key, was_missing = hit
            turn = by_key[key]
            why = (f"recorded elsewhere, out of the script's order (at {_clock(offset_s + x[0])}); "
                   f"no cues for it: re-order the script to match the edit")
            order = Finding("order", turn.segment, turn.index, turn.line, speaker_name(turn.speaker),
                            _turn_text(turn), offset_s + x[0], offset_s + x[1], why)
            if was_missing:
                findings[next(i for i, f in enumerate(findings) if (f.segment, f.turn) == key)] = order
            else:  # it had been laid over other speech: that speech is now unexplained
                absent.add(key)
                findings.append(order)
                a, b = turn_span[key]
                extra[int(a / HOP):int(b / HOP)] |= speech[int(a / HOP):int(b / HOP)]
            fa, fb = int(x[0] / HOP), int(x[1] / HOP)
            extra[fa:fb] = False
            stretched[:] = [y for y in stretched if not (y[0] < x[1] and y[1] > x[0])]
            extras = unexplained()
            changed = True
            break
    rr_chance = None
    for x in extras:
        from .repeats import chance_rr, retake_of

        rr_chance = chance_rr(part) if rr_chance is None else rr_chance
        again = retake_of(part, x, turn_span, absent, rr_chance)
        if again is not None:
            turn = by_key[again[0]]
            findings.append(Finding("retake", turn.segment, turn.index, turn.line, speaker_name(turn.speaker),
                                    _turn_text(turn), offset_s + x[0], offset_s + x[1],
                                    f"the turn said again ({again[1]:.0%} of chance from the take the cues are on, "
                                    f"at {_clock(offset_s + turn_span[again[0]][0])}); cut one take"))
            continue
        if x[1] - x[0] < MIN_EXTRA_S:
            continue
        before = [t for t in part.turns if (t.segment, t.index) in turn_span
                  and turn_span[(t.segment, t.index)][0] <= x[0] and (t.segment, t.index) not in absent]
        near = before[-1] if before else part.turns[0]
        findings.append(Finding("ad-lib", near.segment, near.index, near.line, speaker_name(near.speaker), "",
                                offset_s + x[0], offset_s + x[1],
                                f"{x[1] - x[0]:.1f} s of speech not in the script (after or inside this turn); "
                                f"a cue may stay up over it"))
    conf = phrase_confidence(part)
    turns_with_speech = [t for t in part.turns if t.phrases]
    spoken = part.ref_energy > 0.3
    distance = float(np.median(part.cost[spoken])) / part.null_cost if spoken.any() else 1.0
    if turns_with_speech and (len(absent) > len(turns_with_speech) / 2 or distance > MISMATCH):
        findings.insert(0, Finding("mismatch", None, None, None, "", "", offset_s, offset_s + part.duration_s,
                                   f"the recording does not follow this script: {len(absent)} of "
                                   f"{len(turns_with_speech)} turns not found, speech {distance:.0%} as far "
                                   f"from the script as chance; another programme?"))
    return findings, absent, conf


def _out_of_order(part: Part, x: tuple[float, float], by_key: dict[tuple[int, int], TimedTurn],
                  absent: set[tuple[int, int]], turn_span: dict[tuple[int, int], tuple[float, float]],
                  ) -> tuple[tuple[int, int], bool] | None:
    """(turn key, was it missing) of the turn recorded in stretch x, or None.

    The turn must fit the stretch clearly better than every other turn of the script does:
    across voices any speech fits any speech somewhat, so an ad-lib as long as a cut turn
    must not pass for it (measured: the right turn 0.52-0.75, the others 0.97-1.3; an ad-lib
    1.0-1.18 for every turn)."""
    length = x[1] - x[0]
    fits = {}
    keys = list(by_key)
    at = sum(1 for k in keys if k in turn_span and turn_span[k][0] <= x[0])
    near = set(keys[max(0, at - NEARBY):at + NEARBY]) | set(absent)  # a turn moves a few places, not across
    for key, turn in by_key.items():  # the programme (and a fit per turn is a DTW: bounded work per stretch)
        if turn.phrases and key in near:
            f = _fit(part, part.ref_turns[key], x)
            if f is not None:
                fits[key] = f
    if len(fits) < 2:
        return None
    best = min(fits, key=lambda k: fits[k])
    runner_up = min(v for k, v in fits.items() if k != best)
    ra, rb = part.ref_turns[best]
    if fits[best] > DISTINCT * runner_up or not 0.5 <= length / max(rb - ra, 1e-3) <= 2.0:
        return None
    if not _matches(part, fits[best]):
        return None
    if best in absent:
        return best, True
    a, b = turn_span[best]
    there = _fit(part, (ra, rb), (a, b))
    if there is not None and fits[best] < 0.8 * there:
        return best, False
    return None


def _fit(part: Part, ref_span: tuple[float, float], rec_span: tuple[float, float]) -> float | None:
    """Mean distance of the best alignment of a reference stretch inside a recording stretch (40 ms)."""
    import numpy as np

    from .dtw import banded
    from .features import pool

    ra, rb = int(ref_span[0] / HOP), int(ref_span[1] / HOP)
    xa, xb = max(0, int((rec_span[0] - 0.5) / HOP)), min(len(part.rec_feats), int((rec_span[1] + 0.5) / HOP))
    ref = pool(part.ref_feats[ra:rb], 4)
    rec = pool(part.rec_feats[xa:xb], 4)
    if len(ref) < 2 or len(rec) < 2:
        return None
    _, _, cost = banded(ref, rec, np.zeros(len(ref), dtype=np.int64), np.full(len(ref), len(rec), dtype=np.int64))
    speech = part.ref_energy[ra:rb][::4][:len(cost)] > 0.3
    return float(cost[speech].mean()) if speech.any() else float(cost.mean())


def _matches(part: Part, c: float) -> bool:
    """Does a stretch whose best alignment costs c (_fit) align about as well as aligned speech does?"""
    import numpy as np

    typical = float(np.median(part.cost[part.ref_energy > 0.3])) if (part.ref_energy > 0.3).any() else c
    return c <= 1.5 * typical + 0.05 and c < 0.8 * part.null_cost


def _clock(seconds: float) -> str:
    s = max(0.0, seconds)
    return f"{int(s // 3600):d}:{int(s % 3600 // 60):02d}:{s % 60:06.3f}"
