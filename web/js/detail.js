// Order detail: the order's fields, block allocations, compliance results, fills, events and alerts,
// with cancel / replace for traders and approve / reject for compliance while it is held.
import { get, post } from './api.js';
import { renderEvaluation } from './compliance.js';
import { badge, errorText, h, replace, table, timeOfNs, toast } from './dom.js';
import { decideForm } from './approvals.js';
import { canApprove, canTrade, emit, on, state } from './store.js';

let root;

export function mountDetail(el) {
  root = el;
  on('select', (id) => { state.selected = id; emit('selected'); show(); });
  on('order', (o) => { if (o.order_id === state.selected) show(); });
}

function close() {
  state.selected = null;
  root.hidden = true;
  emit('selected');
}

async function show() {
  const id = state.selected;
  if (!id) return;
  root.hidden = false;
  let o;
  try {
    ({ order: o } = await get(`/api/v1/orders/${id}`));
  } catch (err) {
    replace(root, h('p', { class: 'error' }, errorText(err)));
    return;
  }
  if (id !== state.selected) return;
  const scrollTop = root.scrollTop;
  replace(root,
    h('div', { class: 'detail-head' },
      h('h2', {}, `Order ${o.order_id}`), badge(o.status, `s-${o.status}`), badge(o.workflow, `w-${o.workflow}`),
      h('button', { type: 'button', class: 'icon close', title: 'Close', onclick: close }, '×')),
    h('p', { class: 'headline' }, `${o.side} ${o.quantity} ${o.symbol} ${o.ord_type}`,
      o.limit_price ? ` @ ${o.limit_price}` : '', ` ${o.tif}`),
    o.workflow_reason ? h('p', { class: 'reason' }, o.workflow_reason) : null,
    facts(o),
    actions(o),
    o.allocations ? section('Allocations', table([
      { label: 'Fund', key: 'account' }, { label: 'Qty', key: 'quantity', num: true }], o.allocations)) : null,
    postTrade(o.events || []),
    section('Compliance', complianceOf(o.events || [])),
    section(`Fills (${(o.fills || []).length})`, table([
      { label: 'ExecID', key: 'exec_id' }, { label: 'Qty', key: 'quantity', num: true },
      { label: 'Price', key: 'price', num: true }, { label: '', render: (f) => (f.busted ? badge('busted', 'bad') : '') },
    ], o.fills || [], { empty: 'No fills' })),
    (o.alerts || []).length ? section('Alerts', table([
      { label: 'Time', render: (e) => timeOfNs(e.time_ns) }, { label: 'Kind', render: (e) => e.payload.kind },
      { label: 'Message', render: (e) => e.payload.message }], o.alerts)) : null,
    section('Events', o.events === null ? h('p', { class: 'muted' }, 'No event log.') : table([
      { label: '#', key: 'seq', num: true }, { label: 'Time', render: (e) => timeOfNs(e.time_ns) },
      { label: 'Actor', key: 'actor' }, { label: 'Event', render: (e) => h('b', {}, eventName(e)) },
      { label: 'Detail', render: (e) => h('span', { class: 'mono', title: summary(e) }, summary(e)) }], o.events || [])),
    section('ClOrdID chain', h('p', { class: 'mono' }, (o.chain || []).join(' → '))));
  root.scrollTop = scrollTop;
}

function facts(o) {
  const rows = [['Fund', o.account || 'block'], ['Filled', o.cum_qty], ['Leaves', o.leaves_qty], ['Avg px', o.avg_px],
    ['Broker', o.broker], ['ClOrdID', o.cl_ord_id], ['Decided by', o.decided_by], ['Entered by', o.entered_by],
    ['Created', stamp(o.created)], ['Updated', stamp(o.updated)], ['Stop', o.stop_price], ['Note', o.note],
    ['Break', o.break_reason], ['Pending', o.cancel_pending ? 'cancel' : o.replace_pending ? 'replace' : null]];
  return h('dl', { class: 'facts' }, rows.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));
}

// ISO 8601 to "YYYY-MM-DD hh:mm:ss.mmm" by slicing the string.
function stamp(iso) {
  return iso ? String(iso).replace('T', ' ').slice(0, 23) : iso;
}

function section(title, content) {
  return h('section', { class: 'sub' }, h('h3', {}, title), content);
}

function eventName(e) {
  const inner = e.payload && e.payload.event && e.payload.event.type;
  return inner ? `${e.type}:${inner}` : e.type;
}

