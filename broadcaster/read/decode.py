"""Read a transcript file: bytes → normalised lines, whatever the encoding.

UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK, Big5 and the
rest are told apart by charset-normalizer (a maintained detector), never by
hand-written guessing. Line ends, U+2028/2029 and trailing spaces are
normalised here so that the model holds only what round-trips through SRT.
"""
from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from pathlib import Path

from ..errors import DecodeError

MAX_INPUT_BYTES = 64 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, WPS .wps, an encrypted .docx
ZIP_MAGIC = b"PK\x03\x04"  # .docx

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_EXPECTED = ("gb18030", "big5", "cp1252", "shift_jis", "euc_kr")
# Detector answers that are subsets of GB18030: decode with the superset.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "hz", "gb18030"}
# C0/C1 controls other than tab and newline carry no text; they are removed
# (and reported) rather than passed on to subtitle files that reject them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates reorder what a subtitle shows (U+202E
# reverses the rest of a line); Chinese text never needs them. RLM/LRM stay.
_BIDI_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


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

    # The encodings this newsroom's files come in are tried first: left free, the
    # detector reads a Windows-1252 "naïve café" as Baltic cp1257 ("naļve").
    best = from_bytes(data, cp_isolation=list(_EXPECTED)).best() or from_bytes(data, cp_isolation=None).best()
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
    text, encoding, _notes = decode_with_notes(data)
    return text, encoding


def decode_with_notes(data: bytes) -> tuple[str, str, list[tuple[int, str]]]:
    """Like decode(), plus [(line, what was repaired)] for damaged UTF-8."""
    salvaged = _damaged_utf8(data)
    if salvaged is not None:
        return salvaged
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
    return text, encoding, []


def _damaged_utf8(data: bytes) -> tuple[str, str, list[tuple[int, str]]] | None:
    """UTF-8 with a few bad lines: a truncated last character, lines pasted in
    GB18030, CESU-8 surrogate pairs, stray bytes. Decoded line by line, each
    repair reported, rather than letting a detector read the whole file as
    some other encoding (mojibake). None when the file is not mostly UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif any(data.startswith(bom) for bom, _ in _BOMS) or _looks_like_utf16(data):
        return None
    try:
        data.decode("utf-8")
        return None  # clean UTF-8: the ordinary path
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    good = bad = 0
    for line in lines:
        if max(line, default=0) >= 0x80:
            try:
                line.decode("utf-8")
                good += 1
            except UnicodeDecodeError:
                bad += 1
    last = lines[-1]
    truncated = _truncated_tail(last)
    high = sum(1 for b in data if b >= 0x80)
    few_bad_bytes = data.decode("utf-8", "replace").count("\ufffd") * 4 < high
    if not (good >= bad or few_bad_bytes or (bad == 1 and truncated)):
        return None
    out, notes = [], []
    for number, line in enumerate(lines, start=1):
        text, note = _decode_line(line, number == len(lines))
        out.append(text)
        if note:
            notes.append((number, note))
    return "\n".join(out), "utf-8", notes


def _truncated_tail(line: bytes) -> int:
    """How many bytes of an unfinished UTF-8 character end the line (0 if none)."""
    try:
        line.decode("utf-8")
        return 0
    except UnicodeDecodeError as exc:
        return len(line) - exc.start if exc.reason == "unexpected end of data" else 0


def _decode_line(line: bytes, last: bool) -> tuple[str, str]:
    try:
        return line.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    cut = _truncated_tail(line) if last else 0
    if cut:
        return line[:-cut].decode("utf-8", "replace"), f"file ends inside a character: its last {cut} bytes dropped (truncated file?)"
    with contextlib.suppress(UnicodeError):
        # CESU-8 (MySQL/Java "modified UTF-8"): astral characters as surrogate pairs
        text = line.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass").decode("utf-16")
        return text, "CESU-8 surrogate pairs read as the characters they stand for"
    replaced = line.decode("utf-8", "replace")
    high = sum(1 for b in line if b >= 0x80)
    if replaced.count("\ufffd") * 4 >= high:
        with contextlib.suppress(UnicodeDecodeError):
            return line.decode("gb18030"), "not UTF-8: read as GB18030 (two encodings mixed in one file)"
    return replaced, "bytes that are not UTF-8 replaced with \ufffd"


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
        if _BIDI_RE.search(line):
            cleaned.append((number, "removed bidirectional override characters (they reorder text on screen)"))
            line = _BIDI_RE.sub("", line)
        lines.append(line.replace("\t", " ").rstrip())
    return lines, cleaned


def read_lines(path: str | Path) -> tuple[list[str], str, list[tuple[int, str]]]:
    """Read and decode a transcript file. Returns (lines, encoding, cleaning notes)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise DecodeError(f"file is {size // (1024 * 1024)} MiB; transcripts over 64 MiB are refused", path=str(path), line=1)
        with p.open("rb") as fh:  # bounded: /dev/zero or a pipe has no size to check first
            data = fh.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise DecodeError("more than 64 MiB of input; transcripts over 64 MiB are refused", path=str(path), line=1)
    except IsADirectoryError:
        raise DecodeError("is a folder, not a transcript file", path=str(path), line=1) from None
    except FileNotFoundError:
        raise DecodeError("no such file", path=str(path), line=1) from None
    except PermissionError:
        raise DecodeError("permission denied", path=str(path), line=1) from None
    except OSError as exc:  # a name too long, a symlink loop, an I/O error
        raise DecodeError(f"cannot read: {exc.strerror or exc}", path=str(path), line=1) from None
    try:
        text, encoding, repaired = decode_with_notes(data)
    except DecodeError as exc:
        raise exc.located(str(path)) from None
    lines, cleaned = normalise(text)
    return lines, encoding, sorted(repaired + cleaned)


def sniff(path: str | Path) -> str:
    """What a file is by its first bytes (and name): docx, ole, zip, rtf or text."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return "text"  # the text reader reports a missing or unreadable file
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if Path(path).suffix.lower() in (".docx", ".docm", ".dotx", ".wps", ".doc"):
        return "damaged" if Path(path).suffix.lower() != ".doc" else "text"  # some .doc are HTML or text
    return "text"
