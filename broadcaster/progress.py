"""Progress as data: the library tells a `Reporter` the caller passes in what a long render is doing.

Tasks, and what each reports:
  "synthesizing"  clips: start(total, done=clips from the cache), advance(done) as each is made, stop
  "encoding"      seconds of preview video: start(total), advance(seconds done), stop
  "aligning"      one recording: start(1.0, label=its path), advance(fraction, stage), stop
and notes, one finished fact each: note("audio", "using espeak (…)"), note("audio", "espeak, 3 clips
synthesized, 29 from cache"), note("video", "12.0 s encoded at 7.5× real time").

This class says nothing (the library's default); the CLI draws bars and lines (terminal.py), the
studio writes events for its page (studio/worker.py).
"""
from __future__ import annotations


class Reporter:
    def start(self, task: str, total: float, done: float = 0, label: str = "") -> None:
        """A task begins: `total` units of work, `done` of them already (from a cache)."""

    def advance(self, task: str, done: float, stage: str = "") -> None:
        """`done` units of the task's work are done (a fraction for "aligning", then in `stage`)."""

    def stop(self, task: str) -> None:
        """The task is over (finished or not)."""

    def note(self, topic: str, message: str) -> None:
        """One fact for the user, about `topic` (audio, video)."""


SILENT = Reporter()
