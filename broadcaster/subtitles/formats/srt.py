"""SubRip (.srt) through pysrt: what Premiere, Resolve and Final Cut import."""
from __future__ import annotations

import io

from ..segment import Track

EXTENSION = "srt"


def dumps(track: Track, options=None) -> str:
    import pysrt

    subs = pysrt.SubRipFile()
    for number, cue in enumerate(track.cues, start=1):
        subs.append(pysrt.SubRipItem(
            index=number,
            start=pysrt.SubRipTime.from_ordinal(cue.start_ms),
            end=pysrt.SubRipTime.from_ordinal(cue.end_ms),
            text=cue.text,
        ))
    buffer = io.StringIO()
    subs.write_into(buffer, eol="\n")
    return buffer.getvalue()
