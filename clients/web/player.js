// Cascade player: plays one stream over WHEP.
//
// Flow per session: RTCPeerConnection with recvonly video + audio transceivers -> offer ->
// wait for ICE gathering to complete (the edge is ICE-lite, no trickle) -> POST the offer to
// the WHEP endpoint -> apply the 201 answer, keep its Location -> DELETE it on stop/unload.
// Any failure (HTTP error, ICE/DTLS failure, disconnect, no media) ends the session and
// starts a new one after a backoff.
//
// Moving to another edge (make-before-break): when the 201 links the WHEP server-sent events
// extension, the player subscribes to `reconnect` (and `viewercount`). A draining edge sends
// `reconnect` with another edge's WHEP URL; the player then opens a second session there into a
// second, hidden <video>, waits until it has decoded frames and has enough data to play, shows it,
// and only then closes the old peer connection and DELETEs the old session. If the new session
// fails, the old one keeps playing and the move is retried after 1, 2, 4, 8 s (see whep-events.js).
//
// Adaptive bitrate: the player also asks for Cascade's `variant` event, which the edge sends each
// time it picks another level of the stream's ladder for this viewer (from the browser's REMB). The
// player only shows it (overlay row "Variant") and publishes it for tests; the switching is the edge's.
//
// For tests the page publishes, once a second:
//   window.cascadeState   'idle' | 'connecting' | 'playing' | 'stalled' | 'failed' | 'stopped' | 'error'
//   window.cascadeStats   a flat plain object (see clients/README.md for every field)
//   window.cascadePlayer  { start(), stop() -> Promise<DELETE status>, variant, ... }
// The current ABR variant is window.cascadeStats.variant (null until the edge sends one).
import {
  HttpError, backoffMs, deleteResource, endpointFromPath, exchangeSdp, waitForIceGathering,
} from './webrtc-http.js';
import { codecName, fmt, kbps, percentile, round } from './stats.js';
import { startSeiWorker } from './transform.js';
import {
  candidateReady, createEventStream, eventTypesToAsk, eventsEntry, formatVariant, gapInFrames, moveRetryMs, parseVariant,
  reconnectTarget, viewerCount,
} from './whep-events.js';

const CONNECT_TIMEOUT_MS = 15000;     // answer applied -> connected
const NO_MEDIA_TIMEOUT_MS = 10000;    // connected, but no frame/sample for this long -> reconnect
const STALL_AFTER_MS = 3000;          // playing, but nothing new for this long -> 'stalled'
const DISCONNECT_GRACE_MS = 2500;     // 'disconnected' may recover on its own
const LATENCY_WINDOW = 100;
const MOVE_READY_FRAMES = 30;         // a moved-to session shows once it has decoded this many frames
const MOVE_TIMEOUT_MS = 15000;        // ... within this long, or the move fails (the old session plays on)
const MOVE_ATTEMPTS = 5;
const MOVE_LOG_SIZE = 50;
const VARIANT_LOG_SIZE = 50;

// --- where to play from -------------------------------------------------------------------
const params = new URLSearchParams(location.search);
const whepUrl = (() => {
  if (params.get('whep')) return new URL(params.get('whep'), location.href).href;
  if (params.get('stream')) return new URL(`/whep/${params.get('stream')}`, location.href).href;
  const p = endpointFromPath(location.pathname, 'watch', 'whep');
  return p ? new URL(p, location.href).href : null;
})();
const streamName = params.get('stream') ||
  (/\/watch\/([^/]+\/[^/]+?)\/?$/.exec(location.pathname) || [])[1] ||
  (whepUrl ? (/\/whep\/(.+)$/.exec(new URL(whepUrl).pathname) || [])[1] || new URL(whepUrl).host + new URL(whepUrl).pathname : '');
const transformMode = (() => {
  const wanted = params.get('transform');
  const script = 'RTCRtpScriptTransform' in window;
  const legacy = 'RTCRtpReceiver' in window && 'createEncodedStreams' in RTCRtpReceiver.prototype;
  if (wanted === 'none') return 'none';
  if (wanted === 'insertable-streams') return legacy ? 'insertable-streams' : 'none';
  if (wanted === 'script') return script ? 'script' : 'none';
  return script ? 'script' : legacy ? 'insertable-streams' : 'none';
})();

// --- page elements ------------------------------------------------------------------------
const $ = (id) => document.getElementById(id);
// Two <video>s: the one shown, and a standby behind it that a session being moved to plays into.
const videos = [$('video'), $('video-next')];
let shownVideo = videos[0];
const standbyVideo = () => (shownVideo === videos[0] ? videos[1] : videos[0]);
const ui = {
  curtain: $('curtain'), curtainTitle: $('curtain-title'), curtainDetail: $('curtain-detail'),
  overlay: $('overlay'), stream: $('stream-name'), state: $('state'), status: $('status'),
  stats: $('stats').tBodies[0], unmute: $('unmute'), toggle: $('toggle'), statsToggle: $('stats-toggle'),
};
ui.stream.textContent = streamName || 'no stream';
document.title = streamName ? `${streamName} \u00b7 Cascade` : 'Cascade player';
if (params.get('stats') === '0') ui.overlay.hidden = true;

