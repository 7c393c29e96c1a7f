// The HTTP half of WHIP (RFC 9725) and WHEP (draft-ietf-wish-whep), as both pages use it.
//
// Cascade's nodes are ICE-lite and take no trickle, so the offer is sent once, after ICE
// gathering has completed, with every candidate in it:
//
//   POST {endpoint}          Content-Type: application/sdp, body = offer
//   <- 201 Created           Content-Type: application/sdp, body = answer, Location: {resource}
//   DELETE {resource}        when the session ends
//
// Errors come back as application/problem+json (RFC 9457); their `detail` is what we show.

/** An HTTP-level failure of a WHIP/WHEP exchange; `message` is what the page shows. */
export class HttpError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.name = 'HttpError';
    this.status = status;          // HTTP status, 0 for a network error
    this.problem = problem;        // the parsed problem+json body, if any
  }
}

/**
 * Resolves when ICE gathering is complete, or after timeoutMs with whatever has been
 * gathered (a host with an unreachable STUN/TURN server must not hold the offer forever).
 */
export function waitForIceGathering(pc, timeoutMs = 3000) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (complete) => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      resolve(complete);
    };
    const onChange = () => { if (pc.iceGatheringState === 'complete') done(true); };
    const timer = setTimeout(() => done(false), timeoutMs);
    pc.addEventListener('icegatheringstatechange', onChange);
  });
}

/** A readable one-line description of a failed response, from problem+json when present. */
export async function describeFailure(res) {
  const type = res.headers.get('Content-Type') || '';
  let text = '';
  try { text = await res.text(); } catch { /* body unreadable: fall back to the status */ }
  let problem = null;
  if (/json/i.test(type) || text.trimStart().startsWith('{')) {
    try { problem = JSON.parse(text); } catch { problem = null; }
  }
  const what = problem && (problem.detail || problem.title);
  const message = `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}` +
    (what ? `: ${what}` : text ? `: ${text.trim().slice(0, 200)}` : '');
  return new HttpError(message, res.status, problem);
}

/**
 * Sends the local description (already set, gathering complete) to a WHIP/WHEP endpoint and
 * applies the answer. Returns {resourceUrl, status, etag, link, url}: `link` is the 201's Link
 * header (protocol extensions, e.g. WHEP's server-sent events), `url` the endpoint after redirects.
 * Throws HttpError.
 */
export async function exchangeSdp(pc, endpoint, { signal, headers = {} } = {}) {
  let res;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Accept: 'application/sdp', ...headers },
      body: pc.localDescription.sdp,
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new HttpError(`cannot reach ${endpoint}: ${e.message}`, 0, null);
  }
  if (!res.ok) throw await describeFailure(res);
  if (res.status !== 201) console.warn(`[cascade] ${endpoint} answered ${res.status}, expected 201 Created`);
  const location = res.headers.get('Location');
  const sdp = await res.text();
  if (!sdp.startsWith('v=')) throw new HttpError(`HTTP ${res.status} without an SDP answer`, res.status, null);
  await pc.setRemoteDescription({ type: 'answer', sdp });
  return {
    // Location may be relative to the endpoint (res.url is the endpoint after redirects).
    resourceUrl: location ? new URL(location, res.url || endpoint).href : null,
    status: res.status,
    etag: res.headers.get('ETag'),
    link: res.headers.get('Link'),
    url: res.url || endpoint,
  };
}

/**
 * Ends a WHIP/WHEP session. `keepalive` lets the request outlive the page (pagehide).
 * Resolves to the HTTP status, or 0 when the request could not be sent.
 */
export async function deleteResource(resourceUrl, { keepalive = false, timeoutMs = 3000 } = {}) {
  if (!resourceUrl) return 0;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch(resourceUrl, { method: 'DELETE', keepalive, signal: keepalive ? undefined : ctl.signal });
    return res.status;
  } catch {
    return 0;
  } finally {
    clearTimeout(timer);
  }
}

/** Reconnect delay for the n-th consecutive failure (0-based): 1, 2, 4, 8, then 10 s, +-20%. */
export function backoffMs(n, { baseMs = 1000, maxMs = 10000 } = {}) {
  const d = Math.min(maxMs, baseMs * 2 ** Math.min(n, 10));
  return Math.round(d * (0.8 + 0.4 * Math.random()));
}

/** The endpoint for this page: `/watch/app/name` -> `/whep/app/name` (same origin). */
export function endpointFromPath(pathname, pagePrefix, endpointPrefix) {
  const re = new RegExp(`/${pagePrefix}/([^/]+)/([^/]+?)/?$`);
  const m = re.exec(pathname);
  if (!m) return null;
  const base = pathname.slice(0, m.index);                   // keeps a reverse-proxy path prefix
  return `${base}/${endpointPrefix}/${m[1]}/${m[2]}`;
}
