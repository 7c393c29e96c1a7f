#!/usr/bin/env node
// dashboard.mjs: opens the stream manager's dashboard in headless Chromium and checks that it
// shows the expected nodes and streams live, for the Java integration tests to judge.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import {
  DEFAULT_CHROMIUM, EXIT, closeOnSignals, launch, usage, watchConsole, writeResult,
} from './lib/harness.mjs';

const HELP = `usage: node dashboard.mjs --url URL [options]

Opens the stream manager dashboard at URL (e.g. http://127.0.0.1:8080/#key=API_KEY) in
headless Chromium and waits until every expected node row and stream row is on the page and the
connection shows 'live', then for one more snapshot to reach the page (proof that it is live).
Writes what the page shows as JSON.

  --url URL             the dashboard, with #key=API_KEY unless this browser has none stored
  --expect-node ID      a node that must have a row (repeatable)
  --expect-stream KEY   a stream (app/name) that must have a row (repeatable)
  --timeout S           give up after S seconds (default 30)
  --out FILE            result file (default: stdout)
  --screenshot FILE     PNG of the whole page at the end (also on timeout)
  --chromium PATH       browser binary (default /usr/bin/chromium or $CHROMIUM_PATH)
  --chromium-arg ARG    extra browser flag, repeatable

Result: {ok, connection, updates, nodes: [{id, state, role, region, cloud, cells, values}],
streams: [{key, live, origin, viewers, bitrateKbps, route, cells}], cluster, members,
autoscaling, missing: {nodes, streams}, consoleErrors, pageErrors, ...}; the API key is masked
in "url". "autoscaling" is null while the page shows no autoscaling panel (the snapshots have no
"autoscaling"), else {deployments: [{key, status, cells}], clouds: [{key, failing, cells}],
events: [{key, phase, cells}], decisions: [{key, action, cells}], chips: {id: count}}; it is
reported, not checked.

Exit status: 0 all expected rows seen, live, and updated; 1 not so within --timeout, or the
page stopped at 'unauthorized' or 'needs-key' (the JSON says what was seen); 2 bad arguments;
3 the browser could not start; 4 the page could not be loaded until --timeout (connections are
retried meanwhile), answered HTTP >= 400, or is not the dashboard; 5 internal error.
`;

