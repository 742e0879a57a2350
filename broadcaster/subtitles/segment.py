"""Timeline → subtitle cues within a profile's limits, losing no spoken character.

Each turn's phrases are cut into pieces that fit a line (balanced, between
words where possible), packed into lines and cues that never cross a turn or
a paragraph, then timed: frame-aligned, at least the minimum duration and the
reading-speed time, at most the maximum, with the minimum gap, and small gaps
closed. Every cue keeps `source`, the exact slice of spoken text it shows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import spoken
from ..timing import Timeline, TimedTurn
from .breaks import split_clause
from .clauses import clauses, goes_with
from .profile import Profile
from .wordbreak import allowed, word_boundaries

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..timing import Phrase

SENTENCE_END = set("。！？!?….")
_DURATION_MARGIN_MS = 600  # room left under max_ms for frame rounding and reading time


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    source: str  # the exact spoken text this cue shows
    speaker: str
    segment: int
    turn: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class Track:
    title: str
    profile: Profile
    cues: tuple[Cue, ...]
    speakers: tuple[tuple[str, str, str], ...] = ()  # (key, name, role), for voice tags and styles

    def speaker(self, key: str) -> tuple[str, str]:
        """(name, role) of a speaker key; the key itself when unknown."""
        for k, name, role in self.speakers:
            if k == key:
                return name, role
        return key, "guest"


@dataclass
class _Piece:
    source: str
    paragraph: int
    start: float
    end: float
    clause: int = 0  # index of the clause (clauses.py) it belongs to
    whole: bool = True  # the whole clause, not a piece of a split one


def build_track(timeline: Timeline, profile: Profile, segment: int | None = None, title: str = "",
                speakers: tuple[tuple[str, str, str], ...] = (), names: bool = False, dual: bool = False) -> Track:
    """Cues for one segment (timed from 0) or, with segment=None, the whole programme.

    names: the speaker's name in front of each turn's first cue (李薇：…).
    dual: a short reply may share a two-line cue with the line before it, each
    line opened by a dash (Netflix style); off by default, as on Chinese TV.
    """
    segments = timeline.segments if segment is None else (timeline.segments[segment],)
    offset = 0 if segment is None else timeline.segments[segment].start_ms
    display_names = {key: name for key, name, _ in speakers}
    units = []
    for seg in segments:
        for turn in seg.turns:
            if turn.absent:  # not in the recording: no cues, so the cues around it stay on their speech
                continue
            prefix = ""
            if names:
                mark = "：" if profile.language == "zh" else ": "
                prefix = display_names.get(turn.speaker, turn.speaker) + mark
            for line_group in _cues_of_turn(turn, profile.for_language(turn.language), prefix):
                units.append((turn, line_group))
    cues = _time(units, profile, offset, names=names,
                 display_names=display_names, follow=timeline.source == "recording")
    if dual:
        from .dual import share_short_replies

        cues = share_short_replies(cues, profile)
    return Track(title or (timeline.segments[segment].title if segment is not None else ""), profile,
                 tuple(cues), tuple(speakers))


# -- cutting -------------------------------------------------------------------
def _pieces(turn: TimedTurn, profile: Profile, prefix: str = "") -> list[_Piece]:
    """Line-sized pieces of each clause (fragments joined to their clause first, clauses.py).
    A name prefix rides on the first clause while cutting, so the first line leaves room for it;
    it is taken off the cue's source again when the cue is made."""
    pieces: list[_Piece] = []
    for index, (ph, seams) in enumerate(clauses(turn.phrases, profile)):
        shift = 0
        if index == 0 and prefix:
            marks = ((len(prefix), ph.start_ms),) + tuple((o + len(prefix), ms) for o, ms in ph.marks) if ph.marks else ()
            ph = replace(ph, text=prefix + ph.text, marks=marks)
            seams = tuple(o + len(prefix) for o in seams)
            shift = len(prefix)
        width = profile.width(profile.display(ph.text))
        dur = ph.end_ms - ph.start_ms
        k = max(math.ceil(width / profile.max_width), math.ceil(dur / (profile.max_ms - _DURATION_MARGIN_MS)), 1)
        if k == 1:
            pieces.append(_Piece(ph.text, ph.paragraph, ph.start_ms, ph.end_ms, index))
            continue
        parts = split_clause(ph.text, profile, k, seams) or split_balanced(ph.text, profile, k)
        syllables = [max(spoken.count_syllables(p, turn.language), 0) for p in parts]
        spoken_total = sum(syllables)  # once: summing per part was quadratic on a 1 MB turn
        total = spoken_total or len(parts)
        t = float(ph.start_ms)
        if ph.marks:  # the recording says when each word is spoken: cut the time there
            offsets = [0]
            for part in parts:
                offsets.append(offsets[-1] + len(part))
            times = [_time_at(ph, max(o, shift) if i else 0) for i, o in enumerate(offsets[:-1])] + [float(ph.end_ms)]
            for i, part in enumerate(parts):
                pieces.append(_Piece(part, ph.paragraph, times[i], max(times[i], times[i + 1]), index, False))
            continue
        for part, syl in zip(parts, syllables, strict=True):
            d = dur * ((syl if spoken_total else 1) / total)
            pieces.append(_Piece(part, ph.paragraph, t, t + d, index, False))
            t += d
    return pieces


