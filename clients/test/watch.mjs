#!/usr/bin/env node
// watch.mjs: play a stream in headless Chromium with the Cascade player and record what the
// browser saw, once a second, for the Java integration tests to judge.
import { createRequire } from 'node:module';
import {
  EXIT, closeOnSignals, launch, mean, nextSample, parseCommon, percentile, watchConsole, writeResult,
} from './lib/harness.mjs';
import { resolutionsSeen, sampleVariant, variantsSeen } from './lib/variants.mjs';

const HELP = `usage: node watch.mjs --url URL [options]

Opens the Cascade player at URL (e.g. http://127.0.0.1:8180/watch/live/test) in headless
Chromium, waits up to --warmup seconds for it to play, then samples window.cascadeStats once a
second for --seconds seconds and writes the samples and a summary as JSON. Each sample also
has the decoded video's frameWidth/frameHeight and the player's ABR variant (the edge's
\`variant\` events; null when none); the summary has variantsSeen (levels, in order of first
appearance) and the last variant.

  --url URL             player page (add ?whep=URL to play another endpoint)
  --seconds N           sampling window, seconds (default 10)
  --warmup S            wait up to S seconds for state 'playing' before sampling (default 15;
                        0 samples at once); the time it took is summary.timeToPlayingMs
  --out FILE            result file (default: stdout)
  --screenshot FILE     PNG of the page at the end of the window
  --keep-session        do not stop the player (and DELETE the WHEP session) at the end
  --real-candidates     real host IPs instead of mDNS names in the offer
  --chromium PATH       browser binary (default /usr/bin/chromium or $CHROMIUM_PATH)
  --chromium-arg ARG    extra browser flag, repeatable

Exit status: 0 the run happened (judge the JSON); 2 bad arguments; 3 the browser could not
start; 4 the page could not be loaded or is not the Cascade player (JSON still written).
`;

/** The page could not be loaded or is not ours: exit status 4. */
class PageError extends Error {}

const opts = parseCommon(process.argv.slice(2), HELP, {
  warmup: { type: 'string', default: '15' },
  'keep-session': { type: 'boolean', default: false },
});
const warmup = Number(opts.warmup);
const require = createRequire(import.meta.url);

let browser = null;
closeOnSignals(() => browser);
const launched = await launch(opts);
browser = launched.browser;

