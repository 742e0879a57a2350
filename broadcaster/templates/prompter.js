"use strict";
// Teleprompter: scroll by elapsed time (requestAnimationFrame), keys that clickers and pedals send.
(function () {
  const $ = (id) => document.getElementById(id);
  const script = $("script"), stage = $("stage"), root = document.documentElement;
  const segments = Array.from(document.querySelectorAll(".segment"));
  const turns = Array.from(document.querySelectorAll(".turn"));
  const params = new URLSearchParams(location.search);
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const totalReadMs = Number(document.body.dataset.readMs) || 1;
  const state = { pos: 0, speed: 0, playing: false, mirrored: false, font: 64, counting: false,
                  segment: 0, segElapsed: segments.map(() => 0), last: null, audio: null };
  window.prompter = state;  // for tests and for a producer's console

  const readLineY = () => stage.clientHeight * 0.38;
  const clamp = (v, a, b) => Math.max(a, Math.min(b, v));
  const clock = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); };
  function maxPos() { return Math.max(0, script.scrollHeight - stage.clientHeight * 0.5); }
  function apply() { script.style.transform = "translateY(" + (-state.pos).toFixed(1) + "px)"; }
  function topOf(el) { let y = 0; for (let e = el; e && e !== script; e = e.offsetParent) y += e.offsetTop; return y; }
  // Start at a pace that reads the whole script in its estimated time.
  function defaultSpeed() { return (script.scrollHeight - stage.clientHeight) / (totalReadMs / 1000); }

  function currentSegment() {
    const y = state.pos + readLineY();
    let i = 0;
    segments.forEach((s, k) => { if (topOf(s) <= y + 2) i = k; });
    return i;
  }
  function blockAtLine() {  // (block, fraction) under the reading line: survives a font change
    const y = state.pos + readLineY();
    let best = null;
    for (const b of script.querySelectorAll("h2, .cue, p")) { if (topOf(b) <= y) best = b; else break; }
    if (!best) return null;
    return { el: best, frac: (y - topOf(best)) / Math.max(1, best.offsetHeight) };
  }
  function restore(mark) {
    if (!mark) return;
    state.pos = clamp(topOf(mark.el) + mark.frac * mark.el.offsetHeight - readLineY(), 0, maxPos());
    apply();
  }
  function show() {
    state.segment = currentSegment();
    const seg = segments[state.segment];
    const est = Number(seg.dataset.readMs), el = state.segElapsed[state.segment];
    $("segname").textContent = (state.segment + 1) + "/" + segments.length + " " + seg.dataset.title;
    $("elapsed").textContent = clock(el) + " / " + clock(est);
    $("remaining").textContent = (el > est ? "+" + clock(el - est) : clock(est - el));
    $("speed").textContent = (state.speed / Math.max(1, defaultSpeed()) * 100).toFixed(0) + "%";
    $("play").setAttribute("aria-pressed", String(state.playing));
    $("play").textContent = state.playing ? "❚❚ 暂停" : "▶ 开始";
    const y = state.pos + readLineY();
    turns.forEach((t) => t.classList.toggle("current", topOf(t) <= y && y < topOf(t) + t.offsetHeight));
  }
  function frame(now) {
    if (state.last !== null && state.playing) {
      const dt = Math.min(0.25, (now - state.last) / 1000);  // by elapsed time, not per frame
      if (state.audio && !state.audio.paused) followAudio();
      else state.pos = clamp(state.pos + state.speed * dt, 0, maxPos());
      state.segElapsed[currentSegment()] += dt * 1000;
      apply();
    }
    state.last = now;
    show();
    requestAnimationFrame(frame);
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
  function toggle() {
    if (state.counting) return;
    if (state.playing) { state.playing = false; if (state.audio) state.audio.pause(); return; }
    countdown(() => { state.playing = true; state.last = null; });
  }
  function speed(factor) { state.speed = clamp(state.speed * factor, 5, 2000); }
  function gotoSegment(i) {
    i = clamp(i, 0, segments.length - 1);
    state.pos = clamp(topOf(segments[i].querySelector("h2")) - readLineY(), 0, maxPos());
    apply();
  }
  function font(delta) {
    const mark = blockAtLine();
    state.font = clamp(state.font + delta, 24, 160);
    root.style.setProperty("--font", state.font + "px");
    restore(mark);
  }
  function mirror() { state.mirrored = !state.mirrored; stage.classList.toggle("mirrored", state.mirrored);
    $("mirror").setAttribute("aria-pressed", String(state.mirrored)); }
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
    if (audio.paused) { audio.play(); state.playing = true; } else { audio.pause(); state.playing = false; }
  }
  const actions = {
    play: toggle, slower: () => speed(1 / 1.1), faster: () => speed(1.1),
    prev: () => gotoSegment(currentSegment() - 1), next: () => gotoSegment(currentSegment() + 1),
    smaller: () => font(-6), bigger: () => font(6), mirror: mirror,
    top: () => { state.pos = 0; apply(); }, rundownbtn: () => $("rundown").classList.toggle("on"), rehearse: rehearse,
  };
  for (const [id, fn] of Object.entries(actions)) { const b = $(id); if (b) b.addEventListener("click", (e) => { fn(); e.currentTarget.blur(); }); }
  document.addEventListener("keydown", (e) => {
    const k = e.key;
    const map = { " ": "play", "ArrowUp": "faster", "ArrowDown": "slower", "PageUp": "prev", "ArrowLeft": "prev",
                  "PageDown": "next", "ArrowRight": "next", "+": "bigger", "=": "bigger", "-": "smaller",
                  "m": "mirror", "M": "mirror", "Home": "top", ".": "play", "b": "play", "B": "play" };
    if (map[k]) { e.preventDefault(); actions[map[k]](); }
  });
  // the script starts at the reading line, so every block (the first title too) can reach it
  script.style.paddingTop = Math.round(readLineY()) + "px";
  state.speed = defaultSpeed();
  apply();
  if (!reduced && params.get("autostart") === "1") toggle();  // reduced motion: always starts paused
  requestAnimationFrame(frame);
})();
