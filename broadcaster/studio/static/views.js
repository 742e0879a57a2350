// The read-only views: what was understood, the cue table, the rundown, files, history, audio, prompter.
import { chip, clock, el, LANG, size, stamp, T } from './common.js';

export function understood(root, s, jump) {
  root.replaceChildren();
  if (s.error) {
    root.append(el('ul', { class: 'warnings' }, el('li', { class: 'error' },
      el('button', { type: 'button', onclick: () => jump(s.line || 1) }, el('span', { class: 'at' }, T("line {line}", { line: s.line || 1 })), s.error))));
    return;
  }
  const warnings = s.warnings || [];
  root.append(el('div', { class: 'facts', 'data-testid': 'facts' },
    el('span', { class: 'fact', 'data-testid': 'segments' }, el('b', {}, s.segments), T("segments")),
    el('span', { class: 'fact', 'data-testid': 'turns' }, el('b', {}, s.turns), T("turns")),
    el('span', { class: 'fact' }, el('b', {}, s.speakers.length), T("speakers")),
    el('span', { class: 'fact' }, el('b', {}, clock(s.estimated_ms)), T("estimated")),
    el('span', { class: 'fact', 'data-testid': 'warning-count' }, el('b', {}, warnings.length), warnings.length === 1 ? T("warning") : T("warnings"))));
  root.append(el('div', { class: 'chips', 'data-testid': 'speakers' },
    s.speakers.map((sp) => { const c = chip(sp); c.append(el('span', { class: 'muted' }, ` ${sp.turns}`)); return c; })));
  if (warnings.length) {
    root.append(el('ul', { class: 'warnings', 'data-testid': 'warnings' }, warnings.map((w) =>
      el('li', { class: w.level }, el('button', { type: 'button', 'data-line': w.line, onclick: () => jump(w.line) },
        el('span', { class: 'at' }, T("line {line}", { line: w.line })), el('span', {}, w.message))))));
  } else {
    root.append(el('p', { class: 'ok-note' }, T("No warnings: everything was read as written.")));
  }
  for (const seg of s.outline) {
    root.append(el('div', { class: 'segment', 'data-testid': 'segment' },
      el('div', { class: 'segment-head' }, el('span', { class: 'num' }, seg.number),
        el('span', { class: 'title' }, seg.section ? `${seg.section} / ${seg.title}` : seg.title),
        el('span', { class: 'read' }, T("{turns} turns · {read_ms}", { turns: seg.turns.length, read_ms: clock(seg.read_ms) }))),
      seg.credits.length ? el('div', { class: 'credits' }, seg.credits.join(' · ')) : null,
      el('ul', { class: 'turns' }, seg.turns.map((t) => el('li', { 'data-testid': 'turn' },
        el('button', { type: 'button', onclick: () => jump(t.line), title: T("line {line}", { line: t.line }) },
          el('span', { class: 'at' }, `L${t.line}`), chip(t), el('span', { class: 'opening' }, t.opening),
          el('span', { class: 'read' }, clock(t.read_ms))))))));
  }
}

export function subtitles(root, p, play) {
  root.replaceChildren();
  if (!p) { root.append(el('p', { class: 'empty' }, T("Render the episode to see its subtitles."))); return; }
  root.append(el('p', {}, el('b', {}, `${p.profile.name}`), T(" · at most {max_width} wide, {max_cps} characters/s, {fps} fps · ", { max_width: p.profile.max_width, max_cps: p.profile.max_cps, fps: p.profile.fps }),
    el('span', { class: p.violations ? 'reasons' : 'ok-note', 'data-testid': 'qc-summary' },
      p.violations ? T("{violations} QC violations (in red)", { violations: p.violations }) : T("no QC violations"))));
  const rows = p.cues.map((c) => {
    const bad = c.violations.length > 0;
    return el('tr', { class: bad ? 'bad' : '', 'data-testid': 'cue', title: T("Show in the player"), onclick: () => play(c.start) },
      el('td', { class: 'num' }, c.n), el('td', { class: 'num' }, stamp(c.start)), el('td', { class: 'num' }, stamp(c.end)),
      el('td', { class: 'num' }, ((c.end - c.start) / 1000).toFixed(2)),
      el('td', { class: `num${c.width > p.profile.max_width ? ' over' : ''}` }, c.width),
      el('td', { class: `num${c.cps > p.profile.max_cps ? ' over' : ''}` }, c.cps.toFixed(1)),
      el('td', {}, c.lines.join(' / '), bad ? el('div', { class: 'reasons' }, c.violations.join('; ')) : null),
      el('td', {}, c.speaker));
  });
  root.append(el('table', { class: 'grid', 'data-testid': 'cue-table' },
    el('thead', {}, el('tr', {}, ['#', T("start"), T("end"), T("dur s"), T("width"), T("cps")].map((h) => el('th', { class: 'num' }, h)),
      el('th', {}, T("text")), el('th', {}, T("speaker")))), el('tbody', {}, rows)));
}

