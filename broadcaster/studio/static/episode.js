// The episode workspace: the editor (re-parsed as you type), saving with versions, settings, render, previews.
import { api, debounce, T } from './common.js';
import * as views from './views.js';
import { settingsForm } from './settings.js';
import { makePlayer } from './player.js';
import { hunks, mergePanel } from './merge.js';

const data = JSON.parse(document.getElementById('episode-data').textContent);
const id = data.id;
const state = { recording: data.recording, version: data.version, savedText: data.text, schema: data.schema, settings: data.settings,
                voices: data.voices, summary: data, files: data.files, preview: null, job: null, checkSeq: 0 };
const $ = (x) => document.getElementById(x);
const editor = $('editor'), mirror = $('mirror');
const draftKey = `broadcaster-studio-draft-${id}`;
const player = makePlayer(id);

function status(text) { $('status').textContent = text; }
function error(text) { $('error-text').textContent = text || ''; $('error').hidden = !text; }
$('error-close').addEventListener('click', () => error(''));

// ---- tabs --------------------------------------------------------------------------------------
function showTab(name) {
  for (const tab of document.querySelectorAll('.tab')) tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
  for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== `view-${name}`;
  return name === 'history' ? loadHistory() : Promise.resolve(true);
}
for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showTab(tab.dataset.tab));

// ---- the editor ----------------------------------------------------------------------------------
editor.value = data.text;
function lineStart(n) {
  let at = 0;
  for (let i = 1; i < n; i++) { const next = editor.value.indexOf('\n', at); if (next < 0) return editor.value.length; at = next + 1; }
  return at;
}
function jumpToLine(n) {
  const start = lineStart(n);
  mirror.style.width = `${editor.clientWidth}px`;
  mirror.textContent = editor.value.slice(0, start) + '\u200b';
  const top = mirror.scrollHeight;
  editor.focus();
  editor.setSelectionRange(start, start);  // the caret at the line's start, nothing selected: typing replaces nothing
  editor.scrollTop = Math.max(0, top - editor.clientHeight / 3);
  showCursor();
}
function currentLine() { return editor.value.slice(0, editor.selectionStart).split('\n').length; }
function showCursor() { $('cursor').textContent = T("Ln {currentLine}", { currentLine: currentLine() }); }
editor.addEventListener('keyup', showCursor);
editor.addEventListener('click', showCursor);

function dirty() { return editor.value !== state.savedText; }
function markDirty() {
  $('dirty').hidden = !dirty();
  if (dirty()) localStorage.setItem(draftKey, JSON.stringify({ base: state.version, text: editor.value }));
  else localStorage.removeItem(draftKey);
}
const recheck = debounce(async () => {
  const seq = ++state.checkSeq;
  const r = await api('POST', `/api/episodes/${id}/check`, { text: editor.value });
  if (seq !== state.checkSeq) return;  // an older answer arriving late
  if (r.ok) showSummary(r.data); else error(r.data.error);
}, 350);
editor.addEventListener('input', () => { markDirty(); recheck(); });

function showSummary(summary) {
  if (!summary.error) state.summary = summary;
  views.understood($('view-understood'), summary, jumpToLine);
  // the speakers table follows the text: redraw it when someone new speaks (not on every keystroke)
  if (!summary.error && state.speakerKeys !== undefined &&
      speakerKeys(summary.speakers) !== state.speakerKeys) drawSettings();
  if (summary.title) $('episode-title').textContent = summary.title;
}

// ---- saving: every save is a version; a save based on an older version is refused ------------
async function save(base = state.version) {
  if (!data.editable) return;
  const text = editor.value;
  status(T("saving…"));
  const r = await api('POST', `/api/episodes/${id}/versions`, { text, base });
  if (r.status === 409) {
    state.conflict = r.data.current;
    $('conflict-text').textContent = T("Not saved: {error}.", { error: r.data.error });
    $('conflict').hidden = false;
    status(T("not saved"));
    await openMerge(base, r.data.current);
    return false;
  }
  if (!r.ok) { error(r.data.error); status(T("not saved")); return false; }
  $('conflict').hidden = true; $('merge').hidden = true; $('other-tab').hidden = true;
  state.version = r.data.version;
  state.savedText = text;
  $('version').textContent = T("v{version}", { version: state.version });
  markDirty();
  showSummary(r.data);
  status(T("saved as version {version}", { version: state.version }));
  announce(state.version);
  return true;
}

