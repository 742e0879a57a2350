"""The JSON API: the one the page itself uses, and a newsroom can script (see README "Studio").

Errors are `{"error": "..."}` with 400 (bad input), 401 (token), 403 (origin), 404, 409 (a
save based on an older version), 413 (too large). Handlers touching files run in
Starlette's thread pool; renders run in worker processes (jobs.py).
"""
from __future__ import annotations

import asyncio
import json
import tempfile
from dataclasses import replace
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..errors import InputError, OptionsError
from .jobs import FINAL
from .outputs import list_files, output_folder, renders_json  # noqa: F401 - output_folder: follow.py takes it from here
from .store import Draft, NotFound, Store

MAX_TEXT = 8 * 1024 * 1024
SETTINGS_KEYS = ("options", "speakers", "rates", "recording")  # what an episode's settings hold


def store_of(request: Request) -> Store:
    return request.app.state.store


def _mine(request: Request, data: dict) -> JSONResponse:
    """A summary in the browser's language (its warnings too)."""
    from .i18n import language, localized

    return JSONResponse(localized(language(request), data))


async def _json_body(request: Request) -> dict:
    try:
        data = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InputError("the request body is not valid JSON") from None
    except RecursionError:
        raise InputError("the request body is JSON nested too deep to be a request of this studio") from None
    if not isinstance(data, dict):
        raise InputError("the request body must be a JSON object")
    return data


def _text_field(data: dict, key: str = "text") -> str:
    text = data.get(key)
    if not isinstance(text, str):
        raise InputError(f"{key!r} must be a string")
    if len(text) > MAX_TEXT:
        raise InputError("the text is too long for one transcript")
    return text


def episode_json(store: Store, episode_id: str, with_text: bool = True) -> dict:
    from .settings import voice_choices
    from .summary import summarize

    meta = store.meta(episode_id)
    episode = store.episode(episode_id)
    out = summarize(episode, episode_id)
    if out["title"] != meta.get("title"):
        store.set_title(episode_id, out["title"])
    out.update({"name": meta["name"], "kind": meta["kind"], "editable": meta["kind"] == "text",
                "version": meta["version"], "settings": meta.get("settings", {}),
                "voices": voice_choices(episode, meta.get("settings", {})),
                "files": list_files(store, episode_id), **renders_json(store, episode_id)})
    recording = store.recording(episode_id)
    out["recording"] = {"name": recording.name, "size": recording.stat().st_size} if recording else None
    if with_text:
        out["text"] = store.text(episode_id)
    return out


async def _upload(request: Request, what: str, default_name: str) -> tuple[bytes, str]:
    """The one file of a multipart upload (field `file`): its bytes and its name as sent."""
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InputError(f"send the {what} as the multipart field 'file'")
        return await upload.read(), upload.filename or default_name


async def create_episode(request: Request) -> Response:
    store = store_of(request)
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        data, filename = await _upload(request, "transcript", "transcript.txt")

        def make():
            with tempfile.TemporaryDirectory(dir=store.root) as scratch:
                draft, original = store.draft_from_upload(filename, data, Path(scratch))
                return store.create(draft, original)
    else:
        body = await _json_body(request)
        text = _text_field(body)
        name = str(body.get("name") or "pasted").strip() or "pasted"

        def make():
            from ..read import parse_text
            from .store import upload_name

            if not text.strip():
                raise InputError("the text is empty: paste a transcript")
            filename = upload_name(name, "pasted")[0]
            if not filename.lower().endswith((".txt", ".md")):
                filename += ".txt"
            parse_text(text, filename)  # refuse what cannot be read before keeping it
            return store.create(Draft(filename, text, [], "text"))
    episode_id = await run_in_threadpool(make)
    body = await run_in_threadpool(episode_json, store, episode_id, False)
    from .i18n import language, localized

    return JSONResponse(localized(language(request), body), status_code=201, headers={"Location": f"/api/episodes/{episode_id}"})


