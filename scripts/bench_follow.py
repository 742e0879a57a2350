#!/usr/bin/env python3
"""Benchmark of the voice follower on real-speech programmes, offline and in real-time-sized chunks.

Each programme (scripts/make_follow_programme.py: real recordings from ../shared/speech as host
and guest turns) is fed to broadcaster.live.follower.Follower in 100 ms chunks, as the page sends
them. Lag: at every 100 ms while a scripted word is being spoken, how far (in speech time) the
reading line's character is from the character being spoken. Recovery: after a skipped turn, the
time from the host's first word past the skip until the reading line is within 2 s of it. Stop:
after the host stops, how long the reading line still moved. Ad-lib: how far the reading line
moved while the host spoke off-script. CPU: process time of the follower over audio time.

    python scripts/bench_follow.py               # dev and blind programmes, clean and with faults
    python scripts/bench_follow.py --only dev
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_follow_programme as prog  # noqa: E402

CASES = {
    "clean": {},
    "stop": {"stop": {1: 4.0}},
    "faults": {"skip": [3], "stop": {1: 4.0}, "ad_lib": {4: "en_sherpa-sensevoice_en.wav"}},
}


def live_script(txt: Path):
    from broadcaster.live.script import build
    from broadcaster.read import parse_file
    from broadcaster.timing import estimate

    episode = parse_file(str(txt))
    return build(episode, estimate(episode))


def run(script, wav: Path, chunk_s: float = 0.1):
    from broadcaster.live.follower import Follower

    with wave.open(str(wav)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    f = Follower(script)
    step = int(16000 * chunk_s)
    trace = []
    t0 = time.process_time()
    for a in range(0, len(pcm), step):
        p = f.feed(pcm[a:a + step])
        trace.append(((a + step) / 16000, p.char, p.state, p.ratio, p.voice))
    cpu = time.process_time() - t0
    return trace, cpu / (len(pcm) / 16000), f


def lags(trace, truth):
    out = []
    for t, char, *_ in trace:
        s = prog.spoken_at(truth, t)
        if s is None:
            continue
        when = prog.time_of(truth, min(char, truth["chars"] - 0.5))
        if when is None:  # the reading line sits in a skipped turn: lag to the next spoken word
            nxt = [u["onset"] for u in truth["utterances"] if u["c0"] >= char]
            when = nxt[0] if nxt else t
        out.append(abs(t - when))
    return np.array(out)


def faults(trace, truth):
    res = {}
    for sk in truth["skipped"]:
        nxt = next(u for u in truth["utterances"] if u["c0"] >= sk["c1"])
        found = next((t for t, char, *_ in trace if t >= nxt["onset"] and char >= nxt["c0"]
                      and abs(t - (prog.time_of(truth, min(char, truth["chars"] - 0.5)) or t)) < 2.0), None)
        res["skip recovery s"] = None if found is None else found - nxt["onset"]
    for st in truth["stops"]:
        last_u = max((u for u in truth["utterances"] if u["offset"] <= st["start"]), key=lambda u: u["offset"])
        t_stop = last_u["offset"]
        moves = [t for (t, c, *_), (_, c0, *_) in zip(trace[1:], trace[:-1], strict=True)
                 if t_stop < t <= st["start"] + st["seconds"] and c > c0 + 0.5]
        res["stop: still moving s"] = (max(moves) - t_stop) if moves else 0.0
        back = next(u for u in truth["utterances"] if u["onset"] >= st["start"] + st["seconds"] - 0.5)
        moved = next((t for (t, c, *_), (_, c0, *_) in zip(trace[1:], trace[:-1], strict=True)
                      if t >= back["onset"] and c > c0 + 0.5), None)
        res["stop: moving again after s"] = None if moved is None else moved - back["onset"]
    for ad in truth["ad_libs"]:
        inside = [c for t, c, *_ in trace if ad["onset"] <= t <= ad["offset"] + 0.3]
        res["ad-lib: chars run"] = (max(inside) - inside[0]) if inside else 0.0
        res["ad-lib: states"] = sorted({s for t, c, s, *_ in trace if ad["onset"] <= t <= ad["offset"]})
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", action="append")
    ap.add_argument("--case", action="append")
    a = ap.parse_args(argv)
    names = a.only or ["dev", "blind"]
    print("| programme | case | lag median s | lag p95 s | lag max s | CPU (one core) | faults |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            for case, kw in CASES.items():
                if a.case and case not in a.case:
                    continue
                truth = prog.build(name, Path(tmp) / case, **kw)
                script = live_script(Path(tmp) / case / f"{name}.txt")
                trace, cpu, _ = run(script, Path(tmp) / case / f"{name}.wav")
                lag = lags(trace, truth)
                found = faults(trace, truth)
                extra = "; ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in found.items())
                print(f"| {name} | {case} | {np.median(lag):.2f} | {np.percentile(lag, 95):.2f} | {lag.max():.2f} | "
                      f"{cpu * 100:.1f}% | {extra or '—'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
