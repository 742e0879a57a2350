"""Subtitle profiles: the broadcast norms a track must obey (REFERENCE.md table)."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..errors import InputError

# Never start a line with these, nor end one with the openers (W3C clreq).
NO_LINE_START = set("，。、；：！？）》”’」』】〕…,.;:!?)%")
NO_LINE_END = set("（《“‘「『【〔(")
# Ambiguous-width marks that Chinese text uses at full width.
_WIDE_AMBIGUOUS = set("“”‘’…—·")


@dataclass(frozen=True)
class Profile:
    name: str
    language: str  # "zh" or "en"
    max_width: float
    max_lines: int
    max_cps: float
    min_ms: int = 840
    max_ms: int = 7000
    fps: float = 25.0
    min_gap_frames: int = 2
    close_gap_frames: int = 12
    # ，。 become one space and are dropped at a line's end (Chinese TV practice)
    blank_punct: str = ""

    @property
    def frame_ms(self) -> float:
        return 1000.0 / self.fps

    @property
    def min_gap_ms(self) -> int:
        return self.frames_to_ms(self.min_gap_frames)

    def frames_to_ms(self, frames: int) -> int:
        return round(frames * 1000.0 / self.fps)

    def snap(self, ms: float, up: bool = False) -> int:
        """The time of the frame boundary at or nearest (or next, with up) to ms."""
        frames = ms * self.fps / 1000.0
        n = max(0, math.ceil(frames - 1e-6) if up else math.floor(frames + 0.5))
        while up and round(n * 1000.0 / self.fps) < ms - 1e-9:
            n += 1  # a boundary rounded to the millisecond must not fall short
        return round(n * 1000.0 / self.fps)

    def width(self, text: str) -> float:
        """Line width as the profile counts it (Netflix character counting)."""
        if self.language != "zh":
            return float(len(text))
        return _zh_width(text)

    def reading_chars(self, text: str) -> float:
        """Characters the viewer reads, for the characters-per-second limit."""
        if self.language != "zh":
            return float(len(text.replace("\n", " ")))
        return _zh_reading(text)

    def display(self, source: str) -> str:
        """A cue's source text as shown: ，。 to a space, none at either end."""
        return _display(source, self.blank_punct)

    def for_language(self, language: str) -> Profile:
        """The rules for one turn or cue: a Chinese track's English turns follow the English
        profile (42 characters, two lines, 20 characters/s), on the track's frame grid."""
        if self.language == "zh" and language == "en":
            return replace(PROFILES["en"], fps=self.fps, min_gap_frames=self.min_gap_frames,
                           close_gap_frames=self.close_gap_frames)
        return self

    def for_text(self, text: str) -> Profile:
        """for_language() of a cue's text (for QC of files, where no turn is known)."""
        if self.language != "zh":
            return self  # only a Chinese track holds some cues to other rules
        cjk = len(_HAN_RE.findall(text))  # the regex engine counts: QC asks this of every cue
        latin = len(_LATIN_RE.findall(text))
        return self.for_language("en" if latin > 2 * cjk else "zh")

    def with_options(self, **changes: Any) -> Profile:
        changes = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **changes)


def char_width(c: str) -> float:
    width = _WIDTHS.get(c)
    if width is None:
        width = _WIDTHS[c] = _char_width(c)
    return width


_HAN_RE = re.compile("[\u3400-\u9fff]")
_LATIN_RE = re.compile("[A-Za-z]")
_WIDTHS: dict[str, float] = {}  # every subtitle character is measured many times: once is enough


@lru_cache(maxsize=16384)  # cutting, packing and timing show the same pieces again and again
def _display(source: str, blank_punct: str) -> str:
    out = source
    for ch in blank_punct:
        out = out.replace(ch, " ")
    return " ".join(out.split())


@lru_cache(maxsize=16384)  # cutting, packing, timing and QC measure the same lines again and again
def _zh_width(text: str) -> float:
    return sum(map(char_width, text))


@lru_cache(maxsize=16384)
def _zh_reading(text: str) -> float:
    return sum(char_width(c) for c in text if not c.isspace())


def _char_width(c: str) -> float:
    if c in _WIDE_AMBIGUOUS or unicodedata.east_asian_width(c) in ("W", "F"):
        return 1.0
    if unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0.0  # combining marks, ZWJ: drawn with the character before
    return 0.5


PROFILES = {
    "zh-Hans": Profile("zh-Hans", "zh", max_width=16, max_lines=1, max_cps=9, blank_punct="，。"),
    "zh-Hant": Profile("zh-Hant", "zh", max_width=16, max_lines=1, max_cps=9, blank_punct="，。"),
    "en": Profile("en", "en", max_width=42, max_lines=2, max_cps=20),
}


def profile_for(language: str, name: str | None = None) -> Profile:
    if name:
        try:
            return PROFILES[name]
        except KeyError:
            raise InputError(f"unknown subtitle profile {name!r}; choose from {', '.join(PROFILES)}", value=name) from None
    return PROFILES["zh-Hans"] if language.startswith("zh") else PROFILES["en"]
