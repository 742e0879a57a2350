"""Calibration: tune each voice's engine rate so its audio runs at the speaking
rate the text-only timeline assumes (chars_per_second), and write it back.

Measured on real turns (a transcript's, or the shipped example's): the audio
length of each turn against the timeline's estimate for it (speech plus the
pauses inside the turn). espeak's rate is close to proportional, so a few
multiplicative steps converge.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..output import write_set
from ..read import parse_file
from ..speech import espeak
from ..speech.voices import cast, load_profile
from ..timing import Rates, estimate
from ..timing.synthesized import turn_script

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "column_demo.txt"
STEPS = 4


@dataclass(frozen=True)
class Calibration:
    section: str  # "roles.host", "english.guest"
    before_rate: int
    after_rate: int
    syllables: int
    target_s: float  # what the text timeline gives these turns (speech and pauses)
    before_s: float  # the audio at the old rate
    after_s: float  # the audio at the new rate

    def error(self, seconds: float) -> float:
        return (seconds - self.target_s) / self.target_s


def _measure(jobs: list[tuple[str, str, int]], rate: int) -> float:
    """Seconds of audio for the jobs at `rate`."""
    clips = espeak.synthesize_many([(text, voice, rate, pitch) for text, voice, pitch in jobs])
    return sum(c.duration_ms for c in clips) / 1000


def calibrate(transcript: str | None, voices_path: str | None) -> list[Calibration]:
    profile = load_profile(voices_path)
    episode = parse_file(transcript or EXAMPLE)
    cast_voices = cast(episode, profile)
    rates = Rates({r: v.get("chars_per_second", 4.0) for r, v in profile["roles"].items()})
    timeline = estimate(episode, rates)
    groups: dict[str, list] = {}
    for turn in timeline.turns():
        if not turn.phrases:
            continue
        sp = episode.speaker(turn.speaker)
        section = ("english." if turn.language == "en" else "roles.") + sp.role
        voice = cast_voices[turn.speaker]
        text, _ = turn_script(turn)
        syllables = sum(p.syllables for p in turn.phrases)
        groups.setdefault(section, []).append((text, voice, turn.end_ms - turn.start_ms, syllables))
    results = []
    for section, items in groups.items():
        kind, role = section.split(".")
        role_settings = profile.get(kind, {}).get(role) or {}
        rate = int(role_settings.get("espeak_rate", items[0][1].espeak_rate))
        jobs = [(text, voice.espeak_voice, voice.espeak_pitch) for text, voice, _, _ in items]
        target_s = sum(ms for _, _, ms, _ in items) / 1000
        syllables = sum(s for *_, s in items)
        before_s = seconds = _measure(jobs, rate)
        start_rate = rate
        for _ in range(STEPS):
            rate = max(80, min(450, round(rate * seconds / target_s)))
            seconds = _measure(jobs, rate)
            if abs(seconds - target_s) / target_s < 0.005:
                break
        results.append(Calibration(section, start_rate, rate, syllables, target_s, before_s, seconds))
    return results


def write_rates(path: str | Path, results: list[Calibration]) -> None:
    """Set espeak_rate in each calibrated section, keeping the file's comments and layout."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    section = None
    done = set()
    wanted = {r.section: r.after_rate for r in results}
    for i, line in enumerate(lines):
        m = re.match(r"^\s*\[([^\]]+)\]", line)
        if m:
            section = m.group(1).strip()
            continue
        if section in wanted and re.match(r"^\s*espeak_rate\s*=", line):
            lines[i] = re.sub(r"=\s*\d+", f"= {wanted[section]}", line, count=1)
            done.add(section)
    # a section without the key gets it right under its header
    for sec in set(wanted) - done:
        for i, line in enumerate(lines):
            if re.match(rf"^\s*\[{re.escape(sec)}\]", line):
                lines.insert(i + 1, f"espeak_rate = {wanted[sec]}\n")
                break
    write_set(path.parent, {path.name: "".join(lines).encode("utf-8")})
