// Order ticket: a single-fund order or a block with per-fund allocations, a what-if compliance preview
// that follows the ticket as it is typed, and warnings that must be acknowledged before sending.
import { post } from './api.js';
import { renderEvaluation, warnings } from './compliance.js';
import { errorText, h, replace, toast } from './dom.js';
import { emit } from './store.js';

const DECIMAL = /^\d+(\.\d+)?$/;
let el = {};
let accounts = [];
let previewSeq = 0;
let previewTimer = null;

function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}
function select(id, options, value) {
  return h('select', { id: id || null, name: id || null }, options.map((o) => h('option', { value: o, selected: o === value }, o)));
}

export function mountTicket(root, { me, instruments, brokers }) {
  accounts = me.tradable_accounts || [];
  el = {
    mode: select('t-mode', ['single', 'block'], 'single'),
    account: select('t-account', accounts, accounts[0]),
    allocs: h('div', { id: 't-allocs', class: 'allocs', hidden: true }),
    symbol: h('input', { id: 't-symbol', list: 't-symbols', autocomplete: 'off', required: true, placeholder: 'AAPL' }),
    side: select('t-side', ['buy', 'sell', 'sell_short', 'sell_short_exempt'], 'buy'),
    ordType: select('t-ordtype', ['limit', 'market', 'stop', 'stop_limit'], 'limit'),
    qty: h('input', { id: 't-qty', inputmode: 'decimal', placeholder: '100' }),
    limit: h('input', { id: 't-limit', inputmode: 'decimal', placeholder: '190.25' }),
    stop: h('input', { id: 't-stop', inputmode: 'decimal', placeholder: '' }),
    tif: select('t-tif', ['DAY', 'GTC', 'IOC', 'FOK', 'GTD'], 'DAY'),
    // Good till date: the PM picks a local time; the API gets it in UTC (ExpireTime, tag 126).
    expire: h('input', { id: 't-expire', type: 'datetime-local' }),
    broker: select('t-broker', ['(default)', ...brokers], '(default)'),
    note: h('input', { id: 't-note', placeholder: 'optional' }),
    preview: h('div', { id: 't-preview', class: 'preview' }),
    warn: h('div', { id: 't-warn', class: 'warnbox', hidden: true }),
    ack: h('input', { id: 't-ack', type: 'checkbox' }),
    submit: h('button', { id: 't-submit', type: 'submit', class: 'primary' }, 'Send order'),
    status: h('p', { id: 't-status', class: 'status', role: 'status' }),
  };
  const form = h('form', { id: 't-form', class: 'ticket-form', onsubmit: (e) => { e.preventDefault(); send(); } },
    h('h2', {}, 'Order ticket'),
    h('div', { class: 'row' }, field('Type', el.mode), field('Fund', el.account)),
    el.allocs,
    h('div', { class: 'row' }, field('Symbol', el.symbol), field('Side', el.side)),
    h('div', { class: 'row' }, field('Quantity', el.qty), field('Order type', el.ordType)),
    h('div', { class: 'row' }, field('Limit', el.limit), field('Stop', el.stop)),
    h('div', { class: 'row' }, field('TIF', el.tif), field('Broker', el.broker)),
    field('Expires (GTD)', el.expire),
    field('Note', el.note),
    el.warn,
    h('div', { class: 'actions' },
      h('button', { id: 't-check', type: 'button', onclick: () => preview(true) }, 'What-if'), el.submit),
    el.status,
    h('h3', {}, 'Compliance preview'), el.preview);
  replace(root, form, h('datalist', { id: 't-symbols' }, instruments.map((i) => h('option', { value: i.symbol }, i.name))));
  el.mode.addEventListener('change', onMode);
  const onTif = () => { el.expire.closest('label').hidden = el.tif.value !== 'GTD'; };
  el.tif.addEventListener('change', onTif);
  onTif();
  form.addEventListener('input', (e) => { if (e.target !== el.ack) schedulePreview(); });
  form.addEventListener('change', (e) => { if (e.target !== el.ack) schedulePreview(); });
  el.ack.addEventListener('change', () => { el.submit.disabled = !el.ack.checked; });
  replace(el.preview, h('p', { class: 'muted' }, 'Fill in the ticket to see each rule’s outcome and headroom.'));
}

function onMode() {
  const block = el.mode.value === 'block';
  el.account.closest('label').hidden = block;
  el.allocs.hidden = !block;
  el.qty.placeholder = block ? 'sum of allocations' : '100';
  if (block && !el.allocs.children.length) { addAlloc(); addAlloc(); }
}