def _time_at(ph: Phrase, offset: int) -> float:
    """When the character at `offset` of a phrase is spoken, from its marks (interpolated between them)."""
    points = [(0, float(ph.start_ms))] + [(o, float(ms)) for o, ms in ph.marks] + [(len(ph.text), float(ph.end_ms))]
    points.sort()
    if offset <= 0:
        return float(ph.start_ms)
    for (o1, t1), (o2, t2) in zip(points, points[1:], strict=False):
        if o1 <= offset <= o2:
            return t1 if o2 == o1 else t1 + (t2 - t1) * (offset - o1) / (o2 - o1)
    return float(ph.end_ms)


def split_balanced(text: str, profile: Profile, k: int) -> list[str]:
    """Cut text into about k pieces of at most one line each, between words if possible."""
    widths = [0.0]
    for ch in text:
        widths.append(widths[-1] + (profile.width(ch) if ch not in profile.blank_punct else 0.0))
    good = word_boundaries(text, profile.language)
    limit = profile.max_width
    out, start, n = [], 0, len(text)
    while start < n:
        remaining = widths[n] - widths[start]
        if remaining <= limit and profile.width(profile.display(text[start:])) <= limit:
            out.append(text[start:])
            break
        pieces_left = max(2, math.ceil(remaining / limit))
        target = widths[start] + remaining / pieces_left
        best, best_score = None, None
        i = start + 1
        while i < n and widths[i] - widths[start] <= limit:
            if allowed(text, i):
                score = abs(widths[i] - target) + (0 if i in good else limit / 2)
                if best_score is None or score < best_score:
                    best, best_score = i, score
            i += 1
        if best is None:  # nothing allowed fits: take the widest cut that fits, rules or not
            best = max(start + 1, i - 1) if i > start + 1 else start + 1
            best = _nudge(text, start, best)
        out.append(text[start:best])
        start = best
    return [p for p in out if p]


def _nudge(text: str, start: int, i: int) -> int:
    """Move a forced cut back off a grapheme's inside (after a ZWJ, before a combining mark)."""
    import unicodedata

    j = i
    while j > start + 1 and (text[j - 1] == "\u200d" or unicodedata.category(text[j]) in ("Mn", "Me", "Cf", "Sk")
                             or "\ufe00" <= text[j] <= "\ufe0f"):
        j -= 1
    return j


def _fits(source: str, profile: Profile) -> bool:
    return profile.width(profile.display(source)) <= profile.max_width


def _ends_sentence(source: str) -> bool:
    s = source.rstrip(" ”’」』）)\"'")
    return bool(s) and s[-1] in SENTENCE_END


def _pack(items: list[list[_Piece]], profile: Profile,
          fits: Callable[[str, list[_Piece], list[_Piece]], bool]) -> list[list[_Piece]]:
    """Packing of groups of pieces, in order: one clause per group; within a paragraph and `fits`,
    a group shorter than the minimum duration takes the next, and two short clauses go together
    when the second continues the first (clauses.goes_with)."""
    out: list[list[_Piece]] = []
    for item in items:
        if out:
            cur = out[-1]
            joined = "".join(p.source for p in cur + item)
            same_para = cur[0].paragraph == item[0].paragraph
            dur_ok = item[-1].end - cur[0].start <= profile.max_ms - _DURATION_MARGIN_MS
            cur_source = "".join(p.source for p in cur)
            item_source = "".join(p.source for p in item)
            empty = not profile.display(item_source) or not profile.display(cur_source)
            short = cur[-1].end - cur[0].start < profile.min_ms
            if empty and same_para or (same_para and dur_ok and fits(joined, cur, item) and (
                    short or all(p.whole for p in cur + item) and len({p.clause for p in cur}) == 1
                    and goes_with(cur_source, item_source, profile))):
                cur.extend(item)
                continue
        out.append(list(item))
    return out


