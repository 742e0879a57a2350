"""`<stem>.prompter.txt`: the plain-text prompter script."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Episode
    from ..timing import Timeline

from . import templating
from .context import build_context

TEMPLATE = "prompter.txt"


def render(episode: Episode, timeline: Timeline, template_dir: str | None = None) -> str:
    return templating.render(TEMPLATE, build_context(episode, timeline), template_dir)
