// Unit tests for the stream-manager dashboard's pure functions
// (stream-manager/src/main/resources/dashboard/render.js). Plain Node: `node --test clients/test/unit/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendSample, backoffMs, chainText, clusterSummary, diffKeys, eventsUrl, formatAge, formatBitrate,
  formatInt, formatMbps, formatPercent, fragmentWithoutKey, heartbeatTone, keyFromFragment, naturalCompare,
  nodeRow, probeVerdict, routeChains, sortNodes, sparklinePath, stateTone, streamRow,
} from '../../../stream-manager/src/main/resources/dashboard/render.js';

const chains = (stream) => routeChains(stream).map(chainText);
const cell = (row, col) => row.cells.find((c) => c.col === col);

test('numbers, percentages, Mbps and bitrates format for a narrow column', () => {
  for (const [v, want] of [[0, '0'], [7, '7'], [999, '999'], [1000, '1,000'], [1234567, '1,234,567'], [12.6, '13'],
    [-4200, '-4,200'], [null, '—'], [undefined, '—'], [NaN, '—'], ['12', '—']]) {
    assert.equal(formatInt(v), want, `formatInt(${v})`);
  }
  for (const [v, want] of [[0, '0.0%'], [0.042, '4.2%'], [0.0999, '10.0%'], [0.1, '10%'], [0.426, '43%'], [1, '100%'],
    [1.3, '130%'], [-0.1, '0.0%'], [null, '—']]) {
    assert.equal(formatPercent(v), want, `formatPercent(${v})`);
  }
  for (const [v, want] of [[0, '0.00'], [3.456, '3.46'], [9.994, '9.99'], [12.34, '12.3'], [99.94, '99.9'], [100, '100'],
    [1260.4, '1,260'], [-1, '0.00'], [undefined, '—']]) {
    assert.equal(formatMbps(v), want, `formatMbps(${v})`);
  }
  for (const [v, want] of [[0, '0 kbps'], [800, '800 kbps'], [999.4, '999 kbps'], [1000, '1.00 Mbps'], [2500, '2.50 Mbps'],
    [12500, '12.5 Mbps'], [250000, '250 Mbps'], [null, '—']]) {
    assert.equal(formatBitrate(v), want, `formatBitrate(${v})`);
  }
});

test('ages: tenths below 10 s, then s, m s, h m, d h; clock skew reads as 0', () => {
  for (const [ms, want] of [[0, '0.0 s'], [849, '0.8 s'], [9999, '9.9 s'], [10000, '10 s'], [59999, '59 s'],
    [60000, '1m 00s'], [95000, '1m 35s'], [3599000, '59m 59s'], [3600000, '1h 00m'], [7620000, '2h 07m'],
    [86400000, '1d 0h'], [100800000, '1d 4h'], [-250, '0.0 s'], [null, '—']]) {
    assert.equal(formatAge(ms), want, `formatAge(${ms})`);
  }
});

test('node ids sort naturally', () => {
  assert.deepEqual(['edge-10', 'edge-2', 'edge-1', 'edge', 'edge-1a'].sort(naturalCompare), ['edge', 'edge-1', 'edge-1a', 'edge-2', 'edge-10']);
  assert.ok(naturalCompare('a', 'a') === 0);
});

test('tones: state badges, late heartbeats only for nodes that should beat', () => {
  assert.deepEqual(['INSERVICE', 'STARTING', 'REQUESTED', 'DRAINING', 'FAILED', 'TERMINATED', 'BOGUS'].map(stateTone),
    ['ok', 'info', 'info', 'warn', 'bad', 'off', 'unknown']);
  assert.equal(heartbeatTone(900, 'INSERVICE'), '');
  assert.equal(heartbeatTone(5001, 'INSERVICE'), 'warn');
  assert.equal(heartbeatTone(15001, 'DRAINING'), 'bad');
  assert.equal(heartbeatTone(600000, 'FAILED'), '', 'a FAILED node is expected to be silent');
  assert.equal(heartbeatTone(600000, 'TERMINATED'), '');
});

