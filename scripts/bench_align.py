#!/usr/bin/env python3
"""Benchmark of `render --recording` on real human speech: accuracy, faults, CPU per minute, peak memory.

Programmes are built from ../shared/speech by scripts/make_speech_programme.py (real speakers,
exact transcripts, pauses of 0.2-1.5 s, music, room tone, faults) and each is aligned in a child
process (the library's `align` plus the programme's subtitle track, as `render` does), so its CPU
time (user + system, children included: ffmpeg, espeak workers) and peak RSS (VmHWM of the child, or
of its largest child) are its own.

Per scenario: turns with cues (of the turns recorded), turn onset error (the turn's first cue
start against its real speech onset: median / max), cues starting outside their turn's speech
(+-250 ms), findings expected / reported / false, CPU s per audio minute, peak MB.

    python scripts/bench_align.py                 # the 2-minute scenarios, tuning and blind halves
    python scripts/bench_align.py --long          # plus 10- and 30-minute programmes
    python scripts/bench_align.py -k faults       # scenarios whose name contains "faults"

The synthetic espeak-voice benchmark of the column is scripts/bench_align_synthetic.py.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_speech_programme as mk  # noqa: E402

TOLERANCE_S = 0.25


def scenarios(long: bool = False) -> list[tuple[str, dict]]:
    """(name, build spec): spec has lang, half, and make()'s keywords."""
    out = []
    for lang in ("zh", "en"):
        for half in ("tuning", "blind"):
            base = {"lang": lang, "half": half, "minutes": 2.0}
            out += [
                (f"{lang} {half} clean raw", {**base, "seed": 1}),
                (f"{lang} {half} clean levelled, room tone 22 dB", {**base, "seed": 2, "levelled": True,
                                                                    "room_tone": 22.0}),
                (f"{lang} {half} 30 s music lead-in", {**base, "seed": 3, "lead_in": 30.0}),
                (f"{lang} {half} music bed + room tone 20 dB", {**base, "seed": 4, "bed_db": -18.0,
                                                                "room_tone": 20.0}),
                (f"{lang} {half} one file per segment (3)", {**base, "seed": 5, "segments": 3}),
                *[(f"{lang} {half} fault: {kind}", {**base, "seed": 6, "minutes": None, "faults": kind})
                  for kind in ("missing", "ad-lib", "retake", "order")],
                (f"{lang} {half} another programme", {**base, "seed": 7, "minutes": None, "other": True}),
            ]
    if long:
        out += [("zh all 10 min", {"lang": "zh", "half": None, "minutes": 10.0, "seed": 8, "room_tone": 22.0}),
                ("en all 10 min", {"lang": "en", "half": None, "minutes": 10.0, "seed": 9, "room_tone": 22.0}),
                ("zh all 30 min", {"lang": "zh", "half": None, "minutes": 30.0, "seed": 10, "room_tone": 22.0}),
                ("en all 30 min", {"lang": "en", "half": None, "minutes": 30.0, "seed": 11, "room_tone": 22.0})]
    return out


def build(name: str, spec: dict, work: Path) -> dict:
    """Make the scenario's programme (script, wav(s), truth) in work; returns the truth."""
    utts = mk.utterances(spec["lang"], spec["half"])
    kw = {k: v for k, v in spec.items() if k not in ("lang", "half", "faults", "other")}
    stem = "".join(ch if ch.isalnum() else "_" for ch in name)
    if spec.get("faults"):
        # the ad-lib: an utterance of 3-8 s kept out of the script (the one nearest 5 s)
        spare = [min(utts, key=lambda u: (u["speech_offset_s"] - u["speech_onset_s"] < 3.0,
                                          abs(u["speech_offset_s"] - u["speech_onset_s"] - 5.0)))]
        rest = [u for u in utts if u is not spare[0]]
        return mk.make(work, stem, rest, faults=((spec["faults"], None),), spare=spare, **kw)
    if spec.get("other"):
        # the script is one half of the utterances, the recording the other half (the same speakers' other text)
        script, other = utts[::2], utts[1::2]
        return mk.make(work, stem, script, recorded=other, **kw)
    return mk.make(work, stem, utts, **kw)


CHILD = r"""
import json, resource, sys, time
from broadcaster.read import parse_file
try:
    from broadcaster.options import RenderOptions
    from broadcaster.programme import tracks
except ImportError:  # a checkout from before the options/programme split (for a baseline run)
    from broadcaster.render import RenderOptions, tracks
from broadcaster.timing import estimate
from broadcaster.timing.recording import align
from broadcaster.timing.recording.report import cue_confidence
script, wavs = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
episode = parse_file(script)
timeline, alignment = align(episode, estimate(episode), wavs)
track = tracks(episode, timeline, RenderOptions(recordings=tuple(wavs), progress=False))[0][1]
conf = cue_confidence(track, timeline, alignment)
s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
# VmHWM, not ru_maxrss: Linux carries the forking parent's peak across exec into ru_maxrss
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM")) / 1024
print(json.dumps({
    "wall": time.perf_counter() - t,
    "cpu": s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime,
    "peak_mb": max(hwm, c.ru_maxrss / 1024),
    "cues": [[q.segment, q.turn, q.start_ms / 1000, q.end_ms / 1000] for q in track.cues],
    "low": sum(1 for x in conf if x < 0.5),
    "findings": [[f.kind, f.segment, f.turn, f.start_s, f.end_s] for f in alignment.findings],
}))
"""


