// Capture-time stamps carried in H.264 SEI, for glass-to-glass latency.
//
// A stamped access unit carries one SEI NAL unit (ITU-T H.264 7.3.2.3) holding one
// user_data_unregistered message (payloadType 5, D.2.7 / D.3.7):
//
//   NAL header   0x06                    forbidden_zero_bit 0, nal_ref_idc 0, nal_unit_type 6
//   payloadType  0x05                    user_data_unregistered
//   payloadSize  0x18                    24 bytes follow
//   uuid         6b1f1a6e-2c5a-4d7b-9a3e-5f0c8d2e4a11   (16 bytes)
//   captureMs    uint64, big-endian       ms since the Unix epoch when the frame was captured
//   trailing     0x80                    rbsp_trailing_bits
//
// Emulation prevention (7.4.1): inside a NAL unit every 0x00 0x00 followed by 0x00..0x03 is
// written as 0x00 0x00 0x03 0x0X, so a timestamp with zero bytes in it (all of them: the top
// two bytes of a 2020s epoch-ms value are 0x00 0x00) arrives escaped and must be unescaped
// before it is read.
//
// Pure functions over Uint8Array: used by sei-worker.js in the browser and by
// clients/test/sei.test.mjs under plain Node.

export const CAPTURE_TIME_UUID = Uint8Array.from([
  0x6b, 0x1f, 0x1a, 0x6e, 0x2c, 0x5a, 0x4d, 0x7b, 0x9a, 0x3e, 0x5f, 0x0c, 0x8d, 0x2e, 0x4a, 0x11,
]);

const NAL_SEI = 6;
const SEI_USER_DATA_UNREGISTERED = 5;

/**
 * Splits an Annex B byte stream (start codes 00 00 01 or 00 00 00 01) into NAL units.
 * Returns [{start, end}] offsets of each NAL unit without its start code. Trailing zero
 * bytes before the next start code (trailing_zero_8bits) are not part of the unit.
 */
export function annexBNalUnits(data) {
  const units = [];
  const n = data.length;
  let i = 0;
  let nalStart = -1;
  while (i + 2 < n) {
    if (data[i + 2] > 1) { i += 3; continue; }              // fast skip: no start code ends here
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (nalStart >= 0) units.push({ start: nalStart, end: trimZeros(data, nalStart, i) });
      nalStart = i + 3;
      i += 3;
    } else {
      i += 1;
    }
  }
  if (nalStart >= 0 && nalStart < n) units.push({ start: nalStart, end: trimZeros(data, nalStart, n) });
  return units;
}

function trimZeros(data, start, end) {
  while (end > start && data[end - 1] === 0) end--;
  return end;
}

/**
 * Splits a length-prefixed (AVCC, 4-byte big-endian length) buffer into NAL units, or
 * returns null when the lengths do not tile the buffer exactly.
 */
export function avccNalUnits(data) {
  const units = [];
  let i = 0;
  while (i + 4 <= data.length) {
    const len = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
    if (len === 0 || i + 4 + len > data.length) return null;
    units.push({ start: i + 4, end: i + 4 + len });
    i += 4 + len;
  }
  return i === data.length && units.length > 0 ? units : null;
}

function nalUnits(data) {
  const annexB = data.length >= 3 && data[0] === 0 && data[1] === 0 &&
    (data[2] === 1 || (data[2] === 0 && data.length >= 4 && data[3] === 1));
  return annexB ? annexBNalUnits(data) : (avccNalUnits(data) ?? annexBNalUnits(data));
}

/** Removes emulation-prevention bytes: 00 00 03 -> 00 00 (H.264 7.4.1). */
export function unescapeRbsp(nal) {
  let out = null;
  let o = 0;
  let zeros = 0;
  for (let i = 0; i < nal.length; i++) {
    const b = nal[i];
    if (zeros >= 2 && b === 3) {
      if (out === null) { out = new Uint8Array(nal.length); out.set(nal.subarray(0, i)); o = i; }
      zeros = 0;
      continue;                                              // drop the 0x03
    }
    zeros = b === 0 ? zeros + 1 : 0;
    if (out !== null) out[o++] = b;
  }
  return out === null ? nal : out.subarray(0, o);
}

/** Inserts emulation-prevention bytes so no 00 00 0x (x <= 3) appears in the NAL payload. */
export function escapeRbsp(rbsp) {
  const out = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) { out.push(3); zeros = 0; }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