test('the API key comes from #key=, percent-decoded, with "+" kept; the rest of the fragment stays', () => {
  assert.equal(keyFromFragment('#key=abc123'), 'abc123');
  assert.equal(keyFromFragment('#view=nodes&key=a%2Bb%2F%3D'), 'a+b/=');
  assert.equal(keyFromFragment('#key=a+b'), 'a+b');
  assert.equal(keyFromFragment('#key=%E0%A4%A'), '%E0%A4%A', 'malformed escapes are taken as they are');
  assert.equal(keyFromFragment('#key='), null);
  assert.equal(keyFromFragment('#monkey=x'), null);
  assert.equal(keyFromFragment(''), null);
  assert.equal(keyFromFragment(undefined), null);
  assert.equal(fragmentWithoutKey('#key=abc'), '');
  assert.equal(fragmentWithoutKey('#view=nodes&key=abc&x=1'), '#view=nodes&x=1');
  assert.equal(eventsUrl('a+b/=&c'), '/api/v1/events?access_token=a%2Bb%2F%3D%26c');
});

test('an EventSource error is "unauthorized" only when GET /cluster says 401 or 403', () => {
  assert.equal(probeVerdict(401), 'unauthorized');
  assert.equal(probeVerdict(403), 'unauthorized');
  for (const s of [0, 200, 404, 500, 502, 503]) assert.equal(probeVerdict(s), 'reconnecting', `status ${s}`);
});

