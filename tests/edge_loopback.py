"""A loopback server that speaks edge-tts's websocket protocol with real speech, and misbehaves on request.

It answers like the real service: `turn.start`, `audio.metadata` word
boundaries (100 ns ticks), binary `Path:audio` frames (2-byte header length)
carrying real 24 kHz mono mp3 of spoken words, then `turn.end`. Modes: drop
the connection, refuse with 403, answer with no audio, or say nothing at all.
(tests/edge_server.py is the failure-injection server of the hardening tests.)
"""
from __future__ import annotations

import asyncio
import json
import re
import subprocess
import threading
import uuid
from contextlib import contextmanager
from html import unescape

from aiohttp import WSMsgType, web


def _mp3_and_words(text: str) -> tuple[bytes, list[tuple[str, int, int]]]:
    """Real speech (espeak) encoded as the service's mp3, with word times."""
    import imageio_ffmpeg

    from broadcaster.audio import espeak

    voice = "en" if re.search(r"[A-Za-z]{3}", text) and not re.search(r"[\u4e00-\u9fff]", text) else "cmn"
    clip = espeak.synthesize(text, voice, 200)
    mp3 = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "s16le",
                          "-ar", str(clip.sample_rate), "-ac", "1", "-i", "pipe:0", "-ar", "24000", "-ac", "1",
                          "-b:a", "48k", "-f", "mp3", "pipe:1"], input=clip.pcm, capture_output=True, check=True).stdout
    words = []
    events = [b for b in clip.boundaries if b.kind == "word"]
    for i, b in enumerate(events):
        end = events[i + 1].offset_ms if i + 1 < len(events) else clip.duration_ms
        words.append((text[b.text_offset:b.text_offset + max(1, b.text_length)], b.offset_ms, end - b.offset_ms))
    return mp3, words


class EdgeServer:
    def __init__(self, mode: str = "normal", fail_after: int | None = None):
        self.mode = mode
        self.fail_after = fail_after  # serve this many requests whole, then drop every connection
        self.requests = 0
        self.port = None
        self._runner = None

    async def _ws(self, request):
        self.requests += 1
        mode = self.mode
        if self.fail_after is not None and self.requests > self.fail_after:
            mode = "drop"
        if mode == "403":
            return web.Response(status=403, text="Forbidden")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        ssml = ""
        async for msg in ws:
            if msg.type == WSMsgType.TEXT and "Path:ssml" in msg.data:
                ssml = msg.data
                break
        if mode == "drop":
            request.transport.abort()  # no close frame, no turn.end
            return ws
        if mode == "silent":
            await asyncio.sleep(4)  # longer than the client waits; short enough to shut down
            return ws
        request_id = uuid.uuid4().hex
        head = f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        await ws.send_str(head + 'Path:turn.start\r\n\r\n{"context":{"serviceTag":"loopback"}}')
        if mode != "empty":
            text = unescape(re.sub(r"<[^>]+>", "", ssml.split("\r\n\r\n", 1)[-1])).strip()
            mp3, words = await asyncio.get_running_loop().run_in_executor(None, _mp3_and_words, text)
            for word, offset, duration in words:
                meta = {"Metadata": [{"Type": "WordBoundary", "Data": {
                    "Offset": offset * 10_000 + 1_000_000, "Duration": duration * 10_000,
                    "text": {"Text": word, "Length": len(word), "BoundaryType": "WordBoundary"}}}]}
                await ws.send_str(head + "Path:audio.metadata\r\n\r\n" + json.dumps(meta, ensure_ascii=False))
            header = f"X-RequestId:{request_id}\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n".encode()
            for i in range(0, len(mp3), 4096):
                await ws.send_bytes(len(header).to_bytes(2, "big") + header + mp3[i:i + 4096])
        await ws.send_str(head + "Path:turn.end\r\n\r\n{}")
        await ws.close()
        return ws

    async def _start(self):
        app = web.Application()
        app.router.add_get("/edge/v1", self._ws)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/edge/v1?TrustedClientToken=loopback"


@contextmanager
def running(mode: str = "normal", fail_after: int | None = None):
    """Start the server on a thread of its own and point edge-tts at it."""
    import edge_tts.communicate

    server = EdgeServer(mode, fail_after)
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server._start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    original = edge_tts.communicate.WSS_URL
    edge_tts.communicate.WSS_URL = server.url
    try:
        yield server
    finally:
        edge_tts.communicate.WSS_URL = original
        asyncio.run_coroutine_threadsafe(server._runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
