#!/usr/bin/env node
// selftest.mjs: end-to-end test of the web clients with no Cascade node at all.
//
// serve.mjs serves the pages; the WHEP/WHIP endpoints are faked inside the browser with
// Playwright request interception, and a second page of the same Chromium answers the offers
// with a real RTCPeerConnection (fake camera + microphone, H.264, capture-time SEI stamped by
// sei-worker.js). So the player and the publish page run their real code against real
// WebRTC media; only the HTTP answers come from this script.
//
// usage: node selftest.mjs [--out report.json] [--screenshots DIR] [--only NAME]
// Exit status 0 when every case passes, 1 otherwise, 3 when the browser cannot start.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CHROMIUM, closeOnSignals, launch, watchConsole, writeResult } from './lib/harness.mjs';
import { deletesSeen, startServer } from './serve.mjs';

const { values: opts } = parseArgs({
  options: {
    out: { type: 'string' },
    screenshots: { type: 'string' },
    only: { type: 'string' },
    chromium: { type: 'string', default: DEFAULT_CHROMIUM },
  },
});
if (opts.screenshots) await mkdir(opts.screenshots, { recursive: true });

const { server, url: base } = await startServer();
let browser = null;
closeOnSignals(() => browser);
({ browser } = await launch({ chromium: opts.chromium, 'chromium-arg': [], 'real-candidates': false }, { fakeMedia: true }));
process.stderr.write(`Chromium ${browser.version()}, pages at ${base}\n`);

// --- the stand-in media node --------------------------------------------------------------

// Runs in the peer page: answers offers like an edge (sending) or an origin (receiving).
function installPeer() {
  const gather = (pc) => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
  });
  // Chromium as an answerer sends in the offerer's codec order (VP8 first from the player)
  // whatever its answer says, so the stand-in edge reads an H.264-only copy of the offer:
  // H.264 packetization-mode=1 and its rtx, like a Cascade edge would answer.
  const h264Only = (sdp) => {
    const [head, ...sections] = sdp.split(/\r\n(?=m=)/);
    return [head, ...sections.map((sec) => {
      if (!sec.startsWith('m=video')) return sec;
      const lines = sec.split('\r\n');
      const fmtp = (pt) => lines.find((l) => l.startsWith(`a=fmtp:${pt} `)) || '';
      const keep = new Set();
      for (const l of lines) {
        const m = /^a=rtpmap:(\d+) H264\//.exec(l);
        if (m && /packetization-mode=1/.test(fmtp(m[1]))) keep.add(m[1]);
      }
      for (const l of lines) {
        const m = /^a=fmtp:(\d+) apt=(\d+)/.exec(l);
        if (m && keep.has(m[2])) keep.add(m[1]);
      }
      return lines.filter((l) => {
        const pt = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)/.exec(l);
        return !pt || keep.has(pt[1]);
      }).map((l) => (l.startsWith('m=video') ? l.split(' ').slice(0, 3).concat([...keep]).join(' ') : l)).join('\r\n');
    })].join('\r\n');
  };
  window.peer = {
    pcs: [],
    g2g: [],
    async answerAsSender(offer) {
      const media = await navigator.mediaDevices.getUserMedia({
        video: { width: 1280, height: 720, frameRate: 30 }, audio: true,
      });
      const worker = new Worker('/web/sei-worker.js', { type: 'module' });
      await new Promise((ready) => {
        worker.onmessage = (e) => {
          if (e.data.type === 'ready') ready();
          if (e.data.type === 'counters') this.senderCounters = e.data;
        };
      });
      const pc = new RTCPeerConnection();
      this.pcs.push(pc);
      await pc.setRemoteDescription({ type: 'offer', sdp: h264Only(offer) });
      // Chromium runs a sender transform on a transceiver made by setRemoteDescription only if
      // it is set straight away: no await between the two.
      for (const tr of pc.getTransceivers()) {
        const kind = tr.receiver.track.kind;
        if (kind === 'video') tr.sender.transform = new RTCRtpScriptTransform(worker, { side: 'send', kind: 'video' });
        tr.direction = 'sendonly';
        await tr.sender.replaceTrack(media.getTracks().find((t) => t.kind === kind));
      }
      await pc.setLocalDescription(await pc.createAnswer());
      await gather(pc);
      return pc.localDescription.sdp;
    },
    async answerAsReceiver(offer) {
      const pc = new RTCPeerConnection();
      this.pcs.push(pc);
      const worker = new Worker('/web/sei-worker.js', { type: 'module' });
      worker.onmessage = (e) => { if (e.data.type === 'sei') this.g2g.push(e.data.nowMs - e.data.captureMs); };
      pc.ontrack = (e) => {
        if (e.track.kind === 'video') e.receiver.transform = new RTCRtpScriptTransform(worker, { side: 'receive', kind: 'video' });
      };
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      await gather(pc);
      return pc.localDescription.sdp;
    },
    async receivedStats() {
      const pc = this.pcs[this.pcs.length - 1];
      const out = { framesDecoded: 0, audioPackets: 0, codec: null, g2gCount: this.g2g.length, g2gLast: this.g2g[this.g2g.length - 1] ?? null };
      if (!pc) return out;
      const report = await pc.getStats();
      report.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
          out.framesDecoded = r.framesDecoded;
          const c = report.get(r.codecId);
          out.codec = c ? `${c.mimeType} ${c.sdpFmtpLine}` : null;
        }
        if (r.type === 'inbound-rtp' && r.kind === 'audio') out.audioPackets = r.packetsReceived;
      });
      return out;
    },
    closeAll() { for (const pc of this.pcs) pc.close(); },
  };
}

