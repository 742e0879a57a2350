"""Helpers for tests that run the real command in a subprocess and interrupt it."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "column_demo.txt"


def start_render(source: Path, out: Path, *extra: str, slow_write: float | None = None, env=None) -> subprocess.Popen:
    """`broadcaster render SOURCE -o OUT` as its own process (a real run, real signals)."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    if slow_write is not None:  # tests/hooks holds each written temporary file that long
        environment["BROADCASTER_TEST_SLOW_WRITE"] = str(slow_write)
        environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "tests" / "hooks"),
                                                                environment.get("PYTHONPATH")) if p)
    return subprocess.Popen([sys.executable, "-m", "broadcaster", "render", str(source), "-o", str(out), "--quiet", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, cwd=out.parent)


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(folder: Path) -> dict[str, bytes]:
    """The visible outputs: what a producer sees in the folder."""
    return {k: v for k, v in snapshot(folder).items() if not Path(k).name.startswith(".")}


def temps(folder: Path) -> list[str]:
    """broadcaster's temporary files (hidden, `.NAME.XXXX.bcPID.tmp`) under folder."""
    return sorted(p.name for p in folder.rglob(".*.bc*.tmp")) if folder.exists() else []


def wait_for(condition, proc: subprocess.Popen, timeout: float = 60, what: str = "") -> None:
    """Poll until condition() holds; fail if the process ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}) before {what}: {proc.stderr.read()}")
        time.sleep(0.02)
    proc.kill()
    raise AssertionError(f"timed out waiting for {what}")


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used (Linux /proc): past start-up means past ~0.5 s."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
