"""The studio over real HTTP, started as users start it: API, versions, security, crashes, audio jobs."""
from __future__ import annotations

import io
import json
import time
import zipfile

import pysrt
import pytest
import srt

from studio_server import Studio, wait_job

SHORT = """《测试》专栏

# 第一段 开场

记者 王小明

**主持人李薇：**观众朋友们大家好，欢迎收看。今天我们来到开发区。

**开发区管委会副主任李大星：**谢谢。我们今年的工作重点是招商引资。

# 第二段 展望

**主持人李薇：**那么明年呢？

**开发区管委会副主任李大星：**明年我们继续努力，
"""


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    s = Studio(tmp_path_factory.mktemp("data"), "--workers", "2",
               env={"BROADCASTER_STUDIO_TEST_CRASH": "CRASH-THIS-RENDER", "BROADCASTER_CACHE": str(cache)})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    s = Studio(tmp_path_factory.mktemp("guarded"), "--token", "s3cret-token", "--max-upload", "0.5",
               "--body-timeout", "1.5")
    yield s
    s.stop()


def paste(studio, text=SHORT, name="short"):
    return studio.json("POST", "/api/episodes", {"name": name, "text": text}, expect=201)[1]


def test_upload_column_render_and_zip(studio, column_path):
    status, ep = studio.upload(column_path.name, column_path.read_bytes())
    assert status == 201, ep
    assert (ep["segments"], ep["turns"]) == (3, 32)
    assert [w["line"] for w in ep["warnings"]] == [19, 23, 45, 86, 98]
    _, full = studio.json("GET", f"/api/episodes/{ep['id']}", expect=200)
    assert full["settings"] == {} and full["text"].splitlines()[2] == "《干部作风建设提升》专栏"
    status, done = studio.json("POST", f"/api/episodes/{ep['id']}/render",
                               {"options": {"formats": ["srt", "vtt"], "hard_out_ms": "20:00"}}, expect=200)
    names = {f["name"] for f in done["files"]}
    stem = column_path.stem
    assert {f"{stem}.srt", f"{stem}.vtt", f"{stem}.prompter.html", f"{stem}.rundown.md"} <= names
    status, headers, data = studio.request("GET", f"/api/episodes/{ep['id']}/files.zip")
    assert status == 200 and f'filename="{stem}.v1.zip"' in headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}
    assert set(members) == names
    programme = list(srt.parse(members[f"{stem}.srt"].decode("utf-8")))
    assert len(programme) > 300
    per_segment = [n for n in members if n.endswith(".srt") and n != f"{stem}.srt"]
    assert len(per_segment) == 3
    for name in per_segment:
        subs = pysrt.from_string(members[name].decode("utf-8"))
        assert subs[0].start.ordinal < 1000  # each segment timed from zero
    assert "back-time" in members[f"{stem}.rundown.md"].decode()
    _, preview = studio.json("GET", f"/api/episodes/{ep['id']}/preview", expect=200)
    assert len(preview["cues"]) == len(programme) and preview["violations"] == 0
    assert preview["rundown"][0]["backtime"] == "20:00"


def test_versions_conflict_and_restore(studio):
    ep = paste(studio)
    eid = ep["id"]
    _, v2 = studio.json("POST", f"/api/episodes/{eid}/versions", {"text": SHORT + "\n补充。", "base": 1}, expect=200)
    assert v2["version"] == 2
    status, refused = studio.json("POST", f"/api/episodes/{eid}/versions", {"text": "another tab", "base": 1})
    assert status == 409 and refused["current"] == 2 and "nothing was overwritten" in refused["error"]
    _, v = studio.json("GET", f"/api/episodes/{eid}/versions/2", expect=200)
    assert v["text"].endswith("补充。")  # the other tab's save is intact
    _, restored = studio.json("POST", f"/api/episodes/{eid}/versions/1/restore", {"base": 2}, expect=200)
    assert restored["version"] == 3 and restored["text"] == SHORT
    _, history = studio.json("GET", f"/api/episodes/{eid}/versions", expect=200)
    assert [h["version"] for h in history["versions"]] == [3, 2, 1]


def test_live_check_reports_warnings_without_saving(studio):
    ep = paste(studio)
    _, checked = studio.json("POST", f"/api/episodes/{ep['id']}/check", {"text": SHORT + "\n**：**\n"}, expect=200)
    assert checked["turns"] == 4
    _, same = studio.json("GET", f"/api/episodes/{ep['id']}", expect=200)
    assert same["version"] == 1