async def list_episodes(request: Request) -> Response:
    items = await run_in_threadpool(store_of(request).listing)
    return JSONResponse({"episodes": [{"id": m["id"], "name": m["name"], "title": m.get("title", ""),
                                       "version": m["version"], "updated": m.get("updated")} for m in items]})


def job_json(request: Request, job) -> dict:
    """A job as the browser sees it: its error in the browser's language."""
    from .i18n import language, translate

    out = job.to_dict()
    if out.get("error"):
        out["error"] = translate(language(request), out["error"])
    return out


def latest_job(request: Request, episode_id: str) -> dict | None:
    """The episode's newest job, unless it finished well: one to follow, or to report with a retry."""
    job = request.app.state.jobs.latest(episode_id)
    return job_json(request, job) if job is not None and job.status != "done" else None


async def get_episode(request: Request) -> Response:
    episode_id = request.path_params["id"]
    data = await run_in_threadpool(episode_json, store_of(request), episode_id)
    return _mine(request, data | {"job": latest_job(request, episode_id)})


async def check_text(request: Request) -> Response:
    """Parse text as it stands in the editor (nothing saved): what the page shows while typing."""
    from .summary import summarize

    store, episode_id = store_of(request), request.path_params["id"]
    body = await _json_body(request)
    text = _text_field(body)

    def run():
        try:
            return summarize(store.episode(episode_id, text), episode_id)
        except InputError as exc:
            return {"id": episode_id, "error": exc.message, "line": exc.line or 1}

    return _mine(request, await run_in_threadpool(run))


async def save_version(request: Request) -> Response:
    store, episode_id = store_of(request), request.path_params["id"]
    body = await _json_body(request)
    text = _text_field(body)
    base = body.get("base")
    if not isinstance(base, int):
        raise InputError("'base' must be the version number the text was edited from")
    await run_in_threadpool(store.save, episode_id, text, base)
    return _mine(request, await run_in_threadpool(episode_json, store, episode_id, False))


async def list_versions(request: Request) -> Response:
    versions = await run_in_threadpool(store_of(request).versions, request.path_params["id"])
    return JSONResponse({"versions": versions})


async def get_version(request: Request) -> Response:
    store, episode_id = store_of(request), request.path_params["id"]
    number = request.path_params["n"]
    text = await run_in_threadpool(store.text, episode_id, number)
    return JSONResponse({"version": number, "text": text})


async def restore_version(request: Request) -> Response:
    store, episode_id = store_of(request), request.path_params["id"]
    body = await _json_body(request)
    if not isinstance(body.get("base"), int):
        raise InputError("'base' must be the version number the page shows")
    await run_in_threadpool(store.restore, episode_id, request.path_params["n"], body["base"])
    return _mine(request, await run_in_threadpool(episode_json, store, episode_id))


def _validate_settings(settings: dict) -> dict:
    from .settings import options_kwargs, speaker_settings

    if not isinstance(settings, dict):
        raise InputError("settings must be a JSON object")
    clean = {k: settings[k] for k in SETTINGS_KEYS if k in settings}
    if "recording" in clean:
        clean["recording"] = bool(clean["recording"])
    options_kwargs(clean)
    speaker_settings(clean)
    return clean


async def put_settings(request: Request) -> Response:
    from .settings import voice_choices

    store, episode_id = store_of(request), request.path_params["id"]
    settings = _validate_settings(await _json_body(request))

    def run():
        store.set_settings(episode_id, settings)
        return {"settings": settings,
                "voices": voice_choices(store.episode(episode_id), settings)}

    return JSONResponse(await run_in_threadpool(run))


async def render(request: Request) -> Response:
    """Render with the settings given (saved as the episode's) or the saved ones.
    Without audio or video it answers when done; with either, 202 and a job to poll
    (`"wait": true` waits for it instead)."""
    body = await _json_body(request)
    return await _render(request, request.path_params["id"], body)


async def retry_job(request: Request) -> Response:
    """A failed or interrupted job once more: the episode's text and settings as they are now."""
    job = request.app.state.jobs.get(request.path_params["job"])
    if job is None:
        raise NotFound("no such job")
    return await _render(request, job.episode, {"audio": job.audio})


