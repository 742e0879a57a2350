#!/usr/bin/env python3
"""Benchmark of `broadcaster render --recording`: accuracy, compute per minute, peak memory.

Makes synthetic recordings of the column with scripts/make_test_recording.py (another voice
and variant, rates ±25% per sentence, pauses 0.2–1.5 s, pink noise at 20 dB SNR, a music
bed) and runs the real CLI on each in a child process:

- clean: the column as written;
- faults: a 30 s music lead-in, a turn cut, an ad-lib, two turns swapped;
- long: a 30-minute recording (the column behind 12 minutes of music), for memory.

Compute is the CPU time (user + system) of the render and all its children (ffmpeg,
espeak workers), including start-up; peak memory is the maximum RSS of the render process
or any of its children. The recordings are made in other child processes first (making a
30-minute one takes several GB; that is the test tool, not the aligner).

    python scripts/bench_align_synthetic.py            # all three, writes nothing but a table
    python scripts/bench_align_synthetic.py --quick    # clean only
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
    "long speech": {"seed": 4, "script": "longer"},
}


def script_for(case: dict, work: Path) -> Path:
    """The transcript of a case: the column, or (longer) the column with its segments 2 and 3 once more
    as further segments: about 30 minutes of speech."""
    if case.get("script") != "longer":
        return COLUMN
    lines = COLUMN.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and i > 10)
    again = [("## 再访：" + line.lstrip("#").strip()) if line.startswith("#") else line for line in lines[start:]]
    path = work / "column_longer.txt"
    path.write_text("\n".join(lines + [""] + again) + "\n", encoding="utf-8")
    return path


def run_case(name: str, kw: dict, work: Path) -> dict:
    wav = work / f"{name.replace(' ', '_')}.wav"
    script = script_for(kw, work)
    if not wav.with_suffix(".json").exists():  # made in a child: its memory must not count as the render's
        args = [sys.executable, str(ROOT / "scripts" / "make_test_recording.py"), str(script), "-o", str(wav)]
        for key, value in kw.items():
            if key == "script":
                continue
            args += [f"--{key.replace('_', '-')}", str(value)]
        subprocess.run(args, check=True, capture_output=True)
    truth = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
    out = work / f"out-{name.replace(' ', '_')}"
    code = (
        "import resource, sys, time, json\n"
        "from broadcaster.cli import main\n"
        "t = time.perf_counter()\n"
        f"rc = main(['render', {str(script)!r}, '--recording', {str(wav)!r}, '-o', {str(out)!r}, '--quiet'])\n"
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
    return {"case": name, "minutes": truth["duration_s"] / 60, "wall_s": wall, "cpu_s": cpu,
            "cpu_per_min": cpu / (truth["duration_s"] / 60),
            "peak_mb": max(inner["rss_self_mb"], inner["rss_children_mb"])}


def accuracy(name: str, work: Path) -> dict:
    """The aligned programme track against the truth, and whether every fault was reported."""
    wav = work / f"{name.replace(' ', '_')}.wav"
    script = script_for(CASES[name], work)
    truth = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
    from broadcaster.read import parse_file
    from broadcaster.programme import tracks
    from broadcaster.render import RenderOptions
    from broadcaster.timing import estimate
    from broadcaster.timing.recording import align

    episode = parse_file(script)
    options = RenderOptions(recordings=(str(wav),), progress=False)
    timeline, alignment = align(episode, estimate(episode), options.recordings)
    track = tracks(episode, timeline, options)[0][1]
    stats = maker.evaluate(track, truth)
    found = [(f.kind, f.segment, f.turn) for f in alignment.findings]
    expected = []
    for f in truth["faults"]:
        if f["kind"] == "order":
            expected.append(("order", f["segment"], [f["turn"], f["other"]["turn"]]))
        else:
            expected.append((f["kind"], f["segment"], [f["turn"]]))
    reported = all(any(k == kind and s == seg and t in turns for k, s, t in found) for kind, seg, turns in expected)
    return {**stats, "faults": len(expected), "faults_reported": reported, "findings": len(found)}


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
        rows = [run_case(n, CASES[n], work) for n in names]  # all renders first: a small parent to fork
        for row in rows:
            row.update(accuracy(row["case"], work))
    if a.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{os.cpu_count()} cores; recordings of {COLUMN.name} in other voices (scripts/make_test_recording.py)\n")
    print("long: the column behind 12 minutes of music; long speech: the column with segments 2 and 3 again\n")
    print("| recording | length | cues | cue start median / p95 / max | turn start max | faults reported |"
          " CPU | CPU per minute | wall | peak RSS |")
    print("|---|---:|---:|---|---:|---|---:|---:|---:|---:|")
    for r in rows:
        faults = (f"{'all' if r['faults_reported'] else 'NOT all'} {r['faults']} ({r['findings']} findings)"
                  if r["faults"] else f"none injected ({r['findings']} findings)")
        print(f"| {r['case']} | {r['minutes']:.1f} min | {r['cues']} | {r['median_ms']:.0f} / {r['p95_ms']:.0f} / "
              f"{r['max_ms']:.0f} ms | {r['turn_max_ms']:.0f} ms | {faults} | {r['cpu_s']:.1f} s | "
              f"{r['cpu_per_min']:.2f} s | {r['wall_s']:.1f} s | {r['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
