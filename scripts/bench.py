#!/usr/bin/env python3
"""broadcaster benchmarks: text render, word breaks, linear cost, batch, start-up, timing accuracy, edit loop.

    python scripts/bench.py                  # everything, today's code next to BASELINE's (several minutes)
    python scripts/bench.py --quick          # smaller batch, fewer runs
    python scripts/bench.py --baseline REV   # the code to compare with (default: before issue 13)
    python scripts/bench.py --full           # also 200 separate render commands
    python scripts/bench.py --batch-only 4   # only the batch of 200, this tree, 4 times (best and all)
    python scripts/bench.py --json

A benchmark, not a test: it prints figures; docs/performance.md records them. The
baseline is the git revision REV unpacked into a temporary folder and run from there
with the same Python (it needs the test extra: jieba). On a shared machine wall
times wander: CPU seconds are printed beside them, and the load average.
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
BASELINE = "0d17557"  # main before issue 13 (jieba, one programme encode, pysrt)
CORPUS = sorted((ROOT.parent / "shared" / "corpus").glob("*_*.*"))


def cli(tree: Path) -> list[str]:
    """The render command of a source tree (run with cwd=tree, so its package is the one imported)."""
    return [sys.executable, "-m", "broadcaster"]


def checkout(rev: str, folder: Path) -> Path:
    tree = folder / f"baseline-{rev}"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

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


def linear_cost(tmp: Path, tree: Path = ROOT, sizes=(1, 10, 100)) -> list[dict]:
    rows = []
    for times in sizes:
        src = repeated(times, tmp)
        runs = []
        for _ in range(5 if times == 1 else 3 if times < 100 else 1):
            out = subprocess.run([sys.executable, "-c", CHILD, str(src), str(tmp / f"out{times}")], cwd=tree,
                                 capture_output=True, text=True, check=True).stdout.split()
            runs.append((float(out[0]), int(out[1])))
        seconds = min(r[0] for r in runs)
        rows.append({"times": times, "seconds": round(seconds, 3), "peak_rss_mb": round(max(r[1] for r in runs) / 1024, 1)})
    base = rows[0]["seconds"]
    for r in rows:
        r["ratio"] = round(r["seconds"] / base, 1)
    return rows


def column_render(tmp: Path, tree: Path, runs: int) -> dict:
    """`broadcaster render COLUMN` end to end (start-up included), best wall and CPU of `runs`:
    first renders (empty caches: nothing cut or compiled before) and re-renders (the edit loop:
    the clauses were cut by an earlier render, so the dictionary need not load)."""
    out = {}
    for kind in ("first", "again"):
        walls, cpus = [], []
        shared = tmp / f"col-cache-{tree.name}"
        for i in range(runs + (kind == "again")):
            cache = shared if kind == "again" else tmp / f"col-cache-{tree.name}-{i}"
            env = dict(os.environ, BROADCASTER_CACHE=str(cache))
            before = children_cpu()
            start = time.perf_counter()
            subprocess.run(cli(tree) + ["render", str(SOURCE), "-o", str(tmp / f"col-{tree.name}-{kind}{i}"),
                                        "--quiet"], cwd=tree, check=True, capture_output=True, env=env)
            if kind == "again" and i == 0:
                continue  # the render that fills the caches
            walls.append(time.perf_counter() - start)
            cpus.append(children_cpu() - before)
        out[kind] = {"wall_s": round(min(walls), 3), "cpu_s": round(min(cpus), 3)}
    return out


def variants(folder: Path, count: int) -> list[Path]:
    """`count` transcripts: the column with a different phrase in every sentence of each copy
    (identical copies would let caches that real batches never hit do the work)."""
    import re

    folder.mkdir(exist_ok=True)
    text = SOURCE.read_text(encoding="utf-8")
    out = []
    for i in range(count):
        n = iter(range(10 ** 6))
        path = folder / f"column{i:03d}.txt"
        path.write_text(re.sub("。", lambda m, i=i, n=n: f"，第{i}次{next(n) % 7}。", text), encoding="utf-8")
        out.append(path)
    return out


def batch(tmp: Path, count: int, tree: Path = ROOT, separate: bool = False) -> dict:
    files = variants(tmp / "batch", count)
    before = children_cpu()
    start = time.perf_counter()
    subprocess.run(cli(tree) + ["render", *map(str, files), "-o", str(tmp / f"b1-{tree.name}"), "--quiet"],
                   cwd=tree, check=True)
    together = time.perf_counter() - start
    cpu = children_cpu() - before
    row = {"transcripts": count, "one_command_s": round(together, 1), "cpu_s": round(cpu, 1),
           "cpu_per_core_s": round(cpu / (os.cpu_count() or 1), 1)}
    if separate:
        start = time.perf_counter()
        for f in files:
            subprocess.run(cli(tree) + ["render", str(f), "-o", str(tmp / "b2"), "--quiet"], cwd=tree, check=True)
        row["separate_s"] = round(time.perf_counter() - start, 1)
        row["speedup"] = round(row["separate_s"] / together, 1)
    return row


def word_breaks() -> dict:
    """Cues with rjieba against cues with the Python jieba, over the column, the corpus and the
    example; and the word-break measure: line breaks that fall inside a word of jieba's."""
    import logging

    import jieba

    from broadcaster.read import parse_file
    from broadcaster.programme import tracks
    from broadcaster.render import RenderOptions
    from broadcaster.subtitles import segment, wordbreak
    from broadcaster.timing import estimate

    jieba.setLogLevel(logging.WARNING)
    sources = [p for p in [COLUMN, *CORPUS, EXAMPLE] if p.exists()]

    def cues(cut) -> dict:
        wordbreak._segmenter = lambda: cut
        wordbreak._word_ends.cache_clear()
        segment._cues_of_turn.cache_clear()
        out = {}
        for src in sources:
            ep = parse_file(src)
            for name, track in tracks(ep, estimate(ep), RenderOptions()):
                out[(src.name, name)] = [(c.start_ms, c.end_ms, c.lines, c.source, c.turn, c.segment) for c in track.cues]
        return out

    import rjieba

    def reference(text: str) -> list[str]:
        return list(jieba.cut(text, HMM=True))

    original = wordbreak._segmenter
    try:
        ours, theirs = cues(rjieba.cut), cues(reference)
    finally:
        wordbreak._segmenter = original
        wordbreak._word_ends.cache_clear()
        segment._cues_of_turn.cache_clear()

    def inside_words(all_cues: dict) -> tuple[int, int]:
        """(breaks inside a jieba word, breaks) between consecutive cues of one turn in Chinese."""
        inside = total = 0
        for cue_list in all_cues.values():
            for a, b in zip(cue_list, cue_list[1:], strict=False):
                if (a[4], a[5]) != (b[4], b[5]) or not any("\u4e00" <= ch <= "\u9fff" for ch in a[3]):
                    continue
                text = a[3] + b[3]
                ends, pos = set(), 0
                for w in reference(text):
                    pos += len(w)
                    ends.add(pos)
                total += 1
                inside += len(a[3]) not in ends
        return inside, total

    return {"inputs": len(sources), "tracks": len(ours), "cues": sum(map(len, ours.values())),
            "identical": ours == theirs, "inside_word_rjieba": inside_words(ours),
            "inside_word_jieba": inside_words(theirs)}


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
    from broadcaster.speech.cache import ClipCache
    from broadcaster.timing.synthesized import synthesize_turns
    from broadcaster.timing.synthesized import layout
    from broadcaster.speech.voices import cast, load_profile
    from broadcaster.read import parse_file
    from broadcaster.naming import subtitle_profile
    from broadcaster.render import RenderOptions
    from broadcaster.subtitles import build_track
    from broadcaster.timing import Rates, estimate

    episode = parse_file(SOURCE)
    profile = load_profile(voices)
    rates = Rates({r: v.get("chars_per_second", 4.0) for r, v in profile["roles"].items()})
    est = estimate(episode, rates)
    clips, _, _ = synthesize_turns(episode, est, "espeak", cast(episode, profile), ClipCache(tmp / f"cache-{label}"))
    audio = layout(est, clips, "espeak")
    turn_err = [abs((a.end_ms - a.start_ms) - (e.end_ms - e.start_ms)) / max(1, a.end_ms - a.start_ms)
                for e, a in zip(est.turns(), audio.turns(), strict=False) if a.end_ms > a.start_ms]
    sub = subtitle_profile(episode, RenderOptions())
    cue_err = []
    for i, (_es, _au) in enumerate(zip(est.segments, audio.segments, strict=False)):
        e_cues = {c.source: c.start_ms for c in build_track(est, sub, i).cues}
        for c in build_track(audio, sub, i).cues:
            if c.source in e_cues and c.start_ms > 0:
                cue_err.append(abs(e_cues[c.source] - c.start_ms) / c.start_ms)
    drift = [(e.duration_ms - a.duration_ms) / a.duration_ms for e, a in zip(est.segments, audio.segments, strict=False)]
    pct = lambda xs, q: round(100 * sorted(xs)[min(len(xs) - 1, int(q * len(xs)))], 1)
    return {"profile": label, "turns": len(turn_err), "turn_error_median_pct": pct(turn_err, 0.5),
            "turn_error_p95_pct": pct(turn_err, 0.95), "cue_start_error_median_pct": pct(cue_err, 0.5),
            "cue_start_error_p95_pct": pct(cue_err, 0.95),
            "segment_end_drift_pct": [round(100 * d, 1) for d in drift],
            "programme_end_drift_pct": round(100 * (est.total_ms - audio.total_ms) / audio.total_ms, 1)}


