"""Offline engine: the libespeak-ng shipped in the `espeakng-loader` wheel, via ctypes.

Synchronous mode with a synth callback that collects PCM and word/sentence
events (audio positions in ms). Each worker process initialises the library
once; clips are spread over processes on all cores.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from .clip import Boundary, Clip

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE, _PITCH = 1, 3
_EVENT_WORD, _EVENT_SENTENCE = 1, 2


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_void_p)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))
_state: dict = {}
_lock = threading.Lock()  # libespeak-ng keeps global state: one synthesis at a time per process


def _library() -> Any:
    """Load and initialise libespeak-ng once per process."""
    if "lib" not in _state:
        import espeakng_loader  # finds the library: once per process, when espeak first speaks

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.restype = ctypes.c_int
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
        if rate <= 0:
            raise OSError("libespeak-ng failed to initialise")
        pcm = bytearray()
        events: list = []

        def collect(wav: Any, count: int, event: Any) -> int:
            if count > 0:
                pcm.extend(ctypes.string_at(wav, count * 2))
            i = 0
            while event[i].type != 0:
                e = event[i]
                if e.type in (_EVENT_WORD, _EVENT_SENTENCE):
                    events.append((e.type, e.audio_position, e.text_position - 1, e.length))
                i += 1
            return 0

        callback = _CALLBACK(collect)
        lib.espeak_SetSynthCallback(callback)
        _state.update(lib=lib, rate=rate, pcm=pcm, events=events, callback=callback, voice=None)
    return _state


def synthesize(text: str, voice: str, rate: int, pitch: int = 50) -> Clip:
    """Speak `text`; word events' text offsets index `text` (characters)."""
    with _lock:
        return _synthesize(text, voice, rate, pitch)


def _synthesize(text: str, voice: str, rate: int, pitch: int) -> Clip:
    st = _library()
    lib = st["lib"]
    if st["voice"] != voice:
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"espeak has no voice {voice!r}")
        st["voice"] = voice
    lib.espeak_SetParameter(_RATE, int(rate), 0)
    lib.espeak_SetParameter(_PITCH, int(pitch), 0)
    st["pcm"].clear()
    st["events"].clear()
    data = text.encode("utf-8")
    status = lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
    if status != 0:
        raise OSError(f"espeak_Synth failed with status {status}")
    boundaries = tuple(
        Boundary("word" if kind == _EVENT_WORD else "sentence", pos, max(0, offset), length)
        for kind, pos, offset, length in st["events"]
    )
    return Clip(bytes(st["pcm"]), st["rate"], boundaries)


def _job(args: tuple[str, str, int, int]) -> Clip:
    return synthesize(*args)


def synthesize_many(jobs: list[tuple[str, str, int, int]], on_done: Callable[[int, Clip], None] | None = None,
                    workers: int | None = None) -> list[Clip]:
    """Synthesize (text, voice, rate, pitch) jobs over processes; results in job order.
    on_done(index, clip) runs as each clip finishes (so it can be cached at once)."""
    if not jobs:
        return []
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) < 4:
        out = []
        for i, job in enumerate(jobs):
            out.append(synthesize(*job))
            if on_done:
                on_done(i, out[-1])
        return out
    results: list = [None] * len(jobs)
    # fork: children inherit the loaded library path; nothing is initialised before the pool
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(_job, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if on_done:
                on_done(i, results[i])
    return results
