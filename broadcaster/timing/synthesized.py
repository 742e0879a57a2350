"""Synthesis as a timing source: every turn one clip (cached), and the timeline the clips give.

`synthesize(episode, timeline, options)` casts the voices, chooses the engine, makes each
turn's clip through the cache (with progress) and lays the clips out: a turn is one clip; its
phrases are located by the engine's word events (text offsets → audio positions). Turns and
segments are laid out with the same pauses as the text timeline, so the rehearsal audio
(audio/, which assembles the clips) and the timeline agree to the millisecond.
"""
from __future__ import annotations

import asyncio
from bisect import bisect_left
from dataclasses import dataclass, replace

from ..errors import SynthesisError
from ..model import Episode
from ..options import RenderOptions
from ..progress import SILENT, Reporter
from ..speech import edge, espeak
from ..speech.cache import ClipCache, key
from ..speech.clip import Clip, Voice, samples_per_frame
from ..speech.voices import cast, load_profile
from ..spoken import spoken_form
from .timeline import SEGMENT_GAP_MS, TURN_PAUSE_MS, TimedSegment, TimedTurn, Timeline


def turn_script(turn: TimedTurn) -> tuple[str, list[int]]:
    """The text an engine reads for a turn, and where each phrase starts in it."""
    parts, starts, pos = [], [], 0
    previous_paragraph = None
    for ph in turn.phrases:
        if previous_paragraph is not None and ph.paragraph != previous_paragraph:
            parts.append("\n")
            pos += 1
        text = spoken_form(ph.text, turn.language)
        starts.append(pos)
        parts.append(text)
        pos += len(text)
        previous_paragraph = ph.paragraph
    return "".join(parts), starts


def _phrase_times(clip: Clip, starts: list[int]) -> list[int]:
    words = sorted((b.text_offset, b.offset_ms) for b in clip.boundaries if b.kind == "word")
    offsets = [w[0] for w in words]
    times: list[int] = []
    for s in starts:
        i = bisect_left(offsets, s)
        t = words[i][1] if i < len(words) else clip.duration_ms
        times.append(max(times[-1] if times else 0, min(t, clip.duration_ms)))
    if times:
        times[0] = 0
    return times


