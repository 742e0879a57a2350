"""Writing outputs: safe names, inside the output folder, atomically, as one set.

Every file is first written to a temporary name in its own folder, then all
are renamed into place under a lock. An interrupted or failed run leaves the
earlier outputs intact and no half-written file (a run killed outright leaves
hidden `.NAME.XXXX.bcPID.tmp` files, which the next run into that folder
removes); two runs into one folder leave one complete set.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
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
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder itself: no lock file is left among the user's files."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# Temporary names carry the writer's pid, so a later run can tell the leftovers
# of a killed run (kill -9, power cut) from the temps of a run still writing.
_TEMP_RE = re.compile(r"^\..+\.bc(\d+)\.tmp$")  # ours only: a user's own .tmp files are left alone
MANIFEST = ".broadcaster.files"
AIRED = ".as-aired."  # files of a live broadcast (broadcaster/live/aired.py): a render keeps them


def _temp_for(target: Path) -> tuple[int, str]:
    fd, tmp = tempfile.mkstemp(prefix="." + target.name[:40] + ".", suffix=f".bc{os.getpid()}.tmp", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; outputs are shared like any file the user saves
    return fd, tmp


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_dead_temps(folder: Path) -> None:
    for entry in os.scandir(folder):
        m = _TEMP_RE.match(entry.name)
        if m and entry.is_file(follow_symlinks=False) and not _alive(int(m.group(1))):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


def _read_manifest(folder: Path) -> list[str]:
    try:
        names = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _replace_set(folder: Path, names: list[str]) -> None:
    """Remove outputs of the previous set that this set no longer has (same kinds of file only)."""
    kinds = {Path(n).suffix for n in names}
    previous = _read_manifest(folder)
    for name in previous:
        if name not in names and Path(name).suffix in kinds and AIRED not in name:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, OutputError):
                os.unlink(inside(folder, name))
    # other kinds from an earlier run (the audio of an --audio run) are kept, and stay listed, and so
    # are the as-aired files of a live broadcast (a re-render cannot make them again)
    kept = [n for n in previous if (Path(n).suffix not in kinds or AIRED in n) and (folder / n).exists()]
    fd, tmp = _temp_for(folder / MANIFEST)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(sorted(set(names) | set(kept)), fh, ensure_ascii=False, indent=0)
        os.replace(tmp, folder / MANIFEST)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _add_to_set(folder: Path, names: list[str]) -> None:
    fd, tmp = _temp_for(folder / MANIFEST)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(sorted(set(names) | set(_read_manifest(folder))), fh, ensure_ascii=False, indent=0)
        os.replace(tmp, folder / MANIFEST)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_set(folder: Path, files: dict[str, bytes], *, complete: bool = False, listed: bool = False) -> list[Path]:
    """Write {name: bytes} into folder atomically; returns the final paths.

    With complete=True the files are the whole output of one run for this
    folder: under the same lock, outputs of an earlier run of the same kinds
    (.srt, .txt, ...) that this run does not produce are removed, so the folder
    holds one run's set, never a mix of two. With listed=True the files join the folder's
    manifest beside the set already there (the as-aired files of a live broadcast).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder: {exc.strerror}", path=str(folder), line=1) from None
    targets = [(inside(folder, name), data) for name, data in files.items()]
    temps: list[tuple[str, Path]] = []
    try:
        for target, data in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _temp_for(target)
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        with _locked(folder):
            _sweep_dead_temps(folder)
            for tmp, target in temps:
                os.replace(tmp, target)
            if complete:
                _replace_set(folder, [str(t.relative_to(folder.resolve())) for t, _ in targets])
            elif listed:
                _add_to_set(folder, [str(t.relative_to(folder.resolve())) for t, _ in targets])
            _fsync_folder(folder)
    except OSError as exc:
        raise OutputError(f"cannot write output: {exc.strerror or exc}", path=str(folder), line=1) from None
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return [t for t, _ in targets]


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (a power cut after this keeps the new set)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