def run(truth: dict, work: Path) -> dict:
    wavs = [str(work / f) for f in truth["files"]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(work / truth["script"]), *wavs], capture_output=True,
                          text=True, cwd=str(ROOT), env=env)
    if proc.returncode != 0:
        raise SystemExit(f"{truth['name']}: alignment failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def evaluate(out: dict, truth: dict) -> dict:
    """Score an alignment (cues [(segment, turn, start s, end s)], findings [(kind, segment, turn, a, b)])."""
    import numpy as np

    takes = {(t["segment"], t["turn"]): t["takes"] for t in truth["turns"]}
    first: dict = {}
    outside = []
    for seg, turn, start, _ in out["cues"]:
        tk = takes.get((seg, turn), [])
        first.setdefault((seg, turn), start)
        if not any(a - TOLERANCE_S <= start <= b + TOLERANCE_S for a, b in tk):
            outside.append((seg, turn, round(start, 2)))
    present = [k for k, tk in takes.items() if tk]
    errors = {k: min(abs(first[k] - a) for a, _ in takes[k]) for k in present if k in first}
    err = np.array(list(errors.values())) * 1000 if errors else np.zeros(1)
    expected = truth["faults"]
    mismatch = any(f["kind"] == "mismatch" for f in expected)
    matched = set()
    false = []
    for f in out["findings"]:
        kind, seg, turn, a, b = f
        hit = None
        for i, e in enumerate(expected):
            if e["kind"] != kind:
                continue
            if kind == "mismatch" or (kind in ("missing", "retake") and (seg, turn) == (e["segment"], e["turn"])) \
                    or (kind == "order" and seg == e["segment"] and turn in (e["turn"], e["other"])) \
                    or (kind == "ad-lib" and a < e["range"][1] and b > e["range"][0]):
                hit = i
                break
        if hit is not None:
            matched.add(hit)
        elif not mismatch:  # under "another programme?" the per-turn findings are its detail
            false.append(f)
    return {"turns": len(present), "with_cues": len([k for k in present if k in first]),
            "median_ms": float(np.median(err)), "max_ms": float(err.max()),
            "worst": max(errors, key=lambda k: errors[k]) if errors else None,
            "outside": outside, "expected": len(expected), "reported": len(matched), "false": false,
            "minutes": truth["duration_s"] / 60, "cpu_per_min": out["cpu"] / (truth["duration_s"] / 60),
            "peak_mb": out["peak_mb"], "low": out["low"], "cues": len(out["cues"])}


def row(name: str, r: dict) -> str:
    cues = "—" if r["turns"] == 0 else f"{r['with_cues']}/{r['turns']}"
    onset = "—" if not r["with_cues"] else f"{r['median_ms']:.0f} / {r['max_ms']:.0f} ms"
    return (f"| {name} | {r['minutes']:.1f} | {cues} | {onset} | {len(r['outside'])}/{r['cues']} | "
            f"{r['expected']}/{r['reported']}/{len(r['false'])} | {r['low']} | {r['cpu_per_min']:.2f} | "
            f"{r['peak_mb']:.0f} |")


HEADER = ("| scenario | min | turns with cues | onset median / max | cues outside speech | "
          "findings expected/reported/false | low-confidence cues | CPU s/min | peak MB |\n"
          "|---|---:|---:|---|---:|---:|---:|---:|---:|")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--long", action="store_true", help="also the 10- and 30-minute programmes")
    ap.add_argument("-k", default="", help="only scenarios whose name contains this")
    ap.add_argument("--keep", help="folder for the programmes (default: a temporary one)")
    ap.add_argument("--json", help="also write the rows here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the worst turn, cues outside, false findings")
    a = ap.parse_args(argv)
    if not (mk.SPEECH / "speech.json").exists():
        raise SystemExit(f"{mk.SPEECH} not found: ../shared must sit beside the checkout")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(a.keep or tmp)
        print(HEADER, flush=True)
        for name, spec in scenarios(a.long):
            if a.k not in name:
                continue
            truth = build(name, spec, work)
            r = evaluate(run(truth, work), truth)
            rows.append({"scenario": name, **{k: v for k, v in r.items() if k != "worst"}})
            print(row(name, r), flush=True)
            if a.verbose:
                print(f"    worst turn {r['worst']}; outside {r['outside'][:6]}; false {r['false'][:4]}",
                      flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
