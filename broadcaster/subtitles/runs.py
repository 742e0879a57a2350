"""`check`'s warning about long unpunctuated runs: no rule places subtitle breaks well there (issue 23)."""
from __future__ import annotations

import re

from ..model import Diagnostic, Episode

LONG_RUN = 40  # characters without clause punctuation
_CLAUSE = re.compile(r"[，。、；：！？…,;:!?]|\.(?!\d)|\s{2,}")
_COUNTED = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]")


def long_runs(episode: Episode, longest: int = LONG_RUN) -> list[Diagnostic]:
    """One warning per paragraph holding a run of more than `longest` characters (hanzi, letters,
    digits) with no clause punctuation, the longest run quoted by its start."""
    out = []
    for seg in episode.segments:
        for turn in seg.turns:
            for p in turn.paragraphs:
                runs = [r for r in _CLAUSE.split(p.speech) if len(_COUNTED.findall(r)) > longest]
                if runs:
                    run = max(runs, key=lambda r: len(_COUNTED.findall(r))).strip()
                    out.append(Diagnostic(episode.source, p.line, f"{len(_COUNTED.findall(run))} characters without "
                                          f"clause punctuation ({run[:12]}…): subtitle breaks there are guesses; "
                                          "add ，or 。 where the speaker pauses", unit=episode.unit))  # type: ignore[arg-type]
    return out
