// Pure functions of the stream-manager dashboard: snapshot -> view models, formatting, route
// chains, sparkline paths, keyed-row diffing. No DOM and no network here, so Node's unit tests
// (clients/test/unit/dashboard.test.mjs) run them as they are; dashboard.js puts the results
// on the page.
//
// A view model row is { key, attrs: {data-*: string}, tone, cells: [Cell], detail? }, and a
// Cell is { col, text, value?, tone?, title?, kind? } where kind is 'text' (default), 'badge',
// 'bar' (with `fraction`), 'route' (with `chains`) or 'expander' (text plus a button that shows
// the row's `detail`, a preformatted text, in a full-width row under it).

export const ARROW = '\u2192';
export const DASH = '\u2014';
export const NODE_STATES = ['REQUESTED', 'STARTING', 'INSERVICE', 'DRAINING', 'TERMINATED', 'FAILED'];
export const ROLES = ['origin', 'relay', 'edge', 'transcoder'];
/** States whose reported load is current; a FAILED or TERMINATED node's last load is stale. */
const LOADED_STATES = new Set(['STARTING', 'INSERVICE', 'DRAINING']);

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);

// --- formatting ---------------------------------------------------------------------------

/** 1234567 -> "1,234,567"; not a number -> "—". */
export function formatInt(n) {
  if (!isNum(n)) return DASH;
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A 0..1 fraction as a percentage: one decimal below 10 %, none above. */
export function formatPercent(fraction) {
  if (!isNum(fraction)) return DASH;
  const p = Math.max(0, fraction) * 100;
  return p < 10 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/** Megabits per second: "0.00".."9.99", "10.0".."99.9", then "100", "1,234". */
export function formatMbps(mbps) {
  if (!isNum(mbps)) return DASH;
  const v = Math.max(0, mbps);
  if (v < 10) return v.toFixed(2);
  if (v < 100) return v.toFixed(1);
  return formatInt(v);
}

/** A bitrate given in kbit/s: "800 kbps", "2.50 Mbps", "12.5 Mbps". */
export function formatBitrate(kbps) {
  if (!isNum(kbps)) return DASH;
  const v = Math.max(0, kbps);
  if (v < 1000) return `${Math.round(v)} kbps`;
  const m = v / 1000;
  return `${m < 10 ? m.toFixed(2) : m < 100 ? m.toFixed(1) : formatInt(m)} Mbps`;
}

/** A duration: "0.8 s", "42 s", "3m 05s", "2h 07m", "3d 4h". Negative (clock skew) reads as 0. */
export function formatAge(ms) {
  if (!isNum(ms)) return DASH;
  const v = Math.max(0, ms);
  if (v < 10000) return `${(Math.floor(v / 100) / 10).toFixed(1)} s`;
  const s = Math.floor(v / 1000);
  if (s < 60) return `${s} s`;
  const pad = (x) => String(x).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** An RFC 3339 time as epoch ms, or null. */
export function parseTime(iso) {
  if (typeof iso !== 'string' || !iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Compares "edge-2" before "edge-10". */
export function naturalCompare(a, b) {
  const ax = String(a).split(/(\d+)/);
  const bx = String(b).split(/(\d+)/);
  for (let i = 0; i < Math.min(ax.length, bx.length); i++) {
    if (ax[i] === bx[i]) continue;
    const numeric = i % 2 === 1;
    if (numeric) return Number(ax[i]) - Number(bx[i]) || ax[i].length - bx[i].length;
    return ax[i] < bx[i] ? -1 : 1;
  }
  return ax.length - bx.length;
}

// --- tones (the colour classes) -----------------------------------------------------------

export function stateTone(state) {
  switch (state) {
    case 'INSERVICE': return 'ok';
    case 'REQUESTED': case 'STARTING': return 'info';
    case 'DRAINING': return 'warn';
    case 'FAILED': return 'bad';
    case 'TERMINATED': return 'off';
    default: return 'unknown';
  }
}

export function cpuTone(fraction) {
  if (!isNum(fraction)) return '';
  return fraction >= 0.9 ? 'bad' : fraction >= 0.7 ? 'warn' : '';
}

/** A heartbeat older than 5 s is late, older than 15 s very late; only for nodes meant to beat. */
export function heartbeatTone(ageMs, state) {
  if (!isNum(ageMs) || !LOADED_STATES.has(state)) return '';
  return ageMs > 15000 ? 'bad' : ageMs > 5000 ? 'warn' : '';
}

// --- the API key and the connection -------------------------------------------------------

/** The key in a URL fragment `#key=KEY` (also `#a=b&key=KEY`), percent-decoded; '+' stays '+'. */
export function keyFromFragment(hash) {
  const text = String(hash || '').replace(/^#/, '');
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq) !== 'key') continue;
    let v;
    try { v = decodeURIComponent(part.slice(eq + 1)); } catch { v = part.slice(eq + 1); }
    v = v.trim();
    return v || null;
  }
  return null;
}

/** The fragment without its `key=` parameter ('' when nothing else was in it). */
export function fragmentWithoutKey(hash) {
  const rest = String(hash || '').replace(/^#/, '').split('&').filter((p) => p && !p.startsWith('key='));
  return rest.length ? `#${rest.join('&')}` : '';
}

/** The events URL; EventSource cannot send headers, so the key goes in the query (RFC 6750 2.3). */
export function eventsUrl(key, base = '/api/v1') {
  return `${base}/events?access_token=${encodeURIComponent(key)}`;
}

/**
 * What an EventSource error means, judged by a GET /cluster with the key in Authorization
 * (the EventSource itself never tells the status): 401 or 403 -> the key is refused; anything
 * else (200, 5xx, no answer = status 0) -> the server is there or will be: reconnect.
 */
export function probeVerdict(status) {
  return status === 401 || status === 403 ? 'unauthorized' : 'reconnecting';
}

/** Reconnect delay after `n` consecutive failures: 1, 2, 4, 8, then 10 s, +-20 %. */
export function backoffMs(n, random = Math.random) {
  const d = Math.min(10000, 1000 * 2 ** Math.min(Math.max(0, n), 10));
  return Math.round(d * (0.8 + 0.4 * random()));
}

// --- keyed rows ---------------------------------------------------------------------------

/**
 * How to go from the rows on the page (oldKeys, in page order) to newKeys: which to add and
 * remove, which stay, and whether the ones that stay changed order (then rows must move).
 */
export function diffKeys(oldKeys, newKeys) {
  const oldSet = new Set(oldKeys);
  const newSet = new Set(newKeys);
  const added = newKeys.filter((k) => !oldSet.has(k));
  const removed = oldKeys.filter((k) => !newSet.has(k));
  const keptOld = oldKeys.filter((k) => newSet.has(k));
  const kept = newKeys.filter((k) => oldSet.has(k));
  const moved = kept.some((k, i) => keptOld[i] !== k);
  return { added, removed, kept, moved };
}

/** A stable string of what a cell shows, so unchanged cells are not touched. */
export function cellSignature(cell) {
  return JSON.stringify(cell);
}

// --- route chains -------------------------------------------------------------------------

/**
 * The stream's route tree as chains from each downstream end to the top, following the
 * `routes` links (from = downstream node, to = its upstream):
 *   [{hops: ['edge-1', 'relay-1', 'origin-1'], complete: true, cycle: false}, ...]
 * A relay feeding two edges appears in both edges' chains. A chain is `complete` when it ends
 * at the stream's origin; it is not when a link is missing (an edge in `stream.nodes` with no
 * link, or a relay whose own link is absent) or the stream has no origin. A node with two
 * upstreams (a route being switched) gives a chain through each. Loops stop at the repeated
 * node (`cycle`). Chains are sorted by their text, natural order.
 */
export function routeChains(stream, { limit = 200 } = {}) {
  const origin = stream && typeof stream.origin === 'string' && stream.origin ? stream.origin : null;
  const ups = new Map();
  const pulledFrom = new Set();
  const members = [];
  const seen = new Set();
  const note = (id) => { if (!seen.has(id)) { seen.add(id); members.push(id); } };
  for (const link of (stream && Array.isArray(stream.routes) ? stream.routes : [])) {
    if (!link || typeof link.from !== 'string' || typeof link.to !== 'string' || !link.from || !link.to) continue;
    if (link.from === link.to) continue;
    const list = ups.get(link.from) ?? [];
    if (!list.includes(link.to)) list.push(link.to);
    ups.set(link.from, list);
    pulledFrom.add(link.to);
    note(link.from);
    note(link.to);
  }
  for (const n of (stream && Array.isArray(stream.nodes) ? stream.nodes : [])) {
    if (n && typeof n.id === 'string' && n.id) note(n.id);
  }
  if (origin) note(origin);

  const chains = [];
  const walk = (path) => {
    if (chains.length >= limit) return;
    const last = path[path.length - 1];
    const next = ups.get(last);
    if (!next) {
      chains.push({ hops: path, complete: last === origin && origin !== null, cycle: false });
      return;
    }
    for (const up of next) {
      if (path.includes(up)) chains.push({ hops: [...path, up], complete: false, cycle: true });
      else walk([...path, up]);
    }
  };
  for (const leaf of members.filter((id) => !pulledFrom.has(id))) walk([leaf]);
  // Nodes no chain reached sit in a loop nothing pulls from: start from each of them too.
  const covered = new Set(chains.flatMap((c) => c.hops));
  for (const id of members) {
    if (!covered.has(id)) {
      walk([id]);
      for (const c of chains) for (const h of c.hops) covered.add(h);
    }
  }
  const texts = new Map(chains.map((c) => [c, chainText(c)]));
  return chains.sort((a, b) => naturalCompare(texts.get(a), texts.get(b)));
}

/** "edge-1 → relay-1 → origin-1"; a missing upstream ends in " → ?", a loop in " (loop)". */
export function chainText(chain) {
  const base = chain.hops.join(` ${ARROW} `);
  if (chain.cycle) return `${base} (loop)`;
  return chain.complete ? base : `${base} ${ARROW} ?`;
}

// --- sparkline ----------------------------------------------------------------------------

/**
 * Appends a sample {t, ...values} and keeps only those of the last windowMs, oldest first.
 * Samples not older than the new one (a repeat, or another member's clock) are dropped.
 */
export function appendSample(samples, sample, windowMs) {
  const kept = samples.filter((s) => s.t < sample.t && s.t > sample.t - windowMs);
  kept.push(sample);
  return kept;
}

const r1 = (x) => Math.round(x * 10) / 10;

/**
 * SVG path data for a sparkline of `field` over the window ending at `end` (epoch ms): x is
 * time (the right edge is `end`), y is the value from 0 (bottom) to the window's maximum (top,
 * minus `pad`). A missing value breaks the line. Returns {line, area, max, last}; line and
 * area are '' without samples; a lone sample is a 1-unit dash so it shows.
 */
export function sparklinePath(samples, field, { width, height, windowMs, end, pad = 2 }) {
  const pts = samples.filter((s) => s.t <= end && s.t >= end - windowMs);
  const vals = pts.map((s) => s[field]).filter(isNum);
  const max = vals.length ? Math.max(...vals) : 0;
  const last = pts.length && isNum(pts[pts.length - 1][field]) ? pts[pts.length - 1][field] : null;
  const span = max > 0 ? max : 1;
  const x = (t) => r1(width - ((end - t) / windowMs) * width);
  const y = (v) => r1(height - pad - (Math.max(0, v) / span) * (height - 2 * pad));
  const segments = [];
  let cur = null;
  for (const s of pts) {
    if (!isNum(s[field])) { cur = null; continue; }
    if (!cur) { cur = []; segments.push(cur); }
    cur.push([x(s.t), y(s[field])]);
  }
  let line = '';
  let area = '';
  const base = r1(height);
  for (const seg of segments) {
    const p = seg.length === 1 ? [[r1(Math.max(0, seg[0][0] - 1)), seg[0][1]], seg[0]] : seg;
    line += p.map(([px, py], i) => `${i ? 'L' : 'M'}${px},${py}`).join('');
    area += `M${p[0][0]},${base}${p.map(([px, py]) => `L${px},${py}`).join('')}L${p[p.length - 1][0]},${base}Z`;
  }
  return { line, area, max, last };
}

// --- snapshot -> view models --------------------------------------------------------------

export const NODE_COLUMNS = [
  { col: 'id', label: 'Node' },
  { col: 'role', label: 'Role' },
  { col: 'region', label: 'Region' },
  { col: 'cloud', label: 'Cloud' },
  { col: 'state', label: 'State' },
  { col: 'cpu', label: 'CPU', numeric: true },
  { col: 'mbpsIn', label: 'Mbps in', numeric: true },
  { col: 'mbpsOut', label: 'Mbps out', numeric: true },
  { col: 'publishers', label: 'Pub', numeric: true, title: 'Publishers' },
  { col: 'subscribers', label: 'Subs', numeric: true, title: 'Subscribers: viewers and downstream pulls' },
  { col: 'streams', label: 'Streams', numeric: true },
  { col: 'heartbeat', label: 'Heartbeat', numeric: true, title: 'Time since the last heartbeat' },
];

export const STREAM_COLUMNS = [
  { col: 'key', label: 'Stream' },
  { col: 'live', label: 'Status' },
  { col: 'origin', label: 'Origin' },
  { col: 'viewers', label: 'Viewers', numeric: true },
  { col: 'bitrate', label: 'Bitrate', numeric: true },
  { col: 'route', label: 'Route' },
];

const text = (v) => (typeof v === 'string' && v ? v : DASH);
const rank = (role) => { const i = ROLES.indexOf(role); return i < 0 ? ROLES.length : i; };

/** Nodes in table order: origins, relays, edges, transcoders; then region; then id (natural). */
export function sortNodes(nodes) {
  return [...nodes].sort((a, b) => rank(a.role) - rank(b.role)
    || naturalCompare(a.region ?? '', b.region ?? '') || naturalCompare(a.id, b.id));
}

/** One node as a table row; ages are measured against `nowMs` (the snapshot's own time). */
export function nodeRow(node, nowMs) {
  const load = node.load && typeof node.load === 'object' ? node.load : {};
  const state = typeof node.state === 'string' && node.state ? node.state : 'UNKNOWN';
  const beat = parseTime(node.lastHeartbeatAt);
  const since = parseTime(node.stateSince);
  const age = beat !== null && isNum(nowMs) ? nowMs - beat : null;
  const where = [node.host, node.host && isNum(node.httpPort) ? `http ${node.httpPort}` : null,
    isNum(node.srtPort) ? `srt ${node.srtPort}` : null, node.group ? `group ${node.group}` : null].filter(Boolean);
  const count = (col, v) => ({ col, text: formatInt(v), value: isNum(v) ? v : null });
  return {
    key: node.id,
    attrs: { 'data-node-id': node.id, 'data-state': state, 'data-role': text(node.role) },
    tone: state === 'TERMINATED' ? 'off' : '',
    cells: [
      { col: 'id', text: node.id, title: where.join(' \u00b7 ') },
      { col: 'role', text: text(node.role), kind: 'badge', tone: `role-${ROLES.includes(node.role) ? node.role : 'other'}` },
      { col: 'region', text: text(node.region) },
      { col: 'cloud', text: text(node.cloud) },
      { col: 'state', text: state, kind: 'badge', tone: stateTone(state),
        title: since !== null && isNum(nowMs) ? `${state} for ${formatAge(nowMs - since)}` : '' },
      { col: 'cpu', text: formatPercent(load.cpu), value: isNum(load.cpu) ? load.cpu : null, kind: 'bar',
        fraction: isNum(load.cpu) ? Math.min(1, Math.max(0, load.cpu)) : 0, tone: cpuTone(load.cpu) },
      { col: 'mbpsIn', text: formatMbps(load.mbpsIn), value: isNum(load.mbpsIn) ? load.mbpsIn : null },
      { col: 'mbpsOut', text: formatMbps(load.mbpsOut), value: isNum(load.mbpsOut) ? load.mbpsOut : null },
      count('publishers', load.publishers),
      count('subscribers', load.subscribers),
      count('streams', load.streams),
      { col: 'heartbeat', text: formatAge(age), value: age, tone: heartbeatTone(age, state) },
    ],
  };
}

/** One stream as a table row; `roles` maps node id -> role (to colour the route's hops). */
export function streamRow(stream, roles = new Map()) {
  const live = stream.live === true;
  const chains = routeChains(stream).map((c) => ({
    text: chainText(c),
    complete: c.complete,
    cycle: c.cycle,
    hops: c.hops.map((id) => ({ id, role: roles.get(id) ?? null })),
  }));
  return {
    key: stream.key,
    attrs: { 'data-stream': stream.key, 'data-live': String(live) },
    tone: live ? '' : 'off',
    cells: [
      { col: 'key', text: stream.key },
      { col: 'live', text: live ? 'live' : 'idle', kind: 'badge', tone: live ? 'live' : 'off' },
      { col: 'origin', text: text(stream.origin) },
      { col: 'viewers', text: formatInt(stream.subscribers), value: isNum(stream.subscribers) ? stream.subscribers : null },
      { col: 'bitrate', text: formatBitrate(stream.bitrateKbps), value: isNum(stream.bitrateKbps) ? stream.bitrateKbps : null },
      { col: 'route', kind: 'route', text: chains.map((c) => c.text).join('\n'), chains },
    ],
  };
}

/**
 * The header's figures. Node counts come from `cluster.nodes` (the node list is capped at 500),
 * else from the list; publishers and Mbps sum the nodes whose load is current (not FAILED or
 * TERMINATED).
 */
export function clusterSummary(snapshot) {
  const cluster = snapshot && snapshot.cluster && typeof snapshot.cluster === 'object' ? snapshot.cluster : {};
  const nodes = snapshot && Array.isArray(snapshot.nodes) ? snapshot.nodes : [];
  const streams = snapshot && Array.isArray(snapshot.streams) ? snapshot.streams : [];
  let counts = cluster.nodes && typeof cluster.nodes === 'object' ? cluster.nodes : null;
  if (!counts) {
    counts = {};
    for (const n of nodes) counts[n.state] = (counts[n.state] ?? 0) + 1;
  }
  const states = [...NODE_STATES, ...Object.keys(counts).filter((s) => !NODE_STATES.includes(s)).sort()];
  const byState = states.filter((s) => isNum(counts[s]) && counts[s] > 0)
    .map((state) => ({ state, count: counts[state], tone: stateTone(state) }));
  const sum = (f) => r2(nodes.filter((n) => LOADED_STATES.has(n.state))
    .reduce((a, n) => a + (n.load && isNum(n.load[f]) ? n.load[f] : 0), 0));
  const members = (Array.isArray(cluster.members) ? cluster.members : []).map((m) => ({
    uuid: String(m.uuid ?? ''), address: String(m.address ?? m.uuid ?? ''), local: m.local === true, oldest: m.oldest === true,
  }));
  return {
    nodesTotal: byState.reduce((a, s) => a + s.count, 0),
    inService: isNum(counts.INSERVICE) ? counts.INSERVICE : 0,
    byState,
    streams: isNum(cluster.streams) ? cluster.streams : streams.length,
    liveStreams: isNum(cluster.liveStreams) ? cluster.liveStreams : streams.filter((s) => s.live === true).length,
    subscribers: isNum(cluster.subscribers) ? cluster.subscribers
      : streams.reduce((a, s) => a + (isNum(s.subscribers) ? s.subscribers : 0), 0),
    publishers: sum('publishers'),
    mbpsIn: sum('mbpsIn'),
    mbpsOut: sum('mbpsOut'),
    members,
  };
}

function r2(x) { return Math.round(x * 100) / 100; }

// --- autoscaling --------------------------------------------------------------------------
// The snapshot's `autoscaling` object: {decisions (newest first), deployments, scheduledEvents
// (by start), clouds}. Snapshots of an older stream manager have none: autoscalingView(null)
// is null and the page shows no autoscaling panel.

const pad2 = (x) => String(x).padStart(2, '0');
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A duration given in ms: "420 ms" below a second, then as formatAge ("1.5 s", "3m 05s"). */
export function formatMillis(ms) {
  if (!isNum(ms)) return DASH;
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : formatAge(ms);
}

/**
 * A wall-clock time, in this browser's time zone (or UTC with {utc: true}), as short as `nowMs`
 * allows: "20:00" on the same day, "Fri 21 Nov 20:00" in the same year, "21 Nov 2027 20:00".
 */
export function formatClock(ms, nowMs, { utc = false } = {}) {
  if (!isNum(ms)) return DASH;
  const parts = (t) => {
    const d = new Date(t);
    return utc
      ? { y: d.getUTCFullYear(), mo: d.getUTCMonth(), day: d.getUTCDate(), wd: d.getUTCDay(), h: d.getUTCHours(), mi: d.getUTCMinutes() }
      : { y: d.getFullYear(), mo: d.getMonth(), day: d.getDate(), wd: d.getDay(), h: d.getHours(), mi: d.getMinutes() };
  };
  const p = parts(ms);
  const clock = `${pad2(p.h)}:${pad2(p.mi)}`;
  const now = isNum(nowMs) ? parts(nowMs) : null;
  if (now && now.y === p.y && now.mo === p.mo && now.day === p.day) return clock;
  if (now && now.y === p.y) return `${WEEKDAYS[p.wd]} ${p.day} ${MONTHS[p.mo]} ${clock}`;
  return `${p.day} ${MONTHS[p.mo]} ${p.y} ${clock}`;
}

/** Time until something, rounded up: "in 42 s", "in 5 min", "in 2h 07m", "in 3d 4h"; "now" when due. */
export function formatIn(ms) {
  if (!isNum(ms)) return DASH;
  if (ms <= 0) return 'now';
  if (ms < 60000) return `in ${Math.ceil(ms / 1000)} s`;
  if (ms < 3600000) return `in ${Math.ceil(ms / 60000)} min`;
  const m = Math.ceil(ms / 60000);
  if (m < 1440) return `in ${Math.floor(m / 60)}h ${pad2(m % 60)}m`;
  const h = Math.ceil(ms / 3600000);
  return `in ${Math.floor(h / 24)}d ${h % 24}h`;
}

/** The colour of a scale decision's action; APPLY_FAILED and BLOCKED are the alarming ones. */
export function actionTone(action) {
  switch (action) {
    case 'SCALE_OUT': return 'info';
    case 'APPLIED': return 'ok';
    case 'DRAIN': case 'REPLACE': case 'FAILOVER': return 'warn';
    case 'APPLY_FAILED': case 'BLOCKED': return 'bad';
    case 'TERMINATE': return 'off';
    default: return 'unknown';
  }
}

/** "SCALE_OUT" -> "scale out". */
export function actionLabel(action) {
  return typeof action === 'string' && action ? action.toLowerCase().replace(/_/g, ' ') : DASH;
}

export function deploymentTone(status) {
  switch (status) {
    case 'APPLIED': return 'ok';
    case 'PENDING': case 'APPLYING': return 'info';
    case 'FAILED': return 'bad';
    default: return 'unknown';
  }
}

export const DECISION_COLUMNS = [
  { col: 'age', label: 'Age', numeric: true, title: 'Time since the decision' },
  { col: 'group', label: 'Group' },
  { col: 'rule', label: 'Rule', title: 'role/region of the node-group rule; \u2014 for a whole deployment' },
  { col: 'cloud', label: 'Cloud' },
  { col: 'action', label: 'Action' },
  { col: 'count', label: 'Count', numeric: true, title: 'The rule\'s node count before \u2192 after (draining nodes not counted)' },
  { col: 'nodes', label: 'Nodes' },
  { col: 'reason', label: 'Reason' },
];

export const DEPLOYMENT_COLUMNS = [
  { col: 'group', label: 'Group' },
  { col: 'cloud', label: 'Cloud' },
  { col: 'status', label: 'Status' },
  { col: 'generation', label: 'Generation', numeric: true, title: 'Applied / desired generation' },
  { col: 'nodes', label: 'Nodes', numeric: true, title: 'Nodes in service / nodes wanted' },
  { col: 'lastApply', label: 'Last apply', numeric: true, title: 'How long the last successful apply took' },
  { col: 'message', label: 'Message' },
];

export const EVENT_COLUMNS = [
  { col: 'name', label: 'Event' },
  { col: 'group', label: 'Group' },
  { col: 'start', label: 'Start', title: 'In this browser\'s time zone' },
  { col: 'end', label: 'End', title: 'In this browser\'s time zone' },
  { col: 'when', label: 'When' },
  { col: 'viewers', label: 'Viewers', numeric: true, title: 'Expected viewers' },
  { col: 'publishers', label: 'Pub', numeric: true, title: 'Expected publishers' },
  { col: 'region', label: 'Region' },
  { col: 'recurrence', label: 'Repeats', title: 'Cron expression (minute hour day month weekday) and its time zone' },
];

export const CLOUD_COLUMNS = [
  { col: 'cloud', label: 'Cloud' },
  { col: 'health', label: 'Health' },
  { col: 'failingUntil', label: 'Failing until', title: 'New nodes go to the next cloud of their rule until then' },
  { col: 'slowestBoot', label: 'Slowest boot', numeric: true, title: 'The longest of the recent boot times (asked for \u2192 in service)' },
  { col: 'boots', label: 'Boots', numeric: true, title: 'Boot times measured' },
  { col: 'lastError', label: 'Last error' },
];

const MAX_DECISIONS = 50;
const NODES_SHOWN = 3;
const str = (v) => (typeof v === 'string' ? v : '');
const list = (v) => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : []);

/** A key for a decision (they carry no id); repeats of the same key get "#2", "#3", ... */
function decisionKeys(decisions) {
  const seen = new Map();
  return decisions.map((d) => {
    const base = [str(d.at), str(d.group), str(d.rule), str(d.cloud), str(d.action), d.from, d.to,
      (Array.isArray(d.nodes) ? d.nodes : []).join(',')].join('|');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** One scale decision as a table row; its age is measured against `nowMs`. */
export function decisionRow(d, nowMs, key) {
  const at = parseTime(d.at);
  const age = at !== null && isNum(nowMs) ? Math.max(0, nowMs - at) : null;
  const action = str(d.action) || 'UNKNOWN';
  const tone = actionTone(action);
  const nodes = (Array.isArray(d.nodes) ? d.nodes : []).filter((n) => typeof n === 'string' && n);
  const more = nodes.length - NODES_SHOWN;
  const count = isNum(d.from) && isNum(d.to) ? `${formatInt(d.from)} ${ARROW} ${formatInt(d.to)}` : DASH;
  return {
    key,
    attrs: { 'data-decision': key, 'data-action': action },
    tone: tone === 'bad' ? 'bad' : '',
    cells: [
      { col: 'age', text: formatAge(age), value: age, title: at !== null ? new Date(at).toISOString() : '' },
      { col: 'group', text: text(d.group) },
      { col: 'rule', text: text(d.rule), title: str(d.rule) ? '' : 'The whole deployment' },
      { col: 'cloud', text: text(d.cloud) },
      { col: 'action', text: actionLabel(action), kind: 'badge', tone },
      { col: 'count', text: count, value: isNum(d.to) ? d.to : null },
      { col: 'nodes', text: nodes.length ? nodes.slice(0, NODES_SHOWN).join(', ') + (more > 0 ? ` +${more} more` : '') : DASH,
        value: nodes.length, title: more > 0 ? nodes.join('\n') : '' },
      { col: 'reason', text: text(d.reason), title: str(d.reason) },
    ],
  };
}

/** One deployment (a group on a cloud) as a table row; a deployment with Terraform output can show it. */
export function deploymentRow(d, nowMs) {
  const group = str(d.group);
  const cloud = str(d.cloud);
  const key = `${group}/${cloud}`;
  const status = str(d.status) || 'UNKNOWN';
  const nodes = list(d.nodes);
  const ready = nodes.filter((n) => parseTime(n.readyAt) !== null).length;
  const removing = (Array.isArray(d.removing) ? d.removing : []).length;
  const behind = isNum(d.generation) && isNum(d.appliedGeneration) && d.appliedGeneration < d.generation;
  const ago = (iso) => { const t = parseTime(iso); return t !== null && isNum(nowMs) ? `${formatAge(nowMs - t)} ago` : null; };
  const statusTitle = [
    ago(d.updatedAt) && `changed ${ago(d.updatedAt)}`, ago(d.appliedAt) && `last applied ${ago(d.appliedAt)}`,
    ago(d.failedAt) && `last failed ${ago(d.failedAt)}`, isNum(d.attempts) && d.attempts > 0 ? `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : null,
  ].filter(Boolean).join('\n');
  const nodeTitle = nodes.map((n) => `${str(n.id)}${n.role ? ` ${String(n.role).toLowerCase()}` : ''}${n.region ? ` ${n.region}` : ''}: `
    + `${parseTime(n.readyAt) !== null ? 'in service' : 'starting'}${n.address ? ` at ${n.address}` : ''}`);
  if (removing) nodeTitle.push(`removing: ${d.removing.join(', ')}`);
  const applied = isNum(d.lastApplyMs) && (d.lastApplyMs > 0 || parseTime(d.appliedAt) !== null);
  const output = str(d.output).replace(/\s+$/, '');
  return {
    key,
    attrs: { 'data-deployment': key, 'data-status': status },
    tone: '',
    cells: [
      { col: 'group', text: text(group) },
      { col: 'cloud', text: text(cloud) },
      { col: 'status', text: status, kind: 'badge', tone: deploymentTone(status), title: statusTitle },
      { col: 'generation', text: `${formatInt(d.appliedGeneration)}/${formatInt(d.generation)}`,
        value: isNum(d.appliedGeneration) ? d.appliedGeneration : null, tone: behind ? 'warn' : '',
        title: behind ? `generation ${d.generation} is not applied yet` : '' },
      { col: 'nodes', text: `${ready}/${nodes.length}${removing ? ` \u2212${removing}` : ''}`, value: nodes.length,
        title: nodeTitle.join('\n') },
      { col: 'lastApply', text: applied ? formatMillis(d.lastApplyMs) : DASH, value: applied ? d.lastApplyMs : null },
      { col: 'message', text: text(d.message), title: str(d.message), kind: output ? 'expander' : 'text', label: 'output' },
    ],
    ...(output ? { detail: output } : {}),
  };
}

/**
 * Where a scheduled event stands at `nowMs`: 'upcoming' ("in 5 min"), 'live', 'ended', or
 * 'recurring' (a repeating event past its first occurrence: the next is a cron time).
 */
export function eventPhase(ev, nowMs) {
  const start = parseTime(ev.start);
  const end = parseTime(ev.end);
  if (start === null || end === null || !isNum(nowMs)) return { phase: 'unknown', text: DASH, tone: 'unknown', title: '' };
  if (nowMs < start) return { phase: 'upcoming', text: formatIn(start - nowMs), tone: 'info', title: `lasts ${formatAge(end - start)}` };
  if (nowMs < end) return { phase: 'live', text: 'live', tone: 'live', title: `ends ${formatIn(end - nowMs)}` };
  if (str(ev.recurrence)) {
    return { phase: 'recurring', text: 'repeats', tone: 'info', title: `the first occurrence ended ${formatAge(nowMs - end)} ago; it repeats at ${ev.recurrence}` };
  }
  return { phase: 'ended', text: 'ended', tone: 'off', title: `ended ${formatAge(nowMs - end)} ago` };
}

/** One scheduled event as a table row; times in this browser's zone (UTC with {utc: true}). */
export function eventRow(ev, nowMs, { utc = false } = {}) {
  const start = parseTime(ev.start);
  const end = parseTime(ev.end);
  const p = eventPhase(ev, nowMs);
  const tz = str(ev.timeZone) || 'UTC';
  const count = (col, v) => ({ col, text: formatInt(v), value: isNum(v) ? v : null });
  return {
    key: str(ev.id),
    attrs: { 'data-event': str(ev.id), 'data-phase': p.phase },
    tone: p.phase === 'ended' ? 'off' : '',
    cells: [
      { col: 'name', text: str(ev.name) || str(ev.id) || DASH, title: str(ev.id) },
      { col: 'group', text: text(ev.group) },
      { col: 'start', text: formatClock(start, nowMs, { utc }), value: start, title: str(ev.start) },
      { col: 'end', text: formatClock(end, nowMs, { utc }), value: end, title: str(ev.end) },
      { col: 'when', text: p.text, kind: 'badge', tone: p.tone, title: p.title },
      count('viewers', ev.expectedViewers),
      count('publishers', ev.expectedPublishers),
      { col: 'region', text: str(ev.region) || 'all', title: str(ev.region) ? '' : 'Spread over the group\'s regions' },
      { col: 'recurrence', text: str(ev.recurrence) ? `${ev.recurrence} ${tz}` : DASH, title: str(ev.recurrence) ? `cron, in ${tz}` : 'Once' },
    ],
  };
}

/** One cloud's health as a table row: failing (until when), its slowest recent boot. */
export function cloudRow(c, nowMs, { utc = false } = {}) {
  const until = parseTime(c.failingUntil);
  const failing = until !== null && isNum(nowMs) && until > nowMs;
  const boots = (Array.isArray(c.bootMillis) ? c.bootMillis : []).filter(isNum);
  const slowest = boots.length ? Math.max(...boots) : null;
  return {
    key: str(c.cloud),
    attrs: { 'data-cloud': str(c.cloud), 'data-failing': String(failing) },
    tone: '',
    cells: [
      { col: 'cloud', text: text(c.cloud) },
      { col: 'health', text: failing ? 'failing' : 'ok', kind: 'badge', tone: failing ? 'bad' : 'ok' },
      { col: 'failingUntil', text: failing ? `${formatClock(until, nowMs, { utc })} (${formatIn(until - nowMs)})` : DASH,
        value: failing ? until : null, tone: failing ? 'bad' : '', title: str(c.failingUntil) },
      { col: 'slowestBoot', text: formatMillis(slowest), value: slowest,
        title: boots.length ? `recent boots: ${boots.map(formatMillis).join(', ')}` : 'No boot measured yet' },
      { col: 'boots', text: formatInt(boots.length), value: boots.length },
      { col: 'lastError', text: text(c.lastError), title: str(c.lastError), tone: failing && str(c.lastError) ? 'warn' : '' },
    ],
  };
}

/**
 * The autoscaling panel's view model, or null when the snapshot has no `autoscaling` (an older
 * stream manager). Rows are keyed (decision key, group/cloud, event id, cloud name; entries
 * without theirs are skipped, repeats keep the first); at most 50 decisions, newest first as
 * sent. `summary` feeds the chips in the panel's head.
 */
export function autoscalingView(a, nowMs, { utc = false } = {}) {
  if (!a || typeof a !== 'object' || Array.isArray(a)) return null;
  const unique = (rows) => {
    const seen = new Set();
    return rows.filter((r) => typeof r.key === 'string' && r.key && !seen.has(r.key) && seen.add(r.key));
  };
  const ds = list(a.decisions).slice(0, MAX_DECISIONS);
  const keys = decisionKeys(ds);
  const decisions = ds.map((d, i) => decisionRow(d, nowMs, keys[i]));
  const deployments = unique(list(a.deployments).filter((d) => str(d.group) && str(d.cloud)).map((d) => deploymentRow(d, nowMs))).sort((x, y) => naturalCompare(x.key, y.key));
  const events = unique(list(a.scheduledEvents).map((e) => eventRow(e, nowMs, { utc })));
  const clouds = unique(list(a.clouds).map((c) => cloudRow(c, nowMs, { utc }))).sort((x, y) => naturalCompare(x.key, y.key));
  const status = (s) => deployments.filter((r) => r.attrs['data-status'] === s).length;
  const chips = [
    { id: 'failed', count: status('FAILED'), label: 'failed', tone: 'bad' },
    { id: 'applying', count: status('APPLYING') + status('PENDING'), label: 'applying', tone: 'info' },
    { id: 'failing-clouds', count: clouds.filter((r) => r.attrs['data-failing'] === 'true').length, label: 'clouds failing', tone: 'bad' },
    { id: 'live-events', count: events.filter((r) => r.attrs['data-phase'] === 'live').length, label: 'events live', tone: 'live' },
    { id: 'blocked', count: decisions.filter((r) => r.tone === 'bad').length, label: 'failed or blocked decisions', tone: 'warn' },
  ].filter((c) => c.count > 0);
  return {
    decisions, deployments, events, clouds,
    summary: { deployments: deployments.length, nodes: deployments.reduce((n, r) => n + r.cells.find((c) => c.col === 'nodes').value, 0), chips },
  };
}
