#!/usr/bin/env python3
"""Audio benchmark: the race against the edge-tts CLI; assembly against pydub; cold vs cached render.

    python scripts/bench_audio.py            # race on the column (a few minutes), assembly, render
    python scripts/bench_audio.py --quick    # race on the example (12 turns)
    python scripts/bench_audio.py --full     # also 2,000 clips against pydub (minutes)
    python scripts/bench_audio.py --json

The race: one loopback server speaking edge-tts's protocol (tests/edge_loopback.py, in a
process of its own) with the service's pace: 150 ms to the first audio byte, audio streamed
at 5x real time, real espeak-made mp3 and boundaries. Against it, what a user without
broadcaster would script: the installed `edge-tts` console script, once per turn as a shell
loop would call it (pointed at the server by scripts/edge_tts_loopback/sitecustomize.py);
and broadcaster's edge engine on the same turns. Every clip's audio must be the same bytes.
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

    from broadcaster.speech.clip import Clip

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


RACE_CHILD = r"""
import asyncio, hashlib, json, sys, time
from broadcaster.speech import edge
from broadcaster.speech.voices import cast, load_profile
from broadcaster.read import parse_file
from broadcaster.timing import estimate
from broadcaster.timing.synthesized import turn_script
episode = parse_file(sys.argv[1])
voices = cast(episode, load_profile())
turns = [t for t in estimate(episode).turns() if t.phrases]
jobs = [(turn_script(t)[0], voices[t.speaker], f"turn {i + 1}") for i, t in enumerate(turns)]
start = time.perf_counter()
clips = asyncio.run(edge.synthesize_all(jobs, lambda i, clip: None))
took = time.perf_counter() - start
print(json.dumps({"seconds": took, "pcm": [hashlib.sha256(c.pcm).hexdigest() for c in clips]}))
"""


def _turn_jobs(source: Path):
    from broadcaster.speech.voices import cast, load_profile
    from broadcaster.read import parse_file
    from broadcaster.timing import estimate
    from broadcaster.timing.synthesized import turn_script

    episode = parse_file(source)
    voices = cast(episode, load_profile())
    return [(turn_script(t)[0], voices[t.speaker]) for t in estimate(episode).turns() if t.phrases]


def _requests(text: str) -> list[str]:
    """The texts edge-tts sends for one call (it splits at 4,096 bytes), as the server reads them."""
    from xml.sax.saxutils import escape, unescape

    from edge_tts.communicate import remove_incompatible_characters, split_text_by_byte_length

    return [unescape(c.decode() if isinstance(c, bytes) else c)
            for c in split_text_by_byte_length(escape(remove_incompatible_characters(text)), 4096)]


def race(source: Path, first_byte_ms: float = 150, pace: float = 5) -> dict:
    """The edge-tts CLI once per turn against broadcaster's edge engine, one loopback server."""
    import hashlib
    import subprocess
    import urllib.request

    from broadcaster.speech.edge import decode_mp3

    jobs = _turn_jobs(source)
    server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "edge_loopback.py"), "--first-byte-ms",
                               str(first_byte_ms), "--pace", str(pace)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        port = url.split(":")[2].split("/")[0]
        # the server makes every clip now, so the timed runs see only the service's pace
        wanted = [[piece, v.edge_voice, v.edge_rate] for text, v in jobs for piece in _requests(text)]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/prepare", json.dumps(wanted).encode(),
                                         {"Content-Type": "application/json"})
        served = json.loads(urllib.request.urlopen(request, timeout=600).read())
        env = dict(os.environ, PYTHONPATH=str(ROOT / "scripts" / "edge_tts_loopback"), EDGE_TTS_WSS_URL=url)
        cli = Path(sys.executable).parent / "edge-tts"
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            start = time.perf_counter()
            for i, (text, v) in enumerate(jobs):  # as a shell loop would: one process per turn
                subprocess.run([str(cli), "--voice", v.edge_voice, f"--rate={v.edge_rate}", f"--volume={v.edge_volume}",
                                f"--pitch={v.edge_pitch}", "--text", text, "--write-media", str(out / f"{i:03d}.mp3"),
                                "--write-subtitles", str(out / f"{i:03d}.srt")], env=env, check=True,
                               capture_output=True)
            cli_s = time.perf_counter() - start
            child = subprocess.run([sys.executable, "-c", RACE_CHILD, str(source)], env=env, check=True,
                                   capture_output=True, text=True, cwd=tmp)
            ours = json.loads(child.stdout)
            start = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "broadcaster"), "render", str(source), "-o",
                            str(out / "render"), "--audio", "--engine", "edge", "--cache-dir", str(out / "cache"),
                            "--quiet"], env=env, check=True, capture_output=True)
            render_s = time.perf_counter() - start
            mp3s = [(out / f"{i:03d}.mp3").read_bytes() for i in range(len(jobs))]
    finally:
        server.stdin.close()
        server.wait(30)
    single = [i for i, (text, _) in enumerate(jobs) if len(_requests(text)) == 1]
    offsets, k = [], 0
    for text, _ in jobs:
        offsets.append(k)
        k += len(_requests(text))
    same_mp3 = sum(hashlib.sha256(mp3s[i]).hexdigest() == served[offsets[i]] for i in single)
    pcms = [decode_mp3(m) for m in mp3s]
    same_pcm = sum(hashlib.sha256(p).hexdigest() == h for p, h in zip(pcms, ours["pcm"], strict=True))
    audio_s = sum(len(p) / 2 / 24000 for p in pcms)
    floor_s = sum(first_byte_ms / 1000 * len(_requests(t)) for t, _ in jobs) + audio_s / pace
    return {"transcript": source.name, "turns": len(jobs), "audio_s": round(audio_s, 1),
            "first_byte_ms": first_byte_ms, "pace": pace, "sequential_floor_s": round(floor_s, 1),
            "cli_s": round(cli_s, 1), "engine_s": round(ours["seconds"], 1), "render_s": round(render_s, 1),
            "speedup_engine": round(cli_s / ours["seconds"], 1), "speedup_render": round(cli_s / render_s, 1),
            "identical_mp3": f"{same_mp3}/{len(single)}", "identical_pcm": f"{same_pcm}/{len(jobs)}"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="run pydub sum() on 2,000 clips too")
    ap.add_argument("--quick", action="store_true", help="race on the example, not the column")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    source = EXAMPLE if args.quick or not COLUMN.exists() else COLUMN
    raced = race(source)
    if not args.json:  # the race first: it is the figure that takes longest to make
        print_race(raced)
    rows = [assembly(n, n <= 1000 or args.full) for n in (250, 1000, 2000)]
    render = render_with_audio()
    if args.json:
        print(json.dumps({"race": raced, "assembly": rows, "render": render}, ensure_ascii=False, indent=1))
        return 0
    print("\nassembly of 3 s clips          ours      b''.join   pydub sum()")
    for r in rows:
        pd = f"{r['pydub_sum_s']:.2f} s" if r["pydub_sum_s"] is not None else "(--full)"
        print(f"  {r['clips']:>5} clips              {r['ours_s']:>6.3f} s   {r['bytes_join_s']:>6.3f} s   {pd}")
    print(f"render --audio of {render['transcript']}: cold {render['cold_s']} s, cached {render['cached_s']} s")
    return 0


def print_race(r: dict) -> None:
    print(f"race on {r['transcript']}: {r['turns']} turns, {r['audio_s']} s of audio; loopback edge server with "
          f"{r['first_byte_ms']:g} ms to first byte, audio at {r['pace']:g}x real time "
          f"(one request after another cannot beat {r['sequential_floor_s']} s)")
    print(f"  edge-tts CLI, once per turn (shell loop)   {r['cli_s']:>7.1f} s")
    print(f"  broadcaster edge engine, all turns         {r['engine_s']:>7.1f} s   {r['speedup_engine']}x faster "
          f"(target >= 3x)")
    print(f"  broadcaster render --audio --engine edge   {r['render_s']:>7.1f} s   {r['speedup_render']}x faster "
          f"(whole render: subtitles, prompter, previews too)")
    print(f"  same audio as the CLI: mp3 bytes {r['identical_mp3']} clips, decoded samples {r['identical_pcm']} clips")

if __name__ == "__main__":
    sys.exit(main())
