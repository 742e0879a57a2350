"""The pages of follow voice: the caption page, and the script added to the served talent page."""
from __future__ import annotations

from markupsafe import escape

CAPTION_CSS = """html,body{margin:0;background:transparent;overflow:hidden}
body{width:1920px;height:1080px;position:relative;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
#safe{position:absolute;left:96px;right:96px;top:54px;bottom:54px;display:flex;align-items:flex-end;justify-content:center}
#cue{font-size:60px;line-height:1.25;color:#fff;font-weight:600;text-align:center;white-space:pre-line;padding:6px 24px;
background:rgba(0,0,0,.55);border-radius:6px;text-shadow:0 0 4px #000,0 2px 3px #000}
#cue:empty{display:none}
#cue .name{color:#ffd75e;margin-right:.3em}#cue .name.host{color:#7fd3ff}
"""

CAPTION_JS = """"use strict";
(function () {
  const box = document.getElementById("cue"), names = document.body.dataset.names === "1";
  window.captions = { shown: [] };
  function show(m) {
    box.textContent = "";
    if (m.text) {
      if (names && m.name) { const n = document.createElement("span"); n.className = "name " + (m.role || ""); n.textContent = m.name + "："; box.appendChild(n); }
      box.appendChild(document.createTextNode(m.text.trim()));
    }
    window.captions.shown.push({ index: m.index, text: m.text, at: performance.timeOrigin + performance.now() });
  }
  const es = new EventSource(document.body.dataset.events);
  es.onmessage = (e) => { let m; try { m = JSON.parse(e.data); } catch (err) { return; } if (m.type === "cue") show(m); };
})();
"""


def caption_html(events: str, names: bool) -> str:
    return ("<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>字幕</title>"
            "<meta name=\"viewport\" content=\"width=1920, height=1080\">"
            f"<style>{CAPTION_CSS}</style></head>"
            f"<body data-events=\"{escape(events)}\" data-names=\"{'1' if names else '0'}\">"
            "<div id=\"safe\"><div id=\"cue\" aria-live=\"polite\"></div></div>"
            f"<script>{CAPTION_JS}</script></body></html>")


FOLLOW_CSS = """#follow{position:fixed;right:10px;bottom:10px;z-index:50;font:14px/1.2 sans-serif;color:#ccc;
background:rgba(0,0,0,.55);border-radius:12px;padding:4px 10px;display:flex;align-items:center;gap:6px;opacity:.8}
#follow[hidden]{display:none}#follow .dot{width:10px;height:10px;border-radius:50%;background:#777}
#follow[data-state=following] .dot{background:#3c3}#follow[data-state=lost] .dot{background:#e33}
#follow[data-state=paused] .dot{background:#fb0}#follow[data-state=listening] .dot{background:#39f}
#follow .meter{width:40px;height:5px;background:#333;border-radius:3px;overflow:hidden}
#follow .meter i{display:block;height:100%;width:0;background:#3c3}
#follow button{font:inherit;background:#444;color:#fff;border:0;border-radius:8px;padding:2px 8px}
#follow button[hidden]{display:none}
"""

