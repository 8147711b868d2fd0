// The live blotter (orders, newest first) and the fills tape, both redrawn from the store on stream events.
import { badge, h, replace, table, timeOfIso, timeOfNs } from './dom.js';
import { emit, on, state } from './store.js';

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

export function mountBlotter(root) {
  const live = h('input', { type: 'checkbox', id: 'b-live', onchange: (e) => { filter.liveOnly = e.target.checked; draw(); } });
  const search = h('input', { id: 'b-search', type: 'search', placeholder: 'filter: symbol, fund, status…',
    oninput: (e) => { filter.text = e.target.value.trim().toUpperCase(); draw(); } });
  const count = h('span', { class: 'muted' });
  const body = h('div', { id: 'orders', class: 'scroll' });
  replace(root, h('div', { class: 'toolbar' }, h('h2', {}, 'Orders'), search, h('label', {}, live, ' live only'), count), body);

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
