"""One module per subtitle file format behind a small explicit registry.

Each format module has `EXTENSION` and `dumps(track, options) -> str`; the
writer (render.py) encodes the text, so every format honours --encoding/--crlf.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ...errors import InputError

# name → module (imported only when that format is written)
FORMATS = {"srt": "srt", "vtt": "vtt", "ass": "ass"}


def get(name: str) -> ModuleType:
    try:
        return import_module(f"{__name__}.{FORMATS[name]}")
    except KeyError:
        raise InputError(f"unknown subtitle format {name!r}; choose from {', '.join(FORMATS)}", value=name) from None
