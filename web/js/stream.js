// The live stream: /api/v1/stream over WebSocket (token in the query, as browsers cannot set headers).
// On (re)connect the state is re-read over HTTP once; after that only pushed events update it.
import { token } from './api.js';
import { applyEvent, emit, loadFills, loadOrders, state } from './store.js';

let socket = null;
let retry = 500;
let stopped = false;

function setState(text, kind) {
  const el = document.getElementById('stream-state');
  el.textContent = text;
  el.className = `pill p-${kind}`;
  el.dataset.state = kind;
}

export function connectStream() {
  stopped = false;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/api/v1/stream?token=${encodeURIComponent(token.get())}`;
  socket = new WebSocket(url);
  setState('connecting', 'wait');
  socket.onopen = async () => {
    retry = 500;
    setState('live', 'live');
    try { await loadOrders(); await loadFills(); } catch { /* shown by the next action */ }
    emit('approvals');
    emit('positions');
  };
  socket.onmessage = (m) => {
    let msg;
    try { msg = JSON.parse(m.data); } catch { return; }
    if (msg.type === 'event') applyEvent(msg.event);
    else if (msg.type === 'sessions') { state.sessions = msg.sessions || []; emit('sessions'); }
  };
  socket.onclose = () => {
    setState('offline', 'down');
    if (stopped) return;
    setTimeout(connectStream, retry);
    retry = Math.min(retry * 2, 10000);
  };
}

export function closeStream() {
  stopped = true;
  if (socket) socket.close();
}
