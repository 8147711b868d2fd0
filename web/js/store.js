// Client-side state: the orders the blotter shows, the fills tape, FIX sessions. Updated from the
// WebSocket stream; an order touched by an event is re-read over HTTP (the one place its full view lives).
import { get } from './api.js';

const listeners = new Map();
export const state = {
  me: null,
  orders: new Map(), // order_id -> order view (GET /api/v1/orders/{id} shape)
  fills: [],         // newest first: {seq, order_id, exec_id, last_qty, last_px, time_ns, type}
  sessions: [],
  selected: null,    // order_id shown in the detail panel
};

export function on(topic, fn) {
  if (!listeners.has(topic)) listeners.set(topic, new Set());
  listeners.get(topic).add(fn);
}

export function emit(topic, detail) {
  for (const fn of listeners.get(topic) || []) fn(detail);
}

export function can(role) {
  const roles = (state.me && state.me.roles) || [];
  return roles.includes(role) || roles.includes('admin');
}
export const canTrade = () => can('pm') || can('trader');
export const canApprove = () => can('compliance');

export async function loadOrders() {
  const { orders } = await get('/api/v1/orders?limit=500');
  state.orders = new Map(orders.map((o) => [o.order_id, o]));
  emit('orders');
}

// Coalesce bursts (a fill is several events) into one read per order.
const dirty = new Set();
let flushTimer = null;
export function touchOrder(id) {
  dirty.add(id);
  if (!flushTimer) flushTimer = setTimeout(flush, 40);
}

async function flush() {
  flushTimer = null;
  const ids = [...dirty];
  dirty.clear();
  await Promise.all(ids.map(async (id) => {
    try {
      const { order } = await get(`/api/v1/orders/${id}`);
      state.orders.set(id, order);
      emit('order', order);
    } catch { /* a transient error: the next event re-reads it */ }
  }));
  emit('orders');
}

const FILL_TYPES = new Set(['Fill', 'PartialFill', 'TradeCorrect', 'TradeCancel']);
const seenFills = new Set(); // seq of every execution on the tape

function addFill(ev) {
  const p = ev.payload || {};
  if (ev.type !== 'ExecutionApplied' || !p.event || !FILL_TYPES.has(p.event.type) || seenFills.has(ev.seq)) return false;
  seenFills.add(ev.seq);
  state.fills.push({ seq: ev.seq, order_id: ev.order_id, time_ns: ev.time_ns, type: p.event.type,
    exec_id: p.event.exec_id || p.event.ref_exec_id || '', last_qty: p.event.last_qty || '', last_px: p.event.last_px || '' });
  return true;
}

function sortFills() {
  state.fills.sort((a, b) => b.seq - a.seq);
  if (state.fills.length > 1000) state.fills.length = 1000;
  emit('fills');
}

// The tape at (re)connect: the executions of the most recent orders that have any (cum_qty is compared
// as a string: "0" or "0.000" means none).
export async function loadFills(max = 50) {
  const filled = [...state.orders.values()].filter((o) => !/^0(\.0*)?$/.test(o.cum_qty || '0'))
    .sort((a, b) => b.order_id - a.order_id).slice(0, max);
  const details = await Promise.all(filled.map((o) => get(`/api/v1/orders/${o.order_id}`).catch(() => null)));
  for (const d of details) for (const ev of (d && d.order.events) || []) addFill(ev);
  sortFills();
}

export function applyEvent(ev) {
  if (ev.order_id) touchOrder(ev.order_id);
  if (addFill(ev)) sortFills();
  if (ev.type === 'PositionChanged') emit('positions');
  if (ev.type === 'WorkflowChanged' || ev.type === 'ApprovalDecided') emit('approvals');
  emit('event', ev);
}
