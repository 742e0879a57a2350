"""Jobs that cannot be orphaned: kill -9 of `broadcaster serve` during a preview-video render leaves no
render process behind, and the next server reports the job as interrupted (API and page) with a retry,
while the last finished set stays the one shown."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from browser import shot
from studio_server import Studio
from test_studio import SHORT

pytestmark = pytest.mark.browser


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie no one has reaped yet has stopped running


def test_kill_9_during_a_render_is_reported_and_leaves_no_process(tmp_path, chromium):  # noqa: F811
    data = tmp_path / "data"
    env = {"BROADCASTER_CACHE": str(tmp_path / "cache")}
    studio = Studio(data, "--workers", "1", env=env)
    try:
        _, ep = studio.json("POST", "/api/episodes", {"name": "kill", "text": SHORT}, expect=201)
        eid = ep["id"]
        _, first = studio.json("POST", f"/api/episodes/{eid}/render", {}, expect=200)
        shown = {f["name"] for f in first["files"]}
        studio.json("POST", f"/api/episodes/{eid}/versions", {"text": SHORT * 4, "base": 1}, expect=200)
        status, started = studio.json("POST", f"/api/episodes/{eid}/render",
                                      {"options": {"video": True, "video_size": "640x360"}})
        assert status == 202
        job_id = started["job"]["id"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until ffmpeg is encoding the preview video
            _, job = studio.json("GET", f"/api/jobs/{job_id}")
            if job["progress"].get("phase") == "video" and job["progress"].get("done", 0) > 0:
                break
            time.sleep(0.1)
        assert job["status"] == "running", job
        tree = descendants(studio.proc.pid)
        assert len(tree) >= 3, tree  # the forkserver, the render process, its ffmpeg
    finally:
        os.kill(studio.proc.pid, signal.SIGKILL)
        studio.proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in tree):
        time.sleep(0.1)
    assert not [p for p in tree if alive(p)], "render processes outlived the server"

    again = Studio(data, "--workers", "1", env=env)
    try:
        _, job = again.json("GET", f"/api/jobs/{job_id}", expect=200)
        assert job["status"] == "interrupted" and "stopped while this render ran" in job["error"]
        assert job["retry"] == f"/api/jobs/{job_id}/retry"
        _, files = again.json("GET", f"/api/episodes/{eid}/files", expect=200)
        assert {f["name"] for f in files["files"]} == shown and files["set"]["version"] == 1  # the finished set stays
        assert sorted(p.name for p in (data / "episodes" / eid / "renders").iterdir()) == [first["job"]["id"]]

        context = chromium.new_context()
        context.add_cookies([{"name": "studio_lang", "value": "en", "url": again.url}])
        page = context.new_page()
        page.goto(f"{again.url}/episodes/{eid}")
        page.wait_for_selector("[data-testid=retry]", state="visible")
        assert "interrupted" in page.inner_text("[data-testid=error]")
        assert page.inner_text("[data-testid=status]") == "render interrupted"
        shot(page, "interrupted")
        page.click("[data-testid=retry]")  # once more: the settings still ask for the video
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('done in')",
                               timeout=120_000)
        _, files = again.json("GET", f"/api/episodes/{eid}/files", expect=200)
        assert files["set"]["version"] == 2 and any(f["name"].endswith(".preview.mp4") for f in files["files"])
        context.close()
    finally:
        again.stop()


def test_a_restart_during_a_render_is_reported_as_interrupted(tmp_path):
    """Ctrl-C / SIGTERM (the studio stops as it should): the render processes go with it, and the next
    server says the job was interrupted, not failed."""
    data = tmp_path / "data"
    env = {"BROADCASTER_CACHE": str(tmp_path / "cache")}
    studio = Studio(data, "--workers", "1", env=env)
    _, ep = studio.json("POST", "/api/episodes", {"name": "restart", "text": SHORT * 4}, expect=201)
    status, started = studio.json("POST", f"/api/episodes/{ep['id']}/render",
                                  {"options": {"video": True, "video_size": "640x360"}})
    assert status == 202
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, job = studio.json("GET", f"/api/jobs/{started['job']['id']}")
        if job["progress"].get("phase") == "video":
            break
        time.sleep(0.1)
    tree = descendants(studio.proc.pid)
    studio.stop()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in tree):
        time.sleep(0.1)
    assert not [p for p in tree if alive(p)]
    again = Studio(data, "--workers", "1", env=env)
    try:
        _, job = again.json("GET", f"/api/jobs/{started['job']['id']}", expect=200)
        assert job["status"] == "interrupted" and job["retry"], job
        _, files = again.json("GET", f"/api/episodes/{ep['id']}/files", expect=200)
        assert files["files"] == [] and files["set"] is None
    finally:
        again.stop()
