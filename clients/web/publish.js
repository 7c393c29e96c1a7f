// Cascade publish page: sends the camera + microphone, or the screen, over WHIP.
//
// Same HTTP rules as the player (webrtc-http.js): one POST after ICE gathering completes,
// 201 + Location, DELETE on stop/unload, reconnect with backoff when the POST or the
// connection fails (the captured media is kept across attempts).
//
// For tests the page publishes, once a second:
//   window.cascadePublish    { state, bytesSent, framesEncoded, ... } (see clients/README.md)
//   window.cascadePublisher  { start('camera'|'screen'), stop() -> Promise<DELETE status> }
import {
  HttpError, backoffMs, deleteResource, endpointFromPath, exchangeSdp, waitForIceGathering,
} from './webrtc-http.js';
import { preferH264, preferOpus } from './codecs.js';
import { codecName, fmt, kbps, round } from './stats.js';
import { startSeiWorker } from './transform.js';

const CONNECT_TIMEOUT_MS = 15000;
const DISCONNECT_GRACE_MS = 2500;

const params = new URLSearchParams(location.search);
const whipUrl = (() => {
  if (params.get('whip')) return new URL(params.get('whip'), location.href).href;
  if (params.get('stream')) return new URL(`/whip/${params.get('stream')}`, location.href).href;
  const p = endpointFromPath(location.pathname, 'publish', 'whip');
  return p ? new URL(p, location.href).href : null;
})();
const streamName = params.get('stream') ||
  (/\/publish\/([^/]+\/[^/]+?)\/?$/.exec(location.pathname) || [])[1] ||
  (whipUrl ? (/\/whip\/(.+)$/.exec(new URL(whipUrl).pathname) || [])[1] || new URL(whipUrl).host + new URL(whipUrl).pathname : '');
const stamp = params.get('stamp') === '1';
const maxKbps = Number(params.get('maxKbps')) || 0;
const stampMode = !stamp ? 'none'
  : 'RTCRtpScriptTransform' in window ? 'script'
    : 'RTCRtpSender' in window && 'createEncodedStreams' in RTCRtpSender.prototype ? 'insertable-streams' : 'none';

const $ = (id) => document.getElementById(id);
const preview = $('preview');
const ui = {
  curtain: $('curtain'), curtainTitle: $('curtain-title'), curtainDetail: $('curtain-detail'),
  stream: $('stream-name'), state: $('state'), status: $('status'), stats: $('stats').tBodies[0],
  camera: $('camera'), screen: $('screen'), stop: $('stop'),
};
ui.stream.textContent = streamName || 'no stream';
document.title = streamName ? `publish ${streamName} \u00b7 Cascade` : 'Cascade publish';

let state = 'idle';
let message = '';
let media = null;            // the captured MediaStream, kept across reconnects
let source = null;
let session = null;
let failures = 0;
let retryAt = 0;
let retryTimer = null;
let lastError = null;
let statsSeq = 0;
let framesStamped = 0;
let startSeq = 0;            // a stop() while capture is pending cancels that start()
let connectSeq = 0;          // a stop() while a connect() waits for its worker cancels it

window.cascadePublish = { seq: 0, state, bytesSent: 0, framesEncoded: 0, whipUrl };

function setState(next, msg = '', isProblem = false) {
  state = next;
  message = msg;
  ui.state.textContent = next;
  ui.state.dataset.state = next;
  ui.status.textContent = msg;
  ui.status.classList.toggle('problem', isProblem);
  const showCurtain = !media || next === 'error';
  ui.curtain.hidden = !showCurtain;
  if (showCurtain) {
    ui.curtainTitle.textContent = { idle: 'Choose a source', starting: 'Starting\u2026', error: 'Cannot publish', stopped: 'Stopped' }[next] || next;
    ui.curtainDetail.textContent = msg || (next === 'idle' ? 'Publish your camera and microphone, or your screen.' : '');
  }
  const busy = next !== 'idle' && next !== 'stopped' && next !== 'error';
  ui.camera.disabled = busy || !whipUrl;
  ui.screen.disabled = busy || !whipUrl;
  ui.stop.disabled = !busy;
}

// --- capture ------------------------------------------------------------------------------
async function capture(kind) {
  if (kind === 'screen') {
    const s = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 30 }, audio: true });
    for (const t of s.getVideoTracks()) t.contentHint = 'detail';
    return s;
  }
  const s = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
    audio: { echoCancellation: true, noiseSuppression: true },
  });
  for (const t of s.getVideoTracks()) t.contentHint = 'motion';
  return s;
}

