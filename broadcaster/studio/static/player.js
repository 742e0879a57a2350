// The subtitle player: each cue (and the supers and cards) over a 16:9 black frame, in time with the rehearsal audio
// or, without it, a clock; when the set has a preview video, the video itself (subtitles and graphics burned in).
import { el, stamp, T } from './common.js';

export function makePlayer(id) {
  const cueBox = document.getElementById('player-cue');
  const superBox = document.getElementById('player-super');
  const cardBox = document.getElementById('player-card');
  const clockBox = document.getElementById('player-clock');
  const play = document.getElementById('player-play');
  const seek = document.getElementById('player-seek');
  const time = document.getElementById('player-time');
  const segment = document.getElementById('player-segment');
  const source = document.getElementById('player-source');
  const audio = document.getElementById('player-audio');
  const video = document.getElementById('player-video');
  let media = audio;
  let cues = [], supers = [], total = 1, useAudio = false, running = false, origin = 0, offset = 0, frame = null;

  function now() {
    if (useAudio) return media.currentTime * 1000;
    return running ? offset + (performance.now() - origin) : offset;
  }
  function find(t, list = cues) {  // binary search: the cue showing at t, or none
    let lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].end <= t) lo = mid + 1; else if (list[mid].start > t) hi = mid - 1; else return list[mid];
    }
    return null;
  }
  function show(box, item) { const text = item ? item.lines.join('\n') : ''; if (box.textContent !== text) box.textContent = text; box.hidden = !item; }
  function draw() {
    const t = now();
    const cue = find(t);
    const text = cue ? cue.lines.join('\n') : '';
    if (cueBox.textContent !== text) cueBox.textContent = text;
    cueBox.dataset.cue = cue ? cue.n : '';
    const graphic = find(t, supers);  // a name super (lower third) or a title card (centred), as the video has them
    show(superBox, graphic && !graphic.card ? graphic : null);
    show(cardBox, graphic && graphic.card ? graphic : null);
    clockBox.textContent = stamp(t);
    time.textContent = stamp(t).slice(3, 10);
    if (document.activeElement !== seek) seek.value = String(Math.round(1000 * t / total));
    if (!useAudio && running && t >= total) stop();
    frame = running ? requestAnimationFrame(draw) : null;
  }
  function start() {
    running = true; play.textContent = T("Pause");
    if (useAudio) media.play(); else origin = performance.now();
    if (!frame) frame = requestAnimationFrame(draw);
  }
  function stop() {
    if (!useAudio) offset = now();
    running = false; play.textContent = T("Play");
    if (useAudio) media.pause();
    draw();
  }
  function jump(t) {
    if (useAudio) media.currentTime = t / 1000; else { offset = t; origin = performance.now(); }
    draw();
  }
  play.addEventListener('click', () => (running ? stop() : start()));
  seek.addEventListener('input', () => jump(Number(seek.value) / 1000 * total));
  segment.addEventListener('change', () => jump(Number(segment.value)));
  audio.addEventListener('ended', stop);
  video.addEventListener('ended', stop);

  return {
    load(preview, files = []) {
      if (running) stop();
      const film = preview && !preview.recording && files.find((f) => f.name.endsWith('.preview.mp4'));
      media = film ? video : audio;  // the preview video carries its own subtitles, supers, cards (and audio)
      video.hidden = !film;
      for (const box of [cueBox, superBox, cardBox]) box.classList.toggle('burned', !!film);
      if (film) video.src = film.url; else video.removeAttribute('src');
      cues = preview ? preview.cues : [];
      supers = preview && preview.supers ? preview.supers : [];
      total = Math.max(1, preview ? preview.total_ms : 1);
      const programme = preview && preview.audio.find((a) => a.start === 0 && a.title === 'Programme');
      const recording = preview && preview.recording;
      useAudio = !!(programme || recording || film);
      if (recording) audio.src = `/episodes/${id}/recording`;
      else if (programme && !film) audio.src = `/episodes/${id}/files/${encodeURIComponent(programme.file)}`;
      else audio.removeAttribute('src');
      source.textContent = film ? T("the preview video") : recording ? T("in time with the real recording") : programme ? T("in time with the rehearsal audio")
        : T("on a clock (no rehearsal audio yet)");
      segment.replaceChildren(el('option', { value: 0 }, T("Jump to…")),
        ...(preview ? preview.segments.map((g) => el('option', { value: g.start }, `${g.number}. ${g.title}`)) : []));
      offset = 0;
      draw();
    },
    jump, now,
  };
}
