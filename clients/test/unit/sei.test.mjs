// Unit tests for the capture-time SEI parser (clients/web/sei.js). Plain Node: `node --test clients/test/unit/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CAPTURE_TIME_UUID, annexBNalUnits, avccNalUnits, buildCaptureTimeSei, captureTimeFromSeiNal,
  escapeRbsp, findCaptureTime, insertCaptureTimeSei, unescapeRbsp,
} from '../../web/sei.js';

// Hex bytes; on each line, text after '|' is a comment.
const hex = (s) => Uint8Array.from(
  s.split('\n').map((l) => l.split('|')[0]).join('').replace(/\s+/g, '').match(/../g).map((b) => parseInt(b, 16)));
const UUID = '6b1f1a6e 2c5a4d7b 9a3e5f0c 8d2e4a11';

// 0x0000_0100_0000_0003 ms: 00 00 01 00 00 00 00 03 needs three emulation-prevention bytes
// (00 00 01 -> 00 00 03 01, 00 00 00 -> 00 00 03 00, 00 00 03 -> 00 00 03 03).
const T_ESCAPED = 0x0000_0100_0000_0003;
// 1700000000000 ms = 0x0000_018B_CFE5_6800 (2023-11-14): one EPB, the usual case today.
const T_2023 = 1700000000000;

// A whole access unit, written out byte by byte:
const FRAME = hex(`
  00 00 00 01  09 f0                                   | AUD
  00 00 00 01  67 42 e0 1f da 02 80 bf e5 c0 44 00 00 03 00 04 00 00 03 00 f2 3c 60 c9 20   | SPS, with its own EPBs
  00 00 00 01  68 ce 3c 80                             | PPS
  00 00 01     06                                      | SEI NAL header, 3-byte start code
               06 01 c4                                | recovery_point message, 1 byte
               05 18 ${UUID}                           | user_data_unregistered, 24 bytes
               00 00 03 01 00 00 03 00 00 03 03        | uint64 BE 0x0000010000000003, escaped
               80                                      | rbsp_trailing_bits
  00 00 00 01  65 88 84 00 33 ff 00 00 01 06 05 18     | IDR slice, whose data looks like a SEI
`);

test('finds the capture time in a hand-built access unit with emulation prevention', () => {
  assert.equal(findCaptureTime(FRAME), T_ESCAPED);
  assert.equal(findCaptureTime(FRAME.buffer), T_ESCAPED, 'accepts an ArrayBuffer (RTCEncodedVideoFrame.data)');
});

test('reads the common case: a 2023 timestamp with one emulation-prevention byte', () => {
  const frame = hex(`00 00 00 01 06 05 18 ${UUID} 00 00 03 01 8b cf e5 68 00 80  00 00 01 41 9a 00 11`);
  assert.equal(findCaptureTime(frame), T_2023);
});

test('the fixture really needs emulation-prevention removal', () => {
  const sei = annexBNalUnits(FRAME).map((u) => FRAME.subarray(u.start, u.end)).find((n) => (n[0] & 0x1f) === 6);
  assert.equal(sei.length, 1 + 3 + 2 + 16 + 11 + 1);                 // 3 EPBs in the timestamp
  assert.equal(unescapeRbsp(sei).length, sei.length - 3);
  // read naively (escaped bytes), the 8 bytes after the UUID are 00 00 03 01 00 00 03 00
  const naive = new DataView(sei.buffer, sei.byteOffset + 1 + 3 + 2 + 16, 8).getBigUint64(0);
  assert.notEqual(Number(naive), T_ESCAPED);
});

test('ignores SEI after the first slice, other UUIDs, and frames without SEI', () => {
  const after = hex(`00 00 00 01 65 88 80 10  00 00 00 01 06 05 18 ${UUID} 00 00 03 01 8b cf e5 68 00 80`);
  assert.equal(findCaptureTime(after), null);
  const otherUuid = hex(`00 00 00 01 06 05 18 ${UUID.replace('4a11', '4a12')} 00 00 03 01 8b cf e5 68 00 80 00 00 01 65 88`);
  assert.equal(findCaptureTime(otherUuid), null);
  assert.equal(findCaptureTime(hex('00 00 00 01 41 9a 26 4c 0d')), null);
  assert.equal(findCaptureTime(new Uint8Array(0)), null);
});

