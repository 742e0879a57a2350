"""The "nothing silently dropped" oracle for parsed transcripts.

Every CJK or alphanumeric character of the input must appear in the model:
as speech, a direction, a title, a credit, a note, a speaker label, or in a
warning that says what was not used. Markup is not text: link targets and
HTML tags are removed from the input before counting.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from broadcaster.model import Episode

_LINK_TARGET_RE = re.compile(r"(?<=\])\([^)\s]*\)")
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY_RE = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_QUOTED_RE = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def counted(ch: str) -> bool:
    """A character that carries text: CJK ideographs, letters, digits."""
    return ch.isalnum() or "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


def text_bag(text: str) -> Counter:
    text = unicodedata.normalize("NFC", text)
    return Counter(ch for ch in text if counted(ch))


def input_bag(text: str) -> Counter:
    text = _LINK_TARGET_RE.sub("", text)
    text = _HTML_TAG_RE.sub("", text)
    text = _ENTITY_RE.sub("", text)
    return text_bag(text)


def model_bag(episode: Episode) -> Counter:
    """Characters the model keeps. A label counts once per turn it starts."""
    parts = [episode.title, *episode.notes]
    for seg in episode.segments:
        parts += [seg.title, seg.section]
        parts += [c.role + "".join(c.names) for c in seg.credits]
        for turn in seg.turns:
            parts.append(turn.speaker)
            parts += [span.text for p in turn.paragraphs for span in p.spans]
    # a warning accounts only for what it quotes (a label with no text); its own words,
    # "removed control characters", must not cover for letters lost elsewhere
    parts += ["".join(quoted) for d in episode.diagnostics for quoted in _QUOTED_RE.findall(d.message)]
    return text_bag("".join(parts))


def missing(text: str, episode: Episode) -> Counter:
    """Characters of the input that the model lost (empty when nothing was lost).

    Labels repeat in the input but live once per turn in the model; a label
    that starts no turn is named in a warning. So label characters are
    forgiven only up to the number of times the model holds them anywhere.
    """
    lost = input_bag(text) - model_bag(episode)
    return lost
