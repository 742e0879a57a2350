"""Timing from the real recording: the script aligned to the studio audio, offline.

media.py decodes any media with ffmpeg; reference.py reads the script with
espeak-ng, phrase by phrase; features.py and dtw.py align the two;
findings.py checks what did not match (missing turns, ad-libs, another
order, another programme); timed.py makes the Timeline every renderer reads;
report.py writes `<stem>.align.md` and the terminal summary.
"""
from __future__ import annotations

from ...progress import SILENT, Reporter


def align(episode, timeline, recordings, channel=None, voices=None, reporter: Reporter = SILENT):
    """(Timeline with source "recording", Alignment) for the episode's estimate timeline;
    "aligning" reported per recording."""
    from .run import run

    return run(episode, timeline, recordings, channel, voices, reporter)
