"""Start the studio as users do (`broadcaster serve`) on a free loopback port, and talk HTTP to it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Studio:
    def __init__(self, data_dir: Path, *args: str, env: dict | None = None):
        exe = Path(sys.executable).with_name("broadcaster")
        cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "broadcaster"]),
               "serve", "--data", str(data_dir), "--port", "0", "--no-browser", *args]
        env = {**os.environ, **(env or {})}
        if env.get("BROADCASTER_STUDIO_TEST_CRASH"):  # tests/hooks: such renders kill their worker
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "tests" / "hooks"), env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        if not line.startswith("broadcaster studio: "):
            self.proc.kill()
            raise RuntimeError(f"studio did not start: {line}{self.proc.stderr.read()}")
        self.link = line.split(": ", 1)[1].strip()  # with ?token=… when there is one
        self.url = self.link.split("?")[0].rstrip("/")
        self.origin = self.url

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def request(self, method: str, path: str, body=None, headers: dict | None = None, timeout: float = 120):
        """(status, headers, body bytes); JSON bodies for dicts, same-origin by default like the page."""
        hdrs = {"Origin": self.origin} if method != "GET" else {}
        data = None
        if isinstance(body, dict):
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        elif isinstance(body, bytes):
            data = body
        hdrs.update(headers or {})
        hdrs = {k: v for k, v in hdrs.items() if v is not None}
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=hdrs)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def json(self, method: str, path: str, body=None, headers=None, expect: int | None = None):
        status, _, data = self.request(method, path, body, headers)
        value = json.loads(data) if data else None
        if expect is not None:
            assert status == expect, (status, value)
        return status, value

    def upload(self, filename: str, content: bytes, headers=None):
        body, kind = multipart(filename, content)
        status, _, data = self.request("POST", "/api/episodes", body, {"Content-Type": kind, **(headers or {})})
        return status, json.loads(data)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def wait_job(studio: Studio, job_id: str, limit: float = 120) -> dict:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        _, job = studio.json("GET", f"/api/jobs/{job_id}")
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {limit} s")
