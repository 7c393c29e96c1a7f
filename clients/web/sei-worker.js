// Encoded-frame worker for glass-to-glass latency (a module worker).
//
//   receive side: scans every encoded video frame for the capture-time SEI (see sei.js) and
//                 posts {type:'sei', captureMs, nowMs, rtpTimestamp} to the page;
//   send side:    stamps Date.now() into every H.264 frame as that SEI (publish.html?stamp=1,
//                 and the loopback self-test).
//
// Frames always pass through; on the receive side they are not modified at all.
// Two ways in, same pipe:
//   - RTCRtpScriptTransform: the page sets receiver.transform = new RTCRtpScriptTransform(
//     worker, {side, kind}) and the browser fires 'rtctransform' here;
//   - legacy createEncodedStreams(): the page transfers {readable, writable} in a message
//     {type:'streams', side, kind, readable, writable}.
import { findCaptureTime, insertCaptureTimeSei } from './sei.js';

const counters = { framesSeen: 0, framesWithSei: 0, framesStamped: 0, errors: 0 };

function isH264(frame) {
  const meta = typeof frame.getMetadata === 'function' ? frame.getMetadata() : {};
  // mimeType is in the metadata in current Chromium; without it, scan anyway (the SEI
  // UUID makes a false match on non-H.264 data practically impossible).
  return !meta.mimeType || /h264/i.test(meta.mimeType);
}

function receiveTransform(kind) {
  return new TransformStream({
    transform(frame, controller) {
      if (kind === 'video') {
        counters.framesSeen++;
        try {
          if (frame.data.byteLength > 0 && isH264(frame)) {
            const captureMs = findCaptureTime(new Uint8Array(frame.data));
            if (captureMs !== null) {
              counters.framesWithSei++;
              const meta = typeof frame.getMetadata === 'function' ? frame.getMetadata() : {};
              self.postMessage({ type: 'sei', captureMs, nowMs: Date.now(), rtpTimestamp: meta.rtpTimestamp ?? frame.timestamp });
            }
          }
        } catch (e) {
          counters.errors++;
        }
      }
      controller.enqueue(frame);                              // unchanged
    },
  });
}

function sendTransform(kind) {
  return new TransformStream({
    transform(frame, controller) {
      if (kind === 'video') {
        counters.framesSeen++;
        try {
          if (frame.data.byteLength > 0 && isH264(frame)) {
            const stamped = insertCaptureTimeSei(new Uint8Array(frame.data), Date.now());
            if (stamped !== null) { frame.data = stamped.buffer; counters.framesStamped++; }
          }
        } catch (e) {
          counters.errors++;
        }
      }
      controller.enqueue(frame);
    },
  });
}

function pipe(readable, writable, side, kind) {
  const t = side === 'send' ? sendTransform(kind) : receiveTransform(kind);
  readable.pipeThrough(t).pipeTo(writable).catch((e) => {
    self.postMessage({ type: 'closed', side, kind, reason: String(e) });
  });
}

self.onrtctransform = (event) => {
  const { side = 'receive', kind = 'video' } = event.transformer.options ?? {};
  pipe(event.transformer.readable, event.transformer.writable, side, kind);
};

self.onmessage = (event) => {
  const m = event.data;
  if (m && m.type === 'streams') pipe(m.readable, m.writable, m.side ?? 'receive', m.kind ?? 'video');
};

setInterval(() => self.postMessage({ type: 'counters', ...counters }), 1000);
self.postMessage({ type: 'ready' });                         // see transform.js
