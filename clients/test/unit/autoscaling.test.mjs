// Unit tests for the autoscaling panel's pure functions of the stream-manager dashboard
// (stream-manager/src/main/resources/dashboard/render.js). Plain Node: `node --test clients/test/unit/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLOUD_COLUMNS, DECISION_COLUMNS, DEPLOYMENT_COLUMNS, EVENT_COLUMNS, actionLabel, actionTone, autoscalingView,
  cloudRow, decisionRow, deploymentRow, deploymentTone, eventPhase, eventRow, formatClock, formatIn, formatMillis,
} from '../../../stream-manager/src/main/resources/dashboard/render.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const UTC = { utc: true };
const cell = (row, col) => row.cells.find((c) => c.col === col);
const texts = (row) => Object.fromEntries(row.cells.map((c) => [c.col, c.text]));
const iso = (offsetMs) => new Date(NOW + offsetMs).toISOString();

test('durations in ms, wall-clock times as short as the day allows, time until', () => {
  for (const [v, want] of [[0, '0 ms'], [420, '420 ms'], [999.4, '999 ms'], [1000, '1.0 s'], [1500, '1.5 s'],
    [42000, '42 s'], [185000, '3m 05s'], [-5, '0 ms'], [null, '—'], ['12', '—']]) {
    assert.equal(formatMillis(v), want, `formatMillis(${v})`);
  }
  assert.equal(formatClock(Date.parse('2026-11-21T20:05:00Z'), NOW, UTC), '20:05', 'today: the time only');
  assert.equal(formatClock(Date.parse('2026-11-22T00:00:00Z'), NOW, UTC), 'Sun 22 Nov 00:00');
  assert.equal(formatClock(Date.parse('2026-01-02T09:30:59Z'), NOW, UTC), 'Fri 2 Jan 09:30');
  assert.equal(formatClock(Date.parse('2027-03-04T07:08:00Z'), NOW, UTC), '4 Mar 2027 07:08');
  assert.equal(formatClock(Date.parse('2027-03-04T07:08:00Z'), null, UTC), '4 Mar 2027 07:08', 'no now: in full');
  assert.equal(formatClock(null, NOW), '—');
  assert.match(formatClock(NOW, NOW), /^\d\d:\d\d$/, 'local time, the same day');
  for (const [ms, want] of [[0, 'now'], [-3000, 'now'], [400, 'in 1 s'], [42000, 'in 42 s'], [59999, 'in 60 s'],
    [60000, 'in 1 min'], [240001, 'in 5 min'], [300000, 'in 5 min'], [3599000, 'in 60 min'], [3600000, 'in 1h 00m'],
    [7620000, 'in 2h 07m'], [86340000, 'in 23h 59m'], [86400000, 'in 1d 0h'], [273600000, 'in 3d 4h'], [undefined, '—']]) {
    assert.equal(formatIn(ms), want, `formatIn(${ms})`);
  }
});

test('tones: actions, APPLY_FAILED and BLOCKED alarming; deployment statuses', () => {
  assert.deepEqual(['SCALE_OUT', 'DRAIN', 'TERMINATE', 'REPLACE', 'APPLIED', 'APPLY_FAILED', 'FAILOVER', 'BLOCKED', 'NEW'].map(actionTone),
    ['info', 'warn', 'off', 'warn', 'ok', 'bad', 'warn', 'bad', 'unknown']);
  assert.equal(actionLabel('APPLY_FAILED'), 'apply failed');
  assert.equal(actionLabel('SCALE_OUT'), 'scale out');
  assert.equal(actionLabel(undefined), '—');
  assert.deepEqual(['PENDING', 'APPLYING', 'APPLIED', 'FAILED', 'X'].map(deploymentTone), ['info', 'info', 'ok', 'bad', 'unknown']);
});

const decision = (over = {}) => ({
  at: '2026-11-21T11:59:18.123456789Z', group: 'eu', rule: 'edge/eu-west', cloud: 'local', action: 'SCALE_OUT',
  from: 1, to: 2, nodes: ['eu-edge-1a2b3c4d'], reason: 'load 80% above 70% for 30.0 s', ...over,
});

