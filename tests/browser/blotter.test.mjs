// Acceptance 2 (issue 6): headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) uses
// the web blotter served by a real omsd trading with a real oms-broker-sim.
//   node blotter.test.mjs --omsd PATH --sim PATH --source DIR --artifacts DIR
// A PM signs in, previews and sends an order and sees it filled live on the blotter; sends a block and a
// warned order (acknowledged); an order held by an approval rule is approved by the compliance officer in
// a second tab, and the PM's blotter shows it filled. Screenshots go to --artifacts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServers, stopServers } from './servers.mjs';

const { values: opt } = parseArgs({ options: {
  omsd: { type: 'string' }, sim: { type: 'string' }, source: { type: 'string' },
  artifacts: { type: 'string' }, chromium: { type: 'string', default: '/usr/bin/chromium' } } });
for (const k of ['omsd', 'sim', 'source', 'artifacts']) if (!opt[k]) throw new Error(`--${k} is required`);
if (!existsSync(opt.chromium)) throw new Error(`${opt.chromium} not found: apt-get install chromium`);
let chromium;
try { ({ chromium } = await import('playwright-core')); }
catch { throw new Error('playwright-core is not installed: run `npm ci` in tests/browser'); }

const artifacts = resolve(opt.artifacts);
mkdirSync(artifacts, { recursive: true });
for (const f of readdirSync(artifacts)) if (f.endsWith('.png')) rmSync(join(artifacts, f)); // no stale screenshots
const WAIT = { timeout: 15000 };
const PM = 'demo-alice';          // config/users.yaml: alice, pm of GROWTH and BALANCED
const COMPLIANCE = 'demo-carol';  // carol, compliance

