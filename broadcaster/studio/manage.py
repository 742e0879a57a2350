"""Renaming, duplicating and deleting episodes; a deleted one stays recoverable for TRASH_DAYS.

    DATA/trash/<id>/   a deleted episode's folder as it was (meta.json gains "deleted")

    POST   /api/episodes/{id}/rename     {"name": "…"}  the episode's name (its file name: the outputs follow it)
    POST   /api/episodes/{id}/duplicate  a new episode: the current text as its version 1, the same settings
    DELETE /api/episodes/{id}            into the trash, listed by GET /api/trash
    POST   /api/trash/{id}/restore       back among the episodes, as it was
"""
from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import InputError
from .store import ID_RE, Draft, NotFound, Store, upload_name

TRASH_DAYS = 30


def _trash(store: Store) -> Path:
    folder = store.root / "trash"
    folder.mkdir(exist_ok=True)
    return folder


def rename(store: Store, episode_id: str, name: str) -> dict:
    if not name.strip():
        raise InputError("give the episode a name")
    with store.lock(episode_id):
        meta = store.meta(episode_id)
        shown, _ = upload_name(name.strip(), meta["name"])
        if not Path(shown).suffix:  # "专栏第二期" keeps the ending it had (.txt, .docx …)
            shown = upload_name(shown + Path(meta["name"]).suffix, meta["name"])[0]
        meta["name"] = shown
        store._write_meta(store.folder(episode_id), meta)
    return meta


def duplicate(store: Store, episode_id: str) -> str:
    meta = store.meta(episode_id)
    folder = store.folder(episode_id)
    stem, suffix = Path(meta["name"]).stem, Path(meta["name"]).suffix
    draft = Draft(upload_name(f"{stem} (副本){suffix}", meta["name"])[0], store.text(episode_id), [], meta["kind"])
    new_id = store.create(draft, None)
    new = store.folder(new_id)
    for sub in ("original", "recording"):
        if (folder / sub).is_dir():
            shutil.copytree(folder / sub, new / sub)
    with store.lock(new_id):
        copy = store.meta(new_id)
        copy["settings"] = meta.get("settings", {})
        copy["copied_from"] = episode_id
        store._write_meta(new, copy)
    return new_id


def delete(store: Store, episode_id: str) -> None:
    with store.lock(episode_id):
        folder = store.folder(episode_id)
        meta = store.meta(episode_id)
        meta["deleted"] = time.time()
        store._write_meta(folder, meta)
        folder.rename(_trash(store) / episode_id)


def trash(store: Store) -> list[dict]:
    """Deleted episodes still recoverable, newest first; older ones than TRASH_DAYS go for good."""
    out = []
    for folder in _trash(store).iterdir():
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if time.time() - meta.get("deleted", 0) > TRASH_DAYS * 86400:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        out.append({"id": meta["id"], "name": meta["name"], "title": meta.get("title", ""),
                    "version": meta["version"], "deleted": meta.get("deleted")})
    return sorted(out, key=lambda m: m["deleted"] or 0, reverse=True)


def restore(store: Store, episode_id: str) -> str:
    if not isinstance(episode_id, str) or not ID_RE.match(episode_id):
        raise NotFound("no such deleted episode")
    folder = _trash(store) / episode_id
    if not (folder / "meta.json").is_file():
        raise NotFound("no such deleted episode (deleted ones are kept for 30 days)")
    target = store.episodes / episode_id
    if target.exists():  # the same id again: never overwrite
        target = store.episodes / secrets.token_hex(6)
    folder.rename(target)
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    meta.pop("deleted", None)
    meta["id"] = target.name
    store._write_meta(target, meta)
    return target.name


# -- the API ---------------------------------------------------------------------------------------

async def rename_episode(request: Request) -> Response:
    from .api import _json_body

    body = await _json_body(request)
    name = body.get("name")
    if not isinstance(name, str):
        raise InputError("'name' must be the episode's new name")
    meta = await run_in_threadpool(rename, request.app.state.store, request.path_params["id"], name)
    return JSONResponse({"id": meta["id"], "name": meta["name"]})


async def duplicate_episode(request: Request) -> Response:
    new_id = await run_in_threadpool(duplicate, request.app.state.store, request.path_params["id"])
    return JSONResponse({"id": new_id, "url": f"/episodes/{new_id}"}, status_code=201)


async def delete_episode(request: Request) -> Response:
    episode_id = request.path_params["id"]
    await run_in_threadpool(delete, request.app.state.store, episode_id)
    return JSONResponse({"deleted": episode_id, "restore": f"/api/trash/{episode_id}/restore"})


async def list_trash(request: Request) -> Response:
    return JSONResponse({"trash": await run_in_threadpool(trash, request.app.state.store)})


async def restore_episode(request: Request) -> Response:
    restored = await run_in_threadpool(restore, request.app.state.store, request.path_params["id"])
    return JSONResponse({"restored": restored, "url": f"/episodes/{restored}"})


def routes() -> list:
    from starlette.routing import Route

    return [Route("/api/episodes/{id}/rename", rename_episode, methods=["POST"]),
            Route("/api/episodes/{id}/duplicate", duplicate_episode, methods=["POST"]),
            Route("/api/episodes/{id}", delete_episode, methods=["DELETE"]),
            Route("/api/trash", list_trash, methods=["GET"]),
            Route("/api/trash/{id}/restore", restore_episode, methods=["POST"])]