def layout(timeline: Timeline, clips: dict[tuple[int, int], Clip], engine: str) -> Timeline:
    """Place every clip; phrases get the audio's times.

    The pause after a turn is stretched (by under one mp3 frame, 26 ms) so each turn's
    clip and pause fill whole frames of the rehearsal preview from the segment's start:
    the preview is joined from one encoded piece per turn (audio/mp3join.py), and a turn
    then keeps its piece however the turns before it change.
    """
    rate = next(iter(clips.values())).sample_rate if clips else 22050
    frame = samples_per_frame(rate)
    pause = TURN_PAUSE_MS * rate // 1000
    segments = []
    t = 0
    for seg in timeline.segments:
        seg_start = t
        turns: list[TimedTurn] = []
        cursor = 0  # samples from the segment's start to the next turn's
        for turn in seg.turns:
            t = seg_start + round(cursor * 1000 / rate)
            clip = clips.get((turn.segment, turn.index))
            if clip is None or not turn.phrases:
                turns.append(replace(turn, start_ms=t, end_ms=t, phrases=tuple(
                    replace(p, start_ms=t, end_ms=t, pause_ms=0) for p in turn.phrases)))
                cursor += -(-pause // frame) * frame
                continue
            _, starts = turn_script(turn)
            times = _phrase_times(clip, starts) + [clip.duration_ms]
            phrases = tuple(
                replace(ph, start_ms=t + times[i], end_ms=t + times[i + 1], pause_ms=0)
                for i, ph in enumerate(turn.phrases)
            )
            turns.append(replace(turn, start_ms=t, end_ms=t + clip.duration_ms, phrases=phrases))
            cursor += -(-(len(clip.pcm) // 2 + pause) // frame) * frame
            t = t + clip.duration_ms
        segments.append(TimedSegment(seg.index, seg.title, seg_start, t, tuple(turns)))
        t += SEGMENT_GAP_MS
    return Timeline(tuple(segments), f"audio:{engine}", timeline.rates)


@dataclass(frozen=True)
class Synthesis:
    """What synthesis decided: the audio-timed timeline and the clips it is made of."""

    timeline: Timeline
    clips: dict[tuple[int, int], Clip]  # (segment, turn) → clip, for every turn with speech
    engine: str
    made: int  # clips synthesized now
    hits: int  # clips from the cache
    cache: ClipCache


def synthesize(episode: Episode, timeline: Timeline, options: RenderOptions, reporter: Reporter = SILENT) -> Synthesis:
    """Every turn's clip and the timeline they give; the engine chosen is noted, and the clips'
    progress reported when the options ask for progress."""
    voices = cast(episode, load_profile(options.voices))
    engine = choose_engine(options.engine, reporter)
    cache = ClipCache(options.cache_dir)
    clips, made, hits = synthesize_turns(episode, timeline, engine, voices, cache,
                                         reporter if options.progress else SILENT)
    return Synthesis(layout(timeline, clips, engine), clips, engine, made, hits, cache)


def choose_engine(requested: str, reporter: Reporter = SILENT) -> str:
    """`auto`: edge when the service answers, else espeak for the whole run (noted once)."""
    if requested != "auto":
        return requested
    ok, why = asyncio.run(edge.reachable())
    engine = "edge" if ok else "espeak"
    reporter.note("audio", f"using {engine} ({why})")
    return engine


def synthesize_turns(episode: Episode, timeline: Timeline, engine: str, voices: dict[str, Voice], cache: ClipCache,
                     reporter: Reporter = SILENT) -> tuple[dict[tuple[int, int], Clip], int, int]:
    """{(segment, turn): Clip} for every turn with speech, and (synthesized, cached) counts;
    "synthesizing" reported clip by clip."""
    jobs = []  # (id, text, voice, label, cache key)
    for turn in timeline.turns():
        if not turn.phrases:
            continue
        text, _ = turn_script(turn)
        voice = voices[turn.speaker]
        label = f"segment {turn.segment + 1} turn {turn.index + 1} ({episode.speaker(turn.speaker).name}, line {turn.line})"
        jobs.append(((turn.segment, turn.index), text, voice, label, key(engine, voice.params(engine), text)))
    clips: dict = {}
    missing = []
    for job in jobs:
        hit = cache.get(job[4])
        if hit is not None:
            clips[job[0]] = hit
        else:
            missing.append(job)
    progress = {"done": len(jobs) - len(missing)}
    reporter.start("synthesizing", len(jobs), progress["done"])

    def step() -> None:
        progress["done"] += 1
        reporter.advance("synthesizing", progress["done"])

    try:
        if engine == "espeak":
            def done(i: int, clip: Clip) -> None:
                cache.put(missing[i][4], clip)  # at once: an interrupted run keeps what it made
                clips[missing[i][0]] = clip
                step()

            espeak.synthesize_many([(j[1], j[2].espeak_voice, j[2].espeak_rate, j[2].espeak_pitch)
                                    for j in missing], on_done=done)
        elif engine == "edge":
            def finished(i: int, clip: Clip) -> None:
                cache.put(missing[i][4], clip)  # kept even if a later clip fails
                clips[missing[i][0]] = clip
                step()

            lines = {j[3]: int(j[3].rsplit("line ", 1)[-1].rstrip(")")) for j in missing}
            try:
                asyncio.run(edge.synthesize_all([(j[1], j[2], j[3]) for j in missing], finished))
            except SynthesisError as exc:
                exc.line = next((n for label, n in lines.items() if label in exc.message), exc.line)
                raise  # located at the failing turn's line by the CLI
        else:
            raise SynthesisError(f"unknown engine {engine!r}")
    finally:
        reporter.stop("synthesizing")
    return clips, len(missing), len(jobs) - len(missing)
