"""The prompter operator's remote (issue 15): a WebSocket relay per episode and prompter page.

Displays (the talent's prompter page, a confidence monitor: any number) and operators (the remote
page on a phone or a laptop) join one channel per episode and page. An operator's command goes to
every display; each display says where it is (segment, turn, the words on its reading line) and the
operators see that live; the other displays keep step with the first (the lead; a page framed
in the studio's preview leads only when nothing else is open). A display cannot command anything.

Who may connect at all is settled before a socket gets here: the studio's Security middleware
checks the token (cookie, `?token=` or bearer), the Host and the Origin of every handshake.

Routes: `/remote/{id}` the remote page, `/r/{code}` its short link (`?pair=…`, from the QR code: a
pairing code the Security middleware exchanges for the token cookie), `/remote/{id}/ws` the relay.
`talent_page()` turns a rendered prompter page into the served one: QR code, link, relay address,
and a CSP that allows the WebSocket back to this server (`connect-src 'self'`) and nothing more.
"""
from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import quote

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from .pageids import CODE_RE, PAGE_RE, _episode_exists, _latest_page

MAX_MESSAGE = 64 * 1024  # an outline of a long programme fits many times over
SEND_TIMEOUT = 2.0  # a display that stops reading is dropped, not waited for
COMMANDS = {"play", "speed", "segment", "turn", "font", "mirror", "top"}
PANEL = '<aside id="remote" hidden></aside>'


@dataclass
class Channel:
    displays: dict = field(default_factory=dict)  # number -> WebSocket, in the order they joined
    operators: dict = field(default_factory=dict)
    states: dict = field(default_factory=dict)  # display number -> its last report
    outline: dict | None = None
    framed: set = field(default_factory=set)  # displays inside the studio's preview frame
    seq: int = 0  # every command in the channel, in the order the displays get them

    @property
    def lead(self) -> int | None:
        return next((n for n in self.displays if n not in self.framed), next(iter(self.displays), None))


class Hub:
    def __init__(self):
        self.channels: dict[tuple[str, str], Channel] = {}
        self.numbers = count(1)

    def channel(self, key: tuple[str, str]) -> Channel:
        return self.channels.setdefault(key, Channel())

    def forget(self, key: tuple[str, str]) -> None:
        ch = self.channels.get(key)
        if ch is not None and not ch.displays and not ch.operators:
            del self.channels[key]


def _wellformed(message: dict) -> bool:
    """False for a message holding half a character (a lone surrogate from a page that cut text
    between the two halves of a pair): it cannot be sent on as UTF-8, so it is dropped on its own."""
    try:
        json.dumps(message, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError, ValueError):
        return False
    return True


async def _send(sockets, message: dict) -> None:
    text = json.dumps(message, ensure_ascii=False)

    async def one(ws):
        try:
            await asyncio.wait_for(ws.send_text(text), SEND_TIMEOUT)
        except Exception:  # noqa: BLE001 - a gone or stuck peer is closed and forgotten by its own loop
            try:
                await ws.close()
            except Exception:  # noqa: BLE001
                pass

    await asyncio.gather(*(one(ws) for ws in list(sockets)))


def _command(message: dict) -> dict | None:
    """The operator's message as the display reads it, or None when it is not a command we know."""
    cmd = message.get("cmd")
    if message.get("type") != "cmd" or cmd not in COMMANDS:
        return None
    out: dict = {"type": "cmd", "cmd": cmd}
    value, step = message.get("value"), message.get("step")
    if isinstance(value, bool) or value is None:
        out["value"] = value
    elif isinstance(value, (int, float)) and abs(value) < 1e6:
        out["value"] = value
    if isinstance(step, (int, float)) and not isinstance(step, bool) and abs(step) <= 100:
        out["step"] = step
    if isinstance(message.get("id"), int):
        out["id"] = message["id"]
    if isinstance(message.get("sent"), (int, float)):
        out["sent"] = message["sent"]  # the operator's clock: for the latency figures
    return out


def _hub(app) -> Hub:
    hub = getattr(app.state, "remote_hub", None)
    if hub is None:
        hub = app.state.remote_hub = Hub()
    return hub


