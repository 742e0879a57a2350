"""Advanced SubStation Alpha through pysubs2: a style per role, 1920×1080, a CJK font."""
from __future__ import annotations

import pysubs2

from ..profile import Profile
from ..segment import Track

EXTENSION = "ass"
# host, guest, narrator: white, pale yellow, pale blue (ASS colours are &HAABBGGRR)
ROLE_COLOURS = {"host": (255, 255, 255), "guest": (255, 236, 140), "narrator": (170, 215, 255)}


def font_for(profile: Profile) -> str:
    """Noto Sans CJK in the script's regional glyph forms (TC for Traditional)."""
    if profile.language != "zh":
        return "Noto Sans"
    return "Noto Sans CJK TC" if profile.name.startswith("zh-Hant") else "Noto Sans CJK SC"


def ass_text(line: str) -> str:
    # ASS has no escapes: braces open override tags (whose insides pysubs2 and ffmpeg drop)
    # and \N, \h are codes, so full-width braces and backslash show the same text
    return line.replace("{", "｛").replace("}", "｝").replace("\\", "＼")


def role_styles(font: str) -> dict:
    return {role: pysubs2.SSAStyle(
        fontname=font, fontsize=60, primarycolor=pysubs2.Color(r, g, b, 0),
        outlinecolor=pysubs2.Color(0, 0, 0, 0), backcolor=pysubs2.Color(0, 0, 0, 128),
        bold=False, outline=3, shadow=1, alignment=pysubs2.Alignment.BOTTOM_CENTER, marginv=60,
    ) for role, (r, g, b) in ROLE_COLOURS.items()}


def events(track: Track) -> list:
    out = []
    for cue in track.cues:
        name, role = track.speaker(cue.speaker)
        out.append(pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms, text="\\N".join(ass_text(ln) for ln in cue.lines),
                                    style=role if role in ROLE_COLOURS else "guest", name=name))
    return out


def new_script(title: str) -> pysubs2.SSAFile:
    """An empty ASS script on a 1920×1080 canvas, without pysubs2's Default style."""
    subs = pysubs2.SSAFile()
    subs.info["Title"] = title
    subs.info["PlayResX"] = "1920"
    subs.info["PlayResY"] = "1080"
    subs.info["WrapStyle"] = "2"  # no automatic wrapping: lines are broken by the segmenter
    subs.styles.pop("Default", None)
    return subs


def dumps(track: Track, options: object = None) -> str:
    subs = new_script(track.title or "broadcaster")
    subs.styles.update(role_styles(font_for(track.profile)))
    subs.events.extend(events(track))
    return subs.to_string("ass")