function addAlloc() {
  const row = h('div', { class: 'alloc row' },
    select('', accounts, accounts[el.allocs.querySelectorAll('.alloc').length % Math.max(accounts.length, 1)]),
    h('input', { class: 'alloc-qty', inputmode: 'decimal', placeholder: 'qty' }),
    h('button', { type: 'button', class: 'icon', title: 'Remove', onclick: () => { row.remove(); schedulePreview(); } }, '×'));
  const add = el.allocs.querySelector('.add-alloc');
  el.allocs.insertBefore(row, add);
  if (!add) el.allocs.append(h('button', { type: 'button', class: 'add-alloc link', onclick: addAlloc }, '+ fund'));
}

// The request body, exactly as POST /api/v1/orders wants it: numbers stay decimal strings.
function body() {
  const b = { symbol: el.symbol.value.trim().toUpperCase(), side: el.side.value, ord_type: el.ordType.value, tif: el.tif.value };
  if (el.mode.value === 'block') {
    b.allocations = [...el.allocs.querySelectorAll('.alloc')].map((r) => ({
      account: r.querySelector('select').value, quantity: r.querySelector('.alloc-qty').value.trim() }));
  } else {
    b.account = el.account.value;
  }
  if (el.qty.value.trim()) b.quantity = el.qty.value.trim();
  if (el.limit.value.trim()) b.limit_price = el.limit.value.trim();
  if (el.stop.value.trim()) b.stop_price = el.stop.value.trim();
  if (el.broker.value !== '(default)') b.broker = el.broker.value;
  if (el.note.value.trim()) b.note = el.note.value.trim();
  if (b.tif === 'GTD' && el.expire.value) {
    const at = new Date(el.expire.value);
    b.expire_time = Number.isNaN(at.getTime()) ? el.expire.value : at.toISOString();
  }
  return b;
}

function incomplete(b) {
  if (!b.symbol) return 'symbol';
  if (b.allocations) { if (!b.allocations.length || b.allocations.some((a) => !DECIMAL.test(a.quantity))) return 'allocations'; }
  else if (!DECIMAL.test(b.quantity || '')) return 'quantity';
  if (b.quantity && !DECIMAL.test(b.quantity)) return 'quantity';
  if (['limit', 'stop_limit'].includes(b.ord_type) && !DECIMAL.test(b.limit_price || '')) return 'limit price';
  if (['stop', 'stop_limit'].includes(b.ord_type) && !DECIMAL.test(b.stop_price || '')) return 'stop price';
  if (b.tif === 'GTD' && !b.expire_time) return 'expiry time (GTD)';
  return null;
}

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => preview(false), 250);
}

async function preview(explicit) {
  const b = body();
  const missing = incomplete(b);
  if (missing) {
    if (explicit) replace(el.preview, h('p', { class: 'error' }, `Enter a valid ${missing}.`));
    showWarnings([]);
    return null;
  }
  const seq = ++previewSeq;
  const { note, broker, ...spec } = b; // what-if takes the order fields that matter to compliance
  try {
    const ev = await post('/api/v1/compliance/what-if', spec);
    if (seq !== previewSeq) return null;
    replace(el.preview, renderEvaluation(ev, { compact: true }));
    showWarnings(warnings(ev));
    return ev;
  } catch (err) {
    if (seq === previewSeq) { replace(el.preview, h('p', { class: 'error' }, errorText(err))); showWarnings([]); }
    return null;
  }
}

function showWarnings(lines) {
  el.warn.hidden = !lines.length;
  el.ack.checked = false;
  el.submit.disabled = lines.length > 0;
  if (!lines.length) return;
  replace(el.warn, h('b', {}, 'Compliance warnings'), h('ul', {}, lines.map((l) => h('li', {}, l))),
    h('label', { class: 'ack' }, el.ack, ' I have read these warnings (acknowledge_warnings)'));
}

async function send() {
  const b = body();
  const missing = incomplete(b);
  if (missing) { el.status.textContent = `Enter a valid ${missing}.`; el.status.className = 'status error'; return; }
  if (!el.warn.hidden && el.ack.checked) b.acknowledge_warnings = true;
  el.submit.disabled = true;
  try {
    const res = await post('/api/v1/orders', b);
    const o = res.order || {};
    const bad = ['compliance_rejected', 'not_routed'].includes(o.workflow);
    const why = bad || o.workflow === 'held_for_approval' ? `: ${o.workflow_reason}` : '';
    el.status.textContent = `Order ${res.order_id} ${o.workflow || 'created'}${why}`;
    el.status.className = `status ${bad ? 'error' : o.workflow === 'held_for_approval' ? 'warn' : 'ok'}`;
    toast(el.status.textContent, bad ? 'error' : 'ok');
    emit('select', res.order_id);
    schedulePreview(); // the book has changed (pending quantities, duplicates)
  } catch (err) {
    el.status.textContent = errorText(err);
    el.status.className = 'status error';
    if (err.status === 409 && err.field === 'acknowledge_warnings') {
      showWarnings([err.message]);
      return;
    }
  } finally {
    if (el.warn.hidden || el.ack.checked) el.submit.disabled = false;
  }
}