test('a decision row: age, group, rule, cloud, action badge, from → to, nodes, reason', () => {
  const row = decisionRow(decision(), NOW, 'k1');
  assert.deepEqual(row.cells.map((c) => c.col), DECISION_COLUMNS.map((c) => c.col));
  assert.deepEqual(texts(row), {
    age: '41 s', group: 'eu', rule: 'edge/eu-west', cloud: 'local', action: 'scale out', count: '1 → 2',
    nodes: 'eu-edge-1a2b3c4d', reason: 'load 80% above 70% for 30.0 s',
  });
  assert.equal(cell(row, 'age').value, 41877);
  assert.equal(cell(row, 'age').title, '2026-11-21T11:59:18.123Z');
  assert.deepEqual([cell(row, 'action').kind, cell(row, 'action').tone], ['badge', 'info']);
  assert.deepEqual(row.attrs, { 'data-decision': 'k1', 'data-action': 'SCALE_OUT' });
  assert.equal(row.tone, '');
});

test('a failed apply or a blocked scale-out stands out; a whole-deployment decision, many nodes, bad fields', () => {
  const failed = decisionRow(decision({ action: 'APPLY_FAILED', rule: '', from: 3, to: 3, nodes: [] }), NOW, 'k');
  assert.equal(failed.tone, 'bad');
  assert.equal(cell(failed, 'action').tone, 'bad');
  assert.equal(cell(failed, 'rule').text, '—');
  assert.equal(cell(failed, 'rule').title, 'The whole deployment');
  assert.equal(cell(failed, 'nodes').text, '—');
  assert.equal(decisionRow(decision({ action: 'BLOCKED' }), NOW, 'k').tone, 'bad');
  const many = decisionRow(decision({ action: 'DRAIN', nodes: ['a', 'b', 'c', 'd', 'e'] }), NOW, 'k');
  assert.equal(cell(many, 'nodes').text, 'a, b, c +2 more');
  assert.equal(cell(many, 'nodes').title, 'a\nb\nc\nd\ne');
  const junk = decisionRow({ at: 'yesterday', from: '1', nodes: 'x' }, NOW, 'k');
  assert.deepEqual(texts(junk), { age: '—', group: '—', rule: '—', cloud: '—', action: 'unknown', count: '—', nodes: '—', reason: '—' });
  assert.equal(junk.attrs['data-action'], 'UNKNOWN');
  assert.equal(cell(decisionRow(decision({ at: iso(5000) }), NOW, 'k'), 'age').text, '0.0 s', 'clock skew reads as 0');
});

const deployment = (over = {}) => ({
  group: 'eu', cloud: 'local',
  nodes: [
    { id: 'eu-edge-1a2b3c4d', role: 'edge', region: 'eu-west', cloudRegion: 'eu-west', size: '', requestedAt: iso(-90000), readyAt: iso(-60000), address: '127.0.0.1' },
    { id: 'eu-edge-5e6f7a8b', role: 'edge', region: 'eu-west', cloudRegion: 'eu-west', size: '', requestedAt: iso(-10000), readyAt: null, address: null },
  ],
  removing: [], generation: 3, appliedGeneration: 3, status: 'APPLIED', message: 'applied generation 3', output: '',
  attempts: 1, lastApplyMs: 420, updatedAt: iso(-30000), appliedAt: iso(-30000), failedAt: null, ...over,
});

test('a deployment row: status, generation applied/desired, nodes ready/wanted, last apply, message', () => {
  const row = deploymentRow(deployment(), NOW);
  assert.equal(row.key, 'eu/local');
  assert.deepEqual(row.cells.map((c) => c.col), DEPLOYMENT_COLUMNS.map((c) => c.col));
  assert.deepEqual(row.attrs, { 'data-deployment': 'eu/local', 'data-status': 'APPLIED' });
  assert.deepEqual(texts(row), {
    group: 'eu', cloud: 'local', status: 'APPLIED', generation: '3/3', nodes: '1/2', lastApply: '420 ms', message: 'applied generation 3',
  });
  assert.equal(cell(row, 'status').tone, 'ok');
  assert.equal(cell(row, 'status').title, 'changed 30 s ago\nlast applied 30 s ago\n1 attempt');
  assert.equal(cell(row, 'generation').tone, '');
  assert.equal(cell(row, 'nodes').value, 2);
  assert.equal(cell(row, 'nodes').title, 'eu-edge-1a2b3c4d edge eu-west: in service at 127.0.0.1\neu-edge-5e6f7a8b edge eu-west: starting');
  assert.equal(cell(row, 'lastApply').value, 420);
  assert.equal(cell(row, 'message').kind, 'text');
  assert.equal(row.detail, undefined, 'nothing to expand without output');
});