const TIMED_OUT = 1;
const FINAL = new Set(['needs-key', 'unauthorized']);
const fail = usage(HELP);
let opts;
try {
  ({ values: opts } = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string' },
      'expect-node': { type: 'string', multiple: true, default: [] },
      'expect-stream': { type: 'string', multiple: true, default: [] },
      timeout: { type: 'string', default: '30' },
      out: { type: 'string' },
      screenshot: { type: 'string' },
      chromium: { type: 'string', default: DEFAULT_CHROMIUM },
      'chromium-arg': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (e) {
  fail(e.message);
}
if (opts.help) fail();
if (!opts.url) fail('--url is required');
try { new URL(opts.url); } catch { fail(`--url is not a URL: ${opts.url}`); }
const timeoutS = Number(opts.timeout);
if (!Number.isFinite(timeoutS) || timeoutS <= 0) fail(`--timeout must be a positive number, got ${opts.timeout}`);

/** The page could not be loaded or is not the dashboard: exit status 4. */
class PageError extends Error {}

const require = createRequire(import.meta.url);
let browser = null;
closeOnSignals(() => browser);
const launched = await launch({ ...opts, 'real-candidates': false });
browser = launched.browser;

const result = {
  tool: 'dashboard',
  ok: false,
  url: maskKey(opts.url),
  expect: { nodes: opts['expect-node'], streams: opts['expect-stream'] },
  timeoutSeconds: timeoutS,
  startedAt: new Date().toISOString(),
  chromium: { path: opts.chromium, version: browser.version(), args: launched.args },
  playwrightCore: require('playwright-core/package.json').version,
  httpStatus: null,
  error: null,
  elapsedMs: null,
  connection: null,
  lastError: null,
  updates: 0,
  updatesAtReady: null,
  snapshotTime: null,
  missing: { nodes: [], streams: [] },
  cluster: null,
  members: [],
  autoscaling: null,
  nodes: [],
  streams: [],
};
let log = null;
let page = null;
let exitCode = TIMED_OUT;
const t0 = Date.now();
const deadline = t0 + timeoutS * 1000;

try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  log = watchConsole(page);
  // a server still starting refuses connections: try again until the deadline
  let response = null;
  for (;;) {
    try {
      response = await page.goto(opts.url, { waitUntil: 'load', timeout: Math.max(1000, deadline - Date.now()) });
      break;
    } catch (e) {
      if (Date.now() + 500 >= deadline) throw new PageError(`cannot load ${maskKey(opts.url)} (${e.message.split('\n')[0]})`);
      await sleep(500);
    }
  }
  result.httpStatus = response ? response.status() : null;
  if (response && response.status() >= 400) throw new PageError(`${maskKey(opts.url)} answered HTTP ${response.status()}`);
  await page.waitForFunction(() => window.cascadeDashboard !== undefined, null, { timeout: 10000 }).catch(() => {
    throw new PageError('the page never defined window.cascadeDashboard: not the dashboard, or its scripts did not load (see pageErrors/requestFailures)');
  });

  // 1. every expected row, and live
  // ('needs-key' and 'unauthorized' are final: the page waits for a person to type a key)
  let seen = await look(page);
  while (!ready(seen) && !FINAL.has(seen.connection) && Date.now() < deadline) {
    await sleep(200);
    seen = await look(page);
  }
  // 2. one more snapshot after that
  if (ready(seen)) {
    result.updatesAtReady = seen.updates;
    while (Date.now() < deadline) {
      seen = await look(page);
      if (seen.updates > result.updatesAtReady && ready(seen)) {
        result.ok = true;
        exitCode = EXIT.OK;
        break;
      }
      await sleep(200);
    }
  }
  Object.assign(result, seen, { missing: missingOf(seen) });
  if (!result.ok) {
    result.error = FINAL.has(seen.connection)
      ? `the dashboard stopped at '${seen.connection}': ${seen.lastError ?? 'no API key (pass #key=KEY in --url)'}`
      : result.updatesAtReady === null
      ? `not ready after ${timeoutS} s: connection '${seen.connection}', missing nodes [${result.missing.nodes.join(', ')}], missing streams [${result.missing.streams.join(', ')}]`
      : `no snapshot updated the page within ${timeoutS} s after it was ready (updates stayed at ${seen.updates})`;
    process.stderr.write(`error: ${result.error}\n`);
  }
} catch (e) {
  result.error = maskKey(e.message);
  exitCode = e instanceof PageError ? EXIT.PAGE : EXIT.INTERNAL;
  process.stderr.write(`error: ${result.error}\n`);
  if (page) {
    const seen = await look(page).catch(() => null);
    if (seen) Object.assign(result, seen, { missing: missingOf(seen) });
  }
}

result.elapsedMs = Date.now() - t0;
if (opts.screenshot && page) {
  await page.screenshot({ path: opts.screenshot, fullPage: true }).catch((e) => {
    process.stderr.write(`screenshot failed: ${e.message.split('\n')[0]}\n`);
  });
}
// the console and failed requests quote the events URL, ?access_token= and all
Object.assign(result, log ? JSON.parse(JSON.stringify(log), (k, v) => (typeof v === 'string' ? maskKey(v) : v)) : {});
await writeResult(opts.out, result);
await browser.close().catch(() => {});
process.exit(exitCode);

function ready(seen) {
  const m = missingOf(seen);
  return seen.connection === 'live' && !m.nodes.length && !m.streams.length;
}

function missingOf(seen) {
  const nodes = new Set(seen.nodes.map((n) => n.id));
  const streams = new Set(seen.streams.map((s) => s.key));
  return {
    nodes: opts['expect-node'].filter((id) => !nodes.has(id)),
    streams: opts['expect-stream'].filter((k) => !streams.has(k)),
  };
}

/** What the page shows now, read from the DOM contract of dashboard.js. */
function look(p) {
  return p.evaluate(() => {
    const num = (s) => (s === undefined || s === '' ? null : Number(s));
    const cellsOf = (tr) => {
      const cells = {};
      const values = {};
      for (const td of tr.cells) {
        const chains = [...td.querySelectorAll('.chain')].map((c) => c.dataset.chain);
        const own = td.querySelector('.expander-text');     // without its show/hide button
        cells[td.dataset.col] = chains.length ? chains.join('; ') : (own ?? td).textContent.trim();
        if (td.dataset.value !== undefined) values[td.dataset.col] = num(td.dataset.value);
      }
      return { cells, values };
    };
    const body = document.body;
    const nodes = [...document.querySelectorAll('tr[data-node-id]')].map((tr) => {
      const { cells, values } = cellsOf(tr);
      return {
        id: tr.dataset.nodeId, state: tr.dataset.state, role: tr.dataset.role,
        region: cells.region, cloud: cells.cloud, cells, values,
      };
    });
    const streams = [...document.querySelectorAll('tr[data-stream]')].map((tr) => {
      const { cells, values } = cellsOf(tr);
      const route = [...tr.querySelectorAll('.chain')].map((c) => c.dataset.chain);
      return {
        key: tr.dataset.stream, live: tr.dataset.live === 'true', origin: cells.origin,
        viewers: values.viewers ?? null, bitrateKbps: values.bitrate ?? null, route, cells,
      };
    });
    const summary = {};
    for (const e of document.querySelectorAll('[data-summary]')) summary[e.dataset.summary] = num(e.dataset.value);
    const members = [...document.querySelectorAll('li[data-member]')].map((li) => ({
      uuid: li.dataset.member, address: li.querySelector('.member-address')?.textContent ?? '',
      oldest: li.dataset.oldest === 'true', local: li.dataset.local === 'true',
    }));
    const nodeStates = {};
    for (const c of document.querySelectorAll('#node-states [data-state]')) nodeStates[c.dataset.state] = Number(c.dataset.count);
    const panel = document.getElementById('autoscaling');
    const rowsOf = (table, attr, extra) => [...document.querySelectorAll(`#${table} tr[${attr}]`)].map((tr) => ({
      key: tr.getAttribute(attr), [extra]: tr.getAttribute(`data-${extra}`), cells: cellsOf(tr).cells,
    }));
    const autoscaling = !panel || panel.hidden ? null : {
      deployments: rowsOf('deployments-table', 'data-deployment', 'status'),
      clouds: rowsOf('clouds-table', 'data-cloud', 'failing'),
      events: rowsOf('events-table', 'data-event', 'phase'),
      decisions: rowsOf('decisions-table', 'data-decision', 'action'),
      chips: Object.fromEntries([...panel.querySelectorAll('[data-chip]')].map((c) => [c.dataset.chip, Number(c.dataset.count)])),
    };
    const d = window.cascadeDashboard || {};
    return {
      connection: body.dataset.connection ?? null,
      lastError: d.lastError ?? null,
      updates: Number(body.dataset.updates ?? 0),
      snapshotTime: body.dataset.snapshotTime ?? null,
      cluster: { ...summary, nodeStates },
      members,
      autoscaling,
      nodes,
      streams,
    };
  });
}

/** Masks the API key in #key= and ?access_token= wherever a URL is quoted (idempotent). */
function maskKey(text) {
  return text.replace(/([#&?](?:key|access_token)=)[^&#\s"')]*/g, '$1***');
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
