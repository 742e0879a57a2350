"""FCPXML 1.9: a project Final Cut Pro and DaVinci Resolve import, valid against Apple's DTD.

One event holds one project whose sequence runs at the programme's frame
rate (`frameDuration` 1/25s, 1001/30000s at 29.97 with drop-frame timecode).
Its primary storyline is the programme's media (the preview video, or the
rehearsal audio; offline until rendered or relinked to the recording), and a
gap up to a hard out that lies beyond it. Connected to the media: the
dialogue subtitles as Basic Title clips in lane 1 and the supers and title
cards in lane 2, each with the text style of its role (host, guest, narrator
as in the ASS; supers name larger over title; cards centred), and the markers
(segments, turns with the speaker's name, the hard out). Every time is a whole
number of frames, written as an exact rational number of seconds.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from .edit import Edit, Marker, Title

EXTENSION = "fcpxml"
BASIC_TITLE = ".../Titles.localized/Bumper:Opener.localized/Basic Title.localized/Basic Title.moti"
POSITION_KEY = "9999/999166631/999166633/1/100/101"  # Basic Title's Position parameter
# role → (font size, bold, colour r g b, alignment, position "x y" from the centre at 1080p)
STYLES = {
    "host": (60, False, (1, 1, 1), "center", "0 -440"),
    "guest": (60, False, (1, 0.925, 0.549), "center", "0 -440"),
    "narrator": (60, False, (0.667, 0.843, 1), "center", "0 -440"),
    "super": (64, True, (1, 1, 1), "left", "-640 -300"),
    "super-title": (44, False, (1, 1, 1), "left", "-640 -300"),
    "card": (88, True, (1, 1, 1), "center", "0 0"),
}
FONTS = {"zh": "PingFang SC", "zh-Hant": "PingFang TC", "en": "Helvetica Neue"}


def _t(edit: Edit, frames: int) -> str:
    """A frame count as FCPXML rational seconds: 1001/30000s, 3s, 0s."""
    s = edit.rate.seconds(frames)
    return f"{s.numerator}s" if s.denominator == 1 else f"{s.numerator}/{s.denominator}s"


def _format_name(edit: Edit, height: int) -> str:
    rate = f"{edit.rate.num / edit.rate.den:.2f}".rstrip("0").rstrip(".").replace(".", "")
    return f"FFVideoFormat{height}p{rate}"


def dumps(edit: Edit, media_url: str, font_key: str = "zh") -> bytes:
    """The FCPXML document; media_url is the file:// URL of edit.media."""
    root = etree.Element("fcpxml", version="1.9")
    resources = etree.SubElement(root, "resources")
    frame = _t(edit, 1)
    etree.SubElement(resources, "format", id="r1", name=_format_name(edit, edit.height), frameDuration=frame,
                     width=str(edit.width), height=str(edit.height), colorSpace="1-1-1 (Rec. 709)")
    etree.SubElement(resources, "effect", id="r2", name="Basic Title", uid=BASIC_TITLE)
    media_format = "r1"
    if edit.media_kind == "video" and edit.media_size != (edit.width, edit.height):
        w, h = edit.media_size
        etree.SubElement(resources, "format", id="r3", frameDuration=frame, width=str(w), height=str(h))
        media_format = "r3"
    duration = _t(edit, edit.duration)
    asset = etree.SubElement(resources, "asset", id="r4", name=Path(edit.media).stem, start="0s", duration=duration,
                             hasVideo="1" if edit.media_kind == "video" else "0", hasAudio="1",
                             audioSources="1", audioChannels="2", audioRate="48000")
    if edit.media_kind == "video":
        asset.set("format", media_format)
    etree.SubElement(asset, "media-rep", kind="original-media", src=media_url, suggestedFilename=edit.media)
    library = etree.SubElement(root, "library")
    event = etree.SubElement(library, "event", name=edit.name)
    project = etree.SubElement(event, "project", name=edit.name)
    sequence = etree.SubElement(project, "sequence", format="r1", duration=_t(edit, edit.total), tcStart="0s",
                                tcFormat="DF" if edit.rate.drop_frame else "NDF", audioLayout="stereo",
                                audioRate="48k")
    spine = etree.SubElement(sequence, "spine")
    clip = etree.SubElement(spine, "asset-clip", ref="r4", name=Path(edit.media).stem, offset="0s", start="0s",
                            duration=duration, tcFormat="DF" if edit.rate.drop_frame else "NDF")
    if edit.media_kind == "video":
        clip.set("format", media_format)
    styles = _Styles(etree, FONTS.get(font_key, FONTS["zh"]))
    for title in edit.titles:
        _title(etree, clip, edit, title, styles)
    after = [m for m in edit.markers if m.frame >= edit.duration]
    for m in edit.markers:
        if m.frame < edit.duration:
            _marker(etree, clip, edit, m)
    if after:  # a hard out beyond the programme: the sequence runs on to it in a gap
        gap = etree.SubElement(spine, "gap", name="Gap", offset=duration, start="0s",
                               duration=_t(edit, edit.total - edit.duration))
        for m in after:
            _marker(etree, gap, edit, m, base=edit.duration)
    etree.indent(root, space="  ")
    for text in root.iter("text"):  # a title's text is mixed content: indentation would show in it
        text.text = None
        for span in text:
            span.tail = None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE fcpxml>") + b"\n"


def _marker(etree: Any, parent: Any, edit: Edit, m: Marker, base: int = 0) -> None:
    el = etree.SubElement(parent, "marker", start=_t(edit, m.frame - base), duration=_t(edit, 1), value=m.name)
    if m.note:
        el.set("note", m.note)


class _Styles:
    """text-style-def ids, unique in the document (as Final Cut writes them), one style per role."""

    def __init__(self, etree: Any, font: str) -> None:
        self.etree, self.font, self.count = etree, font, 0

    def define(self, title_el: Any, role: str) -> str:
        size, bold, (r, g, b), align, _ = STYLES[role]
        self.count += 1
        ts_id = f"ts{self.count}"
        d = self.etree.SubElement(title_el, "text-style-def", id=ts_id, name=role)
        self.etree.SubElement(d, "text-style", font=self.font, fontSize=str(size), fontFace="Bold" if bold else "Regular",
                              fontColor=f"{r:g} {g:g} {b:g} 1", bold="1" if bold else "0", alignment=align,
                              strokeColor="0 0 0 1", strokeWidth="2", shadowColor="0 0 0 0.75",
                              shadowOffset="4 315")
        return ts_id


def _title(etree: Any, parent: Any, edit: Edit, title: Title, styles: _Styles) -> None:
    el = etree.SubElement(parent, "title", ref="r2", lane=str(title.lane), offset=_t(edit, title.start),
                          name=" ".join(title.lines)[:60], start="0s", duration=_t(edit, title.duration))
    etree.SubElement(el, "param", name="Position", key=POSITION_KEY, value=STYLES[title.role][4])
    text = etree.SubElement(el, "text")
    if title.role == "super" and len(title.lines) > 1:
        parts = [("super", title.lines[0] + "\n"), ("super-title", "\n".join(title.lines[1:]))]
    else:
        parts = [(title.role, "\n".join(title.lines))]
    spans = []
    for role, content in parts:
        span = etree.SubElement(text, "text-style")
        span.text = content
        spans.append((span, role))
    for span, role in spans:  # the text-style-defs follow the text (DTD order)
        span.set("ref", styles.define(el, role))