// ---- two tabs: each tells the others what it saved; a conflict is merged paragraph by paragraph ----
const tab = Math.random().toString(36).slice(2);
const channel = 'BroadcastChannel' in window ? new BroadcastChannel(`broadcaster-studio-${id}`) : null;
function announce(version) { if (channel) channel.postMessage({ type: 'saved', version, tab }); }
if (channel) channel.onmessage = async (e) => {
  const m = e.data || {};
  if (m.type !== 'saved' || m.tab === tab || !(m.version > state.version)) return;
  const r = await api('GET', `/api/episodes/${id}/versions/${m.version}`);
  if (!r.ok) return;
  if (!dirty()) {  // nothing typed here: the newer text is simply shown
    state.version = m.version; state.savedText = r.data.text; editor.value = r.data.text;
    $('version').textContent = T("v{version}", { version: state.version }); markDirty(); recheck.flush();
    $('other-tab-text').textContent = T("Version {version} was saved in another tab; it is shown here now.", { version: m.version });
  } else {
    $('other-tab-text').textContent = T("Version {version} was saved in another tab while you typed here (your text is ", { version: m.version })
      + T("based on version {version}). Saving will let you merge the two, paragraph by paragraph.", { version: state.version });
  }
  $('other-tab').hidden = false;
};
async function openMerge(base, current) {
  const [theirs, old] = await Promise.all([api('GET', `/api/episodes/${id}/versions/${current}`),
    api('GET', `/api/episodes/${id}/versions/${base}`)]);
  if (!theirs.ok) return;
  const list = hunks(editor.value, theirs.data.text, old.ok ? old.data.text : '');
  $('merge').hidden = false;
  mergePanel($('merge'), list, { theirs: current }, async (text) => {
    $('merge').hidden = true;
    if (text === null) return;
    editor.value = text; markDirty(); recheck.flush();
    if (await save(current)) status(T("merged and saved as version {version}", { version: state.version }));
  });
}
$('save').addEventListener('click', () => save());
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') { e.preventDefault(); save(); }
});
$('conflict-mine').addEventListener('click', () => save(state.conflict));
$('other-tab-close').addEventListener('click', () => { $('other-tab').hidden = true; });
$('conflict-theirs').addEventListener('click', async () => { await showTab('history'); viewVersion(state.conflict); });
window.addEventListener('beforeunload', (e) => { if (dirty()) { e.preventDefault(); e.returnValue = ''; } });

// text typed in an earlier visit and never saved is offered back
const kept = JSON.parse(localStorage.getItem(draftKey) || 'null');
if (kept && kept.text !== data.text && data.editable) {
  $('draft-base').textContent = T("version {base}", { base: kept.base });
  $('draft').hidden = false;
  $('draft-restore').addEventListener('click', () => { editor.value = kept.text; $('draft').hidden = true; markDirty(); recheck.flush(); });
  $('draft-discard').addEventListener('click', () => { localStorage.removeItem(draftKey); $('draft').hidden = true; });
}