// --- state --------------------------------------------------------------------------------
let state = 'idle';
let message = '';
let session = null;          // the current attempt; see connect()
let sessionSeq = 0;
let failures = 0;            // consecutive failed attempts (reset once media plays)
let sessionsStarted = 0;
let retryAt = 0;
let retryTimer = null;
let lastError = null;
let statsSeq = 0;
let playUrl = whepUrl;       // where sessions go: the page's endpoint, then wherever a move went
let candidate = null;        // the session being moved to, playing into the standby <video>
let move = null;             // { url, attempt, timer } while a move is wanted
let moves = 0;               // completed moves
let movesFailed = 0;         // failed move attempts
let edgeViewers = null;      // the last viewercount event
const moveLog = [];          // what happened during moves, for tests: [{t, type, ...}]
let variantEvents = 0;       // variant events taken (the shown session's, and a moved-to one's at the swap)
let variantMalformed = 0;    // variant events whose data could not be read (ignored)
const variantLog = [];       // every variant shown, for tests: [{t, level, levels, width, height, bitrateKbps, reason, ...}]
// Counters of the sessions moved away from, minus what the new one counted while hidden: the totals
// are what the viewer saw, and keep growing across a move.
const carried = { framesDecoded: 0, freezeCount: 0, totalFreezesDurationMs: 0 };
// The shown <video>'s presented frames (requestVideoFrameCallback): when the last one was, and a
// swap waiting for the new video's first frame, to measure the gap the viewer saw.
const shown = { lastFrameAt: 0, swapAt: 0, swapFrom: 0, fps: null };
const latency = {
  last: null, window: [], count: 0,                 // capture -> encoded frame at the receiver
  displayLast: null, displayWindow: [], displayCount: 0,  // capture -> expected display time
  captureByRtp: new Map(), seiFramesSeen: 0, framesSeen: 0,
};

window.cascadeState = state;
window.cascadeStats = { seq: 0, time: Date.now(), state, whepUrl };

function logMove(type, fields = {}) {
  const entry = { t: Math.round(performance.now()), type, ...fields };
  moveLog.push(entry);
  if (moveLog.length > MOVE_LOG_SIZE) moveLog.shift();
  console.info(`[cascade] move: ${type} ${JSON.stringify(fields)}`);
}

/** A session still counts: the one playing, or the one being moved to. */
const alive = (s) => s === session || s === candidate;

function setState(next, msg = '', isProblem = false) {
  state = next;
  message = msg;
  window.cascadeState = next;
  ui.state.textContent = next;
  ui.state.dataset.state = next;
  ui.status.textContent = msg;
  ui.status.classList.toggle('problem', isProblem);
  const showCurtain = next !== 'playing' && next !== 'stalled';
  ui.curtain.hidden = !showCurtain;
  if (showCurtain) {
    ui.curtainTitle.textContent = {
      idle: 'Ready', connecting: 'Connecting\u2026', failed: 'Stream unavailable',
      stopped: 'Stopped', error: 'Cannot play',
    }[next] || next;
    ui.curtainDetail.textContent = msg;
  }
  ui.toggle.innerHTML = next === 'stopped' || next === 'error' || next === 'idle' ? '&#9654; Play' : '&#9632; Stop';
  ui.toggle.disabled = next === 'error';
}

// --- one session --------------------------------------------------------------------------
async function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  retryAt = 0;
  const id = ++sessionSeq;
  sessionsStarted++;
  setState('connecting', failures ? `reconnecting (attempt ${failures + 1}) \u2026` : `connecting to ${playUrl}`);

  const worker = transformMode === 'none' ? null : await startSeiWorker();
  if (id !== sessionSeq) { if (worker) worker.terminate(); return; }   // stopped meanwhile
  const s = newSession(playUrl, shownVideo, worker);
  session = s;
  await negotiate(s);
}

/** A session object and its RTCPeerConnection, playing into `videoEl`. */
function newSession(url, videoEl, worker) {
  const mode = worker ? transformMode : 'none';
  const config = { bundlePolicy: 'max-bundle' };
  if (mode === 'insertable-streams') config.encodedInsertableStreams = true;
  const pc = new RTCPeerConnection(config);
  return {
    id: sessionSeq, url, pc, video: videoEl, resourceUrl: null, abort: new AbortController(), worker, mode,
    timers: new Set(), stream: new MediaStream(), connectedAt: 0, mediaAt: 0, lastProgressAt: 0, progress: -1,
    prevReport: null, startedAt: Date.now(), stage: 'creating the offer', events: null, eventsState: 'none',
    presentedFrames: 0, closed: false, variant: null,
  };
}

