"""`<stem>.cues.txt`: one cue per line, cue-final ，。 removed.

What 剪映's 文稿匹配 and Arctime take in to time a script against the real
recording: plain text, one subtitle per line.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .segment import Track


def dumps(track: Track, options: object = None) -> str:
    lines = []
    for cue in track.cues:
        text = " ".join(cue.lines)
        lines.append(text.rstrip("，。,. "))
    return "\n".join(lines) + "\n"
