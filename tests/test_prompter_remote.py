"""The operator's remote through the real `broadcaster serve`: one remote page drives two talent pages.

Real Chromium for the pages, the studio started as users start it, the relay's own WebSocket for the
checks a browser cannot make (a display trying to command, a handshake from another site).
"""
import json
import re
import statistics
import subprocess
from pathlib import Path

import pytest

from browser import shot
from conftest import EXAMPLE
from studio_server import Studio
from test_prompter_screens import WRAPPED

ARTIFACTS = Path(__file__).parent / "artifacts"
TOKEN = "remote-test-token-5f2c"


def _episode(studio, token=None) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    auth = {"Authorization": f"Bearer {token}"} if token else None
    _, ep = studio.json("POST", "/api/episodes", {"name": "column_demo.txt", "text": text}, auth, expect=201)
    studio.json("POST", f"/api/episodes/{ep['id']}/render", {}, auth, expect=200)
    return ep["id"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    studio = Studio(tmp_path_factory.mktemp("studio"))
    try:
        yield studio, _episode(studio)
    finally:
        studio.stop()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    studio = Studio(tmp_path_factory.mktemp("guarded"), "--token", TOKEN)
    try:
        yield studio, _episode(studio, TOKEN)
    finally:
        studio.stop()


def _page(browser, url, size, touch=False):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=touch)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    return page


def _poll(page, expression, limit_ms=3000):
    """Polled from Python: the pages' CSP forbids the eval that wait_for_function uses."""
    for _ in range(limit_ms // 20):
        if page.evaluate(expression):
            return True
        page.wait_for_timeout(20)
    raise AssertionError(f"never true: {expression}")


def _all(pages, expression):
    return [p.evaluate(expression) for p in pages]


def test_remote_drives_two_talent_pages_within_150_ms(chromium, served):
    studio, episode = served
    talent_url = f"{studio.url}/episodes/{episode}/files/column_demo.prompter.html?countdown=0"
    talent = [_page(chromium, talent_url, (768, 1024), touch=True), _page(chromium, talent_url, (1920, 1080))]
    for p in talent:
        _poll(p, "window.prompter !== undefined && window.prompter.remote === true")
        _poll(p, "!document.getElementById('remote').hidden")  # the QR code waits for an operator
    remote = _page(chromium, f"{studio.url}/remote/{episode}", (390, 844), touch=True)
    _poll(remote, "window.remote && window.remote.displays === 2 && document.querySelectorAll('#outline [data-turn]').length > 0")
    assert remote.inner_text("#title") == "《民生直通车》专栏"
    for p in talent:
        _poll(p, "document.getElementById('remote').hidden")  # and goes when one connects

    remote.click("#play")
    for p in talent:
        _poll(p, "window.prompter.playing === true")
    remote.click("#next")
    for p in talent:
        _poll(p, "window.prompter.segment === 1")
    remote.click("#faster")
    for p in talent:
        _poll(p, "document.getElementById('speed').textContent === '110%'")
    fonts = _all(talent, "window.prompter.font")
    remote.click("#bigger")
    remote.click("#mirror")
    for p, before in zip(talent, fonts, strict=False):
        _poll(p, f"window.prompter.font > {before} && window.prompter.mirrored === true")
    remote.click("#play")  # pause
    for p in talent:
        _poll(p, "window.prompter.playing === false")
    # jump (back) to a turn from the outline: both displays bring it to the reading line; the remote shows it live
    turn = remote.locator("#outline [data-turn]").nth(3)
    cue = turn.get_attribute("data-cue")
    turn.click()
    for p in talent:
        _poll(p, "document.querySelectorAll('.turn')[3].classList.contains('current')")
    _poll(remote, f"document.getElementById('who').textContent === {json.dumps(cue)} && "
                  "document.getElementById('seg').textContent.startsWith('1/2')")
    assert remote.get_attribute("#mirror", "aria-pressed") == "true", remote.evaluate("JSON.stringify(window.remote.state)")
    assert remote.evaluate(WRAPPED, "pad") == []
    wide = "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).map(e => e.tagName + '#' + e.id + '.' + e.className)"
    assert remote.evaluate(wide) == []
    ARTIFACTS.mkdir(exist_ok=True)
    remote.screenshot(path=str(ARTIFACTS / "remote-phone.png"))

    # latency: batches of 20 commands, 120 ms apart; each display stamps when it obeyed (same machine, same
    # clock). A shared, loaded machine can stall a renderer now and then: the best of three batches counts,
    # and every batch's median must still be well inside the limit (a slow relay fails them all).
    batches = []
    for _ in range(3):
        remote.evaluate("window.remote.latencies.length = 0")
        for i in range(20):
            remote.evaluate(f"window.remote.send('speed', {{ step: {1 if i % 2 else -1} }})")
            remote.wait_for_timeout(120)
        _poll(remote, "window.remote.latencies.length >= 40")
        one_way = sorted(x["oneWay"] for x in remote.evaluate("window.remote.latencies"))
        rtt = sorted(x["rtt"] for x in remote.evaluate("window.remote.latencies"))
        p95 = one_way[int(len(one_way) * 0.95) - 1]
        batches.append((statistics.median(one_way), p95, one_way[-1], statistics.median(rtt)))
        print(f"\nremote -> 2 displays over loopback: one-way median {batches[-1][0]:.1f} ms, p95 {p95:.1f} ms, "
              f"max {one_way[-1]:.1f} ms; round trip median {batches[-1][3]:.1f} ms")
        assert batches[-1][0] < 150, batches
        if p95 < 150:
            break
    assert min(b[1] for b in batches) < 150, batches

    talent[0].click("#remotebtn") if talent[0].is_visible("#remotebtn") else None
    talent[0].evaluate("document.getElementById('remote').hidden = false")
    assert talent[0].locator("#remote svg.qr").count() == 1
    assert f"/r/{episode[:6]}" in talent[0].inner_text("#remote a")
    # the QR code as the operator's phone camera sees it on the screen: decoded, it is the link
    assert _decode_qr(talent[0].locator("#remote svg.qr").screenshot()) == talent[0].get_attribute("#remote a", "href")
    talent[0].screenshot(path=str(ARTIFACTS / "remote-talent-qr.png"))
    for p in (*talent, remote):
        assert p.errors == [], p.errors
        p.context.close()


def _decode_qr(png: bytes) -> str:
    """The text of the one QR code in a screenshot: ffmpeg turns the PNG into grey pixels, zxing-cpp
    (the ZXing decoder phones' scanner apps are built on) reads them."""
    import struct

    import imageio_ffmpeg
    import numpy as np
    import zxingcpp

    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR
    grey = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", "-", "-f", "rawvideo",
                           "-pix_fmt", "gray", "-"], input=png, capture_output=True, check=True).stdout
    found = zxingcpp.read_barcodes(np.frombuffer(grey, np.uint8).reshape(height, width))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode, found
    return found[0].text


