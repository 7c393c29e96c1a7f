// Shared pieces of the browser harness: arguments, launching Debian's Chromium through
// playwright-core, collecting console output, writing the result file.
import { parseArgs } from 'node:util';
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const DEFAULT_CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// The flags from shared/DEPENDENCIES.md. playwright-core adds its own defaults too (it
// passes --headless, --no-sandbox and friends itself and creates, then removes, a fresh
// temporary --user-data-dir for every launch; it refuses a --user-data-dir in args).
export const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  // Gather loopback candidates too, so a cluster on 127.0.0.1 works on a host whose only
  // interface is lo (Chromium leaves loopback out by default).
  '--allow-loopback-in-peer-connection',
];
export const FAKE_MEDIA_FLAGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
// Real host IPs instead of mDNS .local names in the offer. Off by default: real viewers send
// mDNS names, and this flag replaces playwright-core's own --disable-features list.
export const REAL_CANDIDATES_FLAG = '--disable-features=WebRtcHideLocalIpsWithMdns';

export const EXIT = { OK: 0, USAGE: 2, BROWSER: 3, PAGE: 4, INTERNAL: 5 };

export function usage(text) {
  return (msg) => {
    if (msg) process.stderr.write(`error: ${msg}\n\n`);
    process.stderr.write(text);
    process.exit(msg ? EXIT.USAGE : EXIT.OK);
  };
}

/** Parses the common options; `extra` adds tool-specific ones (node:util parseArgs format). */
export function parseCommon(argv, help, extra = {}) {
  const fail = usage(help);
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        seconds: { type: 'string', default: '10' },
        out: { type: 'string' },
        screenshot: { type: 'string' },
        chromium: { type: 'string', default: DEFAULT_CHROMIUM },
        'chromium-arg': { type: 'string', multiple: true, default: [] },
        'real-candidates': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        ...extra,
      },
      strict: true,
    }));
  } catch (e) {
    fail(e.message);
  }
  if (values.help) fail();
  if (!values.url) fail('--url is required');
  try { new URL(values.url); } catch { fail(`--url is not a URL: ${values.url}`); }
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) fail(`--seconds must be a positive number, got ${values.seconds}`);
  return { ...values, seconds };
}

/** Launches Chromium or exits with EXIT.BROWSER and a message saying why. */
export async function launch(opts, { fakeMedia = false } = {}) {
  const exe = opts.chromium;
  try {
    await access(exe, constants.X_OK);
  } catch {
    die(EXIT.BROWSER, `cannot start the browser: ${exe} is not an executable (run clients/install.sh, or pass --chromium PATH)`);
  }
  const args = [...BASE_FLAGS, ...(fakeMedia ? FAKE_MEDIA_FLAGS : []),
    ...(opts['real-candidates'] ? [REAL_CANDIDATES_FLAG] : []), ...opts['chromium-arg']];
  try {
    const browser = await chromium.launch({ executablePath: exe, headless: true, args, timeout: 30000 });
    return { browser, args };
  } catch (e) {
    die(EXIT.BROWSER, `cannot start the browser ${exe}: ${firstLines(e.message, 12)}`);
  }
  return null;
}

/** Collects console messages, uncaught page errors and failed requests of a page. */
export function watchConsole(page) {
  const log = { consoleErrors: [], pageErrors: [], console: [], requestFailures: [] };
  const t0 = Date.now();
  const at = () => Date.now() - t0;
  page.on('console', (msg) => {
    const entry = { t: at(), type: msg.type(), text: msg.text() };
    const loc = msg.location();
    if (loc && loc.url) entry.location = `${loc.url}:${loc.lineNumber}`;
    if (log.console.length < 500) log.console.push(entry);
    if (msg.type() === 'error') log.consoleErrors.push(entry);
  });
  page.on('pageerror', (err) => log.pageErrors.push({ t: at(), text: String(err && err.stack ? err.stack : err) }));
  page.on('requestfailed', (req) => {
    if (log.requestFailures.length < 200) {
      log.requestFailures.push({ t: at(), method: req.method(), url: req.url(), error: req.failure()?.errorText ?? '' });
    }
  });
  page.on('crash', () => log.pageErrors.push({ t: at(), text: 'page crashed' }));
  return log;
}

/** Waits for the page's stats object to get a new `seq` (published once a second). */
export async function nextSample(page, global, lastSeq, timeoutMs = 3000) {
  try {
    await page.waitForFunction(
      ([g, seq]) => window[g] && window[g].seq > seq, [global, lastSeq], { polling: 100, timeout: timeoutMs });
  } catch {
    // no fresh sample in time (page busy or broken): take whatever is there
  }
  return page.evaluate((g) => (window[g] ? JSON.parse(JSON.stringify(window[g])) : null), global);
}

export function percentile(values, p) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

export function mean(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 10) / 10 : null;
}

export async function writeResult(out, result) {
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (!out) { process.stdout.write(text); return; }
  const path = resolve(out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  process.stderr.write(`wrote ${path}\n`);
}

export function die(code, message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

function firstLines(s, n) {
  return String(s).split('\n').slice(0, n).join('\n');
}

/** Closes the browser on SIGINT/SIGTERM so no Chromium outlives the harness. */
export function closeOnSignals(getBrowser) {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, async () => {
      process.stderr.write(`${sig}: closing the browser\n`);
      try { await getBrowser()?.close(); } catch { /* already gone */ }
      process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
    });
  }
}
