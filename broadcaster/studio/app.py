"""`create_app(config)`: the studio as one Starlette app behind the security middleware.

Every route is assembled in `routes()` below — one place to read what the studio serves.
"""
from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import BroadcasterError
from . import api, outputs, pages
from .security import BodyTimeout, Pairing, Security, TooLarge
from .store import Conflict, NotFound, Store

HERE = Path(__file__).resolve().parent
DEFAULT_PORT = 8321
DEFAULT_UPLOAD = 20 * 1024 * 1024


@dataclass
class StudioConfig:
    data_dir: Path = Path("~/broadcaster-studio")
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: str | None = None  # required (made up when not given) unless bound to loopback
    max_upload: int = DEFAULT_UPLOAD
    workers: int | None = None  # render processes [cores]
    body_timeout: float = 30.0  # seconds a request body may pause before a 408

    @property
    def loopback(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")

    def with_token(self) -> StudioConfig:
        """A token is a must off loopback: generate one when none was given."""
        if not self.loopback and not self.token:
            self.token = secrets.token_urlsafe(18)
        return self

    def url(self, host: str | None = None) -> str:
        shown = host or ("127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host)
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/" + (f"?token={self.token}" if self.token else "")


def routes() -> list:
    # ---- every route of the studio, in one place --------------------------------------------
    table = [
        Route("/", pages.index),
        Route("/episodes/{id}", pages.episode_page),
        Route("/episodes/{id}/files/{name}", pages.get_file),
        Route("/episodes/{id}/renders/{render}/files/{name}", pages.get_file),
        Route("/episodes/{id}/recording", pages.get_recording),
        Route("/api/episodes", api.list_episodes, methods=["GET"]),
        Route("/api/episodes", api.create_episode, methods=["POST"]),
        Route("/api/episodes/{id}", api.get_episode, methods=["GET"]),
        Route("/api/episodes/{id}/check", api.check_text, methods=["POST"]),
        Route("/api/episodes/{id}/versions", api.list_versions, methods=["GET"]),
        Route("/api/episodes/{id}/versions", api.save_version, methods=["POST"]),
        Route("/api/episodes/{id}/versions/{n:int}", api.get_version, methods=["GET"]),
        Route("/api/episodes/{id}/versions/{n:int}/restore", api.restore_version, methods=["POST"]),
        Route("/api/episodes/{id}/settings", api.put_settings, methods=["POST", "PUT"]),
        Route("/api/episodes/{id}/recording", api.put_recording, methods=["POST", "PUT"]),
        Route("/api/episodes/{id}/recording", api.delete_recording, methods=["DELETE"]),
        Route("/api/episodes/{id}/render", api.render, methods=["POST"]),
        Route("/api/episodes/{id}/preview", outputs.get_preview, methods=["GET"]),
        Route("/api/episodes/{id}/files", outputs.get_files, methods=["GET"]),
        Route("/api/episodes/{id}/files.zip", pages.get_zip, methods=["GET"]),
        Route("/api/jobs/{job}", api.get_job, methods=["GET"]),
        Route("/api/jobs/{job}/events", api.job_events, methods=["GET"]),
        Route("/api/jobs/{job}/retry", api.retry_job, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    # the operator remote for the prompter (issue 15) adds its routes here:
    from . import manage, remote

    table[:0] = remote.routes() + manage.routes()
    from . import follow  # follow voice and live captions (issue 22)

    table[:0] = follow.routes()
    # -------------------------------------------------------------------------------------------
    return table


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str, **extra) -> Response:
    from .i18n import language, translate
    from .security import scrub

    lang = language(request)
    message = translate(lang, scrub(message, request.app.state.config.data_dir))
    if _wants_json(request):
        return JSONResponse({"error": message, **extra}, status_code=status)
    return _html_error(status, message, lang)


def _html_error(status: int, message: str, lang: str) -> Response:
    response = pages.page("error.html", lang, status=status, message=message)
    response.status_code = status
    return response


async def _on_conflict(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Conflict)
    return _error(request, 409, exc.message, current=exc.current)


async def _on_not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404, getattr(exc, "message", str(exc)))


async def _on_domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BroadcasterError)
    where = f"{Path(exc.path).name}:{exc.line or 1}: " if exc.path else ""  # a file's name, never its folder
    return _error(request, 400, where + exc.message, line=exc.line)


async def _on_too_large(request: Request, exc: Exception) -> Response:
    return _error(request, 413, str(exc))


async def _on_timeout(request: Request, exc: Exception) -> Response:
    seconds = request.app.state.config.body_timeout
    return _error(request, 408, f"the request body stopped arriving (nothing for {seconds:g} s): send it again")


async def _on_crash(request: Request, exc: Exception) -> Response:
    """A bug, not bad input: said plainly (and logged by uvicorn); the studio keeps serving. Only the
    kind of error reaches the browser: its text could name a path on the server."""
    return _error(request, 500, f"internal error in the studio ({type(exc).__name__}); the server log has the details")


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "no such page", 405: "method not allowed here"}
    return _error(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))


def create_app(config: StudioConfig | None = None):
    config = (config or StudioConfig()).with_token()
    data_dir = Path(config.data_dir).expanduser()
    store = Store(data_dir)
    from .jobs import Jobs

    jobs = Jobs(data_dir / "jobs", config.workers)
    from . import sets

    for job in jobs.interrupted:  # what a render cut off by the last server's end half wrote goes
        try:
            sets.drop(store.folder(job.episode), job.id)
        except NotFound:
            pass

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        jobs.shutdown()

    app = Starlette(routes=routes(), lifespan=lifespan, exception_handlers={
        Conflict: _on_conflict, NotFound: _on_not_found, TooLarge: _on_too_large, BodyTimeout: _on_timeout,
        Exception: _on_crash, BroadcasterError: _on_domain, HTTPException: _on_http})
    app.state.config = config
    app.state.store = store
    app.state.jobs = jobs
    app.state.pairing = Pairing()
    return Security(app, token=config.token, max_upload=config.max_upload, loopback_only=config.loopback,
                    body_timeout=config.body_timeout, pairing=app.state.pairing)