@lru_cache(maxsize=512)  # a render builds the programme track and each segment's: the same turns twice
def _cues_of_turn(turn: TimedTurn, profile: Profile, prefix: str = "") -> list[list[list[_Piece]]]:
    """A turn's cues, each a list of lines, each line a list of pieces (shared: read, never changed)."""
    pieces = _pieces(turn, profile, prefix)
    lines = _pack([[p] for p in pieces], profile, lambda joined, cur, item: _fits(joined, profile))
    if profile.max_lines == 1:
        return [[line] for line in lines]
    cues: list[list[list[_Piece]]] = []
    for line in lines:
        if cues:
            cue = cues[-1]
            same_para = cue[0][0].paragraph == line[0].paragraph
            dur_ok = line[-1].end - cue[0][0].start <= profile.max_ms - _DURATION_MARGIN_MS
            src = "".join(p.source for ln in cue for p in ln)
            short = cue[-1][-1].end - cue[0][0].start < profile.min_ms
            same_clause = cue[-1][-1].clause == line[0].clause  # a clause too long for one line goes on
            if len(cue) < profile.max_lines and same_para and dur_ok and (not _ends_sentence(src) or short) and (
                    same_clause or short or all(p.whole for p in line)
                    and goes_with(src, "".join(p.source for p in line), profile, lines=True)):
                cue.append(line)
                continue
        cues.append([line])
    return cues


# -- timing --------------------------------------------------------------------
def _time(units: list[tuple[TimedTurn, list[list[_Piece]]]], profile: Profile, offset: int, names: bool = False,
          display_names: dict[str, str] | None = None, follow: bool = False) -> list[Cue]:
    """follow (a timeline aligned to the recording): a cue starts on its speech; the cue before
    it gave way, keeping its minimum duration, so reading time only uses the pause that follows."""
    cues: list[Cue] = []
    first_of_turn = set()
    gap = profile.min_gap_frames * profile.frame_ms  # exact, so boundaries stay on frames
    close = profile.close_gap_frames * profile.frame_ms
    pending = ""  # source of a unit with nothing to show (silent punctuation only)
    track_profile = profile
    for turn, lines in units:
        profile = track_profile.for_language(turn.language)  # English turns: English display and reading speed
        source = "".join(p.source for ln in lines for p in ln)
        shown = tuple(s for s in (profile.display("".join(p.source for p in ln)) for ln in lines) if s)
        if not shown:
            if cues and (cues[-1].segment, cues[-1].turn) == (turn.segment, turn.index):
                cues[-1] = replace(cues[-1], source=cues[-1].source + source)
            else:
                pending += source
            continue
        source, pending = pending + source, ""
        if names and (turn.segment, turn.index) not in first_of_turn:
            first_of_turn.add((turn.segment, turn.index))
            prefix = display_names.get(turn.speaker, turn.speaker) + ("：" if profile.language == "zh" else ": ")  # type: ignore[union-attr]
            if source.startswith(prefix):
                source = source[len(prefix):]  # the name is shown, not spoken
        start = profile.snap(lines[0][0].start - offset)
        raw_end = lines[-1][-1].end - offset
        if cues:
            prev = cues[-1]
            if follow and prev.end_ms + gap > start:  # reading time ran into this cue's speech: give way
                floor = profile.snap(prev.start_ms + profile.min_ms, up=True)
                cues[-1] = prev = replace(prev, end_ms=max(floor, min(prev.end_ms, profile.snap(start - gap))))
            start = max(start, profile.snap(prev.end_ms + gap))
            if start - prev.end_ms <= close + 0.5:  # close a small gap: the previous cue stays up
                new_end = profile.snap(min(start - gap, prev.start_ms + profile.max_ms))
                while new_end - prev.start_ms > profile.max_ms:
                    new_end = profile.snap(new_end - profile.frame_ms)
                if new_end > prev.end_ms:
                    cues[-1] = replace(prev, end_ms=new_end)
        need = max(profile.min_ms, 1000.0 * profile.reading_chars("\n".join(shown)) / profile.max_cps)
        end = profile.snap(max(raw_end, start + need), up=True)
        while end - start > profile.max_ms:
            end = profile.snap(end - profile.frame_ms)
        cues.append(Cue(start, end, shown, source, turn.speaker, turn.segment, turn.index))
    return cues
