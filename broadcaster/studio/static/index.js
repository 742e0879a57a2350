// The episodes page: upload (drop or pick) or paste a transcript, then open its workspace.
import { api } from './common.js';

const message = document.getElementById('message');
function show(text) { message.textContent = text; message.hidden = !text; }

async function created(result) {
  if (result.ok) { location.href = `/episodes/${result.data.id}`; return; }
  show(result.data.error || 'the transcript could not be read');
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
  if (t) cell.textContent = new Date(t * 1000).toLocaleString();
}
