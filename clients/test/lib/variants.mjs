// What watch.mjs records of the player's ABR variant (the edge's `variant` events; clients/README.md).
// Pure functions, unit-tested in unit/variants.test.mjs.

/**
 * A sample's variant: the player's current one (window.cascadeStats.variant) as
 * `{level, levels, width, height, bitrateKbps, reason, rembKbps, switches}`, every field present
 * (null when unknown); null when the player has none.
 */
export function sampleVariant(v) {
  if (!v || typeof v !== 'object' || !Number.isInteger(v.level)) return null;
  const or = (x) => (x === undefined ? null : x);
  return {
    level: v.level, levels: or(v.levels), width: or(v.width), height: or(v.height), bitrateKbps: or(v.bitrateKbps),
    reason: or(v.reason), rembKbps: or(v.rembKbps), switches: or(v.switches),
  };
}

/**
 * The distinct levels in the order they first appeared: from the player's variant log (every
 * variant shown since the page loaded, warmup included; oldest first) and then the samples'
 * variants (which only add levels the log no longer holds, it keeps the last 50).
 */
export function variantsSeen(log = [], samples = []) {
  const seen = [];
  const add = (v) => { if (v && Number.isInteger(v.level) && !seen.includes(v.level)) seen.push(v.level); };
  for (const e of log ?? []) add(e);
  for (const s of samples ?? []) add(s && s.variant);
  return seen;
}

/** The distinct `WxH` of the decoded video in the samples (frameWidth/frameHeight), in order of appearance. */
export function resolutionsSeen(samples = []) {
  const seen = [];
  for (const s of samples ?? []) {
    if (!s || !(s.frameWidth > 0) || !(s.frameHeight > 0)) continue;
    const r = `${s.frameWidth}x${s.frameHeight}`;
    if (!seen.includes(r)) seen.push(r);
  }
  return seen;
}
