"""A loopback websocket server that speaks edge-tts's framing, for offline tests.

`with running(mode) as server:` starts it and points
`edge_tts.communicate.WSS_URL` at it, so the real edge-tts client code parses
real-shaped messages: `turn.start`, binary `Path:audio` frames of a real mp3
(a tone as long as the text would take to say), `audio.metadata` word
boundaries in 100 ns ticks, `turn.end`. `server.requests` counts connection
attempts; `server.served` lists the texts answered in full.

Modes: `normal`; `drop` (turn.start and a third of the audio, then the TCP
link is cut: no close frame, no turn.end); `empty` (a turn with no audio);
`403` (the handshake is refused, as when the service's clock check fails);
`silent` (accepts and never answers). `fail_after=N`: the first N requests
are served normally, every later one fails as `drop`. `delay=S`: each clip
is held S seconds before it is answered (a slow service, to interrupt runs).
(tests/edge_loopback.py is the audio engineer's server with real speech.)
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import re
import struct
import subprocess
import threading
from xml.sax.saxutils import unescape

TICKS_PER_MS = 10_000
MS_PER_CHAR = 200
FIRST_WORD_MS = 100  # the service's first word starts after a little silence


def tone_mp3(ms: int) -> bytes:
    """A real 24 kHz mono 48 kbit/s mp3, as the service sends."""
    import imageio_ffmpeg

    return subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
                           "-i", f"sine=frequency=440:sample_rate=24000:duration={ms / 1000:.3f}", "-ac", "1",
                           "-c:a", "libmp3lame", "-b:a", "48k", "-f", "mp3", "pipe:1"],
                          capture_output=True, check=True).stdout


def _text_frame(request_id: str, path: str, body: str = "") -> str:
    return (f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
            f"Path:{path}\r\n\r\n{body}")


def _audio_frame(request_id: str, data: bytes) -> bytes:
    headers = f"X-RequestId:{request_id}\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n".encode()
    return struct.pack(">H", len(headers)) + headers + data


def _spoken_text(ssml: str) -> str:
    m = re.search(r"<prosody[^>]*>(.*)</prosody>", ssml, re.S)
    return unescape(m.group(1)) if m else ""


class EdgeServer:
    def __init__(self, mode: str = "normal", fail_after: int | None = None, delay: float = 0):
        self.mode = mode
        self.fail_after = fail_after
        self.delay = delay
        self.requests = 0
        self.served: list[str] = []
        self.dropped: list[str] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0
        self._runner = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/edge/v1?TrustedClientToken=loopback"

    def start(self) -> "EdgeServer":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the loopback edge server did not start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        from aiohttp import web

        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/edge/v1", self._handle)
        runner = self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        pending = asyncio.all_tasks(self._loop)  # handlers cut off by the stop: end them quietly
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    def _mode_now(self) -> str:
        with self._lock:
            self.requests += 1
            if self.fail_after is not None and self.requests > self.fail_after:
                return "drop"
            return self.mode

    async def _handle(self, request):
        from aiohttp import WSMsgType, web

        mode = self._mode_now()
        if mode == "403":
            raise web.HTTPForbidden(text="clock skew")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        text = request_id = None
        async for msg in ws:
            if msg.type == WSMsgType.TEXT and "Path:ssml" in msg.data:
                request_id = re.search(r"X-RequestId:(\w+)", msg.data).group(1)
                text = _spoken_text(msg.data)
                break
        if text is None:
            return ws
        if mode == "silent":
            await asyncio.sleep(3600)
        await asyncio.sleep(self.delay)
        await ws.send_str(_text_frame(request_id, "turn.start", '{"context":{"serviceTag":"loopback"}}'))
        if mode == "empty":
            await ws.send_str(_text_frame(request_id, "turn.end", "{}"))
            await ws.close()
            return ws
        ms = FIRST_WORD_MS + max(300, MS_PER_CHAR * len(text))
        audio = await asyncio.get_running_loop().run_in_executor(None, tone_mp3, ms)
        if mode == "drop":
            with self._lock:
                self.dropped.append(text)
            with contextlib.suppress(ConnectionError):  # the client may give up first
                await ws.send_bytes(_audio_frame(request_id, audio[: len(audio) // 3]))
                await asyncio.sleep(0.05)
            if request.transport is not None:
                request.transport.abort()  # the link is gone: no close frame, no turn.end
            return ws
        step = max(1, len(text) // 4)
        for i in range(0, len(text), step):
            word = text[i:i + step]
            meta = {"Metadata": [{"Type": "WordBoundary", "Data": {
                "Offset": (FIRST_WORD_MS + i * MS_PER_CHAR) * TICKS_PER_MS,
                "Duration": len(word) * MS_PER_CHAR * TICKS_PER_MS,
                "text": {"Text": word, "Length": len(word), "BoundaryType": "WordBoundary"}}}]}
            await ws.send_str(_text_frame(request_id, "audio.metadata", json.dumps(meta, ensure_ascii=False)))
        for i in range(0, len(audio), 4096):
            await ws.send_bytes(_audio_frame(request_id, audio[i:i + 4096]))
        await ws.send_str(_text_frame(request_id, "turn.end", "{}"))
        with self._lock:
            self.served.append(text)
        await ws.close()
        return ws


@contextlib.contextmanager
def running(mode: str = "normal", fail_after: int | None = None, delay: float = 0):
    """A started server with edge-tts pointed at it; restored afterwards."""
    import edge_tts.communicate

    server = EdgeServer(mode, fail_after, delay).start()
    saved = edge_tts.communicate.WSS_URL
    edge_tts.communicate.WSS_URL = server.url
    try:
        yield server
    finally:
        edge_tts.communicate.WSS_URL = saved
        server.stop()
