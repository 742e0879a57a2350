"""WebVTT with voice tags (`<v 李薇>`), for the web and for players.

Written here rather than with webvtt-py: its writer neither escapes cue text
(`&`, `<`, `>` must be entities) nor writes voice spans. webvtt-py, pysubs2,
ffmpeg and Chromium's own parser read what this writes (tests).
"""
from __future__ import annotations

from ..segment import Track

EXTENSION = "vtt"


def _time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dumps(track: Track, options: object = None) -> str:
    lang = "zh-CN" if track.profile.language == "zh" else "en"
    out = [f"WEBVTT\nLanguage: {lang}\n"]
    for number, cue in enumerate(track.cues, start=1):
        name, _ = track.speaker(cue.speaker)
        voice = _escape(name).replace("\n", " ")
        lines = "\n".join(f"<v {voice}>{_escape(line)}</v>" for line in cue.lines)
        out.append(f"{number}\n{_time(cue.start_ms)} --> {_time(cue.end_ms)}\n{lines}\n")
    return "\n".join(out)
