// The live blotter (orders, newest first) and the fills tape, both redrawn from the store on stream events.
import { post } from './api.js';
import { badge, errorText, h, replace, table, timeOfIso, timeOfNs, toast } from './dom.js';
import { can, canTrade, emit, on, state } from './store.js';

const filter = { liveOnly: false, text: '' };

function fundOf(o) {
  if (!o) return '';
  if (o.account) return o.account;
  return (o.allocations || []).map((a) => a.account).join('+');
}

const ORDER_COLUMNS = [
  { label: 'ID', render: (o) => String(o.order_id), num: true },
  { label: 'Time', render: (o) => timeOfIso(o.created) },
  { label: 'Fund', render: (o) => (o.allocations ? h('span', { title: 'block' }, '▦ ', fundOf(o)) : fundOf(o)) },
  { label: 'Symbol', key: 'symbol' },
  { label: 'Side', render: (o) => h('span', { class: `side-${o.side}` }, o.side) },
  { label: 'Qty', key: 'quantity', num: true },
  { label: 'Type', key: 'ord_type' },
  { label: 'Limit', key: 'limit_price', num: true },
  { label: 'TIF', key: 'tif' },
  { label: 'Status', render: (o) => badge(o.status, `s-${o.status}`) },
  { label: 'Workflow', render: (o) => badge(o.workflow, `w-${o.workflow}`) },
  { label: 'Filled', key: 'cum_qty', num: true },
  { label: 'Leaves', key: 'leaves_qty', num: true },
  { label: 'Avg px', key: 'avg_px', num: true },
  { label: 'Broker', key: 'broker' },
  { label: 'By', key: 'entered_by' },
];

// The kill switch: cancel every live order of one fund (a PM's own funds), of one broker session, or all of them
// (trader and admin). Asks for confirmation, then reports what the OMS requested and what it could not.
function killSwitch() {
  const scopes = (state.me.tradable_accounts || []).map((a) => ({ label: `fund ${a}`, body: { account: a } }));
  if (can('trader')) {
    for (const s of state.sessions) scopes.push({ label: `broker ${s.name}`, body: { broker: s.name } });
    scopes.push({ label: 'everything', body: { all: true } });
  }
  if (!scopes.length) return null;
  const scope = h('select', { id: 'k-scope', 'aria-label': 'cancel-all scope' },
    ...scopes.map((sc, i) => h('option', { value: String(i) }, sc.label)));
  const fire = async () => {
    const sc = scopes[Number(scope.value)];
    if (!window.confirm(`Cancel every live order of ${sc.label}?`)) return;
    try {
      const res = await post('/api/v1/cancel-all', sc.body);
      const failed = res.failed.length ? `; ${res.failed.length} not canceled (${res.failed.map((f) =>
        `${f.order_id}: ${f.error.message}`).join('; ')})` : '';
      toast(`Cancel-all ${sc.label}: ${res.requested.length} cancel request(s) sent${failed}`, failed ? 'error' : 'ok');
    } catch (err) { toast(errorText(err), 'error'); }
  };
  return h('span', { class: 'kill' }, scope, h('button', { type: 'button', id: 'k-cancel-all', class: 'danger', onclick: fire }, 'Cancel all'));
}

export function mountBlotter(root) {
  const live = h('input', { type: 'checkbox', id: 'b-live', onchange: (e) => { filter.liveOnly = e.target.checked; draw(); } });
  const search = h('input', { id: 'b-search', type: 'search', placeholder: 'filter: symbol, fund, status…',
    oninput: (e) => { filter.text = e.target.value.trim().toUpperCase(); draw(); } });
  const count = h('span', { class: 'muted' });
  const body = h('div', { id: 'orders', class: 'scroll' });
  replace(root, h('div', { class: 'toolbar' }, h('h2', {}, 'Orders'), search, h('label', {}, live, ' live only'), count,
    canTrade() ? killSwitch() : null), body);

  function draw() {
    const rows = [...state.orders.values()]
      .filter((o) => !filter.liveOnly || o.live)
      .filter((o) => !filter.text || [o.symbol, fundOf(o), o.status, o.workflow, o.side, String(o.order_id)]
        .some((v) => String(v).toUpperCase().includes(filter.text)))
      .sort((a, b) => b.order_id - a.order_id);
    count.textContent = `${rows.length} orders`;
    replace(body, table(ORDER_COLUMNS, rows, {
      empty: 'No orders yet',
      rowAttrs: (o) => ({
        class: `order-row${o.order_id === state.selected ? ' selected' : ''}${o.live ? '' : ' done'}`,
        dataset: { orderId: String(o.order_id), status: o.status, workflow: o.workflow },
        onclick: () => emit('select', o.order_id),
      }),
    }));
  }
  on('orders', draw);
  on('selected', draw);
  draw();
}

// The fill's order as the blotter knows it now (its first fill may arrive before the order is re-read).
const orderOf = (f) => state.orders.get(f.order_id) || {};

const FILL_COLUMNS = [
  { label: 'Time', render: (f) => timeOfNs(f.time_ns) },
  { label: 'Order', render: (f) => String(f.order_id), num: true },
  { label: 'Fund', render: (f) => fundOf(orderOf(f)) },
  { label: 'Symbol', render: (f) => orderOf(f).symbol || '' },
  { label: 'Side', render: (f) => h('span', { class: `side-${orderOf(f).side}` }, orderOf(f).side || '') },
  { label: 'Type', render: (f) => badge(f.type, `f-${f.type}`) },
  { label: 'Qty', key: 'last_qty', num: true },
  { label: 'Price', key: 'last_px', num: true },
  { label: 'ExecID', key: 'exec_id' },
];

export function mountFills(root) {
  const body = h('div', { id: 'fills', class: 'scroll' });
  replace(root, h('div', { class: 'toolbar' }, h('h2', {}, 'Fills'),
    h('span', { class: 'muted' }, 'executions, newest first (the most recent orders’ at connect, then live)')), body);
  const draw = () => replace(body, table(FILL_COLUMNS, state.fills, {
    empty: 'No fills yet',
    rowAttrs: (f) => ({ class: 'fill-row', dataset: { orderId: String(f.order_id) }, onclick: () => emit('select', f.order_id) }),
  }));
  on('fills', draw);
  on('orders', draw);
  draw();
}
