"""SubRip (.srt), byte for byte as pysrt writes it: what Premiere, Resolve and Final Cut import.

Written directly (pysrt's objects cost a third of a text-only render's subtitle
time); tests/test_speed.py holds it to pysrt's output, and the tests read it back
with pysrt and srt.
"""
from __future__ import annotations

from ..segment import Track

EXTENSION = "srt"


def timestamp(ms: float) -> str:
    """HH:MM:SS,mmm (pysrt's SubRipTime: whole milliseconds, negative as zero)."""
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def dumps(track: Track, options: object = None) -> str:
    out = []
    for number, cue in enumerate(track.cues, start=1):
        item = f"{number}\n{timestamp(cue.start_ms)} --> {timestamp(cue.end_ms)}\n{cue.text}\n"
        out.append(item if item.endswith("\n\n") else item + "\n")
    return "".join(out)
