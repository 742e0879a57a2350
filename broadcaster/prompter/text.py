"""`<stem>.prompter.txt`: the plain-text prompter script."""
from __future__ import annotations

from . import templating
from .context import build_context

TEMPLATE = "prompter.txt"


def render(episode, timeline, template_dir: str | None = None) -> str:
    return templating.render(TEMPLATE, build_context(episode, timeline), template_dir)
