"""`<stem>.prompter.html`: one self-contained page the host reads from on air.

Inline CSS and JS only, pinned by their hashes in a Content-Security-Policy
that allows nothing else: transcript text is escaped by jinja2's autoescape,
and even if something slipped through, no other script could run.
"""
from __future__ import annotations

import base64
import hashlib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import templating
from .aids import annotate
from .context import build_context
from .rundown import to_html

if TYPE_CHECKING:
    from ..model import Episode
    from ..timing import Timeline

TEMPLATE = "prompter.html"


def _asset(name: str, template_dir: str | None) -> str:
    if template_dir:
        user = Path(template_dir) / name
        if user.exists():
            return user.read_text(encoding="utf-8")
    return resources.files("broadcaster").joinpath("templates", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def render(episode: Episode, timeline: Timeline, *, template_dir: str | None = None, hard_out_ms: int | None = None,
           pinyin: bool = False, spoken_numbers: bool = False, audio_file: str | None = None,
           lang: str | None = None) -> str:
    """lang: the page's language tag when the text was converted (zh-HK, zh-TW: glyph forms follow it)."""
    context = build_context(episode, timeline, hard_out_ms)
    if lang:
        context["language"] = lang
    css, js = _asset("prompter.css", template_dir), _asset("prompter.js", template_dir)
    language = episode.language
    context.update(
        css=Markup(css), js=Markup(js), style_hash=_csp_hash(css), script_hash=_csp_hash(js),
        rundown_table=to_html(context), audio_file=audio_file,
        aid=lambda text: annotate(text, language, pinyin, spoken_numbers, wrap=True),
        wrap=lambda text: annotate(text, language, False, False, wrap=True),  # titles: <wbr> between words
    )
    return templating.render(TEMPLATE, context, template_dir)