async function start(kind = 'camera') {
  if (!whipUrl || session || retryTimer || state === 'starting') return;
  source = kind === 'screen' ? 'screen' : 'camera';
  setState('starting', `asking for ${source === 'screen' ? 'the screen' : 'camera and microphone'} \u2026`);
  const mine = ++startSeq;
  let captured;
  try {
    captured = await capture(source);
  } catch (e) {
    if (mine !== startSeq) return;
    media = null;
    lastError = `cannot capture ${source}: ${e.name}: ${e.message}`;
    setState('error', lastError, true);
    return;
  }
  if (mine !== startSeq) { for (const t of captured.getTracks()) t.stop(); return; }
  media = captured;
  preview.srcObject = media;
  // The user can end a screen share from the browser's own UI.
  for (const t of media.getTracks()) t.addEventListener('ended', () => { if (media && t.kind === 'video') stop(); });
  failures = 0;
  connect();
}

// --- one WHIP session ---------------------------------------------------------------------
async function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  retryAt = 0;
  setState('connecting', failures ? `reconnecting (attempt ${failures + 1}) \u2026` : `connecting to ${whipUrl}`);
  const id = ++connectSeq;
  const worker = stampMode === 'none' ? null : await startSeiWorker();
  if (id !== connectSeq || !media) { if (worker) worker.terminate(); return; }
  const mode = worker ? stampMode : 'none';
  const config = { bundlePolicy: 'max-bundle' };
  if (mode === 'insertable-streams') config.encodedInsertableStreams = true;
  const pc = new RTCPeerConnection(config);
  const s = {
    pc, resourceUrl: null, abort: new AbortController(), worker, mode, timers: new Set(),
    connectedAt: 0, prev: null, stage: 'creating the offer', codecWarning: null,
  };
  session = s;
  later(s, CONNECT_TIMEOUT_MS, () => {
    if (!s.connectedAt) fail(s, `not connected after ${CONNECT_TIMEOUT_MS / 1000} s (stuck ${s.stage}; connectionState ${pc.connectionState})`);
  });
  try {
    const [videoTrack] = media.getVideoTracks();
    const [audioTrack] = media.getAudioTracks();
    const transceivers = [];
    if (videoTrack) {
      const tr = pc.addTransceiver(videoTrack, {
        direction: 'sendonly', streams: [media],
        sendEncodings: [maxKbps ? { maxBitrate: maxKbps * 1000 } : {}],
      });
      setPreferences(s, tr, 'video');
      transceivers.push([tr, 'video']);
    }
    if (audioTrack) {
      const tr = pc.addTransceiver(audioTrack, { direction: 'sendonly', streams: [media] });
      setPreferences(s, tr, 'audio');
      transceivers.push([tr, 'audio']);
    }
    installStamp(s, transceivers);
    pc.onconnectionstatechange = () => onConnectionState(s);

    await pc.setLocalDescription(await pc.createOffer());
    s.stage = 'gathering ICE candidates';
    await waitForIceGathering(pc);
    if (session !== s) return;
    s.stage = 'waiting for the WHIP answer';
    const { resourceUrl } = await exchangeSdp(pc, whipUrl, { signal: s.abort.signal });
    s.resourceUrl = resourceUrl;
    if (session !== s) { deleteResource(resourceUrl); return; }
    s.stage = 'in ICE/DTLS';
    if (!s.connectedAt) setState('connecting', 'negotiated, connecting media \u2026');
  } catch (e) {
    if (e.name === 'AbortError' || session !== s) return;
    fail(s, e instanceof HttpError ? e.message : `${e.name || 'Error'}: ${e.message}`);
  }
}

function setPreferences(s, tr, kind) {
  if (typeof tr.setCodecPreferences !== 'function') return;
  const caps = (RTCRtpSender.getCapabilities && RTCRtpSender.getCapabilities(kind)) || RTCRtpReceiver.getCapabilities(kind);
  if (!caps) return;
  try {
    tr.setCodecPreferences(kind === 'video' ? preferH264(caps.codecs) : preferOpus(caps.codecs));
  } catch (e) {
    s.codecWarning = `setCodecPreferences(${kind}) failed: ${e.message}`;
    console.warn('[cascade]', s.codecWarning);
  }
}