// ---- history -----------------------------------------------------------------------------------
async function loadHistory() {
  const r = await api('GET', `/api/episodes/${id}/versions`);
  if (r.ok) views.history($('view-history'), r.data.versions, state.version, viewVersion, restore);
  return r.ok;
}
async function viewVersion(n, box) {
  const r = await api('GET', `/api/episodes/${id}/versions/${n}`);
  if (!r.ok) return error(r.data.error);
  box = box || document.querySelector('[data-testid=version-text]');
  if (!box) return;
  box.textContent = T("— version {n} —\n\n{text}", { n: n, text: r.data.text });
  box.hidden = false;
  box.scrollIntoView({ block: 'start' });
}
async function restore(n) {
  if (dirty() && !(await save())) return;
  const r = await api('POST', `/api/episodes/${id}/versions/${n}/restore`, { base: state.version });
  if (!r.ok) return error(r.data.error);
  state.version = r.data.version; state.savedText = r.data.text; editor.value = r.data.text;
  $('version').textContent = T("v{version}", { version: state.version }); markDirty(); showSummary(r.data); loadHistory();
  status(T("version {n} restored as version {version}", { n: n, version: state.version }));
}

// ---- settings --------------------------------------------------------------------------------------
const saveSettings = debounce(async (settings) => {
  const r = await api('POST', `/api/episodes/${id}/settings`, settings);
  if (!r.ok) { error(r.data.error); status(T("settings not saved")); return; }
  error(''); state.settings = r.data.settings; state.voices = r.data.voices; status(T("settings saved"));
}, 300);
state.onRecording = async (file) => {
  const form = new FormData();
  form.append('file', file, file.name);
  status(T("uploading the recording…"));
  const r = await api('POST', `/api/episodes/${id}/recording`, form);
  if (!r.ok) { error(r.data.error); status(T("recording not uploaded")); return; }
  state.recording = r.data.recording; status(T("recording uploaded")); drawSettings();
};
state.onRemoveRecording = async () => {
  const r = await api('DELETE', `/api/episodes/${id}/recording`);
  if (r.ok) { state.recording = null; drawSettings(); status(T("recording removed")); }
};
function drawSettings() {
  settingsForm($('view-settings'), state, (s) => { state.formSettings = s; status(T("saving settings…")); saveSettings(s); });
  state.speakerKeys = speakerKeys(state.summary.speakers);
}
function speakerKeys(speakers) {  // who speaks, in what role
  return speakers.map((s) => `${s.key}/${s.role}`).join('|');
}

// ---- render, audio, previews -------------------------------------------------------------------------
async function refreshOutputs() {
  const f = await api('GET', `/api/episodes/${id}/files`);
  state.files = f.ok ? f.data.files : [];
  state.set = f.ok ? f.data.set : null;
  state.staleAudio = f.ok ? f.data.stale_audio : null;
  const p = state.files.length ? await api('GET', `/api/episodes/${id}/preview`) : { ok: false };  // none before a render
  state.preview = p.ok ? p.data : null;
  views.subtitles($('view-subtitles'), state.preview, (ms) => { showTab('player'); player.jump(ms); });
  views.rundown($('view-rundown'), state.preview);
  views.prompter($('view-prompter'), id, state.preview);
  drawAudio();
  views.files($('view-files'), id, state.files, state.set);
  player.load(state.preview, state.files);
  $('zip').hidden = !state.files.length;
}