def test_short_link_leads_to_the_remote(served):
    studio, episode = served
    status, headers, _ = studio.request("GET", f"/r/{episode[:6]}")
    assert status == 303 and headers["location"] == f"/remote/{episode}"
    assert studio.request("GET", "/r/zzzzzz")[0] == 404
    status, headers, body = studio.request("GET", f"/remote/{episode}")
    assert status == 200 and "connect-src 'self'" in headers["content-security-policy"]
    assert "script-src 'sha256-" in headers["content-security-policy"] and b"<script>" in body


def _ws(studio, path, **kwargs):
    from websockets.sync.client import connect

    return connect(studio.url.replace("http://", "ws://") + path, open_timeout=5, **kwargs)


def _next(ws, kind):
    """The next message of a kind (a display also hears how many operators are connected)."""
    while True:
        message = json.loads(ws.recv(timeout=2))
        if message["type"] == kind:
            return message


def test_token_needed_and_nothing_but_an_operator_drives(guarded):
    from websockets.exceptions import InvalidStatus, WebSocketException

    studio, episode = guarded
    page = "column_demo.prompter.html"
    path = f"/remote/{episode}/ws?page={page}"
    assert studio.request("GET", f"/remote/{episode}")[0] == 401
    assert studio.request("GET", f"/episodes/{episode}/files/{page}")[0] == 401
    with pytest.raises((InvalidStatus, WebSocketException, OSError)):
        with _ws(studio, path + "&role=operator", origin=studio.origin) as ws:
            ws.recv(timeout=2)  # a handshake without the token is closed at once
    auth = {"additional_headers": {"Authorization": f"Bearer {TOKEN}"}}
    with pytest.raises((InvalidStatus, WebSocketException, OSError)):
        with _ws(studio, path + "&role=operator", origin="http://evil.example", **auth) as ws:
            ws.recv(timeout=2)  # another site's page, even with the token, is refused
    with _ws(studio, path + "&role=display", origin=studio.origin, **auth) as talent, \
            _ws(studio, path + "&role=display", origin=studio.origin, **auth) as rogue, \
            _ws(studio, path + "&role=operator", origin=studio.origin, **auth) as operator:
        assert json.loads(operator.recv(timeout=2))["type"] == "hello"
        rogue.send(json.dumps({"type": "cmd", "cmd": "play", "value": True, "id": 1}))  # a display cannot command
        operator.send(json.dumps({"type": "cmd", "cmd": "nonsense", "id": 2}))  # nor can an unknown command pass
        operator.send(json.dumps({"type": "cmd", "cmd": "segment", "value": 1, "id": 3}))
        assert _next(talent, "cmd") == {"type": "cmd", "cmd": "segment", "value": 1, "id": 3, "seq": 1}
    # the talent page as served: its QR link carries a short-lived pairing code, never the token, on the
    # address the server was started on (not the Host header a client sent), and a CSP that lets only the relay in
    status, headers, body = studio.request("GET", f"/episodes/{episode}/files/{page}",
                                           headers={"Authorization": f"Bearer {TOKEN}", "Host": "evil.example"})
    assert status == 200 and TOKEN.encode() not in body and b'svg xmlns' in body and b"evil.example" not in body
    link = re.search(rb'href="(http://[^"]+/r/[0-9a-f]+)\?pair=([^"]+)"', body)
    assert link and link.group(1).startswith(studio.url.encode())
    short, code = link.group(1)[len(studio.url):].decode(), link.group(2).decode()
    status, headers, _ = studio.request("GET", f"{short}?pair={code}")  # the phone, with no token of its own
    assert status == 303 and f"studio_token={TOKEN}" in headers["set-cookie"] and "HttpOnly" in headers["set-cookie"]
    assert studio.request("GET", f"{short}?pair=not-a-code")[0] == 401
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert b"connect-src 'self'" in body  # the page's own meta policy too: both must allow it


