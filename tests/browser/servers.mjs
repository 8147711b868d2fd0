// Starts the real oms-broker-sim and omsd on free 127.0.0.1 ports in a temporary directory (the same
// setup as tests/integration/oms_harness.hpp) with a small rule book: orders above 1,000,000 of notional
// are held for approval, limit prices more than 5% off the reference price warn. Stopped by PID.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIM_BEHAVIOUR = `
default: {action: fill, price: limit, reference_price: "100"}
symbols:
  AAPL: {action: fill, delay_ms: 300}
  MSFT: {action: fill, delay_ms: 300}
  GOOGL: {action: accept}
`;

const RULES = `
rules:
  - id: notional-approval
    description: Orders above 1,000,000 need a compliance officer's approval
    type: max_order_notional
    max_notional: 1000000
    severity: approval
  - id: price-collar-5pct
    description: Limit price within 5% of the reference price
    type: price_tolerance
    max_deviation_pct: 5
    severity: warn
  - id: max-order-qty
    description: No single order above 100,000 shares
    type: max_order_quantity
    max_quantity: 100000
    severity: block
`;

// Resolves with the first match of `re` in the process's combined output.
function waitFor(proc, re, what, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no "${re}" within ${timeoutMs} ms\n${proc.out}`)), timeoutMs);
    const check = () => {
      const m = proc.out.match(re);
      if (m) { clearTimeout(timer); proc.off('data-seen', check); resolve(m); }
    };
    proc.on('data-seen', check);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}) before "${re}"\n${proc.out}`)); });
    check();
  });
}

function start(bin, args, env = {}) {
  const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  p.out = '';
  const take = (d) => { p.out += d.toString(); p.emit('data-seen'); };
  p.stdout.on('data', take);
  p.stderr.on('data', take);
  return p;
}

function stop(p, signal = 'SIGTERM') {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => process.kill(p.pid, 'SIGKILL'), 5000);
    p.once('exit', () => { clearTimeout(kill); resolve(); });
    process.kill(p.pid, signal);
  });
}

export async function startServers({ omsd, sim, source }) {
  const dir = mkdtempSync(join(tmpdir(), 'oms-browser-'));
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  writeFileSync(join(rules, 'rules.yaml'), RULES);
  writeFileSync(join(dir, 'sim.yaml'), `listen: {host: 127.0.0.1, port: 0}\nstore: {type: memory}\nsessions:\n`
    + `  - {BeginString: FIX.4.4, SenderCompID: BROKER, TargetCompID: OMS, DataDictionary: ${source}/fix_specs/FIX44.xml}\n`
    + SIM_BEHAVIOUR);
  const servers = { dir, procs: [] };
  const simProc = start(sim, ['--config', join(dir, 'sim.yaml'), '--port', '0', '--journal', join(dir, 'journal.jsonl'),
    '--log-dir', join(dir, 'sim-log')]);
  servers.procs.push(simProc);
  try {
    const simPort = (await waitFor(simProc, /LISTENING (\d+)/, 'oms-broker-sim'))[1];
    writeFileSync(join(dir, 'oms.yaml'), `database: {path: ${join(dir, 'oms.db')}, durability: process}\n`
      + `reference: {instruments: ${source}/config/instruments.csv, accounts: ${source}/config/accounts.yaml}\n`
      + `compliance: {rules_dir: ${rules}}\n`
      + `api: {listen: 127.0.0.1:0, users: ${source}/config/users.yaml, web_root: ${source}/web}\n`
      + `fix:\n  default_broker: BROKER\n  log_dir: ${join(dir, 'fix-log')}\n  sessions:\n`
      + `    - {name: BROKER, begin_string: FIX.4.4, sender_comp_id: OMS, target_comp_id: BROKER, port: ${simPort}, `
      + `heartbeat: 5, reconnect_interval: 1, data_dictionary: ${source}/fix_specs/FIX44.xml}\n`);
    const omsdProc = start(omsd, ['--config', join(dir, 'oms.yaml')]);
    servers.procs.push(omsdProc);
    const apiPort = (await waitFor(omsdProc, /api listening on 127\.0\.0\.1:(\d+)/, 'omsd'))[1];
    await waitFor(omsdProc, /BROKER logged on/, 'omsd FIX logon');
    servers.url = `http://127.0.0.1:${apiPort}`;
    servers.omsd = omsdProc;
    return servers;
  } catch (err) {
    await stopServers(servers, false);
    throw err;
  }
}

// omsd first (it is the FIX initiator), then the broker. The directory stays when the test failed.
export async function stopServers(servers, removeDir = true) {
  for (const p of [...servers.procs].reverse()) await stop(p);
  if (removeDir) rmSync(servers.dir, { recursive: true, force: true });
}
