"""Align an episode to its recording(s) and build the recording Timeline, progress reported."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import InputError
from ...progress import SILENT, Reporter

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from ...model import Episode
    from ..timeline import Timeline


@dataclass
class Alignment:
    recordings: tuple
    parts: list = field(default_factory=list)  # aligner.Part per recording
    offsets: list = field(default_factory=list)  # programme seconds where each recording starts
    findings: list = field(default_factory=list)
    confidence: dict = field(default_factory=dict)  # (s, t, k) -> 0..1
    absent: set = field(default_factory=set)
    seconds: float = 0.0  # compute time


def _voices(episode: Episode, voices_path: str | Path | None) -> dict[str, tuple[str, int, int]]:
    from ...speech.voices import cast, load_profile

    return {k: (v.espeak_voice, v.espeak_rate, v.espeak_pitch)
            for k, v in cast(episode, load_profile(voices_path)).items()}


def run(episode: Episode, timeline: Timeline, recordings: Iterable[str], channel: int | None = None,
        voices_path: str | Path | None = None, reporter: Reporter = SILENT) -> tuple[Timeline, Alignment]:
    import time

    from . import findings as checks, timed
    from .aligner import align_part

    recordings = tuple(str(r) for r in recordings)
    segments = [s for s in timeline.segments if any(t.phrases for t in s.turns)]
    if len(recordings) == 1:
        groups = [[t for s in timeline.segments for t in s.turns]]
    elif len(recordings) == len(segments):
        groups = [list(s.turns) for s in segments]
    else:
        raise InputError(f"{len(recordings)} recordings for {len(segments)} segments with speech: give one "
                         f"recording for the programme or one per segment, in order", path=episode.source, line=1)
    voices = _voices(episode, voices_path)
    result = Alignment(recordings)
    t0 = time.perf_counter()
    offset = 0.0
    times: dict = {}
    marks: dict = {}
    seg_starts: dict = {}
    names = {s.key: s.name for s in episode.speakers}
    for media, turns in zip(recordings, groups, strict=True):
        reporter.start("aligning", 1.0, label=media)
        try:
            part = align_part(media, turns, voices, channel,
                              lambda stage, fraction: reporter.advance("aligning", fraction, stage))
        finally:
            reporter.stop("aligning")
        found, absent, conf = checks.check(part, offset, lambda k: names.get(k, k))
        result.parts.append(part)
        result.offsets.append(offset)
        result.findings += found
        result.absent |= absent
        result.confidence.update(conf)
        times.update({k: (a + offset, b + offset) for k, (a, b) in part.phrases.items()})
        marks.update({k: [(o, t + offset) for o, t in v] for k, v in part.marks.items()})
        if len(recordings) > 1:
            seg_starts[turns[0].segment] = round(offset * 1000)
        offset += part.duration_s
    result.seconds = time.perf_counter() - t0
    return timed.build(timeline, times, result.absent, seg_starts or None, marks), result
