"""Word documents made at test time, the way producers' files look (python-docx + small XML edits).

`make_column_docx(src_txt, dest_docx)` turns the column transcript into the
.docx a producer would send: a Title paragraph, Heading 1/2 segments, bold
`label：` runs, one tracked insertion (kept when read), one tracked deletion
(dropped) and a comment (never read). The studio's browser tests upload it.
The smaller helpers build the other Word scripts of the labelled set.
"""
from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# What the tracked deletion and the comment say: neither may reach the model.
DELETED_TEXT = "这句话已被编辑删除"
COMMENT_TEXT = "请核实职务名称"
HIDDEN_TEXT = "隐藏的导演备注"

_BOLD_RE = re.compile(r"^\*\*(?P<label>[^*]+?[:：])\*\*(?P<text>.*)$")
_HEADING_RE = re.compile(r"^(#+)\s*(.*)$")
_DATE = "2022-02-20T10:00:00Z"


def _run_xml(text: str, *, deleted: bool = False, bold: bool = False, hidden: bool = False):
    r = OxmlElement("w:r")
    if bold or hidden:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if hidden:
            rpr.append(OxmlElement("w:vanish"))
        r.append(rpr)
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _revision(tag: str, rid: int):
    el = OxmlElement(tag)
    el.set(qn("w:id"), str(rid))
    el.set(qn("w:author"), "编辑部")
    el.set(qn("w:date"), _DATE)
    return el


def add_inserted(paragraph, text: str, rid: int = 101) -> None:
    """A tracked insertion at the end of the paragraph (`w:ins` around a run)."""
    ins = _revision("w:ins", rid)
    ins.append(_run_xml(text))
    paragraph._p.append(ins)


def add_deleted(paragraph, text: str, rid: int = 102) -> None:
    """A tracked deletion at the end of the paragraph (`w:del` with `w:delText`)."""
    deletion = _revision("w:del", rid)
    deletion.append(_run_xml(text, deleted=True))
    paragraph._p.append(deletion)


def add_hidden(paragraph, text: str) -> None:
    """Hidden text (`w:vanish`), as a producer's private note."""
    paragraph._p.append(_run_xml(text, hidden=True))


def add_label_paragraph(document, label: str, text: str, style: str | None = None):
    """`label：` in a bold run, then the text: how a producer marks a speaker in Word."""
    p = document.add_paragraph(style=style)
    p.add_run(label).bold = True
    if text:
        p.add_run(text)
    return p


def make_column_docx(src_txt: str | Path, dest_docx: str | Path) -> Path:
    """The column transcript as a producer's .docx (same words, same structure).

    The first guest answer's last sentence is a tracked insertion and is
    followed by a tracked deletion; the host's first turn carries a comment."""
    lines = Path(src_txt).read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    seen_heading = False
    inserted = commented = False
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            continue
        heading = _HEADING_RE.match(line)
        bold = _BOLD_RE.match(line)
        if heading:
            document.add_heading(heading.group(2), level=len(heading.group(1)))
            seen_heading = True
        elif not seen_heading:
            document.add_paragraph(line, style="Title")
        elif bold:
            label, text = bold["label"], bold["text"]
            if not commented and label.startswith("主持人"):
                p = add_label_paragraph(document, label, "")
                run = p.add_run(text)
                document.add_comment(run, text=COMMENT_TEXT, author="审核")
                commented = True
            elif not inserted and not label.startswith("主持人"):
                cut = text.rfind("。", 0, len(text) - 1) + 1  # the last sentence becomes the insertion
                p = add_label_paragraph(document, label, text[:cut])
                add_inserted(p, text[cut:])
                add_deleted(p, DELETED_TEXT)
                inserted = True
            else:
                add_label_paragraph(document, label, text)
        else:
            document.add_paragraph(line)
    dest = Path(dest_docx)
    document.save(str(dest))
    return dest


def make_legacy_doc(dest: str | Path) -> Path:
    """A file that starts like a Word 97-2003 .doc (an OLE compound file)."""
    dest = Path(dest)
    dest.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "主持人：这是旧格式".encode("utf-16-le"))
    return dest


def make_damaged_docx(src_docx: str | Path, dest: str | Path) -> Path:
    """A .docx cut short, as an interrupted download or e-mail leaves it."""
    data = Path(src_docx).read_bytes()
    dest = Path(dest)
    dest.write_bytes(data[: len(data) // 2])
    return dest
