"""FCP7 XML (xmeml version 4): the sequence with the same markers, for Premiere Pro.

Premiere imports a sequence from this with its markers (segments, turns with
the speaker's name, the hard out), timecode (drop-frame at 29.97: timebase 30,
ntsc TRUE) and the programme's media on V1/A1 (the preview video or the
rehearsal audio; offline until rendered or relinked). Subtitles go to
Premiere as the SRT (File > Import makes a caption track), so they are not
repeated here. Marker times are frame numbers.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from .edit import Edit

EXTENSION = "xml"


def _rate(etree: Any, parent: Any, edit: Edit) -> None:
    rate = etree.SubElement(parent, "rate")
    etree.SubElement(rate, "timebase").text = str(edit.rate.timebase)
    etree.SubElement(rate, "ntsc").text = "TRUE" if edit.rate.ntsc else "FALSE"


def _sub(etree: Any, parent: Any, tag: str, text: object) -> None:
    etree.SubElement(parent, tag).text = str(text)


def dumps(edit: Edit, media_url: str) -> bytes:
    root = etree.Element("xmeml", version="4")
    seq = etree.SubElement(root, "sequence", id="sequence-1")
    _sub(etree, seq, "name", edit.name)
    _sub(etree, seq, "duration", edit.total)
    _rate(etree, seq, edit)
    tc = etree.SubElement(seq, "timecode")
    _rate(etree, tc, edit)
    _sub(etree, tc, "string", edit.rate.timecode(0))
    _sub(etree, tc, "frame", 0)
    _sub(etree, tc, "displayformat", "DF" if edit.rate.drop_frame else "NDF")
    _sub(etree, seq, "in", -1)
    _sub(etree, seq, "out", -1)
    media = etree.SubElement(seq, "media")
    video = etree.SubElement(media, "video")
    fmt = etree.SubElement(etree.SubElement(video, "format"), "samplecharacteristics")
    _rate(etree, fmt, edit)
    _sub(etree, fmt, "width", edit.width)
    _sub(etree, fmt, "height", edit.height)
    _sub(etree, fmt, "pixelaspectratio", "square")
    audio = etree.SubElement(media, "audio")
    kinds = (("video", video), ("audio", audio)) if edit.media_kind == "video" else (("audio", audio),)
    for n, (kind, holder) in enumerate(kinds):
        track = etree.SubElement(holder, "track")
        item = etree.SubElement(track, "clipitem", id=f"clipitem-{n + 1}")
        _sub(etree, item, "name", Path(edit.media).stem)
        _sub(etree, item, "duration", edit.duration)
        _rate(etree, item, edit)
        for tag, value in (("start", 0), ("end", edit.duration), ("in", 0), ("out", edit.duration)):
            _sub(etree, item, tag, value)
        if n == 0:
            f = etree.SubElement(item, "file", id="file-1")
            _sub(etree, f, "name", edit.media)
            _sub(etree, f, "pathurl", media_url)
            _rate(etree, f, edit)
            _sub(etree, f, "duration", edit.duration)
            fmedia = etree.SubElement(f, "media")
            if edit.media_kind == "video":
                v = etree.SubElement(etree.SubElement(fmedia, "video"), "samplecharacteristics")
                _sub(etree, v, "width", edit.media_size[0])
                _sub(etree, v, "height", edit.media_size[1])
            a = etree.SubElement(etree.SubElement(fmedia, "audio"), "samplecharacteristics")
            _sub(etree, a, "depth", 16)
            _sub(etree, a, "samplerate", 48000)
        else:
            etree.SubElement(item, "file", id="file-1")  # the same file, by reference
        if kind == "audio":
            st = etree.SubElement(item, "sourcetrack")
            _sub(etree, st, "mediatype", "audio")
            _sub(etree, st, "trackindex", 1)
    for m in edit.markers:
        el = etree.SubElement(seq, "marker")
        _sub(etree, el, "name", m.name)
        _sub(etree, el, "comment", m.note or f"{m.kind} {edit.rate.timecode(m.frame)}")
        _sub(etree, el, "in", m.frame)
        _sub(etree, el, "out", -1)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype="<!DOCTYPE xmeml>")
