// Entry point: sign in with a token, then mount the views and open the live stream.
import { get, token } from './api.js';
import { mountApprovals } from './approvals.js';
import { mountBlotter, mountFills } from './blotter.js';
import { mountDetail } from './detail.js';
import { errorText, h, replace } from './dom.js';
import { mountPositions } from './positions.js';
import { loadSessions, mountSessions } from './sessions.js';
import { canApprove, canTrade, state } from './store.js';
import { closeStream, connectStream } from './stream.js';
import { mountTicket } from './ticket.js';

const $ = (id) => document.getElementById(id);

function showSignIn(message = '') {
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  $('signin-token').focus();
}

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token.set($('signin-token').value.trim());
  start();
});
$('signout').addEventListener('click', () => { token.clear(); closeStream(); location.reload(); });
window.addEventListener('oms:unauthenticated', (e) => {
  if (!$('app').hidden) { token.clear(); closeStream(); showSignIn(errorText(e.detail)); }
});

async function start() {
  if (!token.get()) return showSignIn();
  try {
    state.me = await get('/api/v1/me');
  } catch (err) {
    token.clear();
    return showSignIn(err.status === 401 ? 'Unknown or expired token.' : errorText(err));
  }
  $('signin').hidden = true;
  $('app').hidden = false;
  replace($('whoami'), h('b', {}, state.me.name), ` (${state.me.id} · ${state.me.roles.join(', ')})`);
  $('whoami').dataset.user = state.me.id;
  await loadSessions();
  mountViews(await get('/api/v1/instruments').then((r) => r.instruments).catch(() => []));
  connectStream();
}

function mountViews(instruments) {
  const tabs = [
    { id: 'orders', label: 'Orders' },
    { id: 'fills', label: 'Fills' },
    ...(canApprove() ? [{ id: 'approvals', label: 'Approvals' }] : []),
    { id: 'positions', label: 'Positions' },
    { id: 'sessions', label: 'FIX sessions' },
  ];
  let current = 'orders';
  const positions = mountPositions($('view-positions'), () => current === 'positions');
  const counter = h('span', { id: 'approval-count', class: 'count' });
  const select = (id) => {
    current = id;
    for (const t of tabs) $(`view-${t.id}`).hidden = t.id !== id;
    for (const b of $('tabs').children) b.classList.toggle('active', b.dataset.tab === id);
    if (id === 'positions') positions.refresh();
  };
  replace($('tabs'), tabs.map((t) => h('button', { type: 'button', class: 'tab', dataset: { tab: t.id },
    onclick: () => select(t.id) }, t.label, t.id === 'approvals' ? counter : null)));
  select(current);

  if (canTrade()) mountTicket($('ticket'), { me: state.me, instruments, brokers: state.sessions.map((s) => s.name) });
  else $('ticket').hidden = true;
  mountBlotter($('view-orders'));
  mountFills($('view-fills'));
  if (canApprove()) mountApprovals($('view-approvals'), (n) => { counter.textContent = n ? String(n) : ''; });
  mountSessions($('view-sessions'));
  mountDetail($('detail'));
}

start();