/** Offer, POST, answer; then the events subscription. Failures go to fail(s). */
async function negotiate(s) {
  const { pc } = s;
  // One deadline for the whole setup: gathering, the POST (which has no timeout of its own)
  // and ICE/DTLS.
  later(s, CONNECT_TIMEOUT_MS, () => {
    if (!s.connectedAt) fail(s, `not connected after ${CONNECT_TIMEOUT_MS / 1000} s (stuck ${s.stage}; connectionState ${pc.connectionState})`);
  });

  try {
    const videoTr = pc.addTransceiver('video', { direction: 'recvonly' });
    const audioTr = pc.addTransceiver('audio', { direction: 'recvonly' });
    installTransform(s, videoTr, audioTr);

    pc.ontrack = (e) => {
      s.stream.addTrack(e.track);
      if (s.video.srcObject !== s.stream) s.video.srcObject = s.stream;
      s.video.play().catch(() => { /* autoplay of muted video is allowed; a later play() retries */ });
    };
    pc.onconnectionstatechange = () => onConnectionState(s);
    countPresentedFrames(s);

    await pc.setLocalDescription(await pc.createOffer());
    s.stage = 'gathering ICE candidates';
    await waitForIceGathering(pc);
    if (!alive(s)) return;
    s.stage = 'waiting for the WHEP answer';
    const { resourceUrl, link, url } = await exchangeSdp(pc, s.url, { signal: s.abort.signal });
    s.resourceUrl = resourceUrl;
    if (!alive(s)) { deleteResource(resourceUrl); return; }   // stopped while posting
    s.stage = 'in ICE/DTLS';
    if (!s.connectedAt && s === session) {
      message = 'negotiated, connecting media \u2026';
      ui.status.textContent = message;
      ui.curtainDetail.textContent = message;
    }
    subscribeEvents(s, link, url);
  } catch (e) {
    if (e.name === 'AbortError' || !alive(s)) return;
    fail(s, e instanceof HttpError ? e.message : `${e.name || 'Error'}: ${e.message}`);
  }
}

// --- server-sent events: reconnect (move to another edge), viewercount ----------------------
async function subscribeEvents(s, link, base) {
  const entry = eventsEntry(link, base);
  if (!entry || typeof EventSource === 'undefined') return;
  // variant is asked for even when not announced: an edge ignores types it does not send.
  const types = eventTypesToAsk(link, ['reconnect', 'viewercount'], ['variant']);
  if (!types.length) return;
  s.eventsState = 'connecting';
  let streamUrl;
  try {
    streamUrl = await createEventStream(entry, types, { signal: s.abort.signal });
  } catch (e) {
    if (alive(s)) { s.eventsState = 'failed'; console.warn(`[cascade] no WHEP events: ${e.message}`); }
    return;
  }
  if (!alive(s)) return;
  const es = new EventSource(streamUrl);
  s.events = es;
  es.onopen = () => { s.eventsState = 'open'; };
  es.onerror = () => { s.eventsState = es.readyState === EventSource.CLOSED ? 'closed' : 'connecting'; };
  es.addEventListener('reconnect', (e) => onReconnect(s, e.data));
  es.addEventListener('viewercount', (e) => { if (s === session) edgeViewers = viewerCount(e.data); });
  es.addEventListener('variant', (e) => onVariant(s, e.data));
}

/** The edge switched this session to another level of the ladder (or to the source). */
function onVariant(s, data) {
  if (!alive(s)) return;
  const v = parseVariant(data);
  if (!v) {
    variantMalformed++;
    console.warn(`[cascade] ignoring a variant event that cannot be read: ${String(data).slice(0, 200)}`);
    return;
  }
  s.variant = v;
  if (s === session) showVariant(v);   // a moved-to session's shows when it takes over (promote)
}

function showVariant(v) {
  variantEvents++;
  variantLog.push({ t: Math.round(performance.now()), ...v });
  if (variantLog.length > VARIANT_LOG_SIZE) variantLog.shift();
  console.info(`[cascade] variant: ${formatVariant(v)}`);
}

function onReconnect(s, data) {
  if (s !== session) return;           // the session being moved to, or one already left
  const url = reconnectTarget(data, s.url);
  logMove('reconnect', { url, from: s.url });
  if (!url) return;
  if (move && move.url === url) return; // already on it
  cancelMove();
  move = { url, attempt: 0, timer: null };
  attemptMove();
}

async function attemptMove() {
  const m = move;
  if (!m || !session || candidate) return;
  m.timer = null;
  const worker = transformMode === 'none' ? null : await startSeiWorker();
  if (move !== m || !session) { if (worker) worker.terminate(); return; }
  const c = newSession(m.url, standbyVideo(), worker);
  c.video.muted = true;                 // never two sounds at once
  candidate = c;
  logMove('candidate', { url: m.url, attempt: m.attempt + 1 });
  later(c, MOVE_TIMEOUT_MS, () => { if (candidate === c) fail(c, `not playing after ${MOVE_TIMEOUT_MS / 1000} s`); });
  watchCandidate(c);
  await negotiate(c);
}

