"""Advanced SubStation Alpha through pysubs2: a style per role, 1920×1080, a CJK font."""
from __future__ import annotations

from ..segment import Track

EXTENSION = "ass"
# host, guest, narrator: white, pale yellow, pale blue (ASS colours are &HAABBGGRR)
ROLE_COLOURS = {"host": (255, 255, 255), "guest": (255, 236, 140), "narrator": (170, 215, 255)}


def dumps(track: Track, options=None) -> str:
    import pysubs2

    subs = pysubs2.SSAFile()
    subs.info["Title"] = track.title or "broadcaster"
    subs.info["PlayResX"] = "1920"
    subs.info["PlayResY"] = "1080"
    subs.info["WrapStyle"] = "2"  # no automatic wrapping: lines are broken by the segmenter
    font = "Noto Sans CJK SC" if track.profile.language == "zh" else "Noto Sans"
    for role, (r, g, b) in ROLE_COLOURS.items():
        subs.styles[role] = pysubs2.SSAStyle(
            fontname=font, fontsize=60, primarycolor=pysubs2.Color(r, g, b, 0),
            outlinecolor=pysubs2.Color(0, 0, 0, 0), backcolor=pysubs2.Color(0, 0, 0, 128),
            bold=False, outline=3, shadow=1, alignment=pysubs2.Alignment.BOTTOM_CENTER, marginv=60,
        )
    subs.styles.pop("Default", None)
    for cue in track.cues:
        name, role = track.speaker(cue.speaker)
        # ASS has no escapes: braces open override tags (whose insides pysubs2 and ffmpeg drop)
        # and \N, \h are codes, so full-width braces and backslash show the same text
        text = "\\N".join(line.replace("{", "｛").replace("}", "｝").replace("\\", "＼") for line in cue.lines)
        subs.events.append(pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms, text=text,
                                            style=role if role in ROLE_COLOURS else "guest", name=name))
    return subs.to_string("ass")
