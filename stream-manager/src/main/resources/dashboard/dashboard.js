// Cascade stream manager dashboard: follows GET /api/v1/events and keeps the page in step
// with the latest `snapshot` event (one a second).
//
// Connection: the key comes from #key=KEY (then removed from the address bar), else from
// localStorage, else from the form. EventSource cannot send headers, so the key goes in
// ?access_token=. An EventSource error hides the HTTP status, so on every error the page asks
// GET /api/v1/cluster with the key in Authorization: 401/403 -> 'unauthorized' (stop, ask for
// a key); anything else -> 'reconnecting' (the browser retries by itself while the
// EventSource is CONNECTING; once it is CLOSED the page opens a new one after a backoff).
// Five seconds without a snapshot also counts as an error.
//
// Rendering: rows are keyed (node id, stream key, deployment group/cloud, ...) and patched in
// place; a cell is rebuilt only when what it shows changed. Text goes in with textContent and
// attributes only, never as HTML. A row with a `detail` (a failed deployment's Terraform output)
// gets a hidden full-width row under it, shown by the button in its 'expander' cell. The
// autoscaling panel stays hidden while the snapshots have no `autoscaling` (an older manager).
//
// For tests (see clients/test/dashboard.mjs), the page keeps on <body>:
//   data-connection   'needs-key' | 'connecting' | 'live' | 'reconnecting' | 'unauthorized'
//   data-updates      snapshots rendered since the page loaded
//   data-snapshot-time  the last snapshot's `time`
// and the same in window.cascadeDashboard.
import {
  ARROW, CLOUD_COLUMNS, DASH, DECISION_COLUMNS, DEPLOYMENT_COLUMNS, EVENT_COLUMNS, NODE_COLUMNS, STREAM_COLUMNS,
  appendSample, autoscalingView, backoffMs, cellSignature, clusterSummary, diffKeys, eventsUrl, formatInt, formatMbps,
  fragmentWithoutKey, keyFromFragment, nodeRow, parseTime, probeVerdict, sortNodes, sparklinePath, streamRow,
} from './render.js';

const API = '/api/v1';
const KEY_STORAGE = 'cascade.dashboard.apiKey';
const STALE_MS = 5000;          // no snapshot for this long: the stream is stuck, reconnect
const WINDOW_MS = 120000;       // sparkline window
const SPARK_W = 240;
const SPARK_H = 44;
const VISIBLE_CHAINS = 4;       // route chains shown before "+N more"

const $ = (id) => document.getElementById(id);
const ui = {
  body: document.body,
  connection: $('connection'), connectionText: $('connection-text'), updated: $('updated'),
  changeKey: $('change-key'),
  sumNodes: $('sum-nodes'), sumInService: $('sum-inservice'), nodeStates: $('node-states'),
  sumLive: $('sum-live'), sumStreams: $('sum-streams'), sumPublishers: $('sum-publishers'), sumMbpsIn: $('sum-mbps-in'), sumViewers: $('sum-viewers'), sumMbpsOut: $('sum-mbps-out'),
  sparkViewers: $('spark-viewers'), sparkMbps: $('spark-mbps'), members: $('members'),
  nodesTable: $('nodes-table'), nodesCount: $('nodes-count'), nodesEmpty: $('nodes-empty'),
  streamsTable: $('streams-table'), streamsCount: $('streams-count'), streamsEmpty: $('streams-empty'),
  autoscaling: $('autoscaling'), autoscalingCount: $('autoscaling-count'), autoscalingChips: $('autoscaling-chips'),
  keygate: $('keygate'), keyForm: $('key-form'), keyInput: $('key-input'), keyRemember: $('key-remember'),
  keyMessage: $('key-message'),
};

const view = { connection: 'connecting', updates: 0, snapshotTime: null, lastError: null, badEvents: 0 };
window.cascadeDashboard = view;

function el(tag, className, textContent) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (textContent !== undefined) e.textContent = textContent;
  return e;
}

// --- the key ------------------------------------------------------------------------------

const storage = {
  get() { try { return localStorage.getItem(KEY_STORAGE); } catch { return null; } },
  set(v) { try { localStorage.setItem(KEY_STORAGE, v); } catch { /* storage disabled: keep it in memory */ } },
  clear() { try { localStorage.removeItem(KEY_STORAGE); } catch { /* as above */ } },
};

let key = null;
let rememberKey = false;        // store the key once a snapshot proved it good

function takeKeyFromFragment() {
  const k = keyFromFragment(location.hash);
  if (!k) return null;
  history.replaceState(null, '', location.pathname + location.search + fragmentWithoutKey(location.hash));
  return k;
}

