#!/usr/bin/env python3
"""broadcaster benchmarks: linear cost, batch, start-up, timing accuracy, incremental audio.

    python scripts/bench.py            # everything (a few minutes on 2 cores)
    python scripts/bench.py --quick    # smaller batch, fewer start-up runs
    python scripts/bench.py --json

A benchmark, not a test: it prints figures; docs/performance.md records them.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COLUMN = ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"
EXAMPLE = ROOT / "examples" / "column_demo.txt"
SOURCE = COLUMN if COLUMN.exists() else EXAMPLE
BIN = Path(sys.executable).parent / "broadcaster"

CHILD = r"""
import resource, sys, time
from pathlib import Path
import broadcaster.render, broadcaster.read, broadcaster.subtitles, jinja2, pysrt  # start-up, not measured
from broadcaster.render import RenderOptions, render_file
t = time.perf_counter()
render_file(sys.argv[1], RenderOptions(out_dir=Path(sys.argv[2]), progress=False))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def repeated(times: int, folder: Path) -> Path:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("#"))
    head, body = lines[:first], lines[first:]
    path = folder / f"x{times}.txt"
    path.write_text("\n".join(head + body * times) + "\n", encoding="utf-8")
    return path


def linear_cost(tmp: Path) -> list[dict]:
    rows = []
    for times in (1, 10, 100):
        src = repeated(times, tmp)
        runs = []
        for _ in range(3 if times < 100 else 1):
            out = subprocess.run([sys.executable, "-c", CHILD, str(src), str(tmp / f"out{times}")],
                                 capture_output=True, text=True, check=True).stdout.split()
            runs.append((float(out[0]), int(out[1])))
        seconds = min(r[0] for r in runs)
        rows.append({"times": times, "seconds": round(seconds, 3), "peak_rss_mb": round(max(r[1] for r in runs) / 1024, 1)})
    base = rows[0]["seconds"]
    for r in rows:
        r["ratio"] = round(r["seconds"] / base, 1)
    return rows


def batch(tmp: Path, count: int) -> dict:
    folder = tmp / "batch"
    folder.mkdir()
    for i in range(count):
        shutil.copy(SOURCE, folder / f"column{i:03d}.txt")
    files = sorted(folder.glob("*.txt"))
    start = time.perf_counter()
    subprocess.run([str(BIN), "render", *map(str, files), "-o", str(tmp / "b1"), "--quiet"], check=True)
    together = time.perf_counter() - start
    start = time.perf_counter()
    for f in files:
        subprocess.run([str(BIN), "render", str(f), "-o", str(tmp / "b2"), "--quiet"], check=True)
    separate = time.perf_counter() - start
    return {"transcripts": count, "one_command_s": round(together, 1), "separate_s": round(separate, 1),
            "speedup": round(separate / together, 1)}


def startup(runs: int) -> dict:
    def median(cmd):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    bare = median([sys.executable, "-c", "pass"])
    helps = median([str(BIN), "--help"])
    render_help = median([str(BIN), "render", "--help"])
    return {"python_pass_ms": round(bare), "help_ms": round(helps), "render_help_ms": round(render_help),
            "help_over_bare_ms": round(helps - bare), "render_help_over_bare_ms": round(render_help - bare)}


def accuracy(tmp: Path, voices: str | None, label: str) -> dict:
    """Character-rate estimate against the offline engine's audio-timed timeline."""
    from broadcaster.audio.cache import ClipCache
    from broadcaster.audio.synth import synthesize_turns
    from broadcaster.audio.align import layout
    from broadcaster.audio.voices import cast, load_profile
    from broadcaster.read import parse_file
    from broadcaster.render import RenderOptions, subtitle_profile
    from broadcaster.subtitles import build_track
    from broadcaster.timing import Rates, estimate

    episode = parse_file(SOURCE)
    profile = load_profile(voices)
    rates = Rates({r: v.get("chars_per_second", 4.0) for r, v in profile["roles"].items()})
    est = estimate(episode, rates)
    clips, _, _ = synthesize_turns(episode, est, "espeak", cast(episode, profile), ClipCache(tmp / f"cache-{label}"), False)
    audio = layout(est, clips, "espeak")
    turn_err = [abs((a.end_ms - a.start_ms) - (e.end_ms - e.start_ms)) / max(1, a.end_ms - a.start_ms)
                for e, a in zip(est.turns(), audio.turns()) if a.end_ms > a.start_ms]
    sub = subtitle_profile(episode, RenderOptions())
    cue_err = []
    for i, (es, au) in enumerate(zip(est.segments, audio.segments)):
        e_cues = {c.source: c.start_ms for c in build_track(est, sub, i).cues}
        for c in build_track(audio, sub, i).cues:
            if c.source in e_cues and c.start_ms > 0:
                cue_err.append(abs(e_cues[c.source] - c.start_ms) / c.start_ms)
    drift = [(e.duration_ms - a.duration_ms) / a.duration_ms for e, a in zip(est.segments, audio.segments)]
    pct = lambda xs, q: round(100 * sorted(xs)[min(len(xs) - 1, int(q * len(xs)))], 1)
    return {"profile": label, "turns": len(turn_err), "turn_error_median_pct": pct(turn_err, 0.5),
            "turn_error_p95_pct": pct(turn_err, 0.95), "cue_start_error_median_pct": pct(cue_err, 0.5),
            "cue_start_error_p95_pct": pct(cue_err, 0.95),
            "segment_end_drift_pct": [round(100 * d, 1) for d in drift],
            "programme_end_drift_pct": round(100 * (est.total_ms - audio.total_ms) / audio.total_ms, 1)}


