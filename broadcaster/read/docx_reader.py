"""The walk through a Word document's body: paragraphs, runs, tables, boxes → text lines.

Each Word paragraph becomes the line the text form would have (see docx.py);
tables go to docx_table, text boxes are found by docx_shapes, numbers come from
docx_numbering and equations from docx_math.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .docx_math import M, linear
from .docx_numbering import Numbering
from .docx_package import W, Package
from .docx_shapes import MC, V_TEXTPATH, box_share, choice, content, find_boxes, find_unread
from .docx_table import COLON_END_RE, Table

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from lxml.etree import _Element

_HEADING_NAME_RE = re.compile(r"^(?:heading|标题|標題|見出し|überschrift)\s*(\d)$", re.I)
_HEADING_ID_RE = re.compile(r"^heading\s*(\d)$", re.I)
_SHAPES = (W + "drawing", W + "pict", W + "object", MC + "AlternateContent")  # run children that may hold boxes
_TITLE_NAMES = {"title", "标题", "標題", "表題"}

@dataclass
class DocxLines:
    """The document as text lines, with the Word paragraph number of each."""

    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (¶, what was not read)

    def add(self, number: int, line: str) -> None:
        self.lines.append(line)
        self.numbers.append(number)

    def paragraph(self, number: int, text: str) -> None:
        """One paragraph: its lines (soft breaks stay line breaks), then a blank line."""
        for part in text.split("\n"):
            self.add(number, part)
        self.add(number, "")


# -- styles ------------------------------------------------------------------------------

@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    bold: bool | None
    hidden: bool | None


def _on(el: _Element | None) -> bool | None:
    """A toggle property (<w:b/>, <w:vanish w:val="0"/>): True, False, or None when absent."""
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


def _mark_deleted(p: _Element) -> bool:
    """Was this paragraph's mark deleted as a tracked change (`w:pPr/w:rPr/w:del`)? Accepted, the
    paragraph runs into the next one."""
    ppr = p.find(W + "pPr")
    rpr = ppr.find(W + "rPr") if ppr is not None else None
    return rpr is not None and rpr.find(W + "del") is not None


def _styles(root: _Element | None) -> dict[str, _Style]:
    out: dict[str, _Style] = {}
    if root is None:
        return out
    for el in root.iter(W + "style"):
        sid = el.get(W + "styleId") or ""
        name = el.find(W + "name")
        based = el.find(W + "basedOn")
        outline = el.find(f"{W}pPr/{W}outlineLvl")
        rpr = el.find(W + "rPr")
        out[sid] = _Style(
            name=(name.get(W + "val") if name is not None else "").strip(),
            based_on=based.get(W + "val") if based is not None else None,
            outline=int(outline.get(W + "val")) if outline is not None and (outline.get(W + "val") or "").isdigit() else None,
            bold=_on(rpr.find(W + "b")) if rpr is not None else None,
            hidden=_on(rpr.find(W + "vanish")) if rpr is not None else None,
        )
    return out


class Reader:
    def __init__(self, package: Package) -> None:
        self.styles = _styles(package.styles)
        self.numbering = Numbering(package.numbering, package.styles)
        self.number = 0
        self.out = DocxLines()
        self.boxes: list[tuple[int, object]] = []  # (characters before it in its paragraph, box) of this paragraph
        inside, outside = box_share(package.body)
        self.boxes_are_text = inside > 0 and inside >= outside  # the script is laid out in text boxes
        if self.boxes_are_text:
            self.out.notes.append((1, "most of the text is in text boxes or shapes: they are read as the script"))

    def chain(self, sid: str | None) -> Iterator[tuple[str, _Style]]:
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            yield sid, self.styles[sid]
            sid = self.styles[sid].based_on

    def inherited(self, sid: str | None, attr: str) -> bool | int | str | None:
        for _, style in self.chain(sid):
            value = getattr(style, attr)
            if value is not None:
                return value
        return None

    def heading_level(self, p: _Element) -> int | None:
        """0 for a title, 1-9 for a heading, None for body text."""
        ppr = p.find(W + "pPr")
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        if outline is not None and (outline.get(W + "val") or "").isdigit():
            value = int(outline.get(W + "val"))
            return value + 1 if value < 9 else None
        style = ppr.find(W + "pStyle") if ppr is not None else None
        named = style.get(W + "val") if style is not None else None
        if named and named not in self.styles:  # no styles part (or no such style): its ID may still say it
            m = _HEADING_ID_RE.match(named)
            return 0 if named.lower() == "title" else int(m.group(1)) if m and m.group(1) != "0" else None
        for sid, st in self.chain(named):
            name = st.name.lower()
            if sid.lower() == "title" or name in _TITLE_NAMES:
                return 0
            m = _HEADING_NAME_RE.match(name) or _HEADING_ID_RE.match(sid)
            if m and m.group(1) != "0":
                return int(m.group(1))
            if st.outline is not None:
                return st.outline + 1 if st.outline < 9 else None
        return None

    # -- body ---------------------------------------------------------------------
    def blocks(self, parent: Iterable[_Element]) -> None:
        joining: list = []  # paragraphs whose mark was deleted as a tracked change: they run into the next
        for child in content(parent):
            if child.tag == W + "p" and _mark_deleted(child):
                joining.append(child)
                continue
            if joining and child.tag in (W + "tbl", W + "altChunk"):
                # a table follows: nothing to run into (a bookmark or section mark between is no obstacle)
                self.paragraph(joining.pop(), joining)
                joining = []
            if child.tag == W + "p":
                self.paragraph(child, joining)
                joining = []
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag == W + "altChunk":
                self.out.notes.append((self.number + 1, "an imported document part (altChunk) not read: "
                                                        "open the file in Word and save it again to include it"))
        if joining:
            self.paragraph(joining.pop(), joining)

    def paragraph(self, p: _Element, joined: Iterable[_Element] = ()) -> None:
        """One paragraph as it reads with changes accepted: after `joined`, the paragraphs whose
        marks were deleted, run into it (numbered ¶ by the first, styled by the mark that stays)."""
        first = self.number + 1
        runs = []
        self.boxes = []
        for part in (*joined, p):
            self.number += 1
            runs += self.runs(part)
        boxes, self.boxes = self.boxes, []
        if joined:
            self.out.notes.append((first, f"joined with ¶{self.number}: the paragraph mark between them was "
                                          "deleted as a tracked change"))
        self._boxes(first, [b for at, b in boxes if at == 0])
        text = "".join(t for t, _ in runs).strip()
        if text:
            level = self.heading_level(p)
            label = self.number_label(p)
            if level is not None:
                title = " ".join(text.split())
                self.out.paragraph(first, "#" * max(level, 1) + " " + _numbered(label, title))
            else:
                line = _labelled(runs)
                if label and not line.startswith("**"):
                    line = _safe_start(_numbered(label, "".join(t for t, _ in runs).strip()))
                self.out.paragraph(first, line)
        else:
            self.number_label(p)  # an empty numbered paragraph still counts
            self.out.add(first, "")
        self._boxes(first, [b for at, b in boxes if at != 0])

    def number_label(self, p: _Element) -> tuple[str, str] | None:
        ppr = p.find(W + "pPr")
        style = ppr.find(W + "pStyle") if ppr is not None else None
        return self.numbering.label(p, style.get(W + "val") if style is not None else None)

    def runs(self, p: _Element) -> list[tuple[str, bool]]:
        """(text, bold) of each visible run, in order, as the document reads with changes accepted."""
        ppr = p.find(W + "pPr")
        pstyle = ppr.find(W + "pStyle") if ppr is not None else None
        para_style = pstyle.get(W + "val") if pstyle is not None else None
        out: list[tuple[str, bool]] = []
        dropped = {"deleted": 0, "hidden": 0}
        self._walk(p, para_style, out, dropped)
        for what, count in dropped.items():
            if count:
                self.out.notes.append((self.number, f"{count} characters of {what} text not read"))
        return out

    def _walk(self, el: Iterable[_Element], para_style: str | None, out: list[tuple[str, bool]],
              dropped: dict[str, int]) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self._run(child, para_style, out, dropped)
            elif tag in (W + "del", W + "moveFrom"):
                dropped["deleted"] += sum(len(t.text or "") for t in child.iter(W + "delText", W + "t"))
            elif tag in (W + "ins", W + "moveTo", W + "hyperlink", W + "smartTag", W + "customXml",
                         W + "fldSimple", W + "sdtContent", W + "dir", W + "bdo"):
                self._walk(child, para_style, out, dropped)
            elif tag == W + "sdt":
                inner = child.find(W + "sdtContent")
                if inner is not None:
                    self._walk(inner, para_style, out, dropped)
            elif tag == MC + "AlternateContent":
                self._walk(choice(child), para_style, out, dropped)
            elif tag == W + "ruby":  # phonetic guide: the base text is what the line says
                base = child.find(W + "rubyBase")
                if base is not None:
                    self._walk(base, para_style, out, dropped)
            elif tag in (M + "oMath", M + "oMathPara"):
                text = linear(child)
                if text:  # two equations side by side stay apart
                    out.append((" " + text if out and out[-1][0][-1:].strip() else text, False))

    def _run(self, r: _Element, para_style: str | None, out: list[tuple[str, bool]], dropped: dict[str, int]) -> None:
        rpr = r.find(W + "rPr")
        rstyle = rpr.find(W + "rStyle") if rpr is not None else None
        char_style = rstyle.get(W + "val") if rstyle is not None else None

        def prop(tag: str, attr: str) -> bool | int | str:
            direct = _on(rpr.find(W + tag)) if rpr is not None else None
            if direct is not None:
                return direct
            value = self.inherited(char_style, attr)
            return value if value is not None else bool(self.inherited(para_style, attr))

        shapes = [child for child in r if child.tag in _SHAPES]
        if shapes:  # most runs hold only text: no walk into them
            boxes = list(find_boxes(shapes))
            if boxes:
                before = sum(len(t.strip()) for t, _ in out)
                self.boxes += [(before, box) for box in boxes]
            for what in find_unread(shapes):
                self.out.notes.append((self.number, f"{what} not read: its text, if any, is not in the script"))
        parts = []
        for child in r:
            tag = child.tag
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag in (M + "oMath", M + "oMathPara"):
                parts.append(linear(child))
        text = "".join(parts)
        if not text:
            return
        if prop("vanish", "hidden"):
            dropped["hidden"] += len(text.strip())
            return
        out.append((text, bool(prop("b", "bold"))))

    # -- text boxes and shapes ------------------------------------------------------
    def _boxes(self, anchor: int, boxes: list) -> None:
        """Boxes anchored in paragraph ¶anchor: the script's text, or notes shown and never spoken."""
        for box in boxes:
            lines = self._box_lines(box)
            if self.boxes_are_text:
                for line in lines.lines:
                    self.out.add(anchor, line)
                self.out.notes += [(anchor, msg) for _, msg in lines.notes]
                continue
            text = " ".join(" ".join(_plain(line).split()) for line in lines.lines if line.strip())
            if not text:
                continue
            self.out.notes.append((anchor, f"text box read as a note, not spoken: {text!r}"))
            note = text.replace("[", "（").replace("]", "）")
            self.out.paragraph(anchor, "".join(f"[{note[i:i + 78]}]" for i in range(0, len(note), 78)))

    def _box_lines(self, box: _Element) -> DocxLines:
        """A box's paragraphs read as the body's are, numbered ¶ as its anchor (Word counts them apart)."""
        saved, number, pending = self.out, self.number, self.boxes
        self.out = DocxLines()
        try:
            if box.tag == V_TEXTPATH:  # WordArt drawn with VML: its text is an attribute
                self.out.paragraph(0, box.get("string") or "")
            else:
                self.blocks(box)
            return self.out
        finally:
            self.out, self.number, self.boxes = saved, number, pending

    # -- tables -------------------------------------------------------------------
    def table(self, tbl: _Element) -> None:
        rows = []
        for tr in content(tbl):
            if tr.tag != W + "tr":
                continue
            cells = []
            for tc in content(tr):
                if tc.tag == W + "tc":
                    cells.append(self.cell(tc))
            rows.append(cells)
        Table(rows, self.out).emit()

    def cell(self, tc: _Element) -> list[tuple[int, str]]:
        """A cell's paragraphs (a nested table's too, in order) as (¶, text)."""
        paragraphs = []
        for child in content(tc):
            if child.tag == W + "tbl":
                for tr in content(child):
                    for inner in (content(tr) if tr.tag == W + "tr" else ()):
                        if inner.tag == W + "tc":
                            paragraphs += self.cell(inner)
                continue
            if child.tag != W + "p":
                continue
            self.number += 1
            self.boxes = []
            runs = self.runs(child)
            boxes, self.boxes = self.boxes, []
            text = "".join(t for t, _ in runs).strip()
            label = self.number_label(child)
            if text:
                paragraphs.append((self.number, " ".join(_numbered(label, text).split("\n"))))
            if boxes:
                saved = self.out
                self.out = DocxLines()
                self._boxes(self.number, [b for _, b in boxes])
                box_out, self.out = self.out, saved
                self.out.notes += box_out.notes
                paragraphs += [(n, line) for n, line in zip(box_out.numbers, box_out.lines, strict=True) if line.strip()]
        return paragraphs


