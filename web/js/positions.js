// Positions and cash per fund (GET /api/v1/positions, /api/v1/accounts), re-read when the stream
// reports a PositionChanged event while this view is open.
import { get } from './api.js';
import { errorText, h, replace, signClass, table } from './dom.js';
import { on } from './store.js';

export function mountPositions(root, isVisible) {
  const fund = h('select', { id: 'p-fund', onchange: () => load() }, h('option', { value: '' }, 'all funds'));
  const body = h('div', { id: 'positions', class: 'scroll' });
  replace(root, h('div', { class: 'toolbar' }, h('h2', {}, 'Positions'), fund), body);
  let accounts = [];
  let stale = true;

  async function load() {
    if (!isVisible()) { stale = true; return; }
    stale = false;
    try {
      if (!accounts.length) {
        ({ accounts } = await get('/api/v1/accounts'));
        fund.append(...accounts.map((a) => h('option', { value: a.id }, `${a.id} — ${a.name}`)));
      }
      const q = fund.value ? `?account=${encodeURIComponent(fund.value)}` : '';
      const { positions, cash } = await get(`/api/v1/positions${q}`);
      const cashOf = new Map(cash.map((c) => [c.account, c.cash]));
      const shown = accounts.filter((a) => !fund.value || a.id === fund.value);
      replace(body, shown.map((a) => h('section', { class: 'fund', dataset: { account: a.id } },
        h('div', { class: 'fund-head' }, h('h3', {}, `${a.id}`), h('span', { class: 'muted' }, a.name),
          h('span', {}, 'NAV ', h('b', { class: 'mono' }, a.nav)),
          h('span', {}, 'cash ', h('b', { class: `mono ${signClass(cashOf.get(a.id))}` }, cashOf.get(a.id) ?? a.cash)),
          h('span', { class: 'muted' }, `PMs: ${(a.pms || []).join(', ')}`)),
        table([
          { label: 'Symbol', key: 'symbol' },
          { label: 'Quantity', render: (p) => h('span', { class: signClass(p.quantity) }, p.quantity), num: true },
          { label: 'Cost', key: 'cost', num: true },
        ], positions.filter((p) => p.account === a.id), { empty: 'No positions' }))));
    } catch (err) {
      replace(body, h('p', { class: 'error' }, errorText(err)));
    }
  }
  on('positions', load);
  return { refresh: () => { if (stale) load(); } };
}
