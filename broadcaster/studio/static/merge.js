// Two texts of one transcript, merged paragraph by paragraph: what both have is shown once, every
// place they differ side by side with a choice (mine, theirs, both). Nothing either side typed is
// dropped without a visible choice; the version both started from preselects the obvious one.
import { el, T } from './common.js';

const LIMIT = 4000;  // paragraphs in the differing middle beyond which it is one block (no quadratic table)

function paragraphs(text) {  // a paragraph: a line with its text (blank lines only separate)
  return text.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '');
}

function lcs(a, b) {  // the common paragraphs of two short lists, as index pairs
  const n = a.length, m = b.length, table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  }
  const pairs = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) { pairs.push([i, j]); i++; j++; } else if (table[i + 1][j] >= table[i][j + 1]) i++; else j++;
  }
  return pairs;
}

// [{same: [...]} | {mine: [...], theirs: [...], pick}] in order
export function hunks(mineText, theirsText, baseText) {
  const a = paragraphs(mineText), b = paragraphs(theirsText), base = new Set(paragraphs(baseText || ''));
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail), midB = b.slice(head, b.length - tail);
  const pairs = midA.length * midB.length <= LIMIT * LIMIT / 16 ? lcs(midA, midB) : [];
  const out = [];
  if (head) out.push({ same: a.slice(0, head) });
  let i = 0, j = 0;
  const differ = (ei, ej) => {
    const mine = midA.slice(i, ei), theirs = midB.slice(j, ej);
    if (!mine.length && !theirs.length) return;
    // only one side moved away from the version both started from: that side, preselected
    const mineOld = mine.every((p) => base.has(p)), theirsOld = theirs.every((p) => base.has(p));
    const pick = mineOld && !theirsOld ? 'theirs' : theirsOld && !mineOld ? 'mine' : 'both';
    out.push({ mine, theirs, pick });
  };
  for (const [pi, pj] of pairs) {
    differ(pi, pj);
    const last = out[out.length - 1];
    if (last && last.same) last.same.push(midA[pi]); else out.push({ same: [midA[pi]] });
    i = pi + 1; j = pj + 1;
  }
  differ(midA.length, midB.length);
  if (tail) out.push({ same: a.slice(a.length - tail) });
  return out;
}

export function merged(list) {
  const parts = [];
  for (const h of list) {
    if (h.same) parts.push(...h.same);
    else if (h.pick === 'mine') parts.push(...h.mine);
    else if (h.pick === 'theirs') parts.push(...h.theirs);
    else parts.push(...h.mine, ...h.theirs.filter((p) => !h.mine.includes(p)));
  }
  return parts.join('\n\n') + '\n';
}

// one side's text with what differs from the other side marked (<mark>): the common start and end stay plain
function marked(text, other) {
  const a = Array.from(text), b = Array.from(other);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = a.slice(head, a.length - tail).join('');
  return [a.slice(0, head).join(''), middle ? el('mark', {}, middle) : null, a.slice(a.length - tail).join('')];
}

// the panel: both versions side by side, one choice per difference
export function mergePanel(root, list, versions, done) {
  root.replaceChildren();
  const rows = [];
  let n = 0;
  for (const h of list) {
    if (h.same) {
      rows.push(el('div', { class: 'merge-same' }, h.same.length > 2
        ? T("{start}…  ({count} paragraphs the same in both)", { start: Array.from(h.same[0]).slice(0, 40).join(''), count: h.same.length }) : h.same.join('\n\n')));
      continue;
    }
    const k = n++;
    const choice = (value, label) => el('label', {}, el('input', { type: 'radio', name: `merge-${k}`, value, checked: h.pick === value,
      'data-testid': `merge-${k}-${value}`, onchange: () => { h.pick = value; } }), ` ${label}`);
    rows.push(el('div', { class: 'merge-hunk', 'data-testid': 'merge-hunk' },
      el('div', { class: 'merge-side mine' }, el('div', { class: 'merge-label' }, T("Mine (this tab)")),
        el('pre', {}, h.mine.length ? marked(h.mine.join('\n\n'), h.theirs.join('\n\n')) : T("(nothing here)"))),
      el('div', { class: 'merge-side theirs' }, el('div', { class: 'merge-label' }, T("Theirs (version {theirs})", { theirs: versions.theirs })),
        el('pre', {}, h.theirs.length ? marked(h.theirs.join('\n\n'), h.mine.join('\n\n')) : T("(nothing here)"))),
      el('div', { class: 'merge-choice' }, choice('mine', 'keep mine'), choice('theirs', 'keep theirs'), choice('both', 'keep both'))));
  }
  root.append(el('p', {}, T("Your text and version {theirs} differ in {n} place{n2}. ", { theirs: versions.theirs, n: n, n2: n === 1 ? '' : 's' })
    + T("Choose for each; nothing is saved until you press “Save the merge”.")), ...rows,
  el('div', { class: 'toolbar' },
    el('button', { type: 'button', class: 'primary', 'data-testid': 'merge-save', onclick: () => done(merged(list)) }, T("Save the merge")),
    el('button', { type: 'button', 'data-testid': 'merge-cancel', onclick: () => done(null) }, T("Not now (keep editing mine)"))));
}
