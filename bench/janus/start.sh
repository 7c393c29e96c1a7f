#!/usr/bin/env bash
# bench/janus/start.sh: run Janus (Debian package `janus`) as a WebRTC edge for the benchmark.
#
# Installs the package when missing (root, apt, noninteractive), writes a private configuration
# directory and starts Janus with that directory only (`janus -F <dir> -C <dir>/janus.jcfg`):
#
#   - transports: HTTP only (janus.transport.http), plain http on 127.0.0.1:$JANUS_HTTP_PORT,
#     base path /janus, admin API off;
#   - plugins: the Streaming plugin only (janus.plugin.streaming), with one RTP mountpoint,
#     id 1: H.264 video (pt 96, packetization-mode=1, profile-level-id=42e01f) on UDP
#     $JANUS_VIDEO_PORT and Opus audio (pt 111) on UDP $JANUS_AUDIO_PORT, both bound to 127.0.0.1;
#   - ICE-Lite, no STUN/TURN, IPv6 off, half trickle (Janus's candidates are inline in its SDP),
#     host candidates on ONE IPv4 address: $JANUS_ICE_IP (default: this host's primary IPv4, the
#     source address of the default route). Not 127.0.0.1: Janus 1.1.2 never gathers on loopback
#     interfaces (ice.c, janus_ice_setup_local: `if(ifa->ifa_flags & IFF_LOOPBACK) continue;`),
#     and when the enforce list matches nothing libnice falls back to every non-loopback address,
#     IPv6 included. Traffic to a local address never leaves the host (`ip route get` says
#     "local ... dev lo"), so a browser on this machine still talks to Janus over the loopback device;
#   - no event handlers, no external loggers, log level $JANUS_DEBUG_LEVEL (default 3: warnings).
#
# Only the .so files we want are visible to Janus: the config points its plugins/transports/
# events/loggers folders at private directories holding symlinks to exactly those libraries, and
# the `disable` lists name every other library of the package as a second line of defence.
#
# Usage:
#   bench/janus/start.sh              # start in the background, wait until the API answers,
#                                     # print the PID (also in $JANUS_RUN_DIR/janus.pid)
#   bench/janus/start.sh --foreground # exec Janus in the foreground (logs to the terminal)
#   bench/janus/stop.sh               # stop the background instance
#
# Environment (all optional):
#   JANUS_HTTP_PORT=8088     Janus API over plain HTTP on 127.0.0.1
#   JANUS_VIDEO_PORT=5004    RTP H.264 in (pt 96)
#   JANUS_AUDIO_PORT=5006    RTP Opus in (pt 111)
#   JANUS_CPUS=              CPU list for `taskset -c` (e.g. 1); empty = not pinned
#   JANUS_EVENT_LOOPS=       general.event_loops: N shared ICE/media loops; empty = Janus's default
#                            (one loop thread per handle). See README.md for what to pick.
#   JANUS_MP_THREADS=0       the mountpoint's `threads`: helper threads that fan packets out to
#                            viewers (0 = the mountpoint's own RTP thread does it)
#   JANUS_SESSION_TIMEOUT=60 seconds without a request before Janus drops a session (keepalives!)
#   JANUS_HTTP_CONN_LIMIT=4096  libmicrohttpd connection limit (each waiting long poll holds one)
#   JANUS_NOFILE=65536       `ulimit -n` for Janus (one UDP socket per viewer plus a few fds)
#   JANUS_ICE_IP=            the one IPv4 address for Janus's host candidates (see above)
#   JANUS_DEBUG_LEVEL=3      0..7 (3 warnings, 4 info = Janus's default, 5+ verbose)
#   JANUS_RUN_DIR=bench/janus/run   config, log and pid file
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
HTTP_PORT=${JANUS_HTTP_PORT:-8088}
VIDEO_PORT=${JANUS_VIDEO_PORT:-5004}
AUDIO_PORT=${JANUS_AUDIO_PORT:-5006}
CPUS=${JANUS_CPUS:-}
EVENT_LOOPS=${JANUS_EVENT_LOOPS:-}
DEBUG_LEVEL=${JANUS_DEBUG_LEVEL:-3}
RUN_DIR=${JANUS_RUN_DIR:-$HERE/run}
ICE_IP=${JANUS_ICE_IP:-}
MP_THREADS=${JANUS_MP_THREADS:-0}
SESSION_TIMEOUT=${JANUS_SESSION_TIMEOUT:-60}
HTTP_CONN_LIMIT=${JANUS_HTTP_CONN_LIMIT:-4096}
NOFILE=${JANUS_NOFILE:-65536}
FOREGROUND=0

log() { printf '\033[1;34m[janus]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[janus]\033[0m %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
  case "$arg" in
    --foreground|-f) FOREGROUND=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

