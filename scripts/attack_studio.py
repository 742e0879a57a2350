#!/usr/bin/env python3
"""The studio's attack table: hostile requests against a real `broadcaster serve`, one fresh server per row.

Each row reports the HTTP status, the time to the answer and the server's peak resident memory
(VmHWM of the server process, and of its largest child) — every row must be refused with a 4xx,
quickly, with the server under 1 GB. Loopback only; the .docx bombs are built here, streamed into
a zip (nothing large is held in this process).

    python scripts/attack_studio.py                    # the table, as Markdown
    python scripts/attack_studio.py --json             # the rows as JSON
    python scripts/attack_studio.py --body-timeout 30  # the server's default (the slow-body row takes that long)
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "attack-table-token"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def server(data: Path, body_timeout: float, token: bool) -> tuple[subprocess.Popen, str, int]:
    exe = Path(sys.executable).with_name("broadcaster")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "broadcaster"]
    cmd += ["serve", "--data", str(data), "--port", "0", "--no-browser", "--workers", "1"]
    cmd += (["--body-timeout", str(body_timeout)] if body_timeout else []) + (["--token", TOKEN] if token else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("broadcaster studio: "):
        proc.kill()
        raise SystemExit(f"the studio did not start: {line}")
    where = urlsplit(line.split(": ", 1)[1].strip())
    return proc, where.hostname or "127.0.0.1", where.port or 0


def peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def raw(host: str, port: int, head: bytes, body: bytes = b"", timeout: float = 120) -> tuple[int, bytes]:
    """Send a request as bytes (so nothing is cleaned up on the way); the status and the answer."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(head + body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking the whole body: read what it said
        answer = b""
        while True:
            try:
                more = sock.recv(65536)
            except (TimeoutError, ConnectionResetError, OSError):
                break
            if not more:
                break
            answer += more
            if b"\r\n\r\n" in answer:
                top, _, rest = answer.partition(b"\r\n\r\n")
                length = next((int(h.split(b":")[1]) for h in top.split(b"\r\n") if h.lower().startswith(b"content-length:")), None)
                if length is not None and len(rest) >= length:
                    break
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer


HOST = {"header": "127.0.0.1"}  # the Host a browser on this server's page would send (set per row)


def request(method: str, path: str, *, host_header: str | None = None, headers: dict | None = None, body: bytes = b"",
            length: int | None = None, origin: str | None = "same") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host_header or HOST['header']}", "Connection: close"]
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    if method != "GET":
        lines.append(f"Content-Length: {len(body) if length is None else length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"), body


