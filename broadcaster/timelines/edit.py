"""The edit as the timeline files describe it: whole frames at the programme's rate.

Markers at each segment start (number and headline), each turn start (the
speaker's name, their title as the note) and the hard out (or, without one,
the programme's end); title lanes for the dialogue subtitles (lane 1) and the
supers and cards (lane 2), each title carrying its role (host, guest,
narrator, super, card) for its text style. Times are frame numbers; a frame
rate is an exact fraction (29.97 is 30000/1001, drop-frame timecode).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..model import Episode
from ..prompter.context import clock
from ..subtitles.segment import Track
from ..subtitles.supers import CARD
from ..timing import Timeline


@dataclass(frozen=True)
class Rate:
    """Frames per second as numerator/denominator (30000/1001 for 29.97)."""

    num: int
    den: int = 1

    @staticmethod
    def of(fps: float) -> Rate:
        for nominal in (24, 30, 60):
            if abs(fps - nominal * 1000 / 1001) < 0.01:
                return Rate(nominal * 1000, 1001)
        return Rate(round(fps))

    @property
    def ntsc(self) -> bool:
        return self.den == 1001

    @property
    def timebase(self) -> int:
        """The whole-number rate FCP7 XML writes (30 for 29.97, with ntsc TRUE)."""
        return -(-self.num // self.den)

    @property
    def drop_frame(self) -> bool:
        return self.ntsc and self.timebase in (30, 60)

    def frame(self, ms: float) -> int:
        """The frame nearest to a time in milliseconds."""
        return int(Fraction(round(ms * 1000), 1_000_000) * self.num / self.den + Fraction(1, 2))

    def seconds(self, frames: int) -> Fraction:
        return Fraction(frames * self.den, self.num)

    def timecode(self, frames: int) -> str:
        """HH:MM:SS:FF, or HH:MM:SS;FF drop-frame at 29.97/59.94 (SMPTE 12M: frames 0 and 1, or 0-3,
        are skipped at each minute except every tenth)."""
        fps = self.timebase
        if self.drop_frame:
            drop = fps // 15  # 2 at 29.97, 4 at 59.94
            per_10min = fps * 600 - drop * 9
            per_min = fps * 60 - drop
            tens, rest = divmod(frames, per_10min)
            extra = drop * 9 * tens + (drop * ((rest - drop) // per_min) if rest > drop else 0)
            frames += extra
        ff = frames % fps
        s = frames // fps
        sep = ";" if self.drop_frame else ":"
        return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{sep}{ff:02d}"


@dataclass(frozen=True)
class Marker:
    frame: int
    name: str
    kind: str  # segment, turn, hard-out, end
    note: str = ""


@dataclass(frozen=True)
class Title:
    lane: int  # 1 dialogue, 2 supers and cards
    start: int  # frame
    end: int  # frame (exclusive)
    lines: tuple[str, ...]
    role: str  # host, guest, narrator, super, card

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Edit:
    name: str
    rate: Rate
    duration: int  # frames: the programme
    markers: tuple[Marker, ...]
    titles: tuple[Title, ...]
    media: str  # file name of the programme's media (in the same folder)
    media_kind: str  # video or audio
    width: int = 1920
    height: int = 1080
    media_size: tuple[int, int] = (1920, 1080)

    @property
    def total(self) -> int:
        """Frames the sequence runs: the programme, and on to a hard out after it."""
        return max([self.duration] + [m.frame + 1 for m in self.markers])


def build_edit(episode: Episode, timeline: Timeline, dialogue: Track, supers: Track | None, *, fps: float,
               programme_ms: int, hard_out_ms: int | None, media: str, media_kind: str = "video",
               media_size: tuple[int, int] = (1920, 1080)) -> Edit:
    rate = Rate.of(fps)
    markers: list[Marker] = []
    for seg, tseg in zip(episode.segments, timeline.segments, strict=True):
        markers.append(Marker(rate.frame(tseg.start_ms), f"{tseg.index + 1}. {seg.title}", "segment",
                              " / ".join(f"{c.role} {' '.join(c.names)}" for c in seg.credits)))
        for tturn in tseg.turns:
            sp = episode.speaker(tturn.speaker)
            markers.append(Marker(rate.frame(tturn.start_ms), sp.name, "turn", sp.title))
    if hard_out_ms is not None:
        markers.append(Marker(rate.frame(hard_out_ms), f"Hard out {clock(hard_out_ms)}", "hard-out",
                              f"programme {clock(programme_ms)}"))
    else:
        # on the programme's last frame (a marker at its out point would lie outside it)
        markers.append(Marker(max(0, rate.frame(programme_ms) - 1), f"End {clock(programme_ms)}", "end"))
    titles: list[Title] = []
    for cue in dialogue.cues:
        _, role = dialogue.speaker(cue.speaker)
        titles.append(Title(1, rate.frame(cue.start_ms), rate.frame(cue.end_ms), cue.lines, role))
    for cue in supers.cues if supers is not None else ():
        titles.append(Title(2, rate.frame(cue.start_ms), rate.frame(cue.end_ms), cue.lines,
                            "card" if cue.turn == CARD else "super"))
    markers.sort(key=lambda m: m.frame)
    return Edit(episode.title or "broadcaster", rate, rate.frame(programme_ms), tuple(markers),
                tuple(t for t in titles if t.duration > 0), media, media_kind, media_size=media_size)
