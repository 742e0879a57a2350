"""Two speakers in one cue (Netflix style): a short reply shares the cue before it.

Each line then opens with a dash and no space (`-你好` / `-谢谢`). Only on
request: on Chinese TV a cue carries one line of one speaker.
"""
from __future__ import annotations

from dataclasses import replace

from .profile import Profile


def share_short_replies(cues: list, profile: Profile) -> list:
    if profile.max_lines < 2:
        return cues
    out: list = []
    for cue in cues:
        if out:
            prev = out[-1]
            a, b = "-" + prev.text, "-" + cue.text
            fits = (len(prev.lines) == 1 and len(cue.lines) == 1 and prev.speaker != cue.speaker
                    and profile.width(a) <= profile.max_width and profile.width(b) <= profile.max_width
                    and cue.end_ms - prev.start_ms <= profile.max_ms and not prev.text.startswith("-"))
            if fits:
                # the reply's words now sit in the cue before: the source keeps both, in order
                out[-1] = replace(prev, end_ms=cue.end_ms, lines=(a, b), source=prev.source + cue.source)
                continue
        out.append(cue)
    return out
