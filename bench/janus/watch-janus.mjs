#!/usr/bin/env node
// watch-janus.mjs: watch a Janus Streaming mountpoint in headless Chromium and report what the
// browser decoded. The page does the Janus HTTP API flow itself with fetch():
//   create -> attach janus.plugin.streaming -> watch {id} -> long-poll GET /janus/<session> for the
//   JSEP offer -> setRemoteDescription -> createAnswer -> (wait for ICE gathering) ->
//   message {request: start} + jsep answer -> keepalives every 25 s while watching.
// Node then reads RTCPeerConnection.getStats() once a second for --seconds seconds and prints JSON.
//
// Uses playwright-core from clients/test/node_modules (clients/install.sh) and Debian's Chromium,
// with the same flags as clients/test/lib/harness.mjs.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const HELP = `usage: node bench/janus/watch-janus.mjs [options]

  --janus URL          Janus API base (default http://127.0.0.1:8088/janus)
  --mountpoint ID      Streaming mountpoint id (default 1)
  --seconds N          sampling window after the offer/answer, seconds (default 10)
  --viewers N          PeerConnections (each its own Janus session + handle) in the page (default 1)
  --origin MODE        serve (default): load the page from a tiny http server on
                       127.0.0.1:<random port>, a different origin than Janus (CORS: Janus answers
                       Access-Control-Allow-Origin: *); blank: run in about:blank, which Chromium
                       blocks (Private Network Access: a non-secure 'null' origin may not fetch
                       from loopback), kept to show that
  --out FILE           write the JSON there instead of stdout
  --chromium PATH      browser (default /usr/bin/chromium or $CHROMIUM_PATH)
  --chromium-arg ARG   extra browser flag, repeatable

Exit status: 0 every viewer's framesDecoded increased over the window; 1 it did not (JSON still
written); 2 bad arguments; 3 the browser could not start.`;

const HERE = dirname(fileURLToPath(import.meta.url));
const CLIENTS_TEST = resolve(HERE, '../../clients/test');
const require = createRequire(resolve(CLIENTS_TEST, 'package.json'));

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      janus: { type: 'string', default: 'http://127.0.0.1:8088/janus' },
      mountpoint: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '10' },
      viewers: { type: 'string', default: '1' },
      origin: { type: 'string', default: 'serve' },
      out: { type: 'string' },
      chromium: { type: 'string', default: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
      'chromium-arg': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (e) {
  process.stderr.write(`error: ${e.message}\n\n${HELP}\n`);
  process.exit(2);
}
if (opts.help) { process.stdout.write(`${HELP}\n`); process.exit(0); }
const seconds = Number(opts.seconds);
const viewers = Number(opts.viewers);
const mountpoint = Number(opts.mountpoint);
if (!(seconds > 0) || !(viewers >= 1) || !Number.isInteger(viewers) || !Number.isFinite(mountpoint)
    || !['blank', 'serve'].includes(opts.origin)) {
  process.stderr.write(`error: bad --seconds/--viewers/--mountpoint/--origin\n\n${HELP}\n`);
  process.exit(2);
}

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  process.stderr.write(`error: playwright-core not found under ${CLIENTS_TEST}/node_modules (run clients/install.sh): ${e.message}\n`);
  process.exit(3);
}

// Same as clients/test/lib/harness.mjs BASE_FLAGS.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
];

// ---- The page side: a minimal Janus client over fetch() -------------------------------------
// Runs inside the page (serialized by page.evaluate), so it must be self-contained.
async function pageStart({ janus, mountpoint, index }) {
  const t0 = performance.now();
  const at = () => Math.round(performance.now() - t0);
  const v = { index, log: [], events: [], session: null, handle: null, pc: null, error: null, timings: {} };
  (window.viewers ||= [])[index] = v;
  const tx = () => Math.random().toString(36).slice(2, 12);
  const post = async (path, body) => {
    const r = await fetch(janus + path, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...body, transaction: tx() }),
    });
    const j = await r.json();
    v.log.push({ t: at(), req: body.janus + (body.body ? `:${body.body.request}` : ''), res: j.janus, status: r.status });
    if (j.janus === 'error') throw new Error(`janus error ${j.error?.code}: ${j.error?.reason}`);
    return j;
  };

  // Long-poll loop: dispatches events until the session is destroyed or the page closes.
  let offerResolve;
  const offer = new Promise((res) => { offerResolve = res; });
  const pollLoop = async () => {
    while (!v.stopped) {
      let evs;
      try {
        const r = await fetch(`${janus}/${v.session}?maxev=10&rid=${Date.now()}`, { cache: 'no-store' });
        evs = await r.json();
      } catch (e) {
        v.events.push({ t: at(), janus: 'poll-error', error: String(e) });
        await new Promise((res) => setTimeout(res, 500));
        continue;
      }
      for (const ev of Array.isArray(evs) ? evs : [evs]) {
        if (ev.janus === 'keepalive') continue;                 // empty poll (30 s without events)
        const pd = ev.plugindata?.data;
        v.events.push({
          t: at(), janus: ev.janus, ...(pd ? { data: pd } : {}),
          ...(ev.type ? { type: ev.type, receiving: ev.receiving, mid: ev.mid } : {}),
          ...(ev.reason ? { reason: ev.reason } : {}),
          ...(ev.jsep ? { jsep: ev.jsep.type } : {}),
        });
        if (ev.jsep?.type === 'offer') offerResolve(ev.jsep);
        if (ev.janus === 'webrtcup') v.timings.webrtcupMs = at();
      }
    }
  };

  try {
    v.session = (await post('', { janus: 'create' })).data.id;
    pollLoop();
    v.handle = (await post(`/${v.session}`, { janus: 'attach', plugin: 'janus.plugin.streaming' })).data.id;
    v.keepalive = setInterval(() => post(`/${v.session}`, { janus: 'keepalive' }).catch(() => {}), 25000);
    await post(`/${v.session}/${v.handle}`, { janus: 'message', body: { request: 'watch', id: mountpoint } });
    const jsep = await Promise.race([offer,
      new Promise((_, rej) => setTimeout(() => rej(new Error('no offer within 10 s')), 10000))]);
    v.timings.offerMs = at();
    v.offerSdp = jsep.sdp;

    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    v.pc = pc;
    v.states = [];
    pc.oniceconnectionstatechange = () => v.states.push({ t: at(), ice: pc.iceConnectionState });
    pc.onconnectionstatechange = () => v.states.push({ t: at(), pc: pc.connectionState });
    const stream = new MediaStream();
    pc.ontrack = (e) => {
      stream.addTrack(e.track);
      if (!v.video) {
        // A <video> element pulls the decoded frames like a real player does.
        v.video = document.createElement('video');
        v.video.muted = true; v.video.autoplay = true; v.video.playsInline = true;
        v.video.srcObject = stream;
        document.body.appendChild(v.video);
        v.video.play().catch(() => {});
        // Time to first frame, from the start of this viewer's API flow (create).
        v.video.requestVideoFrameCallback?.(() => { v.timings.firstFrameMs = at(); });
      }
    };
    await pc.setRemoteDescription(jsep);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    // No trickle: wait (at most 2 s) until our candidates are in the local description.
    if (pc.iceGatheringState !== 'complete') {
      await new Promise((res) => {
        const done = () => { if (pc.iceGatheringState === 'complete') res(); };
        pc.addEventListener('icegatheringstatechange', done);
        setTimeout(res, 2000);
      });
    }
    v.answerSdp = pc.localDescription.sdp;
    await post(`/${v.session}/${v.handle}`, {
      janus: 'message', body: { request: 'start' }, jsep: { type: 'answer', sdp: pc.localDescription.sdp },
    });
    v.timings.startSentMs = at();
  } catch (e) {
    v.error = String(e && e.message ? e.message : e);
  }
  return { error: v.error };
}

async function pageStats(index) {
  const v = window.viewers[index];
  if (!v || !v.pc) return null;
  const out = { video: null, audio: null, pair: null, iceState: v.pc.iceConnectionState, pcState: v.pc.connectionState };
  const stats = await v.pc.getStats();
  const byId = new Map();
  stats.forEach((s) => byId.set(s.id, s));
  stats.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.video = {
        framesDecoded: s.framesDecoded ?? 0, framesReceived: s.framesReceived, framesDropped: s.framesDropped,
        keyFramesDecoded: s.keyFramesDecoded, bytesReceived: s.bytesReceived ?? 0, packetsReceived: s.packetsReceived,
        packetsLost: s.packetsLost, nackCount: s.nackCount, pliCount: s.pliCount, firCount: s.firCount,
        freezeCount: s.freezeCount, framesPerSecond: s.framesPerSecond, frameWidth: s.frameWidth,
        frameHeight: s.frameHeight, jitter: s.jitter, decoderImplementation: s.decoderImplementation,
        codec: byId.get(s.codecId)?.mimeType, jitterBufferDelay: s.jitterBufferDelay,
        jitterBufferEmittedCount: s.jitterBufferEmittedCount,
      };
    } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out.audio = {
        bytesReceived: s.bytesReceived ?? 0, packetsReceived: s.packetsReceived, packetsLost: s.packetsLost,
        totalSamplesReceived: s.totalSamplesReceived, concealedSamples: s.concealedSamples,
        codec: byId.get(s.codecId)?.mimeType, jitter: s.jitter,
      };
    } else if (s.type === 'transport' && s.selectedCandidatePairId) {
      const p = byId.get(s.selectedCandidatePairId);
      if (p) {
        const l = byId.get(p.localCandidateId); const r = byId.get(p.remoteCandidateId);
        out.pair = {
          local: l && `${l.address ?? l.ip}:${l.port} ${l.candidateType}`,
          remote: r && `${r.address ?? r.ip}:${r.port} ${r.candidateType}`,
          currentRoundTripTime: p.currentRoundTripTime,
        };
      }
      out.dtlsRole = s.dtlsRole; out.dtlsState = s.dtlsState; out.srtpCipher = s.srtpCipher;
    }
  });
  return out;
}

async function pageStop(janus) {
  const res = [];
  for (const v of window.viewers || []) {
    if (!v) continue;
    v.stopped = true;
    clearInterval(v.keepalive);
    try { v.pc?.close(); } catch { /* closed */ }
    if (v.session) {
      try {
        const r = await fetch(`${janus}/${v.session}`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ janus: 'destroy', transaction: 'bye' }),
        });
        res.push((await r.json()).janus);
      } catch (e) { res.push(String(e)); }
    }
  }
  return res;
}

// ---- Node side ---------------------------------------------------------------------------------
let server = null;
let browser = null;
const cleanup = async () => {
  try { await browser?.close(); } catch { /* gone */ }
  server?.close();
};
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, async () => { await cleanup(); process.exit(130); });

const args = [...FLAGS, ...opts['chromium-arg']];
try {
  browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args, timeout: 30000 });
} catch (e) {
  process.stderr.write(`error: cannot start ${opts.chromium}: ${String(e.message).split('\n')[0]}\n`);
  process.exit(3);
}

const result = {
  tool: 'watch-janus', janus: opts.janus, mountpoint, viewers, seconds, origin: opts.origin,
  startedAt: new Date().toISOString(), chromium: browser.version(),
  playwrightCore: require('playwright-core/package.json').version,
  pageUrl: null, cors: null, perViewer: [], summary: null, consoleErrors: [],
};
let exitCode = 1;
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.consoleErrors.push(String(e)));
  if (opts.origin === 'serve') {
    server = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>janus watch</title><body></body>');
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    result.pageUrl = `http://127.0.0.1:${server.address().port}/`;
    await page.goto(result.pageUrl);
  } else {
    await page.goto('about:blank');
    result.pageUrl = 'about:blank';
  }
  result.pageOrigin = await page.evaluate(() => self.origin);

  const started = await Promise.all(Array.from({ length: viewers }, (_, index) =>
    page.evaluate(pageStart, { janus: opts.janus, mountpoint, index })));
  result.cors = started.some((s) => /Failed to fetch/.test(s.error ?? '')) ? 'blocked' : 'ok';

  const samples = Array.from({ length: viewers }, () => []);
  const t0 = Date.now();
  for (let i = 0; i <= seconds; i++) {
    const wait = t0 + i * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let v = 0; v < viewers; v++) {
      const s = await page.evaluate(pageStats, v);
      if (s) samples[v].push({ t: Date.now() - t0, ...s });
    }
  }

  for (let v = 0; v < viewers; v++) {
    const info = await page.evaluate((i) => {
      const x = window.viewers[i];
      return { error: x.error, session: x.session, handle: x.handle, timings: x.timings, states: x.states,
        events: x.events, api: x.log, offerSdp: x.offerSdp, answerSdp: x.answerSdp };
    }, v);
    const s = samples[v];
    const first = s[0] ?? {}; const last = s[s.length - 1] ?? {};
    const fd = s.map((x) => x.video?.framesDecoded ?? 0);
    const dt = ((last.t ?? 0) - (first.t ?? 0)) / 1000 || 1;
    result.perViewer.push({
      viewer: v, ...info,
      summary: {
        framesDecodedStart: first.video?.framesDecoded ?? 0,
        framesDecodedEnd: last.video?.framesDecoded ?? 0,
        framesDecodedIncreased: (last.video?.framesDecoded ?? 0) > (first.video?.framesDecoded ?? 0),
        framesDecodedIncreasingEverySecond: fd.length > 2 && fd.slice(1).every((x, i) => x > fd[i]),
        fps: Math.round((((last.video?.framesDecoded ?? 0) - (first.video?.framesDecoded ?? 0)) / dt) * 10) / 10,
        videoBytesReceived: last.video?.bytesReceived ?? 0,
        videoKbps: Math.round((((last.video?.bytesReceived ?? 0) - (first.video?.bytesReceived ?? 0)) * 8) / dt / 1000),
        audioBytesReceived: last.audio?.bytesReceived ?? 0,
        audioKbps: Math.round((((last.audio?.bytesReceived ?? 0) - (first.audio?.bytesReceived ?? 0)) * 8) / dt / 1000),
        audioSamplesReceived: last.audio?.totalSamplesReceived ?? 0,
        resolution: last.video?.frameWidth ? `${last.video.frameWidth}x${last.video.frameHeight}` : null,
        videoCodec: last.video?.codec ?? null, audioCodec: last.audio?.codec ?? null,
        decoder: last.video?.decoderImplementation ?? null,
        packetsLost: { video: last.video?.packetsLost ?? null, audio: last.audio?.packetsLost ?? null },
        nackCount: last.video?.nackCount ?? null, pliCount: last.video?.pliCount ?? null,
        freezeCount: last.video?.freezeCount ?? null,
        selectedPair: last.pair ?? null, dtlsRole: last.dtlsRole ?? null, srtpCipher: last.srtpCipher ?? null,
      },
      samples: s,
    });
  }
  const ok = result.perViewer.length === viewers && result.perViewer.every((p) => p.summary.framesDecodedIncreased);
  result.summary = {
    played: ok,
    viewersPlaying: result.perViewer.filter((p) => p.summary.framesDecodedIncreased).length,
    framesDecoded: result.perViewer.map((p) => [p.summary.framesDecodedStart, p.summary.framesDecodedEnd]),
    videoBytesReceived: result.perViewer.map((p) => p.summary.videoBytesReceived),
    audioBytesReceived: result.perViewer.map((p) => p.summary.audioBytesReceived),
  };
  result.stop = await page.evaluate(pageStop, opts.janus);
  exitCode = ok ? 0 : 1;
} catch (e) {
  result.error = String(e.message ?? e);
  process.stderr.write(`error: ${result.error}\n`);
}
await cleanup();
const text = `${JSON.stringify(result, null, 2)}\n`;
if (opts.out) { await writeFile(opts.out, text); process.stderr.write(`wrote ${opts.out}\n`); } else process.stdout.write(text);
process.exit(exitCode);
