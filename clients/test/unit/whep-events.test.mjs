// Unit tests for the WHEP server-sent events helpers (clients/web/whep-events.js). Plain Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVENTS_REL, VARIANT_REASONS, candidateReady, eventTypesToAsk, eventsEntry, formatVariant, gapInFrames, moveRetryMs,
  parseLinkHeader, parseVariant, reconnectTarget, viewerCount,
} from '../../web/whep-events.js';

const LINK = '</whep/live/x/abc/sse>; rel="urn:ietf:params:whep:ext:core:server-sent-events"; events="reconnect,viewercount"';

test('the Link header yields every rel with its target and parameters', () => {
  const links = parseLinkHeader(`<stun:stun.example.net>; rel="ice-server", ${LINK}, <https://e.example/l>; rel=urn:ietf:params:whep:ext:core:layer`);
  assert.deepEqual(links.get('ice-server'), { url: 'stun:stun.example.net', params: { rel: 'ice-server' } });
  assert.equal(links.get(EVENTS_REL).url, '/whep/live/x/abc/sse');
  assert.equal(links.get(EVENTS_REL).params.events, 'reconnect,viewercount');
  assert.equal(links.get('urn:ietf:params:whep:ext:core:layer').url, 'https://e.example/l');
  assert.equal(parseLinkHeader(null).size, 0);
  assert.equal(parseLinkHeader('garbage').size, 0);
  const two = parseLinkHeader('<a>; rel="x y"');
  assert.equal(two.get('x').url, 'a');
  assert.equal(two.get('y').url, 'a');
});

test('the events entry point is resolved against the WHEP endpoint; the types asked are ours among those announced', () => {
  assert.equal(eventsEntry(LINK, 'http://10.0.0.5:8180/whep/live/x'), 'http://10.0.0.5:8180/whep/live/x/abc/sse');
  assert.equal(eventsEntry('<https://x.example/e>; rel="ice-server"', 'http://a/'), null);
  assert.equal(eventsEntry(null, 'http://a/'), null);
  assert.deepEqual(eventTypesToAsk(LINK), ['reconnect', 'viewercount']);
  assert.deepEqual(eventTypesToAsk(`</e>; rel="${EVENTS_REL}"; events="layers,reconnect"`), ['reconnect']);
  assert.deepEqual(eventTypesToAsk(`</e>; rel="${EVENTS_REL}"`), ['reconnect', 'viewercount'], 'no list: ask for ours');
  assert.deepEqual(eventTypesToAsk(`</e>; rel="${EVENTS_REL}"; events="layers"`), []);
});

test('variant is asked for whether announced or not, once', () => {
  const ask = (link) => eventTypesToAsk(link, ['reconnect', 'viewercount'], ['variant']);
  assert.deepEqual(ask(LINK), ['reconnect', 'viewercount', 'variant'], 'an edge without a ladder does not announce it');
  assert.deepEqual(ask(`</e>; rel="${EVENTS_REL}"; events="reconnect,viewercount,variant"`), ['reconnect', 'viewercount', 'variant']);
  assert.deepEqual(ask(`</e>; rel="${EVENTS_REL}"`), ['reconnect', 'viewercount', 'variant']);
  assert.deepEqual(eventTypesToAsk(`</e>; rel="${EVENTS_REL}"; events="variant"`, ['reconnect', 'variant'], ['variant']),
    ['variant'], 'not twice');
});

const VARIANT = '{"level":3,"levels":3,"width":640,"height":360,"bitrateKbps":400,"reason":"down_remb","rembKbps":780,"switches":4}';

test('a variant event is read field by field', () => {
  assert.deepEqual(parseVariant(VARIANT), {
    level: 3, levels: 3, width: 640, height: 360, bitrateKbps: 400, reason: 'down_remb', rembKbps: 780, switches: 4,
  });
  for (const reason of VARIANT_REASONS) assert.equal(parseVariant(`{"level":1,"reason":"${reason}"}`).reason, reason);
  assert.equal(parseVariant('{"level":1,"reason":"new_reason_2"}').reason, 'new_reason_2', 'a newer edge\'s reason is kept');
  assert.deepEqual(parseVariant('{"level":1}'), {
    level: 1, levels: null, width: null, height: null, bitrateKbps: null, reason: null, rembKbps: null, switches: null,
  }, 'only level is needed');
  assert.deepEqual(parseVariant('{"level":1,"levels":3,"width":1280,"height":720,"bitrateKbps":2500,"reason":"start","extra":{"x":1}}'),
    { level: 1, levels: 3, width: 1280, height: 720, bitrateKbps: 2500, reason: 'start', rembKbps: null, switches: null },
    'unknown fields are ignored');
});

test('the source (fallback_source) is level 0 with its size and bitrate unknown', () => {
  const v = parseVariant('{"level":0,"levels":3,"width":0,"height":0,"bitrateKbps":0,"reason":"fallback_source","rembKbps":0,"switches":5}');
  assert.deepEqual(v, {
    level: 0, levels: 3, width: null, height: null, bitrateKbps: null, reason: 'fallback_source', rembKbps: 0, switches: 5,
  });
  assert.equal(parseVariant('{"level":0,"reason":"fallback_source"}').level, 0, 'width, height and bitrate absent');
});

