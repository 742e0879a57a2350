"""Any media ffmpeg decodes → one mono channel of float32 samples at a fixed rate.

The ffmpeg of the imageio-ffmpeg wheel decodes the file and pipes raw 16-bit
PCM into numpy, so memory is the samples themselves (30 minutes at 16 kHz:
about 115 MB as float32), never a temporary file.
"""
from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

from ...errors import InputError, OptionsError

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

RATE = 22050  # Hz: espeak-ng's own rate, so the reference needs no resampling (ffmpeg resamples the recording)
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_CHANNELS = re.compile(r"Audio: [^,]+, \d+ Hz, ([^,]+),")


class MediaError(InputError):
    """A recording cannot be decoded (no audio, no such channel, not media)."""


def probe(path: str) -> tuple[float | None, int | None]:
    """(duration in seconds, channel count) as ffmpeg reports them, or None where it does not."""
    import imageio_ffmpeg

    proc = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
                          capture_output=True, text=True, errors="replace")
    text = proc.stderr
    if "Audio:" not in text:
        reason = text.strip().splitlines()[-1] if text.strip() else "ffmpeg could not read it"
        if "Invalid data" in text or "No such file" in text or "Stream" not in text:
            raise MediaError(f"not a media file ffmpeg can decode ({reason})", path=str(path), line=1)
        raise MediaError("the file has no audio stream", path=str(path), line=1)
    m = _DURATION.search(text)
    seconds = int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3]) if m else None
    c = _CHANNELS.search(text)
    channels = None
    if c:
        layout = c[1].strip()
        named = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "6.1": 7, "7.1": 8}
        n = re.match(r"(\d+) channels", layout)
        channels = int(n[1]) if n else named.get(layout.split("(")[0])
    return seconds, channels


def decode(path: str, channel: int | None = None, rate: int = RATE,
           on_progress: Callable[[float, float | None], None] | None = None) -> np.ndarray:
    """Mono float32 samples in [-1, 1]: channel N (1-based) or the mix of all channels.

    on_progress(done_seconds, total_seconds) is called as the audio arrives."""
    import imageio_ffmpeg
    import numpy as np

    seconds, channels = probe(path)
    if channel is not None:
        if channel < 1 or (channels is not None and channel > channels):
            raise OptionsError(f"{{flag}} {channel}: the recording has {channels} channel(s)", option="channel",
                               path=str(path), line=1)
        mix = ["-af", f"pan=mono|c0=c{channel - 1}"]
    else:
        mix = ["-ac", "1"]
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path),
           "-map", "0:a:0", "-vn", *mix, "-ar", str(rate), "-f", "s16le", "-acodec", "pcm_s16le", "-"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks = []
    got = 0
    block = rate * 2 * 30  # 30 s of samples per read
    try:
        assert proc.stdout is not None
        while True:
            data = proc.stdout.read(block)
            if not data:
                break
            chunks.append(np.frombuffer(data, dtype="<i2"))
            got += len(data)
            if on_progress:
                on_progress(got / 2 / rate, seconds)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        code = proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if code != 0:
        raise MediaError(f"ffmpeg could not decode it: {err.strip().splitlines()[-1] if err.strip() else code}",
                         path=str(path), line=1)
    total = sum(len(c) for c in chunks)
    if total < rate // 2:
        raise MediaError("the recording holds less than half a second of audio", path=str(path), line=1)
    out = np.empty(total, dtype=np.float32)  # filled chunk by chunk: never the whole file twice
    pos = 0
    chunks.reverse()
    while chunks:
        c = chunks.pop()
        out[pos:pos + len(c)] = c
        out[pos:pos + len(c)] *= 1.0 / 32768.0
        pos += len(c)
    return out
