#!/usr/bin/env bash
# bench/janus/http-flow.sh: walk Janus's HTTP API through the Streaming plugin's watch flow with
# curl and print every request and response (SDPs trimmed; the full offer goes to run/offer.sdp).
#
#   create -> attach janus.plugin.streaming -> message {request: watch, id: 1} (ack)
#   -> long poll GET /janus/<session>?maxev=1 (event with the JSEP offer)
#   -> message {request: start} + jsep answer (ack) -> long poll (event "starting")
#   -> keepalive (ack) -> destroy
#
# The answer is built by hand from the mountpoint's codecs (fake ICE credentials and DTLS
# fingerprint), so no media flows: this shows the JSON, bench/janus/watch-janus.mjs plays for real.
# Needs Janus up (start.sh); the feed is optional. Needs curl and jq.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RUN_DIR=${JANUS_RUN_DIR:-$HERE/run}
BASE=${JANUS_URL:-http://127.0.0.1:${JANUS_HTTP_PORT:-8088}/janus}
MOUNTPOINT=${MOUNTPOINT:-1}
command -v jq >/dev/null || { echo "needs jq (apt-get install jq)" >&2; exit 1; }
mkdir -p "$RUN_DIR"

trim() { jq -c 'if .jsep.sdp then .jsep.sdp = "<\(.jsep.sdp | length) bytes of SDP>" else . end'; }
post() { # url body
  echo ">>> POST /janus${1#"$BASE"}"
  echo "$2" | trim
  RESP=$(curl -sS -m 10 -X POST -H 'Content-Type: application/json' -d "$2" "$1")
  echo "<<< $(echo "$RESP" | trim)"
  echo
}
poll() { # session
  echo ">>> GET /janus/$1?maxev=1   (long poll, up to 30 s)"
  RESP=$(curl -sS -m 35 "$BASE/$1?maxev=1&rid=$(date +%s%N)")
  echo "<<< $(echo "$RESP" | trim)"
  echo
}

post "$BASE" '{"janus":"create","transaction":"t1"}'
SID=$(echo "$RESP" | jq -r .data.id)
post "$BASE/$SID" '{"janus":"attach","plugin":"janus.plugin.streaming","transaction":"t2"}'
HID=$(echo "$RESP" | jq -r .data.id)
post "$BASE/$SID/$HID" "{\"janus\":\"message\",\"transaction\":\"t3\",\"body\":{\"request\":\"watch\",\"id\":$MOUNTPOINT}}"
# The offer comes asynchronously; skip keepalive acks or other events until it is there.
for _ in 1 2 3 4 5; do
  poll "$SID"
  echo "$RESP" | jq -e '(if type == "array" then .[0] else . end) | .jsep.type == "offer"' >/dev/null && break
done
OFFER=$(echo "$RESP" | jq -r '(if type == "array" then .[0] else . end) | .jsep.sdp')
printf '%s' "$OFFER" >"$RUN_DIR/offer.sdp"
echo "--- offer SDP (also in $RUN_DIR/offer.sdp) ---"
printf '%s' "$OFFER" | tr -d '\r'
echo "---"
echo

# A syntactically valid answer: BUNDLE, recvonly, DTLS setup:active (we are the DTLS client,
# as the offer says actpass), the offer's payload types.
MIDS=$(printf '%s' "$OFFER" | tr -d '\r' | sed -n 's/^a=mid://p' | paste -sd' ' -)
FP=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F' | sed 's/../&:/g; s/:$//')
ANSWER="v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE $MIDS\r\na=msid-semantic: WMS\r\n"
while read -r kind mid pts; do
  ANSWER+="m=$kind 9 UDP/TLS/RTP/SAVPF $pts\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
  ANSWER+="a=ice-ufrag:curl\r\na=ice-pwd:curlcurlcurlcurlcurlcurl\r\na=fingerprint:sha-256 $FP\r\n"
  ANSWER+="a=setup:active\r\na=mid:$mid\r\na=recvonly\r\na=rtcp-mux\r\n"
  if [ "$kind" = video ]; then
    ANSWER+="a=rtpmap:96 H264/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n"
  else
    ANSWER+="a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
  fi
done < <(printf '%s' "$OFFER" | tr -d '\r' | awk '/^m=/{kind=substr($1,3); pts=($1=="m=video")?"96":"111"} /^a=mid:/{print kind, substr($0,7), pts}')

post "$BASE/$SID/$HID" "{\"janus\":\"message\",\"transaction\":\"t4\",\"body\":{\"request\":\"start\"},\"jsep\":{\"type\":\"answer\",\"sdp\":\"$ANSWER\"}}"
poll "$SID"
post "$BASE/$SID" '{"janus":"keepalive","transaction":"t5"}'
post "$BASE/$SID/$HID" '{"janus":"message","transaction":"t6","body":{"request":"info","id":1}}'
post "$BASE/$SID" '{"janus":"destroy","transaction":"t7"}'