test('variant data that cannot be read is nothing, and never throws', () => {
  for (const bad of ['', '{', 'null', '3', '"x"', '[]', '[1]', '{}', '{"level":-1}', '{"level":1.5}', '{"level":"3"}',
    '{"level":null}', '{"level":4,"levels":3}', undefined, null, 42, {}]) {
    assert.equal(parseVariant(bad), null, `data ${JSON.stringify(bad)}`);
  }
  const odd = parseVariant('{"level":2,"levels":"3","width":"640","height":360.5,"bitrateKbps":-1,"reason":"<b>x</b>","rembKbps":"780","switches":-2}');
  assert.deepEqual(odd, {
    level: 2, levels: null, width: null, height: null, bitrateKbps: null, reason: null, rembKbps: null, switches: null,
  }, 'malformed fields are null, the level still counts');
  assert.equal(parseVariant(`{"level":1,"reason":"${'a'.repeat(41)}"}`).reason, null, 'too long for a reason');
});

test('a variant is shown as size, bitrate, level and reason', () => {
  assert.equal(formatVariant(parseVariant(VARIANT)), '640x360 \u00b7 400 kbps \u00b7 level 3/3 (down_remb)');
  assert.equal(formatVariant(parseVariant('{"level":1,"levels":3,"width":1280,"height":720,"bitrateKbps":2500,"reason":"start"}')),
    '1280x720 \u00b7 2500 kbps \u00b7 level 1/3 (start)');
  assert.equal(formatVariant(parseVariant('{"level":0,"levels":3,"width":0,"height":0,"reason":"fallback_source"}')), 'source (fallback_source)');
  assert.equal(formatVariant(parseVariant('{"level":0,"width":1280,"height":720,"reason":"fallback_source"}')),
    '1280x720 \u00b7 source (fallback_source)');
  assert.equal(formatVariant(parseVariant('{"level":2}')), 'level 2');
  assert.equal(formatVariant({ level: 2, bitrateKbps: 999.6 }), '1000 kbps \u00b7 level 2');
  assert.equal(formatVariant(null), '\u2014');
  assert.equal(formatVariant({}), '\u2014');
  assert.equal(formatVariant('level 3'), '\u2014');
});

test('a reconnect event names where to go: its url, or the current endpoint; nothing that is not http(s)', () => {
  const here = 'http://10.0.0.5:8180/whep/live/x';
  assert.equal(reconnectTarget('{"url":"http://10.0.0.9:8180/whep/live/x"}', here), 'http://10.0.0.9:8180/whep/live/x');
  assert.equal(reconnectTarget('{"url":"/eu/whep/live/x"}', here), 'http://10.0.0.5:8180/eu/whep/live/x', 'relative');
  assert.equal(reconnectTarget('{}', here), here, 'no url: reconnect to the same endpoint (4.9.1.4)');
  assert.equal(reconnectTarget('{"url":"javascript:alert(1)"}', here), null);
  assert.equal(reconnectTarget('{"url":7}', here), null);
  assert.equal(reconnectTarget('not json', here), null);
  assert.equal(reconnectTarget('null', here), null);
});

test('viewercount is a non-negative integer or nothing', () => {
  assert.equal(viewerCount('{"viewercount":3}'), 3);
  assert.equal(viewerCount('{"viewercount":0}'), 0);
  assert.equal(viewerCount('{"viewercount":-1}'), null);
  assert.equal(viewerCount('{"viewercount":"3"}'), null);
  assert.equal(viewerCount('{'), null);
});

test('the new session takes over only with decoded frames, enough data to play, and its audio', () => {
  assert.equal(candidateReady({ framesDecoded: 30, readyState: 4 }), true);
  assert.equal(candidateReady({ framesDecoded: 29, readyState: 4 }), false, 'too few frames');
  assert.equal(candidateReady({ framesDecoded: 100, readyState: 3 }), false, 'HAVE_FUTURE_DATA is not enough');
  assert.equal(candidateReady({ framesDecoded: 3, readyState: 4 }, 3), true);
  assert.equal(candidateReady({ framesDecoded: 30, readyState: 4, hasAudio: true, audioSamplesReceived: 0 }), false, 'no audio yet');
  assert.equal(candidateReady({ framesDecoded: 30, readyState: 4, hasAudio: true, audioSamplesReceived: 960 }), true);
  assert.equal(candidateReady(), false);
});

test('the gap at the swap is counted in frames of the stream', () => {
  assert.equal(gapInFrames(33.3, 30), 1);
  assert.equal(gapInFrames(100, 30), 3);
  assert.equal(gapInFrames(50, 25), 1.3);
  assert.equal(gapInFrames(0, 30), 0);
  assert.equal(gapInFrames(40, null), null);
  assert.equal(gapInFrames(undefined, 30), null);
});

test('failed moves are retried after 1, 2, 4, 8, 8 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 10].map(moveRetryMs), [1000, 2000, 4000, 8000, 8000, 8000]);
  assert.equal(moveRetryMs(-1), 1000);
});
