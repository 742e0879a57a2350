"""Domain errors. The library raises these; only the CLI turns them into messages."""
from __future__ import annotations


class BroadcasterError(Exception):
    """Base class. `str()` is the one-line message the CLI prints."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, value=None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.value = value

    def located(self, path: str | None = None) -> BroadcasterError:
        if self.path is None and path is not None:
            self.path = path
        return self

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line if self.line is not None else 1}: "
        return f"{where}{self.message}"


class InputError(BroadcasterError):
    """The transcript (or a JSON/voices file) cannot be used as it is."""


class OptionsError(InputError):
    """A render option that cannot be used. `option` names the RenderOptions field; `detail` says
    what is wrong without naming it, so the CLI can name its flag instead."""

    def __init__(self, detail: str, *, option: str, value=None):
        super().__init__(f"{option.replace('_', ' ')}: {detail}", value=value)
        self.option = option
        self.detail = detail


class DecodeError(InputError):
    """The bytes are not text in any encoding we can trust."""


class OutputError(BroadcasterError):
    """An output cannot be written where it was asked to go."""


class SynthesisError(BroadcasterError):
    """A speech engine failed for a clip after its retries."""