function summary(e) {
  const p = { ...(e.payload || {}) };
  if (e.type === 'ComplianceChecked') return `${p.decision}${p.warnings_acknowledged ? ' (warnings acknowledged)' : ''}`;
  if (e.type === 'OrderAccepted') return p.cl_ord_id || '';
  if (p.event) { const { type, ...rest } = p.event; return JSON.stringify(rest); }
  return JSON.stringify(p);
}

// Post-trade allocations (AllocationFixed, then the broker's AllocationStatusChanged answers).
function postTrade(events) {
  const fixed = events.filter((e) => e.type === 'AllocationFixed');
  if (!fixed.length) return null;
  const status = new Map(events.filter((e) => e.type === 'AllocationStatusChanged')
    .map((e) => [e.payload.alloc_id, `${e.payload.status}${e.payload.text ? `: ${e.payload.text}` : ''}`]));
  return section('Post-trade allocation', fixed.map((e) => {
    const a = e.payload;
    return h('div', { class: 'alloc-fixed' },
      h('p', {}, h('b', {}, a.alloc_id), ` v${a.version}${a.amended ? ' (amended)' : ''} · ${a.quantity} @ ${a.avg_px}`,
        ` · gross ${a.gross} · commission ${a.commission} · fees ${a.fees}`,
        status.has(a.alloc_id) ? [' · ', badge(status.get(a.alloc_id), 'info')] : null),
      table([{ label: 'Fund', key: 'account' }, { label: 'Qty', key: 'quantity', num: true },
        { label: 'Gross', key: 'gross', num: true }, { label: 'Commission', key: 'commission', num: true },
        { label: 'Fees', key: 'fees', num: true }], a.accounts || []));
  }));
}

function complianceOf(events) {
  const checks = events.filter((e) => e.type === 'ComplianceChecked');
  const decisions = events.filter((e) => e.type === 'ApprovalDecided');
  if (!checks.length) return h('p', { class: 'muted' }, 'No compliance check recorded.');
  return h('div', {}, checks.map((c) => {
    let ev = null;
    try { ev = c.payload.results_json ? JSON.parse(c.payload.results_json) : null; } catch { ev = null; }
    return h('div', { class: 'check' }, h('div', { class: 'muted' }, `checked at ${timeOfNs(c.time_ns)} by ${c.actor}`),
      renderEvaluation(ev || { decision: c.payload.decision, rule_book_version: c.payload.rule_book_version, slices: [] }));
  }), decisions.map((d) => h('p', { class: 'decision' }, badge(d.payload.approved ? 'approved' : 'rejected',
    d.payload.approved ? 'ok' : 'bad'), ` by ${d.actor} at ${timeOfNs(d.time_ns)}${d.payload.reason ? `: ${d.payload.reason}` : ''}`)));
}

function actions(o) {
  const parts = [];
  if (o.live && o.workflow === 'held_for_approval' && canApprove()) parts.push(decideForm(o.order_id));
  if (o.live && canTrade()) parts.push(cancelButton(o), replaceForm(o));
  return parts.length ? h('div', { class: 'detail-actions' }, parts) : null;
}

function cancelButton(o) {
  return h('button', { id: 'd-cancel', type: 'button', class: 'danger', disabled: !!o.cancel_pending, onclick: async () => {
    try { await post(`/api/v1/orders/${o.order_id}/cancel`); toast(`Cancel sent for order ${o.order_id}`, 'ok'); }
    catch (err) { toast(errorText(err), 'error'); }
  } }, 'Cancel order');
}

function replaceForm(o) {
  const qty = h('input', { id: 'r-qty', inputmode: 'decimal', placeholder: o.quantity });
  const px = h('input', { id: 'r-limit', inputmode: 'decimal', placeholder: o.limit_price || '' });
  const tif = h('select', { id: 'r-tif' }, ['', 'DAY', 'GTC', 'IOC', 'FOK'].map((t) => h('option', { value: t }, t || 'TIF')));
  const ack = h('input', { type: 'checkbox', id: 'r-ack' });
  const msg = h('span', { class: 'status' });
  return h('form', { class: 'replace row', onsubmit: async (e) => {
    e.preventDefault();
    const body = {};
    if (qty.value.trim()) body.quantity = qty.value.trim();
    if (px.value.trim()) body.limit_price = px.value.trim();
    if (tif.value) body.tif = tif.value;
    if (ack.checked) body.acknowledge_warnings = true;
    try { await post(`/api/v1/orders/${o.order_id}/replace`, body); toast(`Replace sent for order ${o.order_id}`, 'ok'); }
    catch (err) { msg.textContent = errorText(err); msg.className = 'status error'; }
  } }, qty, px, tif, h('label', { title: 'acknowledge compliance warnings' }, ack, ' ack'),
  h('button', { type: 'submit' }, 'Replace'), msg);
}
