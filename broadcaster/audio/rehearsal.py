"""The rehearsal audio, a renderer: the clips synthesis made (timing/synthesized.py), levelled and
laid out on the programme's timeline, as one file for the programme and one per segment."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..programme import Programme
from ..progress import SILENT, Reporter
from ..speech.cache import ClipCache
from ..speech.clip import samples_per_frame
from ..timing import Timeline
from ..timing.synthesized import Synthesis
from . import mp3join
from .assemble import export, lay_out, normalise


def render_audio(programme: Programme, synthesis: Synthesis, reporter: Reporter = SILENT) -> dict[str, bytes]:
    """{file name: bytes}: `<stem>.<fmt>` and `<stem>.NN-<segment>.<fmt>`, each as long as the
    programme's (or the segment's) dialogue runs."""
    options, clips, cache = programme.options, synthesis.clips, synthesis.cache
    timed = programme.source_timeline
    by_speaker: dict = {}
    for (s, t), clip in clips.items():
        by_speaker.setdefault(timed.segments[s].turns[t].speaker, []).append(clip)
    gains = normalise(by_speaker)
    rate = next(iter(clips.values())).sample_rate if clips else 22050
    # each clip at its segment's first sample plus its offset in the segment: the samples from a
    # turn's start to its segment's end then do not depend on where the segment falls
    placements = [((round(timed.segments[s].start_ms * rate / 1000) + _offset(timed, s, t, rate)) * 1000 / rate,
                   clip, gains[id(clip)]) for (s, t), clip in clips.items()]
    samples = lay_out(placements, programme.end_ms, rate)
    fmt = options.audio_format
    whole = f"{programme.stem}.{fmt}"
    parts = {}  # segment preview file: (first sample, samples)
    for piece in programme.segments:
        assert piece.segment is not None
        seg = timed.segments[piece.segment]
        if not seg.turns:
            continue
        a = int(round(seg.start_ms * rate / 1000))
        # the length from the segment's own times, so it does not vary with where the segment falls
        b = a + max(0, int(round(piece.end_ms * rate / 1000)))
        pcm = samples[a:b]
        if len(pcm) < b - a:  # the segment's last cue, on its own frame grid, ends after the programme's
            pcm = np.concatenate([pcm, np.zeros(b - a - len(pcm), dtype=pcm.dtype)])
        parts[f"{piece.stem}.{fmt}"] = (a, pcm)
    if fmt == "mp3" and parts:
        files = _joined_mp3(whole, parts, samples, timed, rate, cache)
    else:
        pieces = {whole: samples, **{name: pcm for name, (_, pcm) in parts.items()}}
        files = dict(zip(pieces, _encode_all(list(pieces.values()), rate, fmt, cache), strict=True))
    reporter.note("audio", f"{synthesis.engine}, {synthesis.made} clips synthesized, {synthesis.hits} from cache")
    return files


def _offset(timed: Timeline, segment: int, turn: int, rate: int) -> int:
    """Samples from a segment's start to a turn's."""
    seg = timed.segments[segment]
    return round((seg.turns[turn].start_ms - seg.start_ms) * rate / 1000)


def _encode_all(pcms: list, rate: int, fmt: str, cache: ClipCache) -> list[bytes]:
    """Encoded previews, in parallel; any whose audio did not change comes from the cache."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(lambda pcm: cache.encoded(pcm, rate, fmt, export), pcms))


def _joined_mp3(programme: str, parts: dict, samples: np.ndarray, timed: Timeline, rate: int,
                cache: ClipCache) -> dict[str, bytes]:
    """mp3 previews joined from one encoded piece per turn (mp3join): after an edit only the
    edited turn's piece is encoded again; the segment previews and the programme are the
    same pieces joined, so a cold render and an edited one give the same bytes."""
    spf = samples_per_frame(rate)
    layout = []  # (segment file, segment's first sample, [(piece's first sample in the segment, pcm)])
    for (name, (a, pcm)), seg in zip(parts.items(), [s for s in timed.segments if s.turns], strict=True):
        starts = [_offset(timed, seg.index, k, rate) for k, t in enumerate(seg.turns) if t.end_ms > t.start_ms]
        cut = mp3join.cuts(len(pcm), [s for s in starts if 0 < s < len(pcm)], spf)
        layout.append((name, a, [(r, pcm[r:r + n]) for r, n in cut]))
    flat = [piece for _, _, pieces in layout for piece in pieces]
    encoded = _encode_all([pcm for _, pcm in flat], rate, "mp3", cache)

    def silence(n: int) -> bytes:
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
