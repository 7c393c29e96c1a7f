// Unit tests for the browser-free helpers of clients/web. Plain Node: `node --test clients/test/unit/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preferH264, preferOpus, videoCodecRank } from '../../web/codecs.js';
import { backoffMs, describeFailure, endpointFromPath } from '../../web/webrtc-http.js';
import { percentile } from '../../web/stats.js';

const c = (mimeType, sdpFmtpLine) => ({ mimeType, clockRate: 90000, ...(sdpFmtpLine ? { sdpFmtpLine } : {}) });

test('H.264 packetization-mode=1 goes first, 42e01f before other profiles; the rest keep their order', () => {
  // Chromium 156's RTCRtpSender.getCapabilities('video') order
  const caps = [
    c('video/VP8'), c('video/rtx'),
    c('video/H264', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f'),
    c('video/H264', 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f'),
    c('video/H264', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f'),
    c('video/H264', 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f'),
    c('video/H264', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f'),
    c('video/AV1', 'level-idx=5;profile=0;tier=0'), c('video/VP9', 'profile-id=0'), c('video/red'), c('video/ulpfec'),
  ];
  const order = preferH264(caps).map((x) => `${x.mimeType.slice(6)} ${(/packetization-mode=(\d)/.exec(x.sdpFmtpLine || '') || [])[1] ?? ''}${(/profile-level-id=(\w+)/.exec(x.sdpFmtpLine || '') || [])[1] ?? ''}`.trim());
  assert.deepEqual(order, [
    'H264 142e01f', 'H264 142001f', 'H264 14d001f', 'VP8', 'AV1', 'VP9', 'rtx', 'red', 'ulpfec', 'H264 042001f', 'H264 042e01f',
  ]);
  assert.equal(preferH264(caps).length, caps.length, 'nothing dropped');
  assert.equal(videoCodecRank(c('video/h264', 'packetization-mode=1;profile-level-id=42E01F')), 0, 'case-insensitive');
});

test('Opus first', () => {
  const caps = [{ mimeType: 'audio/red' }, { mimeType: 'audio/PCMU' }, { mimeType: 'audio/opus' }];
  assert.deepEqual(preferOpus(caps).map((x) => x.mimeType), ['audio/opus', 'audio/red', 'audio/PCMU']);
});

test('the WHEP/WHIP endpoint comes from the page path', () => {
  assert.equal(endpointFromPath('/watch/live/test', 'watch', 'whep'), '/whep/live/test');
  assert.equal(endpointFromPath('/watch/live/test/', 'watch', 'whep'), '/whep/live/test');
  assert.equal(endpointFromPath('/publish/live/match1_1', 'publish', 'whip'), '/whip/live/match1_1');
  assert.equal(endpointFromPath('/eu/edge7/watch/live/test', 'watch', 'whep'), '/eu/edge7/whep/live/test', 'keeps a proxy prefix');
  assert.equal(endpointFromPath('/web/player.html', 'watch', 'whep'), null);
  assert.equal(endpointFromPath('/watch/live', 'watch', 'whep'), null);
});

test('failures read the problem+json detail', async () => {
  const problem = new Response(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'stream live/x is not published' }),
    { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/problem+json' } });
  const e = await describeFailure(problem);
  assert.equal(e.message, 'HTTP 404 Not Found: stream live/x is not published');
  assert.equal(e.status, 404);
  assert.equal(e.problem.detail, 'stream live/x is not published');
  const titleOnly = await describeFailure(new Response('{"title":"Too Many Requests"}', { status: 429, headers: { 'Content-Type': 'application/problem+json' } }));
  assert.equal(titleOnly.message, 'HTTP 429: Too Many Requests');
  const text = await describeFailure(new Response('upstream timed out', { status: 502, statusText: 'Bad Gateway' }));
  assert.equal(text.message, 'HTTP 502 Bad Gateway: upstream timed out');
  const empty = await describeFailure(new Response(null, { status: 500, statusText: 'Internal Server Error' }));
  assert.equal(empty.message, 'HTTP 500 Internal Server Error');
});

test('backoff doubles to a 10 s ceiling, with +-20% jitter', () => {
  for (const [n, base] of [[0, 1000], [1, 2000], [2, 4000], [3, 8000], [4, 10000], [50, 10000]]) {
    for (let k = 0; k < 50; k++) {
      const d = backoffMs(n);
      assert.ok(d >= base * 0.8 && d <= base * 1.2, `attempt ${n}: ${d}`);
    }
  }
});

test('percentile is nearest-rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 95), 95);
  assert.equal(percentile([7], 95), 7);
  assert.equal(percentile([], 50), null);
});