/** Polls the candidate until it has decoded frames and can play; then it takes over. */
function watchCandidate(c) {
  later(c, 100, async () => {
    if (c.pc.connectionState === 'connected' && !c.connectedAt) c.connectedAt = Date.now();
    let framesDecoded = 0;
    let audioSamplesReceived = 0;
    try {
      const report = await c.pc.getStats();
      report.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') framesDecoded = r.framesDecoded ?? 0;
        if (r.type === 'inbound-rtp' && r.kind === 'audio') audioSamplesReceived = r.totalSamplesReceived ?? 0;
      });
    } catch { /* closed meanwhile */ }
    if (candidate !== c) return;
    const readyState = c.video.readyState;
    const hasAudio = c.stream.getAudioTracks().length > 0;
    if (candidateReady({ framesDecoded, readyState, hasAudio, audioSamplesReceived }, MOVE_READY_FRAMES)) {
      logMove('candidate-ready', { framesDecoded, audioSamplesReceived, presentedFrames: c.presentedFrames, readyState });
      promote(c);
    } else {
      watchCandidate(c);
    }
  });
}

/** Make-before-break: show the candidate, then close and DELETE the old session. */
async function promote(c) {
  const old = session;
  candidate = null;
  move = null;
  session = c;
  playUrl = c.url;
  c.mediaAt = c.mediaAt || Date.now();
  c.lastProgressAt = Date.now();
  if (c.variant) showVariant(c.variant);
  // The counters both sessions have at the swap.
  const [before, now] = old ? await Promise.all([totals(old), totals(c)]) : [null, await totals(c)];
  // Show the new picture first ...
  c.video.muted = shownVideo.muted;
  shownVideo = c.video;
  shown.swapAt = performance.now();
  shown.swapFrom = shown.lastFrameAt;
  for (const v of videos) v.classList.toggle('standby', v !== shownVideo);
  moves++;
  failures = 0;
  if (!old) return;
  old.video.muted = true;
  // ... then break the old session: its counts stay in the totals, the new one's hidden ones do not.
  carried.framesDecoded += before.framesDecoded - now.framesDecoded;
  carried.freezeCount += before.freezeCount - now.freezeCount;
  carried.totalFreezesDurationMs += before.totalFreezesDurationMs - now.totalFreezesDurationMs;
  const newFramesDecoded = now.framesDecoded;
  logMove('swap', {
    to: c.url, newFramesDecoded, oldFramesDecoded: before.framesDecoded, newFreezeCount: now.freezeCount, oldFreezeCount: before.freezeCount,
  });
  const status = await teardown(old);
  logMove('old-closed', { from: old.url, deleteStatus: status, newFramesDecoded });
}

async function totals(s) {
  const t = { framesDecoded: 0, freezeCount: 0, totalFreezesDurationMs: 0 };
  try {
    (await s.pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        t.framesDecoded = r.framesDecoded ?? 0;
        t.freezeCount = r.freezeCount ?? 0;
        t.totalFreezesDurationMs = (r.totalFreezesDuration ?? 0) * 1000;
      }
    });
  } catch { /* closed */ }
  return t;
}

/** A failed move attempt: the old session plays on; try again later. */
function failMove(c, reason) {
  if (candidate !== c) return;
  candidate = null;
  teardown(c);
  movesFailed++;
  const m = move;
  if (!m) return;
  m.attempt++;
  const retryInMs = m.attempt < MOVE_ATTEMPTS ? moveRetryMs(m.attempt - 1) : null;
  logMove('move-failed', { url: c.url, reason, attempt: m.attempt, retryInMs });
  console.warn(`[cascade] move to ${c.url} failed: ${reason}`);
  if (retryInMs === null) { move = null; return; }
  m.timer = setTimeout(attemptMove, retryInMs);
}

function cancelMove() {
  if (move && move.timer) clearTimeout(move.timer);
  move = null;
  if (candidate) { const c = candidate; candidate = null; teardown(c); }
}

/** Counts the frames a session's <video> presents (requestVideoFrameCallback), and capture-to-display. */
function countPresentedFrames(s) {
  if (!('requestVideoFrameCallback' in HTMLVideoElement.prototype)) return;
  const el = s.video;
  const onFrame = (now, meta) => {
    if (s.closed) return;
    if (el.srcObject === s.stream) {
      s.presentedFrames++;
      if (el === shownVideo) {
        displayed(now, meta);
        if (shown.swapAt && now >= shown.swapAt) {
          const gapMs = now - shown.swapFrom;
          logMove('first-frame-shown', { gapMs: round(gapMs, 1), gapFrames: gapInFrames(gapMs, shown.fps), fps: shown.fps });
          shown.swapAt = 0;
        }
        shown.lastFrameAt = now;
      }
    }
    el.requestVideoFrameCallback(onFrame);
  };
  el.requestVideoFrameCallback(onFrame);
}