@pytest.mark.parametrize("method,path,body,status", [
    ("GET", "/api/episodes/000000000000", None, 404),
    ("GET", "/api/episodes/..%2F..%2Fetc", None, 404),
    ("GET", "/episodes/zzz/files/..%2Fmeta.json", None, 404),
    ("POST", "/api/episodes", b"{not json", 400),
    ("POST", "/api/episodes", {"name": "x", "text": "   "}, 400),
    ("POST", "/api/episodes", {"name": "x"}, 400),
])
def test_errors_are_json(studio, method, path, body, status):
    headers = {"Content-Type": "application/json"} if isinstance(body, bytes) else None
    got, _, data = studio.request(method, path, body, headers)
    assert got == status
    if path.startswith("/api/"):
        assert isinstance(json.loads(data)["error"], str)
    else:
        assert b"<h1>404</h1>" in data


def test_bad_settings_named(studio):
    ep = paste(studio)
    status, err = studio.json("POST", f"/api/episodes/{ep['id']}/settings", {"options": {"fps": "23"}})
    assert status == 400 and "Frame rate" in err["error"]
    status, err = studio.json("POST", f"/api/episodes/{ep['id']}/render", {"options": {"nonsense": 1}})
    assert status == 400 and "nonsense" in err["error"]


def test_word_97_and_wps_files_are_told_to_save_as_docx(studio, tmp_path):
    from docx_maker import make_legacy_doc

    data = make_legacy_doc(tmp_path / "old.doc").read_bytes()
    for name in ("旧稿 (2).doc", "金山稿.wps"):
        status, refused = studio.upload(name, data)
        assert status == 400 and refused["error"].startswith(f"{name}:1: ") and "save it as a Word document (.docx)" in \
            refused["error"], refused


def test_upload_names_never_reach_the_file_system(studio, tmp_path):
    status, ep = studio.upload("../../../evil.txt", SHORT.encode())
    assert status == 201 and ep["segments"] == 2
    _, full = studio.json("GET", f"/api/episodes/{ep['id']}")
    assert "/" not in full["name"]
    status, err = studio.upload("payload.exe", b"MZ")
    assert status == 400 and "not a transcript" in err["error"]


def test_cross_origin_and_rebinding_refused(studio):
    status, err = studio.json("POST", "/api/episodes", {"name": "x", "text": SHORT},
                              headers={"Origin": "http://evil.example"})
    assert status == 403 and "studio's own page" in err["error"]
    status, _ = studio.json("POST", "/api/episodes", {"name": "x", "text": SHORT},
                            headers={"Origin": None, "Sec-Fetch-Site": "cross-site"})
    assert status == 403
    status, _, _ = studio.request("GET", "/api/episodes", headers={"Host": "evil.example:8321"})
    assert status == 403


def test_every_response_has_a_strict_csp(studio):
    ep = paste(studio)
    studio.json("POST", f"/api/episodes/{ep['id']}/render", {}, expect=200)
    for path in ("/", f"/episodes/{ep['id']}", "/static/studio.js", "/api/episodes", "/nope",
                 f"/episodes/{ep['id']}/files/short.srt"):
        status, headers, _ = studio.request("GET", path)
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff"
    _, headers, _ = studio.request("GET", f"/episodes/{ep['id']}/files/short.prompter.html")
    csp = headers["Content-Security-Policy"]
    assert "script-src 'sha256-" in csp and "frame-ancestors 'self'" in csp


def test_token_cookie_and_bearer(guarded):
    status, _, _ = guarded.request("GET", "/")
    assert status == 401
    status, err = guarded.json("GET", "/api/episodes")
    assert status == 401 and "token" in err["error"]
    status, headers, _ = guarded.request("GET", "/?token=s3cret-token")
    assert status == 303 and headers["Location"] == "/"
    cookie = headers["Set-Cookie"].split(";")[0]
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    assert guarded.request("GET", "/", headers={"Cookie": cookie})[0] == 200
    assert guarded.request("GET", "/api/episodes", headers={"Authorization": "Bearer wrong"})[0] == 401
    bearer = {"Authorization": "Bearer s3cret-token", "Origin": None}
    assert guarded.json("POST", "/api/episodes", {"name": "t", "text": SHORT}, headers=bearer)[0] == 201
    # the page's cookie is not enough from another origin
    status, _ = guarded.json("POST", "/api/episodes", {"name": "t", "text": SHORT},
                             headers={"Cookie": cookie, "Origin": "http://evil.example"})
    assert status == 403