export function rundown(root, p) {
  root.replaceChildren();
  if (!p) { root.append(el('p', { class: 'empty' }, T("Render the episode to see the rundown."))); return; }
  const back = p.hard_out_ms !== null && p.hard_out_ms !== undefined;
  root.append(el('p', {}, T("Total {total_ms} · times from {timing}", { total_ms: clock(p.total_ms), timing: p.timing === 'estimate' ? T("the speaking-rate estimate") : p.timing }),
    back ? T(" · hard out {hard_out_ms}: {total_ms}", { hard_out_ms: clock(p.hard_out_ms), total_ms: p.total_ms > p.hard_out_ms ? T("over by ") + clock(p.total_ms - p.hard_out_ms) : T("under by ") + clock(p.hard_out_ms - p.total_ms) }) : T(" · set a hard out in Settings for back-times")));
  const rows = [];
  for (const r of p.rundown) {
    rows.push(el('tr', {}, el('td', { class: 'num' }, r.number), el('td', {}, el('b', {}, r.title)), el('td', { class: 'num' }, r.read),
      el('td', { class: 'num' }, r.start), el('td', { class: 'num' }, r.cumulative), back ? el('td', { class: 'num', 'data-testid': 'backtime' }, r.backtime) : null));
    for (const [name, at, read] of r.turns) {
      rows.push(el('tr', { class: 'muted' }, el('td', {}), el('td', {}, `  ${name}`), el('td', { class: 'num' }, read),
        el('td', { class: 'num' }, `+${at}`), el('td', {}), back ? el('td', {}) : null));
    }
  }
  root.append(el('table', { class: 'grid', 'data-testid': 'rundown-table' }, el('thead', {}, el('tr', {},
    el('th', { class: 'num' }, '#'), el('th', {}, T("segment / speaker")), el('th', { class: 'num' }, T("read")), el('th', { class: 'num' }, T("starts")),
    el('th', { class: 'num' }, T("cumulative")), back ? el('th', { class: 'num' }, T("back-time")) : null)), el('tbody', {}, rows)));
}

const KINDS = [  // what each file is, by how its name ends (longest first)
  ['.prompter.html', T("prompter page (open it for the host)")], ['.prompter.txt', T("prompter script")],
  ['.rundown.md', T("rundown with read times")], ['.qc.md', T("subtitle QC report")], ['.cues.txt', T("cue list for 剪映 / Arctime")],
  ['.supers.srt', T("name supers")], ['.supers.ass', T("name supers (styled)")], ['.supers.vtt', T("name supers")],
  ['.align.md', T("alignment to the recording")], ['.preview.mp4', T("preview video")], ['.fcpxml', T("Final Cut / Resolve timeline")],
  ['.xml', T("Premiere timeline (FCP7 XML)")], ['.srt', T("subtitles (SRT)")], ['.vtt', T("subtitles (WebVTT)")], ['.ass', T("subtitles (ASS)")],
  ['.mp3', T("rehearsal audio")], ['.wav', T("rehearsal audio")],
];
function kind(name) { const k = KINDS.find(([end]) => name.endsWith(end)); return k ? k[1] : ''; }

export function setNote(set) {  // which text version the files shown were made from
  if (!set) return null;
  const when = new Date(set.finished * 1000).toLocaleString(LANG);
  return el('p', { class: set.stale ? 'stale-note' : 'muted', 'data-testid': 'set-version' },
    T("These files are one render of version {version} ({when})", { version: set.version, when: when }),
    set.stale ? T(": the text has changed since — render again for the current version.") : '.');
}

export function files(root, id, list, set) {
  root.replaceChildren();
  if (!list.length) { root.append(el('p', { class: 'empty' }, T("Nothing rendered yet."))); return; }
  root.append(setNote(set));
  root.append(el('div', { class: 'toolbar' }, el('a', { class: 'button', href: `/api/episodes/${id}/files.zip`, 'data-testid': 'zip-link' }, T("Download everything (.zip)"))));
  root.append(el('table', { class: 'grid', 'data-testid': 'file-list' }, el('tbody', {}, list.map((f) => el('tr', {},
    el('td', {}, el('a', { href: `${f.url}?download=1`, download: f.name }, f.name)),
    el('td', { class: 'muted' }, kind(f.name)),
    el('td', { class: 'num' }, size(f.size)),
    el('td', {}, el('a', { href: f.url, target: '_blank', rel: 'noopener' }, T("open"))))))));
  const media = list.filter((f) => /\.(mp4|mp3|wav)$/.test(f.name));  // played right here, as well as opened alone
  if (media.length) {
    root.append(el('div', { class: 'file-media', 'data-testid': 'file-media' }, media.map((f) => el('figure', {},
      f.name.endsWith('.mp4') ? el('video', { controls: true, preload: 'metadata', src: f.url, 'data-testid': 'file-video' })
        : el('audio', { controls: true, preload: 'none', src: f.url }),
      el('figcaption', { class: 'muted small' }, f.name)))));
  }
}

