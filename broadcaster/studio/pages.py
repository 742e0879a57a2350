"""The HTML pages (jinja2, autoescaped) and the rendered files, one by one or as a zip."""
from __future__ import annotations

import io
import mimetypes
import zipfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .store import NotFound

HERE = Path(__file__).resolve().parent
TYPES = {".srt": "text/plain", ".vtt": "text/vtt", ".ass": "text/plain", ".txt": "text/plain",
         ".md": "text/plain", ".html": "text/html", ".mp3": "audio/mpeg", ".wav": "audio/wav",
         ".json": "application/json", ".xml": "application/xml", ".fcpxml": "application/xml",
         ".mp4": "video/mp4"}


@lru_cache(maxsize=1)
def environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)


def page(name: str, lang: str = "zh-Hans", **context) -> HTMLResponse:
    """A template in the browser's language: `_("text")` in it, and the catalog for the page's scripts."""
    from . import i18n

    html = environment().get_template(name).render(
        _=lambda text, **values: i18n.gettext(lang, text, **values), lang=lang, langs=i18n.LANGS,
        catalog=i18n.catalog(lang), **context)
    return HTMLResponse(html)


async def index(request: Request) -> Response:
    from .i18n import language

    episodes = await run_in_threadpool(request.app.state.store.listing)
    return page("index.html", language(request), episodes=episodes, max_upload=request.app.state.config.max_upload)


async def episode_page(request: Request) -> Response:
    from .api import episode_json, latest_job
    from .i18n import language, localized
    from .settings import schema

    store, episode_id = request.app.state.store, request.path_params["id"]
    data = await run_in_threadpool(episode_json, store, episode_id)
    data["schema"] = schema()
    data["job"] = latest_job(request, episode_id)
    lang = language(request)
    return page("episode.html", lang, episode=localized(lang, data))


def _content_disposition(kind: str, name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


async def get_file(request: Request) -> Response:
    """One rendered file. Text is served as text; the prompter page under its own hash-pinned CSP."""
    from ..output import inside
    from .outputs import output_folder
    from .security import output_csp

    store, episode_id, name = request.app.state.store, request.path_params["id"], request.path_params["name"]
    render = request.path_params.get("render")

    def read():
        folder = output_folder(store, episode_id, render)
        if folder is None or "/" in name or "\\" in name or name.startswith("."):
            raise NotFound(f"no file {name!r}")
        path = inside(folder, name)
        if not path.is_file():
            raise NotFound(f"no file {name!r}")
        return path

    path = await run_in_threadpool(read)
    suffix = path.suffix.lower()
    kind = TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith(("json", "xml")):
        kind += "; charset=utf-8"
    download = request.query_params.get("download") == "1"
    headers = {"Content-Disposition": _content_disposition("attachment" if download else "inline", path.name),
               "Cache-Control": "no-cache"}
    if suffix == ".html":
        data = await run_in_threadpool(path.read_bytes)
        headers["Content-Security-Policy"] = output_csp(data)
        if path.name.endswith(".prompter.html") and not download:  # the talent's page: the operator remote's QR and relay
            from .remote import talent_page

            data, headers["Content-Security-Policy"] = talent_page(request, episode_id, path.name, data,
                                                                   headers["Content-Security-Policy"])
            from .pages_follow import talent_follow  # follow voice (issue 22)

            data, headers["Content-Security-Policy"] = talent_follow(episode_id, path.name, data,
                                                                     headers["Content-Security-Policy"])
        return Response(data, media_type=kind, headers=headers)
    if kind.startswith(("audio/", "video/")):  # played in the page or opened alone: a sandbox (origin null) blocks it
        headers["Content-Security-Policy"] = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'"
    else:
        headers["Content-Security-Policy"] = "default-src 'none'; media-src 'self'; sandbox"
    from starlette.responses import FileResponse

    return FileResponse(path, media_type=kind, headers=headers)


async def get_zip(request: Request) -> Response:
    from .outputs import list_files, output_folder

    store, episode_id = request.app.state.store, request.path_params["id"]

    def build():
        folder = output_folder(store, episode_id)
        files = list_files(store, episode_id)
        if folder is None or not files:
            raise NotFound("nothing rendered yet: render the episode first")
        from . import sets

        meta = store.meta(episode_id)
        shown, _ = sets.described(store.folder(episode_id), meta["version"])
        version = f".v{shown['version']}" if shown else ""
        stem = zip_stem(meta["name"], version)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in files:
                method = zipfile.ZIP_STORED if f["name"].endswith((".mp3", ".mp4")) else zipfile.ZIP_DEFLATED
                zf.write(folder / f["name"], f"{stem}/{f['name']}", compress_type=method)
        return stem, buffer.getvalue()

    stem, data = await run_in_threadpool(build)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": _content_disposition("attachment", f"{stem}.zip")})


def zip_stem(name: str, version: str) -> str:
    """The zip's name (and its folder's): the episode's own name, whole, with its version (255 bytes at most)."""
    stem = Path(name).stem.replace(":", "_") or "episode"
    while len(f"{stem}{version}.zip".encode()) > 255:
        stem = stem[:-1]
    return stem.strip(" .") + version


async def get_recording(request: Request) -> Response:
    """The episode's real recording, for the player."""
    from starlette.responses import FileResponse

    store, episode_id = request.app.state.store, request.path_params["id"]
    path = await run_in_threadpool(store.recording, episode_id)
    if path is None:
        raise NotFound("this episode has no recording")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=kind, headers={"Content-Security-Policy": "default-src 'none'; sandbox"})
