// Renders a compliance evaluation (the what-if answer, or a ComplianceChecked event's results_json):
// the decision, then per account slice each rule's outcome, measure, limit and headroom.
import { badge, h, signClass } from './dom.js';

// compact (the ticket's narrow panel): rule, outcome, limit, headroom, max quantity; the rest in tooltips.
export function renderEvaluation(ev, { compact = false } = {}) {
  if (!ev) return h('p', { class: 'muted' }, 'No compliance result.');
  const slices = ev.slices || [];
  return h('div', { class: 'evaluation', dataset: { decision: ev.decision || '' } },
    h('div', { class: 'eval-head' },
      badge(ev.decision || 'unknown', `d-${ev.decision}`),
      h('span', { class: 'muted' }, ` rule book ${ev.rule_book_version || '?'}`),
      ev.order_price ? h('span', { class: 'muted' }, ` · order price ${ev.order_price}`) : null),
    slices.length ? slices.map((s) => renderSlice(s, compact)) : h('p', { class: 'muted' }, 'No rule applies.'));
}

const FULL = ['rule', 'sev', 'outcome', 'measured', 'limit', 'headroom', 'max qty'];
const COMPACT = ['rule', 'outcome', 'limit', 'headroom', 'max qty'];

function renderSlice(s, compact) {
  const heads = compact ? COMPACT : FULL;
  return h('div', { class: 'slice' },
    h('div', { class: 'slice-head' }, h('b', {}, s.account || '—'), ` ${s.quantity || ''} `,
      badge(s.decision, `d-${s.decision}`), s.error ? h('span', { class: 'error' }, ` ${s.error}`) : null),
    h('table', { class: 'grid rules' },
      h('thead', {}, h('tr', {}, heads.map((t) => h('th', { class: ['rule', 'sev', 'outcome'].includes(t) ? '' : 'num' }, t)))),
      h('tbody', {}, (s.results || []).map((r) => renderResult(r, compact)))));
}

function renderResult(r, compact) {
  const unit = unitLabel(r.unit);
  const title = `${r.severity}: ${r.reason || ''}${r.measured ? `\nmeasured ${r.measured}${unit}` : ''}${r.source ? `\n${r.source}` : ''}`;
  return h('tr', { class: `outcome-${r.outcome}`, title, dataset: { rule: r.rule } },
    h('td', {}, r.rule), compact ? null : h('td', {}, r.severity),
    h('td', {}, badge(r.outcome, r.outcome === 'breach' ? `sev-${r.severity}` : 'pass'), r.note ? ` (${r.note})` : ''),
    compact ? null : h('td', { class: 'num' }, r.measured ? `${r.measured}${unit}` : ''),
    h('td', { class: 'num' }, r.limit ? `${r.limit}${unit}` : ''),
    h('td', { class: `num ${signClass(r.headroom)}` }, r.headroom ?? ''),
    h('td', { class: 'num' }, r.max_quantity ?? '—'));
}

function unitLabel(u) {
  return { percent: '%', shares: ' sh', seconds: ' s' }[u] ?? '';
}

// The breached warn rules, as lines for the acknowledgement box.
export function warnings(ev) {
  const out = [];
  for (const s of (ev && ev.slices) || [])
    for (const r of s.results || [])
      if (r.outcome === 'breach' && r.severity === 'warn') out.push(`${r.rule} (${s.account}): ${r.reason}`);
  return out;
}