function askForKey(message) {
  ui.keyMessage.textContent = message;
  ui.keyMessage.classList.toggle('problem', view.connection === 'unauthorized');
  ui.keygate.hidden = false;
  ui.keyInput.value = '';
  ui.keyInput.focus();
}

ui.keyForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const k = ui.keyInput.value.trim();
  if (!k) return;
  ui.keygate.hidden = true;
  start(k, ui.keyRemember.checked);
});

ui.changeKey.addEventListener('click', () => {
  stop();
  storage.clear();
  setConnection('needs-key');
  askForKey('Enter an API key to watch the cluster.');
});

window.addEventListener('hashchange', () => {
  const k = takeKeyFromFragment();
  if (k && k !== key) { ui.keygate.hidden = true; start(k, true); }
});

// --- the connection -----------------------------------------------------------------------

let es = null;
let generation = 0;             // bumped by start/stop; late callbacks of an old one do nothing
let failures = 0;
let reopenTimer = null;
let staleTimer = null;
let probing = false;

const CONNECTION_TEXT = {
  'needs-key': 'No key', connecting: 'Connecting\u2026', live: 'Live',
  reconnecting: 'Reconnecting\u2026', unauthorized: 'Unauthorized',
};

function setConnection(state, detail = '') {
  view.connection = state;
  if (detail) view.lastError = detail;
  ui.body.dataset.connection = state;
  ui.connection.dataset.state = state;
  ui.connectionText.textContent = CONNECTION_TEXT[state] ?? state;
  ui.connection.title = detail;
}

function start(k, remember) {
  key = k;
  rememberKey = remember;
  failures = 0;
  open();
}

function stop() {
  generation++;
  clearTimeout(reopenTimer);
  clearTimeout(staleTimer);
  if (es) { es.close(); es = null; }
}

function open() {
  stop();
  const gen = generation;
  setConnection(view.updates > 0 ? 'reconnecting' : 'connecting');
  es = new EventSource(eventsUrl(key, API));
  es.addEventListener('snapshot', (ev) => { if (gen === generation) onSnapshot(ev.data); });
  es.addEventListener('error', () => { if (gen === generation) trouble('the event stream failed'); });
  armStaleTimer(gen);
}

function armStaleTimer(gen) {
  clearTimeout(staleTimer);
  staleTimer = setTimeout(() => {
    if (gen !== generation) return;
    if (es) es.close();             // stuck: this one will not recover by itself
    trouble(`no snapshot for ${STALE_MS / 1000} s`);
  }, STALE_MS);
}

/** An EventSource error or a stuck stream: find out whether the key is refused. */
async function trouble(reason) {
  if (probing) return;
  const gen = generation;
  if (view.connection !== 'unauthorized') setConnection(view.updates > 0 ? 'reconnecting' : 'connecting', reason);
  probing = true;
  let status = 0;
  try {
    const r = await fetch(`${API}/cluster`, { headers: { Authorization: `Bearer ${key}` }, cache: 'no-store' });
    status = r.status;
  } catch {
    status = 0;                     // no answer: the server is down or restarting
  } finally {
    probing = false;
  }
  if (gen !== generation) return;
  if (probeVerdict(status) === 'unauthorized') {
    stop();
    storage.clear();
    setConnection('unauthorized', `the stream manager refused the key (HTTP ${status})`);
    askForKey(`The stream manager refused this key (HTTP ${status}). Enter another API key.`);
    return;
  }
  setConnection(view.updates > 0 ? 'reconnecting' : 'connecting',
    status ? `${reason}; GET /cluster answered HTTP ${status}` : `${reason}; the stream manager does not answer`);
  if (!es || es.readyState === EventSource.CLOSED) {
    clearTimeout(reopenTimer);
    reopenTimer = setTimeout(() => { if (gen === generation) open(); }, backoffMs(failures++));
  }
}

function onSnapshot(data) {
  let snapshot;
  try {
    snapshot = JSON.parse(data);
    if (!snapshot || typeof snapshot !== 'object') throw new Error('not an object');
  } catch (e) {
    view.badEvents++;
    console.error(`dashboard: a snapshot event that is not a JSON object (${e.message})`);
    return;
  }
  failures = 0;
  armStaleTimer(generation);
  if (rememberKey) { storage.set(key); rememberKey = false; }
  render(snapshot);
  if (view.connection !== 'live') setConnection('live');
}

// --- rendering ----------------------------------------------------------------------------

