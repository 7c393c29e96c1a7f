#!/usr/bin/env node
// publish.mjs: publish Chromium's fake camera and microphone through the Cascade publish page
// (WHIP) for N seconds and record the sender's statistics once a second.
import { createRequire } from 'node:module';
import {
  EXIT, closeOnSignals, launch, mean, nextSample, parseCommon, watchConsole, writeResult,
} from './lib/harness.mjs';

const HELP = `usage: node publish.mjs --url URL [options]

Opens the Cascade publish page at URL (e.g. http://127.0.0.1:8100/publish/live/test) in
headless Chromium with a fake camera and microphone, starts publishing (adds ?autostart=1 and
?source=camera unless the URL has them), waits up to --warmup seconds for state 'publishing',
publishes for --seconds seconds sampling window.cascadePublish once a second, then stops
(DELETE of the WHIP session) and writes the samples and a summary as JSON.

  --url URL             publish page (add ?whip=URL to publish to another endpoint)
  --seconds N           publishing window, seconds (default 10)
  --warmup S            wait up to S seconds for state 'publishing' first (default 15)
  --stamp               stamp each H.264 frame's capture time in an SEI (adds ?stamp=1)
  --out FILE            result file (default: stdout)
  --screenshot FILE     PNG of the page at the end of the window
  --keep-session        do not stop (DELETE) the session before closing the browser
  --real-candidates     real host IPs instead of mDNS names in the offer
  --chromium PATH       browser binary (default /usr/bin/chromium or $CHROMIUM_PATH)
  --chromium-arg ARG    extra browser flag, repeatable

Exit status: 0 the run happened (judge the JSON); 2 bad arguments; 3 the browser could not
start; 4 the page could not be loaded or is not the Cascade publish page (JSON still written).
`;

/** The page could not be loaded or is not ours: exit status 4. */
class PageError extends Error {}

const opts = parseCommon(process.argv.slice(2), HELP, {
  warmup: { type: 'string', default: '15' },
  stamp: { type: 'boolean', default: false },
  'keep-session': { type: 'boolean', default: false },
});
const warmup = Number(opts.warmup);
const require = createRequire(import.meta.url);

const url = new URL(opts.url);
if (!url.searchParams.has('autostart')) url.searchParams.set('autostart', '1');
if (!url.searchParams.has('source')) url.searchParams.set('source', 'camera');
if (opts.stamp && !url.searchParams.has('stamp')) url.searchParams.set('stamp', '1');
// getUserMedia needs a secure context: http is one only on localhost, so vouch for the origin.
const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
if (url.protocol === 'http:' && !local) opts['chromium-arg'].push(`--unsafely-treat-insecure-origin-as-secure=${url.origin}`);

let browser = null;
closeOnSignals(() => browser);
const launched = await launch(opts, { fakeMedia: true });
browser = launched.browser;

const result = {
  tool: 'publish',
  url: url.href,
  seconds: opts.seconds,
  warmupSeconds: warmup,
  startedAt: new Date().toISOString(),
  chromium: { path: opts.chromium, version: browser.version(), args: launched.args },
  playwrightCore: require('playwright-core/package.json').version,
  httpStatus: null,
  timeToPublishingMs: null,
  error: null,
  summary: null,
  stop: null,
  samples: [],
};
let log = null;
let exitCode = EXIT.OK;

try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 }, ignoreHTTPSErrors: true, permissions: ['camera', 'microphone'],
  });
  const page = await context.newPage();
  log = watchConsole(page);
  const t0 = Date.now();
  const response = await page.goto(url.href, { waitUntil: 'load', timeout: 30000 }).catch((e) => {
    throw new PageError(`cannot load ${url.href}: ${e.message.split('\n')[0]}`);
  });
  result.httpStatus = response ? response.status() : null;
  if (response && response.status() >= 400) throw new PageError(`${url.href} answered HTTP ${response.status()}`);
  await page.waitForFunction(() => window.cascadePublish !== undefined, null, { timeout: 10000 }).catch(() => {
    throw new PageError('the page never defined window.cascadePublish: not the Cascade publish page, or its scripts did not load');
  });
  if (warmup > 0) {
    await page.waitForFunction(() => window.cascadePublish?.state === 'publishing', null, { polling: 100, timeout: warmup * 1000 })
      .then(() => { result.timeToPublishingMs = Date.now() - t0; }, () => {});
  }
  let last = await page.evaluate(() => JSON.parse(JSON.stringify(window.cascadePublish)));
  const start = Date.now();
  for (let i = 0; i < opts.seconds; i++) {
    const s = await nextSample(page, 'cascadePublish', last.seq ?? 0);
    if (!s) break;
    last = s;
    result.samples.push({ t: Date.now() - start, ...s });
  }
  if (opts.screenshot) await page.screenshot({ path: opts.screenshot });
  result.summary = summarize(result.samples, result.timeToPublishingMs);
  if (!opts['keep-session']) {
    const status = await Promise.race([
      page.evaluate(() => window.cascadePublisher?.stop?.() ?? null),
      new Promise((r) => setTimeout(() => r('timeout'), 5000)),
    ]).catch((e) => `error: ${e.message}`);
    result.stop = { deleteStatus: status };
  }
} catch (e) {
  result.error = e.message;
  exitCode = e instanceof PageError ? EXIT.PAGE : EXIT.INTERNAL;
  process.stderr.write(`error: ${e.message}\n`);
}

Object.assign(result, log ?? {});
await writeResult(opts.out, result);
await browser.close().catch(() => {});
process.exit(exitCode);

function summarize(samples, timeToPublishingMs) {
  const first = samples[0] ?? {};
  const last = samples[samples.length - 1] ?? {};
  const increasing = (xs) => xs.length >= 2 && xs.every((x, i) => i === 0 || x > xs[i - 1]);
  const states = [];
  for (const s of samples) if (states[states.length - 1] !== s.state) states.push(s.state);
  return {
    state: last.state ?? null,
    statesSeen: states,
    samples: samples.length,
    timeToPublishingMs,
    bytesSentStart: first.bytesSent ?? 0,
    bytesSentEnd: last.bytesSent ?? 0,
    framesEncodedStart: first.framesEncoded ?? 0,
    framesEncodedEnd: last.framesEncoded ?? 0,
    framesEncodedIncreasingEverySecond: increasing(samples.map((s) => s.framesEncoded ?? 0)),
    fpsMean: mean(samples.map((s) => s.fps)),
    bitrateKbpsMean: mean(samples.map((s) => s.bitrateKbps)),
    resolution: last.resolution ?? null,
    videoCodec: last.videoCodec ?? null,
    audioCodec: last.audioCodec ?? null,
    encoderImplementation: last.encoderImplementation ?? null,
    framesStamped: last.framesStamped ?? 0,
    packetsLost: last.packetsLost ?? 0,
    rttMs: last.rttMs ?? null,
    failures: last.failures ?? null,
    lastError: last.lastError ?? null,
  };
}
