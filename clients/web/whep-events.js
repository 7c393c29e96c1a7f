// The WHEP server-sent events extension (draft-ietf-wish-whep-02 section 4.9.1; since -03 in the
// WHEP core-extensions draft), as the player uses it to follow an edge that is going away:
//
//   201 Created  Link: </whep/live/x/ID/sse>; rel="urn:ietf:params:whep:ext:core:server-sent-events";
//                      events="reconnect,viewercount"
//   POST /whep/live/x/ID/sse   Content-Type: application/json   ["reconnect","viewercount"]
//   <- 201 Created             Location: /whep/live/x/ID/sse/STREAM
//   GET  .../sse/STREAM        (EventSource)  event: reconnect    data: {"url":"http://edge-2/whep/live/x"}
//                                             event: viewercount  data: {"viewercount":3}
//                                             event: variant      data: {"level":3,"levels":3,"width":640,
//                                                 "height":360,"bitrateKbps":400,"reason":"down_remb",
//                                                 "rembKbps":780,"switches":4}
//
// `variant` (Cascade's own, ABR): the edge picked another level of the stream's ladder for this
// viewer (level 1 = highest; 0 = the source, when the ladder is not available). The edge announces
// it in the Link header when the stream has a ladder; a player may ask for it anyway (an edge ignores
// event types it does not send).
//
// Pure helpers (unit-tested in clients/test/unit) plus the one POST.

export const EVENTS_REL = 'urn:ietf:params:whep:ext:core:server-sent-events';
export const HAVE_ENOUGH_DATA = 4;   // HTMLMediaElement.HAVE_ENOUGH_DATA

/**
 * Parses a Link header (RFC 8288): `<url>; rel="a b"; k=v, <url2>; rel=c` -> Map(rel -> {url, params}),
 * the first link of each rel. Targets are returned as written (resolve them against the response URL).
 */
export function parseLinkHeader(value) {
  const out = new Map();
  if (!value) return out;
  for (const link of value.split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (!m) continue;
    const params = {};
    for (const part of m[2].split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const key = part.slice(0, eq).trim().toLowerCase();
      let val = part.slice(eq + 1).trim();
      if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) val = val.slice(1, -1);
      if (key && !(key in params)) params[key] = val;
    }
    for (const rel of (params.rel || '').split(/\s+/).filter(Boolean)) {
      if (!out.has(rel)) out.set(rel, { url: m[1].trim(), params });
    }
  }
  return out;
}

/** The absolute URL of the events entry point a WHEP 201 links to, or null. */
export function eventsEntry(linkHeader, base) {
  const link = parseLinkHeader(linkHeader).get(EVENTS_REL);
  if (!link) return null;
  try { return new URL(link.url, base).href; } catch { return null; }
}

/**
 * The event types to ask for: `wanted` among those the server announced (all of them if it named
 * none), plus `always`, which are asked for whether announced or not.
 */
export function eventTypesToAsk(linkHeader, wanted = ['reconnect', 'viewercount'], always = []) {
  const link = parseLinkHeader(linkHeader).get(EVENTS_REL);
  const announced = link && link.params.events ? link.params.events.split(/[\s,]+/).filter(Boolean) : null;
  const out = announced ? wanted.filter((t) => announced.includes(t)) : wanted.slice();
  for (const t of always) if (!out.includes(t)) out.push(t);
  return out;
}

/**
 * Creates the event stream: POSTs the JSON list of event types to the entry point, answers the
 * absolute URL of the stream (the 201's Location). Throws on any other answer.
 */
export async function createEventStream(entry, types, { signal } = {}) {
  const res = await fetch(entry, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(types), signal, cache: 'no-store',
  });
  const location = res.headers.get('Location');
  await res.text().catch(() => '');   // read the (empty) body, so the request completes cleanly
  if (res.status !== 201 || !location) throw new Error(`event stream not created: HTTP ${res.status}`);
  return new URL(location, res.url || entry).href;
}

/**
 * Where a `reconnect` event (4.9.1.4) sends the player: its data's `url`, absolute against the
 * current endpoint, or the current endpoint when it names none; null when the data is not JSON or the
 * URL is not http(s).
 */