let samples = [];
const nodeRows = new Map();
const streamRows = new Map();
// the autoscaling panel's tables, each filled from the field of autoscalingView() of its name
const scaleTables = [
  ['deployments', DEPLOYMENT_COLUMNS], ['clouds', CLOUD_COLUMNS], ['events', EVENT_COLUMNS], ['decisions', DECISION_COLUMNS],
].map(([name, columns]) => ({ name, columns, table: $(`${name}-table`), empty: $(`${name}-empty`), rows: new Map() }));

function render(snapshot) {
  const t = parseTime(snapshot.time) ?? Date.now();
  const nodes = uniqueBy(snapshot.nodes, 'id');
  const streams = uniqueBy(snapshot.streams, 'key');
  const summary = clusterSummary({ ...snapshot, nodes, streams });

  renderSummary(summary);
  samples = appendSample(samples, { t, viewers: summary.subscribers, mbpsOut: summary.mbpsOut }, WINDOW_MS);
  renderSpark(ui.sparkViewers, 'viewers', t, formatInt);
  renderSpark(ui.sparkMbps, 'mbpsOut', t, (v) => `${formatMbps(v)} Mbps`);

  const roles = new Map(nodes.map((n) => [n.id, n.role]));
  patchRows(ui.nodesTable.tBodies[0], nodeRows, sortNodes(nodes).map((n) => nodeRow(n, t)), NODE_COLUMNS);
  patchRows(ui.streamsTable.tBodies[0], streamRows,
    [...streams].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((s) => streamRow(s, roles)), STREAM_COLUMNS);
  setText(ui.nodesCount, nodes.length ? String(nodes.length) : '');
  setText(ui.streamsCount, streams.length ? String(streams.length) : '');
  ui.nodesEmpty.hidden = nodes.length > 0;
  ui.streamsEmpty.hidden = streams.length > 0;
  renderAutoscaling(snapshot.autoscaling, t);

  setText(ui.updated, `Updated ${new Date(t).toLocaleTimeString([], { hour12: false })}`);
  const title = `Cascade \u00b7 ${summary.nodesTotal} nodes \u00b7 ${summary.liveStreams} live`;
  if (document.title !== title) document.title = title;

  view.updates++;
  view.snapshotTime = typeof snapshot.time === 'string' ? snapshot.time : new Date(t).toISOString();
  ui.body.dataset.updates = String(view.updates);
  ui.body.dataset.snapshotTime = view.snapshotTime;
}

