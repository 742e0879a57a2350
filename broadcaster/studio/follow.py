"""Follow voice (issue 22): the prompter scrolls with the host's voice, and captions go out live.

A page with a microphone (the talent's page opened with `?follow=voice`) streams 16 kHz mono
PCM (binary WebSocket frames) to `/follow/{id}/ws?page=NAME&role=mic`. The server follows the
script (broadcaster/live/follower.py) and sends every listener (`role=listen`: the displays'
follow scripts, the operator) the position — segment, turn, the fraction of the turn's words
— the state (listening / following / lost / paused) and the microphone's level, and the caption
feed (`/captions/{id}/events`, server-sent events) the current cue once the voice reaches it.
The caption page `/captions/{id}` shows it for a vision mixer or an OBS/vMix browser source.

Any operator command (through the remote's relay) pauses following until a page sends
`{"type": "resume"}`. When the script's end is reached, the page sends `stop`, or the microphone's
page goes away, `<stem>.as-aired.srt` and `.as-aired.md` are written among the episode's files
(live/aired.py) through the same atomic output set as every render.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from .pageids import PAGE_RE, _episode_exists, _latest_page

MAX_CHUNK = 16000 * 2  # one second of 16-bit PCM per frame at most
SEND_EVERY_S = 0.1
END_HOLD_S = 3.0  # silence after the last word of the script: the programme is over
RESUME_SLACK = 15  # characters: a display this close to the follower's position was not moved by hand


@dataclass
class Session:
    episode_id: str
    page: str
    episode: Any = None
    timeline: Any = None
    script: Any = None
    cues: list = field(default_factory=list)
    follower: Any = None
    listeners: set = field(default_factory=set)
    queues: set = field(default_factory=set)  # caption feeds (SSE)
    audio: list = field(default_factory=list)
    paused: bool = False
    mic: bool = False
    finished: bool = False
    last_sent: float = 0.0
    cue: int | None = None
    written: list = field(default_factory=list)


def _sessions(app) -> dict:
    table = getattr(app.state, "follow_sessions", None)
    if table is None:
        table = app.state.follow_sessions = {}
    return table


def session_for(app, episode_id: str, page: str) -> Session:
    return _sessions(app).setdefault((episode_id, page), Session(episode_id, page))


def _prepare(store, session: Session) -> None:
    """The live script and the caption cues of the episode (espeak reads the script: a second or two)."""
    from ..live import captions, script as live_script
    from ..live.follower import Follower
    from ..options import RenderOptions
    from ..programme import tracks
    from ..timing import estimate

    if session.script is None:
        episode = store.episode(session.episode_id)
        timeline = estimate(episode)
        session.episode, session.timeline = episode, timeline
        session.script = live_script.build(episode, timeline)
        session.cues = captions.place(session.script, tracks(episode, timeline, RenderOptions())[0][1])
    session.follower = Follower(session.script)
    session.audio, session.finished, session.paused, session.cue = [], False, False, None


def operator_command(app, key: tuple[str, str]) -> None:
    """The relay saw an operator's command: following pauses until resumed (the operator has the text)."""
    session = _sessions(app).get(key)
    if session is not None and session.mic and not session.paused:
        session.paused = True
        asyncio.ensure_future(_broadcast(session, force=True))


def _position(session: Session) -> dict:
    f = session.follower
    p = f.position()
    turn = session.script.turns[p.turn]
    a, b = session.script.turn_chars[p.turn]
    state = "paused" if session.paused else p.state
    return {"type": "follow", "state": state, "segment": turn.segment, "turn": turn.index,
            "frac": round((p.char - a) / max(1, b - a), 4), "char": round(p.char, 1), "level": round(p.level, 3),
            "voice": p.voice, "t": round(p.t, 2), "ratio": round(p.ratio, 3)}


async def _send(ws, text: str) -> None:
    try:
        await asyncio.wait_for(ws.send_text(text), 2.0)
    except Exception:  # noqa: BLE001 - a gone listener is dropped by its own loop
        pass


