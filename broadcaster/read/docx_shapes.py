"""Text boxes, shapes and wrappers in a Word document's XML, seen as Word shows them.

A drawing holds its text box twice (a DrawingML `mc:Choice` and a VML
`mc:Fallback` for old readers): it is read once, from the Choice. Content
controls (`w:sdt`), custom XML and tracked insertions wrap blocks, rows and
cells: `content()` sees through them at every level.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .docx_package import W

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from lxml.etree import _Element

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
V_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
_CONTAINERS = (W + "sdt", W + "customXml", W + "ins", W + "smartTag")  # block content inside: read through them


def content(parent: Iterable[_Element]) -> Iterator[_Element]:
    """The children of a body, cell, row or table, seen through content controls and other wrappers."""
    for child in parent:
        tag = child.tag
        if tag in _CONTAINERS:
            inner = child.find(W + "sdtContent")
            yield from content(inner if inner is not None else child)
        elif tag == MC + "AlternateContent":
            yield from content(choice(child))
        else:
            yield child


def choice(alternate: _Element) -> _Element | tuple[()]:
    """The branch of an `mc:AlternateContent` Word shows: its first Choice (else the Fallback)."""
    for branch in alternate:
        if branch.tag == MC + "Choice":
            return branch
    fallback = alternate.find(MC + "Fallback")
    return fallback if fallback is not None else ()


def find_boxes(el: Iterable[_Element]) -> Iterator[_Element]:
    """Text boxes and WordArt inside a run, each once: a drawing's `mc:Fallback` repeats them."""
    for child in el:
        tag = child.tag
        if tag == W + "txbxContent" or (tag == V_TEXTPATH and child.get("string")):
            yield child
        elif tag == MC + "AlternateContent":
            yield from find_boxes(choice(child))
        elif isinstance(tag, str):
            yield from find_boxes(child)


_GRAPHIC_DATA = "{http://schemas.openxmlformats.org/drawingml/2006/main}graphicData"
_UNREAD = {"diagram": "a SmartArt diagram", "chart": "a chart", "chartex": "a chart"}


def find_unread(el: Iterable[_Element]) -> Iterator[str]:
    """What a run shows that is kept in other parts and not read: diagrams, charts, embedded objects."""
    for child in el:
        tag = child.tag
        if tag == _GRAPHIC_DATA:
            kind = _UNREAD.get((child.get("uri") or "").rsplit("/", 1)[-1])
            if kind:
                yield kind
        elif tag == W + "object" and child.find(".//{urn:schemas-microsoft-com:office:office}OLEObject") is not None:
            yield "an embedded object (an equation, spreadsheet or drawing made in another program)"
        elif tag == MC + "AlternateContent":
            yield from find_unread(choice(child))
        elif isinstance(tag, str) and tag != W + "txbxContent":
            yield from find_unread(child)


def box_share(body: _Element) -> tuple[int, int]:
    """(visible characters in text boxes, outside them) of the whole body (lxml's own iteration:
    no Python walk over every element)."""
    def size(el: _Element) -> int:
        return sum(len("".join((t.text or "").split())) for t in el.iter(W + "t"))

    total = size(body)
    repeated = sum(size(fb) for fb in body.iter(MC + "Fallback") if not _inside(fb, MC + "Fallback"))
    inside = 0
    for box in body.iter(W + "txbxContent", V_TEXTPATH):
        if _inside(box, MC + "Fallback") or _inside(box, W + "txbxContent"):
            continue  # the Fallback's copy, or a box in a box (counted with its outer box)
        inside += size(box) if box.tag != V_TEXTPATH else len("".join((box.get("string") or "").split()))
    return inside, max(total - repeated - inside, 0)


def _inside(el: _Element, tag: str) -> bool:
    return any(a.tag == tag for a in el.iterancestors())
