"""Quality control of a subtitle track: the checks a Netflix-style QC pass makes.

Runs on our own tracks (a `<name>.qc.md` beside each) and on any SRT/VTT/ASS
file, also ones other tools made (`broadcaster check --subtitles`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..read.decode import decode
from .profile import NO_LINE_END, NO_LINE_START, Profile

if TYPE_CHECKING:
    from .segment import Track


@dataclass(frozen=True)
class QCCue:
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Violation:
    cue: int  # 1-based, as numbered in the file
    reason: str


@dataclass(frozen=True)
class QCReport:
    name: str
    profile: Profile
    cue_count: int
    widths: dict  # line width (rounded up) → number of lines
    widest: float
    max_cps: tuple[float, int]
    shortest: tuple[int, int]
    longest: tuple[int, int]
    smallest_gap: tuple[int, int] | None
    violations: tuple[Violation, ...]

    def summary(self) -> str:
        if not self.cue_count:
            return f"{self.name}: no cues"
        gap = f"{self.smallest_gap[0]} ms" if self.smallest_gap else "—"
        return (f"{self.name}: {self.cue_count} cues, widest line {self.widest:g}, "
                f"max {self.max_cps[0]:.1f} chars/s, cues {self.shortest[0] / 1000:.2f}–{self.longest[0] / 1000:.2f} s, "
                f"smallest gap {gap}, {len(self.violations)} violations")


def check(name: str, cues: list, track_profile: Profile, time_tolerance_ms: float = 1.0) -> QCReport:
    """time_tolerance_ms: how far a time may sit off a frame boundary (ASS stores centiseconds).
    An English cue in a Chinese track is held to the English rules (Profile.for_text)."""
    profile = track_profile
    frame = 1000.0 / profile.fps
    violations: list[Violation] = []
    widths: Counter = Counter()
    widest, max_cps, shortest, longest, smallest_gap = 0.0, (0.0, 0), None, None, None
    prev = None
    for number, cue in enumerate(cues, start=1):
        bad = lambda reason, number=number: violations.append(Violation(number, reason))
        duration = cue.end_ms - cue.start_ms
        text = "\n".join(cue.lines)
        profile = track_profile.for_text(text)
        if not text.strip():
            bad("empty cue")
        if len(cue.lines) > profile.max_lines:
            bad(f"{len(cue.lines)} lines (at most {profile.max_lines})")
        for line in cue.lines:
            w = profile.width(line)
            widths[int(-(-w // 1))] += 1
            widest = max(widest, w)
            if w > profile.max_width:
                bad(f"line width {w:g} over {profile.max_width:g}: {line}")
            # clreq's prohibitions are Chinese typography; an English line may open with "..."
            if profile.language == "zh" and line and line[0] in NO_LINE_START and not line.startswith("-"):
                bad(f"line starts with {line[0]!r}: {line}")
            if profile.language == "zh" and line and line[-1] in NO_LINE_END:
                bad(f"line ends with {line[-1]!r}: {line}")
        if duration <= 0:
            bad(f"ends before it starts ({duration} ms)")
            continue
        cps = profile.reading_chars(text) / (duration / 1000)
        if cps > max_cps[0]:
            max_cps = (cps, number)
        if cps > profile.max_cps + 0.01:
            bad(f"{cps:.1f} chars/s over {profile.max_cps:g}")
        if duration < profile.min_ms - 1:
            bad(f"shown {duration} ms, under {profile.min_ms} ms")
        if duration > profile.max_ms + 1:
            bad(f"shown {duration} ms, over {profile.max_ms} ms")
        for t in (cue.start_ms, cue.end_ms):
            if abs(t - round(t / frame) * frame) > time_tolerance_ms:
                bad(f"{t} ms is not on a {profile.fps:g} fps frame boundary")
                break
        shortest = (duration, number) if shortest is None or duration < shortest[0] else shortest
        longest = (duration, number) if longest is None or duration > longest[0] else longest
        if prev is not None:
            gap = cue.start_ms - prev.end_ms
            if gap < 0:
                bad(f"overlaps cue {number - 1} by {-gap} ms")
            elif round(gap / frame) < profile.min_gap_frames:
                bad(f"gap of {gap} ms after cue {number - 1}, under {profile.min_gap_frames} frames")
            smallest_gap = (gap, number) if smallest_gap is None or gap < smallest_gap[0] else smallest_gap
        prev = cue
    return QCReport(name, track_profile, len(cues), dict(sorted(widths.items())), widest, max_cps,
                    shortest or (0, 0), longest or (0, 0), smallest_gap, tuple(violations))


def check_track(name: str, track: Track) -> QCReport:
    return check(name, [QCCue(c.start_ms, c.end_ms, c.lines) for c in track.cues], track.profile)


def to_markdown(report: QCReport) -> str:
    p = report.profile
    out = [f"# Subtitle QC: {report.name}", "",
           f"Profile {p.name}: at most {p.max_lines} line(s) of width {p.max_width:g}, {p.max_cps:g} chars/s, "
           f"{p.min_ms}–{p.max_ms} ms, gaps of {p.min_gap_frames} frames at {p.fps:g} fps.", "",
           "| figure | value | cue |", "|---|---|---|",
           f"| cues | {report.cue_count} | |",
           f"| widest line | {report.widest:g} | |",
           f"| highest characters/s | {report.max_cps[0]:.2f} | {report.max_cps[1]} |",
           f"| shortest cue | {report.shortest[0]} ms | {report.shortest[1]} |",
           f"| longest cue | {report.longest[0]} ms | {report.longest[1]} |"]
    if report.smallest_gap:
        out.append(f"| smallest gap | {report.smallest_gap[0]} ms | {report.smallest_gap[1]} |")
    out += ["", "## Line widths", "", "| width | lines | |", "|---:|---:|---|"]
    most = max(report.widths.values(), default=1)
    for width, count in report.widths.items():
        out.append(f"| {width} | {count} | {'█' * max(1, round(20 * count / most))} |")
    out += ["", f"## Violations: {len(report.violations)}", ""]
    out += [f"- cue {v.cue}: {v.reason}" for v in report.violations] or ["None."]
    return "\n".join(out) + "\n"


def load_cues(path: str | Path) -> list[QCCue]:
    """Cues of any SRT/VTT/ASS file, whatever its encoding (a BOM, GB18030…)."""
    import pysubs2  # ~0.2-0.9 s to import: only for `check --subtitles`

    path = Path(path)
    try:
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path), line=1) from None
    except InputError as exc:
        raise exc.located(str(path)) from None
    fmt = {".srt": "srt", ".vtt": "vtt", ".ass": "ass", ".ssa": "ssa"}.get(path.suffix.lower())
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except Exception as exc:  # pysubs2 raises several types for unreadable files
        raise InputError(f"not a subtitle file pysubs2 can read: {exc}", path=str(path), line=1) from None
    return [QCCue(e.start, e.end, tuple(e.plaintext.split("\n"))) for e in subs.events if not e.is_comment]