export function reconnectTarget(data, currentUrl) {
  let body;
  try { body = JSON.parse(data); } catch { return null; }
  if (!body || typeof body !== 'object') return null;
  if (body.url === undefined || body.url === null || body.url === '') return currentUrl;
  if (typeof body.url !== 'string') return null;
  let u;
  try { u = new URL(body.url, currentUrl); } catch { return null; }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
}

/** The `viewercount` event's number (4.9.1.5), or null. */
export function viewerCount(data) {
  try {
    const n = JSON.parse(data).viewercount;
    return Number.isInteger(n) && n >= 0 ? n : null;
  } catch {
    return null;
  }
}

/** Why the edge switched, as it says: `start`, `down_remb`, `up_remb_held`, `up_probed`, `fallback_source`, `ladder_back`. */
export const VARIANT_REASONS = ['start', 'down_remb', 'up_remb_held', 'up_probed', 'fallback_source', 'ladder_back'];

/**
 * The `variant` event's data: `{level, levels, width, height, bitrateKbps, reason, rembKbps, switches}`,
 * or null when it is not JSON, not an object, or has no usable `level` (a non-negative integer, at
 * most `levels` when that is given). Every other field is null when missing or malformed; `width`,
 * `height` and `bitrateKbps` are null when 0 too (the source, `fallback_source`, may send 0). A
 * `reason` not in VARIANT_REASONS is kept when it looks like one (a short lower-case word), so a
 * newer edge's reasons still show.
 */
export function parseVariant(data) {
  let b;
  try { b = JSON.parse(data); } catch { return null; }
  if (!b || typeof b !== 'object' || Array.isArray(b)) return null;
  const count = (x) => (Number.isInteger(x) && x >= 0 ? x : null);
  const positive = (x) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null);
  const level = count(b.level);
  const levels = count(b.levels);
  if (level === null || (levels !== null && level > levels)) return null;
  return {
    level,
    levels,
    width: Number.isInteger(b.width) ? positive(b.width) : null,
    height: Number.isInteger(b.height) ? positive(b.height) : null,
    bitrateKbps: positive(b.bitrateKbps),
    reason: typeof b.reason === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(b.reason) ? b.reason : null,
    rembKbps: typeof b.rembKbps === 'number' && Number.isFinite(b.rembKbps) && b.rembKbps >= 0 ? b.rembKbps : null,
    switches: count(b.switches),
  };
}

/**
 * One line for a variant: `640x360 · 400 kbps · level 3/3 (down_remb)`; the source (level 0) is
 * `source`; an em dash for none.
 */
export function formatVariant(v) {
  if (!v || typeof v !== 'object' || !Number.isInteger(v.level)) return '\u2014';
  const parts = [];
  if (v.width && v.height) parts.push(`${v.width}x${v.height}`);
  if (v.bitrateKbps) parts.push(`${Math.round(v.bitrateKbps)} kbps`);
  parts.push(v.level === 0 ? 'source' : `level ${v.level}${v.levels ? `/${v.levels}` : ''}`);
  return `${parts.join(' \u00b7 ')}${v.reason ? ` (${v.reason})` : ''}`;
}

/**
 * Whether the session being moved to can take over the screen: it has decoded `minFrames` frames
 * (past the burst a new session starts with, so its jitter buffer and audio/video sync have
 * settled), its <video> has enough data to play (HAVE_ENOUGH_DATA), and, when it has an audio
 * track, audio arrives. Showing it then shows moving pictures at once.
 */
export function candidateReady({ framesDecoded = 0, readyState = 0, hasAudio = false, audioSamplesReceived = 0 } = {},
  minFrames = 30) {
  return readyState >= HAVE_ENOUGH_DATA && framesDecoded >= minFrames && (!hasAudio || audioSamplesReceived > 0);
}

/**
 * The gap a viewer saw when the shown <video> changed, in frames: the time from the old video's
 * last presented frame to the new one's first, over the frame duration (1000 / fps). Null when
 * either is unknown.
 */
export function gapInFrames(gapMs, fps) {
  if (!(gapMs >= 0) || !(fps > 0)) return null;
  return Math.round((gapMs * fps) / 100) / 10;
}

/** Wait before the n-th retry (0-based) of a failed move: 1, 2, 4, 8 s. */
export function moveRetryMs(n) {
  return 1000 * 2 ** Math.min(Math.max(0, n), 3);
}