# Follow voice on the talent page: listens to the follow feed and moves the text (by the page's own wheel
# handler, so the page's scroll state stays the one truth); with ?follow=voice it also sends the microphone.
FOLLOW_JS = """"use strict";
(function () {
  const box = document.getElementById("follow"), stage = document.getElementById("stage");
  const script = document.getElementById("script"), readline = document.getElementById("readline");
  const st = window.prompter, params = new URLSearchParams(location.search);
  if (!box || !st || !("WebSocket" in window)) return;
  const label = box.querySelector(".label"), bar = box.querySelector(".meter i"), resume = box.querySelector("button");
  const words = { listening: "聆听中", following: "跟读中", lost: "跟丢了", paused: "已暂停跟读", off: "跟读未开" };
  const mic = params.get("follow") === "voice";
  const follow = window.follow = { state: "off", target: null, mic: mic, error: null, sent: 0, lost: 0, positions: [] };
  let ws = null, ctx = null, retry = 500;
  function setState(s) {
    if (follow.state === s) return;
    follow.state = s; box.dataset.state = s; label.textContent = words[s] || s; resume.hidden = s !== "paused";
    if (s === "following" || s === "listening") st.playing = false;  // the voice moves the text, not the clock
    if (s === "lost" && st.speed > 0) { st.last = null; st.playing = true; }  // unsure: the last manual speed
  }
  function plainNodes(turn) {
    const out = [], walk = document.createTreeWalker(turn, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode())
      if (n.parentElement.closest("p") && !n.parentElement.closest("rt, rp, .time, .direction")) out.push(n);
    return out;
  }
  function yOf(seg, t, frac) {  // the script's y (unscrolled) of fraction frac of a turn's words
    const s = document.querySelector('.segment[data-index="' + seg + '"]');
    const turn = s ? s.querySelectorAll(".turn")[t] : null;
    if (!turn) return null;
    const nodes = plainNodes(turn), total = nodes.reduce((a, n) => a + n.length, 0);
    let at = Math.floor(Math.max(0, Math.min(1, frac)) * total), range = document.createRange();
    for (const n of nodes) {
      if (at < n.length || n === nodes[nodes.length - 1]) {
        range.setStart(n, Math.min(at, Math.max(0, n.length - 1))); range.setEnd(n, Math.min(n.length, at + 1));
        const r = range.getBoundingClientRect(), base = script.getBoundingClientRect();
        return r.top - base.top + r.height / 2;
      }
      at -= n.length;
    }
    return null;
  }
  function move() {
    if (follow.target !== null && (follow.state === "following" || follow.state === "listening")) {
      const goal = follow.target - readline.offsetTop, diff = goal - st.pos;
      if (Math.abs(diff) > 1) {
        const step = Math.abs(diff) > innerHeight ? diff : diff * 0.15;
        stage.dispatchEvent(new WheelEvent("wheel", { deltaY: step, deltaMode: 0, cancelable: true }));
      }
    }
    requestAnimationFrame(move);
  }
  function onMessage(m) {
    if (m.type === "follow") {
      setState(m.state);
      bar.style.width = Math.round(100 * Math.min(1, m.level)) + "%";
      const y = yOf(m.segment, m.turn, m.frac);
      if (y !== null && m.state !== "paused" && m.state !== "lost") follow.target = y;
      follow.positions.push({ t: m.t, char: m.char, state: m.state, at: performance.timeOrigin + performance.now() });
      if (follow.positions.length > 20000) follow.positions.shift();
    } else if (m.type === "aired") { follow.aired = m.files; }
    else if (m.type === "busy") { follow.error = "another page has the microphone"; }
  }
  resume.addEventListener("click", () => {
    if (!ws || ws.readyState !== 1) return;
    const y = st.pos + readline.offsetTop, base = script.getBoundingClientRect().top;
    let at = { type: "resume" };
    document.querySelectorAll(".segment").forEach((s) => s.querySelectorAll(".turn").forEach((t, k) => {
      const r = t.getBoundingClientRect(), top = r.top - base;
      if (top <= y) at = { type: "resume", segment: Number(s.dataset.index), turn: k, frac: Math.min(1, (y - top) / Math.max(1, r.height)) };
    }));
    ws.send(JSON.stringify(at)); follow.target = null;
  });
  async function startMic() {
    try {
      const media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false,
        noiseSuppression: false, autoGainControl: false } });
      try { ctx = new AudioContext({ sampleRate: 16000 }); }  // the browser's own resampler (anti-aliased)
      catch (err) { ctx = new AudioContext(); }  // else a box filter below
      const src = ctx.createMediaStreamSource(media), node = ctx.createScriptProcessor(1024, 1, 1);
      const ratio = ctx.sampleRate / 16000;
      let phase = 0, acc = [];
      let t0 = null, made = 0;
      node.onaudioprocess = (e) => {
        const x = e.inputBuffer.getChannelData(0);
        // a page too busy to take every buffer loses audio: the gap is sent as silence, so the studio's
        // clock stays the programme's (the as-aired times), and counted
        if (t0 === null) t0 = e.playbackTime;
        const due = Math.round((e.playbackTime - t0) * 16000);
        if (due - made > 800) { const gap = due - made; for (let i = 0; i < gap; i++) acc.push(0); made += gap; follow.lost += gap; }
        made += Math.round(x.length / ratio);
        for (; phase < x.length; phase += ratio) {  // a box filter over each output sample's span, then 16 kHz
          const a = Math.floor(phase), b = Math.min(x.length, Math.max(a + 1, Math.floor(phase + ratio)));
          let s = 0; for (let i = a; i < b; i++) s += x[i];
          acc.push(Math.max(-1, Math.min(1, s / (b - a))));
        }
        phase -= x.length;
        if (acc.length >= 1600 && ws && ws.readyState === 1) {
          const pcm = new Int16Array(acc.length);
          for (let i = 0; i < acc.length; i++) pcm[i] = acc[i] * 32767;
          ws.send(pcm.buffer); follow.sent += acc.length; acc = [];
        } else if (acc.length > 32000) acc = [];
      };
      src.connect(node); node.connect(ctx.destination);
      media.getAudioTracks()[0].addEventListener("ended", () => { follow.error = "the microphone went away"; label.textContent = "麦克风已断开"; });
    } catch (err) { follow.error = String(err); label.textContent = "没有麦克风"; }
  }
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + box.dataset.ws + (mic ? "&role=mic" : "&role=listen"));
    ws.onopen = () => { retry = 500; };
    ws.onmessage = (e) => {
      let m; try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.type === "ready" && mic && !ctx) startMic();
      onMessage(m);
    };
    ws.onclose = () => { ws = null; if (!follow.aired) setTimeout(connect, retry); retry = Math.min(retry * 2, 8000); };
  }
  box.hidden = false; setState(mic ? "listening" : "off");
  connect(); requestAnimationFrame(move);
})();
"""


