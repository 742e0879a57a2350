"""Traditional/Simplified delivery: the episode and its timeline converted with OpenCC.

Every text a viewer or presenter reads is converted: titles, sections,
credits, speaker names, labels and titles, speech and directions, notes; the
timeline's phrases too, phrase by phrase, so the subtitle segmenter (and QC)
then run on the converted text and check its widths afresh. Times are kept:
conversion changes the characters, not the speech.

Which OpenCC configuration each option uses (phrase tables included):
  s2t   → s2t    Simplified → Traditional (OpenCC standard)     发展 → 發展
  s2hk  → s2hk   Simplified → Traditional, Hong Kong variants   里面 → 裏面
  s2tw  → s2twp  Simplified → Traditional, Taiwan, with Taiwanese phrases: 软件 → 軟體, 鼠标 → 滑鼠
  t2s   → t2s    Traditional → Simplified
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache

from .errors import InputError
from .model import Episode, Turn
from .timing import Timeline

CONFIGS = {"s2t": "s2t", "s2hk": "s2hk", "s2tw": "s2twp", "t2s": "t2s"}
# the subtitle profile a converted track is checked against
PROFILES = {"s2t": "zh-Hant", "s2hk": "zh-Hant", "s2tw": "zh-Hant", "t2s": "zh-Hans"}
# BCP 47 tag of the converted text (ASS fonts, the prompter page's lang)
LANGUAGE_TAGS = {"s2t": "zh-Hant", "s2hk": "zh-HK", "s2tw": "zh-TW", "t2s": "zh-CN"}


@cache
def converter(option: str) -> Callable[[str], str]:
    """The text conversion for --convert OPTION (OpenCC, loaded once per process)."""
    if option not in CONFIGS:
        raise InputError(f"unknown conversion {option!r}; choose from {', '.join(CONFIGS)}", value=option)
    import opencc  # loads its dictionaries: only with --convert

    cc = opencc.OpenCC(CONFIGS[option] + ".json")
    cache: dict[str, str] = {}

    def convert(text: str) -> str:
        if not text:
            return text
        out = cache.get(text)
        if out is None:
            out = cache[text] = cc.convert(text)
        return out

    return convert


def convert_episode(episode: Episode, option: str) -> Episode:
    c = converter(option)

    def turn(t: Turn) -> Turn:
        return replace(t, speaker=c(t.speaker), paragraphs=tuple(
            replace(p, spans=tuple(replace(sp, text=c(sp.text)) for sp in p.spans)) for p in t.paragraphs))

    return replace(
        episode,
        title=c(episode.title),
        notes=tuple(c(n) for n in episode.notes),
        speakers=tuple(replace(s, key=c(s.key), name=c(s.name), title=c(s.title)) for s in episode.speakers),
        segments=tuple(
            replace(seg, title=c(seg.title), section=c(seg.section),
                    credits=tuple(replace(cr, role=c(cr.role), names=tuple(c(n) for n in cr.names))
                                  for cr in seg.credits),
                    turns=tuple(turn(t) for t in seg.turns))
            for seg in episode.segments),
    )


def convert_timeline(timeline: Timeline, option: str) -> Timeline:
    c = converter(option)
    return replace(timeline, segments=tuple(
        replace(seg, title=c(seg.title), turns=tuple(
            replace(turn, speaker=c(turn.speaker), phrases=tuple(replace(ph, text=c(ph.text)) for ph in turn.phrases))
            for turn in seg.turns))
        for seg in timeline.segments))


def convert(episode: Episode, timeline: Timeline, option: str | None) -> tuple[Episode, Timeline]:
    """Both converted (unchanged when option is None)."""
    if not option:
        return episode, timeline
    return convert_episode(episode, option), convert_timeline(timeline, option)
