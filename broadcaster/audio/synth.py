"""One engine per run, every turn one clip, through the cache, with progress."""
from __future__ import annotations

import asyncio
import os
import sys

from ..errors import SynthesisError
from ..naming import segment_stem, stem_of, subtitle_profile
from ..timing.synthesized import layout, turn_script
from ..speech.cache import ClipCache, key
from ..speech.clip import Clip, samples_per_frame
from ..speech.voices import cast, load_profile


def choose_engine(requested: str, say=None) -> str:
    """`auto`: edge when the service answers, else espeak for the whole run (said once)."""
    say = say or (lambda m: print(m, file=sys.stderr))
    if requested != "auto":
        return requested
    from ..speech import edge

    ok, why = asyncio.run(edge.reachable())
    engine = "edge" if ok else "espeak"
    say(f"audio: using {engine} ({why})")
    return engine


class Progress:
    """A rich bar on a terminal; plain lines otherwise (logs, CI)."""

    def __init__(self, total: int, hits: int, enabled: bool = True):
        self.total, self.hits, self.done = total, hits, hits
        self.enabled = enabled and total > 0
        self.bar = None
        if self.enabled and sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn

            self.bar = Bar(TextColumn("synthesizing"), BarColumn(), MofNCompleteColumn(),
                           TextColumn(f"clips ({hits} from cache)"), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("clips", total=total, completed=hits)
        elif self.enabled:
            print(f"audio: {total} clips, {hits} from cache, {total - hits} to synthesize", file=sys.stderr)

    def step(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done)
        elif self.enabled and (self.done == self.total or self.done % max(1, self.total // 10) == 0):
            print(f"audio: {self.done}/{self.total} clips", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def synthesize_turns(episode, timeline, engine: str, voices, cache: ClipCache, progress: bool = True):
    """{(segment, turn): Clip} for every turn with speech, and (synthesized, cached) counts."""
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
    bar = Progress(len(jobs), len(jobs) - len(missing), progress)
    try:
        if engine == "espeak":
            from ..speech import espeak

            def done(i, clip: Clip):
                cache.put(missing[i][4], clip)  # at once: an interrupted run keeps what it made
                clips[missing[i][0]] = clip
                bar.step()

            espeak.synthesize_many([(j[1], j[2].espeak_voice, j[2].espeak_rate, j[2].espeak_pitch)
                                    for j in missing], on_done=done)
        elif engine == "edge":
            from ..speech import edge

            def finished(i, clip: Clip):
                cache.put(missing[i][4], clip)  # kept even if a later clip fails
                clips[missing[i][0]] = clip
                bar.step()

            lines = {j[3]: int(j[3].rsplit("line ", 1)[-1].rstrip(")")) for j in missing}
            try:
                asyncio.run(edge.synthesize_all([(j[1], j[2], j[3]) for j in missing], finished))
            except SynthesisError as exc:
                exc.line = next((n for label, n in lines.items() if label in exc.message), exc.line)
                raise  # located at the failing turn's line by the CLI
        else:
            raise SynthesisError(f"unknown engine {engine!r}")
    finally:
        bar.close()
    return clips, len(missing), len(jobs) - len(missing)


def render_audio(episode, timeline, options):
    from .assemble import lay_out, normalise

    profile = load_profile(options.voices)
    voices = cast(episode, profile)
    engine = choose_engine(options.engine)
    cache = ClipCache(options.cache_dir)
    clips, made, hits = synthesize_turns(episode, timeline, engine, voices, cache, options.progress)
    timed = layout(timeline, clips, engine)
    by_speaker: dict = {}
    for (s, t), clip in clips.items():
        by_speaker.setdefault(timeline.segments[s].turns[t].speaker, []).append(clip)
    gains = normalise(by_speaker)
    rate = next(iter(clips.values())).sample_rate if clips else 22050
    # each clip at its segment's first sample plus its offset in the segment: the samples from a
    # turn's start to its segment's end then do not depend on where the segment falls
    placements = [((round(timed.segments[s].start_ms * rate / 1000) + _offset(timed, s, t, rate)) * 1000 / rate,
                   clip, gains[id(clip)]) for (s, t), clip in clips.items()]
    end_ms = _programme_end(episode, timed, options)
    samples = lay_out(placements, end_ms, rate)
    stem = stem_of(episode)
    fmt = options.audio_format
    programme = f"{stem}.{fmt}"
    parts = {}  # segment preview file: (first sample, samples)
    for i, seg in enumerate(timed.segments):
        if not seg.turns:
            continue
        a = int(round(seg.start_ms * rate / 1000))
        # the length from the segment's own times, so it does not vary with where the segment falls
        b = a + max(0, int(round((_segment_end(episode, timed, options, i) - seg.start_ms) * rate / 1000)))
        pcm = samples[a:b]
        if len(pcm) < b - a:  # the segment's last cue, on its own frame grid, ends after the programme's
            import numpy as np

            pcm = np.concatenate([pcm, np.zeros(b - a - len(pcm), dtype=pcm.dtype)])
        parts[f"{segment_stem(stem, i, seg.title)}.{fmt}"] = (a, pcm)
    if fmt == "mp3" and parts:
        files = _joined_mp3(programme, parts, samples, timed, rate, cache)
    else:
        pieces = {programme: samples, **{name: pcm for name, (_, pcm) in parts.items()}}
        files = dict(zip(pieces, _encode_all(list(pieces.values()), rate, fmt, cache), strict=True))
    if options.progress:
        print(f"audio: {engine}, {made} clips synthesized, {hits} from cache", file=sys.stderr)
    return timed, files


def _offset(timed, segment: int, turn: int, rate: int) -> int:
    """Samples from a segment's start to a turn's."""
    seg = timed.segments[segment]
    return round((seg.turns[turn].start_ms - seg.start_ms) * rate / 1000)


def _encode_all(pcms: list, rate: int, fmt: str, cache: ClipCache) -> list[bytes]:
    """Encoded previews, in parallel; any whose audio did not change comes from the cache."""
    from concurrent.futures import ThreadPoolExecutor

    from .assemble import export

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(lambda pcm: cache.encoded(pcm, rate, fmt, export), pcms))


def _joined_mp3(programme: str, parts: dict, samples, timed, rate: int, cache: ClipCache) -> dict[str, bytes]:
    """mp3 previews joined from one encoded piece per turn (mp3join): after an edit only the
    edited turn's piece is encoded again; the segment previews and the programme are the
    same pieces joined, so a cold render and an edited one give the same bytes."""
    import numpy as np

    from . import mp3join

    spf = samples_per_frame(rate)
    layout = []  # (segment file, segment's first sample, [(piece's first sample in the segment, pcm)])
    for (name, (a, pcm)), seg in zip(parts.items(), [s for s in timed.segments if s.turns], strict=True):
        starts = [_offset(timed, seg.index, k, rate) for k, t in enumerate(seg.turns) if t.end_ms > t.start_ms]
        cut = mp3join.cuts(len(pcm), [s for s in starts if 0 < s < len(pcm)], spf)
        layout.append((name, a, [(r, pcm[r:r + n]) for r, n in cut]))
    flat = [piece for _, _, pieces in layout for piece in pieces]
    encoded = _encode_all([pcm for _, pcm in flat], rate, "mp3", cache)

    def silence(n: int) -> bytes:
        from .assemble import export

        return cache.encoded(np.zeros(n, dtype=np.int16), rate, "mp3", export)

    files, everything, i = {}, [], 0
    for name, a, pieces in layout:
        mine = encoded[i:i + len(pieces)]
        i += len(pieces)
        files[name] = mp3join.programme(len(parts[name][1]), [(r, e) for (r, _), e in zip(pieces, mine, strict=True)],
                                        silence)
        everything += [(a + r, e) for (r, _), e in zip(pieces, mine, strict=True)]
    ends = [a + len(parts[name][1]) for name, a, _ in layout]
    if any(end > start for end, (_, start, _) in zip(ends, layout[1:], strict=False)):
        # a segment's last cue outlasts the gap after it: its preview overlaps the next segment
        return {programme: _encode_all([samples], rate, "mp3", cache)[0], **files}
    return {programme: mp3join.programme(len(samples), everything, silence), **files}


def _programme_end(episode, timed, options) -> int:
    """The audio runs to the last subtitle's end (a short last cue may outlast its words)."""
    from ..subtitles import build_track

    track = build_track(timed, subtitle_profile(episode, options))
    return max(timed.total_ms, track.cues[-1].end_ms if track.cues else 0)


def _segment_end(episode, timed, options, index: int) -> int:
    from ..subtitles import build_track

    seg = timed.segments[index]
    track = build_track(timed, subtitle_profile(episode, options), index)
    return seg.start_ms + max(seg.duration_ms, track.cues[-1].end_ms if track.cues else 0)
