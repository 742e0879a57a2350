"""The parts of a Word package the reader needs, read with a budget.

A .docx is a ZIP of XML parts. Only three are opened: the main document (found
through the package's relationships, so `word/document2.xml` works too), its
styles and its numbering. Each is checked against its declared size before it
is decompressed, read through a bounded stream (a ZIP can lie about sizes), and
its tags counted before lxml builds a tree, so a 785 KB file that unpacks to
250 MiB of XML, or one of millions of empty paragraphs, is refused in well under
a second and a few hundred MB. Word's Strict Open XML (purl.oclc.org namespaces)
is read as Transitional by renaming its namespaces before parsing.
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_PART_BYTES = 32 * 1024 * 1024  # one part's XML: a programme script is a few hundred KB
MAX_TAGS = 3_000_000  # tags in one part (~1.5 M elements): lxml's tree stays a few hundred MB
MAX_PARAGRAPHS = 20_000  # a two-hour debate runs to ~2,000
TOO_LARGE = "this document is larger than a programme script can be"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
# Strict → Transitional: the namespaces differ, the element names do not
_STRICT = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W_NS.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", b"http://schemas.openxmlformats.org/officeDocument/2006/math"),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
)
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class TooLarge(InputError):
    """The package holds more than a programme script can be."""


@dataclass
class Package:
    """The parsed parts: the document's body, and its styles and numbering (None when absent)."""

    body: Any
    styles: Any | None
    numbering: Any | None
    strict: bool = False
    repaired: bool = False  # the document's XML was malformed and was read as lxml's recovery left it


def read_package(path: str | Path, damaged: Callable[[], Exception]) -> Package:
    """Open the .docx at `path`; `damaged()` makes the refusal for a package that cannot be read."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            main = _target(zf, names, "_rels/.rels", "", "officeDocument") or "word/document.xml"
            if main not in names:
                raise damaged()
            rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
            base = posixpath.dirname(main)
            data, strict = _part_bytes(zf, main, path)
            repaired = False
            try:
                document = _parse(data, path)
            except Exception:  # malformed XML: read what a forgiving parser recovers (Word offers a repair too)
                document, repaired = _parse(data, path, recover=True), True
                if document is None:
                    raise
            styles_name = _target(zf, names, rels, base, "styles")
            numbering_name = _target(zf, names, rels, base, "numbering")
            styles = _part(zf, styles_name, path)[0] if styles_name in names else None
            numbering = _part(zf, numbering_name, path)[0] if numbering_name in names else None
    except InputError:
        raise
    except Exception:  # a bad ZIP or XML, an encrypted or unsupported entry, a name listed twice: all "damaged"
        raise damaged() from None
    body = document.find(W + "body")
    if body is None:
        raise damaged()
    count = sum(1 for _ in body.iter(W + "p"))
    if count > MAX_PARAGRAPHS:
        raise TooLarge(f"{TOO_LARGE}: {count:,} paragraphs (at most {MAX_PARAGRAPHS:,}); split it into "
                       "one document per programme", path=str(path), line=1)
    return Package(body, styles, numbering, strict, repaired)


def _target(zf: zipfile.ZipFile, names: set[str], rels_name: str, base: str, kind: str) -> str | None:
    """The part a relationship of this kind (…/officeDocument, …/styles) points to."""
    if rels_name not in names:
        return None
    root = _parse(_read(zf, rels_name, None), None)
    for rel in root.iter(_REL):
        if (rel.get("Type") or "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            return full
    return None


def _part(zf: zipfile.ZipFile, name: str, path: str | Path) -> tuple[Any, bool]:
    data, strict = _part_bytes(zf, name, path)
    return _parse(data, path), strict


def _part_bytes(zf: zipfile.ZipFile, name: str, path: str | Path) -> tuple[bytes, bool]:
    data = _read(zf, name, path)
    strict = b"purl.oclc.org/ooxml/" in data[:4096] or b"purl.oclc.org/ooxml/wordprocessingml" in data
    if strict:
        for old, new in _STRICT:
            data = data.replace(old, new)
    return data, strict


def _read(zf: zipfile.ZipFile, name: str, path: str | Path | None) -> bytes:
    """A part's bytes, never more than MAX_PART_BYTES decompressed, whatever the ZIP claims."""
    info = zf.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise _too_big(path, name, f"{info.file_size / 2**20:.0f} MiB")
    with zf.open(info) as fh:
        data = fh.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise _too_big(path, name, f"more than {MAX_PART_BYTES // 2**20} MiB")
    if data.count(b"<") > MAX_TAGS:
        raise TooLarge(f"{TOO_LARGE}: {name} holds more than {MAX_TAGS:,} XML tags; split it into one document "
                       "per programme", path=str(path), line=1)
    return data


def _too_big(path: str | Path | None, name: str, size: str) -> TooLarge:
    return TooLarge(f"{TOO_LARGE}: {name} unpacks to {size} of XML (at most {MAX_PART_BYTES // 2**20} MiB); "
                    "is it a real script?", path=str(path), line=1)


def _parse(data: bytes, path: str | Path | None, recover: bool = False) -> Any:
    from lxml import etree

    # as python-docx parses (blank text between tags dropped), so documents read as they always did
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True, recover=recover)
    return etree.fromstring(data, parser)

