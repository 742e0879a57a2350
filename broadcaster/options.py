"""What a render is asked for: every option of one render, as the CLI, batch runs and the studio give it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .timing import Rates


@dataclass(frozen=True)
class RenderOptions:
    out_dir: Path = Path("output")
    rates: Rates = field(default_factory=Rates)
    profile: str | None = None  # zh-Hans, zh-Hant, en; default from the transcript's language
    formats: tuple[str, ...] = ("srt",)
    max_lines: int | None = None
    max_line: float | None = None
    max_cps: float | None = None
    fps: float | None = None
    encoding: str = "utf-8"
    crlf: bool = False
    template_dir: str | None = None
    hard_out_ms: int | None = None
    audio: bool = False
    engine: str = "auto"
    voices: str | None = None
    cache_dir: str | None = None
    audio_format: str = "mp3"
    progress: bool = True
    pinyin: bool = False  # prompter page: pinyin over polyphones read unusually and rare characters
    spoken_numbers: bool = False  # prompter page: numbers with their spoken form above them
    speaker_names: bool = False  # the speaker's name in front of a turn's first cue
    dual_speaker: bool = False  # a short reply may share a two-line cue, with dashes
    # edit suite (subtitles/supers.py, timelines/, video/, convert.py)
    supers: str = "off"  # name supers: off, first (each person's first turn in each segment), every (each turn)
    supers_duration_ms: int = 4000  # how long a super or title card stays up
    cards: bool = False  # the segment's headline as a title card at its start
    convert: str | None = None  # OpenCC: s2t, s2hk, s2tw (s2twp), t2s
    recordings: tuple[str, ...] = ()  # time everything to these recordings (one, or one per segment)
    channel: int | None = None  # the recordings' channel to align (1-based); default: all mixed
    strict: bool = False  # the CLI exits 1 on any alignment finding
    video: bool = False  # <stem>.preview.mp4: subtitles, supers and cards burned in over a plain background
    video_size: str = "1280x720"  # WxH of the preview video
    font: str | None = None  # a font file with the hanzi for the preview video [found through fontconfig]
