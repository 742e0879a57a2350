"""A file or pasted text → Episode, whatever its kind: a text file in any encoding,
a Word .docx (told by its content), or an episode JSON written by `parse --json`."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import InputError
from ..model import Episode
from .decode import normalise, read_lines, sniff
from .text import Parser


def parse_file(path: str | Path) -> Episode:
    """Read and parse a transcript: a text file in any encoding, a Word .docx (told by its
    content, not its name), or an episode JSON written by `parse --json`."""
    if str(path).endswith(".json"):
        return load_json(path)
    if sniff(path) != "text":
        from .docx import parse_docx  # python-docx and lxml: only for a Word file

        return parse_docx(path)  # a .docx, or the one-line refusal of a .doc/.wps/damaged file
    lines, _, cleaned = read_text(path)
    return Parser(str(path), cleaned).parse(lines)


def read_text(path: str | Path) -> tuple[list[str], str, list]:
    """(lines, encoding, what was cleaned) of a text transcript; an empty one is refused."""
    lines, encoding, cleaned = read_lines(path)
    if not any(_visible(line) for line in lines):
        raise InputError("the file is empty: no text to read", path=str(path), line=1)
    return lines, encoding, cleaned


def _visible(line: str) -> bool:
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") for ch in line)


def parse_text(text: str, source: str = "<text>") -> Episode:
    lines, cleaned = normalise(text)
    return Parser(source, cleaned).parse(lines)


def load_json(path: str | Path) -> Episode:
    import json

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError("not valid episode JSON: it must be UTF-8 (as `parse --json` writes it)",
                         path=str(path), line=1) from None
    except RecursionError:
        raise InputError("not valid episode JSON: nested too deeply", path=str(path), line=1) from None
    except (OSError, ValueError) as exc:  # JSONDecodeError, and ints over Python's digit limit
        line = getattr(exc, "lineno", 1)
        raise InputError(f"not valid episode JSON: {getattr(exc, 'strerror', None) or exc}", path=str(path), line=line) from None
    if not isinstance(data, dict):
        raise InputError("not valid episode JSON: top level is not an object", path=str(path), line=1)
    try:
        return Episode.from_dict(data)
    except InputError as exc:
        raise exc.located(str(path)) from None
