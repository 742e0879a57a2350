"""Load test of the studio: concurrent clients uploading and rendering different transcripts.

Bounded in clients, rounds and wall time, and loopback only: it starts its own
`broadcaster serve` on a free 127.0.0.1 port (or uses --url, which must be loopback).
Each client, each round: uploads a transcript of its own (multipart), renders it
(SRT + VTT, waits for the result), and downloads the zip. Any non-2xx answer, a zip
that does not hold the SRT, or a timeout counts as an error.

    .venv/bin/python scripts/load_studio.py                  # 20 clients x 3 rounds
    .venv/bin/python scripts/load_studio.py --clients 5 --rounds 1
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from studio_server import Studio  # noqa: E402

SOURCES = [ROOT / "examples" / "column_demo.txt", ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"]
PLACES = ["青山区", "开发区", "文化路街道", "塔埠街道", "高新区", "滨湖镇", "东城区", "西城区", "南湖区", "北山乡"]


def transcripts(count: int) -> list[tuple[str, bytes]]:
    """`count` different transcripts: the demo and the column (when ../shared is there), varied."""
    texts = [p.read_text(encoding="utf-8") for p in SOURCES if p.exists()]
    out = []
    for i in range(count):
        base = texts[i % len(texts)]
        place = PLACES[i % len(PLACES)]
        text = base.replace("青山区", place).replace("枣庄经济开发区", place)
        # each client's text differs: an extra sentence in the first turn, and its own title
        lines = text.splitlines()
        first_turn = next(n for n, line in enumerate(lines) if line.startswith("**"))
        lines[first_turn] += f"今天是第{i + 1}期节目。"
        lines[next(n for n, line in enumerate(lines) if line.strip())] = f"《民生第{i + 1}期》专栏"
        out.append((f"load-{i + 1:02d}.txt", "\n".join(lines).encode("utf-8")))
    return out


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def client(studio: Studio, name: str, data: bytes, rounds: int, deadline: float, timings: dict, errors: list,
           lock: threading.Lock) -> None:
    for _ in range(rounds):
        if time.monotonic() > deadline:
            return
        try:
            t0 = time.monotonic()
            status, ep = studio.upload(name, data)
            t1 = time.monotonic()
            if status != 201:
                raise RuntimeError(f"upload {status}: {ep}")
            status, done = studio.json("POST", f"/api/episodes/{ep['id']}/render", {"options": {"formats": ["srt", "vtt"]}})
            t2 = time.monotonic()
            if status != 200:
                raise RuntimeError(f"render {status}: {done}")
            status, _, body = studio.request("GET", f"/api/episodes/{ep['id']}/files.zip")
            t3 = time.monotonic()
            if status != 200:
                raise RuntimeError(f"zip {status}")
            with zipfile.ZipFile(io.BytesIO(body)) as zf:
                if not any(n.endswith(f"/{Path(name).stem}.srt") for n in zf.namelist()):
                    raise RuntimeError("zip without the programme SRT")
            with lock:
                timings["upload"].append(t1 - t0)
                timings["render"].append(t2 - t1)
                timings["zip"].append(t3 - t2)
                timings["cycle"].append(t3 - t0)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            with lock:
                errors.append(f"{name}: {exc}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3, help="upload+render+zip cycles per client")
    ap.add_argument("--time-limit", type=float, default=600, help="seconds; no new cycle starts after it")
    ap.add_argument("--url", help="an already running studio on 127.0.0.1 (default: start one)")
    args = ap.parse_args()
    if not 1 <= args.clients <= 100 or not 1 <= args.rounds <= 20:
        ap.error("--clients 1-100, --rounds 1-20")
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            host = urlparse(args.url).hostname
            if host not in ("127.0.0.1", "localhost", "::1"):
                ap.error("the load test runs against loopback only")
            studio = Studio.__new__(Studio)
            studio.url = studio.origin = args.url.rstrip("/")
            studio.proc = None
        else:
            studio = Studio(Path(tmp) / "data", env={"BROADCASTER_CACHE": str(Path(tmp) / "cache")})
        try:
            docs = transcripts(args.clients)
            timings: dict[str, list[float]] = {"upload": [], "render": [], "zip": [], "cycle": []}
            errors: list[str] = []
            lock = threading.Lock()
            deadline = time.monotonic() + args.time_limit
            threads = [threading.Thread(target=client, args=(studio, n, d, args.rounds, deadline, timings, errors, lock))
                       for n, d in docs]
            t0 = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - t0
        finally:
            if studio.proc is not None:
                studio.stop()
    renders = len(timings["render"])
    print(f"{args.clients} clients x {args.rounds} rounds against {studio.url}: {renders} renders in {wall:.1f} s, "
          f"{len(errors)} errors, {60 * renders / wall:.1f} renders/minute")
    print("| request | n | p50 | p95 | max |\n|---|---:|---:|---:|---:|")
    for key, values in timings.items():
        if values:
            print(f"| {key} | {len(values)} | {statistics.median(values):.2f} s | {percentile(values, 0.95):.2f} s | "
                  f"{max(values):.2f} s |")
    for e in errors[:10]:
        print("error:", e)
    return 1 if errors or renders < args.clients * args.rounds else 0


if __name__ == "__main__":
    sys.exit(main())
