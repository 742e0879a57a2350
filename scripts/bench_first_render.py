"""First render and re-render of the column, whole command, many alternating runs (issue 13's 0.30 s).

    python scripts/bench_first_render.py                       # this checkout, 20 runs of each
    python scripts/bench_first_render.py --against ../other    # and another checkout, runs interleaved

"first": the cache of clauses already cut is removed before the run, so the dictionary loads
(what the first render of a new transcript costs); the compiled templates stay cached, as they
do for anyone who has rendered before. "again": the same command straight after. Each checkout
runs its own `.venv/bin/broadcaster`; the bytecode is written by a warm-up run first
(PYTHONDONTWRITEBYTECODE is unset: an installed program has its .pyc files).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMN = ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--against", type=Path, help="another checkout with its own .venv")
    ap.add_argument("--transcript", type=Path, default=COLUMN)
    ap.add_argument("--python", help="run each checkout as `PYTHON -m broadcaster` with PYTHONPATH=checkout "
                    "(checkouts without a .venv of their own, e.g. `git archive` copies)")
    args = ap.parse_args()
    trees = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        env["BROADCASTER_CACHE"] = cache = str(Path(tmp) / "cache")

        def run(tree: Path) -> float:
            exe = [args.python, "-m", "broadcaster"] if args.python else [str(tree / ".venv" / "bin" / "broadcaster")]
            start = time.perf_counter()
            subprocess.run([*exe, "render", str(args.transcript), "-o", str(Path(tmp) / "out"), "--quiet"],
                           env={**env, "PYTHONPATH": str(tree)} if args.python else env, check=True)
            return time.perf_counter() - start

        for tree in trees.values():
            run(tree)  # bytecode and compiled templates
        times: dict = {}
        for _ in range(args.runs):
            for name, tree in trees.items():
                shutil.rmtree(Path(cache) / "words", ignore_errors=True)
                times.setdefault((name, "first"), []).append(run(tree))
                times.setdefault((name, "again"), []).append(run(tree))
    print(f"{args.transcript.name}, {args.runs} runs each, load average {os.getloadavg()[0]:.2f}")
    for (name, kind), values in times.items():
        values.sort()
        print(f"  {name:8} {kind:6} median {statistics.median(values):.3f} s  min {values[0]:.3f} s  "
              f"p80 {values[int(len(values) * 0.8)]:.3f} s")


if __name__ == "__main__":
    main()