def multipart(filename: str, content_path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + content_path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def docx_bomb(path: Path, paragraphs: int, paragraph: str) -> None:
    """A Word file whose document.xml is `paragraphs` copies of one paragraph, streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                    '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                    'document.main+xml"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                    '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?><w:document {W}><w:body>'.encode())
            block = paragraph.encode("utf-8") * 1000
            for _ in range(paragraphs // 1000):
                fh.write(block)
            fh.write(paragraph.encode("utf-8") * (paragraphs % 1000))
            fh.write(b"</w:body></w:document>")


def para(text: str, bold: str = "") -> str:
    label = f'<w:r><w:rPr><w:b/></w:rPr><w:t>{bold}</w:t></w:r>' if bold else ""
    return f"<w:p>{label}<w:r><w:t>{text}</w:t></w:r></w:p>"


def rows(scratch: Path):
    """(name, uses the token server, build(host, port) -> (head, body, timeout))."""
    small = "**主持人李薇：**观众朋友们大家好。\n"
    short = ("《测试》专栏\n\n# 第一段\n\n" + small).encode()
    deep = b"[" * 200_000 + b"]" * 200_000
    bomb = scratch / "bomb.docx"  # ~250 MiB of XML in well under a megabyte
    one = para("文字" * 20)
    docx_bomb(bomb, 250 * 1048576 // len(one.encode("utf-8")), one)
    turns = scratch / "turns.docx"  # ~50 MB of XML, 66,905 turns
    docx_bomb(turns, 66_905, para("观众朋友们大家好，欢迎收看今天的节目。" * 12, "主持人李薇："))
    up_bomb, kind_bomb = multipart("炸弹.docx", bomb)
    many = scratch / "many.docx"  # 66,905 short turns: a few MB of XML, under the size cap
    docx_bomb(many, 66_905, para("大家好。", "李薇："))
    up_turns, kind_turns = multipart("turns.docx", turns)
    up_many, kind_many = multipart("many.docx", many)
    up_deep, kind_deep = multipart("deep.json", _write(scratch / "deep.json", deep))
    big = b"x" * (25 * 1048576)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    return [
        ("NUL byte in a file path", False, lambda o: request("GET", "/episodes/000000000000/files/a%00b.srt")),
        ("NUL byte in an episode id (API)", False, lambda o: request("GET", "/api/episodes/%00")),
        ("non-ASCII token in the URL", True, lambda o: request("GET", "/?token=%C3%A9%F0%A0%AE%B7")),
        ("non-ASCII bearer token", True, lambda o: request("GET", "/api/episodes", headers={"Authorization": "Bearer été"})),
        ("non-ASCII token cookie", True, lambda o: request("GET", "/api/episodes", headers={"Cookie": "studio_token=été"})),
        ("JSON nested 200,000 deep", False, lambda o: request("POST", "/api/episodes", body=deep, headers={
            "Origin": o, "Content-Type": "application/json"})),
        ("episode JSON nested 200,000 deep (upload)", False, lambda o: request("POST", "/api/episodes", body=up_deep,
                                                                              headers={"Origin": o, "Content-Type": kind_deep})),
        ("body shorter than its Content-Length", False, lambda o: request("POST", "/api/episodes", body=b'{"text": ',
                                                                        length=1000, headers={"Origin": o})),
        ("upload over the cap (25 MiB)", False, lambda o: request("POST", "/api/episodes", body=big, headers={
            "Origin": o, "Content-Type": "application/octet-stream"})),
        ("POST from another site (CSRF)", False, lambda o: request("POST", "/api/episodes", body=b'{"text": "x"}', headers={
            "Origin": "http://evil.example", "Content-Type": "application/json"})),
        ("DNS rebinding (Host: evil.example)", False, lambda o: request("GET", "/api/episodes", host_header="evil.example")),
        (f".docx bomb ({bomb.stat().st_size // 1024} KB → 250 MiB of XML)", False,
         lambda o: request("POST", "/api/episodes", body=up_bomb, headers={"Origin": o, "Content-Type": kind_bomb})),
        (f".docx of 66,905 turns ({turns.stat().st_size // 1024} KB → 50 MB of XML)", False,
         lambda o: request("POST", "/api/episodes", body=up_turns, headers={"Origin": o, "Content-Type": kind_turns})),
        (f".docx of 66,905 short turns ({many.stat().st_size // 1024} KB → "
         f"{66_905 * len(para('大家好。', '李薇：').encode()) // 1048576} MB of XML)", False,
         lambda o: request("POST", "/api/episodes", body=up_many, headers={"Origin": o, "Content-Type": kind_many})),
        ("control: a short transcript (must be 201)", False, lambda o: request("POST", "/api/episodes", body=json.dumps(
            {"name": "ok", "text": short.decode()}).encode(), headers={"Origin": o, "Content-Type": "application/json"})),
        ("control: the token (must be 200)", True, lambda o: request("GET", "/api/episodes", headers=bearer)),
    ]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--body-timeout", type=float, default=5.0, help="the server's --body-timeout, seconds")
    parser.add_argument("--rows", help="only these rows, e.g. 1-11 or 3,5 (an older server may not take --body-timeout:"
                                       " give 0 to start it without)")
    args = parser.parse_args()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        table = rows(scratch)
        wanted = set()
        for part in (args.rows or f"1-{len(table)}").split(","):
            first, _, last = part.partition("-")
            wanted |= set(range(int(first), int(last or first) + 1))
        for number, (name, guarded, build) in enumerate(table, start=1):
            if number not in wanted:
                continue
            proc, host, port = server(scratch / f"data{number}", args.body_timeout, guarded)
            try:
                HOST["header"] = f"127.0.0.1:{port}"
                head, body = build(f"http://127.0.0.1:{port}")
                t0 = time.monotonic()
                status, answer = raw(host, port, head, body)
                seconds = time.monotonic() - t0
                time.sleep(0.2)
                kids = children(proc.pid)
                server_kib = peak_kib(proc.pid)
                child_kib = max((peak_kib(k) for k in kids), default=0)
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            text = answer.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")
            try:
                message = json.loads(text)["error"]
            except (ValueError, KeyError, TypeError):
                message = text.split("<p>")[-1].split("</p>")[0] if "<p>" in text else text[:120]
            out.append({"row": number, "attack": name, "status": status, "seconds": round(seconds, 3),
                        "server_peak_mb": round(server_kib / 1024, 1), "child_peak_mb": round(child_kib / 1024, 1),
                        "traceback": "Traceback" in text, "message": message.strip()[:140]})
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print("| # | attack | status | time s | server peak RSS MB | largest child MB | answer |")
        print("|---|---|---|---|---|---|---|")
        for r in out:
            print(f"| {r['row']} | {r['attack']} | {r['status']} | {r['seconds']:.2f} | {r['server_peak_mb']:.0f} | "
                  f"{r['child_peak_mb']:.0f} | {r['message']} |")
    bad = [r for r in out if not r["attack"].startswith("control") and not 400 <= r["status"] < 500]
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
