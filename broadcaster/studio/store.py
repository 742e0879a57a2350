"""Episodes in the data folder: their text, every saved version, their settings, their outputs.

    DATA/episodes/<id>/meta.json          name, kind, current version, settings
    DATA/episodes/<id>/versions/000001.txt every saved text (never overwritten)
    DATA/episodes/<id>/original/<name>    the uploaded file as it came
    DATA/episodes/<id>/renders/, sets.json every render's own folder, and the set shown (sets.py)

Ids are made here (12 hex digits) and checked on every request; user-given names only
ever reach the file system through `output.safe_name`. A save carries the version it
was based on: a save based on an older version is refused (`Conflict`), so two tabs
never overwrite each other silently, and every version stays restorable.
"""
from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import BroadcasterError, InputError
from ..output import inside, safe_name, write_set

ID_RE = re.compile(r"^[0-9a-f]{12}$")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
UPLOAD_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".json")
# Word's other files: read as the CLI reads them, so they get its "save it as .docx" message
WORD_SUFFIXES = (".doc", ".wps", ".docm", ".dotx", ".rtf", ".odt", ".wpt", ".dot")
MAX_NAME_BYTES = 255  # what Windows and macOS allow a file name
RECORDING_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".mp4", ".mov", ".mkv", ".mxf")


def upload_name(filename: str | None, fallback: str) -> tuple[str, str]:
    """(the name as the producer gave it — any script, spaces, brackets, up to 255 bytes of UTF-8, its
    ending kept — for the episode; a safe name with the same ending for the disk)."""
    import os
    import unicodedata

    name = unicodedata.normalize("NFC", re.split(r"[/\\]", filename or "")[-1])
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp")).strip()
    stem, suffix = os.path.splitext(name)
    if not stem or len(suffix) > 12:
        stem, suffix = name, ""
    while stem and len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem.strip()
    if not stem:
        return fallback, fallback
    ending = "." + safe_name(suffix[1:], "x").lower() if suffix else ""
    return stem + suffix, safe_name(stem, Path(fallback).stem) + ending


class NotFound(BroadcasterError):
    """No such episode, version or file."""


class Conflict(BroadcasterError):
    """A save based on a version that is no longer the newest."""

    def __init__(self, message: str, current: int):
        super().__init__(message)
        self.current = current


@dataclass
class Draft:
    """What an upload or a paste becomes: the editable text, or an episode when only the model exists."""

    name: str  # display name, e.g. column.txt
    text: str | None
    notes: list  # [(line, message)] repairs made while decoding the upload
    kind: str  # "text" (editable) or "json" (an episode JSON: read-only)


