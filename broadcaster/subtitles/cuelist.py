"""`<stem>.cues.txt`: one cue per line, cue-final ，。 removed.

What 剪映's 文稿匹配 and Arctime take in to time a script against the real
recording: plain text, one subtitle per line.
"""
from __future__ import annotations


def dumps(track, options=None) -> str:
    lines = []
    for cue in track.cues:
        text = " ".join(cue.lines)
        lines.append(text.rstrip("，。,. "))
    return "\n".join(lines) + "\n"
