"""Timing from the real recording: the script aligned to the studio audio, offline.

media.py decodes any media with ffmpeg; reference.py reads the script with
espeak-ng, phrase by phrase; features.py and dtw.py align the two;
findings.py checks what did not match (missing turns, ad-libs, another
order, another programme); timed.py makes the Timeline every renderer reads;
report.py writes `<stem>.align.md` and the terminal summary.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...progress import SILENT, Reporter

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from ...model import Episode
    from ..timeline import Timeline
    from .run import Alignment


def align(episode: Episode, timeline: Timeline, recordings: Iterable[str], channel: int | None = None,
          voices: str | Path | None = None, reporter: Reporter = SILENT) -> tuple[Timeline, Alignment]:
    """(Timeline with source "recording", Alignment) for the episode's estimate timeline;
    "aligning" reported per recording."""
    from .run import run

    return run(episode, timeline, recordings, channel, voices, reporter)