function installTransform(s, videoTr, audioTr) {
  const { worker } = s;
  if (!worker) return;
  worker.onmessage = (e) => onWorkerMessage(s, e.data);
  worker.onerror = (e) => console.warn('[cascade] sei worker error', e.message);
  if (s.mode === 'script') {
    videoTr.receiver.transform = new RTCRtpScriptTransform(worker, { side: 'receive', kind: 'video' });
  } else {
    // Legacy API: with encodedInsertableStreams every receiver must be piped, audio included.
    for (const [tr, kind] of [[videoTr, 'video'], [audioTr, 'audio']]) {
      const { readable, writable } = tr.receiver.createEncodedStreams();
      worker.postMessage({ type: 'streams', side: 'receive', kind, readable, writable }, [readable, writable]);
    }
  }
}

function onWorkerMessage(s, m) {
  if (m.type === 'sei') {
    const d = m.nowMs - m.captureMs;
    latency.last = d;
    latency.count++;
    latency.window.push(d);
    if (latency.window.length > LATENCY_WINDOW) latency.window.shift();
    latency.captureByRtp.set(m.rtpTimestamp, m.captureMs);
    if (latency.captureByRtp.size > 300) latency.captureByRtp.delete(latency.captureByRtp.keys().next().value);
  } else if (m.type === 'counters' && session === s) {
    latency.framesSeen = m.framesSeen;
    latency.seiFramesSeen = m.framesWithSei;
  }
}

// Capture -> display: the displayed frame's RTP timestamp finds its capture time.
function displayed(now, meta) {
  const captureMs = meta.rtpTimestamp !== undefined ? latency.captureByRtp.get(meta.rtpTimestamp) : undefined;
  if (captureMs === undefined) return;
  const shownMs = performance.timeOrigin + (meta.expectedDisplayTime ?? now);
  const d = shownMs - captureMs;
  latency.displayLast = d;
  latency.displayCount++;
  latency.displayWindow.push(d);
  if (latency.displayWindow.length > LATENCY_WINDOW) latency.displayWindow.shift();
}

function onConnectionState(s) {
  if (!alive(s)) return;
  const cs = s.pc.connectionState;
  if (cs === 'connected') {
    if (!s.connectedAt) s.connectedAt = Date.now();
    if (s === candidate) logMove('candidate-connected', { url: s.url });
    if (state === 'connecting' && s === session) {
      message = 'connected, waiting for media \u2026';
      ui.status.textContent = message;
      ui.curtainDetail.textContent = message;
    }
    later(s, NO_MEDIA_TIMEOUT_MS, () => {
      if (!s.mediaAt && s.pc.connectionState === 'connected') fail(s, `connected but no media for ${NO_MEDIA_TIMEOUT_MS / 1000} s`);
    });   // a candidate has no mediaAt until it takes over; MOVE_TIMEOUT_MS bounds it anyway
  } else if (cs === 'failed') {
    fail(s, 'connection failed (ICE/DTLS)');
  } else if (cs === 'disconnected') {
    later(s, DISCONNECT_GRACE_MS, () => {
      if (s.pc.connectionState === 'disconnected') fail(s, 'connection lost');
    });
  }
}

function later(s, ms, fn) {
  const t = setTimeout(() => { s.timers.delete(t); if (alive(s)) fn(); }, ms);
  s.timers.add(t);
}

function teardown(s, { keepalive = false } = {}) {
  s.closed = true;
  for (const t of s.timers) clearTimeout(t);
  s.timers.clear();
  s.abort.abort();
  if (s.events) { s.events.close(); s.events = null; s.eventsState = 'closed'; }
  try { s.pc.close(); } catch { /* already closed */ }
  const del = deleteResource(s.resourceUrl, { keepalive });
  s.resourceUrl = null;
  if (s.worker) s.worker.terminate();
  if (s.video.srcObject === s.stream) s.video.srcObject = null;
  return del;
}

function fail(s, reason) {
  if (s === candidate) { failMove(s, reason); return; }
  if (session !== s) return;
  if (candidate) {
    // The old edge went away before the move finished: the new session takes over now.
    logMove('old-failed', { reason });
    promote(candidate);
    return;
  }
  if (move) { playUrl = move.url; cancelMove(); }   // retry where we were told to go
  session = null;
  teardown(s);
  lastError = reason;
  const delay = backoffMs(failures);
  failures++;
  retryAt = Date.now() + delay;
  console.warn(`[cascade] ${reason}; retrying in ${delay} ms`);
  setState('failed', reason, true);
  showRetry();
  retryTimer = setTimeout(connect, delay);
}

async function stop() {
  sessionSeq++;                // cancels a connect() still waiting for its worker
  cancelMove();
  clearTimeout(retryTimer);
  retryTimer = null;
  retryAt = 0;
  const s = session;
  session = null;
  setState('stopped', s && s.resourceUrl ? 'ending the session \u2026' : '');
  const status = s ? await teardown(s) : 0;
  setState('stopped', status ? `session deleted (HTTP ${status})` : '');
  return status;
}

function start() {
  if (!whepUrl) return;
  if (session) return;
  failures = 0;
  connect();
}