class Store:
    def __init__(self, data_dir: Path):
        self.root = Path(data_dir).expanduser()
        self.episodes = self.root / "episodes"
        self.episodes.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # -- paths -------------------------------------------------------------------
    def folder(self, episode_id: str) -> Path:
        if not isinstance(episode_id, str) or not ID_RE.match(episode_id):
            raise NotFound(f"no episode {episode_id!r}")
        folder = self.episodes / episode_id
        if not (folder / "meta.json").is_file():
            raise NotFound(f"no episode {episode_id!r}")
        return folder

    def lock(self, episode_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(episode_id, threading.Lock())

    # -- creating ----------------------------------------------------------------
    def draft_from_upload(self, filename: str, data: bytes, scratch: Path) -> tuple[Draft, Path]:
        """Read an uploaded file as the CLI would; returns the draft and the saved original."""
        name, disk = upload_name(filename, "transcript.txt")
        suffix = Path(disk).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES + WORD_SUFFIXES:
            raise InputError(f"not a transcript this studio reads (choose {', '.join(UPLOAD_SUFFIXES)})",
                             path=name, line=1)
        scratch.mkdir(parents=True, exist_ok=True)
        path = inside(scratch, disk)
        path.write_bytes(data)
        try:
            return self._read_upload(name, path, suffix)
        except BroadcasterError as exc:
            exc.path = name  # the producer's own file name, not the scratch copy's
            raise

    def _read_upload(self, name: str, path: Path, suffix: str) -> tuple[Draft, Path]:
        if suffix == ".json":
            from ..read import load_json

            episode = load_json(path)  # refuses a JSON that does not hold together
            return Draft(name, text_of(episode), [], "json"), path
        from ..read.decode import sniff

        # read as the CLI reads, so what it refuses (empty, binary, damaged .docx) is refused here, with the reason
        if sniff(path) == "text":
            from ..read.load import read_text

            lines, _, notes = read_text(path)
            return Draft(name, "\n".join(lines), list(notes), "text"), path
        from ..read.docx import read_docx_text

        doc, lines, _, _ = read_docx_text(path)
        first_line: dict[int, int] = {}
        for index, number in enumerate(doc.numbers, start=1):
            first_line.setdefault(number, index)
        notes = [(first_line.get(n, 1), f"in the Word document: {msg}") for n, msg in doc.notes]
        return Draft(name, "\n".join(lines), notes, "text"), path

    def create(self, draft: Draft, original: Path | None = None) -> str:
        episode_id = secrets.token_hex(6)
        folder = self.episodes / episode_id
        (folder / "versions").mkdir(parents=True)
        if original is not None:
            (folder / "original").mkdir()
            original.replace(folder / "original" / original.name)
        meta = {"id": episode_id, "name": draft.name, "kind": draft.kind, "created": time.time(),
                "version": 0, "settings": {}, "notes": draft.notes}
        self._write_meta(folder, meta)
        self._add_version(folder, meta, draft.text or "", "created")
        return episode_id

    # -- reading -----------------------------------------------------------------
    def meta(self, episode_id: str) -> dict:
        folder = self.folder(episode_id)
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def text(self, episode_id: str, version: int | None = None) -> str:
        meta = self.meta(episode_id)
        number = meta["version"] if version is None else version
        path = self.folder(episode_id) / "versions" / f"{int(number):06d}.txt"
        if not path.is_file():
            raise NotFound(f"episode {episode_id} has no version {number}")
        return path.read_text(encoding="utf-8")

    def versions(self, episode_id: str) -> list[dict]:
        folder = self.folder(episode_id) / "versions"
        out = []
        for info in sorted(folder.glob("*.json")):
            out.append(json.loads(info.read_text(encoding="utf-8")))
        return out[::-1]

    def listing(self) -> list[dict]:
        out = []
        for folder in self.episodes.iterdir():
            if ID_RE.match(folder.name) and (folder / "meta.json").is_file():
                try:
                    out.append(json.loads((folder / "meta.json").read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    continue
        return sorted(out, key=lambda m: m.get("updated", 0), reverse=True)

    def episode(self, episode_id: str, text: str | None = None):
        """The parsed episode of the current version (or of `text`, for a live check)."""
        from ..read import load_json, parse_text
        from ..read.text import Parser
        from ..read.decode import normalise

        meta = self.meta(episode_id)
        if meta["kind"] == "json":
            originals = list((self.folder(episode_id) / "original").iterdir())
            episode = load_json(originals[0])
            from dataclasses import replace

            return replace(episode, source=meta["name"])
        if text is None:
            text = self.text(episode_id)
            if meta["version"] == 1 and meta.get("notes"):  # the decoder's repairs, at their lines
                lines, cleaned = normalise(text)
                notes = sorted({(int(n), str(m)) for n, m in [*meta["notes"], *cleaned]})
                return Parser(meta["name"], notes).parse(lines)
        return parse_text(text, meta["name"])

    # -- writing -----------------------------------------------------------------
    def save(self, episode_id: str, text: str, base: int, note: str = "saved") -> int:
        """A new version from `text`, if `base` is still the newest; else Conflict (nothing written)."""
        with self.lock(episode_id):
            folder = self.folder(episode_id)
            meta = self.meta(episode_id)
            if meta["kind"] != "text":
                raise InputError("an episode JSON cannot be edited here: edit the transcript it came from")
            if int(base) != meta["version"]:
                raise Conflict(f"version {meta['version']} was saved (in another tab or by someone else) after "
                               f"the version {base} you were editing; your text is kept, nothing was overwritten",
                               meta["version"])
            if text == self.text(episode_id):
                return meta["version"]
            return self._add_version(folder, meta, text, note)

    def restore(self, episode_id: str, number: int, base: int) -> int:
        old = self.text(episode_id, number)
        return self.save(episode_id, old, base, note=f"restored version {number}")

    # -- the real recording, to time everything to ----------------------------------
    def recording(self, episode_id: str) -> Path | None:
        folder = self.folder(episode_id) / "recording"
        files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        return files[0] if files else None

    def set_recording(self, episode_id: str, filename: str, data: bytes) -> Path:
        folder = self.folder(episode_id) / "recording"
        name = upload_name(filename, "recording")[1]
        if Path(name).suffix.lower() not in RECORDING_SUFFIXES:
            raise InputError(f"{name}: not a recording this studio takes (choose {', '.join(RECORDING_SUFFIXES)})")
        with self.lock(episode_id):
            self.remove_recording(episode_id)
            write_set(folder, {name: data})
        return folder / name

    def remove_recording(self, episode_id: str) -> None:
        old = self.recording(episode_id)
        if old is not None:
            old.unlink()

    def set_title(self, episode_id: str, title: str) -> None:
        """The programme title as last read (for the episode list)."""
        with self.lock(episode_id):
            meta = self.meta(episode_id)
            if meta.get("title") != title:
                meta["title"] = title
                self._write_meta(self.folder(episode_id), meta)

    def set_settings(self, episode_id: str, settings: dict) -> None:
        with self.lock(episode_id):
            folder = self.folder(episode_id)
            meta = self.meta(episode_id)
            meta["settings"] = settings
            self._write_meta(folder, meta)

    def _add_version(self, folder: Path, meta: dict, text: str, note: str) -> int:
        number = meta["version"] + 1
        info = {"version": number, "saved": time.time(), "note": note, "characters": len(text)}
        write_set(folder / "versions", {f"{number:06d}.txt": text.encode("utf-8"),
                                        f"{number:06d}.json": json.dumps(info).encode("utf-8")})
        meta["version"] = number
        self._write_meta(folder, meta)
        return number

    def _write_meta(self, folder: Path, meta: dict) -> None:
        meta["updated"] = time.time()
        write_set(folder, {"meta.json": json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")})


def text_of(episode) -> str:
    """The column-format text of an episode (for a JSON or .docx upload): title, headings,
    credits, `**label：**text` turns, one paragraph a line."""
    lines = [episode.title, ""]
    section = ""
    for seg in episode.segments:
        if seg.section and seg.section != section:
            lines += [f"# {seg.section}", ""]
            section = seg.section
        lines += ["#" * max(1, min(seg.level, 6)) + " " + seg.title, ""]
        if seg.credits:
            lines += [" ".join(f"{c.role} {' '.join(c.names)}" for c in seg.credits), ""]
        for turn in seg.turns:
            for i, para in enumerate(turn.paragraphs):
                body = "".join(span.text for span in para.spans)
                lines += [f"**{turn.speaker}：**{body}" if i == 0 else body, ""]
    return "\n".join(lines)