def test_upload_cap(guarded):
    bearer = {"Authorization": "Bearer s3cret-token"}
    status, err = guarded.upload("big.txt", b"x" * 600_000, headers=bearer)
    assert status == 413 and "0.5 MiB" in err["error"]
    status, _ = guarded.upload("small.txt", SHORT.encode(), headers=bearer)
    assert status == 201


def test_a_crashing_render_is_reported_and_the_server_carries_on(studio):
    import threading

    bad = paste(studio, SHORT.replace("《测试》专栏", "《CRASH-THIS-RENDER》专栏"), "crash")
    neighbour = paste(studio, SHORT.replace("补充", "") * 30, "neighbour")  # a longer render, in flight
    outcomes: dict = {}
    threads = [threading.Thread(target=lambda k=k, e=e: outcomes.__setitem__(
        k, studio.json("POST", f"/api/episodes/{e['id']}/render", {}))) for k, e in (("n", neighbour), ("b", bad))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    status, err = outcomes["b"]
    assert status == 500 and "crashed" in err["error"]
    assert outcomes["n"][0] == 200, outcomes["n"]  # the crash cost the render beside it only a retry
    good = paste(studio)
    status, done = studio.json("POST", f"/api/episodes/{good['id']}/render", {})
    assert status == 200 and done["job"]["status"] == "done"


def test_audio_job_progress_and_events(studio):
    ep = paste(studio)
    status, started = studio.json("POST", f"/api/episodes/{ep['id']}/render",
                                  {"audio": True, "options": {"engine": "espeak"}})
    assert status == 202
    status, headers, body = studio.request("GET", started["events"])
    assert headers["Content-Type"].startswith("text/event-stream")
    events = [json.loads(line[6:]) for line in body.decode().splitlines() if line.startswith("data: ")]
    assert events[-1]["status"] == "done", events[-1]
    assert any(e["progress"].get("phase") == "synthesizing" for e in events) or events[-1]["status"] == "done"
    job = wait_job(studio, started["job"]["id"])
    assert job["status"] == "done"
    _, preview = studio.json("GET", f"/api/episodes/{ep['id']}/preview")
    assert [a["title"] for a in preview["audio"]][0] == "Programme" and len(preview["audio"]) == 3
    assert preview["timing"].startswith("audio")
    status, headers, data = studio.request("GET", f"/episodes/{ep['id']}/files/{preview['audio'][0]['file']}")
    assert status == 200 and headers["Content-Type"] == "audio/mpeg" and len(data) > 1000


def test_server_stays_responsive_while_rendering(studio, column_path):
    import threading

    status, ep = studio.upload(column_path.name, column_path.read_bytes())
    results = []
    thread = threading.Thread(target=lambda: results.append(
        studio.json("POST", f"/api/episodes/{ep['id']}/render", {"options": {"formats": ["srt", "vtt", "ass"]}})))
    thread.start()
    time.sleep(0.1)
    t0 = time.monotonic()
    assert studio.request("GET", "/api/episodes")[0] == 200
    assert time.monotonic() - t0 < 1.0
    thread.join()
    assert results[0][0] == 200


def test_options_other_engineers_added_are_offered_and_applied(studio):
    ep = paste(studio)
    _, full = studio.json("GET", f"/api/episodes/{ep['id']}")
    status, done = studio.json("POST", f"/api/episodes/{ep['id']}/render", {"options": {
        "supers": "first", "cards": True, "convert": "s2hk", "formats": ["srt", "ass", "fcpxml"], "fps": "29.97",
        "max_lines": "2", "speaker_names": True}})
    assert status == 200, done
    names = {f["name"] for f in done["files"]}
    assert {"short.supers.srt", "short.ass", "short.fcpxml"} <= names
    assert {"fcpxml", "xml", "srt"} <= {c[0] for spec in full_schema() for c in spec["choices"] or []
                                        if spec["name"] == "formats"}
    _, _, data = studio.request("GET", f"/episodes/{ep['id']}/files/short.srt")
    assert "觀眾" in data.decode("utf-8")  # converted to Traditional (Hong Kong)
    _, preview = studio.json("GET", f"/api/episodes/{ep['id']}/preview")
    assert "觀眾" in preview["cues"][0]["lines"][0]  # the cue table shows what the files hold


def full_schema():
    from broadcaster.studio.settings import schema

    return schema()


def test_real_recording_times_the_render(studio, tmp_path):
    import importlib.util

    from studio_server import ROOT, multipart

    spec = importlib.util.spec_from_file_location("make_test_recording", ROOT / "scripts" / "make_test_recording.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    from test_recording import SHORT as STREET

    script = tmp_path / "street.txt"
    script.write_text(STREET, encoding="utf-8")
    wav = tmp_path / "street.wav"
    maker.make(script, wav, seed=3, max_turns=2)
    ep = paste(studio, STREET, "street")
    body, kind = multipart("../street.wav", wav.read_bytes())
    status, _, data = studio.request("POST", f"/api/episodes/{ep['id']}/recording", body, {"Content-Type": kind})
    assert status == 201 and json.loads(data)["recording"]["name"] == "street.wav"
    status, err = studio.json("POST", f"/api/episodes/{ep['id']}/render", {"recording": True, "audio": True})
    assert status == 400 and "recording" in err["error"]
    status, done = studio.json("POST", f"/api/episodes/{ep['id']}/render", {"recording": True})
    assert status == 200, done
    assert "street.align.md" in {f["name"] for f in done["files"]}
    _, preview = studio.json("GET", f"/api/episodes/{ep['id']}/preview")
    assert preview["timing"] == "recording" and preview["recording"] is True
    status, headers, _ = studio.request("GET", f"/episodes/{ep['id']}/recording")
    assert status == 200 and headers["Content-Type"].startswith("audio/")


def test_upload_cap_without_a_length(guarded):
    """A chunked body (no Content-Length) is cut off at the cap as it streams in."""
    import http.client
    from urllib.parse import urlparse

    from studio_server import multipart

    body, kind = multipart("big.txt", b"x" * 700_000)
    url = urlparse(guarded.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("POST", "/api/episodes", body=iter([body[i:i + 65536] for i in range(0, len(body), 65536)]),
                 headers={"Content-Type": kind, "Authorization": "Bearer s3cret-token"}, encode_chunked=True)
    response = conn.getresponse()
    assert response.status == 413 and "0.5 MiB" in json.loads(response.read())["error"]
    conn.close()


def test_off_loopback_a_token_is_made_up():
    from broadcaster.studio.app import StudioConfig

    config = StudioConfig(host="0.0.0.0", port=8321).with_token()
    assert config.token and len(config.token) >= 20
    assert config.url().endswith(f"/?token={config.token}")
    assert StudioConfig().with_token().token is None  # loopback: no token unless asked for


def test_a_cleared_seconds_field_falls_back_to_its_default_in_ms():
    """The page shows Super duration in seconds and keeps milliseconds: a cleared field is the 4 s default,
    not 4 ms."""
    from broadcaster.studio.settings import options_kwargs

    assert options_kwargs({"options": {"supers_duration_ms": ""}})["supers_duration_ms"] == 4000
    assert options_kwargs({"options": {"supers_duration_ms": "2.5"}})["supers_duration_ms"] == 2500


def test_one_set_per_version_and_a_late_render_never_wins(studio):
    """v1's rehearsal audio, still running while v2 is saved and rendered as text: v2's set is shown
    (and zipped) alone, v1's late finish does not replace it, and its audio is offered only as stale."""
    many = "".join(f"\n**主持人李薇：**第{i}句，集合测试里说的话，今天我们去看看开发区。\n" for i in range(40))
    ep = paste(studio, SHORT + many, "sets")  # turns no other test has put in the clip cache: v1 takes a while
    eid = ep["id"]
    status, started = studio.json("POST", f"/api/episodes/{eid}/render", {"audio": True, "options": {"engine": "espeak"}})
    assert status == 202
    studio.json("POST", f"/api/episodes/{eid}/versions", {"text": SHORT.replace("招商引资", "科技创新"), "base": 1},
                expect=200)
    _, done = studio.json("POST", f"/api/episodes/{eid}/render", {}, expect=200)
    assert done["job"]["version"] == 2
    # v1 usually finishes after this (its audio takes seconds); the rule itself is checked in order below
    job = wait_job(studio, started["job"]["id"])
    assert job["status"] == "done" and job["version"] == 1 and "folder" not in job["result"]
    _, files = studio.json("GET", f"/api/episodes/{eid}/files", expect=200)
    assert files["set"]["version"] == 2 and not files["set"]["stale"] and not files["set"]["audio"]
    assert not any(f["name"].endswith(".mp3") for f in files["files"])
    stale = files["stale_audio"]
    assert stale["version"] == 1 and stale["files"][0]["title"] == "Programme"
    status, headers, data = studio.request("GET", stale["files"][0]["url"])
    assert status == 200 and headers["Content-Type"] == "audio/mpeg"
    status, headers, data = studio.request("GET", f"/api/episodes/{eid}/files.zip")
    assert 'filename="sets.v2.zip"' in headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}
    assert set(members) == {f["name"] for f in files["files"]} and not any(n.endswith(".mp3") for n in members)
    assert "科技创新" in members["sets.prompter.txt"].decode() and "招商引资" not in members["sets.prompter.txt"].decode()
    _, preview = studio.json("GET", f"/api/episodes/{eid}/preview", expect=200)
    assert preview["audio"] == [] and preview["set"]["version"] == 2
    # the text moves on: the set shown says it is stale
    studio.json("POST", f"/api/episodes/{eid}/versions", {"text": SHORT, "base": 2}, expect=200)
    _, files = studio.json("GET", f"/api/episodes/{eid}/files", expect=200)
    assert files["set"]["version"] == 2 and files["set"]["stale"]


def test_hostile_requests_get_a_4xx_never_a_500(studio, guarded):
    ep = paste(studio)
    for path in (f"/episodes/{ep['id']}/files/a%00b.srt", "/api/episodes/%00", f"/api/episodes/{ep['id']}?x=%00"):
        status, _, body = studio.request("GET", path)
        assert status == 400 and b"NUL" in body and b"Traceback" not in body, (path, status, body[:200])
    for headers, path in (({}, "/?token=%C3%A9%F0%A0%AE%B7"), ({"Authorization": "Bearer \u00e9t\u00e9"}, "/api/episodes"),
                          ({"Cookie": "studio_token=\u00e9"}, "/api/episodes")):
        status, _, body = guarded.request("GET", path, headers=headers)
        assert status == 401 and (b"access token" in body or "访问口令".encode() in body), (path, status, body[:200])
    deep = b"[" * 200_000 + b"]" * 200_000
    for path in ("/api/episodes", f"/api/episodes/{ep['id']}/settings", f"/api/episodes/{ep['id']}/check"):
        status, _, body = studio.request("POST", path, deep, {"Content-Type": "application/json"})
        assert status == 400 and "nested too deep" in json.loads(body)["error"], (path, status, body[:200])
    status, upload = studio.upload("deep.json", deep)
    assert status == 400 and "\n" not in upload["error"]


def test_a_body_shorter_than_its_length_times_out(guarded):
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(guarded.url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(b"POST /api/episodes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer s3cret-token\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\": ")
        t0 = time.monotonic()
        answer = sock.recv(65536)
        waited = time.monotonic() - t0
        while b"stopped arriving" not in answer and (more := sock.recv(65536)):
            answer += more
    assert answer.startswith(b"HTTP/1.1 408") and b"stopped arriving" in answer, answer[:300]
    assert 1.0 < waited < 5


def test_a_render_of_an_older_version_finishing_last_is_not_promoted(tmp_path):
    """The promotion rule on its own, in the order that is hard to force over HTTP: v2 finishes, then v1."""
    from broadcaster.studio import sets

    folder = tmp_path / "episode"
    v1, v2, v2b = "a" * 16, "b" * 16, "c" * 16
    for job, version, audio in ((v1, 1, True), (v2, 2, False), (v2b, 2, False)):
        (sets.begin(folder, job, version, {}, audio) / "ep").mkdir()
    assert sets.finish(folder, v2, ["ep.srt"], {v1, v2b}) is True
    assert sets.finish(folder, v1, ["ep.srt", "ep.mp3"], {v2b}) is False  # late, older: kept only as stale audio
    assert sets.pointer(folder) == {"current": v2, "audio": v1}
    shown, stale = sets.described(folder, 2)
    assert shown["version"] == 2 and not shown["stale"] and stale["version"] == 1
    assert sets.finish(folder, v2b, ["ep.srt"], set()) is True  # the same version, finished later: the newest
    assert sets.pointer(folder) == {"current": v2b, "audio": v1}
    assert sorted(p.name for p in (folder / "renders").iterdir()) == [v1, v2b]  # v2's folder went
    sets.drop(folder, v2b)  # a shown set is never dropped
    assert sets.files_dir(folder, v2b) == folder / "renders" / v2b / "ep"
