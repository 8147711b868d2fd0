// FIX session status: the header badges and the sessions view, both from the stream's "sessions"
// messages (sent on connect and periodically), read once over HTTP at start.
import { get } from './api.js';
import { badge, h, replace, table } from './dom.js';
import { emit, on, state } from './store.js';

export async function loadSessions() {
  try { state.sessions = (await get('/api/v1/fix/sessions')).sessions || []; emit('sessions'); } catch { /* stream will tell */ }
}

export function mountSessions(root) {
  const badges = document.getElementById('fix-badges');
  const body = h('div', { id: 'sessions', class: 'scroll' });
  replace(root, h('div', { class: 'toolbar' }, h('h2', {}, 'FIX sessions')), body);
  const draw = () => {
    replace(badges, state.sessions.map((s) => h('span', {
      class: `fix ${s.logged_on ? 'up' : 'down'}`, title: `${s.session_id}${s.last_error ? `\n${s.last_error}` : ''}`,
      dataset: { session: s.name } }, s.name)));
    replace(body, table([
      { label: 'Name', key: 'name' },
      { label: 'Session', key: 'session_id' },
      { label: 'State', render: (s) => (s.logged_on ? badge('logged on', 'ok') : badge('down', 'bad')) },
      { label: 'Next out seq', render: (s) => String(s.next_sender_seq), num: true },
      { label: 'Next in seq', render: (s) => String(s.next_target_seq), num: true },
      { label: 'Last error', key: 'last_error' },
    ], state.sessions, { empty: 'No FIX sessions configured' }));
  };
  on('sessions', draw);
  draw();
}
