"""Regular expressions compiled on first use: the page model's patterns cost nothing to a page that
never needs them (the column's first render, issue 13's 0.30 s, is on the line)."""
from __future__ import annotations

import re
from typing import Any


class Lazy:
    """A pattern compiled the first time one of its methods is used."""

    __slots__ = ("_args", "_re")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._re: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._re is None:
            self._re = re.compile(*self._args)
        return getattr(self._re, name)

    @property
    def pattern(self) -> str:
        return self._args[0]