for v in HTTP_PORT VIDEO_PORT AUDIO_PORT DEBUG_LEVEL MP_THREADS SESSION_TIMEOUT HTTP_CONN_LIMIT NOFILE; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
done
[ -z "$EVENT_LOOPS" ] || [[ $EVENT_LOOPS =~ ^[0-9]+$ ]] || die "JANUS_EVENT_LOOPS must be a number, got '$EVENT_LOOPS'"
[ "$VIDEO_PORT" != "$AUDIO_PORT" ] || die "video and audio ports must differ"

# The address for Janus's ICE host candidates: a non-loopback IPv4 of this host.
if [ -z "$ICE_IP" ]; then
  ICE_IP=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -1)
  [ -n "$ICE_IP" ] || ICE_IP=$(ip -o -4 addr show scope global 2>/dev/null | awk '{sub("/.*","",$4); print $4; exit}')
  [ -n "$ICE_IP" ] || die "no non-loopback IPv4 address on this host: Janus cannot gather ICE candidates on loopback (set JANUS_ICE_IP)"
fi
[[ $ICE_IP =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "JANUS_ICE_IP must be an IPv4 address, got '$ICE_IP'"
[[ $ICE_IP != 127.* ]] || die "JANUS_ICE_IP=$ICE_IP: Janus never gathers candidates on loopback interfaces"
ip -o -4 addr show 2>/dev/null | grep -q " $ICE_IP/" || die "JANUS_ICE_IP=$ICE_IP is not an address of this host"

# 1. The package ----------------------------------------------------------------------------
installed_now=0
if ! command -v janus >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "janus is not installed and we are not root: apt-get install janus"
  export DEBIAN_FRONTEND=noninteractive
  log "installing Debian package: janus"
  if ! apt-get install -y -qq --no-install-recommends janus >/dev/null 2>&1; then
    log "apt-get update"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends janus >/dev/null
  fi
  installed_now=1
fi
JANUS_BIN=$(command -v janus)
MULTIARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
LIBDIR=/usr/lib/$MULTIARCH/janus
[ -f "$LIBDIR/plugins/libjanus_streaming.so" ] || die "missing $LIBDIR/plugins/libjanus_streaming.so"
[ -f "$LIBDIR/transports/libjanus_http.so" ] || die "missing $LIBDIR/transports/libjanus_http.so"

# The package ships a systemd unit that would run a second Janus with /etc/janus (all plugins,
# a sample mountpoint on UDP 5004, HTTP on 8088). If our install just started it, stop it.
if [ "$installed_now" = 1 ] && [ -d /run/systemd/system ] && systemctl is-active --quiet janus 2>/dev/null; then
  log "stopping and disabling the janus.service the package just started (it uses /etc/janus)"
  systemctl disable --now janus >/dev/null 2>&1 || true
fi

# 2. Not already running, ports free ------------------------------------------------------------
PID_FILE=$RUN_DIR/janus.pid
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  die "already running: pid $(cat "$PID_FILE") (bench/janus/stop.sh first)"
fi
if command -v ss >/dev/null 2>&1; then
  ss -Hltn "sport = :$HTTP_PORT" | grep -q . && die "TCP port $HTTP_PORT is in use: $(ss -Hltnp "sport = :$HTTP_PORT" | head -1)"
  for p in "$VIDEO_PORT" "$AUDIO_PORT"; do
    ss -Hlun "sport = :$p" | grep -q . && die "UDP port $p is in use: $(ss -Hlunp "sport = :$p" | head -1)"
  done
fi

# 3. Private configuration ----------------------------------------------------------------------
CONF=$RUN_DIR/conf
rm -rf "$CONF"
mkdir -p "$CONF" "$RUN_DIR/lib/plugins" "$RUN_DIR/lib/transports" "$RUN_DIR/lib/events" "$RUN_DIR/lib/loggers"
rm -f "$RUN_DIR"/lib/*/*.so
ln -s "$LIBDIR/plugins/libjanus_streaming.so" "$RUN_DIR/lib/plugins/"
ln -s "$LIBDIR/transports/libjanus_http.so" "$RUN_DIR/lib/transports/"

# Every other library of the package, by file name (for the disable lists).
others() { (cd "$LIBDIR/$1" 2>/dev/null && ls -1 -- *.so 2>/dev/null) | grep -vx "${2:-}" | paste -sd, - || true; }
DISABLE_PLUGINS=$(others plugins libjanus_streaming.so)
DISABLE_TRANSPORTS=$(others transports libjanus_http.so)
DISABLE_EVENTS=$(others events)
DISABLE_LOGGERS=$(others loggers)

if [ -n "$EVENT_LOOPS" ] && [ "$EVENT_LOOPS" -gt 0 ]; then
  EVENT_LOOPS_LINE="event_loops = $EVENT_LOOPS"
else
  EVENT_LOOPS_LINE="#event_loops = (unset: one GLib loop + thread per handle)"
fi

cat >"$CONF/janus.jcfg" <<EOF
# Generated by bench/janus/start.sh: do not edit, edit the script.
general: {
	configs_folder = "$CONF"
	plugins_folder = "$RUN_DIR/lib/plugins"
	transports_folder = "$RUN_DIR/lib/transports"
	events_folder = "$RUN_DIR/lib/events"
	loggers_folder = "$RUN_DIR/lib/loggers"
	log_to_stdout = true
	debug_level = $DEBUG_LEVEL
	debug_timestamps = true
	debug_colors = false
	interface = "$ICE_IP"			# only the c= line / "local-ip" in the info reply
	server_name = "cascade-bench-janus"
	session_timeout = $SESSION_TIMEOUT
	$EVENT_LOOPS_LINE
	allow_loop_indication = false
	protected_folders = [ "/bin", "/boot", "/dev", "/etc", "/lib", "/proc", "/sbin", "/sys", "/usr", "/var" ]
}
certificates: {
	# none: Janus generates a self-signed ECDSA P-256 certificate at startup (fine for DTLS)
}
media: {
	ipv6 = false
	ipv6_linklocal = false
	no_media_timer = 1
}
nat: {
	# no stun_server, no turn_server, no nat_1_1_mapping
	nice_debug = false
	full_trickle = false
	ice_lite = true
	ice_tcp = false
	ignore_mdns = true
	# Host candidates on this one address only (prefix match on interface name or IP).
	# Loopback is impossible: Janus skips IFF_LOOPBACK interfaces when gathering.
	ice_enforce_list = "$ICE_IP"
}
plugins: {
	disable = "$DISABLE_PLUGINS"
}
transports: {
	disable = "$DISABLE_TRANSPORTS"
}
loggers: {
	disable = "$DISABLE_LOGGERS"
}
events: {
	broadcast = false
	disable = "$DISABLE_EVENTS"
}
EOF

cat >"$CONF/janus.transport.http.jcfg" <<EOF
general: {
	events = false
	json = "plain"
	base_path = "/janus"
	http = true
	port = $HTTP_PORT
	ip = "127.0.0.1"
	https = false
	mhd_connection_limit = $HTTP_CONN_LIMIT
}
admin: {
	admin_http = false
	admin_https = false
}
cors: {
	# default: Access-Control-Allow-Origin: *
}
EOF

cat >"$CONF/janus.plugin.streaming.jcfg" <<EOF
general: {
	events = false
}
cascade-bench: {
	type = "rtp"
	id = 1
	description = "Cascade bench: H.264 + Opus over RTP from bench/janus/feed.sh"
	media = (
		{
			type = "video"
			mid = "v"
			label = "video"
			port = $VIDEO_PORT
			iface = "127.0.0.1"
			pt = 96
			codec = "h264"
			fmtp = "profile-level-id=42e01f;packetization-mode=1"
		},
		{
			type = "audio"
			mid = "a"
			label = "audio"
			port = $AUDIO_PORT
			iface = "127.0.0.1"
			pt = 111
			codec = "opus"
		}
	)
	threads = $MP_THREADS
}
EOF

# 4. Start ------------------------------------------------------------------------------------------
# Raise the fd limit (as far as the hard limit allows): every viewer costs a UDP socket.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge "$NOFILE" ]; then ulimit -n "$NOFILE"; else ulimit -n "$hard"; fi
CMD=("$JANUS_BIN" -F "$CONF" -C "$CONF/janus.jcfg" --disable-colors)
if [ -n "$CPUS" ]; then
  command -v taskset >/dev/null || die "taskset not found (util-linux)"
  CMD=(taskset -c "$CPUS" "${CMD[@]}")
fi

if [ "$FOREGROUND" = 1 ]; then
  log "exec: ${CMD[*]}"
  echo $$ >"$PID_FILE"
  exec "${CMD[@]}"
fi

LOG=$RUN_DIR/janus.log
: >"$LOG"
# setsid: its own session/process group, so a Ctrl-C in this terminal does not hit it.
setsid "${CMD[@]}" >"$LOG" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$PID_FILE"

# Wait until the API answers (GET /janus/info), or Janus dies.
url=http://127.0.0.1:$HTTP_PORT/janus/info
for _ in $(seq 1 100); do
  if ! kill -0 "$PID" 2>/dev/null; then
    rm -f "$PID_FILE"
    tail -n 30 "$LOG" >&2
    die "janus exited during startup (log: $LOG)"
  fi
  if curl -fsS -m 1 "$url" >/dev/null 2>&1; then
    log "ready: $url (pid $PID${CPUS:+, taskset -c $CPUS}${EVENT_LOOPS:+, event_loops=$EVENT_LOOPS}, mountpoint threads=$MP_THREADS, ICE host candidates on $ICE_IP, nofile $(ulimit -n)); log: $LOG"
    log "feed it with: bench/janus/feed.sh   stop it with: bench/janus/stop.sh"
    echo "$PID"
    exit 0
  fi
  sleep 0.1
done
kill "$PID" 2>/dev/null || true
rm -f "$PID_FILE"
tail -n 30 "$LOG" >&2
die "janus did not answer on $url within 10 s (log: $LOG)"
