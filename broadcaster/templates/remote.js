"use strict";
// The operator's remote: commands over the studio's WebSocket relay to every prompter display on this
// episode's page; the first display (the talent's) reports where it is, shown live here.
(function () {
  const $ = (id) => document.getElementById(id);
  const now = () => performance.timeOrigin + performance.now();
  const clock = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); };
  const remote = { state: null, displays: 0, latencies: [], connected: false };
  window.remote = remote;  // for tests and the benchmark
  const sent = new Map(), timed = new Set();
  let ws = null, retry = 500, seq = 0, outline = null;

  function send(cmd, extra) {
    if (!ws || ws.readyState !== 1) return 0;
    const id = ++seq;
    sent.set(id, now());
    ws.send(JSON.stringify(Object.assign({ type: "cmd", cmd: cmd, id: id, sent: now() }, extra || {})));
    return id;
  }
  remote.send = send;
  function link(text, kind) { $("link").className = kind; $("linktext").textContent = text; }
  function showDisplays() {
    if (!remote.connected) return;
    link(remote.displays ? remote.displays + " 个提词画面" : "没有提词画面：在提词器上打开本期的提词器页面", remote.displays ? "online" : "none");
    for (const b of document.querySelectorAll("#pad button")) b.disabled = !remote.displays;
  }
  function renderOutline() {
    const box = $("outline");
    if (outline && outline.title) { $("title").textContent = outline.title; document.title = "遥控器 · " + outline.title; }
    box.textContent = "";
    if (!outline) { const p = document.createElement("p"); p.className = "empty"; p.textContent = "等待提词器画面…"; box.append(p); return; }
    outline.segments.forEach((seg, i) => {
      const h = document.createElement("h2"), b = document.createElement("button");
      b.textContent = (i + 1) + "  " + seg.title; b.dataset.segment = i;
      b.addEventListener("click", () => send("segment", { value: i }));
      h.append(b); box.append(h);
      const ol = document.createElement("ol");
      for (const t of seg.turns) {
        const li = document.createElement("li"), tb = document.createElement("button");
        const who = document.createElement("b"), words = document.createElement("span");
        who.textContent = t.cue; words.textContent = t.words || "";
        tb.append(who, words); tb.dataset.turn = t.index; tb.dataset.cue = t.cue;
        tb.addEventListener("click", () => send("turn", { value: t.index }));
        li.append(tb); ol.append(li);
      }
      box.append(ol);
    });
    show();
  }
  function show() {
    const s = remote.state;
    if (!s) return;
    const seg = outline && outline.segments[s.segment];
    $("seg").textContent = (s.segment + 1) + "/" + s.segments + (seg ? " " + seg.title : "");
    $("speed").textContent = "速度 " + s.percent + "%";
    let who = "";
    if (outline) for (const g of outline.segments) for (const t of g.turns) if (t.index === s.turn) who = t.cue;
    $("who").textContent = who || "—";
    $("line").textContent = s.line || "\u00a0";
    $("bar").style.width = (Math.max(0, Math.min(1, s.progress)) * 100).toFixed(1) + "%";
    $("progress").setAttribute("aria-valuenow", Math.round(s.progress * 100));
    $("elapsed").textContent = clock(s.elapsed) + " / " + clock(s.estimate);
    $("remaining").textContent = s.elapsed > s.estimate ? "+" + clock(s.elapsed - s.estimate) : clock(s.estimate - s.elapsed);
    $("play").setAttribute("aria-pressed", String(s.playing || s.counting));
    $("mirror").setAttribute("aria-pressed", String(s.mirrored));
    for (const b of document.querySelectorAll("#outline [data-segment]")) b.classList.toggle("current", Number(b.dataset.segment) === s.segment);
    for (const b of document.querySelectorAll("#outline [data-turn]")) {
      const on = Number(b.dataset.turn) === s.turn;
      if (on && !b.classList.contains("current") && $("outline").scrollHeight > $("outline").clientHeight + 1) b.scrollIntoView({ block: "nearest" });
      b.classList.toggle("current", on);
    }
  }
  function receive(m) {
    if (m.type === "hello") { outline = m.outline; remote.displays = m.displays; remote.state = m.state; renderOutline(); showDisplays(); }
    else if (m.type === "outline") { outline = m.outline; renderOutline(); }
    else if (m.type === "displays") { remote.displays = m.count; showDisplays(); }
    else if (m.type === "state") {
      remote.displays = m.displays;
      const key = m.ack + "/" + m.display;
      if (typeof m.ack === "number" && sent.has(m.ack) && m.applied && !timed.has(key)) {  // the display's clock says when it obeyed
        timed.add(key);
        remote.latencies.push({ id: m.ack, display: m.display, rtt: now() - sent.get(m.ack), oneWay: m.applied - sent.get(m.ack) });
        if (remote.latencies.length > 500) remote.latencies.shift();
      }
      if (m.lead) { remote.state = m; show(); }
      showDisplays();
    }
  }
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + document.body.dataset.ws);
    ws.onopen = () => { retry = 500; remote.connected = true; showDisplays(); };
    ws.onmessage = (e) => { let m; try { m = JSON.parse(e.data); } catch (err) { return; } receive(m); };
    ws.onclose = () => {
      remote.connected = false; ws = null;
      link("与工作室断开：正在重试…", "offline");
      setTimeout(connect, retry); retry = Math.min(retry * 2, 8000);
    };
  }
  const s = () => remote.state || {};
  const actions = {
    play: () => send("play", { value: !(s().playing || s().counting) }),
    slower: () => send("speed", { step: -1 }), faster: () => send("speed", { step: 1 }),
    prev: () => send("segment", { step: -1 }), next: () => send("segment", { step: 1 }),
    smaller: () => send("font", { step: -1 }), bigger: () => send("font", { step: 1 }),
    mirror: () => send("mirror", { value: !s().mirrored }), top: () => send("top"),
  };
  for (const [id, fn] of Object.entries(actions)) $(id).addEventListener("click", fn);
  document.addEventListener("keydown", (e) => {
    const map = { " ": "play", ".": "play", "b": "play", "ArrowUp": "faster", "ArrowDown": "slower", "ArrowLeft": "prev",
                  "PageUp": "prev", "ArrowRight": "next", "PageDown": "next", "+": "bigger", "=": "bigger", "-": "smaller",
                  "m": "mirror", "M": "mirror", "Home": "top" };
    if (map[e.key] && !e.target.closest("#outline")) { e.preventDefault(); actions[map[e.key]](); }
  });
  for (const b of document.querySelectorAll("#pad button")) b.disabled = true;
  connect();
})();
