"""Render sets: every render writes a folder of its own; one pointer names the set the studio shows.

    DATA/episodes/<id>/renders/<job>/render.json  the text version and settings it was made from
    DATA/episodes/<id>/renders/<job>/<stem>/      its files (render_episode's out_dir is the render's folder)
    DATA/episodes/<id>/renders/<job>/preview.json its cue table, rundown and audio list
    DATA/episodes/<id>/sets.json                  {"current": job, "audio": job}

A render that finishes is promoted (`finish`) only if its version is at least the shown set's:
the newest finished render of the newest version is the set Files, the Player, the Audio tab
and the zip show, and files of two renders are never mixed. "audio" names the newest render
that made rehearsal audio; when it is not the current set, the page shows it as stale. A render
that crashed or was cut off by a restart is never promoted, and its folder is removed.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from ..output import write_set

RENDERS = "renders"
POINTER = "sets.json"
JOB_RE_LEN = 16  # jobs.py makes 16 hex digits


def _valid(job_id) -> bool:
    return isinstance(job_id, str) and len(job_id) == JOB_RE_LEN and all(c in "0123456789abcdef" for c in job_id)


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def begin(folder: Path, job_id: str, version: int, settings: dict, audio: bool) -> Path:
    """The folder a new render writes into, with what it is made from."""
    own = folder / RENDERS / job_id
    info = {"id": job_id, "version": version, "settings": settings, "audio": audio, "started": time.time()}
    write_set(own, {"render.json": json.dumps(info, ensure_ascii=False).encode("utf-8")})
    return own


def info(folder: Path, job_id: str | None) -> dict | None:
    if not _valid(job_id):
        return None
    data = _read(folder / RENDERS / str(job_id) / "render.json")
    return data if data.get("finished") else None


def pointer(folder: Path) -> dict:
    return _read(folder / POINTER)


def finish(folder: Path, job_id: str, files: list[str], in_flight: set[str]) -> bool:
    """Record a finished render and promote it if it is not older than the set shown; True if promoted.
    Call under the episode's lock. Renders neither shown nor in flight are removed."""
    own = folder / RENDERS / job_id
    data = _read(own / "render.json")
    data.update(finished=time.time(), files=files)
    write_set(own, {"render.json": json.dumps(data, ensure_ascii=False).encode("utf-8")})
    sets = pointer(folder)
    current = info(folder, sets.get("current"))
    promoted = current is None or data["version"] >= current["version"]
    if promoted:
        sets["current"] = job_id
    audio = info(folder, sets.get("audio"))
    if data.get("audio") and (audio is None or data["version"] >= audio["version"]):
        sets["audio"] = job_id
    write_set(folder, {POINTER: json.dumps(sets).encode("utf-8")})
    keep = {sets.get("current"), sets.get("audio"), *in_flight}
    for other in (folder / RENDERS).iterdir():
        if other.name not in keep:
            shutil.rmtree(other, ignore_errors=True)
    return promoted


def drop(folder: Path, job_id: str) -> None:
    """A render that failed or was interrupted: its half-written folder goes (it was never shown)."""
    if _valid(job_id) and job_id not in pointer(folder).values():
        shutil.rmtree(folder / RENDERS / job_id, ignore_errors=True)


def files_dir(folder: Path, job_id: str) -> Path | None:
    """The folder holding a shown render's files (current or audio), or None."""
    if job_id not in pointer(folder).values():
        return None
    data = info(folder, job_id)
    if data is None:
        return None
    own = folder / RENDERS / job_id
    dirs = [p for p in own.iterdir() if p.is_dir()]
    return dirs[0] if dirs else None


def described(folder: Path, text_version: int) -> tuple[dict | None, dict | None]:
    """(the current set, stale audio): what the page says about them."""
    sets = pointer(folder)
    current = info(folder, sets.get("current"))
    shown = None
    if current is not None:
        shown = {"render": current["id"], "version": current["version"], "audio": bool(current.get("audio")),
                 "finished": current["finished"], "settings": current.get("settings", {}),
                 "stale": current["version"] < text_version}
    audio = info(folder, sets.get("audio"))
    stale = None
    if audio is not None and (current is None or audio["id"] != current["id"]):
        preview = _read(folder / RENDERS / audio["id"] / "preview.json")
        stale = {"render": audio["id"], "version": audio["version"], "finished": audio["finished"],
                 "files": preview.get("audio", [])}
    return shown, stale
