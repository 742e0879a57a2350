"""The programme as aired: `<stem>.as-aired.srt` and `<stem>.as-aired.md` from a followed broadcast.

The follower moves the displays while the host speaks; its positions are good to a second or so,
which is right for a reading line and too coarse for subtitles. When the broadcast ends, the
audio the follower heard is aligned offline (timing/recording: the same reference and features,
with the whole programme to go on) and the subtitles are cut from that timeline by the same code
as every SRT (same segmentation and norms). Turns the alignment finds missing are the skipped
ones; its other findings (ad-libs, another order) are the off-script parts. Where the offline
alignment cannot be made, the follower's own times are used and the note says so.
"""
from __future__ import annotations

import wave
from pathlib import Path

ONSET_LOOK = 100  # frames: how far an aligned start may move forward onto the speech


def write_wav(path: Path, pcm, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())


def live_times(script, path) -> dict:
    """(segment, turn, phrase) -> (start s, end s) from the follower's path: when the shown
    position first reached each phrase, and when it left it."""
    times: dict = {}
    starts = [(pa, pb, key) for key, _c0, _c1, pa, pb in script.phrases]
    for key_pa, key_pb, key in starts:
        hit = [t for t, _raw, shown in path if key_pa <= shown < key_pb]
        if hit:
            times[key] = (hit[0], hit[-1])
    return times


def spoken_turns(script, path) -> set:
    """(segment, turn) of the turns the follower's shown position went through."""
    seen = {int(script.turn_of[min(shown, script.frames - 1)]) for _t, _raw, shown in path}
    return {(script.turns[i].segment, script.turns[i].index) for i in seen}


def align_spoken(episode, timeline, wav: str, spoken: set) -> dict:
    """(segment, turn, phrase) -> (start s, end s) of the spoken turns in the aired audio.

    The offline alignment (timing/recording) of the turns the follower heard, in order, with no
    turn left out: the follower already knows which were skipped, and on real speech the price
    of leaving a turn out is what the offline method gets wrong (ALIGNMENT.md)."""
    import numpy as np

    from ..timing.recording import aligner, dtw, features as feat, media, reference
    from ..timing.recording.run import _voices
    from .script import turns_of

    turns = [t for t in turns_of(timeline) if (t.segment, t.index) in spoken]
    if not turns:
        return {}
    samples = media.decode(wav)
    ref = reference.build(turns, _voices(episode, None))
    rec_e, rec_c = feat.raw(samples, media.RATE)
    ref_e, ref_c = feat.raw(ref.samples, ref.rate)
    floor = feat.noise_floor(rec_e)
    level = aligner._speech_level(rec_e, floor)
    span = max(level - floor, 10.0)
    rec = feat.finish(rec_e, rec_c, level, floor)
    ref_level = float(np.percentile(ref_e[ref_e > -90], 90)) if (ref_e > -90).any() else 0.0
    ref_f = feat.finish(ref_e, ref_c, ref_level, ref_level - span)
    pad = int(round(reference.EDGE_S / feat.HOP_S))
    zeros = np.zeros((pad, rec.shape[1]), rec.dtype)
    padded = np.vstack([zeros, rec, zeros])
    first, last, _cost = dtw.align(ref_f, padded, skip=aligner.SKIP, pause_cap=aligner.PAUSE_CAP,
                                   pauses=aligner._pauses(ref_f[:, 0] / feat.ENERGY_WEIGHT))
    first = np.clip(first - pad, 0, len(rec) - 1)
    last = np.clip(last - pad, 0, len(rec) - 1)
    n = len(ref_f)
    times = {}
    for key, (a, b) in ref.phrases.items():
        fa = min(int(round(a / feat.HOP_S)), n - 1)
        fb = min(max(int(round(b / feat.HOP_S)), fa + 1), n)
        end = (last[fb - 1] + 1) * feat.HOP_S
        start = onset(rec_e, int(first[fa]), int(last[fb - 1])) * feat.HOP_S
        times[key] = (start, max(start, end))
    return times


def onset(energy, at: int, until: int, look: int | None = None) -> int:
    """The aligned start moved forward to the speech, when it lies in the quiet before it: the first frame
    above the local noise floor by a third of the local speech level's distance (ALIGNMENT.md: a threshold
    relative to the local floor survives room tone; a fixed one does not). Never past `until`."""
    import numpy as np

    lo, hi = max(0, at - 100), min(len(energy), at + 200)
    if hi - lo < 20:
        return at
    local = energy[lo:hi]
    floor, level = float(np.percentile(local, 10)), float(np.percentile(local, 90))
    threshold = floor + max(6.0, 0.35 * (level - floor))
    if energy[at] >= threshold:
        return at
    look = ONSET_LOOK if look is None else look
    ahead = np.flatnonzero(energy[at:min(until, at + look) + 1] >= threshold)
    return at + int(ahead[0]) if len(ahead) else at


def outputs(episode, timeline, pcm, script=None, path=None, options=None, rate: int = 16000) -> dict[str, bytes]:
    """{name: bytes} of the as-aired subtitles and their note, for write_set."""
    import tempfile

    from ..errors import BroadcasterError
    from ..naming import stem_of
    from ..options import RenderOptions
    from ..programme import tracks
    from ..subtitles.formats import get as get_format
    from ..timing.recording.timed import build as timed_build

    options = options or RenderOptions()
    stem = stem_of(episode)
    seconds = len(pcm) / rate
    notes: list[str] = []
    keys = [(t.segment, t.index) for s in timeline.segments for t in s.turns if t.phrases]
    spoken = spoken_turns(script, path or []) if script is not None else set(keys)
    times: dict = {}
    with tempfile.TemporaryDirectory(prefix="as-aired-") as tmp:
        wav = Path(tmp) / "aired.wav"
        write_wav(wav, pcm, rate)
        try:
            times = align_spoken(episode, timeline, str(wav), spoken)
            notes.append("Timed by aligning the aired audio to the turns the follower heard, offline, after the "
                         "broadcast.")
        except (BroadcasterError, ValueError, IndexError) as exc:
            notes.append(f"The offline alignment could not be made ({exc}); times are the follower's own.")
            times = live_times(script, path or []) if script is not None else {}
    absent = {k for k in keys if k not in spoken}
    for s in timeline.segments:
        for t in s.turns:
            for k in range(len(t.phrases)):
                times.setdefault((t.segment, t.index, k), (0.0, 0.0))
    aired = timed_build(timeline, times, absent)
    track = tracks(episode, aired, options)[0][1]
    srt = get_format("srt").dumps(track, options).encode(options.encoding)
    return {f"{stem}.as-aired.srt": srt,
            f"{stem}.as-aired.md": note(episode, timeline, seconds, absent, [], notes, len(track.cues)).encode()}


def note(episode, timeline, seconds: float, absent: set, findings: list, notes: list, cues: int) -> str:
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
