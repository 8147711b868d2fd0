// Small DOM helpers. Values from the API (prices, quantities, money) are shown exactly as the API
// spells them: they are decimal strings and are never turned into JS numbers.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

// A table from column specs [{key, label, num?, render?(row)}] and rows.
export function table(columns, rows, { rowAttrs, empty = 'Nothing to show' } = {}) {
  const head = h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : '' }, c.label)));
  const body = rows.length
    ? rows.map((r) => h('tr', rowAttrs ? rowAttrs(r) : {},
        columns.map((c) => h('td', { class: c.num ? 'num' : '' }, c.render ? c.render(r) : r[c.key] ?? ''))))
    : [h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))];
  return h('table', { class: 'grid' }, h('thead', {}, head), h('tbody', {}, body));
}

// Event times are integer nanoseconds; millisecond precision is enough for display.
export function timeOfNs(ns) {
  return new Date(Math.floor(Number(ns) / 1e6)).toISOString().slice(11, 23);
}

export function timeOfIso(iso) {
  return iso ? String(iso).slice(11, 19) : '';
}

// Negative decimal strings start with '-'; no arithmetic needed to colour them.
export function signClass(decimal) {
  return typeof decimal === 'string' && decimal.startsWith('-') ? 'neg' : 'pos';
}

export function badge(text, kind = String(text)) {
  return h('span', { class: `badge b-${kind}` }, text);
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const t = h('div', { class: `toast t-${kind}` }, message);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000);
}

export function errorText(err) {
  if (err && err.code) return `${err.code}: ${err.message}${err.field ? ` (${err.field})` : ''}`;
  return String(err && err.message ? err.message : err);
}
