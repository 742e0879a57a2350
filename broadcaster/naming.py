"""What the text and the audio renderers share: file stems and the subtitle profile of a render.

Both `render.py` and `audio/` use these, so neither imports the other for them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .convert import PROFILES as CONVERTED
from .model import Episode
from .output import safe_name
from .subtitles import profile_for

if TYPE_CHECKING:
    from .options import RenderOptions
    from .subtitles import Profile


def stem_of(episode: Episode) -> str:
    """The episode's file stem: its source file's name, made safe."""
    return safe_name(Path(episode.source).stem, "transcript")


def segment_stem(stem: str, index: int, title: str) -> str:
    """A segment's file stem: `<stem>.01-<title>` (index counts from 0)."""
    return f"{stem}.{index + 1:02d}-{safe_name(title, 'segment')}"


def subtitle_profile(episode: Episode, options: RenderOptions) -> Profile:
    """The subtitle profile for the episode's language, with the render's overrides."""
    name = options.profile
    if name is None and options.convert:  # converted text is checked as Traditional (or Simplified)
        name = CONVERTED.get(options.convert)
    base = profile_for(episode.language, name)
    return base.with_options(max_lines=options.max_lines, max_width=options.max_line,
                             max_cps=options.max_cps, fps=options.fps)
