"""Rehearsal audio: synthesize each turn (cached, speech/), assemble, and re-time.

Entry point: `render_audio(episode, timeline, options) -> (audio_timeline, files)`.
Heavy modules (numpy, pydub, edge_tts, aiohttp) load inside the functions.
"""
from __future__ import annotations


def render_audio(episode, timeline, options):
    from .synth import render_audio as _render

    return _render(episode, timeline, options)