/**
 * Reads the capture time from one SEI NAL unit (header byte included, still escaped).
 * Returns ms since the epoch, or null when it holds no capture-time message.
 */
export function captureTimeFromSeiNal(nal) {
  if (nal.length < 2 || (nal[0] & 0x1f) !== NAL_SEI) return null;
  const rbsp = unescapeRbsp(nal.subarray(1));
  let i = 0;
  // sei_message() loop; stops at rbsp_trailing_bits (0x80) or the end.
  while (i < rbsp.length && !(rbsp[i] === 0x80 && i === rbsp.length - 1)) {
    let type = 0;
    while (i < rbsp.length && rbsp[i] === 0xff) { type += 255; i++; }
    if (i >= rbsp.length) return null;
    type += rbsp[i++];
    let size = 0;
    while (i < rbsp.length && rbsp[i] === 0xff) { size += 255; i++; }
    if (i >= rbsp.length) return null;
    size += rbsp[i++];
    if (i + size > rbsp.length) return null;                 // truncated message
    if (type === SEI_USER_DATA_UNREGISTERED && size >= 24 && uuidAt(rbsp, i)) {
      const p = i + 16;
      const hi = ((rbsp[p] << 24) | (rbsp[p + 1] << 16) | (rbsp[p + 2] << 8) | rbsp[p + 3]) >>> 0;
      const lo = ((rbsp[p + 4] << 24) | (rbsp[p + 5] << 16) | (rbsp[p + 6] << 8) | rbsp[p + 7]) >>> 0;
      return hi * 0x1_0000_0000 + lo;                        // exact below 2^53 ms (year 285616)
    }
    i += size;
  }
  return null;
}

function uuidAt(buf, at) {
  for (let k = 0; k < 16; k++) if (buf[at + k] !== CAPTURE_TIME_UUID[k]) return false;
  return true;
}

/**
 * Finds the capture time in one encoded H.264 access unit (Annex B as Chromium hands it
 * to encoded transforms; 4-byte length-prefixed AVCC is accepted too). Only NAL units
 * before the first coded slice are looked at: an SEI must precede the slices of its access
 * unit (7.4.1.2.3), and this keeps the scan off the (large) slice data.
 * Returns ms since the epoch, or null.
 */
export function findCaptureTime(frame) {
  const data = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  for (const { start, end } of nalUnits(data)) {
    const type = data[start] & 0x1f;
    if (type >= 1 && type <= 5) break;                       // first VCL NAL unit: no SEI after it
    if (type === NAL_SEI) {
      const t = captureTimeFromSeiNal(data.subarray(start, end));
      if (t !== null) return t;
    }
  }
  return null;
}

/** Builds the escaped SEI NAL unit (header byte included, no start code) stamping captureMs. */
export function buildCaptureTimeSei(captureMs) {
  const rbsp = new Uint8Array(2 + 24 + 1);
  rbsp[0] = SEI_USER_DATA_UNREGISTERED;
  rbsp[1] = 24;
  rbsp.set(CAPTURE_TIME_UUID, 2);
  const hi = Math.floor(captureMs / 0x1_0000_0000);
  const lo = captureMs >>> 0;
  const v = new DataView(rbsp.buffer);
  v.setUint32(18, hi);
  v.setUint32(22, lo);
  rbsp[26] = 0x80;
  const escaped = escapeRbsp(rbsp);
  const nal = new Uint8Array(1 + escaped.length);
  nal[0] = NAL_SEI;
  nal.set(escaped, 1);
  return nal;
}

/**
 * Returns a copy of an Annex B access unit with a capture-time SEI inserted before its first
 * coded slice (after any AUD/SPS/PPS), or null when it has no slice to stamp.
 */
export function insertCaptureTimeSei(frame, captureMs) {
  const data = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  let at = -1;
  for (const { start } of annexBNalUnits(data)) {
    const type = data[start] & 0x1f;
    if (type >= 1 && type <= 5) {
      at = start;
      // back up over the start code (3 or 4 bytes)
      at -= 3;
      if (at > 0 && data[at - 1] === 0) at -= 1;
      break;
    }
  }
  if (at < 0) return null;
  const sei = buildCaptureTimeSei(captureMs);
  const out = new Uint8Array(data.length + 4 + sei.length);
  out.set(data.subarray(0, at), 0);
  out.set([0, 0, 0, 1], at);
  out.set(sei, at + 4);
  out.set(data.subarray(at), at + 4 + sei.length);
  return out;
}
