"""Domain errors. The library raises these; only the CLI turns them into messages."""
from __future__ import annotations

from typing import Any


class BroadcasterError(Exception):
    """Base class. `str()` is the one-line message the CLI prints."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, value: Any = None):
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
    """A render option that cannot be used; `option` names the RenderOptions field.

    The message names the option where `{flag}` stands (or in front, when it does not say
    where): the library says the field's name there, the CLI its flag (`said`). `detail` is
    the message without naming the option, for a usage error that names it beside."""

    def __init__(self, template: str, *, option: str, value: Any = None, path: str | None = None,
                 line: int | None = None):
        self.template = template if "{flag}" in template else "{flag}: " + template
        self.option = option
        super().__init__(self.said(option.removesuffix("_ms").replace("_", " ")), path=path, line=line, value=value)

    def said(self, flag: str) -> str:
        return self.template.replace("{flag}", flag)

    @property
    def detail(self) -> str:
        return self.template.removeprefix("{flag}: ").removeprefix("{flag} ")


class DecodeError(InputError):
    """The bytes are not text in any encoding we can trust."""


class OutputError(BroadcasterError):
    """An output cannot be written where it was asked to go."""


class SynthesisError(BroadcasterError):
    """A speech engine failed for a clip after its retries."""
