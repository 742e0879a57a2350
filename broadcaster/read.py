"""Read a transcript file: bytes → normalised lines, whatever the encoding.

UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK, Big5 and the
rest are told apart by charset-normalizer (a maintained detector), never by
hand-written guessing. Line ends, U+2028/2029 and trailing spaces are
normalised here so that the model holds only what round-trips through SRT.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from .errors import DecodeError

MAX_INPUT_BYTES = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Detector answers that are subsets of GB18030: decode with the superset.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "hz", "gb18030"}
# C0/C1 controls other than tab and newline carry no text; they are removed
# (and reported) rather than passed on to subtitle files that reject them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def detect_encoding(data: bytes) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_utf16(data):
        return "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
    from charset_normalizer import from_bytes  # loaded only for non-UTF-8 input

    best = from_bytes(data, cp_isolation=None).best()
    if best is None:
        raise DecodeError("cannot decode: not text in any known encoding (is it a binary file?)", line=1)
    name = best.encoding.lower().replace("_", "-")
    return "gb18030" if name.replace("-", "") in _GB_FAMILY else name


def _looks_like_utf16(data: bytes) -> bool:
    """BOM-less UTF-16: ASCII-range text has a zero in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return False
    zeros_odd = data[1::2].count(0) / (len(data) // 2)
    zeros_even = data[0::2].count(0) / (len(data) // 2)
    return max(zeros_odd, zeros_even) > 0.3 and min(zeros_odd, zeros_even) < 0.05


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Raises DecodeError for binary or undecodable data."""
    encoding = detect_encoding(data)
    if "\x00" in data.decode("latin-1") and not encoding.startswith("utf-16") and not encoding.startswith("utf-32"):
        nul = data.index(0)
        line = data.count(b"\n", 0, nul) + 1
        if data.count(0) > max(4, len(data) // 100):
            raise DecodeError("cannot decode: this looks like a binary file, not a transcript", line=line)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data.count(b"\n", 0, getattr(exc, "start", 0)) + 1
        raise DecodeError(f"cannot decode as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}", line=line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding


def normalise(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Split into lines and clean them. Returns (lines, [(line, what was cleaned)])."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\u0085", "\n")
    lines: list[str] = []
    cleaned: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = unicodedata.normalize("NFC", line.replace("\ufeff", "").replace("\u3000", " ").replace("\u00a0", " "))
        if _CONTROL_RE.search(line):
            cleaned.append((number, "removed control characters"))
            line = _CONTROL_RE.sub(" " if "\t" not in line else "", line)
        lines.append(line.replace("\t", " ").rstrip())
    return lines, cleaned


def read_lines(path: str | Path) -> tuple[list[str], str, list[tuple[int, str]]]:
    """Read and decode a transcript file. Returns (lines, encoding, cleaning notes)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise DecodeError(f"file is {size // (1024 * 1024)} MiB; transcripts over 64 MiB are refused", path=str(path), line=1)
        data = p.read_bytes()
    except IsADirectoryError:
        raise DecodeError("is a folder, not a transcript file", path=str(path), line=1) from None
    except FileNotFoundError:
        raise DecodeError("no such file", path=str(path), line=1) from None
    except PermissionError:
        raise DecodeError("permission denied", path=str(path), line=1) from None
    try:
        text, encoding = decode(data)
    except DecodeError as exc:
        raise exc.located(str(path))
    lines, cleaned = normalise(text)
    return lines, encoding, cleaned
