"""`<stem>.preview.mp4`: the programme as the viewer will read it, for review before air.

A plain background at the programme's frame rate and length, the segment
title cards, the name supers and the dialogue subtitles burned in with their
ASS styles (libass, in the ffmpeg of the imageio-ffmpeg wheel), and the
rehearsal audio when there is one (silence otherwise). H.264 (yuv420p, High
profile, a keyframe every 2 s so a player seeks quickly) and AAC in an MP4
with the index at the front, so a browser plays it while it loads.
"""
from __future__ import annotations

import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import imageio_ffmpeg

from ..errors import OutputError
from ..progress import SILENT, Reporter
from ..subtitles.formats.ass import events, new_script, role_styles
from ..subtitles.supers import ass_events, ass_styles
from ..timelines.edit import Rate
from .fonts import Font

if TYPE_CHECKING:
    from ..programme import Programme
    from ..subtitles import Track

BACKGROUND = "0x1c2330"  # a dark slate: white text and the lower third's bar both read on it

@dataclass(frozen=True)
class Preview:
    ass: str  # the combined ASS script: dialogue, supers and cards
    duration_frames: int
    fps_num: int
    fps_den: int

    @property
    def seconds(self) -> float:
        return self.duration_frames * self.fps_den / self.fps_num


def build_ass(dialogue: Track, supers: Track | None, font: Font, title: str) -> str:
    """One ASS script with the dialogue's role styles and the supers' lower-third and card styles."""
    subs = new_script(title or "broadcaster preview")
    subs.styles.update(role_styles(font.family))
    subs.styles.update(ass_styles(font.family))
    subs.events.extend(events(dialogue))
    if supers is not None:
        subs.events.extend(ass_events(supers))
    subs.sort()
    return subs.to_string("ass")


def prepare(programme: Programme, font: Font) -> Preview:
    """What to burn in: the programme's dialogue track and supers as written (converted when
    asked), on the track's frame rate, for as long as the programme runs."""
    dialogue = programme.dialogue
    rate = Rate.of(dialogue.profile.fps)
    frames = max(1, rate.frame(programme.end_ms))
    return Preview(build_ass(dialogue, programme.supers, font, programme.episode.title), frames, rate.num, rate.den)


def command(ffmpeg: str, preview: Preview, size: tuple[int, int], audio: str | None) -> list[str]:
    w, h = size
    rate = f"{preview.fps_num}/{preview.fps_den}"
    seconds = f"{preview.seconds:.6f}"
    cmd = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-progress", "pipe:1", "-nostats",
           "-f", "lavfi", "-i", f"color=c={BACKGROUND}:s={w}x{h}:r={rate}"]
    if audio:
        cmd += ["-i", audio]
    else:
        cmd += ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"]
    # relative names: ffmpeg runs in the work folder, so no path needs filter-graph escaping
    cmd += ["-vf", "ass=filename=preview.ass:fontsdir=fonts", "-af", "apad",
            "-map", "0:v", "-map", "1:a", "-frames:v", str(preview.duration_frames), "-t", seconds,
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "23", "-pix_fmt", "yuv420p",
            "-profile:v", "high", "-g", str(max(1, round(2 * preview.fps_num / preview.fps_den))),
            "-c:a", "aac", "-b:a", "128k", "-ar", "48000",  # channels as they come: a mono voice stays at its level
            "-movflags", "+faststart", "preview.mp4"]
    return cmd


def encode(preview: Preview, font: Font, size: tuple[int, int], audio: bytes | None = None,
           audio_ext: str = "mp3", reporter: Reporter = SILENT) -> tuple[bytes, float]:
    """The MP4's bytes and the encoding speed (× real time); "encoding" reported in seconds done."""
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    with tempfile.TemporaryDirectory(prefix="broadcaster-video-") as tmp:
        work = Path(tmp)
        (work / "preview.ass").write_text(preview.ass, encoding="utf-8")
        (work / "fonts").mkdir()
        (work / "fonts" / font.path.name).symlink_to(font.path.resolve())
        audio_name = None
        if audio is not None:
            audio_name = f"audio.{audio_ext}"
            (work / audio_name).write_bytes(audio)
        reporter.start("encoding", preview.seconds)
        started = time.monotonic()
        log = open(work / "ffmpeg.log", "w+", encoding="utf-8", errors="replace")  # noqa: SIM115 (closed below)
        proc = subprocess.Popen(command(ffmpeg, preview, size, audio_name), cwd=work, stdout=subprocess.PIPE,
                                stderr=log, text=True)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:  # -progress: key=value lines, a block per update
                key, _, value = line.strip().partition("=")
                if key == "out_time_us" and value.lstrip("-").isdigit():
                    reporter.advance("encoding", max(0, int(value)) / 1e6)
                elif key == "progress" and value == "end":
                    reporter.advance("encoding", preview.seconds)
            code = proc.wait()
            log.seek(0)
            errors = log.read()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            reporter.stop("encoding")
            log.close()
        elapsed = time.monotonic() - started
        if code != 0 or not (work / "preview.mp4").is_file():
            last = " ".join(errors.strip().splitlines()[-3:]) or f"exit status {code}"
            raise OutputError(f"ffmpeg could not encode the preview video: {last}")
        data = (work / "preview.mp4").read_bytes()
    return data, preview.seconds / max(elapsed, 1e-6)


def render_preview(programme: Programme, font: Font, audio: bytes | None = None,
                   reporter: Reporter = SILENT) -> bytes:
    options = programme.options
    preview = prepare(programme, font)
    data, speed = encode(preview, font, options.size, audio, options.audio_format, reporter)
    reporter.note("video", f"{preview.seconds:.1f} s encoded at {speed:.1f}× real time")
    return data