test('a FAILED deployment carries its Terraform output as the row detail; behind and removing show', () => {
  const output = 'Error: creating instance\n\n  on main.tf line 12:\n  12: resource "x" "y" {\n\n';
  const row = deploymentRow(deployment({
    status: 'FAILED', generation: 5, appliedGeneration: 3, removing: ['eu-edge-old'], message: 'apply failed after 3 attempts',
    output, attempts: 3, failedAt: iso(-2000),
  }), NOW);
  assert.equal(cell(row, 'status').tone, 'bad');
  assert.equal(row.attrs['data-status'], 'FAILED');
  assert.equal(cell(row, 'generation').text, '3/5');
  assert.equal(cell(row, 'generation').tone, 'warn');
  assert.equal(cell(row, 'nodes').text, '1/2 −1');
  assert.match(cell(row, 'nodes').title, /removing: eu-edge-old$/);
  assert.deepEqual([cell(row, 'message').kind, cell(row, 'message').label], ['expander', 'output']);
  assert.equal(row.detail, 'Error: creating instance\n\n  on main.tf line 12:\n  12: resource "x" "y" {', 'trailing blank lines trimmed');
  const fresh = deploymentRow({ group: 'us', cloud: 'aws', nodes: [], removing: [], generation: 0, appliedGeneration: 0,
    status: 'APPLIED', message: '', output: '', attempts: 0, lastApplyMs: 0, appliedAt: null }, NOW);
  assert.deepEqual(texts(fresh), { group: 'us', cloud: 'aws', status: 'APPLIED', generation: '0/0', nodes: '0/0', lastApply: '—', message: '—' });
  assert.equal(deploymentRow({ group: 'g', cloud: 'c' }, NOW).attrs['data-status'], 'UNKNOWN');
});

const event = (over = {}) => ({
  id: 'ev_0123456789ab', name: 'final', group: 'eu', start: iso(300000), end: iso(300000 + 7200000),
  expectedPublishers: 2, expectedViewers: 5000, region: 'eu-west', timeZone: 'UTC', ...over,
});

test('a scheduled event: upcoming "in 5 min", then live, then ended; a repeating one past its first', () => {
  const row = eventRow(event(), NOW, UTC);
  assert.deepEqual(row.cells.map((c) => c.col), EVENT_COLUMNS.map((c) => c.col));
  assert.deepEqual(texts(row), {
    name: 'final', group: 'eu', start: '12:05', end: '14:05', when: 'in 5 min', viewers: '5,000', publishers: '2',
    region: 'eu-west', recurrence: '—',
  });
  assert.deepEqual(row.attrs, { 'data-event': 'ev_0123456789ab', 'data-phase': 'upcoming' });
  assert.equal(cell(row, 'when').tone, 'info');
  assert.equal(cell(row, 'start').value, NOW + 300000);
  const live = eventRow(event({ start: iso(-60000) }), NOW, UTC);
  assert.deepEqual([cell(live, 'when').text, cell(live, 'when').tone, live.attrs['data-phase']], ['live', 'live', 'live']);
  assert.equal(eventPhase(event({ start: iso(-60000) }), NOW).title, 'ends in 2h 05m');
  const ended = eventRow(event({ start: iso(-7200000), end: iso(-60000) }), NOW, UTC);
  assert.deepEqual([cell(ended, 'when').text, ended.tone, ended.attrs['data-phase']], ['ended', 'off', 'ended']);
  assert.equal(cell(ended, 'when').title, 'ended 1m 00s ago');
  const weekly = eventRow(event({ start: iso(-86400000 * 3), end: iso(-86400000 * 3 + 3600000), recurrence: '0 20 * * 5',
    timeZone: 'Europe/Paris', region: undefined, expectedPublishers: undefined }), NOW, UTC);
  assert.deepEqual([cell(weekly, 'when').text, weekly.attrs['data-phase'], weekly.tone], ['repeats', 'recurring', '']);
  assert.equal(cell(weekly, 'recurrence').text, '0 20 * * 5 Europe/Paris');
  assert.equal(cell(weekly, 'start').text, 'Wed 18 Nov 12:00');
  assert.equal(cell(weekly, 'region').text, 'all');
  assert.equal(cell(weekly, 'publishers').text, '—');
  assert.equal(eventPhase({ start: 'x', end: iso(1) }, NOW).phase, 'unknown');
});

