"""The programme as aired: `<stem>.as-aired.srt` and `<stem>.as-aired.md` from a followed broadcast.

The follower moves the displays while the host speaks; its positions are good to a second or so,
which is right for a reading line and too coarse for subtitles. When the broadcast ends, the
audio the follower heard is aligned offline (timing.recording.align, as `--recording` does: the
whole programme to go on, onsets snapped to the speech) and the subtitles are cut from that
timeline by the same code as every SRT (same segmentation and norms). Turns the alignment finds
missing are the skipped ones; its other findings (ad-libs, another order) are the off-script
parts. Where the offline alignment cannot be made, the follower's own times are used and the
note says so.
"""
from __future__ import annotations

import wave
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from ..model import Episode
    from ..options import RenderOptions
    from ..timing import Timeline
    from ..timing.recording.findings import Finding
    from .script import LiveScript


def write_wav(path: Path, pcm: np.ndarray, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())


def live_times(script: LiveScript,
               path: list[tuple[float, int, int]]) -> dict[tuple[int, int, int], tuple[float, float]]:
    """(segment, turn, phrase) -> (start s, end s) from the follower's path: when the shown
    position first reached each phrase, and when it left it."""
    times: dict[tuple[int, int, int], tuple[float, float]] = {}
    starts = [(pa, pb, key) for key, _c0, _c1, pa, pb in script.phrases]
    for key_pa, key_pb, key in starts:
        hit = [t for t, _raw, shown in path if key_pa <= shown < key_pb]
        if hit:
            times[key] = (hit[0], hit[-1])
    return times


def outputs(episode: Episode, timeline: Timeline, pcm: np.ndarray, script: LiveScript | None = None,
            path: list[tuple[float, int, int]] | None = None, options: RenderOptions | None = None,
            rate: int = 16000) -> dict[str, bytes]:
    """{name: bytes} of the as-aired subtitles and their note, for write_set."""
    import tempfile

    from ..errors import BroadcasterError
    from ..naming import stem_of
    from ..options import RenderOptions
    from ..programme import tracks
    from ..subtitles.formats import get as get_format
    from ..timing.recording import align
    from ..timing.recording.timed import build as timed_build

    options = options or RenderOptions()
    stem = stem_of(episode)
    seconds = len(pcm) / rate
    notes: list[str] = []
    findings: list[Finding] = []
    aired = None
    with tempfile.TemporaryDirectory(prefix="as-aired-") as tmp:
        wav = Path(tmp) / "aired.wav"
        write_wav(wav, pcm, rate)
        try:
            aired, alignment = align(episode, timeline, [str(wav)])  # silent by default
            findings, absent = list(alignment.findings), set(alignment.absent)
            notes.append("Timed by aligning the aired audio to the script offline (timing/recording), after the "
                         "broadcast.")
        except (BroadcasterError, ValueError, IndexError) as exc:
            notes.append(f"The offline alignment could not be made ({exc}); times are the follower's own.")
    if aired is None:
        times = live_times(script, path or []) if script is not None else {}
        keys = {(t.segment, t.index) for s in timeline.segments for t in s.turns if t.phrases}
        absent = {k for k in keys if not any(key[:2] == k for key in times)}
        for s in timeline.segments:
            for t in s.turns:
                for k in range(len(t.phrases)):
                    times.setdefault((t.segment, t.index, k), (0.0, 0.0))
        aired = timed_build(timeline, times, absent)
    track = tracks(episode, aired, options)[0][1]
    srt = get_format("srt").dumps(track, options).encode(options.encoding)
    return {f"{stem}.as-aired.srt": srt,
            f"{stem}.as-aired.md": note(episode, timeline, seconds, absent, findings, notes, len(track.cues)).encode()}


def note(episode: Episode, timeline: Timeline, seconds: float, absent: set[tuple[int, int]], findings: list[Finding],
         notes: list[str], cues: int) -> str:
    names = {s.key: s.name for s in episode.speakers}
    m, s = divmod(int(round(seconds)), 60)
    lines = [f"# As aired: {episode.title or episode.source}", "",
             f"{m}:{s:02d} of programme audio followed, {cues} cues in the as-aired subtitles.", "", *notes, ""]
    lines += ["## Skipped (in the script, not said on air)", ""]
    skipped = [t for seg in timeline.segments for t in seg.turns if (t.segment, t.index) in absent]
    lines += [f"- segment {t.segment + 1}, turn {t.index + 1} (line {t.line}), {names.get(t.speaker, t.speaker)}: "
              f"{''.join(p.text for p in t.phrases)[:60]}" for t in skipped] or ["- none"]
    lines += ["", "## Off-script (said on air, not in the script, or not where the script has it)", ""]
    off = [f for f in findings if f.kind != "missing"]
    lines += [f"- {f.start_s:.1f}–{f.end_s:.1f} s: {f.kind}"
              + (f", near segment {f.segment + 1} turn {f.turn + 1}" if f.segment is not None and f.turn is not None else "")
              + f" ({f.why})" for f in off] or ["- none found"]
    return "\n".join(lines) + "\n"
