"""Name supers (人名条) and segment title cards: the graphics track the edit suite types by hand.

A super is a lower third, name on the first line and organisation and title
below, shown for `duration_ms` (default 4 s, Chinese TV shows them 3-5 s)
from the start of a person's turn:
  mode "first": at each person's first turn in each segment (each segment airs
  as a piece of its own, so a guest is named again in the next one);
  mode "every": at every turn.
A title card shows the segment's headline at the segment's start; the first
super of the segment then follows the card, so the track never overlaps
itself and any subtitle tool can read it. Cards belong to no turn: `turn` -1.

The track obeys the subtitle profile's timing (frame-aligned, minimum and
maximum duration, minimum gap) and width, with up to three lines (name and a
title broken in two, or a headline); QC checks it like any track.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import InputError
from ..model import Episode
from ..timing import Timeline
from .formats import get
from .profile import Profile
from .segment import Cue, Track, split_balanced

MODES = ("off", "first", "every")
DEFAULT_DURATION_MS = 4000
CARD = -1  # Cue.turn of a title card
HOST_LABEL = {"zh": "主持人", "en": "Host"}


def supers_profile(profile: Profile) -> Profile:
    return replace(profile, name=f"{profile.name} supers", max_lines=max(profile.max_lines, 3))


def wrap(text: str, profile: Profile) -> tuple[str, ...]:
    """Lines of at most the profile's width: at spaces first (a headline's two halves), then balanced."""
    text = " ".join(text.split())
    if profile.width(text) <= profile.max_width:
        return (text,) if text else ()
    lines: list[str] = []
    for word in text.split(" "):
        if lines and profile.width(lines[-1] + " " + word) <= profile.max_width:
            lines[-1] += " " + word
        elif profile.width(word) <= profile.max_width:
            lines.append(word)
        else:
            k = int(-(-profile.width(word) // profile.max_width))
            lines.extend(split_balanced(word, profile, k))
    return tuple(lines)


def card_lines(headline: str, profile: Profile) -> tuple[str, ...]:
    """A Chinese headline's parts (split at its spaces) on lines of their own; others wrapped."""
    if profile.language != "zh":
        return wrap(headline, profile)
    return tuple(line for part in headline.split() for line in wrap(part, profile))


def super_lines(episode: Episode, key: str, profile: Profile) -> tuple[str, ...]:
    """(name, title line, ...): a host without a title is labelled as the host."""
    sp = episode.speaker(key)
    title = sp.title if sp.title and sp.title != sp.name else ""
    if not title and sp.role == "host":
        title = HOST_LABEL.get(profile.language, "Host")
    return (sp.name, *wrap(title, profile)) if title else (sp.name,)


def build_supers(episode: Episode, timeline: Timeline, profile: Profile, mode: str = "first",
                 cards: bool = False, duration_ms: int = DEFAULT_DURATION_MS, end_ms: int | None = None,
                 segment: int | None = None) -> Track:
    """The programme's supers (and cards) track, or with `segment` that segment's, timed from its
    start as it airs on its own. end_ms: nothing runs past it (the programme's or segment's end)."""
    if mode not in MODES:
        raise InputError(f"unknown supers mode {mode!r}; choose from {', '.join(MODES)}", value=mode)
    prof = supers_profile(profile)
    duration = min(max(duration_ms, prof.min_ms), prof.max_ms)
    offset = 0 if segment is None else timeline.segments[segment].start_ms
    if end_ms is None:
        end_ms = timeline.total_ms if segment is None else timeline.segments[segment].duration_ms
    placer = _Placer(prof, duration, end_ms)
    for seg, tseg in zip(episode.segments, timeline.segments, strict=True):
        if segment is not None and tseg.index != segment:
            continue
        if cards and seg.title:
            lines = card_lines(seg.title, prof)
            placer.add(Cue(tseg.start_ms - offset, 0, lines, "\n".join(lines), "", tseg.index, CARD))
        named: set[str] = set()
        for tturn in tseg.turns:
            if mode == "off" or not tturn.phrases or (mode == "first" and tturn.speaker in named):
                continue
            lines = super_lines(episode, tturn.speaker, prof)
            start, end = tturn.start_ms - offset, tturn.end_ms - offset
            cue = Cue(start, 0, lines, "\n".join(lines), tturn.speaker, tseg.index, tturn.index)
            # a super that could not be up while its speaker talks waits for their next turn
            if placer.add(cue, latest=max(end - placer.least(cue), start)):
                named.add(tturn.speaker)
    speakers = tuple((s.key, s.name, s.role) for s in episode.speakers)
    title = episode.title if segment is None else episode.segments[segment].title
    return Track(title, prof, tuple(placer.cues), speakers)