test('finds the stamp after a large preceding SEI message (0xff-coded payloadSize)', () => {
  const filler = new Uint8Array(300).fill(0x55);
  const rbsp = Uint8Array.from([
    0x05, 0xff, 300 - 255, ...filler,                       // type 5, size 0xff + 45 = 300
    0x05, 0x18, ...CAPTURE_TIME_UUID, 0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, 0x80,
  ]);
  const nal = Uint8Array.from([0x06, ...escapeRbsp(rbsp)]);
  assert.equal(captureTimeFromSeiNal(nal), T_2023);
});

test('truncated or malformed SEI returns null, never throws', () => {
  const full = hex(`06 05 18 ${UUID} 00 00 03 01 8b cf e5 68 00 80`);
  for (let n = 0; n < full.length - 1; n++) {
    assert.equal(captureTimeFromSeiNal(full.subarray(0, n)), null, `cut to ${n} bytes`);
  }
  assert.equal(captureTimeFromSeiNal(full.subarray(0, full.length - 1)), T_2023, 'only the trailing bits missing');
  assert.equal(captureTimeFromSeiNal(full), T_2023);
  assert.equal(captureTimeFromSeiNal(hex('06 ff ff ff')), null);
  assert.equal(captureTimeFromSeiNal(hex('67 42 00 1f')), null, 'not an SEI NAL unit');
});

test('accepts length-prefixed (AVCC) access units too', () => {
  const sei = buildCaptureTimeSei(T_2023);
  const slice = hex('65 88 84 00 ff');
  const len = (n) => [0, 0, 0, n];
  const avcc = Uint8Array.from([...len(sei.length), ...sei, ...len(slice.length), ...slice]);
  assert.deepEqual(avccNalUnits(avcc).map((u) => avcc[u.start] & 0x1f), [6, 5]);
  assert.equal(findCaptureTime(avcc), T_2023);
});

test('splits Annex B with 3- and 4-byte start codes and trailing zeros', () => {
  const units = annexBNalUnits(hex('00 00 00 01 09 f0 00 00 01 67 42 00 00 00 00 01 65 88'));
  assert.deepEqual(units.map((u) => u.end - u.start), [2, 2, 2]);
});

test('escape/unescape round-trips and leaves no start-code emulation', () => {
  const rbsp = hex('00 00 00 00 01 00 00 02 00 00 03 00 00 ff 00 00');
  const esc = escapeRbsp(rbsp);
  for (let i = 0; i + 2 < esc.length; i++) {
    assert.ok(!(esc[i] === 0 && esc[i + 1] === 0 && esc[i + 2] <= 2), `emulated start code at ${i}`);
  }
  assert.deepEqual(unescapeRbsp(esc), rbsp);
});

test('the writer and the reader agree, and insertion leaves the rest of the frame intact', () => {
  for (const t of [0, 1, 255, 65536, T_2023, T_ESCAPED, Date.now(), 2 ** 53 - 1]) {
    const au = hex('00 00 00 01 09 f0 00 00 00 01 67 42 e0 1f 00 00 00 01 68 ce 3c 80 00 00 00 01 65 88 84 00 ff');
    const stamped = insertCaptureTimeSei(au, t);
    assert.equal(findCaptureTime(stamped), t, `t=${t}`);
    const types = annexBNalUnits(stamped).map((u) => stamped[u.start] & 0x1f);
    assert.deepEqual(types, [9, 7, 8, 6, 5]);
    const withoutSei = annexBNalUnits(stamped).filter((u) => (stamped[u.start] & 0x1f) !== 6);
    assert.deepEqual(withoutSei.map((u) => [...stamped.subarray(u.start, u.end)]),
      annexBNalUnits(au).map((u) => [...au.subarray(u.start, u.end)]));
  }
  assert.equal(insertCaptureTimeSei(hex('00 00 00 01 67 42'), 1), null, 'no slice to stamp');
});

test('arbitrary bytes never throw', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let k = 0; k < 2000; k++) {
    const buf = new Uint8Array(1 + (k % 97));
    for (let i = 0; i < buf.length; i++) buf[i] = k % 3 === 0 ? [0, 0, 1, 3, 6, 5, 0xff][rnd() % 7] : rnd();
    findCaptureTime(buf);
  }
});
