"""The set shown, as the API and the pages serve it: its files, its version, stale audio, the preview data.

See sets.py for how a render becomes the set shown.
"""
from __future__ import annotations

import json
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .store import NotFound, Store


def output_folder(store: Store, episode_id: str, render: str | None = None) -> Path | None:
    """The folder of the set shown (or of `render`, when it is the current set or the stale audio)."""
    from . import sets

    folder = store.folder(episode_id)
    render = render or sets.pointer(folder).get("current")
    return sets.files_dir(folder, render) if render else None


def list_files(store: Store, episode_id: str) -> list[dict]:
    from ..output import _read_manifest

    folder = output_folder(store, episode_id)
    if folder is None:
        return []
    out = []
    for name in _read_manifest(folder):
        path = folder / name
        if path.is_file():
            out.append({"name": name, "size": path.stat().st_size,
                        "url": f"/episodes/{episode_id}/files/{name}"})
    return out


def renders_json(store: Store, episode_id: str) -> dict:
    """The set shown (its version, and whether the text moved on since) and rehearsal audio of an older render."""
    from . import sets

    folder = store.folder(episode_id)
    shown, stale = sets.described(folder, store.meta(episode_id)["version"])
    if stale is not None:
        for item in stale["files"]:
            item["url"] = f"/episodes/{episode_id}/renders/{stale['render']}/files/{item['file']}"
    return {"set": shown, "stale_audio": stale}


def supers_of(store: Store, episode_id: str, preview: dict) -> list[dict]:
    """The set's name supers and title cards (its <stem>.supers.srt), for the player to show as the video will."""
    import pysrt

    folder = output_folder(store, episode_id)
    path = folder / f"{preview.get('stem')}.supers.srt" if folder is not None else None
    if path is None or not path.is_file():
        return []
    starts = {s["start"]: s["title"].replace(" ", "") for s in preview.get("segments", [])}
    out = []
    for item in pysrt.open(str(path), encoding="utf-8"):
        start, end = item.start.ordinal, item.end.ordinal
        lines = item.text.splitlines()
        card = starts.get(start) == "".join(lines).replace(" ", "")
        out.append({"start": start, "end": end, "lines": lines, "card": card})
    return out


async def get_preview(request: Request) -> Response:
    from . import sets

    store, episode_id = request.app.state.store, request.path_params["id"]

    def read():
        folder = store.folder(episode_id)
        current = sets.pointer(folder).get("current")
        path = folder / sets.RENDERS / str(current) / "preview.json"
        if not current or not path.is_file():
            raise NotFound("not rendered yet: render the episode first")
        preview = json.loads(path.read_text(encoding="utf-8"))
        return preview | renders_json(store, episode_id) | {"supers": supers_of(store, episode_id, preview)}

    return JSONResponse(await run_in_threadpool(read))


async def get_files(request: Request) -> Response:
    store, episode_id = request.app.state.store, request.path_params["id"]

    def read():
        return {"files": list_files(store, episode_id)} | renders_json(store, episode_id)

    return JSONResponse(await run_in_threadpool(read))
