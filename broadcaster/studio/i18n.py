"""The studio's languages: 简体 (the default), 繁體 and English, chosen per browser (cookie `studio_lang`).

One JSON catalog per language (static/i18n/<lang>.json), keyed by the English text, serves both sides:
the server's templates and messages (`translate`) and the page's scripts (`t()` in common.js, which
gets the same catalog embedded in the page). Chosen over gettext/Babel: no compile step (.po → .mo)
and no second format for JavaScript, one file a translator edits per language, and a test that
every key the code uses is in each catalog. English is the keys themselves (no catalog).

A key may hold {placeholders}: a message made by an f-string elsewhere (a library error, a parser
warning) is matched against such keys and re-made in the chosen language with the same values,
so raising code stays as it is. Text without an entry stays English rather than being lost.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

LANGS = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
DEFAULT = "zh-Hans"
COOKIE = "studio_lang"
FOLDER = Path(__file__).resolve().parent / "static" / "i18n"
_FIELD = re.compile(r"\{(\w+)\}")


def language(request) -> str:
    """The browser's choice, else 简体 for a page and English for a script (no cookie, no page)."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGS:
        return chosen
    return "en" if request.url.path.startswith("/api/") else DEFAULT


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGS or lang == "en":
        return {}
    return json.loads((FOLDER / f"{lang}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    """The keys with {placeholders}, as patterns that find their values in a finished message."""
    out: list[tuple[re.Pattern, str, int]] = []
    for key, value in catalog(lang).items():
        if "{" not in key:
            continue
        parts = _FIELD.split(key)  # text, name, text, name, …, text
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((re.compile(f"^{regex}$", re.S), value, len(key)))
    return [(pattern, value) for pattern, value, _ in sorted(out, key=lambda x: -x[2])]  # the most specific first


def gettext(lang: str, text: str, **values) -> str:
    """A fixed text (a template's, with `values` filled in) in `lang`."""
    out = catalog(lang).get(text, text)
    return out.format(**values) if values else out


def translate(lang: str, message: str) -> str:
    """A finished message (from anywhere in the studio or the library) in `lang`, when the catalog knows it.
    A message `file:line: text` keeps its place and has its text translated."""
    if not isinstance(message, str) or lang == "en" or not message:
        return message
    table = catalog(lang)
    if message in table:
        return table[message]
    located = re.match(r"^(.+?:\d+): (.*)$", message, re.S)
    if located:
        return f"{located.group(1)}: {translate(lang, located.group(2))}"
    for pattern, value in _patterns(lang):
        m = pattern.match(message)
        if m:
            return value.format(**{k: translate(lang, v) for k, v in m.groupdict().items()})
    return message


def localized(lang: str, summary: dict) -> dict:
    """What was understood, its warnings (and a parse error) in `lang`."""
    if lang == "en":
        return summary
    for warning in summary.get("warnings", []):
        warning["message"] = translate(lang, warning["message"])
    if isinstance(summary.get("error"), str):
        summary["error"] = translate(lang, summary["error"])
    return summary
