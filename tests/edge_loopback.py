"""A loopback server that speaks edge-tts's websocket protocol with real speech, and fails on request.

The one edge-tts stand-in of the tests and of `scripts/bench_audio.py`. It answers like
the service: after the client's `speech.config` and `ssml` messages it sends
`turn.start` and `response`, then `audio.metadata` word boundaries (100 ns ticks,
each sent just before the audio that holds its word) interleaved with binary
`Path:audio` frames (2-byte header length) carrying real 24 kHz mono 48 kbit/s mp3
of the text spoken by espeak-ng (raw frames, no ID3 or Xing header, after 100 ms of
lead-in silence, as the service's audio starts), an empty binary frame without a
Content-Type, and `turn.end`.

Pace: `first_byte_ms` (time from the request to the first audio frame) and `pace`
(audio streamed at that many times real time); 0 sends everything at once.
Failure modes: `drop` (turn.start and a third of the audio, then the TCP link is cut:
no close frame, no turn.end); `empty` (a turn with no audio); `403` (the handshake is
refused, as when the service's clock check fails); `silent` (accepts and never
answers). `fail_after=N`: the first N requests are served, every later one is a
`drop`. `delay=S`: each answer is held S seconds (a slow service, to interrupt runs).
`server.requests` counts connection attempts, `server.served` the texts answered in
full, `server.dropped` the texts cut off.

    with running("normal") as server:      # edge_tts.communicate.WSS_URL points at it meanwhile
        ...
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import re
import subprocess
import threading
import time
import uuid
from functools import lru_cache
from xml.sax.saxutils import unescape

TICKS_PER_MS = 10_000
LEAD_IN_MS = 100  # the service's audio starts with a little silence; word offsets count it
SAMPLE_RATE = 24000
BYTES_PER_MS = 48_000 / 8 / 1000  # 48 kbit/s CBR
FRAME_BYTES = 4096  # audio payload per binary message


@lru_cache(maxsize=4096)
def speech(text: str, voice: str = "", rate: str = "+0%") -> tuple[bytes, tuple[tuple[str, int, int, int], ...]]:
    """(mp3, ((word, offset_ms, duration_ms, text position), ...)): real speech of `text` as the service sends it."""
    import imageio_ffmpeg

    from broadcaster.speech import espeak

    english = voice.startswith("en-") or (re.search(r"[A-Za-z]{3}", text) and not re.search(r"[\u4e00-\u9fff]", text))
    percent = int(rate.rstrip("%") or 0) if re.fullmatch(r"[+-]\d+%", rate) else 0
    clip = espeak.synthesize(text, "en" if english else "cmn", round(200 * (1 + percent / 100)))
    lead = b"\0\0" * (clip.sample_rate * LEAD_IN_MS // 1000)
    mp3 = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "s16le",
                          "-ar", str(clip.sample_rate), "-ac", "1", "-i", "pipe:0", "-ar", str(SAMPLE_RATE), "-ac", "1",
                          "-c:a", "libmp3lame", "-b:a", "48k", "-write_xing", "0", "-id3v2_version", "0",
                          "-write_id3v1", "0", "-f", "mp3", "pipe:1"],
                         input=lead + clip.pcm, capture_output=True, check=True).stdout
    words = []
    events = [b for b in clip.boundaries if b.kind == "word"]
    for i, b in enumerate(events):
        end = events[i + 1].offset_ms if i + 1 < len(events) else clip.duration_ms
        words.append((text[b.text_offset:b.text_offset + max(1, b.text_length)], LEAD_IN_MS + b.offset_ms,
                      max(1, end - b.offset_ms), b.text_offset))
    return mp3, tuple(words)


def sentences(text: str, words) -> list[tuple[str, int, int, int]]:
    """The words grouped into sentences (what the service sends when asked for SentenceBoundary)."""
    out: list[tuple[str, int, int, int]] = []
    start = 0
    for m in re.finditer(r"[。！？!?.]+|$", text):
        inside = [w for w in words if start <= w[3] < m.end()]
        if inside:
            first, last = inside[0], inside[-1]
            out.append((text[start:m.end()].strip(), first[1], last[1] + last[2] - first[1], start))
        start = m.end()
        if m.end() >= len(text):
            break
    return out


def _text_frame(request_id: str, path: str, body: str) -> str:
    return (f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
            f"Path:{path}\r\n\r\n{body}")


def _audio_frame(request_id: str, data: bytes) -> bytes:
    content = "Content-Type:audio/mpeg\r\n" if data else ""  # the closing empty frame has none
    headers = f"X-RequestId:{request_id}\r\n{content}Path:audio\r\n".encode()
    return len(headers).to_bytes(2, "big") + headers + data


def _request(ssml_message: str) -> tuple[str, str, str, str]:
    """(request id, spoken text, voice name, rate) of an `ssml` message."""
    request_id = re.search(r"X-RequestId:(\w+)", ssml_message)
    voice = re.search(r"<voice name='([^']*)'", ssml_message)
    rate = re.search(r"rate='([^']*)'", ssml_message)
    body = re.search(r"<prosody[^>]*>(.*)</prosody>", ssml_message, re.S)
    name = voice.group(1) if voice else ""
    long = re.fullmatch(r"Microsoft Server Speech Text to Speech Voice \((\w+-\w+), (\w+)\)", name)
    return (request_id.group(1) if request_id else uuid.uuid4().hex, unescape(body.group(1)) if body else "",
            f"{long.group(1)}-{long.group(2)}" if long else name, rate.group(1) if rate else "+0%")


class EdgeServer:
    def __init__(self, mode: str = "normal", fail_after: int | None = None, delay: float = 0,
                 first_byte_ms: float = 0, pace: float = 0):
        self.mode = mode
        self.fail_after = fail_after
        self.delay = delay
        self.first_byte_ms = first_byte_ms
        self.pace = pace
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

    def start(self) -> EdgeServer:
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
        app.router.add_post("/prepare", self._prepare)
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
        message = None
        kind = "WordBoundary"
        async for msg in ws:
            if msg.type == WSMsgType.TEXT and "Path:speech.config" in msg.data:
                if '"wordBoundaryEnabled":"true"' not in msg.data:
                    kind = "SentenceBoundary"
            if msg.type == WSMsgType.TEXT and "Path:ssml" in msg.data:
                message = msg.data
                break
        if message is None:
            return ws
        asked = time.monotonic()
        request_id, text, voice, rate = _request(message)
        if mode == "silent":
            await asyncio.sleep(3600)
        await asyncio.sleep(self.delay)
        await ws.send_str(_text_frame(request_id, "turn.start", '{"context":{"serviceTag":"loopback"}}'))
        await ws.send_str(_text_frame(request_id, "response", '{"context":{"serviceTag":"loopback"},'
                                      f'"audio":{{"type":"inline","streamId":"{uuid.uuid4().hex.upper()}"}}}}'))
        if mode == "empty":
            await ws.send_str(_text_frame(request_id, "turn.end", "{}"))
            await ws.close()
            return ws
        mp3, words = await asyncio.get_running_loop().run_in_executor(None, speech, text, voice, rate)
        if mode == "drop":
            with self._lock:
                self.dropped.append(text)
            with contextlib.suppress(ConnectionError):  # the client may give up first
                await ws.send_bytes(_audio_frame(request_id, mp3[: len(mp3) // 3]))
                await asyncio.sleep(0.05)
            if request.transport is not None:
                request.transport.abort()  # the link is gone: no close frame, no turn.end
            return ws
        marks = words if kind == "WordBoundary" else sentences(text, words)
        await self._stream(ws, request_id, mp3, marks, kind, asked)
        await ws.send_bytes(_audio_frame(request_id, b""))
        await ws.send_str(_text_frame(request_id, "turn.end", "{}"))
        with self._lock:
            self.served.append(text)
        with contextlib.suppress(asyncio.TimeoutError):  # the service leaves the closing to the client
            await asyncio.wait_for(ws.receive(), 2)
        await ws.close()
        return ws

    async def _prepare(self, request):
        """POST [[text, voice, rate], ...]: make those clips now (so a timed run pays only the pace);
        answers the sha256 of each clip's mp3."""
        import hashlib

        from aiohttp import web

        jobs = await request.json()
        loop = asyncio.get_running_loop()
        made = [await loop.run_in_executor(None, speech, text, voice, rate) for text, voice, rate in jobs]
        return web.json_response([hashlib.sha256(mp3).hexdigest() for mp3, _ in made])

    async def _stream(self, ws, request_id: str, mp3: bytes, marks, kind: str, asked: float) -> None:
        """Boundaries and audio frames, each frame sent when the pace says its audio is due."""
        pending = list(marks)

        async def mark(text: str, offset: int, duration: int) -> None:
            meta = {"Metadata": [{"Type": kind, "Data": {
                "Offset": offset * TICKS_PER_MS, "Duration": duration * TICKS_PER_MS,
                "text": {"Text": text, "Length": len(text), "BoundaryType": kind}}}]}
            await ws.send_str(_text_frame(request_id, "audio.metadata", json.dumps(meta, ensure_ascii=False)))

        for at in range(0, len(mp3), FRAME_BYTES):
            chunk = mp3[at:at + FRAME_BYTES]
            audio_to_ms = (at + len(chunk)) / BYTES_PER_MS
            while pending and pending[0][1] < audio_to_ms:
                await mark(*pending.pop(0)[:3])
            if self.first_byte_ms or self.pace:
                due = asked + self.first_byte_ms / 1000 + (at / BYTES_PER_MS / 1000 / self.pace if self.pace else 0)
                await asyncio.sleep(max(0.0, due - time.monotonic()))
            await ws.send_bytes(_audio_frame(request_id, chunk))
        for item in pending:
            await mark(*item[:3])


@contextlib.contextmanager
def running(mode: str = "normal", fail_after: int | None = None, delay: float = 0, first_byte_ms: float = 0,
            pace: float = 0):
    """A started server with edge-tts pointed at it; restored afterwards."""
    import edge_tts.communicate

    server = EdgeServer(mode, fail_after, delay, first_byte_ms, pace).start()
    saved = edge_tts.communicate.WSS_URL
    edge_tts.communicate.WSS_URL = server.url
    try:
        yield server
    finally:
        edge_tts.communicate.WSS_URL = saved
        server.stop()


def main() -> None:
    """Serve on its own: prints the URL, serves until stdin closes (scripts/bench_audio.py)."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", default="normal")
    ap.add_argument("--first-byte-ms", type=float, default=150)
    ap.add_argument("--pace", type=float, default=5)
    args = ap.parse_args()
    server = EdgeServer(args.mode, first_byte_ms=args.first_byte_ms, pace=args.pace).start()
    print(server.url, flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
