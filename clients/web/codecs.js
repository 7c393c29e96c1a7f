// Codec preferences for publishing (RTCRtpTransceiver.setCodecPreferences).
//
// Cascade's data plane carries H.264 end to end (MPEG-TS inside the cluster), so a browser
// publisher should send H.264 with packetization-mode=1 (FU-A/STAP-A, RFC 6184), preferably
// constrained baseline 42e01f, which every browser can decode. Other codecs stay in the list,
// after it, as fallbacks; retransmission/FEC entries (rtx, red, ulpfec, flexfec) are kept.

const fmtp = (c) => c.sdpFmtpLine || '';
const mime = (c) => (c.mimeType || '').toLowerCase();

/** Sort key of a video codec capability: lower is preferred. */
export function videoCodecRank(c) {
  const m = mime(c);
  if (m === 'video/h264') {
    const pm1 = /(^|;)\s*packetization-mode=1/.test(fmtp(c));
    const pli = (/profile-level-id=([0-9a-fA-F]{6})/.exec(fmtp(c)) || [])[1]?.toLowerCase() ?? '';
    if (!pm1) return 6;
    if (pli === '42e01f') return 0;                 // constrained baseline, level 3.1
    if (pli.startsWith('42e0')) return 1;           // constrained baseline, another level
    if (pli.startsWith('42')) return 2;             // baseline
    return 3;                                       // main, high, ...
  }
  if (['video/rtx', 'video/red', 'video/ulpfec', 'video/flexfec-03'].includes(m)) return 5;
  return 4;                                         // VP8, VP9, AV1, H.265: fallbacks
}

/** The capability list reordered H.264 (pm=1, 42e01f first) first; stable otherwise. */
export function preferH264(codecs) {
  return codecs.map((c, i) => ({ c, i, r: videoCodecRank(c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.c);
}

/** Opus first, everything else after in the browser's order. */
export function preferOpus(codecs) {
  return [...codecs.filter((c) => mime(c) === 'audio/opus'), ...codecs.filter((c) => mime(c) !== 'audio/opus')];
}
