"""Word documents (.docx, also as WPS saves them) → the lines the text parser reads.

python-docx opens the package and resolves styles; the paragraph XML is walked
here only for what it does not expose: text inside tracked insertions (`w:ins`,
kept), deletions (`w:del`/`w:delText`, dropped; a deleted paragraph mark
joins its paragraph to the next), and hidden text (`w:vanish`, dropped).
Comments, footnotes, headers and footers live in other parts of the package
and are never opened.

Each Word paragraph becomes the line the text form would have: a heading
(style ID, style name in any UI language, or outline level) → `# title`; a
bold run opening a paragraph and ending with a colon → `**label：**text`; a
row of a speaker | text table → a labelled turn. So a script reads the same
as a .docx as it does as text, and every line keeps its Word paragraph
number (¶N) for warnings.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .decode import sniff
from .docx_table import COLON_END_RE, Table

MAX_PART_BYTES = 256 * 1024 * 1024  # uncompressed document.xml: a larger one is a ZIP bomb, not a script
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAVE_AS = "open it in Word or WPS and save it as a Word document (.docx), then try again"

_HEADING_NAME_RE = re.compile(r"^(?:heading|标题|標題|見出し|überschrift)\s*(\d)$", re.I)
_HEADING_ID_RE = re.compile(r"^heading\s*(\d)$", re.I)
_CONTAINERS = (W + "sdt", W + "customXml", W + "ins", W + "smartTag")  # block content inside: read through them
_TITLE_NAMES = {"title", "标题", "標題", "表題"}


def refuse(path: str | Path, kind: str) -> InputError:
    """The one-line error for a file that is not a readable .docx (or text)."""
    suffix = Path(path).suffix.lower()
    if kind == "ole":
        with open(path, "rb") as fh:
            data = fh.read(1 << 20)
        if "EncryptedPackage".encode("utf-16-le") in data:
            why = "a password-protected (encrypted) Word document: remove the password and save it as .docx"
            return InputError(f"cannot read {why}, then try again", path=str(path), line=1)
        what = "a WPS (.wps)" if suffix == ".wps" else "a Word 97-2003 (.doc)" if suffix != ".docx" else \
            "an old-format Word file named .docx"
        return InputError(f"{what} document cannot be read: {SAVE_AS}", path=str(path), line=1)
    if kind == "rtf":
        return InputError(f"an RTF document cannot be read: {SAVE_AS}", path=str(path), line=1)
    if kind == "odt":
        return InputError(f"an OpenDocument (.odt) file cannot be read: {SAVE_AS}", path=str(path), line=1)
    if kind == "zip":
        return InputError("a ZIP archive, not a transcript: give a .docx or a text file", path=str(path), line=1)
    what = "the .docx file is damaged" if suffix in (".docx", ".docm", ".dotx") else "not a readable Word document"
    return InputError(f"{what} and cannot be opened: open it in Word or WPS (they can repair it) and save it "
                      "as .docx again, or export it as text", path=str(path), line=1)


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


def open_docx(path: str | Path):
    """The python-docx Document, or the one-line refusal."""
    kind = sniff(path)
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
                    raise refuse(path, "odt")
                if "word/document.xml" not in names and not any(n.endswith("document.xml") for n in names):
                    raise refuse(path, "zip" if Path(path).suffix.lower() != ".docx" else "damaged")
                if sum(i.file_size for i in zf.infolist() if i.filename.startswith("word/")) > MAX_PART_BYTES:
                    raise InputError("the .docx unpacks to more than 256 MiB of XML: refused (is it a real script?)",
                                     path=str(path), line=1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise refuse(path, "damaged") from None
    elif kind != "docx":
        raise refuse(path, kind)
    import docx

    try:
        return docx.Document(str(path))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors...: all mean "damaged"
        raise refuse(path, "damaged") from None


def parse_docx(path: str | Path):
    """Read a .docx into the Episode, exactly as its text form would parse (¶N for line numbers)."""
    from .text import Parser

    doc, _, lines, cleaned = read_docx_text(path)
    numbers = doc.numbers
    notes = sorted([(numbers[n - 1], msg) for n, msg in cleaned] + doc.notes)
    return Parser(str(path), notes, unit="paragraph").parse(lines, numbers)


def read_docx_text(path: str | Path) -> tuple[DocxLines, list[str], list[str], list]:
    """(document, its lines as text, those lines normalised, what normalising cleaned); an
    empty document is refused. A line break inside a line (soft break) reads as a space."""
    from .decode import normalise

    doc = read_docx(path)
    flat = [re.sub(r"[\r\u2028\u2029\x85\n]", " ", line) for line in doc.lines]
    lines, cleaned = normalise("\n".join(flat))
    if not any(line.strip() for line in lines):
        raise InputError("the document is empty: no text to read", path=str(path), line=1)
    return doc, flat, lines, cleaned


def read_docx(path: str | Path) -> DocxLines:
    document = open_docx(path)
    reader = _Reader(document)
    try:
        reader.blocks(document.element.body)
    except InputError:
        raise
    except Exception:  # malformed XML inside a well-formed package
        raise refuse(path, "damaged") from None
    return reader.out


# -- styles ------------------------------------------------------------------------------

@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    bold: bool | None
    hidden: bool | None


def _on(el) -> bool | None:
    """A toggle property (<w:b/>, <w:vanish w:val="0"/>): True, False, or None when absent."""
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


def _mark_deleted(p) -> bool:
    """Was this paragraph's mark deleted as a tracked change (`w:pPr/w:rPr/w:del`)? Accepted, the
    paragraph runs into the next one."""
    ppr = p.find(W + "pPr")
    rpr = ppr.find(W + "rPr") if ppr is not None else None
    return rpr is not None and rpr.find(W + "del") is not None


def _styles(document) -> dict[str, _Style]:
    out = {}
    for el in document.styles.element.iter(W + "style"):
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


class _Reader:
    def __init__(self, document):
        self.styles = _styles(document)
        self.number = 0
        self.out = DocxLines()

    def chain(self, sid: str | None):
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            yield sid, self.styles[sid]
            sid = self.styles[sid].based_on

    def inherited(self, sid: str | None, attr: str):
        for _, style in self.chain(sid):
            value = getattr(style, attr)
            if value is not None:
                return value
        return None

    def heading_level(self, p) -> int | None:
        """0 for a title, 1-9 for a heading, None for body text."""
        ppr = p.find(W + "pPr")
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        if outline is not None and (outline.get(W + "val") or "").isdigit():
            value = int(outline.get(W + "val"))
            return value + 1 if value < 9 else None
        style = ppr.find(W + "pStyle") if ppr is not None else None
        for sid, st in self.chain(style.get(W + "val") if style is not None else None):
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
    def blocks(self, parent) -> None:
        joining: list = []  # paragraphs whose mark was deleted as a tracked change: they run into the next
        for child in parent:
            if child.tag == W + "p" and _mark_deleted(child):
                joining.append(child)
                continue
            if joining and (child.tag == W + "tbl" or child.tag in _CONTAINERS):
                # a table or a block of content follows: nothing to run into
                self.paragraph(joining.pop(), joining)
                joining = []
            if child.tag == W + "p":
                self.paragraph(child, joining)
                joining = []
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag in _CONTAINERS:
                content = child.find(W + "sdtContent")
                self.blocks(content if content is not None else child)
        if joining:
            self.paragraph(joining.pop(), joining)

    def paragraph(self, p, joined=()) -> None:
        """One paragraph as it reads with changes accepted: after `joined`, the paragraphs whose
        marks were deleted, run into it (numbered ¶ by the first, styled by the mark that stays)."""
        first = self.number + 1
        runs = []
        for part in (*joined, p):
            self.number += 1
            runs += self.runs(part)
        if joined:
            self.out.notes.append((first, f"joined with ¶{self.number}: the paragraph mark between them was "
                                          "deleted as a tracked change"))
        text = "".join(t for t, _ in runs).strip()
        if not text:
            self.out.add(first, "")
            return
        level = self.heading_level(p)
        if level is not None:
            self.out.paragraph(first, "#" * max(level, 1) + " " + " ".join(text.split()))
            return
        self.out.paragraph(first, _labelled(runs))

    def runs(self, p) -> list[tuple[str, bool]]:
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

    def _walk(self, el, para_style, out, dropped) -> None:
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
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._walk(content, para_style, out, dropped)

    def _run(self, r, para_style, out, dropped) -> None:
        rpr = r.find(W + "rPr")
        rstyle = rpr.find(W + "rStyle") if rpr is not None else None
        char_style = rstyle.get(W + "val") if rstyle is not None else None

        def prop(tag, attr):
            direct = _on(rpr.find(W + tag)) if rpr is not None else None
            if direct is not None:
                return direct
            value = self.inherited(char_style, attr)
            return value if value is not None else bool(self.inherited(para_style, attr))

        boxes = dict.fromkeys("".join(t.text or "" for t in box.iter(W + "t")).strip()
                              for box in r.iter(W + "txbxContent"))  # a drawing holds its box twice (mc:Fallback)
        for box in filter(None, boxes):
            self.out.notes.append((self.number, f"text box not read (move it into the text to have it read): {box!r}"))
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
        text = "".join(parts)
        if not text:
            return
        if prop("vanish", "hidden"):
            dropped["hidden"] += len(text.strip())
            return
        out.append((text, bool(prop("b", "bold"))))

    # -- tables -------------------------------------------------------------------
    def table(self, tbl) -> None:
        rows = []
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not tbl:
                continue  # a nested table's rows are read as its cell's text
            cells = []
            for tc in tr.findall(W + "tc"):
                paragraphs = []
                for p in tc.iter(W + "p"):
                    self.number += 1
                    runs = self.runs(p)
                    text = "".join(t for t, _ in runs).strip()
                    if text:
                        paragraphs.append((self.number, " ".join(text.split("\n"))))
                cells.append(paragraphs)
            rows.append(cells)
        Table(rows, self.out).emit()


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