async function beforeRender() {
  if (dirty()) return save();
  return true;
}
async function render() {
  if (!(await beforeRender())) return;
  const button = $('render'); button.disabled = true; status(T("rendering…")); error('');
  const r = await api('POST', `/api/episodes/${id}/render`, state.formSettings || {});  // the form as it stands
  if (r.status === 202) { follow(r.data, button, 'files'); return; }  // a preview video: minutes, as a job
  button.disabled = false;
  if (!r.ok) { if (r.data.job) showInterrupted(r.data.job); else { error(T("Render failed: {error}", { error: r.data.error })); status(T("render failed")); } return; }
  await refreshOutputs();
  status(T("rendered {files} files in {seconds} s", { files: r.data.files.length, seconds: r.data.job.seconds }));
}
async function renderAudio() {
  if (!(await beforeRender())) return;
  const button = $('render-audio'); button.disabled = true; error('');
  showTab('audio');
  const r = await api('POST', `/api/episodes/${id}/render`, { ...(state.formSettings || {}), audio: true });
  if (!r.ok) { button.disabled = false; error(T("Audio failed: {error}", { error: r.data.error })); return; }
  follow(r.data, button, 'audio');
}
function follow(started, button, tab) {  // a job's progress, live, through server-sent events
  state.job = started.job;
  drawAudio();
  const events = new EventSource(started.events);
  events.onmessage = async (m) => {
    state.job = JSON.parse(m.data);
    drawAudio();
    const p = state.job.progress || {};
    status(state.job.status !== 'running' ? state.job.status : p.phase === 'synthesizing' ? T("synthesizing {done}/{total}…", { done: p.done, total: p.total })
      : p.phase === 'encoding' ? T("encoding…")
      : p.phase === 'video' ? T("encoding video {total}%…", { total: p.total ? Math.round(100 * p.done / p.total) : 0 }) : T("rendering…"));
    if (state.job.status === 'done' || state.job.status === 'failed' || state.job.status === 'interrupted') {
      events.close(); button.disabled = false;
      if (state.job.status !== 'done') showInterrupted(state.job);
      else { await refreshOutputs(); status(T("done in {seconds} s", { seconds: state.job.seconds })); showTab(tab); }
    }
  };
  events.onerror = () => {  // the studio stopped or restarted: ask until it answers, then say what became of the job
    events.close();
    status(T("lost contact with the studio…"));
    const job = state.job;
    const poll = async () => {
      const r = await api('GET', `/api/jobs/${job.id}`);
      if (r.status === 0) { setTimeout(poll, 1000); return; }
      if (!r.ok) { state.job = { ...job, status: 'interrupted', error: r.data.error, retry: `/api/jobs/${job.id}/retry` }; }
      else state.job = r.data;
      if (state.job.status === 'running' || state.job.status === 'queued') { follow({ job: state.job, events: `/api/jobs/${job.id}/events` }, button, tab); return; }
      button.disabled = false;
      drawAudio();
      if (state.job.status === 'done') { status(T("done in {seconds} s", { seconds: state.job.seconds })); await refreshOutputs(); }
      else showInterrupted(state.job);
    };
    setTimeout(poll, 500);
  };
}
function drawAudio() {  // an audio job's progress, while it runs or when its render is the set shown
  const job = state.job && state.job.audio && (state.job.status !== 'done' || (state.set && state.set.render === state.job.id)) ? state.job : null;
  views.audio($('view-audio'), id, state.preview && { ...state.preview, set: state.set }, job, state.staleAudio);
}
function showInterrupted(job) {  // a failed or interrupted render: said, with a retry
  const what = job.status === 'interrupted' ? T("Render interrupted") : T("Render failed");
  error(`${what}: ${job.error}`);
  status(job.status === 'interrupted' ? T("render interrupted") : T("render failed"));
  $('retry').hidden = !job.retry;
  $('retry').onclick = async () => {
    $('retry').hidden = true; error('');
    const r = await api('POST', job.retry);
    if (r.status === 202) { follow(r.data, job.audio ? $('render-audio') : $('render'), job.audio ? 'audio' : 'files'); return; }
    if (!r.ok) { error(T("Render failed: {error}", { error: r.data.error })); status(T("render failed")); return; }
    await refreshOutputs();
    status(T("rendered {files} files in {seconds} s", { files: r.data.files.length, seconds: r.data.job.seconds }));
  };
}
$('render').addEventListener('click', render);
$('render-audio').addEventListener('click', renderAudio);

showSummary(data);
drawSettings();
showTab('understood');
refreshOutputs();
status(data.files.length ? T("rendered earlier") : T("not rendered yet"));
if (data.job && (data.job.status === 'running' || data.job.status === 'queued')) {  // a render still going: followed
  follow({ job: data.job, events: `/api/jobs/${data.job.id}/events` }, data.job.audio ? $('render-audio') : $('render'),
    data.job.audio ? 'audio' : 'files');
} else if (data.job) { state.job = data.job; drawAudio(); showInterrupted(data.job); }
