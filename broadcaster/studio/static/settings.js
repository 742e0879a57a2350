// The settings form, built from the server's schema (RenderOptions), and the speakers' roles, voices and rates.
import { el, T } from './common.js';

function control(spec, value, changed) {
  const id = `opt-${spec.name}`;
  if (spec.widget === 'bool') {
    return el('input', { type: 'checkbox', id, name: spec.name, checked: !!value, onchange: changed });
  }
  if (spec.widget === 'select') {
    const current = value === null || value === undefined ? '' : String(value === 25 ? '25' : value);
    return el('select', { id, name: spec.name, onchange: changed }, spec.choices.map(([v, label]) =>
      el('option', { value: v, selected: String(v) === current || (String(v) === String(Number(current)) && current !== '') }, T(label))));
  }
  if (spec.widget === 'multi') {
    const chosen = new Set(value || []);
    return el('span', { class: 'checks', id }, spec.choices.map(([v, label]) => el('label', {},
      el('input', { type: 'checkbox', name: spec.name, value: v, checked: chosen.has(v), onchange: changed }), ` ${T(label)}`)));
  }
  if (spec.widget === 'number' || spec.widget === 'int' || spec.widget === 'seconds') {
    const [min, max, step] = spec.choices || [];
    return el('input', { type: 'number', id, name: spec.name, value: value ?? '', min, max, step: step || (spec.widget === 'int' ? 1 : 'any'),
      placeholder: T("default"), onchange: changed });
  }
  if (spec.widget === 'duration') {
    const ms = value;
    const shown = ms === null || ms === undefined || ms === '' ? '' : typeof ms === 'number'
      ? `${Math.floor(ms / 60000)}:${String(Math.round(ms / 1000) % 60).padStart(2, '0')}` : ms;
    return el('input', { type: 'text', id, name: spec.name, value: shown, placeholder: 'e.g. 25:00', size: 8, onchange: changed });
  }
  return el('input', { type: 'text', id, name: spec.name, value: Array.isArray(value) ? value.join(',') : (value ?? ''), onchange: changed });
}

function read(form, spec) {
  if (spec.widget === 'multi') return [...form.querySelectorAll(`input[name="${spec.name}"]:checked`)].map((i) => i.value);
  const input = form.querySelector(`[name="${spec.name}"]`);
  if (!input) return undefined;
  if (spec.widget === 'bool') return input.checked;
  return input.value;
}

