#!/usr/bin/env python3
"""Operator remote latency: commands from an operator to N prompter displays through `broadcaster serve`.

Loopback only. Starts the studio as users do, renders the example, opens the talent page in headless
Chromium N times (a tablet and a 1920x1080 monitor by turns), starts the scroll, then sends commands
over the relay's WebSocket as the remote page does and times each display's obedience:

- one-way: the command's send time (operator) to the moment the display's page had applied it
  (its state changed, before the next paint), read from one clock (same machine);
- round trip: send to the operator receiving that display's report back.

    python scripts/bench_remote.py                  # 2 displays, 200 commands, 100 ms apart
    python scripts/bench_remote.py --displays 4 --commands 500 --interval 0.05 --json
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "column_demo.txt"
CHROMIUM = "/usr/bin/chromium"


def start_studio(data: Path) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).with_name("broadcaster")
    proc = subprocess.Popen([str(exe), "serve", "--data", str(data), "--port", "0", "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("broadcaster studio: "):
        proc.kill()
        raise SystemExit(f"studio did not start: {line}{proc.stderr.read()}")
    url = line.split(": ", 1)[1].strip().split("?")[0].rstrip("/")
    assert url.startswith("http://127.0.0.1:"), "loopback only"
    return proc, url


def call(url: str, method: str, path: str, body: dict) -> dict:
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json", "Origin": url})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--displays", type=int, default=2)
    ap.add_argument("--commands", type=int, default=200)
    ap.add_argument("--interval", type=float, default=0.1, help="seconds between commands")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from websockets.sync.client import connect

    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_studio(Path(tmp))
        try:
            ep = call(url, "POST", "/api/episodes", {"name": "column_demo.txt", "text": EXAMPLE.read_text("utf-8")})
            call(url, "POST", f"/api/episodes/{ep['id']}/render", {})
            page = "column_demo.prompter.html"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                pages = []
                for i in range(args.displays):
                    size = (768, 1024) if i % 2 == 0 else (1920, 1080)
                    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
                    p = ctx.new_page()
                    p.goto(f"{url}/episodes/{ep['id']}/files/{page}?countdown=0")
                    pages.append(p)
                ws_url = url.replace("http://", "ws://") + f"/remote/{ep['id']}/ws?role=operator&page={page}"
                results: dict[tuple[int, int], dict] = {}
                sent: dict[int, float] = {}
                kinds: dict[int, str] = {}
                done = threading.Event()
                with connect(ws_url, origin=url, open_timeout=10) as op:
                    def listen():
                        while not done.is_set():
                            try:
                                m = json.loads(op.recv(timeout=0.5))
                            except TimeoutError:
                                continue
                            except Exception:  # noqa: BLE001 - closed at the end
                                return
                            ack, display = m.get("ack"), m.get("display")
                            if m.get("type") == "state" and ack in sent and (ack, display) not in results:
                                results[(ack, display)] = {"cmd": kinds[ack], "oneway": m["applied"] - sent[ack],
                                                           "rtt": time.time() * 1000 - sent[ack]}

                    listener = threading.Thread(target=listen, daemon=True)
                    listener.start()
                    deadline = time.monotonic() + 20
                    while time.monotonic() < deadline:  # every display joined (its page connected)
                        if all(p.evaluate("window.prompter && window.prompter.remote === true") for p in pages):
                            break
                        time.sleep(0.1)
                    op.send(json.dumps({"type": "cmd", "cmd": "play", "value": True, "id": 0}))
                    time.sleep(1.0)  # the displays scroll while they are commanded, as on air
                    for i in range(1, args.commands + 1):
                        if i % 20 == 0:
                            cmd = {"cmd": "font", "step": 1 if i % 40 else -1}
                        elif i % 10 == 0:
                            cmd = {"cmd": "segment", "step": 1 if i % 20 else -1}
                        else:
                            cmd = {"cmd": "speed", "step": 1 if i % 2 else -1}
                        kinds[i] = cmd["cmd"]
                        sent[i] = time.time() * 1000
                        op.send(json.dumps({"type": "cmd", "id": i, "sent": sent[i], **cmd}))
                        time.sleep(args.interval)
                    time.sleep(1.0)
                    done.set()
                    listener.join(2)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    oneway = [r["oneway"] for r in results.values()]
    rtt = [r["rtt"] for r in results.values()]
    expected = args.commands * args.displays
    report = {"displays": args.displays, "commands": args.commands, "interval_s": args.interval,
              "answered": len(results), "expected": expected,
              "oneway_ms": {"p50": statistics.median(oneway), "p95": pct(oneway, 95), "p99": pct(oneway, 99),
                            "max": max(oneway)},
              "rtt_ms": {"p50": statistics.median(rtt), "p95": pct(rtt, 95), "p99": pct(rtt, 99), "max": max(rtt)},
              "by_command": {c: {"n": len(v), "p50": statistics.median(v), "p95": pct(v, 95), "max": max(v)}
                             for c in sorted({r["cmd"] for r in results.values()})
                             for v in [[r["oneway"] for r in results.values() if r["cmd"] == c]]},
              "cores": os.cpu_count(), "load_average_1min": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{args.displays} displays, {args.commands} commands {args.interval * 1000:.0f} ms apart, "
              f"{len(results)}/{expected} answered")
        for name, key in (("one-way (display applied)", "oneway_ms"), ("round trip (report back)", "rtt_ms")):
            v = report[key]
            print(f"  {name:28} p50 {v['p50']:6.1f} ms   p95 {v['p95']:6.1f} ms   p99 {v['p99']:6.1f} ms   "
                  f"max {v['max']:6.1f} ms")
        for c, v in report["by_command"].items():
            print(f"    one-way, {c:19} p50 {v['p50']:6.1f} ms   p95 {v['p95']:6.1f} ms   max {v['max']:6.1f} ms   (n={v['n']})")
        print(f"  load average during the run: {report['load_average_1min']:.1f} on {report['cores']} cores")
    return 0 if len(results) == expected and report["oneway_ms"]["p95"] < 150 else 1


if __name__ == "__main__":
    sys.exit(main())