async def relay(websocket: WebSocket) -> None:
    episode_id = websocket.path_params["id"]
    role = websocket.query_params.get("role", "operator")
    page = websocket.query_params.get("page", "")
    store = getattr(websocket.app.state, "store", None)
    if role not in ("display", "operator") or not PAGE_RE.match(page) or not _episode_exists(store, episode_id):
        await websocket.close(code=1008)
        return
    await websocket.accept()
    hub = _hub(websocket.app)
    key = (episode_id, page)
    ch = hub.channel(key)
    number = next(hub.numbers)
    (ch.displays if role == "display" else ch.operators)[number] = websocket
    try:
        if role == "operator":
            await websocket.send_text(json.dumps(_hello(ch), ensure_ascii=False))
            await _send(ch.displays.values(), {"type": "operators", "count": len(ch.operators)})
        else:
            await _send(ch.operators.values(), {"type": "displays", "count": len(ch.displays)})
            await websocket.send_text(json.dumps({"type": "operators", "count": len(ch.operators)}))
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                break
            text = frame.get("text")
            if text is None or len(text) > MAX_MESSAGE:  # binary frames and floods are not ours
                await websocket.close(code=1003 if text is None else 1009)
                break
            try:
                message = json.loads(text)
            except (ValueError, RecursionError):
                continue
            if not isinstance(message, dict) or not _wellformed(message):
                continue  # a bad message is dropped; its sender and everyone else stay connected
            if role == "operator":
                cmd = _command(message)
                if cmd is not None:
                    ch.seq += 1
                    await _send(ch.displays.values(), {**cmd, "seq": ch.seq})
                    from .follow import operator_command  # an operator's hand pauses follow voice

                    operator_command(websocket.app, key)
            else:
                await _from_display(ch, number, message)
    except WebSocketDisconnect:
        pass
    finally:
        (ch.displays if role == "display" else ch.operators).pop(number, None)
        ch.states.pop(number, None)
        ch.framed.discard(number)
        if role == "display":
            await _send(ch.operators.values(), {"type": "displays", "count": len(ch.displays)})
        else:
            await _send(ch.displays.values(), {"type": "operators", "count": len(ch.operators)})
        hub.forget(key)


async def _from_display(ch: Channel, number: int, message: dict) -> None:
    kind = message.get("type")
    if kind == "hello" and isinstance(message.get("outline"), dict):
        ch.outline = message["outline"]
        if message.get("framed") is True:
            ch.framed.add(number)
        await _send(ch.operators.values(), {"type": "outline", "outline": ch.outline})
        lead = ch.states.get(ch.lead) if ch.lead != number else None
        if lead:  # a display that joins late starts where the lead is
            await _send([ch.displays[number]], {**lead, "type": "lead"})
        if not isinstance(message.get("state"), dict):
            return
        message, kind = message["state"], "state"
    if kind != "state":
        return
    state = {k: v for k, v in message.items() if k != "type"}
    ch.states[number] = state
    is_lead = number == ch.lead
    await _send(ch.operators.values(), {**state, "type": "state", "display": number, "lead": is_lead,
                                        "displays": len(ch.displays)})
    if is_lead and len(ch.displays) > 1:
        await _send([ws for n, ws in ch.displays.items() if n != number], {**state, "type": "lead"})


def _hello(ch: Channel) -> dict:
    lead = ch.states.get(ch.lead) if ch.lead is not None else None
    return {"type": "hello", "outline": ch.outline, "displays": len(ch.displays), "state": lead}


# -- the pages ---------------------------------------------------------------------------------------

async def remote_page(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    from ..prompter.html import _asset, _csp_hash
    from ..prompter.templating import render

    episode_id = request.path_params["id"]
    store = request.app.state.store
    if not await run_in_threadpool(_episode_exists, store, episode_id):
        return HTMLResponse("<!doctype html><title>remote</title><p>no such episode", status_code=404)
    page = request.query_params.get("page") or await run_in_threadpool(_latest_page, request, episode_id)
    if not page or not PAGE_RE.match(page):
        return HTMLResponse("<!doctype html><meta charset=utf-8><title>遥控器</title>"
                            "<p>这一期还没有提词器页面：先在工作室里生成（Render）。", status_code=404)
    meta = await run_in_threadpool(store.meta, episode_id)
    css, js = _asset("remote.css", None), _asset("remote.js", None)
    html = render("remote.html", {
        "title": meta.get("title") or meta.get("name") or episode_id, "css": Markup(css), "js": Markup(js),
        "ws": f"/remote/{episode_id}/ws?role=operator&page={quote(page)}", "page": page})
    csp = (f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; connect-src 'self'; "
           "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    from .pages_follow import remote_follow  # follow voice's state and resume (issue 22)

    html, csp = remote_follow(episode_id, page, str(html), csp)
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "Cache-Control": "no-store"})