const result = {
  tool: 'watch',
  url: opts.url,
  seconds: opts.seconds,
  warmupSeconds: warmup,
  startedAt: new Date().toISOString(),
  chromium: { path: opts.chromium, version: browser.version(), args: launched.args },
  playwrightCore: require('playwright-core/package.json').version,
  httpStatus: null,
  timeToPlayingMs: null,
  error: null,
  summary: null,
  stop: null,
  samples: [],
};
let log = null;
let exitCode = EXIT.OK;

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  log = watchConsole(page);
  result.userAgent = await page.evaluate(() => navigator.userAgent);
  const t0 = Date.now();
  const response = await page.goto(opts.url, { waitUntil: 'load', timeout: 30000 }).catch((e) => {
    throw new PageError(`cannot load ${opts.url}: ${e.message.split('\n')[0]}`);
  });
  result.httpStatus = response ? response.status() : null;
  if (response && response.status() >= 400) throw new PageError(`${opts.url} answered HTTP ${response.status()}`);
  await page.waitForFunction(() => window.cascadeStats !== undefined, null, { timeout: 10000 }).catch(() => {
    throw new PageError('the page never defined window.cascadeStats: not the Cascade player, or its scripts did not load (see pageErrors/requestFailures)');
  });

  if (warmup > 0) {
    await page.waitForFunction(() => window.cascadeState === 'playing', null, { polling: 100, timeout: warmup * 1000 })
      .then(() => { result.timeToPlayingMs = Date.now() - t0; }, () => {});
  }

  // Sample: one fresh snapshot per second (the page publishes a new `seq` each second).
  let last = await page.evaluate(() => JSON.parse(JSON.stringify(window.cascadeStats)));
  let seenG2g = last.glassToGlassCount ?? 0;
  const g2g = [];
  let g2gMissed = 0;
  let lastMoveLog = [];
  let lastVariantLog = [];
  const start = Date.now();
  for (let i = 0; i < opts.seconds; i++) {
    const s = await nextSample(page, 'cascadeStats', last.seq ?? 0);
    if (!s) break;
    last = s;
    const count = s.glassToGlassCount ?? 0;
    const recent = s.glassToGlassRecent ?? [];
    if (count < seenG2g) seenG2g = 0;                       // page reloaded
    const fresh = count - seenG2g;
    if (fresh > 0) {
      g2g.push(...recent.slice(Math.max(0, recent.length - fresh)));
      g2gMissed += Math.max(0, fresh - recent.length);
    }
    seenG2g = count;
    const { glassToGlassRecent, moveLog, variantLog, ...sample } = s;
    lastMoveLog = moveLog ?? lastMoveLog;
    lastVariantLog = variantLog ?? lastVariantLog;
    result.samples.push({
      t: Date.now() - start, ...sample,
      // inbound-rtp (video) frameWidth/frameHeight, as the player read them this second
      frameWidth: s.width ?? null, frameHeight: s.height ?? null,
      variant: sampleVariant(s.variant),
    });
  }
  if (opts.screenshot) await page.screenshot({ path: opts.screenshot });
  result.summary = summarize(result.samples, g2g, g2gMissed, result.timeToPlayingMs);
  result.summary.moveLog = lastMoveLog;
  result.summary.variantsSeen = variantsSeen(lastVariantLog, result.samples);
  result.summary.variantLog = lastVariantLog;

  if (!opts['keep-session']) {
    const status = await Promise.race([
      page.evaluate(() => window.cascadePlayer?.stop?.() ?? null),
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

function summarize(samples, g2g, g2gMissed, timeToPlayingMs) {
  const first = samples[0] ?? {};
  const last = samples[samples.length - 1] ?? {};
  const frames = samples.map((s) => s.framesDecoded ?? 0);
  const audio = samples.map((s) => s.audioSamplesReceived ?? 0);
  const increasing = (xs) => xs.length >= 2 && xs.every((x, i) => i === 0 || x > xs[i - 1]);
  const states = [];
  for (const s of samples) if (states[states.length - 1] !== s.state) states.push(s.state);
  const c2d = samples.map((s) => s.captureToDisplayMs);
  return {
    state: last.state ?? null,
    statesSeen: states,
    samples: samples.length,
    timeToPlayingMs,
    framesDecodedStart: first.framesDecoded ?? 0,
    framesDecodedEnd: last.framesDecoded ?? 0,
    framesDecodedIncreasingEverySecond: increasing(frames),
    freezeCount: last.freezeCount ?? 0,
    freezeCountStart: first.freezeCount ?? 0,
    audioSamplesReceived: last.audioSamplesReceived ?? 0,
    audioSamplesReceivedStart: first.audioSamplesReceived ?? 0,
    audioSamplesIncreasingEverySecond: increasing(audio),
    fpsMean: mean(samples.map((s) => s.fps)),
    bitrateKbpsMean: mean(samples.map((s) => s.bitrateKbps)),
    resolution: last.resolution ?? null,
    videoCodec: last.videoCodec ?? null,
    audioCodec: last.audioCodec ?? null,
    packetsLost: last.packetsLost ?? 0,
    lossPct: last.lossPct ?? null,
    rttMsP50: percentile(samples.map((s) => s.rttMs), 50),
    jitterBufferMsMean: mean(samples.map((s) => s.videoJitterBufferMs)),
    glassToGlass: g2g.length ? {
      count: g2g.length, missed: g2gMissed, p50: percentile(g2g, 50), p95: percentile(g2g, 95),
      min: Math.min(...g2g), max: Math.max(...g2g), last: g2g[g2g.length - 1],
    } : null,
    captureToDisplay: c2d.some((x) => typeof x === 'number')
      ? { p50: percentile(c2d, 50), p95: percentile(c2d, 95), perSecondSamples: c2d.filter((x) => typeof x === 'number').length }
      : null,
    transform: last.transform ?? null,
    sessionsStarted: last.sessionsStarted ?? null,
    lastError: last.lastError ?? null,
    // Moves to another edge (make-before-break, on the edge's reconnect event): totals over every
    // session, so they keep growing across a move, and the player's own log of each move.
    whepUrlStart: first.whepUrl ?? null,
    whepUrlEnd: last.whepUrl ?? null,
    events: last.events ?? null,
    moves: last.moves ?? 0,
    movesFailed: last.movesFailed ?? 0,
    framesDecodedTotalStart: first.framesDecodedTotal ?? 0,
    framesDecodedTotalEnd: last.framesDecodedTotal ?? 0,
    framesDecodedTotalIncreasingEverySecond: increasing(samples.map((s) => s.framesDecodedTotal ?? 0)),
    freezeCountTotalStart: first.freezeCountTotal ?? 0,
    freezeCountTotalEnd: last.freezeCountTotal ?? 0,
    totalFreezesDurationMsTotalStart: first.totalFreezesDurationMsTotal ?? 0,
    totalFreezesDurationMsTotalEnd: last.totalFreezesDurationMsTotal ?? 0,
    // ABR: the edge's variant at the end of the window (null when it sent none), how many variant
    // events the player took and could not read, and the decoded sizes seen. variantsSeen and
    // variantLog are added by the caller (they need the player's log).
    variant: last.variant ?? null,
    variantEvents: last.variantEvents ?? 0,
    variantMalformed: last.variantMalformed ?? 0,
    resolutionsSeen: resolutionsSeen(samples),
  };
}