async def _render(request: Request, episode_id: str, body: dict) -> Response:
    from ..options import RenderOptions
    from . import sets
    from .settings import options_kwargs, prepare

    store = store_of(request)
    jobs = request.app.state.jobs
    audio = bool(body.get("audio"))
    job_id = jobs.new_id()

    def prepare_job():
        folder = store.folder(episode_id)
        if any(k in body for k in SETTINGS_KEYS):
            store.set_settings(episode_id, _validate_settings(body))
        meta = store.meta(episode_id)
        settings = meta.get("settings", {})
        episode = store.episode(episode_id)
        if any(d.level == "error" for d in episode.diagnostics):
            first = next(d for d in episode.diagnostics if d.level == "error")
            raise InputError(f"line {first.line}: {first.message}", line=first.line)
        episode, rates, voices = prepare(episode, settings, folder)
        recording = store.recording(episode_id) if settings.get("recording") else None
        kwargs = options_kwargs(settings)
        try:
            options = RenderOptions(rates=rates, voices=voices, audio=audio,
                                    recordings=(str(recording),) if recording else (), **kwargs)
        except OptionsError as exc:
            if exc.option != "recordings":
                raise
            raise InputError("rehearsal audio and a real recording cannot time one render: untick "
                             "'time everything to the recording' in Settings first") from None
        own = sets.begin(folder, job_id, meta["version"], settings, audio)
        return episode, replace(options, out_dir=own), own / "preview.json", meta["version"]

    def on_finish(job, status: str) -> None:  # in the pool's thread: promote the set, or drop what it half wrote
        with store.lock(episode_id):
            folder = store.folder(episode_id)
            if status == "done":
                sets.finish(folder, job.id, list(job.result["files"]), jobs.in_flight(episode_id) - {job.id})
            else:
                sets.drop(folder, job.id)

    episode, options, preview, version = await run_in_threadpool(prepare_job)
    job = jobs.submit(job_id, episode_id, episode, options, preview, version, on_finish)
    if (audio or options.video) and not body.get("wait"):  # minutes of work: a job to follow
        return JSONResponse({"job": job_json(request, job), "poll": f"/api/jobs/{job.id}",
                             "events": f"/api/jobs/{job.id}/events"}, status_code=202)
    await jobs.wait(job)
    if job.status != "done":
        shown = job_json(request, job)
        return JSONResponse({"error": shown["error"], "job": shown},
                            status_code=500 if job.error and "crashed" in job.error else 400)
    return JSONResponse({"job": job_json(request, job), "files": await run_in_threadpool(list_files, store, episode_id)})


async def get_job(request: Request) -> Response:
    job = request.app.state.jobs.get(request.path_params["job"])
    if job is None:
        raise NotFound("no such job")
    return JSONResponse(job_json(request, job))


async def job_events(request: Request) -> Response:
    """Server-sent events: the job's state whenever it changes, until it is done or failed."""
    job = request.app.state.jobs.get(request.path_params["job"])
    if job is None:
        raise NotFound("no such job")

    async def stream():
        last = None
        while True:
            state = job_json(request, job)
            key = json.dumps(state | {"seconds": None}, ensure_ascii=False)  # a change, not the clock
            if key != last:
                yield f"data: {json.dumps(state, ensure_ascii=False)}\n\n"
                last = key
            if state["status"] in FINAL:  # the state just sent: never stop before the final one went out
                break
            if await request.is_disconnected():
                break
            await asyncio.sleep(0.2)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"})


async def put_recording(request: Request) -> Response:
    """The real recording (multipart `file`): ticking 'time everything to it' aligns every output to it."""
    store, episode_id = store_of(request), request.path_params["id"]
    store.folder(episode_id)
    data, filename = await _upload(request, "recording", "recording")
    path = await run_in_threadpool(store.set_recording, episode_id, filename, data)
    return JSONResponse({"recording": {"name": path.name, "size": len(data)}}, status_code=201)


async def delete_recording(request: Request) -> Response:
    await run_in_threadpool(store_of(request).remove_recording, request.path_params["id"])
    return JSONResponse({"recording": None})
