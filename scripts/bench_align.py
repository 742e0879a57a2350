#!/usr/bin/env python3
"""Benchmark of `broadcaster render --recording`: accuracy, compute per minute, peak memory.

Makes synthetic recordings of the column with scripts/make_test_recording.py (another voice
and variant, rates ±25% per sentence, pauses 0.2–1.5 s, pink noise at 20 dB SNR, a music
bed) and runs the real CLI on each in a child process:

- clean: the column as written;
- faults: a 30 s music lead-in, a turn cut, an ad-lib, two turns swapped;
- long: a 30-minute recording (the column behind 12 minutes of music), for memory.

Compute is the CPU time (user + system) of the render and all its children (ffmpeg,
espeak workers), including start-up; peak memory is the largest child's maximum RSS.

    python scripts/bench_align.py            # all three, writes nothing but a table
    python scripts/bench_align.py --quick    # clean only
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import make_test_recording as maker  # noqa: E402

COLUMN = ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"
CASES = {
    "clean": {},
    "faults": {"lead_in": 30.0, "missing": 4, "ad_lib": 8, "swap": 14, "seed": 2},
    "long": {"lead_in": 720.0, "seed": 3},
}


def run_case(name: str, kw: dict, work: Path) -> dict:
    wav = work / f"{name}.wav"
    truth = maker.make(COLUMN, wav, **kw)
    out = work / f"out-{name}"
    code = (
        "import resource, sys, time, json\n"
        "from broadcaster.cli import main\n"
        "t = time.perf_counter()\n"
        f"rc = main(['render', {str(COLUMN)!r}, '--recording', {str(wav)!r}, '-o', {str(out)!r}, '--quiet'])\n"
        "wall = time.perf_counter() - t\n"
        "s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': rc, 'wall': wall, 'cpu': s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime,"
        " 'rss_self_mb': s.ru_maxrss / 1024, 'rss_children_mb': c.ru_maxrss / 1024}))\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT))
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{name}: render failed:\n{proc.stderr[-2000:]}")
    inner = json.loads(proc.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # accuracy: the aligned programme track against the truth
    from broadcaster.read import parse_file
    from broadcaster.render import RenderOptions, tracks
    from broadcaster.timing import estimate
    from broadcaster.timing.recording import align

    episode = parse_file(COLUMN)
    options = RenderOptions(recordings=(str(wav),), progress=False)
    timeline, alignment = align(episode, estimate(episode), options.recordings, progress=False)
    track = tracks(episode, timeline, options)[0][1]
    stats = maker.evaluate(track, truth)
    minutes = truth["duration_s"] / 60
    found = [(f.kind, f.segment, f.turn) for f in alignment.findings]
    expected = []
    for f in truth["faults"]:
        if f["kind"] == "order":
            expected.append(("order", f["segment"], [f["turn"], f["other"]["turn"]]))
        else:
            expected.append((f["kind"], f["segment"], [f["turn"]]))
    reported = all(any(k == kind and s == seg and t in turns for k, s, t in found) for kind, seg, turns in expected)
    return {"case": name, "minutes": minutes, "wall_s": wall, "cpu_s": cpu, "cpu_per_min": cpu / minutes,
            "peak_mb": max(inner["rss_self_mb"], inner["rss_children_mb"]), **stats,
            "faults": len(expected), "faults_reported": reported, "findings": len(found)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the clean recording only")
    ap.add_argument("--keep", help="folder for the recordings and outputs (default: a temporary one)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not COLUMN.exists():
        raise SystemExit(f"{COLUMN} not found: ../shared must sit beside the checkout")
    names = ["clean"] if a.quick else list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(a.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = [run_case(n, CASES[n], work) for n in names]
    if a.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{os.cpu_count()} cores; recordings of {COLUMN.name} in other voices (scripts/make_test_recording.py)\n")
    print("| recording | length | cues | cue start median / p95 / max | turn start max | faults reported |"
          " CPU | CPU per minute | wall | peak RSS |")
    print("|---|---:|---:|---|---:|---|---:|---:|---:|---:|")
    for r in rows:
        faults = f"{'all' if r['faults_reported'] else 'NOT all'} {r['faults']} ({r['findings']} findings)"
        print(f"| {r['case']} | {r['minutes']:.1f} min | {r['cues']} | {r['median_ms']:.0f} / {r['p95_ms']:.0f} / "
              f"{r['max_ms']:.0f} ms | {r['turn_max_ms']:.0f} ms | {faults} | {r['cpu_s']:.1f} s | "
              f"{r['cpu_per_min']:.2f} s | {r['wall_s']:.1f} s | {r['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