def test_a_late_display_starts_where_the_lead_is_and_the_preview_frame_never_leads(served):
    studio, episode = served
    path = f"/remote/{episode}/ws?page=late.prompter.html"  # a channel of its own
    outline = {"title": "t", "segments": []}
    with _ws(studio, path + "&role=display", origin=studio.origin) as framed, \
            _ws(studio, path + "&role=display", origin=studio.origin) as talent:
        framed.send(json.dumps({"type": "hello", "outline": outline, "framed": True, "state": {"anchor": [1, 0], "seq": 0}}))
        talent.send(json.dumps({"type": "hello", "outline": outline, "state": {"anchor": [5, 0.5], "seq": 0}}))
        talent.send(json.dumps({"type": "state", "anchor": [6, 0.25], "seq": 0}))
        got = _next(framed, "lead")  # the studio's preview follows the talent's page
        assert got["anchor"] in ([5, 0.5], [6, 0.25])
        with _ws(studio, path + "&role=display", origin=studio.origin) as monitor:
            monitor.send(json.dumps({"type": "hello", "outline": outline, "state": {"anchor": [0, 0], "seq": 0}}))
            assert _next(monitor, "lead") == {"anchor": [6, 0.25], "seq": 0, "type": "lead"}
            with _ws(studio, path + "&role=operator", origin=studio.origin) as operator:
                hello = json.loads(operator.recv(timeout=2))
                assert hello["displays"] == 3 and hello["state"]["anchor"] == [6, 0.25]
                assert [_next(talent, "operators")["count"] for _ in range(2)] == [0, 1]  # none at first, then one


def test_a_binary_frame_or_a_flood_closes_only_that_socket(served):
    from websockets.exceptions import ConnectionClosed

    studio, episode = served
    path = f"/remote/{episode}/ws?page=flood.prompter.html"
    with _ws(studio, path + "&role=display", origin=studio.origin) as talent:
        for bad in (b"\x00\x01", "x" * 70_000):
            with _ws(studio, path + "&role=operator", origin=studio.origin) as rogue:
                rogue.recv(timeout=2)  # hello
                rogue.send(bad)
                with pytest.raises(ConnectionClosed):
                    while True:
                        rogue.recv(timeout=2)
        with _ws(studio, path + "&role=operator", origin=studio.origin) as operator:
            operator.recv(timeout=2)
            operator.send(json.dumps({"type": "cmd", "cmd": "top", "id": 9}))
            assert _next(talent, "cmd")["cmd"] == "top"  # the channel carries on


