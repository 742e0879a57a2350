"""Writing outputs: safe names, inside the output folder, atomically, as one set.

Every file is first written to a temporary name in its own folder, then all
are renamed into place under a lock. An interrupted or failed run leaves the
earlier outputs intact and no half-written file; two runs into one folder
leave one complete set.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import OutputError

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u2028\u2029]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
MAX_NAME_BYTES = 120


def safe_name(text: str, fallback: str = "untitled") -> str:
    """A file-name-safe form of a title: no separators, no reserved names, bounded length."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    while text.encode("utf-8")[:MAX_NAME_BYTES] != text.encode("utf-8"):
        text = text[:-1]
    text = text.strip(" .")
    if not text or set(text) <= {"_", "."}:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


def inside(folder: Path, name: str) -> Path:
    """The path of `name` in `folder`, refusing anything that would land outside it."""
    folder = folder.resolve()
    target = (folder / name).resolve()
    if target.parent != folder and folder not in target.parents:
        raise OutputError(f"refusing to write outside the output folder: {name!r}", value=name)
    return target


@contextlib.contextmanager
def _locked(folder: Path):
    import fcntl

    with open(folder / ".broadcaster.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_set(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write {name: bytes} into folder atomically; returns the final paths."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder: {exc.strerror}", path=str(folder), line=1) from None
    targets = [(inside(folder, name), data) for name, data in files.items()]
    temps: list[tuple[str, Path]] = []
    try:
        for target, data in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix="." + target.name[:40] + ".", suffix=".tmp", dir=target.parent)
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        with _locked(folder):
            for tmp, target in temps:
                os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write output: {exc.strerror or exc}", path=str(folder), line=1) from None
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return [t for t, _ in targets]