/** The items of `list` that have a string `field`, the first of each value only (rows are keyed by it). */
function uniqueBy(list, field) {
  if (!Array.isArray(list)) return [];
  const seen = new Set();
  return list.filter((x) => x && typeof x[field] === 'string' && x[field] && !seen.has(x[field]) && seen.add(x[field]));
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** Shows `text` (default: the value as an integer) and keeps the raw value in data-value. */
function setValue(node, value, raw = value) {
  setText(node, typeof value === 'string' ? value : formatInt(value));
  const v = raw === null || raw === undefined ? '' : String(raw);
  if (node.dataset.value !== v) node.dataset.value = v;
}

function renderSummary(s) {
  setValue(ui.sumNodes, s.nodesTotal);
  setText(ui.sumInService, `${formatInt(s.inService)} in service`);
  setValue(ui.sumLive, s.liveStreams);
  setValue(ui.sumStreams, s.streams);
  setValue(ui.sumViewers, s.subscribers);
  setValue(ui.sumPublishers, s.publishers);
  setValue(ui.sumMbpsOut, formatMbps(s.mbpsOut), s.mbpsOut);
  setValue(ui.sumMbpsIn, formatMbps(s.mbpsIn), s.mbpsIn);

  rebuildIfChanged(ui.nodeStates, s.byState, () => s.byState.map((b) => {
    const chip = el('span', 'chip');
    chip.dataset.tone = b.tone;
    chip.dataset.state = b.state;
    chip.dataset.count = String(b.count);
    chip.append(el('span', 'chip-count', formatInt(b.count)), el('span', 'chip-label', b.state === 'INSERVICE' ? 'in service' : b.state.toLowerCase()));
    return chip;
  }));

  rebuildIfChanged(ui.members, s.members, () => {
    if (!s.members.length) return [el('li', 'member dim', 'no member list')];
    return s.members.map((m) => {
      const li = el('li', 'member');
      li.dataset.member = m.uuid;
      li.dataset.oldest = String(m.oldest);
      li.dataset.local = String(m.local);
      li.title = m.uuid;
      li.append(el('span', 'member-address', m.address));
      if (m.oldest) {
        const tag = el('span', 'tag tag-oldest', '\u2605 oldest');
        tag.title = 'The oldest member runs the once-only work: failure detection, autoscaling, scheduling';
        li.append(tag);
      }
      if (m.local) {
        const tag = el('span', 'tag', 'this page');
        tag.title = 'The member serving this page';
        li.append(tag);
      }
      return li;
    });
  });
}

function renderAutoscaling(autoscaling, t) {
  const v = autoscalingView(autoscaling, t);
  ui.autoscaling.hidden = v === null;
  if (v === null) return;
  for (const s of scaleTables) {
    const rows = v[s.name];
    patchRows(s.table.tBodies[0], s.rows, rows, s.columns);
    s.empty.hidden = rows.length > 0;
  }
  setText(ui.autoscalingCount, v.summary.deployments ? String(v.summary.deployments) : '');
  rebuildIfChanged(ui.autoscalingChips, v.summary.chips, () => v.summary.chips.map((c) => {
    const chip = el('span', 'chip');
    chip.dataset.tone = c.tone;
    chip.dataset.chip = c.id;
    chip.dataset.count = String(c.count);
    chip.append(el('span', 'chip-count', formatInt(c.count)), el('span', 'chip-label', c.label));
    return chip;
  }));
}

function rebuildIfChanged(parent, model, build) {
  const sig = JSON.stringify(model);
  if (parent.cascadeSig === sig) return;
  parent.cascadeSig = sig;
  parent.replaceChildren(...build());
}

function renderSpark(svg, field, end, fmt) {
  const p = sparklinePath(samples, field, { width: SPARK_W, height: SPARK_H, windowMs: WINDOW_MS, end });
  const [area, line] = svg.querySelectorAll('path');
  if (area.getAttribute('d') !== p.area) area.setAttribute('d', p.area);
  if (line.getAttribute('d') !== p.line) line.setAttribute('d', p.line);
  setText(svg.parentElement.querySelector('.spark-max'), samples.length > 1 ? `max ${fmt(p.max)}` : '');
}

// --- keyed tables -------------------------------------------------------------------------

function ensureHead(table, columns) {
  if (table.tHead.rows.length) return;
  const tr = table.tHead.insertRow();
  for (const c of columns) {
    const th = el('th', c.numeric ? 'num' : '', c.label);
    th.scope = 'col';
    th.dataset.col = c.col;
    if (c.title) th.title = c.title;
    tr.append(th);
  }
}

/** Puts `rows` (view models, in order) into `tbody`, reusing the <tr> of each key. */
function patchRows(tbody, rowMap, rows, columns) {
  ensureHead(tbody.parentElement, columns);
  const d = diffKeys([...rowMap.keys()], rows.map((r) => r.key));
  for (const k of d.removed) {
    const tr = rowMap.get(k);
    if (tr.cascadeDetail) tr.cascadeDetail.remove();
    tr.remove();
    rowMap.delete(k);
  }
  let prev = null;
  for (const row of rows) {
    let tr = rowMap.get(row.key);
    if (!tr) {
      tr = document.createElement('tr');
      for (const c of columns) {
        const td = tr.insertCell();
        td.dataset.col = c.col;
        if (c.numeric) td.className = 'num';
      }
      rowMap.set(row.key, tr);
    }
    patchRow(tr, row);
    const want = prev ? prev.nextSibling : tbody.firstChild;
    if (tr !== want) tbody.insertBefore(tr, want);
    prev = tr;
    patchDetail(tr, row, columns.length);
    if (tr.cascadeDetail) {
      if (tr.nextSibling !== tr.cascadeDetail) tbody.insertBefore(tr.cascadeDetail, tr.nextSibling);
      prev = tr.cascadeDetail;
    }
  }
  // rows newly created sort after the rest of rowMap, so keep the Map in page order
  if (d.added.length || d.moved) {
    const ordered = rows.map((r) => [r.key, rowMap.get(r.key)]);
    rowMap.clear();
    for (const [k, tr] of ordered) rowMap.set(k, tr);
  }
}

function patchRow(tr, row) {
  for (const [name, value] of Object.entries(row.attrs)) {
    if (tr.getAttribute(name) !== value) tr.setAttribute(name, value);
  }
  if ((tr.dataset.tone ?? '') !== row.tone) {
    if (row.tone) tr.dataset.tone = row.tone; else delete tr.dataset.tone;
  }
  row.cells.forEach((cell, i) => patchCell(tr.cells[i], cell));
}

/** The full-width row under `tr` that shows `row.detail` while `tr` is expanded; none without a detail. */
function patchDetail(tr, row, span) {
  let det = tr.cascadeDetail;
  if (typeof row.detail !== 'string' || !row.detail) {
    if (det) { det.remove(); tr.cascadeDetail = null; }
    delete tr.dataset.expanded;
    return;
  }
  if (!det) {
    det = el('tr', 'detail');
    const td = det.insertCell();
    td.colSpan = span;
    td.append(el('pre', 'detail-text'));
    tr.cascadeDetail = det;
  }
  const pre = det.cells[0].firstChild;
  if (pre.textContent !== row.detail) pre.textContent = row.detail;
  det.hidden = !tr.dataset.expanded;
}

/** A cell's text and a button that shows or hides its row's detail row. */
function fillExpander(td, cell) {
  const button = el('button', 'more expander');
  button.type = 'button';
  const label = () => {
    const open = Boolean(td.parentElement && td.parentElement.dataset.expanded);
    button.textContent = open ? `hide ${cell.label}` : `show ${cell.label}`;
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => {
    const tr = td.parentElement;
    if (tr.dataset.expanded) delete tr.dataset.expanded; else tr.dataset.expanded = '1';
    if (tr.cascadeDetail) tr.cascadeDetail.hidden = !tr.dataset.expanded;
    label();
  });
  label();
  td.replaceChildren(el('span', 'expander-text', cell.text), button);
}

function patchCell(td, cell) {
  const sig = cellSignature(cell);
  if (td.cascadeSig === sig) return;
  td.cascadeSig = sig;
  if (cell.value === undefined || cell.value === null) delete td.dataset.value;
  else td.dataset.value = String(cell.value);
  if (cell.title) td.title = cell.title; else td.removeAttribute('title');
  if (cell.tone && (cell.kind ?? 'text') === 'text') td.dataset.tone = cell.tone; else delete td.dataset.tone;

  switch (cell.kind) {
    case 'badge': {
      const b = el('span', 'badge', cell.text);
      b.dataset.tone = cell.tone;
      td.replaceChildren(b);
      break;
    }
    case 'bar': {
      const bar = el('span', 'bar');
      bar.dataset.tone = cell.tone || 'ok';
      const fill = el('span', 'bar-fill');
      fill.style.width = `${(cell.fraction * 100).toFixed(1)}%`;
      bar.append(fill);
      td.replaceChildren(el('span', 'bar-text', cell.text), bar);
      break;
    }
    case 'route':
      fillRoute(td, cell);
      break;
    case 'expander':
      fillExpander(td, cell);
      break;
    default:
      td.textContent = cell.text;
  }
}

function fillRoute(td, cell) {
  if (!cell.chains.length) {
    td.replaceChildren(el('span', 'dim', DASH));
    return;
  }
  const parts = cell.chains.map((c, i) => {
    const div = el('div', 'chain');
    div.dataset.chain = c.text;
    div.dataset.complete = String(c.complete);
    if (i >= VISIBLE_CHAINS) div.classList.add('extra');
    c.hops.forEach((h, j) => {
      if (j) div.append(el('span', 'arrow', ARROW));
      const hop = el('span', 'hop', h.id);
      hop.dataset.role = h.role ?? 'unknown';
      if (!h.role) hop.title = `${h.id} is not in the node list`;
      div.append(hop);
    });
    if (c.cycle) {
      div.append(el('span', 'hop hop-missing', 'loop'));
      div.title = 'These links go round in a loop';
    } else if (!c.complete) {
      div.append(el('span', 'arrow', ARROW), el('span', 'hop hop-missing', '?'));
      div.title = `No route link from ${c.hops[c.hops.length - 1]} to the origin`;
    }
    return div;
  });
  const extra = cell.chains.length - VISIBLE_CHAINS;
  if (extra > 0) {
    const more = el('button', 'more');
    more.type = 'button';
    const label = () => { more.textContent = td.dataset.expanded ? 'show less' : `+${extra} more`; };
    more.addEventListener('click', () => {
      if (td.dataset.expanded) delete td.dataset.expanded; else td.dataset.expanded = '1';
      label();
    });
    label();
    parts.push(more);
  }
  td.replaceChildren(...parts);
}

// --- go -----------------------------------------------------------------------------------

ensureHead(ui.nodesTable, NODE_COLUMNS);
ensureHead(ui.streamsTable, STREAM_COLUMNS);
ui.nodesEmpty.hidden = true;
ui.streamsEmpty.hidden = true;
for (const s of scaleTables) {
  ensureHead(s.table, s.columns);
  s.empty.hidden = true;
}

const initial = takeKeyFromFragment();
if (initial) {
  start(initial, true);
} else if (storage.get()) {
  start(storage.get(), false);
} else {
  setConnection('needs-key');
  askForKey('Enter an API key to watch the cluster.');
}
