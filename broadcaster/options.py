"""What a render is asked for: one validated request, as the CLI, batch runs and the studio give it.

Each field says in its metadata which part of the render it belongs to (`group`: timing,
subtitles, audio, deliverables or run) and how the studio's settings form offers it
(`form`: a `Form`, or None when the studio sets it itself). `RenderOptions` checks itself
when made and raises one `OptionsError` naming the field (the preview video's size is checked
where it is used: `size`); `parse_duration` reads a mm:ss duration. Messages name fields,
never CLI flags: the CLI maps `OptionsError.option` to its flag.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import OptionsError
from .subtitles.formats import FORMATS
from .timelines import TIMELINES
from .timing import Rates

GROUPS = ("timing", "subtitles", "audio", "deliverables", "run")
FPS = ("24", "25", "29.97", "30", "50")
SIZE_RE = re.compile(r"^(\d{2,4})x(\d{2,4})$")


@dataclass(frozen=True)
class Form:
    """How the studio's settings form offers a field: section, label, widget, choices (or for a
    number its [min, max, step]), hint."""

    section: str
    label: str
    widget: str
    choices: list | None = None
    hint: str = ""


def _opt(default: Any = None, group: str = "deliverables", form: Form | None = None, *,
         factory: Callable[[], Any] | None = None,
         limits: tuple[float, float] | None = None, among: tuple | None = None) -> Any:
    """A field with its group, its form (None: the studio sets it itself) and what it accepts:
    `limits` (min, max) for a number, `among` the values it may take (None always allowed)."""
    meta = {"group": group, "form": form, "limits": limits, "among": among}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def _choices(pairs: str) -> list[list[str]]:
    return [p.split("=", 1) for p in pairs.split("|")]


@dataclass(frozen=True)
class RenderOptions:
    out_dir: Path = _opt(Path("output"), "deliverables")
    rates: Rates = _opt(group="timing", factory=Rates)
    # zh-Hans, zh-Hant, en; default from the transcript's language
    profile: str | None = _opt(None, "subtitles", Form("Subtitles", "Profile", "select", _choices(
        "=from the transcript|zh-Hans=zh-Hans|zh-Hant=zh-Hant|en=en")), among=("zh-Hans", "zh-Hant", "en"))
    formats: tuple[str, ...] = _opt(("srt",), "deliverables", Form("Subtitles", "Formats", "multi", None,
                                                                   "subtitle and timeline files to write"))
    max_lines: int | None = _opt(None, "subtitles", Form("Subtitles", "Lines per cue", "select", _choices(
        "=profile default|1=1 (broadcast)|2=2 (two-line)|3=3")), limits=(1, 3))
    max_line: float | None = _opt(None, "subtitles", Form("Subtitles", "Line width", "number", [4, 80, 0.5],
                                                          "characters; full-width 1, half-width ½"), limits=(4, 80))
    max_cps: float | None = _opt(None, "subtitles", Form("Subtitles", "Characters/s", "number", [3, 40, 0.5],
                                                         "reading speed limit"), limits=(3, 40))
    fps: float | None = _opt(None, "subtitles", Form("Subtitles", "Frame rate", "select",
                                                     [[f, f"{f} fps"] for f in FPS], "cue times snap to frames"),
                             among=tuple(float(f) for f in FPS))
    encoding: str = _opt("utf-8", "subtitles", Form("Subtitles", "Encoding", "select", _choices(
        "utf-8=UTF-8|utf-8-sig=UTF-8 with BOM|gb18030=GB18030 (older Windows tools)")),
                         among=("utf-8", "utf-8-sig", "gb18030"))
    crlf: bool = _opt(False, "subtitles", Form("Subtitles", "Windows line ends", "bool"))
    template_dir: str | None = _opt(None, "deliverables")
    hard_out_ms: int | None = _opt(None, "timing", Form("Prompter", "Hard out", "duration", None,
                                                        "mm:ss, for back-timing"), limits=(0, float("inf")))
    audio: bool = _opt(False, "audio")
    engine: str = _opt("auto", "audio", Form("Audio", "Speech engine", "select", _choices(
        "auto=auto (online voices when reachable)|espeak=offline (espeak-ng)|edge=online (edge-tts)")),
                       among=("auto", "edge", "espeak"))
    voices: str | None = _opt(None, "audio")
    cache_dir: str | None = _opt(None, "audio")
    audio_format: str = _opt("mp3", "audio", Form("Audio", "Audio format", "select", _choices("mp3=MP3|wav=WAV")),
                             among=("mp3", "wav"))
    progress: bool = _opt(True, "run")
    # prompter page: pinyin over polyphones read unusually and rare characters
    pinyin: bool = _opt(False, "deliverables", Form("Prompter", "Pinyin aids", "bool", None,
                                                    "over unusual readings and rare characters"))
    # prompter page: numbers with their spoken form above them
    spoken_numbers: bool = _opt(False, "deliverables", Form("Prompter", "Spoken numbers", "bool", None,
                                                            "2022年 with 二零二二年 above it"))
    # the speaker's name in front of a turn's first cue
    speaker_names: bool = _opt(False, "subtitles", Form("Subtitles", "Speaker names on first cue", "bool", None,
                                                        "李薇：…"))
    # a short reply may share a two-line cue, with dashes
    dual_speaker: bool = _opt(False, "subtitles", Form("Subtitles", "Short replies share a cue", "bool", None,
                                                       "two lines opened by dashes"))
    # edit suite (subtitles/supers.py, timelines/, video/, convert.py)
    # name supers: off, first (each person's first turn in each segment), every (each turn)
    supers: str = _opt("off", "deliverables", Form("Edit suite", "Name supers", "select", _choices(
        "off=off|first=first turn in each segment|every=every turn"), "name and title lower thirds"),
                       among=("off", "first", "every"))
    # how long a super or title card stays up
    supers_duration_ms: int = _opt(4000, "deliverables", Form("Edit suite", "Super duration", "seconds",
                                                              [2, 7, 0.5], "seconds on screen"),
                                   limits=(2000, 7000))
    # the segment's headline as a title card at its start
    cards: bool = _opt(False, "deliverables", Form("Edit suite", "Title cards", "bool", None,
                                                   "the segment's headline at its start"))
    # OpenCC: s2t, s2hk, s2tw (s2twp), t2s
    convert: str | None = _opt(None, "deliverables", Form("Edit suite", "Characters", "select", _choices(
        "=as written|s2t=Traditional (s2t)|s2hk=Traditional, Hong Kong (s2hk)|s2tw=Traditional, Taiwan (s2tw)|"
        "t2s=Simplified (t2s)"), "OpenCC conversion"), among=("s2t", "s2hk", "s2tw", "t2s"))
    # time everything to these recordings (one, or one per segment)
    recordings: tuple[str, ...] = _opt((), "timing")
    # the recordings' channel to align (1-based); default: all mixed
    channel: int | None = _opt(None, "timing", Form("Recording", "Channel to align", "int", [1, 64, 1],
                                                    "with a recording; empty: all channels mixed"), limits=(1, 64))
    strict: bool = _opt(False, "run")  # the CLI exits 1 on any alignment finding
    # <stem>.preview.mp4: subtitles, supers and cards burned in over a plain background
    video: bool = _opt(False, "deliverables", Form("Edit suite", "Preview video", "bool", None,
                                                   "<name>.preview.mp4 with subtitles, supers and cards burned in "
                                                   "(takes minutes)"))
    video_size: str = _opt("1280x720", "deliverables", Form("Edit suite", "Video size", "select", _choices(
        "1280x720=1280×720|1920x1080=1920×1080|960x540=960×540|640x360=640×360")))  # WxH of the preview video
    # a font file with the hanzi for the preview video [found through fontconfig]
    font: str | None = _opt(None, "deliverables")

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            among, limits = f.metadata["among"], f.metadata["limits"]
            if value is None or (among is None and limits is None):
                continue
            if among is not None and value not in among:
                raise OptionsError(f"{value!r}: choose from {', '.join(map(str, among))}",
                                   option=f.name, value=value)
            if limits is not None and not limits[0] <= value <= limits[1]:
                raise OptionsError(f"{value!r} is outside {limits[0]:g}–{limits[1]:g}",
                                   option=f.name, value=value)
        known = formats_known()
        if not self.formats or any(f not in known for f in self.formats):
            raise OptionsError(f"{', '.join(self.formats) or 'none'}: choose from {', '.join(known)}",
                               option="formats", value=self.formats)
        if self.recordings and self.audio:
            raise OptionsError("a recording times the transcript, rehearsal audio cannot time it too",
                               option="recordings")
        if (self.channel or self.strict) and not self.recordings:
            raise OptionsError("the channel to align and strict go with a recording", option="channel")

    @property
    def size(self) -> tuple[int, int]:
        """The preview video's (width, height), also the timelines' media size: checked here, where
        it is used (a size the render does not use is no error)."""
        return parse_size(self.video_size)


def formats_known() -> tuple[str, ...]:
    """Every --formats name: subtitle formats, then timelines, as the registries list them."""
    return (*FORMATS, *TIMELINES)


def group(name: str) -> tuple[str, ...]:
    """The names of the fields of one group (timing, subtitles, audio, deliverables, run)."""
    return tuple(f.name for f in fields(RenderOptions) if f.metadata["group"] == name)


def parse_size(text: str) -> tuple[int, int]:
    """'1280x720' → (1280, 720): even numbers from 160x90 to 3840x2160."""
    m = SIZE_RE.match(text.strip().lower())
    w, h = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    if not (160 <= w <= 3840 and 90 <= h <= 2160 and w % 2 == 0 and h % 2 == 0):
        raise OptionsError(f"{{flag}} {text!r}: use WIDTHxHEIGHT, even numbers from 160x90 to 3840x2160 (e.g. 1280x720)",
                           option="video_size", value=text)
    return w, h


def parse_duration(value: str | int | float | None) -> int | None:
    """'25:00' or '1:02:03' (mm:ss, h:mm:ss; seconds may have decimals) → milliseconds; a number
    is milliseconds already; None or '' → None."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return int(value)
    parts = str(value).strip().split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        nums = []
    if not 1 <= len(nums) <= 3 or any(n < 0 for n in nums):
        raise OptionsError(f"{{flag}} {value!r}: use mm:ss or h:mm:ss", option="hard_out_ms", value=value)
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return round(seconds * 1000)
