"""What the CLI shows while a render works: a rich bar on a terminal, plain lines otherwise (logs, CI).

The library reports progress as data (progress.Reporter); this is the CLI's drawing of it,
on stderr. rich is imported only when a bar is drawn.
"""
from __future__ import annotations

import sys
from typing import Any

from .progress import Reporter


def _say(line: str) -> None:
    print(line, file=sys.stderr)


class TerminalReporter(Reporter):
    def __init__(self) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}

    def start(self, task: str, total: float, done: float = 0, label: str = "") -> None:
        state: dict[str, Any] = {"total": total, "done": done, "label": label, "bar": None, "shown": -1,
                                 "stage": None}
        self.tasks[task] = state
        tty = sys.stderr.isatty()
        if task == "synthesizing":
            if total <= 0:
                state["off"] = True
                return
            if tty:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn

                state["bar"] = Bar(TextColumn("synthesizing"), BarColumn(), MofNCompleteColumn(),
                                   TextColumn(f"clips ({done} from cache)"), transient=True)
                state["bar"].start()
                state["id"] = state["bar"].add_task("clips", total=total, completed=done)
            else:
                _say(f"audio: {total} clips, {done} from cache, {total - done} to synthesize")
        elif task == "encoding":
            if tty:
                from rich.progress import BarColumn, Progress as Bar, TextColumn, TimeRemainingColumn

                state["bar"] = Bar(TextColumn("encoding preview"), BarColumn(),
                                   TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(), transient=True)
                state["bar"].start()
                state["id"] = state["bar"].add_task("video", total=total)
            else:
                _say(f"video: encoding {total:.1f} s of preview")
        elif task == "aligning" and tty:
            from rich.progress import BarColumn, Progress as Bar, TaskProgressColumn, TextColumn

            state["bar"] = Bar(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), transient=True)
            state["bar"].start()
            state["id"] = state["bar"].add_task(label, total=1.0)

    def advance(self, task: str, done: float, stage: str = "") -> None:
        state = self.tasks.get(task)
        if state is None or state.get("off"):
            return
        bar, total = state["bar"], state["total"]
        state["done"] = done
        if task == "synthesizing":
            if bar is not None:
                bar.update(state["id"], completed=done)
            elif done == total or done % max(1, total // 10) == 0:
                _say(f"audio: {done}/{total} clips")
        elif task == "encoding":
            if bar is not None:
                bar.update(state["id"], completed=min(done, total))
            else:
                tenth = min(10, int(10 * done / total)) if total else 10
                if tenth > state["shown"]:
                    state["shown"] = tenth
                    _say(f"video: {tenth * 10}% ({done:.1f}/{total:.1f} s)")
        elif task == "aligning":
            if bar is not None:
                bar.update(state["id"], description=f"{state['label']}: {stage}", completed=min(1.0, done))
            elif stage != state["stage"]:
                _say(f"align: {state['label']}: {stage}")
            state["stage"] = stage

    def stop(self, task: str) -> None:
        state = self.tasks.pop(task, None)
        if state is not None and state["bar"] is not None:
            state["bar"].stop()

    def note(self, topic: str, message: str) -> None:
        _say(f"{topic}: {message}")
