"""What runs in a worker process: one render, its progress in a file, its preview data.

The server never renders in its own process: a render that crashes (or is killed)
takes only its worker with it, and the job page says so.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..progress import Reporter


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


class FileReporter(Reporter):
    """The render's progress for the page: the clips made and the video's seconds encoded go into
    a JSON file the server reads (the video at most once per percent)."""

    def __init__(self, path: Path):
        self.path = path
        self.total: float = 0
        self.cached: float = 0
        self.shown = -1
        self.done: float = 0

    def start(self, task: str, total: float, done: float = 0, label: str = "") -> None:
        if task == "synthesizing":
            self.total, self.cached = total, done
            self.advance(task, done)
        elif task == "encoding":
            self.total, self.shown = total, -1
            self.advance(task, 0.0)

    def advance(self, task: str, done: float, stage: str = "") -> None:
        if task == "synthesizing":
            _write_json(self.path, {"phase": "synthesizing", "done": done, "total": self.total,
                                    "cached": self.cached})
            self.done = done
        elif task == "encoding":
            done = min(max(done, 0.0), self.total)
            percent = int(100 * done / self.total) if self.total > 0 else 100
            if percent > self.shown:
                self.shown = percent
                _write_json(self.path, {"phase": "video", "done": round(done, 1), "total": round(self.total, 1)})

    def stop(self, task: str) -> None:
        if task == "synthesizing":  # then the clips are laid out and encoded
            _write_json(self.path, {"phase": "encoding", "done": self.done, "total": self.total,
                                    "cached": self.cached})


def render(episode, options, progress_path: str, preview_path: str) -> dict:
    """Render one episode into options.out_dir; returns the files written and the QC summary."""
    from dataclasses import replace

    from ..render import render_episode

    progress = Path(progress_path)
    _write_json(progress, {"phase": "rendering", "done": 0, "total": 0})
    result = render_episode(episode, replace(options, progress=True), FileReporter(progress))
    preview = preview_data(episode, result, options)
    _write_json(Path(preview_path), preview)
    _write_json(progress, {"phase": "done", "done": 1, "total": 1})
    return {"folder": str(result.folder), "files": [p.name for p in result.files],
            "qc": [r.summary() for r in result.qc],
            "violations": sum(len(r.violations) for r in result.qc),
            "timing": result.timeline.source}


def preview_data(episode, result, options) -> dict:
    """The cue table (with QC), the rundown rows and the audio files, for the preview panes."""
    from ..prompter.context import build_context
    from ..prompter.rundown import rows

    programme = result.programme
    assert programme is not None
    stem = programme.stem
    # the cue table shows what the files hold: the programme's cues as written (converted when asked)
    episode, timeline = programme.episode, programme.timeline
    track, report = programme.dialogue, result.qc[0]
    problems: dict[int, list[str]] = {}
    for v in report.violations:
        problems.setdefault(v.cue, []).append(v.reason)
    names = {s.key: (s.name, i) for i, s in enumerate(episode.speakers)}
    cues = []
    for number, cue in enumerate(track.cues, start=1):
        seconds = max(cue.duration_ms, 1) / 1000
        cues.append({"n": number, "start": cue.start_ms, "end": cue.end_ms, "lines": list(cue.lines),
                     "width": max((track.profile.width(line) for line in cue.lines), default=0),
                     "cps": round(track.profile.reading_chars(cue.text) / seconds, 2),
                     "speaker": names.get(cue.speaker, (cue.speaker, 0))[0],
                     "colour": names.get(cue.speaker, ("", 0))[1], "segment": cue.segment,
                     "violations": problems.get(number, [])})
    context = build_context(episode, timeline, options.hard_out_ms)
    audio = []  # the rehearsal audio the render wrote, the programme first
    for out in result.manifest:
        if out.role == "audio" and out.segment is None:
            audio.append({"title": "Programme", "file": out.path.name, "start": 0})
        elif out.role == "audio":
            seg = result.timeline.segments[out.segment]
            audio.append({"title": f"{seg.index + 1}. {seg.title}", "file": out.path.name, "start": seg.start_ms})
    return {"stem": stem, "profile": {"name": track.profile.name, "max_width": track.profile.max_width,
                                      "max_cps": track.profile.max_cps, "fps": track.profile.fps},
            "cues": cues, "qc": report.summary(), "violations": len(report.violations),
            "rundown": rows(context),
            "segments": [{"number": s.index + 1, "title": s.title, "start": s.start_ms}
                         for s in result.timeline.segments], "total_ms": result.timeline.total_ms, "hard_out_ms": options.hard_out_ms,
            "timing": result.timeline.source, "audio": audio, "recording": bool(options.recordings), "prompter": f"{stem}.prompter.html"}