def incremental(tmp: Path, fmt: str, tree: Path = ROOT) -> dict:
    """render --audio (espeak) cold, then after one turn is edited; and whether the edited render's
    files are the bytes of a render of the edited text that reuses no encoded preview (the same
    clips: espeak is not bit-exact from one run to the next)."""
    work = tmp / f"edit-{fmt}-{tree.name}"
    src = work / SOURCE.name
    src.parent.mkdir()
    text = SOURCE.read_text(encoding="utf-8")
    src.write_text(text, encoding="utf-8")
    cache = work / "cache"
    env = dict(os.environ, BROADCASTER_CACHE=str(cache))

    def run(out: Path):
        cmd = cli(tree) + ["render", str(src), "-o", str(out), "--audio", "--engine", "espeak", "--audio-format", fmt]
        t, cpu = time.perf_counter(), children_cpu()
        err = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=tree).stderr
        cpus.append(children_cpu() - cpu)
        return time.perf_counter() - t, next(l for l in err.splitlines() if "clips synthesized" in l)

    cpus: list[float] = []
    cold, cold_line = run(work / "out")
    lines = text.splitlines(keepends=True)
    i = next(k for k, l in enumerate(lines) if l.startswith("**") and "：" in l and len(l) > 40)
    lines[i] = lines[i].rstrip("\n") + "谢谢。\n"  # one turn edited
    src.write_text("".join(lines), encoding="utf-8")
    edited, edited_line = run(work / "out")
    shutil.rmtree(cache / "previews", ignore_errors=True)  # nothing encoded kept: every preview afresh
    run(work / "fresh")
    folder = work / "out" / src.stem
    same = all((folder / f.name).read_bytes() == f.read_bytes() for f in (work / "fresh" / src.stem).iterdir()
               if not f.name.startswith("."))
    return {"format": fmt, "cold_s": round(cold, 2), "after_one_edit_s": round(edited, 2),
            "ratio": round(edited / cold, 2), "cold_cpu_s": round(cpus[0], 2), "edit_cpu_s": round(cpus[1], 2),
            "cpu_ratio": round(cpus[1] / cpus[0], 2), "cold": cold_line.split("audio: ")[-1],
            "after_edit": edited_line.split("audio: ")[-1], "same_as_fresh_render": same}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--full", action="store_true", help="also 200 separate render commands")
    ap.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--batch-only", type=int, metavar="N", help="only the batch of 200, this tree, N times")
    args = ap.parse_args()
    if args.batch_only:
        with tempfile.TemporaryDirectory() as tmp:
            rows = [batch(Path(tmp) / str(i), 200) for i in range(args.batch_only) if (Path(tmp) / str(i)).mkdir() is None]
        print(f"batch of 200, one `render` command, every core; load average {os.getloadavg()[0]:.2f} after")
        for r in rows:
            print(f"  {r['one_command_s']} s wall, {r['cpu_s']} s CPU")
        print(f"  best {min(r['one_command_s'] for r in rows)} s; target: <= 4 s")
        return 0
    results = {"machine": {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
                           "python": platform.python_version(), "transcript": SOURCE.name,
                           "load_average": os.getloadavg()[0]}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = checkout(args.baseline, tmp)
        trees = {"before": base, "now": ROOT}
        runs = 3 if args.quick else 7
        results["column"] = {k: column_render(tmp, t, runs) for k, t in trees.items()}
        results["linear"] = {k: linear_cost(tmp, t, (1, 10) if args.quick else (1, 10, 100)) for k, t in trees.items()}
        results["word_breaks"] = word_breaks()
        count = 40 if args.quick else 200
        results["batch"] = {k: batch(tmp / k, count, t, separate=args.full and k == "now")
                            for k, t in trees.items() if (tmp / k).mkdir() is None}
        results["startup"] = startup(7 if args.quick else 21)
        if not args.quick:
            voices = tmp / "calibrated.toml"
            from broadcaster.speech.voices import default_profile_path

            shutil.copy(default_profile_path(), voices)
            subprocess.run([str(BIN), "calibrate", str(SOURCE), "--voices", str(voices)], check=True,
                           capture_output=True)
            results["accuracy"] = [accuracy(tmp, None, "shipped"), accuracy(tmp, str(voices), "calibrated")]
        results["incremental"] = {k: [incremental(tmp, "mp3", t)] + ([] if args.quick else [incremental(tmp, "wav", t)])
                                  for k, t in trees.items()}
    results["machine"]["load_average_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    report(results, args.baseline)
    return 0


def report(results: dict, baseline: str) -> None:
    m = results["machine"]
    print(f"machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}; transcript {m['transcript']}; "
          f"load average {m['load_average']:.1f} -> {m['load_average_after']:.1f}")
    print(f"'before' is {baseline} (before issue 13), 'now' is this tree\n")
    c = results["column"]
    print("text-only render of the column, whole command (start-up included), best of several")
    for k in ("before", "now"):
        for kind, what in (("first", "first render"), ("again", "re-render")):
            print(f"  {k:<7} {what:<13} {c[k][kind]['wall_s']:.3f} s wall, {c[k][kind]['cpu_s']:.3f} s CPU")
    print("  target: <= 0.30 s")
    print("\nlinear cost (text-only render inside a process, after its imports)")
    for k in ("before", "now"):
        for r in results["linear"][k]:
            print(f"  {k:<7} {r['times']:>3}x  {r['seconds']:>7.3f} s  ({r['ratio']:>5}x the 1x time)  "
                  f"peak RSS {r['peak_rss_mb']} MB")
    w = results["word_breaks"]
    print(f"\nword breaks: {w['inputs']} inputs, {w['tracks']} tracks, {w['cues']} cues; rjieba's cues "
          f"{'identical to' if w['identical'] else 'DIFFER from'} jieba's; cue breaks inside a jieba word: "
          f"rjieba {w['inside_word_rjieba'][0]}/{w['inside_word_rjieba'][1]}, "
          f"jieba {w['inside_word_jieba'][0]}/{w['inside_word_jieba'][1]}")
    print("\nbatch: one `render` command, every core")
    for k in ("before", "now"):
        b = results["batch"][k]
        extra = f"; {b['transcripts']} separate commands {b['separate_s']} s ({b['speedup']}x)" if "separate_s" in b else ""
        print(f"  {k:<7} {b['transcripts']} transcripts {b['one_command_s']} s wall, {b['cpu_s']} s CPU "
              f"({b['cpu_per_core_s']} s per core){extra}")
    print("  target: <= 4 s for 200")
    s = results["startup"]
    print(f"\nstart-up (median): python -c pass {s['python_pass_ms']} ms; broadcaster --help {s['help_ms']} ms "
          f"(+{s['help_over_bare_ms']}); render --help {s['render_help_ms']} ms (+{s['render_help_over_bare_ms']})")
    if "accuracy" in results:
        print("\ntiming accuracy: character-rate estimate against espeak audio")
        for a in results["accuracy"]:
            print(f"  {a['profile']:<10} turn error median {a['turn_error_median_pct']}% p95 {a['turn_error_p95_pct']}%; "
                  f"cue-start error median {a['cue_start_error_median_pct']}% p95 {a['cue_start_error_p95_pct']}%; "
                  f"segment-end drift {a['segment_end_drift_pct']}%; programme-end drift {a['programme_end_drift_pct']}%")
    print("\nedit loop (render --audio, espeak): cold, then after editing one turn")
    for k in ("before", "now"):
        for i in results["incremental"][k]:
            print(f"  {k:<7} {i['format']}: cold {i['cold_s']} s wall / {i['cold_cpu_s']} s CPU; after the edit "
                  f"{i['after_one_edit_s']} s / {i['edit_cpu_s']} s CPU (ratio {i['ratio']} wall, {i['cpu_ratio']} CPU; "
                  f"{i['after_edit']}); same bytes as a fresh render: {i['same_as_fresh_render']}")
    print("  target: ratio <= 0.33, same bytes")

if __name__ == "__main__":
    sys.exit(main())
