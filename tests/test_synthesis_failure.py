"""A rehearsal render whose speech service fails half-way costs only the clips not yet made.

The edge engine talks to a loopback server (tests/edge_loopback.py) speaking
edge-tts's framing through the real edge-tts client. The link is cut after N
clips, in the middle of a clip: the run must stop with a message naming the
clip and the cause, keep the earlier outputs and the finished clips, and the
rerun must synthesize only the rest.
"""
from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from broadcaster.cli import main
from broadcaster.read import parse_file
from edge_loopback import running
from runs import EXAMPLE, ROOT, outputs, temps

TURNS = 12  # turns with speech in examples/column_demo.txt: one clip each
FAILED = re.compile(r"^(?:error: |.+:\d+: )edge-tts failed for segment (\d+) turn (\d+) \((.+), line (\d+)\) after 3 tries "
                    r"\(ConnectionResetError: the connection closed in the middle of the clip\)$")


def _cached(cache: Path) -> int:
    return len(list(cache.rglob("*.clip")))


def _setup(tmp_path, capsys):
    source = tmp_path / "in" / "show.txt"
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    out = tmp_path / "out"
    assert main(["render", str(source), "-o", str(out), "--quiet"]) == 0  # the earlier, text-only outputs
    capsys.readouterr()
    return source, out, out / "show", outputs(out / "show")


def test_a_link_cut_after_five_clips_names_the_clip_keeps_the_rest_and_the_rerun_finishes(tmp_path, capsys):
    source, out, folder, before = _setup(tmp_path, capsys)
    cache = tmp_path / "clip-cache"
    args = ["render", str(source), "-o", str(out), "--audio", "--engine", "edge"]

    with running("normal", fail_after=5) as server:
        assert main(args) == 2
    err = capsys.readouterr().err
    failed = [m for m in map(FAILED.match, err.splitlines()) if m]
    assert len(failed) == 1, err
    seg, turn, name, line = (int(g) if g.isdigit() else g for g in failed[0].groups())
    named = parse_file(source).segments[seg - 1].turns[turn - 1]  # the message points at a real turn
    assert named.line == line and parse_file(source).speaker(named.speaker).name == name
    assert server.dropped, "the link was cut in the middle of a clip"
    assert outputs(folder) == before and temps(folder) == []  # earlier outputs as they were, no audio, no temp
    assert _cached(cache) == len(server.served) == 5  # every finished clip kept, no cut clip

    with running("normal") as again:
        assert main(args) == 0
    err = capsys.readouterr().err
    assert f"audio: edge, {TURNS - 5} clips synthesized, 5 from cache" in err
    assert len(again.served) == TURNS - 5
    assert not set(again.served) & set(server.served)  # nothing synthesized twice
    assert {n for n in outputs(folder) if n.endswith(".mp3")} == {
        "show.mp3", "show.01-老旧小区改造 让居民住得更舒心.mp3", "show.02-社区食堂开张 老人吃饭不再难.mp3"}
    assert _cached(cache) == TURNS


def test_ctrl_c_during_synthesis_keeps_the_clips_already_made(tmp_path, capsys):
    """A real process, a real SIGINT, while a slow service is half-way through the clips."""
    source, out, folder, before = _setup(tmp_path, capsys)
    cache = tmp_path / "clip-cache"
    with running("normal", delay=0.4) as server:
        program = ("import sys, edge_tts.communicate as c; c.WSS_URL = sys.argv[1]; "
                   "from broadcaster.cli import main; sys.exit(main(sys.argv[2:]))")
        proc = subprocess.Popen([sys.executable, "-c", program, server.url, "render", str(source), "-o", str(out),
                                 "--audio", "--engine", "edge", "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                env={"BROADCASTER_CACHE": str(cache), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        deadline = time.monotonic() + 60
        while _cached(cache) < 4 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, proc.stderr.read()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted: earlier outputs are untouched" in err and "Traceback" not in err
    assert outputs(folder) == before and temps(folder) == []
    kept = _cached(cache)
    assert 4 <= kept < TURNS

    with running("normal") as again:
        assert main(["render", str(source), "-o", str(out), "--audio", "--engine", "edge"]) == 0
    assert f"audio: edge, {TURNS - kept} clips synthesized, {kept} from cache" in capsys.readouterr().err
    assert len(again.served) == TURNS - kept
