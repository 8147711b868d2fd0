// The compliance queue: orders held for approval (GET /api/v1/approvals), approved or rejected with a
// reason (a rejection needs one). Re-read when the stream reports a workflow change or a decision.
import { get, post } from './api.js';
import { errorText, h, replace, table, toast } from './dom.js';
import { emit, on } from './store.js';

export function decideForm(orderId) {
  const reason = h('input', { class: 'reason-input', placeholder: 'reason (required to reject)', dataset: { orderId: String(orderId) } });
  const msg = h('span', { class: 'status' });
  const decide = (approve) => async () => {
    const text = reason.value.trim();
    if (!approve && !text) { msg.textContent = 'A rejection needs a reason.'; msg.className = 'status error'; reason.focus(); return; }
    try {
      await post(`/api/v1/orders/${orderId}/${approve ? 'approve' : 'reject'}`, text ? { reason: text } : {});
      toast(`Order ${orderId} ${approve ? 'approved' : 'rejected'}`, approve ? 'ok' : 'info');
      emit('approvals');
    } catch (err) { msg.textContent = errorText(err); msg.className = 'status error'; }
  };
  return h('div', { class: 'decide row' }, reason,
    h('button', { type: 'button', class: 'approve primary', onclick: decide(true) }, 'Approve'),
    h('button', { type: 'button', class: 'reject danger', onclick: decide(false) }, 'Reject'), msg);
}

const COLUMNS = [
  { label: 'Order', render: (a) => String(a.order_id), num: true },
  { label: 'Fund', render: (a) => a.account || (a.allocations || []).map((s) => `${s.account} ${s.quantity}`).join(', ') },
  { label: 'Symbol', key: 'symbol' },
  { label: 'Side', render: (a) => h('span', { class: `side-${a.side}` }, a.side) },
  { label: 'Qty', key: 'quantity', num: true },
  { label: 'Limit', render: (a) => a.limit_price ?? 'MKT', num: true },
  { label: 'By', key: 'created_by' },
  { label: 'Why held', render: (a) => h('span', { class: 'reason' }, a.reason) },
  { label: 'Decision', render: (a) => decideForm(a.order_id) },
];

export function mountApprovals(root, onCount) {
  const body = h('div', { id: 'approvals', class: 'scroll' });
  replace(root, h('div', { class: 'toolbar' }, h('h2', {}, 'Compliance queue'),
    h('span', { class: 'muted' }, 'orders held by an approval rule')), body);
  let busy = false, again = false;
  async function load() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const { approvals } = await get('/api/v1/approvals');
      // Keep what an officer is typing when the queue is redrawn.
      const typed = new Map([...body.querySelectorAll('.reason-input')].map((i) => [i.dataset.orderId, i.value]));
      replace(body, table(COLUMNS, approvals, {
        empty: 'Nothing awaits approval',
        rowAttrs: (a) => ({ class: 'approval-row', dataset: { orderId: String(a.order_id) },
          ondblclick: () => emit('select', a.order_id) }),
      }));
      for (const i of body.querySelectorAll('.reason-input')) if (typed.has(i.dataset.orderId)) i.value = typed.get(i.dataset.orderId);
      onCount(approvals.length);
    } catch (err) {
      replace(body, h('p', { class: 'error' }, errorText(err)));
    } finally {
      busy = false;
      if (again) { again = false; load(); }
    }
  }
  on('approvals', load);
  load();
}
