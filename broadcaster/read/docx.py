"""Word documents (.docx, also as WPS saves them) → the lines the text parser reads.

docx_package opens the package (with a budget, Strict read as Transitional);
the XML is walked here as a person reads the page: text inside tracked
insertions (`w:ins`, kept), deletions (`w:del`/`w:delText`, dropped; a
deleted paragraph mark joins its paragraph to the next), hidden text
(`w:vanish`, dropped), content controls (`w:sdt`) at every level, equations as
their linear text (docx_math), automatic numbers (docx_numbering) and text
boxes (read once, not again through their `mc:Fallback`). Comments, footnotes,
headers and footers live in other parts of the package and are never opened.

Text boxes and shapes are notes, shown in the prompter and never spoken, unless
the document's text is mostly in them (a script laid out in boxes): then they
are read as its text, where they are anchored. Each Word paragraph becomes the
line the text form would have: a heading
(style ID, style name in any UI language, or outline level) → `# title`; a
bold run opening a paragraph and ending with a colon → `**label：**text`; a
row of a speaker | text table → a labelled turn. So a script reads the same
as a .docx as it does as text, and every line keeps its Word paragraph
number (¶N) for warnings.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from .decode import sniff
from .docx_package import MAX_PARAGRAPHS, TOO_LARGE, Package, read_package
from .docx_reader import DocxLines, Reader

if TYPE_CHECKING:
    from ..model import Episode

__all__ = ["MAX_PARAGRAPHS", "TOO_LARGE", "DocxLines", "parse_docx", "read_docx", "read_docx_text", "refuse"]

SAVE_AS = "open it in Word or WPS and save it as a Word document (.docx), then try again"


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

def open_docx(path: str | Path) -> Package:
    """The document's parts, or the one-line refusal."""
    kind = sniff(path)
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names and zf.getinfo("mimetype").file_size < 200 and \
                        b"opendocument" in zf.read("mimetype"):
                    raise refuse(path, "odt")
                if not any(n.endswith("document.xml") or n == "_rels/.rels" for n in names):
                    raise refuse(path, "zip" if Path(path).suffix.lower() != ".docx" else "damaged")
        except InputError:
            raise
        except Exception:  # a bad ZIP, bad deflate data (zlib.error), an encrypted entry: all "damaged"
            raise refuse(path, "damaged") from None
    elif kind != "docx":
        raise refuse(path, kind)
    return read_package(path, lambda: refuse(path, "damaged"))


def parse_docx(path: str | Path) -> Episode:
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
        held = sorted({msg.split(" not read", 1)[0] for _, msg in doc.notes if msg.endswith("is not in the script")})
        why = f" (it holds {' and '.join(held)}, whose text is not read)" if held else ""
        raise InputError(f"the document is empty: no text to read{why}", path=str(path), line=1)
    return doc, flat, lines, cleaned


def read_docx(path: str | Path) -> DocxLines:
    package = open_docx(path)
    try:
        reader = Reader(package)
        reader.blocks(package.body)
    except InputError:
        raise
    except Exception:  # malformed XML inside a well-formed package
        raise refuse(path, "damaged") from None
    if package.repaired:
        reader.out.notes.append((1, "the document's XML is damaged: read as far as it could be repaired; compare "
                                    "the text with the document in Word"))
    if package.strict:
        reader.out.notes.append((1, "a Strict Open XML document: read as a Transitional one"))
    return reader.out