async def short_link(request: Request) -> Response:
    """`/r/3f9a1c`: the first characters of an episode id, easy to type on a laptop."""
    from starlette.concurrency import run_in_threadpool

    code = request.path_params["code"].lower()
    store = request.app.state.store
    ids = [] if not CODE_RE.match(code) else [e["id"] for e in await run_in_threadpool(store.listing)
                                              if str(e.get("id", "")).startswith(code)]
    if len(ids) != 1:
        return HTMLResponse("<!doctype html><meta charset=utf-8><title>遥控器</title><p>没有这个遥控链接。",
                            status_code=404)
    return RedirectResponse(f"/remote/{ids[0]}", status_code=303)


def routes() -> list:
    return [Route("/remote/{id}", remote_page), Route("/r/{code}", short_link),
            WebSocketRoute("/remote/{id}/ws", relay)]


# -- the talent's page as served ----------------------------------------------------------------------

def lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent: UDP connect only picks a route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def public_base(config) -> tuple[str, str | None]:
    """(the base URL a phone can open, a note when it cannot reach this server): the address the
    server was started on — never the Host header of a request, which the client chooses."""
    host = config.host
    if config.loopback:
        return (f"http://{host}:{config.port}",
                "工作室只在本机监听：手机要用遥控器，请以 broadcaster serve --host 0.0.0.0 启动。")
    if host in ("0.0.0.0", "::"):
        host = lan_address() or "127.0.0.1"
    return f"http://[{host}]:{config.port}" if ":" in host else f"http://{host}:{config.port}", None


def qr_svg(text: str) -> Markup:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=1, border=3,
                                     svgclass="qr", lineclass=None, omitsize=True, dark="#000", light="#fff")
    return Markup(buffer.getvalue().decode("ascii"))


def talent_page(request: Request, episode_id: str, name: str, data: bytes, csp: str) -> tuple[bytes, str]:
    """The prompter page with its remote panel filled in and a CSP that lets it reach the relay."""
    html = data.decode("utf-8")
    if PANEL not in html or not PAGE_RE.match(name):
        return data, csp  # a user's own template without the panel: served as it is
    config = request.app.state.config
    base, note = public_base(config)
    link = f"{base}/r/{episode_id[:6]}"
    # the QR code pairs the phone with a code that expires in minutes: the access token never leaves the server
    scan = link + (f"?pair={request.app.state.pairing.new()}" if config.token else "")
    ws = f"/remote/{episode_id}/ws?role=display&page={quote(name)}"
    panel = (f'<aside id="remote" hidden data-ws="{escape(ws)}">'
             f"<h3>遥控器 · 导播用手机或电脑控制滚动</h3>{qr_svg(scan)}"
             f'<p><a href="{escape(scan)}" target="_blank" rel="noopener">{escape(link)}</a></p>'
             + ('<p class="note">二维码里是十分钟内有效的配对码（不是访问口令）；手动输入链接时加上 ?token=…'
                '（见工作室启动时打印的链接）。</p>' if config.token else "")
             + (f'<p class="note">{escape(note)}</p>' if note else "")
             + '<p class="status" id="remotestatus">未连接</p></aside>')
    html = html.replace(PANEL, panel, 1)
    # both policies apply (the page's own meta tag and the header): each lets the relay in, nothing else
    html = html.replace('content="default-src \'none\';', 'content="default-src \'none\'; connect-src \'self\';', 1)
    csp = csp.replace("default-src 'none'", "default-src 'none'; connect-src 'self'", 1)
    return html.encode("utf-8"), csp
