// Unit tests for what watch.mjs records of the player's ABR variant (clients/test/lib/variants.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolutionsSeen, sampleVariant, variantsSeen } from '../lib/variants.mjs';

const v = (level, extra = {}) => ({ level, levels: 3, width: 640, height: 360, bitrateKbps: 400, reason: 'down_remb', rembKbps: 780, switches: 1, ...extra });

test('a sample has the player\'s variant with every field, or null', () => {
  assert.deepEqual(sampleVariant(v(3)), v(3));
  assert.deepEqual(sampleVariant({ level: 0, reason: 'fallback_source', extra: 1 }), {
    level: 0, levels: null, width: null, height: null, bitrateKbps: null, reason: 'fallback_source', rembKbps: null, switches: null,
  });
  assert.equal(sampleVariant(null), null);
  assert.equal(sampleVariant(undefined), null);
  assert.equal(sampleVariant({ level: '3' }), null);
});

test('variantsSeen: the distinct levels in order of first appearance, the log first', () => {
  const log = [{ t: 1, ...v(1) }, { t: 2, ...v(2) }, { t: 3, ...v(3) }, { t: 4, ...v(2) }, { t: 5, ...v(1) }];
  assert.deepEqual(variantsSeen(log, [{ variant: v(1) }]), [1, 2, 3]);
  assert.deepEqual(variantsSeen([], [{ variant: null }, { variant: v(1) }, { variant: v(3) }, { variant: v(1) }, {}]), [1, 3],
    'no log: from the samples');
  assert.deepEqual(variantsSeen([{ t: 9, ...v(3) }], [{ variant: v(2) }, { variant: v(3) }]), [3, 2], 'a log that lost its start');
  assert.deepEqual(variantsSeen([{ t: 1, ...v(0, { reason: 'fallback_source' }) }, { t: 2, ...v(1, { reason: 'ladder_back' }) }]), [0, 1]);
  assert.deepEqual(variantsSeen(), []);
  assert.deepEqual(variantsSeen(null, null), []);
  assert.deepEqual(variantsSeen([{ level: 'x' }, null], [null, { variant: { level: -0.5 } }]), []);
});

test('resolutionsSeen: the decoded sizes in order of first appearance', () => {
  const s = (w, h) => ({ frameWidth: w, frameHeight: h });
  assert.deepEqual(resolutionsSeen([s(null, null), s(1280, 720), s(1280, 720), s(640, 360), s(1280, 720), s(0, 0)]), ['1280x720', '640x360']);
  assert.deepEqual(resolutionsSeen([]), []);
});
