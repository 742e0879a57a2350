"""The edge-tts engine: async API only, bounded concurrency, timeouts and retries.

edge-tts's synchronous streaming wrapper hangs forever on a connection error, so it is never used.
Word boundaries (100 ns ticks) become word events located in the text; the
mp3 the service sends (24 kHz mono) is decoded with the wheel-shipped ffmpeg.
"""
from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable
from typing import Any

from ..errors import SynthesisError
from .clip import Boundary, Clip, Voice

SAMPLE_RATE = 24000
RETRIES = 3
BACKOFF_S = 0.25


def _retryable() -> tuple[type[BaseException], ...]:
    import aiohttp  # aiohttp and edge_tts take seconds to import here: only when edge-tts is used
    import edge_tts.exceptions as ex

    return (aiohttp.ClientError, OSError, asyncio.TimeoutError, ex.NoAudioReceived, ex.WebSocketError,
            ex.UnexpectedResponse, ex.UnknownResponse, ex.SkewAdjustmentError)


def decode_mp3(data: bytes, rate: int = SAMPLE_RATE) -> bytes:
    import imageio_ffmpeg  # ~0.2 s: only when an edge-tts clip is decoded

    run = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "mp3",
                          "-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", str(rate), "pipe:1"],
                         input=data, capture_output=True, check=False)
    if run.returncode != 0:
        raise SynthesisError(f"the service's mp3 could not be decoded: {run.stderr.decode(errors='replace')[:200]}")
    return run.stdout


async def _once(text: str, voice: Voice, connect_timeout: int) -> Clip:
    import edge_tts

    communicate = edge_tts.Communicate(text, voice.edge_voice, rate=voice.edge_rate, volume=voice.edge_volume,
                                       pitch=voice.edge_pitch, boundary="WordBoundary",
                                       connect_timeout=connect_timeout, receive_timeout=connect_timeout * 3)
    audio = bytearray()
    boundaries = []
    cursor = 0
    async for chunk in communicate.stream():
        if chunk["type"] == "audio":
            audio.extend(chunk["data"])
        elif chunk["type"] in ("WordBoundary", "SentenceBoundary"):
            word = chunk.get("text", "")
            found = text.find(word, cursor) if word else -1
            if found >= 0:
                cursor = found + len(word)
            boundaries.append(Boundary("word" if chunk["type"] == "WordBoundary" else "sentence",
                                       round(chunk["offset"] / 10_000), max(found, cursor if found < 0 else found),
                                       len(word)))
    if communicate.state.get("chunk_audio_bytes"):
        # edge-tts ends the stream quietly when the link drops mid-clip: audio came, its turn.end
        # never did (which would have zeroed this count). A cut clip must not be cached as whole.
        raise ConnectionResetError("the connection closed in the middle of the clip")
    pcm = await asyncio.get_running_loop().run_in_executor(None, decode_mp3, bytes(audio))
    return Clip(pcm, SAMPLE_RATE, tuple(boundaries))


async def synthesize(text: str, voice: Voice, label: str, *, timeout: float = 60, connect_timeout: int = 10,
                     retries: int = RETRIES, backoff: float = BACKOFF_S) -> Clip:
    """One clip, retried with backoff on network errors, 403 and empty answers."""
    last = None
    for attempt in range(retries):
        try:
            return await asyncio.wait_for(_once(text, voice, connect_timeout), timeout)
        except _retryable() as exc:  # aiohttp's 403 is a ClientResponseError, a ClientError
            last = exc
            if attempt + 1 < retries:
                await asyncio.sleep(backoff * 2 ** attempt)
    cause = f"{type(last).__name__}: {last}" if str(last) else type(last).__name__
    raise SynthesisError(f"edge-tts failed for {label} after {retries} tries ({cause})")


async def synthesize_all(jobs: list[tuple[str, Voice, str]], on_done: Callable[[int, Clip], None],
                         concurrency: int = 4, **kwargs: Any) -> list[Clip]:
    """jobs: [(text, voice, label)]; results in order. The first failure stops the run;
    clips already finished have been handed to on_done (and cached) by then."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int, text: str, voice: Voice, label: str) -> Clip:
        async with gate:
            clip = await synthesize(text, voice, label, **kwargs)
        on_done(i, clip)
        return clip

    tasks = [asyncio.create_task(one(i, *job)) for i, job in enumerate(jobs)]
    try:
        return await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def reachable(timeout: float = 2.5) -> tuple[bool, str]:
    """Does the service answer? A tiny real request, bounded so `auto` decides fast."""
    probe = Voice("probe", "host", "zh-CN-XiaoxiaoNeural")
    try:
        await asyncio.wait_for(_once("你好", probe, connect_timeout=max(1, int(timeout))), timeout)
        return True, "the edge-tts service answered"
    except TimeoutError:
        return False, f"the edge-tts service did not answer within {timeout:g} s"
    except Exception as exc:  # any failure means: not usable for this run
        return False, f"the edge-tts service cannot be reached ({type(exc).__name__})"