def _numbered(label: tuple[str, str] | None, text: str) -> str:
    """The automatic number written before the text it numbers: `一、标题`, `1. Item`."""
    if not label:
        return text
    number, suffix = label
    joiner = "" if suffix == "nothing" or not number[-1].isascii() else " "
    return number + joiner + text


def _plain(line: str) -> str:
    """A line of the text form without its heading marks and bold label markup."""
    return re.sub(r"^#+ ", "", line).replace("**", "")


def _labelled(runs: list[tuple[str, bool]]) -> str:
    """A paragraph's text, with a bold opening label written as `**label：**` (as in the text form)."""
    text = "".join(t for t, _ in runs).lstrip()
    i = 0
    while i < len(runs) and not runs[i][0].strip():
        i += 1
    bold = ""
    while i < len(runs) and (runs[i][1] or not runs[i][0].strip()):
        bold += runs[i][0]
        i += 1
    rest = "".join(t for t, _ in runs[i:])
    label = bold.strip()
    if label and "\n" not in label and "*" not in label:
        if COLON_END_RE.search(label):
            return _safe_start(f"**{label}**{rest.lstrip()}")
        if re.match(r"^\s*[:：]", rest):
            return _safe_start(f"**{label}**{rest.lstrip()}")
    return _safe_start(text)


def _safe_start(text: str) -> str:
    """Body text that starts with `#` is not a heading in Word: escape it for the text parser."""
    return "\\" + text if text.startswith("#") else text