// --- stats, once a second -----------------------------------------------------------------
async function collect() {
  const s = session;
  const out = {
    seq: ++statsSeq, time: Date.now(), state, message, whepUrl: playUrl, pageWhepUrl: whepUrl,
    resourceUrl: s ? s.resourceUrl : null, lastError, failures, sessionsStarted, retryInMs: null,
    connectionState: s ? s.pc.connectionState : null,
    iceConnectionState: s ? s.pc.iceConnectionState : null,
    transform: s ? s.mode : transformMode,
    muted: shownVideo.muted,
    events: s ? s.eventsState : 'none', viewerCount: edgeViewers,
    moves, movesFailed, moving: Boolean(move || candidate), moveLog: moveLog.slice(),
    variant: s && s.variant ? { ...s.variant } : null, variantEvents, variantMalformed, variantLog: variantLog.slice(),
    // counters default to 0 so a test can compare them without null checks
    framesDecoded: 0, framesReceived: 0, framesDropped: 0, keyFramesDecoded: 0, freezeCount: 0,
    packetsLost: 0, packetsReceived: 0, audioSamplesReceived: 0, bytesReceived: 0,
  };
  if (s && s.pc.connectionState !== 'closed') {
    try {
      Object.assign(out, readReport(s, await s.pc.getStats()));
    } catch (e) {
      out.statsError = String(e);
    }
    trackProgress(s, out);
  }
  out.glassToGlassMs = round(latency.last, 1);
  out.glassToGlassP50Ms = round(percentile(latency.window, 50), 1);
  out.glassToGlassP95Ms = round(percentile(latency.window, 95), 1);
  out.glassToGlassCount = latency.count;
  out.glassToGlassRecent = latency.window.slice();
  out.captureToDisplayMs = round(latency.displayLast, 1);
  out.captureToDisplayP50Ms = round(percentile(latency.displayWindow, 50), 1);
  out.captureToDisplayCount = latency.displayCount;
  out.seiFramesSeen = latency.seiFramesSeen;
  out.transformFramesSeen = latency.framesSeen;
  if (out.fps > 0) shown.fps = out.fps;
  // Totals over every session of a move chain (counters of the sessions moved away from kept).
  out.framesDecodedTotal = carried.framesDecoded + out.framesDecoded;
  out.freezeCountTotal = carried.freezeCount + out.freezeCount;
  out.totalFreezesDurationMsTotal = round(carried.totalFreezesDurationMs + (out.totalFreezesDurationMs ?? 0), 1);
  // trackProgress may have moved these on
  out.state = state;
  out.message = message;
  out.failures = failures;
  out.lastError = lastError;
  out.retryInMs = retryAt ? Math.max(0, retryAt - Date.now()) : null;
  window.cascadeStats = out;
  render(out);
}

