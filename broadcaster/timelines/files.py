"""The timeline files of a programme: one per timeline format asked for, on the programme's media."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from . import TIMELINES

if TYPE_CHECKING:
    from ..programme import Programme


def render(programme: Programme) -> dict[str, bytes]:
    """{file name: bytes} for each timeline format in the options' formats."""
    options = programme.options
    wanted = [f for f in options.formats if f in TIMELINES]
    if not wanted:
        return {}
    stem = programme.stem
    recordings = options.recordings
    url = None
    if options.video:
        media, kind = f"{stem}.preview.mp4", "video"
    elif len(recordings) == 1:  # timed to the real recording: the edit is built on it
        source = Path(recordings[0]).resolve()
        media, url = source.name, source.as_uri()
        kind = "video" if source.suffix.lower() in (".mp4", ".mov", ".mxf", ".mkv", ".avi", ".m4v") else "audio"
    elif options.audio:
        media, kind = f"{stem}.{options.audio_format}", "audio"
    else:
        media, kind = f"{stem}.preview.mp4", "video"  # offline until --video renders it, or relinked
    # the edit model and its Fraction/Decimal arithmetic (~8 ms to import): only when a timeline is asked for
    from .edit import build_edit

    profile = programme.profile
    size = options.size
    edit = build_edit(programme.episode, programme.timeline, programme.dialogue, programme.supers, fps=profile.fps,
                      programme_ms=programme.end_ms,
                      hard_out_ms=options.hard_out_ms, media=media, media_kind=kind,
                      media_size=size if kind == "video" else (1920, 1080))
    url = url or (Path(options.out_dir) / stem / media).resolve().as_uri()
    files = {}
    for name in wanted:
        module_name, extension = TIMELINES[name]
        module = import_module(f".{module_name}", __package__)
        if module_name == "fcpxml":
            font = "zh-Hant" if profile.name.startswith("zh-Hant") else profile.language
            files[f"{stem}.{extension}"] = module.dumps(edit, url, font)
        else:
            files[f"{stem}.{extension}"] = module.dumps(edit, url)
    return files
