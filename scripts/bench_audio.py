#!/usr/bin/env python3
"""Audio benchmark: assembly cost against pydub and a bare join; cold vs cached render.

    python scripts/bench_audio.py            # 250 and 1,000 clips against pydub sum()
    python scripts/bench_audio.py --full     # also 2,000 clips against pydub (minutes)
    python scripts/bench_audio.py --json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COLUMN = ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"
EXAMPLE = ROOT / "examples" / "column_demo.txt"


def clips(n: int, seconds: float = 3.0, rate: int = 22050):
    import numpy as np

    from broadcaster.audio.clip import Clip

    rng = np.random.default_rng(7)
    one = (rng.standard_normal(int(seconds * rate)) * 3000).astype("<i2").tobytes()
    return [Clip(one, rate) for _ in range(n)]


def assembly(n: int, with_pydub: bool) -> dict:
    from broadcaster.audio.assemble import lay_out

    cs = clips(n)
    placements, t = [], 0
    for c in cs:
        placements.append((t, c, 1.0))
        t += c.duration_ms
    start = time.perf_counter()
    ours = lay_out(placements, t, 22050).tobytes()
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    joined = b"".join(c.pcm for c in cs)
    join_s = time.perf_counter() - start
    assert joined == ours, "assembly differs from a plain join of the same frames"
    pydub_s = None
    if with_pydub:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pydub import AudioSegment
        segs = [AudioSegment(data=c.pcm, sample_width=2, frame_rate=22050, channels=1) for c in cs]
        start = time.perf_counter()
        total = sum(segs[1:], segs[0])
        pydub_s = time.perf_counter() - start
        assert total.raw_data == ours
    return {"clips": n, "ours_s": round(ours_s, 3), "bytes_join_s": round(join_s, 3),
            "pydub_sum_s": round(pydub_s, 2) if pydub_s is not None else None}


def render_with_audio() -> dict:
    from broadcaster.cli import main

    src = COLUMN if COLUMN.exists() else EXAMPLE
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BROADCASTER_CACHE"] = str(Path(tmp) / "cache")
        args = ["render", str(src), "-o", str(Path(tmp) / "out"), "--audio", "--engine", "espeak", "--quiet"]
        start = time.perf_counter()
        assert main(args) == 0
        cold = time.perf_counter() - start
        start = time.perf_counter()
        assert main(args) == 0
        cached = time.perf_counter() - start
    return {"transcript": src.name, "cold_s": round(cold, 2), "cached_s": round(cached, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="run pydub sum() on 2,000 clips too")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [assembly(n, n <= 1000 or args.full) for n in (250, 1000, 2000)]
    render = render_with_audio()
    if args.json:
        print(json.dumps({"assembly": rows, "render": render}, ensure_ascii=False, indent=1))
        return 0
    print("assembly of 3 s clips          ours      b''.join   pydub sum()")
    for r in rows:
        pd = f"{r['pydub_sum_s']:.2f} s" if r["pydub_sum_s"] is not None else "(--full)"
        print(f"  {r['clips']:>5} clips              {r['ours_s']:>6.3f} s   {r['bytes_join_s']:>6.3f} s   {pd}")
    print(f"render --audio of {render['transcript']}: cold {render['cold_s']} s, cached {render['cached_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