class _Placer:
    """Frame-aligned cues in order, never overlapping: a super that would run into the next
    is cut short (not under the minimum duration); a card keeps its time and the
    segment's first super follows it, unless the super would then miss its speaker's
    turn: then the card is cut short instead."""

    def __init__(self, prof: Profile, duration: int, end_ms: int):
        self.prof, self.duration, self.end_ms = prof, duration, end_ms
        self.gap = prof.min_gap_frames * prof.frame_ms
        self.cues: list[Cue] = []

    def least(self, cue: Cue) -> float:
        """The shortest a cue may be: the minimum duration, and time to read it."""
        return max(self.prof.min_ms, 1000.0 * self.prof.reading_chars("\n".join(cue.lines)) / self.prof.max_cps)

    def add(self, cue: Cue, latest: float | None = None) -> bool:
        prof = self.prof
        start = prof.snap(cue.start_ms)
        prev_end = None
        if self.cues:
            prev = self.cues[-1]
            if start < prev.end_ms + self.gap - 0.5:
                shortest = prof.snap(prev.start_ms + self.least(prev), up=True)
                ends = [max(prof.snap(start - self.gap), shortest)]  # cut the one before short
                if prev.turn == CARD and prev.segment == cue.segment:
                    ends.insert(0, prev.end_ms)  # unless the card can keep its time and the super still fit
                for prev_end in ends:
                    pushed = max(start, prof.snap(prev_end + self.gap))
                    if latest is None or pushed <= latest:
                        break
                start = pushed
        if latest is not None and start > latest:
            return False
        if prev_end is not None:
            self.cues[-1] = replace(self.cues[-1], end_ms=prev_end)
        end = prof.snap(max(min(start + self.duration, self.end_ms), start + self.least(cue)), up=True)
        while end - start > prof.max_ms:
            end = prof.snap(end - prof.frame_ms)
        self.cues.append(replace(cue, start_ms=start, end_ms=end))
        return True


# -- writing -------------------------------------------------------------------
def dumps(fmt_name: str, track: Track, options: object = None) -> str:
    """The track in a subtitle format: ASS as a styled lower third, others plain."""
    if fmt_name == "ass":
        return to_ass(track)
    return get(fmt_name).dumps(track, options)


def ass_styles(font: str) -> dict:
    """Lower third bottom left on a translucent bar (name larger, title smaller); cards centred."""
    import pysubs2  # ~0.2-0.9 s to import (python -X importtime): only when an ASS file or the preview is made

    def style(size: int, bold: bool, pad: int, align: Any, margin_l: int = 120, margin_v: int = 220) -> Any:
        return pysubs2.SSAStyle(fontname=font, fontsize=size, bold=bold, primarycolor=pysubs2.Color(255, 255, 255, 0),
                                outlinecolor=pysubs2.Color(16, 40, 96, 64), backcolor=pysubs2.Color(0, 0, 0, 160),
                                borderstyle=3, outline=pad, shadow=0, alignment=align, marginl=margin_l, marginv=margin_v)

    return {
        "super-name": style(64, True, 10, pysubs2.Alignment.BOTTOM_LEFT),
        "super-title": style(44, False, 10, pysubs2.Alignment.BOTTOM_LEFT),
        "card": style(88, True, 24, pysubs2.Alignment.MIDDLE_CENTER, 10, 10),
    }


def ass_events(track: Track) -> list:
    import pysubs2  # ~0.2-0.9 s to import (python -X importtime): only when an ASS file or the preview is made

    from .formats.ass import ass_text

    events = []
    for cue in track.cues:
        if cue.turn == CARD:
            events.append(pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms, style="card", name="card",
                                           text="\\N".join(ass_text(line) for line in cue.lines)))
            continue
        name, _ = track.speaker(cue.speaker)
        text = ass_text(cue.lines[0])
        if len(cue.lines) > 1:  # \r switches the rest of the event to the smaller title style
            text += "\\N{\\rsuper-title}" + "\\N".join(ass_text(line) for line in cue.lines[1:])
        events.append(pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms, style="super-name", name=name, text=text))
    return events


def to_ass(track: Track) -> str:
    from .formats.ass import font_for, new_script

    subs = new_script(track.title or "broadcaster supers")
    subs.styles.update(ass_styles(font_for(track.profile)))
    subs.events.extend(ass_events(track))
    return subs.to_string("ass")
