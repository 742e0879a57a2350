"""Where broadcaster keeps what it can make again: `$BROADCASTER_CACHE`, else ~/.cache/broadcaster/clips.

Synthesized clips and encoded pieces (speech/cache.py), clauses already cut into words
(subtitles/wordbreak.py) and compiled templates (prompter/templating.py) live below it.
"""
from __future__ import annotations

import os
from pathlib import Path


def default_dir() -> Path:
    env = os.environ.get("BROADCASTER_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "broadcaster" / "clips"