function readReport(s, report) {
  const byId = new Map();
  report.forEach((r) => byId.set(r.id, r));
  let v = null;
  let a = null;
  let pair = null;
  let remoteIn = null;
  let remoteOut = null;
  for (const r of byId.values()) {
    if (r.type === 'inbound-rtp' && r.kind === 'video') v = r;
    else if (r.type === 'inbound-rtp' && r.kind === 'audio') a = r;
    else if (r.type === 'remote-inbound-rtp' && r.roundTripTime !== undefined) remoteIn = r;
    else if (r.type === 'remote-outbound-rtp' && r.roundTripTime !== undefined) remoteOut = r;
    else if (r.type === 'transport' && r.selectedCandidatePairId) pair = byId.get(r.selectedCandidatePairId);
  }
  if (!pair) for (const r of byId.values()) if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r;

  const prev = s.prevReport;
  s.prevReport = { v, a };
  const o = {};
  const ms = (sec) => (sec === undefined || sec === null ? null : round(sec * 1000, 1));
  const lossPct = (lost, got) => (got + lost > 0 ? round((100 * lost) / (got + lost), 2) : null);

  if (v) {
    o.videoCodec = codecName(v, byId);
    o.decoderImplementation = v.decoderImplementation ?? null;
    o.videoBitrateKbps = prev && prev.v ? round(kbps(v.bytesReceived, prev.v.bytesReceived, v.timestamp, prev.v.timestamp), 1) : null;
    o.fps = v.framesPerSecond ?? null;
    o.width = v.frameWidth ?? null;
    o.height = v.frameHeight ?? null;
    o.resolution = v.frameWidth ? `${v.frameWidth}x${v.frameHeight}` : null;
    o.framesDecoded = v.framesDecoded ?? 0;
    o.framesReceived = v.framesReceived ?? 0;
    o.framesDropped = v.framesDropped ?? 0;
    o.keyFramesDecoded = v.keyFramesDecoded ?? 0;
    o.freezeCount = v.freezeCount ?? 0;
    o.totalFreezesDurationMs = ms(v.totalFreezesDuration);
    o.pauseCount = v.pauseCount ?? 0;
    o.videoPacketsReceived = v.packetsReceived ?? 0;
    o.videoPacketsLost = v.packetsLost ?? 0;
    o.videoLossPct = lossPct(o.videoPacketsLost, o.videoPacketsReceived);
    o.nackCount = v.nackCount ?? 0;
    o.pliCount = v.pliCount ?? 0;
    o.firCount = v.firCount ?? 0;
    o.videoJitterMs = ms(v.jitter);
    o.videoJitterBufferMs = v.jitterBufferEmittedCount ? round((1000 * v.jitterBufferDelay) / v.jitterBufferEmittedCount, 1) : null;
    o.decodeMsPerFrame = v.framesDecoded ? round((1000 * v.totalDecodeTime) / v.framesDecoded, 2) : null;
    o.videoBytesReceived = v.bytesReceived ?? 0;
  }
  if (a) {
    o.audioCodec = codecName(a, byId);
    o.audioBitrateKbps = prev && prev.a ? round(kbps(a.bytesReceived, prev.a.bytesReceived, a.timestamp, prev.a.timestamp), 1) : null;
    o.audioPacketsReceived = a.packetsReceived ?? 0;
    o.audioPacketsLost = a.packetsLost ?? 0;
    o.audioLossPct = lossPct(o.audioPacketsLost, o.audioPacketsReceived);
    o.audioJitterMs = ms(a.jitter);
    o.audioJitterBufferMs = a.jitterBufferEmittedCount ? round((1000 * a.jitterBufferDelay) / a.jitterBufferEmittedCount, 1) : null;
    o.audioSamplesReceived = a.totalSamplesReceived ?? 0;
    o.audioConcealedSamples = a.concealedSamples ?? 0;
    o.audioLevel = a.audioLevel ?? null;
    o.audioBytesReceived = a.bytesReceived ?? 0;
  }
  o.packetsReceived = (o.videoPacketsReceived ?? 0) + (o.audioPacketsReceived ?? 0);
  o.packetsLost = (o.videoPacketsLost ?? 0) + (o.audioPacketsLost ?? 0);
  o.lossPct = lossPct(o.packetsLost, o.packetsReceived);
  o.bytesReceived = (o.videoBytesReceived ?? 0) + (o.audioBytesReceived ?? 0);
  o.bitrateKbps = o.videoBitrateKbps !== null || o.audioBitrateKbps !== null
    ? round((o.videoBitrateKbps ?? 0) + (o.audioBitrateKbps ?? 0), 1) : null;
  o.jitterMs = o.videoJitterMs ?? o.audioJitterMs ?? null;
  o.jitterBufferMs = o.videoJitterBufferMs ?? o.audioJitterBufferMs ?? null;

  // RTT: remote-inbound-rtp only exists for what we send (nothing, we are recvonly), so in
  // practice it comes from remote-outbound-rtp (if the edge sends DLRR) or from the ICE
  // consent checks on the selected candidate pair.
  if (remoteIn) { o.rttMs = ms(remoteIn.roundTripTime); o.rttSource = 'remote-inbound-rtp'; }
  else if (remoteOut) { o.rttMs = ms(remoteOut.roundTripTime); o.rttSource = 'remote-outbound-rtp'; }
  else if (pair && pair.currentRoundTripTime !== undefined) { o.rttMs = ms(pair.currentRoundTripTime); o.rttSource = 'candidate-pair'; }
  else { o.rttMs = null; o.rttSource = null; }
  if (pair) {
    const l = byId.get(pair.localCandidateId);
    const r = byId.get(pair.remoteCandidateId);
    o.candidatePair = l && r ? `${l.candidateType} ${l.address ?? '?'}:${l.port} -> ${r.candidateType} ${r.address ?? '?'}:${r.port} ${r.protocol}` : null;
  }
  return o;
}

// playing / stalled from the counters: new decoded frames or new received (not concealed)
// audio samples mean progress. totalSamplesReceived alone keeps growing on silence that
// NetEq makes up when packets stop, so concealed samples do not count.
function trackProgress(s, out) {
  const progress = out.framesDecoded + out.audioSamplesReceived - (out.audioConcealedSamples ?? 0);
  const now = Date.now();
  if (progress > s.progress) {
    s.progress = progress;
    if (progress > 0) {
      s.lastProgressAt = now;
      if (!s.mediaAt) s.mediaAt = now;
    }
  }
  if (s.pc.connectionState !== 'connected' || !s.mediaAt) return;
  const idle = now - s.lastProgressAt;
  if (idle < STALL_AFTER_MS) {
    if (state !== 'playing') {
      failures = 0;
      setState('playing', out.candidatePair ? `via ${out.candidatePair}` : '');
    }
  } else if (idle > NO_MEDIA_TIMEOUT_MS) {
    fail(s, `no media for ${Math.round(idle / 1000)} s`);
  } else if (state !== 'stalled') {
    setState('stalled', `no new frames for ${Math.round(idle / 1000)} s`, true);
  }
}