def incremental(tmp: Path, fmt: str) -> dict:
    src = tmp / f"edit-{fmt}" / SOURCE.name
    src.parent.mkdir()
    text = SOURCE.read_text(encoding="utf-8")
    src.write_text(text, encoding="utf-8")
    env = dict(os.environ, BROADCASTER_CACHE=str(tmp / f"inc-cache-{fmt}"))
    cmd = [str(BIN), "render", str(src), "-o", str(tmp / f"inc-{fmt}"), "--audio", "--engine", "espeak",
           "--audio-format", fmt]

    def run():
        t = time.perf_counter()
        err = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stderr
        return time.perf_counter() - t, next(l for l in err.splitlines() if "clips synthesized" in l)

    cold, cold_line = run()
    lines = text.splitlines(keepends=True)
    i = next(k for k, l in enumerate(lines) if l.startswith("**") and "：" in l and len(l) > 40)
    lines[i] = lines[i].rstrip("\n") + "谢谢。\n"  # one turn edited
    src.write_text("".join(lines), encoding="utf-8")
    edited, edited_line = run()
    return {"format": fmt, "cold_s": round(cold, 2), "after_one_edit_s": round(edited, 2), "ratio": round(edited / cold, 2),
            "cold": cold_line.split("audio: ")[-1], "after_edit": edited_line.split("audio: ")[-1]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    results = {"machine": {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
                           "python": platform.python_version(), "transcript": SOURCE.name}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results["linear"] = linear_cost(tmp)
        results["batch"] = batch(tmp, 40 if args.quick else 200)
        results["startup"] = startup(7 if args.quick else 21)
        voices = tmp / "calibrated.toml"
        from broadcaster.audio.voices import default_profile_path

        shutil.copy(default_profile_path(), voices)
        subprocess.run([str(BIN), "calibrate", str(SOURCE), "--voices", str(voices)], check=True, capture_output=True)
        results["accuracy"] = [accuracy(tmp, None, "shipped"), accuracy(tmp, str(voices), "calibrated")]
        results["incremental"] = [incremental(tmp, "mp3"), incremental(tmp, "wav")]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    m = results["machine"]
    print(f"machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}; transcript {m['transcript']}")
    print("\nlinear cost (text-only render, after start-up)")
    for r in results["linear"]:
        print(f"  {r['times']:>3}x  {r['seconds']:>7.3f} s  ({r['ratio']:>5}x the 1x time)  peak RSS {r['peak_rss_mb']} MB")
    b = results["batch"]
    print(f"\nbatch: {b['transcripts']} transcripts in one command {b['one_command_s']} s; "
          f"{b['transcripts']} separate commands {b['separate_s']} s; {b['speedup']}x faster")
    s = results["startup"]
    print(f"\nstart-up (median): python -c pass {s['python_pass_ms']} ms; broadcaster --help {s['help_ms']} ms "
          f"(+{s['help_over_bare_ms']}); render --help {s['render_help_ms']} ms (+{s['render_help_over_bare_ms']})")
    print("\ntiming accuracy: character-rate estimate against espeak audio")
    for a in results["accuracy"]:
        print(f"  {a['profile']:<10} turn error median {a['turn_error_median_pct']}% p95 {a['turn_error_p95_pct']}%; "
              f"cue-start error median {a['cue_start_error_median_pct']}% p95 {a['cue_start_error_p95_pct']}%; "
              f"segment-end drift {a['segment_end_drift_pct']}%; programme-end drift {a['programme_end_drift_pct']}%")
    print("\nincremental (render --audio, espeak)")
    for i in results["incremental"]:
        print(f"  {i['format']}: cold {i['cold_s']} s ({i['cold']}); after editing one turn "
              f"{i['after_one_edit_s']} s ({i['after_edit']}); ratio {i['ratio']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