async def _broadcast(session: Session, force: bool = False) -> None:
    now = time.monotonic()
    if session.follower is None or (not force and now - session.last_sent < SEND_EVERY_S):
        return
    session.last_sent = now
    message = _position(session)
    text = json.dumps(message, ensure_ascii=False)
    await asyncio.gather(*(_send(ws, text) for ws in list(session.listeners)))
    await _caption(session, message)


async def _caption(session: Session, message: dict) -> None:
    from ..live.captions import current

    cue = current(session.cues, message["char"]) if message["state"] != "listening" or session.cue is not None else None
    index = cue.index if cue is not None else None
    if index == session.cue or (index is not None and session.cue is not None and session.cue - 1 <= index < session.cue):
        return  # on air a caption never steps back by one (a resume a word behind); a real repeat goes further
    session.cue = index
    event = {"type": "cue", "index": index, "text": cue.text if cue else "", "name": cue.name if cue else "",
             "role": cue.role if cue else "", "t": message["t"]}
    for q in list(session.queues):
        q.put_nowait(event)


async def _finish(app, session: Session) -> None:
    """Write the as-aired files (once per broadcast)."""
    if session.finished or not session.audio:
        return
    session.finished = True
    from starlette.concurrency import run_in_threadpool

    store = app.state.store

    def write():
        import numpy as np

        from ..live.aired import outputs
        from ..output import write_set
        from .api import output_folder

        folder = output_folder(store, session.episode_id)
        if folder is None:
            return []
        pcm = np.concatenate(session.audio)
        import os

        keep = os.environ.get("BROADCASTER_TEST_FOLLOW_AUDIO")  # tests: the audio as the server heard it
        if keep:
            from ..live.aired import write_wav

            write_wav(Path(keep), pcm)
        files = outputs(session.episode, session.timeline, pcm, session.script, session.follower.path)
        return [p.name for p in write_set(folder, files, listed=True)]

    try:
        session.written = await run_in_threadpool(write)
    except Exception as exc:  # noqa: BLE001 - the broadcast is over; a failed note must not take the studio down
        session.written = [f"error: {exc}"]
    text = json.dumps({"type": "aired", "files": session.written}, ensure_ascii=False)
    await asyncio.gather(*(_send(ws, text) for ws in list(session.listeners)))


async def socket(websocket: WebSocket) -> None:
    import numpy as np
    from starlette.concurrency import run_in_threadpool

    episode_id = websocket.path_params["id"]
    page = websocket.query_params.get("page", "")
    role = websocket.query_params.get("role", "listen")
    store = websocket.app.state.store
    if role not in ("mic", "listen") or not PAGE_RE.match(page) or not _episode_exists(store, episode_id):
        await websocket.close(code=1008)
        return
    await websocket.accept()
    session = session_for(websocket.app, episode_id, page)
    session.listeners.add(websocket)
    try:
        if role == "mic":
            if session.mic:  # one microphone per page: a second one only listens
                await websocket.send_text(json.dumps({"type": "busy"}))
            else:
                session.mic = True
                await run_in_threadpool(_prepare, store, session)
                await websocket.send_text(json.dumps({"type": "ready"}))
                await _broadcast(session, force=True)
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                break
            data = frame.get("bytes")
            if data is not None and role == "mic" and session.mic and not session.finished:
                if len(data) > MAX_CHUNK or len(data) % 2:
                    continue
                pcm = np.frombuffer(data, dtype="<i2")
                session.audio.append(pcm.copy())
                session.follower.feed(pcm)
                await _broadcast(session)
                if _at_end(session):
                    await _finish(websocket.app, session)
                continue
            text = frame.get("text")
            if not text or len(text) > 4096:
                continue
            try:
                message = json.loads(text)
            except ValueError:
                continue
            if not isinstance(message, dict) or session.follower is None:
                continue
            if message.get("type") == "resume":
                c = _char_of(session, message)
                if c is None:
                    c = _lead_char(websocket.app, session)
                if c is not None and abs(c - session.follower.position().char) > RESUME_SLACK:
                    session.follower.restart(c)  # the operator moved the text: follow from there
                session.paused = False
                await _broadcast(session, force=True)
            elif message.get("type") == "stop" and role == "mic":
                await _finish(websocket.app, session)
    except WebSocketDisconnect:
        pass
    finally:
        session.listeners.discard(websocket)
        if role == "mic" and session.mic:
            session.mic = False
            await _finish(websocket.app, session)  # the display went away: the broadcast is over