function installStamp(s, transceivers) {
  const { worker } = s;
  if (!worker) return;
  worker.onmessage = (e) => { if (e.data.type === 'counters' && session === s) framesStamped = e.data.framesStamped; };
  for (const [tr, kind] of transceivers) {
    if (s.mode === 'script') {
      if (kind === 'video') tr.sender.transform = new RTCRtpScriptTransform(worker, { side: 'send', kind });
    } else {
      const { readable, writable } = tr.sender.createEncodedStreams();
      worker.postMessage({ type: 'streams', side: 'send', kind, readable, writable }, [readable, writable]);
    }
  }
}

function onConnectionState(s) {
  if (session !== s) return;
  const cs = s.pc.connectionState;
  if (cs === 'connected') {
    if (!s.connectedAt) s.connectedAt = Date.now();
    failures = 0;
    setState('publishing', '');
  } else if (cs === 'failed') {
    fail(s, 'connection failed (ICE/DTLS)');
  } else if (cs === 'disconnected') {
    later(s, DISCONNECT_GRACE_MS, () => { if (s.pc.connectionState === 'disconnected') fail(s, 'connection lost'); });
  }
}

function later(s, ms, fn) {
  const t = setTimeout(() => { s.timers.delete(t); if (session === s) fn(); }, ms);
  s.timers.add(t);
}

function teardown(s, { keepalive = false } = {}) {
  for (const t of s.timers) clearTimeout(t);
  s.timers.clear();
  s.abort.abort();
  const del = deleteResource(s.resourceUrl, { keepalive });
  s.resourceUrl = null;
  try { s.pc.close(); } catch { /* already closed */ }
  if (s.worker) s.worker.terminate();
  return del;
}

function fail(s, reason) {
  if (session !== s) return;
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
  startSeq++;
  connectSeq++;
  clearTimeout(retryTimer);
  retryTimer = null;
  retryAt = 0;
  const s = session;
  session = null;
  const status = s ? await teardown(s) : 0;
  if (media) for (const t of media.getTracks()) t.stop();
  media = null;
  preview.srcObject = null;
  setState('stopped', status ? `session deleted (HTTP ${status})` : '');
  return status;
}

// --- stats, once a second -----------------------------------------------------------------
async function collect() {
  const s = session;
  const out = {
    seq: ++statsSeq, time: Date.now(), state, message, whipUrl, source,
    resourceUrl: s ? s.resourceUrl : null, lastError, failures,
    retryInMs: retryAt ? Math.max(0, retryAt - Date.now()) : null,
    connectionState: s ? s.pc.connectionState : null,
    codecWarning: s ? s.codecWarning : null,
    stamp: s ? s.mode : stampMode, framesStamped,
    bytesSent: 0, framesEncoded: 0, framesSent: 0,
  };
  if (s && s.pc.connectionState !== 'closed') {
    try {
      Object.assign(out, readReport(s, await s.pc.getStats()));
    } catch (e) {
      out.statsError = String(e);
    }
  }
  window.cascadePublish = out;
  render(out);
}