export function prompter(root, id, p) {
  root.replaceChildren();
  if (!p) { root.append(el('p', { class: 'empty' }, T("Render the episode to see the prompter page."))); return; }
  const url = `/episodes/${id}/files/${encodeURIComponent(p.prompter)}`;
  const frame = el('iframe', { class: 'prompter-frame', src: url, title: T("Prompter page"), 'data-testid': 'prompter-frame' });
  root.append(el('div', { class: 'toolbar' },
    el('button', { type: 'button', onclick: () => frame.requestFullscreen && frame.requestFullscreen() }, T("Full screen")),
    el('a', { class: 'button', href: url, target: '_blank', rel: 'noopener' }, T("Open for the host (new window)")),
    el('a', { class: 'button', href: `/remote/${id}?page=${encodeURIComponent(p.prompter)}`, target: '_blank', rel: 'noopener',
              'data-testid': 'remote-link' }, T("Operator remote")),
    el('span', { class: 'muted small' }, T("Space starts and pauses, ↑/↓ speed, ←/→ segments, M mirrors; the host's page (menu → 遥控) shows a QR code for the operator's phone."))), frame);
}

export function audio(root, id, p, job, stale) {
  root.replaceChildren();
  root.append(el('p', { class: 'muted' }, T("Rehearsal audio: every turn spoken with its speaker's voice (Settings), and the subtitles, rundown and prompter timed to it.")));
  if (job) {
    const prog = job.progress || {};
    const pct = prog.total ? Math.round(100 * prog.done / prog.total) : (job.status === 'done' ? 100 : 0);
    const label = job.status === 'failed' ? T("Failed: {error}", { error: job.error }) : job.status === 'done' ? T("Done")
      : prog.phase === 'synthesizing' ? T("Synthesizing: {done} of {total} clips ({cached} from cache)", { done: prog.done, total: prog.total, cached: prog.cached || 0 })
      : prog.phase === 'encoding' ? T("Encoding the audio files…")
      : prog.phase === 'video' ? T("Encoding the preview video: {pct}% ({done} of {total} s)", { pct: pct, done: Math.floor(prog.done), total: Math.round(prog.total) })
      : prog.phase === 'rendering' ? T("Rendering (a preview video takes a few minutes)…") : T("Waiting for a render process…");
    root.append(el('div', { class: 'progress', role: 'progressbar', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-testid': 'audio-progress' },
      bar(pct)), el('p', { class: job.status === 'failed' ? 'reasons' : 'muted', 'data-testid': 'audio-state' }, label));
  }
  const items = (p && p.audio) || [];
  if (!items.length && stale && stale.files.length) {  // audio of an older render: kept, said to be stale, never current
    root.append(el('div', { class: 'stale-note', 'data-testid': 'stale-audio' },
      el('p', {}, T("Stale: this rehearsal audio was made from version {version}; the files shown now are from ", { version: stale.version })
        + T("version {version} and are not timed to it. Press “Rehearsal audio” to make it again.", { version: p ? p.set && p.set.version : '?' })),
      el('ul', { class: 'audio-list' }, stale.files.map((a) => el('li', {}, el('span', {}, T("{title} (v{version}, stale)", { title: T(a.title), version: stale.version })),
        el('audio', { controls: true, preload: 'none', src: a.url }))))));
    return;
  }
  if (!items.length) { root.append(el('p', { class: 'empty' }, T("No rehearsal audio yet: press “Rehearsal audio”."))); return; }
  root.append(el('ul', { class: 'audio-list', 'data-testid': 'audio-list' }, items.map((a) => el('li', {}, el('span', {}, T(a.title)),
    el('audio', { controls: true, preload: 'none', src: `/episodes/${id}/files/${encodeURIComponent(a.file)}` })))));
}

function bar(pct) {
  const fill = el('div');
  fill.style.width = `${pct}%`;  // CSSOM, not a style attribute: the CSP allows no inline styles
  return fill;
}

export function history(root, versions, current, view, restore) {
  root.replaceChildren();
  const shown = el('pre', { class: 'version-text', 'data-testid': 'version-text', hidden: true });
  root.append(el('p', { class: 'muted' }, T("Every save is kept. Restoring makes a new version from an old one; nothing is lost.")));
  root.append(el('table', { class: 'grid', 'data-testid': 'history' }, el('tbody', {}, versions.map((v) => el('tr', {},
    el('td', { class: 'num' }, `v${v.version}`), el('td', {}, new Date(v.saved * 1000).toLocaleString(LANG)),
    el('td', {}, v.note), el('td', { class: 'num' }, T("{characters} chars", { characters: v.characters })),
    el('td', {}, el('button', { type: 'button', onclick: () => view(v.version, shown) }, T("View")), ' ',
      v.version === current ? el('span', { class: 'muted' }, T("current"))
        : el('button', { type: 'button', onclick: () => restore(v.version), 'data-testid': `restore-${v.version}` }, T("Restore"))))))));
  root.append(shown);
}