test('a cloud: failing until when, its slowest boot', () => {
  const failing = cloudRow({ cloud: 'aws', failingUntil: iso(245000), lastError: 'InsufficientInstanceCapacity', bootMillis: [1200, 95000, 1500] }, NOW, UTC);
  assert.deepEqual(failing.cells.map((c) => c.col), CLOUD_COLUMNS.map((c) => c.col));
  assert.deepEqual(texts(failing), {
    cloud: 'aws', health: 'failing', failingUntil: '12:04 (in 5 min)', slowestBoot: '1m 35s', boots: '3', lastError: 'InsufficientInstanceCapacity',
  });
  assert.deepEqual(failing.attrs, { 'data-cloud': 'aws', 'data-failing': 'true' });
  assert.equal(cell(failing, 'health').tone, 'bad');
  assert.equal(cell(failing, 'slowestBoot').value, 95000);
  assert.equal(cell(failing, 'slowestBoot').title, 'recent boots: 1.2 s, 1m 35s, 1.5 s');
  const recovered = cloudRow({ cloud: 'local', failingUntil: iso(-1000), lastError: 'old', bootMillis: [] }, NOW, UTC);
  assert.deepEqual(texts(recovered), { cloud: 'local', health: 'ok', failingUntil: '—', slowestBoot: '—', boots: '0', lastError: 'old' });
  assert.equal(recovered.attrs['data-failing'], 'false');
  assert.equal(cloudRow({ cloud: 'gcp', failingUntil: null }, NOW).attrs['data-failing'], 'false');
});

test('the autoscaling view: null without `autoscaling`, keyed rows, at most 50 decisions, chips', () => {
  assert.equal(autoscalingView(undefined, NOW), null, 'an older stream manager: no panel');
  assert.equal(autoscalingView(null, NOW), null);
  assert.equal(autoscalingView([], NOW), null);
  const empty = autoscalingView({}, NOW);
  assert.deepEqual([empty.decisions, empty.deployments, empty.events, empty.clouds], [[], [], [], []]);
  assert.deepEqual(empty.summary, { deployments: 0, nodes: 0, chips: [] });

  const decisions = Array.from({ length: 60 }, (_, i) => decision({ at: iso(-i * 1000), to: i }));
  decisions.splice(1, 0, decision({ at: iso(-1000), to: 1 }), null);   // a repeat of decisions[1] and junk
  const v = autoscalingView({
    decisions,
    deployments: [deployment({ group: 'us', cloud: 'aws', status: 'FAILED', output: 'boom' }), deployment(),
      deployment({ status: 'PENDING' }), deployment({ group: 'ap', cloud: 'gcp', status: 'APPLYING' }), { cloud: 'x' }],
    scheduledEvents: [event({ start: iso(-1000) }), event({ id: 'ev_2', start: iso(60000) }), { name: 'no id' }],
    clouds: [{ cloud: 'local', bootMillis: [900] }, { cloud: 'aws', failingUntil: iso(60000), bootMillis: [] }, 'junk'],
  }, NOW, UTC);
  assert.equal(v.decisions.length, 50);
  assert.equal(new Set(v.decisions.map((r) => r.key)).size, 50, 'the same decision twice gets two keys');
  assert.equal(v.decisions[2].key, `${v.decisions[1].key}#2`);
  assert.deepEqual(v.decisions.slice(0, 3).map((r) => cell(r, 'count').text), ['1 → 0', '1 → 1', '1 → 1'], 'newest first, as sent');
  assert.deepEqual(v.deployments.map((r) => [r.key, r.attrs['data-status']]), [['ap/gcp', 'APPLYING'], ['eu/local', 'APPLIED'], ['us/aws', 'FAILED']],
    'sorted by group/cloud, a repeated key keeps the first, no key no row');
  assert.equal(v.deployments[2].detail, 'boom');
  assert.deepEqual(v.events.map((r) => [r.key, r.attrs['data-phase']]), [['ev_0123456789ab', 'live'], ['ev_2', 'upcoming']]);
  assert.deepEqual(v.clouds.map((r) => r.key), ['aws', 'local']);
  assert.deepEqual(v.summary.deployments, 3);
  assert.deepEqual(v.summary.nodes, 6);
  assert.deepEqual(v.summary.chips.map((c) => [c.id, c.count, c.tone]),
    [['failed', 1, 'bad'], ['applying', 1, 'info'], ['failing-clouds', 1, 'bad'], ['live-events', 1, 'live']]);
  const blocked = autoscalingView({ decisions: [decision({ action: 'BLOCKED' }), decision({ action: 'APPLY_FAILED' })] }, NOW);
  assert.deepEqual(blocked.summary.chips.map((c) => [c.id, c.count]), [['blocked', 2]]);
});