function readReport(s, report) {
  const byId = new Map();
  report.forEach((r) => byId.set(r.id, r));
  let v = null;
  let a = null;
  let rv = null;
  let ra = null;
  let pair = null;
  for (const r of byId.values()) {
    if (r.type === 'outbound-rtp' && r.kind === 'video') v = r;
    else if (r.type === 'outbound-rtp' && r.kind === 'audio') a = r;
    else if (r.type === 'remote-inbound-rtp' && r.kind === 'video') rv = r;
    else if (r.type === 'remote-inbound-rtp' && r.kind === 'audio') ra = r;
    else if (r.type === 'transport' && r.selectedCandidatePairId) pair = byId.get(r.selectedCandidatePairId);
  }
  if (!pair) for (const r of byId.values()) if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r;
  const prev = s.prev;
  s.prev = { v, a };
  const o = {};
  if (v) {
    o.videoCodec = codecName(v, byId);
    o.encoderImplementation = v.encoderImplementation ?? null;
    o.videoBytesSent = v.bytesSent ?? 0;
    o.videoBitrateKbps = prev && prev.v ? round(kbps(v.bytesSent, prev.v.bytesSent, v.timestamp, prev.v.timestamp), 1) : null;
    o.framesEncoded = v.framesEncoded ?? 0;
    o.framesSent = v.framesSent ?? 0;
    o.keyFramesEncoded = v.keyFramesEncoded ?? 0;
    o.fps = v.framesPerSecond ?? null;
    o.width = v.frameWidth ?? null;
    o.height = v.frameHeight ?? null;
    o.resolution = v.frameWidth ? `${v.frameWidth}x${v.frameHeight}` : null;
    o.qualityLimitationReason = v.qualityLimitationReason ?? null;
    o.targetBitrateKbps = v.targetBitrate ? round(v.targetBitrate / 1000, 1) : null;
    o.encodeMsPerFrame = v.framesEncoded ? round((1000 * v.totalEncodeTime) / v.framesEncoded, 2) : null;
    o.nackCount = v.nackCount ?? 0;
    o.pliCount = v.pliCount ?? 0;
    o.firCount = v.firCount ?? 0;
    o.retransmittedBytesSent = v.retransmittedBytesSent ?? 0;
  }
  if (a) {
    o.audioCodec = codecName(a, byId);
    o.audioBytesSent = a.bytesSent ?? 0;
    o.audioBitrateKbps = prev && prev.a ? round(kbps(a.bytesSent, prev.a.bytesSent, a.timestamp, prev.a.timestamp), 1) : null;
  }
  o.bytesSent = (o.videoBytesSent ?? 0) + (o.audioBytesSent ?? 0);
  const vk = o.videoBitrateKbps ?? null;
  const ak = o.audioBitrateKbps ?? null;
  o.bitrateKbps = vk !== null || ak !== null ? round((vk ?? 0) + (ak ?? 0), 1) : null;
  // What the origin reports back in RTCP receiver reports.
  o.packetsLost = (rv?.packetsLost ?? 0) + (ra?.packetsLost ?? 0);
  o.fractionLost = rv?.fractionLost ?? null;
  const rtt = rv?.roundTripTime ?? ra?.roundTripTime;
  if (rtt !== undefined) { o.rttMs = round(rtt * 1000, 1); o.rttSource = 'remote-inbound-rtp'; }
  else if (pair?.currentRoundTripTime !== undefined) { o.rttMs = round(pair.currentRoundTripTime * 1000, 1); o.rttSource = 'candidate-pair'; }
  else { o.rttMs = null; o.rttSource = null; }
  o.availableOutgoingBitrateKbps = pair?.availableOutgoingBitrate ? round(pair.availableOutgoingBitrate / 1000, 0) : null;
  return o;
}

function render(st) {
  const rows = [
    ['Source', st.source ?? '\u2014'],
    ['Outgoing bitrate', fmt(st.bitrateKbps, 'kbps', 0), true],
    ['  video / audio', `${fmt(st.videoBitrateKbps, '', 0)} / ${fmt(st.audioBitrateKbps, '', 0)} kbps`],
    ['Video', `${st.videoCodec ?? '\u2014'}  ${st.resolution ?? ''}`],
    ['Encoder', st.encoderImplementation ?? '\u2014'],
    ['Frame rate', fmt(st.fps, 'fps', 1), true],
    ['Frames encoded', fmt(st.framesEncoded, '', 0)],
    ['Limited by', st.qualityLimitationReason ?? '\u2014'],
    ['Audio', st.audioCodec ?? '\u2014'],
    ['Lost (reported)', fmt(st.packetsLost, '', 0)],
    ['RTT', fmt(st.rttMs, 'ms', 1)],
    ['SEI stamps', st.stamp === 'none' ? 'off' : `${fmt(st.framesStamped, '', 0)} frames (${st.stamp})`],
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

function showRetry() {
  if (state !== 'failed' || !retryAt) return;
  ui.status.textContent = `${lastError} \u2014 retrying in ${Math.ceil(Math.max(0, retryAt - Date.now()) / 1000)} s (attempt ${failures + 1})`;
}

// --- controls -----------------------------------------------------------------------------
ui.camera.addEventListener('click', () => start('camera'));
ui.screen.addEventListener('click', () => start('screen'));
ui.stop.addEventListener('click', () => stop());
window.addEventListener('pagehide', () => {
  clearTimeout(retryTimer);
  if (session) { teardown(session, { keepalive: true }); session = null; }
});
window.cascadePublisher = { start, stop, get state() { return state; }, whipUrl };

if (!('RTCPeerConnection' in window) || !navigator.mediaDevices) {
  setState('error', 'this browser has no WebRTC or no media devices (a secure context is needed: https or localhost)', true);
} else if (!whipUrl) {
  setState('error', 'no stream: open /publish/{app}/{name}, or add ?stream=app/name or ?whip=URL', true);
} else {
  setState('idle');
  if (params.get('autostart') === '1') start(params.get('source') || 'camera');
}
setInterval(() => { collect().catch((e) => console.warn('[cascade] stats', e)); }, 1000);
collect();