async function newPeer(context) {
  const page = await context.newPage();
  await page.route(`${base}/__peer`, (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>peer</title>' }));
  await page.goto(`${base}/__peer`);
  await page.evaluate(installPeer);
  return page;
}

/**
 * Fakes /{prefix}/... on `page`: POSTs follow `plan` (an entry per POST, the last repeats):
 * 'answer' gets the peer's SDP answer with 201 + Location, {status, detail} a problem+json.
 * With `events` (server-sent event blocks, e.g. 'event: variant\ndata: {...}\n\n'), answers link
 * the WHEP events extension (announcing `announce`), the POST to it creates a stream, and the
 * stream's GET delivers those blocks at once and ends (with a long `retry`, so no reconnect).
 */
async function fakeEndpoint(page, prefix, peer, role, plan = ['answer'], { realDeletes = false, events = null, announce = 'reconnect,viewercount' } = {}) {
  const seen = { posts: [], deletes: [], eventPosts: [], eventGets: [] };
  await page.route((u) => u.pathname.startsWith(`/${prefix}/`), async (route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    if (events && req.method() === 'POST' && path.endsWith('/sse')) {
      seen.eventPosts.push({ path, body: req.postData() });
      await route.fulfill({ status: 201, headers: { Location: `${path}/stream-0` }, body: '' });
    } else if (events && req.method() === 'GET' && /\/sse\/stream-0$/.test(path)) {
      seen.eventGets.push(path);
      await route.fulfill({
        status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' },
        body: `retry: 600000\n\n${events.join('')}`,
      });
    } else if (req.method() === 'POST') {
      const n = seen.posts.length;
      seen.posts.push({ path, contentType: req.headers()['content-type'], offer: req.postData() });
      const step = plan[Math.min(n, plan.length - 1)];
      if (step !== 'answer') {
        await route.fulfill({
          status: step.status, contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'test', status: step.status, detail: step.detail }),
        });
        return;
      }
      const answer = await peer.evaluate(([o, r]) => (r === 'sender' ? window.peer.answerAsSender(o) : window.peer.answerAsReceiver(o)), [req.postData(), role]);
      seen.posts[n].answer = answer;
      const headers = { 'Content-Type': 'application/sdp', Location: `${path}/session-${n}` };
      if (events) {
        headers.Link = `<${path}/session-${n}/sse>; rel="urn:ietf:params:whep:ext:core:server-sent-events"; events="${announce}"`;
      }
      await route.fulfill({ status: 201, headers, body: answer });
    } else if (req.method() === 'DELETE' && realDeletes) {
      await route.continue();                                // to serve.mjs, which records it
    } else if (req.method() === 'DELETE') {
      seen.deletes.push(path);
      await route.fulfill({ status: 200, body: '' });
    } else {
      await route.fulfill({ status: 405, body: '' });
    }
  });
  return seen;
}

