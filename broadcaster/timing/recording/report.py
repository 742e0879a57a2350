"""`<stem>.align.md` and the terminal summary: what was aligned, how sure, what did not match."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .findings import _clock

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ...model import Episode
    from ...subtitles.segment import Track
    from ..timeline import Timeline
    from .findings import Finding
    from .run import Alignment

KIND = {"missing": "missing from the recording", "order": "recorded out of order",
        "ad-lib": "not in the script (ad-lib)", "retake": "said twice (retake)", "mismatch": "another programme?"}


def _where(f: Finding, segments: int) -> str:
    if f.segment is None:
        return "whole recording"
    seg = f"segment {f.segment + 1} " if segments > 1 else ""
    # a finding with a segment has a turn (only "mismatch" has neither)
    return f"{seg}turn {f.turn + 1}" + (f" ({f.speaker}, line {f.line})" if f.line else "")  # type: ignore[operator]


def _short(text: str, n: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def cue_confidence(track: Track, timeline: Timeline, alignment: Alignment) -> list[float]:
    """Each cue's confidence: the lowest of the phrases it shows (by time, within its turn)."""
    out = []
    for cue in track.cues:
        turn = timeline.segments[cue.segment].turns[cue.turn]
        scores = [alignment.confidence.get((cue.segment, cue.turn, k), 0.0)
                  for k, ph in enumerate(turn.phrases)
                  if ph.end_ms > cue.start_ms - 1 and ph.start_ms < cue.end_ms + 1]
        out.append(min(scores) if scores else 0.0)
    return out


def to_markdown(episode: Episode, timeline: Timeline, alignment: Alignment, track: Track) -> str:
    segs = len(timeline.segments)
    conf = cue_confidence(track, timeline, alignment)
    low = sum(1 for c in conf if c < 0.5)
    lines = [f"# Alignment to the recording: {episode.title or episode.source}", ""]
    for media, part, offset in zip(alignment.recordings, alignment.parts, alignment.offsets, strict=True):
        lines.append(f"- `{media}`: {_clock(part.duration_s)} long, programme time from {_clock(offset)}")
    lines += [
        f"- {len(track.cues)} cues timed to the recording; median confidence "
        f"{_median(conf):.2f}, {low} below 0.5",
        f"- {len(alignment.findings)} findings; turns without cues: {len(alignment.absent)}",
        "- Method: the script read by espeak-ng phrase by phrase, aligned by DTW on energy (scaled between the "
        "local noise floor and speech level), syllable rhythm and 7 cepstral coefficients (open begin and end, "
        "a whole turn may be left out, every price a share of this recording's chance distance; a pace pass "
        "stretches each turn to its speaker's pace, then a coarse pass, 40 ms and 10 ms bands); each turn's "
        "start moved to where its speech starts. Confidence: how close the phrase's audio came to its reference (1: as close "
        "as aligned speech gets, 0: no closer than chance) and how plausible its length is.",
        "",
    ]
    if alignment.findings:
        lines += ["## Findings", "", "| turn | expected text | time range | why |", "|---|---|---|---|"]
        for f in alignment.findings:
            text = _short(f.text) if f.text else "—"
            lines.append(f"| {_where(f, segs)}: {KIND[f.kind]} | {_cell(text)} | "
                         f"{_clock(f.start_s)}–{_clock(f.end_s)} | {_cell(f.why)} |")
        lines.append("")
    else:
        lines += ["No findings: every turn of the script was found in order, nothing unscripted.", ""]
    lines += ["## Cues", "", "| # | start | end | confidence | text |", "|---|---|---|---|---|"]
    for i, (cue, c) in enumerate(zip(track.cues, conf, strict=True), 1):
        mark = " ⚠" if c < 0.5 else ""
        lines.append(f"| {i} | {_clock(cue.start_ms / 1000)} | {_clock(cue.end_ms / 1000)} | {c:.2f}{mark} | "
                     f"{_cell(' / '.join(cue.lines))} |")
    return "\n".join(lines) + "\n"


def summary(alignment: Alignment, track: Track, timeline: Timeline) -> list[str]:
    conf = cue_confidence(track, timeline, alignment)
    segs = len(timeline.segments)
    out = [f"  aligned to {', '.join(alignment.recordings)}: {len(track.cues)} cues, median confidence "
           f"{_median(conf):.2f}, {alignment.seconds:.1f} s; {len(alignment.findings)} findings"]
    for f in alignment.findings:
        out.append(f"  align: {_where(f, segs)}: {KIND[f.kind]} at {_clock(f.start_s)}–{_clock(f.end_s)}: {f.why}")
    return out


def _median(values: Iterable[float]) -> float:
    v = sorted(values)
    return v[len(v) // 2] if v else 0.0


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
