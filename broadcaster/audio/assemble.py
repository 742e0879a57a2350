"""Assembly: clips laid on one buffer in time linear in the programme's length.

Never `+`, `sum()` or `overlay` in a loop (quadratic in pydub): one numpy
buffer of silence, each clip copied to its offset once. Every clip is brought
to one loudness, so host and guests sit at one level.
"""
from __future__ import annotations

import io
import warnings

import imageio_ffmpeg
import numpy as np

from ..speech.clip import Clip

TARGET_DBFS = -20.0
PEAK_CEILING = 0.95


def _rms_dbfs(samples: np.ndarray) -> float:
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    return 20 * np.log10(max(rms, 1e-9) / 32768.0)


def speech_level_dbfs(samples: np.ndarray) -> float:
    """RMS level of the voiced part (silences between words do not lower it)."""
    if samples.size == 0:
        return -120.0
    peak = float(np.abs(samples).max())
    voiced = samples[np.abs(samples) > 0.02 * peak]
    return _rms_dbfs(voiced if voiced.size else samples)


def normalise(clips_by_speaker: dict[str, list[Clip]]) -> dict[int, float]:
    """A gain per clip id (id(clip)) so every clip's speech sits at TARGET_DBFS.

    Clip by clip, not per speaker: host and guests still sit at one level, and an edited
    turn changes its own clip's gain only, so every other turn's audio stays the same
    bytes and its encoded preview piece is reused (an edit re-encodes one turn).
    """
    gains = {}
    for clips in clips_by_speaker.values():
        for c in clips:
            samples = np.frombuffer(c.pcm, dtype="<i2")
            gain = 10 ** ((TARGET_DBFS - speech_level_dbfs(samples)) / 20)
            peak = float(np.abs(samples).max()) if samples.size else 0.0
            if peak * gain > 32767 * PEAK_CEILING:
                gain = 32767 * PEAK_CEILING / max(peak, 1.0)
            gains[id(c)] = gain
    return gains


def lay_out(placements: list[tuple[float, Clip, float]], total_ms: int, sample_rate: int) -> np.ndarray:
    """placements: (start_ms, clip, gain). Returns int16 numpy samples."""
    total = int(round(total_ms * sample_rate / 1000))
    for start_ms, clip, _ in placements:
        total = max(total, int(round(start_ms * sample_rate / 1000)) + len(clip.pcm) // 2)
    buffer = np.zeros(total, dtype=np.int16)
    for start_ms, clip, gain in placements:
        at = int(round(start_ms * sample_rate / 1000))
        samples = np.frombuffer(clip.pcm, dtype="<i2")
        if gain != 1.0:
            samples = np.clip(samples.astype(np.float32) * gain, -32768, 32767).astype(np.int16)
        buffer[at:at + samples.size] = samples
    return buffer


def export(samples: np.ndarray, sample_rate: int, fmt: str = "mp3") -> bytes:
    """Encode with pydub, through the ffmpeg shipped in the imageio-ffmpeg wheel."""
    with warnings.catch_warnings():  # pydub on import: here, under the filter, not at module top
        warnings.simplefilter("ignore", DeprecationWarning)  # pydub imports audioop
        warnings.simplefilter("ignore", RuntimeWarning)  # it looks for a system ffmpeg; we give it the wheel's
        from pydub import AudioSegment

    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    segment = AudioSegment(data=samples.astype("<i2").tobytes(), sample_width=2, frame_rate=sample_rate, channels=1)
    out = io.BytesIO()
    if fmt == "wav":
        segment.export(out, format="wav")
    else:
        # LAME's fastest algorithm at the same bitrate: a rehearsal preview, encoded on every edit
        segment.export(out, format="mp3", bitrate="64k", parameters=["-compression_level", "9"])
    return out.getvalue()