test('reconnect backoff: 1, 2, 4, 8, then 10 s, +-20 %', () => {
  const mid = () => 0.5;
  assert.deepEqual([0, 1, 2, 3, 4, 9, 100].map((n) => backoffMs(n, mid)), [1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  assert.equal(backoffMs(0, () => 0), 800);
  assert.equal(backoffMs(4, () => 0.999999), 12000);
});

test('row diff: added, removed, kept, and whether the kept rows changed order', () => {
  assert.deepEqual(diffKeys([], ['a', 'b']), { added: ['a', 'b'], removed: [], kept: [], moved: false });
  assert.deepEqual(diffKeys(['a', 'b', 'c'], ['a', 'b', 'c']), { added: [], removed: [], kept: ['a', 'b', 'c'], moved: false });
  assert.deepEqual(diffKeys(['a', 'b', 'c'], ['a', 'x', 'c']), { added: ['x'], removed: ['b'], kept: ['a', 'c'], moved: false });
  assert.deepEqual(diffKeys(['a', 'b', 'c'], ['c', 'a', 'b']), { added: [], removed: [], kept: ['c', 'a', 'b'], moved: true });
  assert.deepEqual(diffKeys(['a', 'b'], []), { added: [], removed: ['a', 'b'], kept: [], moved: false });
  assert.equal(diffKeys(['a', 'b', 'c'], ['b', 'new', 'c']).moved, false, 'a removal and an insertion are not a move');
});

test('route: one chain per edge, downstream first, ending at the origin', () => {
  const s = { key: 'live/x', origin: 'origin-1', routes: [{ from: 'edge-1', to: 'relay-1' }, { from: 'relay-1', to: 'origin-1' }] };
  assert.deepEqual(routeChains(s), [{ hops: ['edge-1', 'relay-1', 'origin-1'], complete: true, cycle: false }]);
  assert.deepEqual(chains(s), ['edge-1 → relay-1 → origin-1']);
});

test('route: a relay serving two edges appears in both chains; an edge on the origin directly too', () => {
  const s = {
    origin: 'origin-1',
    routes: [
      { from: 'relay-1', to: 'origin-1' }, { from: 'edge-2', to: 'relay-1' }, { from: 'edge-10', to: 'origin-1' },
      { from: 'edge-1', to: 'relay-1' }, { from: 'edge-1', to: 'relay-1' },                 // a repeated link counts once
    ],
  };
  assert.deepEqual(chains(s), ['edge-1 → relay-1 → origin-1', 'edge-2 → relay-1 → origin-1', 'edge-10 → origin-1']);
});

test('route: missing links give chains that end in "?"', () => {
  // edge-3 is in the stream but has no link; relay-2's own link to the origin is missing;
  // edge-9 points at a node the cluster does not list (still drawn, complete if it leads on).
  const s = {
    origin: 'origin-1',
    nodes: [{ id: 'origin-1', role: 'origin' }, { id: 'edge-3', role: 'edge', upstream: 'relay-1' }],
    routes: [{ from: 'edge-1', to: 'relay-2' }, { from: 'edge-9', to: 'relay-7' }, { from: 'relay-7', to: 'origin-1' }],
  };
  assert.deepEqual(chains(s), ['edge-1 → relay-2 → ?', 'edge-3 → ?', 'edge-9 → relay-7 → origin-1']);
  assert.deepEqual(routeChains(s).map((c) => c.complete), [false, false, true]);
});

test('route: the origin alone, no origin, nothing at all, bad links', () => {
  assert.deepEqual(chains({ origin: 'origin-1', nodes: [{ id: 'origin-1' }], routes: [] }), ['origin-1']);
  assert.deepEqual(chains({ origin: 'origin-1' }), ['origin-1']);
  assert.deepEqual(chains({ origin: null, routes: [{ from: 'edge-1', to: 'relay-1' }] }), ['edge-1 → relay-1 → ?'],
    'no origin: the stream is not live, nothing is complete');
  assert.deepEqual(chains({ origin: null, nodes: [], routes: [] }), []);
  assert.deepEqual(chains({}), []);
  assert.deepEqual(chains({ origin: 'o', routes: [null, {}, { from: 'a' }, { from: 'a', to: 7 }, { from: 'x', to: 'x' }, { from: '', to: 'o' }] }), ['o']);
});

test('route: a node with two upstreams (being switched) and a loop', () => {
  const switching = { origin: 'o', routes: [{ from: 'e', to: 'r1' }, { from: 'e', to: 'r2' }, { from: 'r1', to: 'o' }, { from: 'r2', to: 'o' }] };
  assert.deepEqual(chains(switching), ['e → r1 → o', 'e → r2 → o']);
  const loop = { origin: 'o', routes: [{ from: 'e', to: 'r1' }, { from: 'r1', to: 'r2' }, { from: 'r2', to: 'r1' }] };
  assert.deepEqual(routeChains(loop).map((c) => [chainText(c), c.cycle]), [['e → r1 → r2 → r1 (loop)', true], ['o', false]]);
  const island = { origin: 'o', routes: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] };
  assert.deepEqual(chains(island), ['a → b → a (loop)', 'o'], 'a loop nothing pulls from still shows');
});

test('route: at most `limit` chains', () => {
  const routes = Array.from({ length: 500 }, (_, i) => ({ from: `edge-${i}`, to: 'relay-1' }));
  assert.equal(routeChains({ origin: 'o', routes: [...routes, { from: 'relay-1', to: 'o' }] }).length, 200);
});

test('samples keep a 2-minute window, oldest first; repeats and clock steps back are dropped', () => {
  let s = [];
  for (const t of [0, 1000, 2000]) s = appendSample(s, { t, v: t }, 120000);
  assert.deepEqual(s.map((x) => x.t), [0, 1000, 2000]);
  s = appendSample(s, { t: 121000, v: 1 }, 120000);
  assert.deepEqual(s.map((x) => x.t), [2000, 121000], 'only samples within the window of the newest stay');
  s = appendSample(s, { t: 121000, v: 2 }, 120000);
  assert.deepEqual(s.map((x) => [x.t, x.v]), [[2000, 2000], [121000, 2]], 'the same time: the newer sample wins');
  s = appendSample(s, { t: 5000, v: 3 }, 120000);
  assert.deepEqual(s.map((x) => x.t), [2000, 5000], 'a member with an earlier clock starts over from its time');
});

test('sparkline path: time on x (right edge = end), value on y scaled to the window max', () => {
  const opts = { width: 100, height: 20, windowMs: 10000, end: 10000, pad: 0 };
  assert.deepEqual(sparklinePath([], 'v', opts), { line: '', area: '', max: 0, last: null });
  const two = sparklinePath([{ t: 5000, v: 0 }, { t: 10000, v: 8 }], 'v', opts);
  assert.equal(two.line, 'M50,20L100,0');
  assert.equal(two.area, 'M50,20L50,20L100,0L100,20Z');
  assert.equal(two.max, 8);
  assert.equal(two.last, 8);
  const padded = sparklinePath([{ t: 0, v: 1 }, { t: 10000, v: 2 }], 'v', { ...opts, pad: 2 });
  assert.equal(padded.line, 'M0,10L100,2');
  assert.equal(sparklinePath([{ t: 2500, v: 0 }, { t: 7500, v: 0 }], 'v', opts).line, 'M25,20L75,20', 'all zero: flat at the bottom');
  assert.equal(sparklinePath([{ t: 10000, v: 3 }], 'v', opts).line, 'M99,0L100,0', 'a lone sample is a short dash');
  const gap = sparklinePath([{ t: 0, v: 4 }, { t: 2000, v: 4 }, { t: 4000, v: null }, { t: 6000, v: 2 }, { t: 8000, v: 4 }], 'v', opts);
  assert.equal(gap.line, 'M0,0L20,0M60,10L80,0', 'a missing value breaks the line');
  assert.equal(gap.area, 'M0,20L0,0L20,0L20,20ZM60,20L60,10L80,0L80,20Z');
  const clipped = sparklinePath([{ t: -5000, v: 100 }, { t: 0, v: 1 }, { t: 10000, v: 2 }], 'v', opts);
  assert.equal(clipped.max, 2, 'samples before the window neither draw nor scale');
  assert.equal(clipped.line, 'M0,10L100,0');
  assert.equal(sparklinePath([{ t: 1000, v: 1 }, { t: 4000, v: 2 }], 'v', { ...opts, width: 3, height: 3 }).line, 'M0.3,1.5L1.2,0', 'one decimal');
});

const NOW = Date.parse('2026-03-01T12:00:10Z');
const node = (over = {}) => ({
  id: 'edge-1', role: 'edge', region: 'eu-west', cloud: 'aws', group: 'main', state: 'INSERVICE',
  host: '10.0.3.1', srtPort: 9000, httpPort: 8180,
  load: { cpu: 0.734, mbpsIn: 3, mbpsOut: 1260.4, publishers: 0, subscribers: 420, streams: 1 },
  lastHeartbeatAt: '2026-03-01T12:00:09.200Z', stateSince: '2026-03-01T11:55:10Z', ...over,
});

test('a node row: data attributes, the cells as shown, raw values, ages against the snapshot time', () => {
  const row = nodeRow(node(), NOW);
  assert.equal(row.key, 'edge-1');
  assert.deepEqual(row.attrs, { 'data-node-id': 'edge-1', 'data-state': 'INSERVICE', 'data-role': 'edge' });
  assert.deepEqual(row.cells.map((c) => c.col),
    ['id', 'role', 'region', 'cloud', 'state', 'cpu', 'mbpsIn', 'mbpsOut', 'publishers', 'subscribers', 'streams', 'heartbeat']);
  assert.deepEqual(row.cells.map((c) => c.text),
    ['edge-1', 'edge', 'eu-west', 'aws', 'INSERVICE', '73%', '3.00', '1,260', '0', '420', '1', '0.8 s']);
  assert.equal(cell(row, 'heartbeat').value, 800);
  assert.equal(cell(nodeRow(node({ lastHeartbeatAt: '2026-03-01T12:00:09.876543210Z' }), NOW), 'heartbeat').value, 124,
    'Java Instants carry nanoseconds');
  assert.equal(cell(row, 'cpu').value, 0.734);
  assert.equal(cell(row, 'cpu').tone, 'warn');
  assert.equal(cell(row, 'state').tone, 'ok');
  assert.equal(cell(row, 'state').title, 'INSERVICE for 5m 00s');
  assert.equal(cell(row, 'id').title, '10.0.3.1 · http 8180 · srt 9000 · group main');
  assert.equal(row.tone, '');
});

test('a node row without load or times, a terminated node, an unknown role', () => {
  const row = nodeRow({ id: 'x', state: 'TERMINATED', role: 'mixer' }, NOW);
  assert.equal(row.tone, 'off');
  assert.equal(cell(row, 'role').tone, 'role-other');
  assert.deepEqual(row.cells.slice(5).map((c) => c.text), ['—', '—', '—', '—', '—', '—', '—']);
  assert.deepEqual(row.cells.slice(5).map((c) => c.value), [null, null, null, null, null, null, null]);
  assert.equal(cell(row, 'cpu').fraction, 0);
  assert.equal(nodeRow({ id: 'y' }, NOW).attrs['data-state'], 'UNKNOWN');
  assert.equal(cell(nodeRow(node({ lastHeartbeatAt: '2026-03-01T12:00:00Z' }), NOW), 'heartbeat').tone, 'warn');
  assert.equal(cell(nodeRow(node({ load: { cpu: 1.7 } }), NOW), 'cpu').fraction, 1, 'the bar stops at full');
});

test('nodes sort by role (origin, relay, edge, transcoder), region, then id', () => {
  const ns = [
    { id: 'edge-10', role: 'edge', region: 'eu' }, { id: 'edge-2', role: 'edge', region: 'eu' }, { id: 'edge-1', role: 'edge', region: 'us' },
    { id: 'origin-1', role: 'origin', region: 'us' }, { id: 't-1', role: 'transcoder', region: 'eu' }, { id: 'relay-1', role: 'relay', region: 'eu' },
    { id: 'odd', role: 'mixer', region: 'eu' },
  ];
  assert.deepEqual(sortNodes(ns).map((n) => n.id), ['origin-1', 'relay-1', 'edge-2', 'edge-10', 'edge-1', 't-1', 'odd']);
});

test('a stream row: key, live, origin, viewers, bitrate and the route chains with each hop\'s role', () => {
  const roles = new Map([['edge-1', 'edge'], ['edge-2', 'edge'], ['relay-1', 'relay'], ['origin-1', 'origin']]);
  const row = streamRow({
    key: 'live/match1', live: true, origin: 'origin-1', subscribers: 1234, bitrateKbps: 2500,
    routes: [{ from: 'edge-1', to: 'relay-1' }, { from: 'edge-2', to: 'relay-1' }, { from: 'relay-1', to: 'origin-1' }, { from: 'edge-3', to: 'relay-1' }],
  }, roles);
  assert.deepEqual(row.attrs, { 'data-stream': 'live/match1', 'data-live': 'true' });
  assert.deepEqual(row.cells.map((c) => c.text).slice(0, 5), ['live/match1', 'live', 'origin-1', '1,234', '2.50 Mbps']);
  const route = cell(row, 'route');
  assert.equal(route.text, 'edge-1 → relay-1 → origin-1\nedge-2 → relay-1 → origin-1\nedge-3 → relay-1 → origin-1');
  assert.deepEqual(route.chains[2].hops, [{ id: 'edge-3', role: null }, { id: 'relay-1', role: 'relay' }, { id: 'origin-1', role: 'origin' }],
    'a hop the node list lacks has no role');
  const idle = streamRow({ key: 'live/x', live: false, origin: null, subscribers: 0 });
  assert.deepEqual(idle.attrs, { 'data-stream': 'live/x', 'data-live': 'false' });
  assert.deepEqual(idle.cells.map((c) => c.text), ['live/x', 'idle', '—', '0', '—', '']);
  assert.equal(idle.tone, 'off');
});

test('cluster summary: counts per state in lifecycle order, totals, Mbps of the nodes whose load is current', () => {
  const snap = {
    cluster: {
      members: [{ uuid: 'u1', address: '10.0.0.1:5701', local: true, oldest: false }, { uuid: 'u2', address: '10.0.0.2:5701', oldest: true }],
      nodes: { FAILED: 1, INSERVICE: 3, DRAINING: 1, TERMINATED: 0, WEIRD: 2 }, streams: 4, liveStreams: 3, subscribers: 900,
    },
    nodes: [
      { id: 'a', state: 'INSERVICE', load: { mbpsOut: 10.5, mbpsIn: 1, publishers: 2 } },
      { id: 'b', state: 'DRAINING', load: { mbpsOut: 0.25 } },
      { id: 'c', state: 'FAILED', load: { mbpsOut: 99, publishers: 5 } },
      { id: 'd', state: 'INSERVICE' },
    ],
  };
  const s = clusterSummary(snap);
  assert.deepEqual(s.byState.map((b) => [b.state, b.count, b.tone]),
    [['INSERVICE', 3, 'ok'], ['DRAINING', 1, 'warn'], ['FAILED', 1, 'bad'], ['WEIRD', 2, 'unknown']]);
  assert.equal(s.nodesTotal, 7);
  assert.equal(s.inService, 3);
  assert.deepEqual([s.streams, s.liveStreams, s.subscribers], [4, 3, 900]);
  assert.equal(s.mbpsOut, 10.75);
  assert.equal(s.mbpsIn, 1);
  assert.equal(s.publishers, 2);
  assert.deepEqual(s.members, [
    { uuid: 'u1', address: '10.0.0.1:5701', local: true, oldest: false },
    { uuid: 'u2', address: '10.0.0.2:5701', local: false, oldest: true },
  ]);
});

test('cluster summary without the cluster object falls back to the lists', () => {
  const s = clusterSummary({
    nodes: [{ id: 'a', state: 'INSERVICE' }, { id: 'b', state: 'INSERVICE' }, { id: 'c', state: 'STARTING' }],
    streams: [{ key: 'l/a', live: true, subscribers: 5 }, { key: 'l/b', live: false, subscribers: 0 }, { key: 'l/c', live: true }],
  });
  assert.deepEqual(s.byState.map((b) => [b.state, b.count]), [['STARTING', 1], ['INSERVICE', 2]]);
  assert.deepEqual([s.nodesTotal, s.streams, s.liveStreams, s.subscribers, s.mbpsOut], [3, 3, 2, 5, 0]);
  assert.deepEqual(clusterSummary({}).members, []);
  assert.equal(clusterSummary(null).nodesTotal, 0);
});