def _char_of(session: Session, message: dict) -> float | None:
    """The programme character of a page's (segment, turn, fraction), or None."""
    seg, turn, frac = message.get("segment"), message.get("turn"), message.get("frac")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (seg, turn, frac)):
        return None
    for t, (a, b) in zip(session.script.turns, session.script.turn_chars, strict=True):
        if (t.segment, t.index) == (seg, turn):
            return a + min(1.0, max(0.0, float(frac or 0))) * (b - a)
    return None


def _lead_char(app, session: Session) -> float | None:
    """Where the lead display's reading line is (the start of its turn), from the relay's last report."""
    hub = getattr(app.state, "remote_hub", None)
    ch = hub.channels.get((session.episode_id, session.page)) if hub is not None else None
    state = ch.states.get(ch.lead) if ch is not None and ch.lead is not None else None
    index = state.get("turn") if isinstance(state, dict) else None
    if not isinstance(index, int) or session.timeline is None:
        return None
    page_turns = [(t.segment, t.index) for s in session.timeline.segments for t in s.turns]
    if not 0 <= index < len(page_turns):
        return None
    return _char_of(session, {"segment": page_turns[index][0], "turn": page_turns[index][1], "frac": 0.0})


def _at_end(session: Session) -> bool:
    f = session.follower
    return f.frame >= session.script.frames - 1 - 160 and f.silent_for >= END_HOLD_S


# -- the caption page and its feed -------------------------------------------------------------------

async def caption_events(request: Request) -> Response:
    episode_id = request.path_params["id"]
    page = request.query_params.get("page", "")
    store = request.app.state.store
    if not PAGE_RE.match(page):
        page = _latest_page(request, episode_id) or ""
    if not PAGE_RE.match(page) or not _episode_exists(store, episode_id):
        return Response("no such episode or page", status_code=404)
    session = session_for(request.app, episode_id, page)
    queue: asyncio.Queue = asyncio.Queue()
    session.queues.add(queue)
    if session.cue is not None and session.cues:
        cue = session.cues[session.cue] if session.cue < len(session.cues) else None
        if cue:
            queue.put_nowait({"type": "cue", "index": cue.index, "text": cue.text, "name": cue.name, "role": cue.role})

    async def stream():
        try:
            yield "retry: 1000\n\n"
            while True:
                if await request.is_disconnected():
                    break
                try:
                    event = await asyncio.wait_for(queue.get(), 5.0)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield "data: " + json.dumps(event, ensure_ascii=False) + "\n\n"
        finally:
            session.queues.discard(queue)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"X-Accel-Buffering": "no", "Cache-Control": "no-store"})


async def caption_page(request: Request) -> Response:
    from urllib.parse import quote

    from ..prompter.html import _csp_hash
    from .pages_follow import CAPTION_CSS, CAPTION_JS, caption_html

    episode_id = request.path_params["id"]
    store = request.app.state.store
    if not _episode_exists(store, episode_id):
        return HTMLResponse("<!doctype html><title>captions</title><p>no such episode", status_code=404)
    page = request.query_params.get("page", "")
    events = f"/captions/{episode_id}/events" + (f"?page={quote(page)}" if page else "")
    html = caption_html(events, request.query_params.get("names") == "1")
    csp = (f"default-src 'none'; style-src '{_csp_hash(CAPTION_CSS)}'; script-src '{_csp_hash(CAPTION_JS)}'; "
           "connect-src 'self'; base-uri 'none'; form-action 'none'")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "Cache-Control": "no-store"})


def routes() -> list:
    return [WebSocketRoute("/follow/{id}/ws", socket), Route("/captions/{id}", caption_page),
            Route("/captions/{id}/events", caption_events)]
