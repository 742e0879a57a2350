// The episodes page: upload (drop or pick) or paste a transcript, then open its workspace.
import { api, el, LANG, T } from './common.js';

const message = document.getElementById('message');
function show(text) { message.textContent = text; message.hidden = !text; }

async function created(result) {
  if (result.ok) { location.href = `/episodes/${result.data.id}`; return; }
  show(result.data.error || T("the transcript could not be read"));
}

async function upload(file) {
  show('');
  const form = new FormData();
  form.append('file', file, file.name);
  created(await api('POST', '/api/episodes', form));
}

const drop = document.getElementById('dropzone');
document.getElementById('file').addEventListener('change', (e) => { if (e.target.files[0]) upload(e.target.files[0]); });
for (const name of ['dragenter', 'dragover']) drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add('over'); });
for (const name of ['dragleave', 'drop']) drop.addEventListener(name, () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); if (e.dataTransfer.files[0]) upload(e.dataTransfer.files[0]); });
document.getElementById('paste-go').addEventListener('click', async () => {
  show('');
  const text = document.getElementById('paste-text').value;
  const name = document.getElementById('paste-name').value.trim() || 'pasted';
  created(await api('POST', '/api/episodes', { name, text }));
});
for (const cell of document.querySelectorAll('.when')) {
  const t = Number(cell.dataset.time);
  if (t) cell.textContent = new Date(t * 1000).toLocaleString(LANG);
}

// ---- rename, duplicate, delete (recoverable) -----------------------------------------------------------
for (const row of document.querySelectorAll('tr[data-id]')) {
  const id = row.dataset.id;
  row.querySelector('.rename').addEventListener('click', async () => {
    const name = prompt('New name for this episode', row.dataset.name);
    if (!name) return;
    const r = await api('POST', `/api/episodes/${id}/rename`, { name });
    if (!r.ok) { show(r.data.error); return; }
    row.dataset.name = r.data.name; row.querySelector('[data-testid=episode-name]').textContent = r.data.name;
  });
  row.querySelector('.duplicate').addEventListener('click', async () => {
    const r = await api('POST', `/api/episodes/${id}/duplicate`);
    if (r.ok) location.reload(); else show(r.data.error);
  });
  row.querySelector('.delete').addEventListener('click', async () => {
    const r = await api('DELETE', `/api/episodes/${id}`);
    if (!r.ok) { show(r.data.error); return; }
    row.remove();
    loadTrash();
  });
}
async function loadTrash() {
  const r = await api('GET', '/api/trash');
  const items = r.ok ? r.data.trash : [];
  document.getElementById('trash').hidden = !items.length;
  document.getElementById('trash-list').replaceChildren(...items.map((e) => el('tr', { 'data-testid': 'trash-item' },
    el('td', {}, e.title || e.name), el('td', { class: 'muted' }, e.name), el('td', {}, `v${e.version}`),
    el('td', { class: 'muted' }, T("deleted {toLocaleString}", { toLocaleString: new Date(e.deleted * 1000).toLocaleString(LANG) })),
    el('td', {}, el('button', { type: 'button', 'data-testid': 'restore', onclick: async () => {
      const back = await api('POST', `/api/trash/${e.id}/restore`);
      if (back.ok) location.reload(); else show(back.data.error);
    } }, T("Restore"))))));
}
loadTrash();