def talent_follow(episode_id: str, name: str, data: bytes, csp: str) -> tuple[bytes, str]:
    """The served talent page with the follow badge and script (its hash added to both policies)."""
    from urllib.parse import quote

    from ..prompter.html import _csp_hash

    html = data.decode("utf-8")
    if "</body>" not in html or "window.prompter" not in html:
        return data, csp
    ws = f"/follow/{episode_id}/ws?page={quote(name)}"
    badge = (f'<div id="follow" hidden data-ws="{escape(ws)}"><span class="dot"></span><span class="label"></span>'
             '<span class="meter"><i></i></span><button type="button" hidden>恢复跟读</button></div>'
             f"<style>{FOLLOW_CSS}</style><script>{FOLLOW_JS}</script>")
    html = html.replace("</body>", badge + "</body>", 1)
    s_hash, j_hash = _csp_hash(FOLLOW_CSS), _csp_hash(FOLLOW_JS)
    html = html.replace("style-src '", f"style-src '{s_hash}' '", 1).replace("script-src '", f"script-src '{j_hash}' '", 1)
    csp = csp.replace("style-src '", f"style-src '{s_hash}' '", 1).replace("script-src '", f"script-src '{j_hash}' '", 1)
    return html.encode("utf-8"), csp


REMOTE_FOLLOW_CSS = """#followbox{display:flex;align-items:center;gap:8px;margin:8px 0;padding:6px 10px;border-radius:10px;background:#222;color:#ddd;font-size:15px}
#followbox .dot{width:12px;height:12px;border-radius:50%;background:#777}
#followbox[data-state=following] .dot{background:#3c3}#followbox[data-state=lost] .dot{background:#e33}
#followbox[data-state=paused] .dot{background:#fb0}#followbox[data-state=listening] .dot{background:#39f}
#followbox .meter{flex:0 0 80px;height:8px;background:#333;border-radius:4px;overflow:hidden}
#followbox .meter i{display:block;height:100%;width:0;background:#3c3}
#followbox button{font:inherit;padding:4px 12px;border-radius:8px;border:0;background:#575;color:#fff}
#followbox button[hidden],#followbox[hidden]{display:none}
"""

REMOTE_FOLLOW_JS = """"use strict";
(function () {
  const box = document.getElementById("followbox");
  if (!box || !("WebSocket" in window)) return;
  const label = box.querySelector(".label"), bar = box.querySelector(".meter i"), resume = box.querySelector("button");
  const words = { listening: "跟读：聆听中", following: "跟读：跟读中", lost: "跟读：跟丢了（按手动速度）", paused: "跟读：已暂停（导播接管）" };
  const state = window.followRemote = { state: null };
  let ws = null, retry = 500;
  resume.addEventListener("click", () => { if (ws && ws.readyState === 1) ws.send(JSON.stringify({ type: "resume" })); });
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + box.dataset.ws + "&role=listen");
    ws.onopen = () => { retry = 500; };
    ws.onmessage = (e) => {
      let m; try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.type !== "follow") return;
      state.state = m.state; box.hidden = false; box.dataset.state = m.state;
      label.textContent = (words[m.state] || m.state) + (m.voice ? " · 有声音" : "");
      bar.style.width = Math.round(100 * Math.min(1, m.level)) + "%";
      resume.hidden = m.state !== "paused";
    };
    ws.onclose = () => { ws = null; setTimeout(connect, retry); retry = Math.min(retry * 2, 8000); };
  }
  connect();
})();
"""


def remote_follow(episode_id: str, page: str, html: str, csp: str) -> tuple[str, str]:
    """The operator's remote with the follow state, its microphone level and a resume button."""
    from urllib.parse import quote

    from ..prompter.html import _csp_hash

    if "</body>" not in html:
        html += "</body>"
    ws = f"/follow/{episode_id}/ws?page={quote(page)}"
    box = (f'<div id="followbox" hidden data-ws="{escape(ws)}"><span class="dot"></span><span class="label"></span>'
           '<span class="meter"><i></i></span><button type="button" hidden>恢复跟读</button></div>')
    spot = '</section>\n  <section id="pad"'  # inside the "where the talent is" panel, under its clocks
    html = html.replace(spot, box + spot, 1) if spot in html else html.replace("</body>", box + "</body>", 1)
    html = html.replace("</body>", f"<style>{REMOTE_FOLLOW_CSS}</style><script>{REMOTE_FOLLOW_JS}</script></body>", 1)
    csp = csp.replace("style-src '", f"style-src '{_csp_hash(REMOTE_FOLLOW_CSS)}' '", 1)
    csp = csp.replace("script-src '", f"script-src '{_csp_hash(REMOTE_FOLLOW_JS)}' '", 1)
    return html, csp