export function settingsForm(root, state, onChange) {
  root.replaceChildren();
  const saved = (state.settings && state.settings.options) || {};
  const form = el('form', { 'data-testid': 'settings-form', onsubmit: (e) => e.preventDefault() });
  const changed = () => onChange(collect());
  const groups = new Map();
  for (const spec of state.schema) {
    if (!groups.has(spec.group)) groups.set(spec.group, []);
    groups.get(spec.group).push(spec);
  }
  // speakers first: who is host or guest, how each sounds, how fast each speaks
  const voices = state.voices || { voices: [], cast: {} };
  const people = (state.settings && state.settings.speakers) || {};
  const rates = (state.settings && state.settings.rates) || {};
  const rows = state.summary.speakers.map((sp) => {
    const mine = people[sp.key] || {};
    const cast = voices.cast[sp.key] || {};
    const voice = mine.voice || cast.voice || '';
    return el('tr', { 'data-speaker': sp.key },
      el('td', {}, el('b', {}, sp.name), sp.title ? el('div', { class: 'muted small' }, sp.title) : null),
      el('td', {}, el('select', { name: 'role', 'aria-label': T("{name}: role", { name: sp.name }), onchange: changed },
        ['host', 'guest', 'narrator'].map((r) => el('option', { value: r, selected: (mine.role || sp.role) === r }, T(r))))),
      el('td', {}, el('select', { name: 'voice', 'aria-label': T("{name}: voice", { name: sp.name }), onchange: changed },
        voices.voices.map((v) => el('option', { value: v, selected: v === voice }, v)))),
      el('td', {}, el('input', { type: 'number', name: 'pitch', min: 0, max: 100, step: 1, value: mine.pitch ?? cast.pitch ?? '',
        'aria-label': T("{name}: offline pitch", { name: sp.name }), onchange: changed })),
      el('td', {}, el('input', { type: 'number', name: 'rate', min: 0.5, max: 20, step: 0.1, value: mine.rate ?? '', placeholder: String(cast.rate ?? ''),
        'aria-label': T("{name}: syllables per second", { name: sp.name }), onchange: changed })));
  });
  form.append(el('fieldset', { class: 'form-group' }, el('legend', {}, T("Speakers")),
    el('table', { class: 'grid speakers-table', 'data-testid': 'speakers-table' },
      el('thead', {}, el('tr', {}, [T("speaker"), T("role"), T("voice (online)"), T("pitch (offline)"), T("syllables/s")].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows)),
    el('div', { class: 'field' }, el('label', { for: 'rate-host' }, T("Host rate")),
      el('input', { type: 'number', id: 'rate-host', name: 'rate-host', min: 0.5, max: 20, step: 0.1, value: rates.host ?? '', placeholder: '4.5', onchange: changed })),
    el('div', { class: 'field' }, el('label', { for: 'rate-guest' }, T("Guest rate")),
      el('input', { type: 'number', id: 'rate-guest', name: 'rate-guest', min: 0.5, max: 20, step: 0.1, value: rates.guest ?? '', placeholder: '4.0', onchange: changed }))));
  if (!groups.has('Recording')) groups.set('Recording', []);
  for (const [group, specs] of groups) {
    form.append(el('fieldset', { class: 'form-group' }, el('legend', {}, T(group)),
      group === 'Recording' ? recordingControls(state, changed) : null, specs.map((spec) =>
      el('div', { class: 'field' }, el('label', { for: `opt-${spec.name}` }, T(spec.label)),
        control(spec, spec.name in saved ? saved[spec.name] : spec.default, changed),
        spec.hint ? el('span', { class: 'hint' }, T(spec.hint)) : null))));
  }
  root.append(form);

  function collect() {
    const options = {};
    for (const spec of state.schema) {
      const v = read(form, spec);
      if (v !== undefined) options[spec.name] = v;
    }
    const speakers = {};
    for (const row of form.querySelectorAll('tr[data-speaker]')) {
      const key = row.dataset.speaker;
      const get = (n) => row.querySelector(`[name="${n}"]`).value;
      const entry = { role: get('role'), voice: get('voice') };
      if (get('pitch') !== '') entry.pitch = Number(get('pitch'));
      if (get('rate') !== '') entry.rate = Number(get('rate'));
      speakers[key] = entry;
    }
    const useRecording = form.querySelector('[name="use-recording"]');
    const r = {};
    const host = form.querySelector('[name="rate-host"]').value, guest = form.querySelector('[name="rate-guest"]').value;
    if (host) r.host = Number(host);
    if (guest) r.guest = Number(guest);
    return { options, speakers, rates: r, recording: !!(useRecording && useRecording.checked) };
  }
}

function recordingControls(state, changed) {
  const rec = state.recording;
  const input = el('input', { type: 'file', id: 'recording-file', 'data-testid': 'recording-file',
    accept: 'audio/*,video/*,.wav,.mp3,.m4a,.flac,.mxf', onchange: (e) => e.target.files[0] && state.onRecording(e.target.files[0]) });
  return [
    el('p', { class: 'muted small' }, T("The real recording of the programme: with it, subtitles, rundown, prompter clocks and cue list are timed to what was actually said.")),
    el('div', { class: 'field' }, el('label', { for: 'recording-file' }, T("Recording")),
      el('span', {}, rec ? el('b', { 'data-testid': 'recording-name' }, rec.name) : el('span', { class: 'muted' }, T("none")), ' ', input,
        rec ? el('button', { type: 'button', onclick: () => state.onRemoveRecording() }, T("Remove")) : null)),
    el('div', { class: 'field' }, el('label', { for: 'use-recording' }, T("Time everything to it")),
      el('input', { type: 'checkbox', id: 'use-recording', name: 'use-recording', 'data-testid': 'use-recording', disabled: !rec,
        checked: !!(rec && state.settings && state.settings.recording), onchange: changed })),
  ];
}
