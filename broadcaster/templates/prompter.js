"use strict";
// Teleprompter: scroll by elapsed time (requestAnimationFrame), keys that clickers and pedals send,
// touch (tap pauses, drag moves the text, pinch sizes it), and an operator's remote when served.
(function () {
  const $ = (id) => document.getElementById(id);
  const script = $("script"), stage = $("stage"), root = document.documentElement, body = document.body;
  const bar = $("bar"), readline = $("readline"), panel = $("remote");  // panel: filled in when served
  const segments = Array.from(document.querySelectorAll(".segment"));
  const turns = Array.from(document.querySelectorAll(".turn"));
  const blocks = Array.from(script.querySelectorAll("h2, .cue, p"));  // what a reading position is anchored to
  const params = new URLSearchParams(location.search);
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const totalReadMs = Number(body.dataset.readMs) || 1;
  const state = { pos: 0, speed: 0, playing: false, mirrored: false, font: 64, counting: false, dragging: false,
                  segment: 0, segElapsed: segments.map(() => 0), last: null, audio: null, awake: false, userFont: false };
  window.prompter = state;  // for tests and for a producer's console
  let changed = () => {};  // tells an operator's remote (when served) what the display shows

  const readLineY = () => readline.offsetTop;
  const clamp = (v, a, b) => Math.max(a, Math.min(b, v));
  const clock = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); };
  function maxPos() { return Math.max(0, script.scrollHeight - stage.clientHeight * 0.5); }
  function apply() { script.style.transform = "translateY(" + (-state.pos).toFixed(1) + "px)"; }
  function topOf(el) { let y = 0; for (let e = el; e && e !== script; e = e.offsetParent) y += e.offsetTop; return y; }
  // Start at a pace that reads the whole script in its estimated time.
  function defaultSpeed() { return Math.max(1, (script.scrollHeight - stage.clientHeight) / (totalReadMs / 1000)); }
  // The text is as large, relative to the screen, as 64 px on a 1920x1080 monitor, on whichever side is tighter.
  function screenFont() { return clamp(Math.round(Math.max(64 * innerHeight / 1080, 64 * innerWidth / 1920)), 24, 160); }
  const fontStep = () => Math.max(2, Math.round(screenFont() * 6 / 64));

  function currentSegment() {
    const y = state.pos + readLineY();
    let i = 0;
    segments.forEach((s, k) => { if (topOf(s) <= y + 2) i = k; });
    return i;
  }
  function currentTurn() {
    const y = state.pos + readLineY();
    let i = 0;
    turns.forEach((t, k) => { if (topOf(t) <= y + 2) i = k; });
    return i;
  }
  function blockAtLine() {  // (block, fraction) under the reading line: survives a font change
    const y = state.pos + readLineY();
    let best = null;
    for (const b of blocks) { if (topOf(b) <= y) best = b; else break; }
    if (!best) return null;
    return { el: best, frac: (y - topOf(best)) / Math.max(1, best.offsetHeight) };
  }
  function posAt(el, frac) {  // the scroll position that puts fraction frac of a block on the reading line
    return clamp(topOf(el) + frac * el.offsetHeight - readLineY(), 0, maxPos());
  }
  function restore(mark) {
    if (!mark) return;
    state.pos = posAt(mark.el, mark.frac);
    apply();
  }
  const shown = {};  // what the bar shows: written only when it changes (no layout work every frame)
  function text(id, value) { if (shown[id] !== value) { shown[id] = value; $(id).textContent = value; } }
  function show() {
    state.segment = currentSegment();
    const seg = segments[state.segment];
    const est = Number(seg.dataset.readMs), el = state.segElapsed[state.segment];
    text("segname", (state.segment + 1) + "/" + segments.length + " " + seg.dataset.title);
    text("elapsed", clock(el) + " / " + clock(est));
    text("remaining", el > est ? "+" + clock(el - est) : clock(est - el));
    text("speed", percent() + "%");
    if (shown.playing !== state.playing) { shown.playing = state.playing; $("play").setAttribute("aria-pressed", String(state.playing)); }
    const y = state.pos + readLineY();
    turns.forEach((t) => t.classList.toggle("current", topOf(t) <= y && y < topOf(t) + t.offsetHeight));
  }
  const percent = () => Math.round(state.speed / defaultSpeed() * 100);
  function frame(now) {
    if (state.last !== null && state.playing) {
      const dt = Math.min(0.25, (now - state.last) / 1000);  // by elapsed time, not per frame
      if (state.audio && !state.audio.paused) followAudio();
      else if (!state.dragging) state.pos = clamp(state.pos + state.speed * dt, 0, maxPos());
      state.segElapsed[currentSegment()] += dt * 1000;
      apply();
    }
    state.last = now;
    show();
    requestAnimationFrame(frame);
  }

  // Screen Wake Lock while the text scrolls, where the browser has it (secure contexts: file:, https:, localhost).
  let lock = null;
  async function wake(on) {
    if (!("wakeLock" in navigator)) return;
    try {
      if (on && !lock) {
        lock = await navigator.wakeLock.request("screen");
        state.awake = true;
        lock.addEventListener("release", () => { lock = null; state.awake = false; });
      } else if (!on && lock) { await lock.release(); }
    } catch (err) { lock = null; state.awake = false; }  // refused (hidden tab, power saving): the page scrolls anyway
  }
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible" && state.playing) wake(true); });

  // Controls hide while the text scrolls; a tap, a click or a mouse move brings them back for a few seconds.
  let idleTimer = null;
  function poke() {
    body.classList.remove("idle");
    clearTimeout(idleTimer);
    if (state.playing) idleTimer = setTimeout(() => {
      if (state.playing && !bar.classList.contains("menu-open")) body.classList.add("idle");
    }, 2500);
  }
  function setPlaying(on) {
    state.playing = on;
    if (on && panel) panel.hidden = true;
    state.last = null;
    wake(on);
    if (!on && state.audio) state.audio.pause();
    poke();
    changed();
  }
  function countdown(then) {
    let n = Number(params.get("countdown") ?? 3);
    if (n <= 0) return then();
    state.counting = true;
    const box = $("countdown");
    box.classList.add("on"); box.textContent = n;
    const tick = setInterval(() => {
      n -= 1;
      if (n > 0) { box.textContent = n; return; }
      clearInterval(tick); box.classList.remove("on"); state.counting = false; then();
    }, 1000);
  }
  function play(on) {
    if (state.counting || on === state.playing) return;
    if (!on) return setPlaying(false);
    countdown(() => setPlaying(true));
  }
  const toggle = () => play(!state.playing);
  function speed(factor) { state.speed = clamp(state.speed * factor, 5, 2000); changed(); }
  function setPercent(p) { state.speed = clamp(defaultSpeed() * p / 100, 5, 2000); changed(); }
  function gotoBlock(el) {
    state.pos = clamp(topOf(el) - readLineY(), 0, maxPos());
    apply(); changed();
  }
  const gotoSegment = (i) => gotoBlock(segments[clamp(i, 0, segments.length - 1)].querySelector("h2"));
  const gotoTurn = (i) => gotoBlock(turns[clamp(i, 0, turns.length - 1)]);
  function setFont(px, mark) {
    mark = mark || blockAtLine();
    const pct = state.speed / defaultSpeed();  // the pace through the text stays the same
    state.font = clamp(Math.round(px), 24, 160);
    root.style.setProperty("--font", state.font + "px");
    restore(mark);
    state.speed = clamp(pct * defaultSpeed(), 5, 2000);
    changed();
  }
  function font(delta) { state.userFont = true; setFont(state.font + delta); }
  function mirror(on) {
    state.mirrored = typeof on === "boolean" ? on : !state.mirrored;
    stage.classList.toggle("mirrored", state.mirrored);
    body.classList.toggle("mirrored", state.mirrored);
    $("mirror").setAttribute("aria-pressed", String(state.mirrored));
    changed();
  }
  // Rehearsal: the audio preview drives the scroll; each turn knows when it is spoken.
  function followAudio() {
    const t = state.audio.currentTime * 1000;
    for (const turn of turns) {
      const a = Number(turn.dataset.start), b = Number(turn.dataset.end);
      if (t >= a && t <= b) { state.pos = clamp(topOf(turn) + (t - a) / Math.max(1, b - a) * turn.offsetHeight - readLineY(), 0, maxPos()); return; }
    }
  }
  function rehearse() {
    const audio = $("preview");
    if (!audio) return;
    state.audio = audio;
    if (audio.paused) { audio.play(); setPlaying(true); } else { setPlaying(false); }
  }
  function menu(open) {
    const on = typeof open === "boolean" ? open : !bar.classList.contains("menu-open");
    bar.classList.toggle("menu-open", on);
    if ($("menubtn")) $("menubtn").setAttribute("aria-expanded", String(on));
  }
  const actions = {
    play: toggle, slower: () => speed(1 / 1.1), faster: () => speed(1.1),
    prev: () => gotoSegment(currentSegment() - 1), next: () => gotoSegment(currentSegment() + 1),
    smaller: () => font(-fontStep()), bigger: () => font(fontStep()), mirror: mirror,
    top: () => { state.pos = 0; apply(); changed(); }, rundownbtn: () => $("rundown").classList.toggle("on"),
    rehearse: rehearse, menubtn: menu, remotebtn: () => { panel.hidden = !panel.hidden; },
  };
  for (const [id, fn] of Object.entries(actions)) {
    const b = $(id);
    if (b) b.addEventListener("click", (e) => { if (id !== "menubtn") menu(false); fn(); e.currentTarget.blur(); poke(); });
  }
  document.addEventListener("keydown", (e) => {
    const k = e.key;
    const map = { " ": "play", "ArrowUp": "faster", "ArrowDown": "slower", "PageUp": "prev", "ArrowLeft": "prev",
                  "PageDown": "next", "ArrowRight": "next", "+": "bigger", "=": "bigger", "-": "smaller",
                  "m": "mirror", "M": "mirror", "Home": "top", ".": "play", "b": "play", "B": "play" };
    if (k === "Escape") { menu(false); $("rundown").classList.remove("on"); if (panel) panel.hidden = true; return; }
    if (map[k]) { e.preventDefault(); actions[map[k]](); }
  });

  // Touch and mouse on the text: a tap pauses or resumes, a drag moves the text by hand (the scroll goes
  // on from there), two fingers pinch the size; a mouse wheel moves the text too.
  const pointers = new Map();
  let gesture = null;
  const spread = () => { const [a, b] = Array.from(pointers.values()); return Math.hypot(a.x - b.x, a.y - b.y) || 1; };
  stage.addEventListener("pointerdown", (e) => {
    if (e.button > 0) return;
    if (bar.classList.contains("menu-open") || (panel && !panel.hidden)) {  // a tap beside an open panel closes it
      menu(false); if (panel) panel.hidden = true; gesture = { kind: "done" }; pointers.set(e.pointerId, {}); return;
    }
    poke();
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    try { stage.setPointerCapture(e.pointerId); } catch (err) { /* the pointer is already gone */ }
    if (pointers.size === 1) gesture = { kind: "tap", y0: e.clientY, pos0: state.pos, t0: performance.now(), type: e.pointerType };
    else if (pointers.size === 2) { state.dragging = false; gesture = { kind: "pinch", d0: spread(), font0: state.font, mark: blockAtLine() }; }
  });
  stage.addEventListener("pointermove", (e) => {
    if (e.pointerType === "mouse" && !pointers.size) { if (e.movementX || e.movementY) poke(); return; }
    if (!pointers.has(e.pointerId) || !gesture) return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (gesture.kind === "tap" && Math.abs(e.clientY - gesture.y0) > 8) { gesture.kind = "drag"; state.dragging = true; }
    if (gesture.kind === "drag") { state.pos = clamp(gesture.pos0 - (e.clientY - gesture.y0), 0, maxPos()); apply(); }
    else if (gesture.kind === "pinch" && pointers.size === 2) { state.userFont = true; setFont(gesture.font0 * spread() / gesture.d0, gesture.mark); }
  });
  function lift(e) {
    if (!pointers.delete(e.pointerId) || !gesture) return;
    if (gesture.kind === "tap" && e.type === "pointerup" && gesture.type !== "mouse" && performance.now() - gesture.t0 < 500) toggle();
    if (gesture.kind === "drag") { state.dragging = false; state.last = null; changed(); }
    gesture = pointers.size ? { kind: "done" } : null;  // the rest of a pinch moves nothing
  }
  bar.addEventListener("pointerdown", poke);  // a tap on the clocks brings the controls back without pausing
  stage.addEventListener("pointerup", lift);
  stage.addEventListener("pointercancel", lift);
  stage.addEventListener("wheel", (e) => {
    e.preventDefault();
    state.pos = clamp(state.pos + (e.deltaMode === 1 ? e.deltaY * 40 : e.deltaY), 0, maxPos());
    apply(); changed();
  }, { passive: false });
  const barHeight = () => root.style.setProperty("--barh", bar.offsetHeight + "px");  // panels open below the bar
  window.addEventListener("resize", () => {  // rotation, a window dragged to another screen
    barHeight();
    const mark = blockAtLine();
    script.style.paddingTop = Math.round(readLineY()) + "px";
    setFont(state.userFont ? state.font : screenFont(), mark);
  });

  // An operator's remote, when `broadcaster serve` serves this page (broadcaster/studio/remote.py fills #remote).
  // Opened from disk the page makes no connection at all.
  if (panel && panel.dataset.ws && "WebSocket" in window) {
    const plain = (el) => {  // the words without pinyin or spoken-number annotations
      let out = "";
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) if (!n.parentElement.closest("rt, rp, .time")) out += n.textContent;
      return out.trim();
    };
    const segmenter = "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
    const chars = (text) => (segmenter ? Array.from(segmenter.segment(text), (g) => g.segment) : Array.from(text));
    // whole characters only (never half of 𠮷 or of an emoji): what goes to the remote is cut on grapheme clusters
    const cut = (text, from, to) => chars(text).slice(from, to).join("");
    const programme = script.querySelector("h1.programme");
    const outline = { title: programme ? plain(programme) : document.title, segments: segments.map((s) => ({
      title: s.dataset.title, turns: Array.from(s.querySelectorAll(".turn")).map((t) => ({ index: turns.indexOf(t), cue: plain(t.querySelector(".cue")),
        words: t.querySelector("p") ? cut(plain(t.querySelector("p")), 0, 30) : "" })) })) };
    let ws = null, retry = 500, sentAt = 0, pending = null, ack = null, applied = 0, seq = 0;
    const status = (text) => { const el = $("remotestatus"); if (el) el.textContent = text; };
    function report() {
      const mark = blockAtLine(), seg = state.segment = currentSegment();
      let words = mark ? mark.el : null, frac = mark ? mark.frac : 0;
      if (words && words.tagName !== "P") {  // on a title or a speaker's name: the words that come next
        words = blocks.slice(blocks.indexOf(words) + 1).find((b) => b.tagName === "P") || words; frac = 0;
      }
      const text = words ? plain(words) : "";
      const at = Math.floor(frac * chars(text).length);
      return { type: "state", segment: seg, segments: segments.length, turn: currentTurn(), playing: state.playing,
        counting: state.counting, percent: percent(), mirrored: state.mirrored, scale: state.font / screenFont(),
        progress: maxPos() ? state.pos / maxPos() : 0, elapsed: Math.round(state.segElapsed[seg]),
        estimate: Number(segments[seg].dataset.readMs), anchor: mark ? [blocks.indexOf(mark.el), mark.frac] : [0, 0],
        line: cut(text, Math.max(0, at - 4), at + 36), ack: ack, applied: applied, seq: seq };
    }
    function send(message) {
      if (!ws || ws.readyState !== 1) return;
      ws.send(JSON.stringify(message)); sentAt = performance.now();
    }
    changed = () => {  // at most every 100 ms; while scrolling, frame() reports every 250 ms
      if (pending) return;
      pending = setTimeout(() => { pending = null; send(report()); }, Math.max(0, 100 - (performance.now() - sentAt)));
    };
    const tick = () => { if (state.playing && performance.now() - sentAt > 250) changed(); };
    setInterval(tick, 125);
    const steps = { speed: (n) => speed(Math.pow(1.1, n)), segment: (n) => gotoSegment(currentSegment() + n),
                    font: (n) => font(n * fontStep()) };
    function run(m) {
      const v = m.value, n = m.step;
      if (typeof n === "number" && steps[m.cmd]) steps[m.cmd](n);
      else if (m.cmd === "play") play(typeof v === "boolean" ? v : !state.playing);
      else if (m.cmd === "speed" && typeof v === "number") setPercent(clamp(v, 10, 400));
      else if (m.cmd === "segment" && typeof v === "number") gotoSegment(v);
      else if (m.cmd === "turn" && typeof v === "number") gotoTurn(v);
      else if (m.cmd === "font" && typeof v === "number") { state.userFont = true; setFont(screenFont() * clamp(v, 0.3, 3)); }
      else if (m.cmd === "mirror") mirror(typeof v === "boolean" ? v : undefined);
      else if (m.cmd === "top") actions.top();
      ack = typeof m.id === "number" ? m.id : ack;
      seq = typeof m.seq === "number" ? m.seq : seq;
      applied = performance.timeOrigin + performance.now();
      state.lastCommand = { cmd: m.cmd, id: m.id, sent: m.sent, applied: applied };
      send(report());
    }
    function follow(lead) {  // a second display (confidence monitor) keeps step with the first
      // not while a hand moves this one, nor from a report older than the last command this display obeyed
      if (state.dragging || state.counting || !Array.isArray(lead.anchor) || !(lead.seq >= seq)) return;
      if (typeof lead.mirrored === "boolean" && lead.mirrored !== state.mirrored) mirror(lead.mirrored);
      if (typeof lead.percent === "number" && Math.abs(lead.percent - percent()) > 1) setPercent(lead.percent);
      if (typeof lead.playing === "boolean" && lead.playing !== state.playing && !lead.counting) setPlaying(lead.playing);
      const b = blocks[lead.anchor[0]];
      if (!b) return;
      const target = posAt(b, lead.anchor[1]), diff = target - state.pos;
      if (Math.abs(diff) > 3 * state.font) state.pos = target;
      else if (Math.abs(diff) > 0.3 * state.font) state.pos += diff * 0.3;
      apply();
    }
    // Until an operator connects, a page that is not scrolling shows the QR code; it goes once one does.
    let qrShown = false, auto = true;
    function operators(n) {
      status(n ? "导播遥控已连接（" + n + "）" : "已连接：等待导播用手机扫码");
      if (n && auto && qrShown) panel.hidden = true;
      if (!n && auto && !state.playing && window.top === window) { panel.hidden = false; qrShown = true; }
      if (n) auto = false;
    }
    if ($("remotebtn")) $("remotebtn").addEventListener("click", () => { auto = false; });
    function connect() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      ws = new WebSocket(scheme + location.host + panel.dataset.ws);
      ws.onopen = () => { retry = 500; status("已连接：导播可以控制这个画面"); send({ type: "hello", outline: outline, state: report(), framed: window.top !== window }); };
      ws.onmessage = (e) => {
        let m; try { m = JSON.parse(e.data); } catch (err) { return; }
        if (m.type === "cmd") run(m); else if (m.type === "lead") follow(m);
        else if (m.type === "operators") operators(m.count);
      };
      ws.onclose = () => { status("未连接：正在重试…"); ws = null; setTimeout(connect, retry); retry = Math.min(retry * 2, 8000); };
    }
    if ($("remotebtn")) $("remotebtn").hidden = false;
    state.remote = true;
    if (!("wakeLock" in navigator)) {  // plain http on the LAN is not a secure context: no Wake Lock there
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = "这个浏览器在此地址下不能保持屏幕常亮：请把平板的自动锁屏设为“永不”，或用 https 打开。";
      panel.insertBefore(note, $("remotestatus"));
    }
    connect();
  }

  // the script starts at the reading line, so every block (the first title too) can reach it
  script.style.paddingTop = Math.round(readLineY()) + "px";
  barHeight();
  state.font = screenFont();
  root.style.setProperty("--font", state.font + "px");
  state.speed = defaultSpeed();
  apply();
  if (!reduced && params.get("autostart") === "1") toggle();  // reduced motion: always starts paused
  requestAnimationFrame(frame);
})();
