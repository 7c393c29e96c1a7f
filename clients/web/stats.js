// Helpers shared by the player and publish pages: small numeric summaries and formatting.

/** p-th percentile (0..100) of an array of numbers, nearest-rank on a sorted copy; null if empty. */
export function percentile(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

/** Rounds to `digits` decimals; passes null/undefined/NaN through as null. */
export function round(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** `value unit`, or an em dash when there is no value. */
export function fmt(v, unit = '', digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return '\u2014';
  const n = typeof v === 'number' ? round(v, digits).toLocaleString('en-US', { maximumFractionDigits: digits }) : String(v);
  return unit ? `${n} ${unit}` : n;
}

/** kbit/s between two byte counters sampled at two report timestamps (ms). */
export function kbps(bytesNow, bytesBefore, tsNow, tsBefore) {
  if (bytesBefore === undefined || tsNow <= tsBefore) return null;
  return ((bytesNow - bytesBefore) * 8) / (tsNow - tsBefore);  // bits per ms == kbit/s
}

/** Looks up the codec report an RTP stream report refers to: "H264 (42e01f)", "opus". */
export function codecName(report, byId) {
  const c = report && report.codecId ? byId.get(report.codecId) : null;
  if (!c) return null;
  const name = c.mimeType ? c.mimeType.split('/')[1] : '?';
  const profile = /profile-level-id=([0-9a-fA-F]{6})/.exec(c.sdpFmtpLine || '');
  return profile ? `${name} ${profile[1].toLowerCase()}` : name;
}