const stats = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.cascadeStats)));
const pubStats = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.cascadePublish)));
const waitState = (page, want, seconds, g = 'cascadeState') => page.waitForFunction(
  ([w, key]) => (key === 'cascadeState' ? window.cascadeState : window.cascadePublish?.state) === w,
  [want, g], { polling: 100, timeout: seconds * 1000 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shot(page, name) {
  if (opts.screenshots) await page.screenshot({ path: join(opts.screenshots, `${name}.png`) });
}

function checkOffer(post, kinds) {
  assert.equal(post.contentType, 'application/sdp');
  const sdp = post.offer;
  const m = [...sdp.matchAll(/^m=(\w+)/gm)].map((x) => x[1]);
  assert.deepEqual(m, kinds, 'm-lines');
  assert.match(sdp, /^a=candidate:/m, 'the offer carries its candidates (no trickle)');
  return sdp;
}

// --- cases --------------------------------------------------------------------------------
const cases = {
  async 'player plays, measures glass-to-glass, DELETEs on stop'(context, record) {
    const peer = await newPeer(context);
    const page = await context.newPage();
    record.log = watchConsole(page);
    const seen = await fakeEndpoint(page, 'whep', peer, 'sender');
    await page.goto(`${base}/watch/live/test`);
    await waitState(page, 'playing', 20);
    await sleep(5000);
    const a = await stats(page);
    await sleep(2000);
    const b = await stats(page);
    record.stats = b;
    record.peer = await peer.evaluate(() => window.peer.senderCounters);
    await shot(page, 'player-playing');
    const sdp = checkOffer(seen.posts[0], ['video', 'audio']);
    assert.equal(seen.posts[0].path, '/whep/live/test', 'WHEP URL derived from /watch/live/test');
    assert.equal((sdp.match(/^a=recvonly/gm) || []).length, 2, 'both transceivers recvonly');
    assert.ok(b.framesDecoded > a.framesDecoded && a.framesDecoded > 0, `frames decoded ${a.framesDecoded} -> ${b.framesDecoded}`);
    assert.ok(b.audioSamplesReceived > a.audioSamplesReceived, 'audio samples increase');
    assert.match(b.videoCodec ?? '', /^H264/, 'H.264 negotiated');
    assert.ok(b.fps > 0 && b.width > 0, `fps ${b.fps}, ${b.resolution}`);
    assert.ok(b.bitrateKbps > 0, 'bitrate');
    assert.ok(b.rttMs !== null, `rtt from ${b.rttSource}`);
    assert.ok(b.videoJitterBufferMs !== null, 'jitter buffer');
    assert.equal(b.transform, 'script');
    assert.ok(b.glassToGlassCount > 30, `SEI stamps seen: ${b.glassToGlassCount}`);
    assert.ok(b.glassToGlassMs >= 0 && b.glassToGlassMs < 1000, `glass-to-glass ${b.glassToGlassMs} ms`);
    assert.ok(b.glassToGlassP50Ms !== null);
    // the stand-in's first frames can leave before its sender transform runs
    assert.ok(b.seiFramesSeen >= b.transformFramesSeen - 5, `stamps found in ${b.seiFramesSeen} of ${b.transformFramesSeen} frames`);
    const status = await page.evaluate(() => window.cascadePlayer.stop());
    assert.equal(status, 200);
    assert.deepEqual(seen.deletes, ['/whep/live/test/session-0']);
    assert.equal(await page.evaluate(() => window.cascadeState), 'stopped');
    record.log = { pageErrors: record.log.pageErrors, consoleErrors: record.log.consoleErrors };
    assert.deepEqual(record.log.pageErrors, []);
  },

  async 'player falls back to createEncodedStreams'(context, record) {
    const peer = await newPeer(context);
    const page = await context.newPage();
    const log = watchConsole(page);
    await fakeEndpoint(page, 'whep', peer, 'sender');
    await page.goto(`${base}/watch/live/test?transform=insertable-streams`);
    const mode = await page.evaluate(() => window.cascadePlayer.transform);
    record.mode = mode;
    if (mode !== 'insertable-streams') { record.skipped = 'this Chromium has no createEncodedStreams'; return; }
    await waitState(page, 'playing', 20);
    await sleep(3000);
    const s = await stats(page);
    record.stats = { framesDecoded: s.framesDecoded, audioSamplesReceived: s.audioSamplesReceived, glassToGlassMs: s.glassToGlassMs, glassToGlassCount: s.glassToGlassCount };
    assert.ok(s.framesDecoded > 0 && s.audioSamplesReceived > 0, 'video and audio flow through the legacy streams');
    assert.ok(s.glassToGlassCount > 0, 'SEI found through the legacy streams');
    assert.deepEqual(log.pageErrors, []);
  },

  async 'player shows problem+json detail and retries with backoff'(context, record) {
    const peer = await newPeer(context);
    const page = await context.newPage();
    const plan = [
      { status: 503, detail: 'origin not ready' },
      { status: 404, detail: 'stream live/test is not published' },
      'answer',
    ];
    const seen = await fakeEndpoint(page, 'whep', peer, 'sender', plan);
    const t0 = Date.now();
    await page.goto(`${base}/watch/live/test`);
    await waitState(page, 'failed', 5);
    const first = await page.evaluate(() => document.getElementById('status').textContent);
    await page.waitForFunction(() => /not published/.test(window.cascadeStats.lastError ?? ''), null, { timeout: 10000 });
    await shot(page, 'player-failed');
    await waitState(page, 'playing', 30);
    record.firstMessage = first;
    record.secondsToPlay = (Date.now() - t0) / 1000;
    record.posts = seen.posts.length;
    assert.match(first, /HTTP 503.*origin not ready/);
    assert.equal(seen.posts.length, 3);
    const s = await stats(page);
    assert.equal(s.failures, 0, 'backoff resets once playing');
  },

  async 'player reconnects when the connection drops'(context, record) {
    const peer = await newPeer(context);
    const page = await context.newPage();
    const seen = await fakeEndpoint(page, 'whep', peer, 'sender');
    await page.goto(`${base}/watch/live/test`);
    await waitState(page, 'playing', 20);
    const t0 = Date.now();
    await peer.evaluate(() => window.peer.closeAll());
    await page.waitForFunction(() => window.cascadeState !== 'playing', null, { polling: 100, timeout: 20000 });
    record.stateAfterDrop = await page.evaluate(() => window.cascadeState);
    record.noticedAfterMs = Date.now() - t0;
    await page.waitForFunction(() => window.cascadeState === 'playing', null, { polling: 100, timeout: 30000 });
    record.playingAgainAfterMs = Date.now() - t0;
    const s = await stats(page);
    record.lastError = s.lastError;
    assert.equal(seen.posts.length, 2, 'a second POST');
    assert.deepEqual(seen.deletes, ['/whep/live/test/session-0'], 'the dead session was DELETEd');
  },

  async 'player shows the edge\'s ABR variant and ignores what it cannot read'(context, record) {
    const peer = await newPeer(context);
    const page = await context.newPage();
    const log = watchConsole(page);
    const variant = (o) => `event: variant\ndata: ${typeof o === 'string' ? o : JSON.stringify(o)}\n\n`;
    const events = [
      variant({ level: 1, levels: 3, width: 1280, height: 720, bitrateKbps: 2500, reason: 'start', rembKbps: 0, switches: 0 }),
      variant('{broken'),
      variant({ level: 7, levels: 3 }),
      'event: layers\ndata: {"x":1}\n\n',
      'event: viewercount\ndata: {"viewercount":2}\n\n',
      variant({ level: 3, levels: 3, width: 640, height: 360, bitrateKbps: 400, reason: 'down_remb', rembKbps: 780, switches: 4 }),
    ];
    // Announced without variant (as by an edge whose stream has no ladder): the player asks anyway.
    const seen = await fakeEndpoint(page, 'whep', peer, 'sender', ['answer'], { events });
    await page.goto(`${base}/watch/live/test`);
    await waitState(page, 'playing', 20);
    await page.waitForFunction(() => window.cascadeStats.variant?.level === 3 && window.cascadeStats.viewerCount === 2, null, { polling: 100, timeout: 10000 });
    await sleep(1200);   // the overlay renders once a second
    const s = await stats(page);
    const row = await page.evaluate(() => [...document.querySelectorAll('#stats tr')]
      .map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]).filter(([k]) => k === 'Variant' || k === 'REMB / switches'));
    record.variant = s.variant;
    record.rows = row;
    record.eventPosts = seen.eventPosts;
    await shot(page, 'player-variant');
    assert.deepEqual(JSON.parse(seen.eventPosts[0].body), ['reconnect', 'viewercount', 'variant']);
    assert.deepEqual(s.variant, { level: 3, levels: 3, width: 640, height: 360, bitrateKbps: 400, reason: 'down_remb', rembKbps: 780, switches: 4 });
    assert.deepEqual(s.variantLog.map((e) => [e.level, e.reason]), [[1, 'start'], [3, 'down_remb']]);
    assert.equal(s.variantEvents, 2);
    assert.equal(s.variantMalformed, 2, '"{broken" and level 7 of 3');
    assert.deepEqual(row, [['Variant', '640x360 \u00b7 400 kbps \u00b7 level 3/3 (down_remb)'], ['REMB / switches', '780 kbps / 4']]);
    assert.deepEqual(await page.evaluate(() => window.cascadePlayer.variant), s.variant);
    assert.equal(s.state, 'playing', 'unknown and malformed events do not disturb playback');
    assert.deepEqual(log.pageErrors, []);
  },

  async 'player DELETEs on pagehide'(context, record) {
    const peer = await newPeer(context);
    const page = await context.newPage();
    // Requests sent while a page unloads (fetch keepalive) bypass interception, so this
    // DELETE goes to serve.mjs for real.
    await fakeEndpoint(page, 'whep', peer, 'sender', ['answer'], { realDeletes: true });
    await page.goto(`${base}/watch/live/test`);
    await waitState(page, 'playing', 20);
    const before = deletesSeen.length;
    await page.goto('about:blank');
    for (let i = 0; i < 30 && deletesSeen.length === before; i++) await sleep(100);
    record.deletes = deletesSeen.slice(before);
    assert.deepEqual(record.deletes, ['/whep/live/test/session-0']);
  },

  async 'publish page sends H.264 + Opus over WHIP with SEI stamps'(context, record) {
    const peer = await newPeer(context);
    const page = await context.newPage();
    const log = watchConsole(page);
    const seen = await fakeEndpoint(page, 'whip', peer, 'receiver');
    await page.goto(`${base}/publish/live/test?autostart=1&source=camera&stamp=1`);
    await waitState(page, 'publishing', 20, 'cascadePublish');
    await sleep(4000);
    const a = await pubStats(page);
    await sleep(2000);
    const b = await pubStats(page);
    const got = await peer.evaluate(() => window.peer.receivedStats());
    record.publish = b;
    record.received = got;
    await shot(page, 'publish');
    const sdp = checkOffer(seen.posts[0], ['video', 'audio']);
    assert.equal(seen.posts[0].path, '/whip/live/test', 'WHIP URL derived from /publish/live/test');
    const videoSection = sdp.slice(sdp.indexOf('m=video'), sdp.indexOf('m=audio'));
    const firstPt = /^m=video \d+ [A-Z/]+ (\d+)/m.exec(videoSection)[1];
    assert.match(videoSection, new RegExp(`^a=rtpmap:${firstPt} H264/90000`, 'm'), 'H.264 is the first video codec offered');
    assert.match(videoSection, new RegExp(`^a=fmtp:${firstPt} .*packetization-mode=1`, 'm'));
    assert.match(videoSection, new RegExp(`^a=fmtp:${firstPt} .*profile-level-id=42e01f`, 'm'), 'constrained baseline 42e01f first');
    const audioSection = sdp.slice(sdp.indexOf('m=audio'));
    const firstAudioPt = /^m=audio \d+ [A-Z/]+ (\d+)/m.exec(audioSection)[1];
    assert.match(audioSection, new RegExp(`^a=rtpmap:${firstAudioPt} opus/48000`, 'm'), 'Opus first');
    assert.equal((sdp.match(/^a=sendonly/gm) || []).length, 2);
    assert.ok(b.framesEncoded > a.framesEncoded && b.bytesSent > a.bytesSent, 'frames and bytes increase');
    assert.match(b.videoCodec ?? '', /^H264 42e01f/);
    assert.equal(b.audioCodec, 'opus');
    assert.ok(b.framesStamped > 0, 'frames stamped');
    assert.ok(got.framesDecoded > 0 && got.audioPackets > 0, 'the peer receives video and audio');
    assert.ok(got.g2gCount > 0, 'the peer finds the publish page\'s SEI stamps');
    const status = await page.evaluate(() => window.cascadePublisher.stop());
    assert.equal(status, 200);
    assert.deepEqual(seen.deletes, ['/whip/live/test/session-0']);
    assert.deepEqual(log.pageErrors, []);
  },

  async 'pages without a media node show a clear error'(context, record) {
    // serve.mjs itself answers the WHEP POST with 503 problem+json.
    const page = await context.newPage();
    const log = watchConsole(page);
    record.log = log;
    await page.goto(`${base}/watch/live/nothing`);
    await waitState(page, 'failed', 10);
    record.message = await page.evaluate(() => window.cascadeStats.lastError ?? document.getElementById('status').textContent);
    await page.waitForFunction(() => window.cascadeStats.lastError, null, { timeout: 5000 });
    record.lastError = await page.evaluate(() => window.cascadeStats.lastError);
    assert.match(record.lastError, /HTTP 503.*no WHEP endpoint here/);
    const bare = await context.newPage();
    await bare.goto(`${base}/web/player.html`);
    record.withoutStream = await bare.evaluate(() => [window.cascadeState, document.getElementById('status').textContent]);
    assert.equal(record.withoutStream[0], 'error');
    assert.deepEqual(log.pageErrors, []);
    delete record.log;
  },
};

const report = { chromium: browser.version(), base, cases: [] };
let failed = 0;
for (const [name, run] of Object.entries(cases)) {
  if (opts.only && !name.includes(opts.only)) continue;
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, permissions: ['camera', 'microphone'] });
  const record = { name };
  const t0 = Date.now();
  try {
    await run(context, record);
    record.result = record.skipped ? 'skip' : 'pass';
  } catch (e) {
    record.result = 'fail';
    record.error = e.message;
    failed++;
  }
  record.ms = Date.now() - t0;
  await context.close().catch(() => {});
  report.cases.push(record);
  process.stderr.write(`${record.result.toUpperCase().padEnd(4)} ${name} (${(record.ms / 1000).toFixed(1)} s)${record.error ? `\n     ${record.error.split('\n').join('\n     ')}` : ''}\n`);
}
if (opts.out) await writeResult(opts.out, report);
await browser.close();
server.close();
process.exit(failed ? 1 : 0);