const servers = await startServers({ omsd: resolve(opt.omsd), sim: resolve(opt.sim), source: resolve(opt.source) });
const profile = mkdtempSync(join(tmpdir(), 'oms-chromium-'));
let context;
let ok = false;
const pageErrors = [];
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 900 },
  });
  // Nothing may come from anywhere but omsd.
  await context.route('**/*', (route) => (route.request().url().startsWith(servers.url) ? route.continue() : route.abort()));
  const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

  const pm = context.pages()[0] || await context.newPage();
  pm.on('pageerror', (e) => pageErrors.push(`pm: ${e.message}`));
  await signIn(pm, PM, 'alice');
  await shot(pm, '01-pm-signed-in');

  // 1. A single-fund order: the what-if preview accepts it; it fills while the PM watches (no reload).
  await ticket(pm, { symbol: 'AAPL', qty: '100', limit: '190.00' });
  await pm.waitForSelector('#t-preview .evaluation[data-decision="accepted"]', WAIT);
  assert.match(await pm.textContent('#t-preview'), /notional-approval/);
  assert.match(await pm.textContent('#t-preview'), /headroom/);
  await shot(pm, '02-pm-what-if-accepted');
  const filled = await send(pm, /routed|working/);
  await pm.waitForSelector(`tr.order-row[data-order-id="${filled}"][data-status="Filled"]`, WAIT);
  const row = await pm.textContent(`tr.order-row[data-order-id="${filled}"]`);
  assert.match(row, /AAPL/);
  assert.match(row, /190/);
  await pm.click('.tab[data-tab="fills"]');
  await pm.waitForSelector(`tr.fill-row[data-order-id="${filled}"]`, WAIT);
  assert.match(await pm.textContent(`tr.fill-row[data-order-id="${filled}"]`), /100/);
  await shot(pm, '03-pm-order-filled-live');
  await pm.click('.tab[data-tab="orders"]');
  await pm.waitForSelector('#detail:not([hidden]) .sub h3:text("Fills (1)")', WAIT);
  await shot(pm, '04-pm-order-detail');

  // 2. A block across two funds, allocated per fund.
  await pm.selectOption('#t-mode', 'block');
  const allocs = pm.locator('#t-allocs .alloc');
  await allocs.nth(0).locator('select').selectOption('GROWTH');
  await allocs.nth(0).locator('.alloc-qty').fill('60');
  await allocs.nth(1).locator('select').selectOption('BALANCED');
  await allocs.nth(1).locator('.alloc-qty').fill('40');
  await ticket(pm, { symbol: 'MSFT', qty: '', limit: '410.00' });
  await pm.waitForSelector('#t-preview .evaluation[data-decision="accepted"]', WAIT);
  assert.match(await pm.textContent('#t-preview'), /BALANCED/);
  const block = await send(pm, /routed|working/);
  await pm.waitForSelector(`tr.order-row[data-order-id="${block}"][data-status="Filled"]`, WAIT);
  assert.match(await pm.textContent('#detail'), /Allocations/);
  await shot(pm, '05-pm-block-filled');
  await pm.selectOption('#t-mode', 'single');

  // 2b. An order that rests at the broker: replaced to a larger quantity, then canceled, from its detail.
  await ticket(pm, { symbol: 'GOOGL', qty: '50', limit: '170.00' });
  await pm.waitForSelector('#t-preview .evaluation[data-decision="accepted"]', WAIT);
  const resting = await send(pm, /routed|working/);
  await pm.waitForSelector(`tr.order-row[data-order-id="${resting}"][data-status="New"]`, WAIT);
  await pm.fill('#r-qty', '80');
  await pm.click('form.replace button[type="submit"]');
  await pm.waitForSelector('#detail .headline:has-text("buy 80 GOOGL")', WAIT);
  await pm.click('#d-cancel');
  await pm.waitForSelector(`tr.order-row[data-order-id="${resting}"][data-status="Canceled"]`, WAIT);
  await pm.waitForSelector('#detail .detail-head .b-s-Canceled', WAIT);
  await shot(pm, '05b-pm-replaced-then-canceled');

  // 2c. The kill switch: every live order of the fund (the ticket's default, BALANCED) is canceled once the PM confirms.
  await ticket(pm, { symbol: 'GOOGL', qty: '30', limit: '170.00' });
  await pm.waitForSelector('#t-preview .evaluation[data-decision="accepted"]', WAIT);
  const killed = await send(pm, /routed|working/);
  await pm.waitForSelector(`tr.order-row[data-order-id="${killed}"][data-status="New"]`, WAIT);
  await pm.selectOption('#k-scope', { label: 'fund BALANCED' });
  pm.once('dialog', (d) => { assert.match(d.message(), /fund BALANCED/); d.accept(); });
  await pm.click('#k-cancel-all');
  await pm.waitForSelector('.toast:has-text("Cancel-all fund BALANCED: 1 cancel request(s) sent")', WAIT);
  await pm.waitForSelector(`tr.order-row[data-order-id="${killed}"][data-status="Canceled"]`, WAIT);
  await shot(pm, '05c-pm-kill-switch');

  // 3. A price 10% off the reference warns: the order needs the warning acknowledged.
  await ticket(pm, { symbol: 'AAPL', qty: '10', limit: '209.00' });
  await pm.waitForSelector('#t-preview .evaluation[data-decision="warn"]', WAIT);
  await pm.waitForSelector('#t-warn:not([hidden])', WAIT);
  assert.equal(await pm.isDisabled('#t-submit'), true, 'a warned order cannot be sent unacknowledged');
  await shot(pm, '06-pm-warning');
  await pm.check('#t-ack');
  assert.equal(await pm.isDisabled('#t-submit'), false);
  const warned = await send(pm, /routed|working/);
  await pm.waitForSelector(`tr.order-row[data-order-id="${warned}"][data-status="Filled"]`, WAIT);

  // 4. Above 1,000,000 of notional the order is held for approval.
  await ticket(pm, { symbol: 'AAPL', qty: '6000', limit: '190.00' });
  await pm.waitForSelector('#t-preview .evaluation[data-decision="held"]', WAIT);
  const held = await send(pm, /held_for_approval/);
  await pm.waitForSelector(`tr.order-row[data-order-id="${held}"][data-workflow="held_for_approval"]`, WAIT);
  assert.equal(await pm.locator('.tab[data-tab="approvals"]').count(), 0, 'a PM has no approval queue');
  await shot(pm, '07-pm-order-held');

  // 5. The compliance officer, in another tab (sessionStorage is per tab), approves it.
  const officer = await context.newPage();
  officer.on('pageerror', (e) => pageErrors.push(`compliance: ${e.message}`));
  await signIn(officer, COMPLIANCE, 'carol');
  assert.equal(await officer.isHidden('#ticket'), true, 'compliance cannot trade: no ticket');
  await officer.click('.tab[data-tab="fills"]'); // a page opened later still shows the earlier executions
  await officer.waitForSelector(`tr.fill-row[data-order-id="${filled}"]`, WAIT);
  await officer.click('.tab[data-tab="approvals"]');
  const queued = `tr.approval-row[data-order-id="${held}"]`;
  await officer.waitForSelector(queued, WAIT);
  assert.match(await officer.textContent(queued), /notional-approval/);
  await shot(officer, '08-compliance-queue');
  await officer.click(`${queued} button.reject`); // a rejection without a reason is refused in the page
  await officer.waitForSelector(`${queued} .status.error`, WAIT);
  await officer.fill(`${queued} .reason-input`, 'within the fund mandate');
  await officer.click(`${queued} button.approve`);
  await officer.waitForSelector(queued, { ...WAIT, state: 'detached' });
  await shot(officer, '09-compliance-approved');

  // 6. The PM's blotter shows it routed and filled, pushed by the stream.
  await pm.bringToFront();
  await pm.waitForSelector(`tr.order-row[data-order-id="${held}"][data-status="Filled"][data-workflow="routed"]`, WAIT);
  await pm.click(`tr.order-row[data-order-id="${held}"]`);
  await pm.waitForSelector('#detail .decision:has-text("approved")', WAIT);
  assert.match(await pm.textContent('#detail'), /within the fund mandate/);
  await shot(pm, '10-pm-held-order-filled');

  // 7. Positions moved by the fills.
  await pm.click('.tab[data-tab="positions"]');
  await pm.waitForSelector('#positions section.fund[data-account="GROWTH"]', WAIT);
  await shot(pm, '11-pm-positions');
  await pm.click('.tab[data-tab="sessions"]');
  await pm.waitForSelector('#sessions td:has-text("logged on")', WAIT);
  await shot(pm, '12-fix-sessions');

  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
  ok = true;
  console.log(`browser test passed; screenshots in ${artifacts}`);
} catch (err) {
  console.error(err);
  if (pageErrors.length) console.error('page errors:', pageErrors);
  for (const [i, p] of (context ? context.pages() : []).entries())
    await p.screenshot({ path: join(artifacts, `failure-${i}.png`), fullPage: true }).catch(() => {});
  console.error(`servers' directory kept: ${servers.dir}`);
  console.error(servers.omsd ? servers.omsd.out.slice(-4000) : '');
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  await stopServers(servers, ok);
}
process.exit(ok ? 0 : 1);

async function signIn(page, tokenValue, user) {
  await page.goto(`${servers.url}/`);
  await page.fill('#signin-token', tokenValue);
  await page.click('#signin-form button[type="submit"]');
  await page.waitForSelector(`#whoami[data-user="${user}"]`, WAIT);
  await page.waitForSelector('#stream-state[data-state="live"]', WAIT);
}

async function ticket(page, { symbol, qty, limit }) {
  await page.fill('#t-symbol', symbol);
  await page.fill('#t-qty', qty);
  await page.selectOption('#t-ordtype', 'limit');
  await page.fill('#t-limit', limit);
}

// Sends the ticket; returns the new order's id once the page reports it with the expected workflow.
async function send(page, workflow) {
  const before = await page.textContent('#t-status');
  await page.click('#t-submit');
  await page.waitForFunction((prev) => {
    const t = document.querySelector('#t-status').textContent;
    return t !== prev && /^Order \d+|error|:/.test(t);
  }, before, WAIT);
  const status = await page.textContent('#t-status');
  assert.match(status, workflow, `ticket status: ${status}`);
  return Number(status.match(/^Order (\d+)/)[1]);
}