def test_half_a_character_drops_only_that_message(served):
    """A display's report cut between the two halves of 𠮷 (a lone surrogate) is dropped; no operator is
    disconnected, and the display that sent it carries on."""
    studio, episode = served
    path = f"/remote/{episode}/ws?page=surrogate.prompter.html"
    with _ws(studio, path + "&role=display", origin=studio.origin) as talent, \
            _ws(studio, path + "&role=operator", origin=studio.origin) as one, \
            _ws(studio, path + "&role=operator", origin=studio.origin) as two:
        for ws in (one, two):
            ws.recv(timeout=2)  # hello
        talent.send('{"type": "state", "words": "吉\\ud842", "seq": 1}')  # JSON.stringify of a cut 𠮷
        talent.send("[" * 30_000 + "]" * 30_000)  # too deep to be anything (and under the size cap): dropped too
        talent.send(json.dumps({"type": "state", "words": "𠮷😀 好", "seq": 2}, ensure_ascii=False))
        for ws in (one, two):
            assert _next(ws, "state")["words"] == "𠮷😀 好"
        one.send(json.dumps({"type": "cmd", "cmd": "top", "id": 1}))
        assert _next(talent, "cmd")["cmd"] == "top"


def test_a_turn_with_rare_hanzi_and_emoji_drives_the_remote(chromium):  # noqa: F811
    """𠮷 (outside the BMP) falls on the 30th character of a turn, an emoji a little later: the outline and
    the reading line reach the remote cut on whole characters, and the remote drives the page as usual."""
    import tempfile

    opening = "一二三四五六七八九十" * 2 + "甲乙丙丁戊己庚辛壬"  # 29 characters, then 𠮷 is the 30th
    text = (f"《生僻字》专栏\n\n# 第一段 生僻字\n\n**主持人李薇：**{opening}𠮷家的小猫😀很可爱，👨‍👩‍👧一家人都喜欢它。\n\n"
            "**嘉宾王五：**谢谢。𠮷祥如意😀。\n")
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Path(tmp))
        try:
            _, ep = studio.json("POST", "/api/episodes", {"name": "rare.txt", "text": text}, expect=201)
            studio.json("POST", f"/api/episodes/{ep['id']}/render", {}, expect=200)
            talent = _page(chromium, f"{studio.url}/episodes/{ep['id']}/files/rare.prompter.html?countdown=0", (1280, 720))
            _poll(talent, "window.prompter !== undefined && window.prompter.remote === true")
            _poll(talent, "!document.getElementById('remote').hidden")  # the QR panel, until an operator connects:
            over = talent.evaluate("""() => { const panel = document.getElementById('remote').getBoundingClientRect();
                return Array.from(document.querySelectorAll('#script p, #script h1, #script h2')).filter((e) => {
                  const r = e.getBoundingClientRect(); return r.right > panel.left && r.bottom > panel.top && r.top < panel.bottom;
                }).length; }""")
            assert over == 0  # beside the script, not over it
            shot(talent, "talent-qr-beside")
            remote = _page(chromium, f"{studio.url}/remote/{ep['id']}", (390, 844), touch=True)
            _poll(remote, "window.remote && window.remote.displays === 1 && "
                          "document.querySelectorAll('#outline [data-turn]').length === 2")
            words = remote.locator("#outline [data-turn] span").first.inner_text()
            assert words == opening + "𠮷"  # 30 whole characters: 𠮷 in full, not half of it
            remote.click("#play")
            _poll(talent, "window.prompter.playing === true")
            remote.click("#play")
            _poll(talent, "window.prompter.playing === false")
            remote.locator("#outline [data-turn]").nth(1).click()  # the guest's turn: 𠮷 and 😀 on the reading line
            _poll(remote, "window.remote.state && window.remote.state.line.includes('祥如意')")
            lone = r"/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/"
            assert remote.evaluate(f"{lone}.test(window.remote.state.line)") is False
            shot(remote, "remote-rare-hanzi")
            for p in (talent, remote):
                assert p.errors == [], p.errors
                p.context.close()
        finally:
            studio.stop()