// --- overlay ------------------------------------------------------------------------------
function render(st) {
  if (ui.overlay.hidden) return;
  const rows = [
    ['Bitrate', `${fmt(st.bitrateKbps, 'kbps', 0)}`, true],
    ['  video / audio', `${fmt(st.videoBitrateKbps, '', 0)} / ${fmt(st.audioBitrateKbps, '', 0)} kbps`],
    ['Video', `${st.videoCodec ?? '\u2014'}  ${st.resolution ?? ''}`],
    ['Variant', formatVariant(st.variant), Boolean(st.variant)],
    ['  REMB / switches', st.variant ? `${fmt(st.variant.rembKbps, 'kbps', 0)} / ${fmt(st.variant.switches, '', 0)}` : '\u2014'],
    ['Frame rate', fmt(st.fps, 'fps', 1), true],
    ['Frames decoded', fmt(st.framesDecoded, '', 0)],
    ['Dropped / freezes', `${fmt(st.framesDropped, '', 0)} / ${fmt(st.freezeCount, '', 0)}`],
    ['Packets lost', `${fmt(st.packetsLost, '', 0)} (${fmt(st.lossPct, '%', 2)})`],
    ['RTT', fmt(st.rttMs, 'ms', 1)],
    ['Jitter', `${fmt(st.videoJitterMs, '', 1)} / ${fmt(st.audioJitterMs, '', 1)} ms`],
    ['Jitter buffer', `${fmt(st.videoJitterBufferMs, '', 1)} / ${fmt(st.audioJitterBufferMs, '', 1)} ms`],
    ['Audio', `${st.audioCodec ?? '\u2014'}  ${fmt(st.audioSamplesReceived, 'samples', 0)}`],
    ['Glass-to-glass', st.glassToGlassMs === null ? '\u2014'
      : `${fmt(st.glassToGlassMs, 'ms', 0)} (p50 ${fmt(st.glassToGlassP50Ms, '', 0)})`, true],
    ['Capture-to-display', st.captureToDisplayMs === null ? '\u2014'
      : `${fmt(st.captureToDisplayMs, 'ms', 0)} (p50 ${fmt(st.captureToDisplayP50Ms, '', 0)})`],
    ['SEI stamps', `${fmt(st.seiFramesSeen, '', 0)} / ${fmt(st.transformFramesSeen, '', 0)} frames (${st.transform})`],
    ['Edge', `${edgeName(st.whepUrl)}${st.moving ? ' (moving\u2026)' : ''}`],
    ['  viewers here / moves', `${fmt(st.viewerCount, '', 0)} / ${fmt(st.moves, '', 0)}${st.movesFailed ? ` (${st.movesFailed} failed)` : ''}`],
  ];
  const body = ui.stats;
  while (body.rows.length < rows.length) {
    const tr = body.insertRow();
    tr.appendChild(document.createElement('th'));
    tr.insertCell();
  }
  rows.forEach(([label, value, key], i) => {
    const tr = body.rows[i];
    tr.className = key ? 'key' : label.startsWith(' ') ? 'sub' : '';
    if (tr.cells[0].textContent !== label.trim()) tr.cells[0].textContent = label.trim();
    tr.cells[1].textContent = value;
  });
  showRetry();
}

function edgeName(url) {
  try { return new URL(url).host; } catch { return '\u2014'; }
}

function showRetry() {
  if (state !== 'failed' || !retryAt) return;
  ui.status.textContent = `${lastError} \u2014 retrying in ${Math.ceil(Math.max(0, retryAt - Date.now()) / 1000)} s (attempt ${failures + 1})`;
  ui.curtainDetail.textContent = ui.status.textContent;
}

// --- controls -----------------------------------------------------------------------------
ui.unmute.addEventListener('click', () => {
  const v = shownVideo;
  v.muted = !v.muted;
  if (!v.muted) v.play().catch(() => {});
  ui.unmute.textContent = v.muted ? 'Unmute' : 'Mute';
  ui.unmute.setAttribute('aria-pressed', String(!v.muted));
});
ui.toggle.addEventListener('click', () => (session || retryTimer ? stop() : start()));
ui.statsToggle.addEventListener('click', () => { ui.overlay.hidden = !ui.overlay.hidden; });

// The page is going away: end the session on the server now rather than at ICE timeout.
window.addEventListener('pagehide', () => {
  sessionSeq++;
  clearTimeout(retryTimer);
  if (move && move.timer) clearTimeout(move.timer);
  move = null;
  if (candidate) { teardown(candidate, { keepalive: true }); candidate = null; }
  if (session) { teardown(session, { keepalive: true }); session = null; }
});

window.cascadePlayer = {
  start, stop, get state() { return state; }, get whepUrl() { return playUrl; }, transform: transformMode,
  get moves() { return moves; },
  get variant() { return session && session.variant ? { ...session.variant } : null; },
};

// --- go -----------------------------------------------------------------------------------
if (!('RTCPeerConnection' in window)) {
  setState('error', 'this browser has no WebRTC (RTCPeerConnection)', true);
} else if (!whepUrl) {
  setState('error', 'no stream: open /watch/{app}/{name}, or add ?stream=app/name or ?whep=URL', true);
} else {
  start();
}
setInterval(() => { collect().catch((e) => console.warn('[cascade] stats', e)); }, 1000);
collect();
