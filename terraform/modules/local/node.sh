#!/usr/bin/env bash
# node.sh start|stop: starts or stops one local Cascade node process for the local Terraform module.
#
# start  picks free ports (from the role's defaults upwards), starts $NODE_SH_COMMAND detached in
#        its own session with the CASCADE_* environment Terraform gave, and waits until it listens
#        on its HTTP port; fails (exit 1, with the log's tail) if the process exits first. A node
#        already running is left alone.
# stop   SIGTERM to the node's process group (the node deregisters from the stream manager), then
#        SIGKILL after $NODE_SH_STOP_TIMEOUT seconds. A node that is already gone is fine: a failed
#        node is being replaced.
#
# Files, in $NODE_SH_STATE_DIR/nodes/: <id>.pid ("pid starttime": the start time guards against a
# reused pid), <id>.ports (srt=, http=, webrtc= lines), <id>.log (the node's output). Port claims
# are machine-wide, in /tmp/cascade-local-<uid>/ (a lock and one file per port holding the
# claiming node's "pid starttime"), so that deployments with different state dirs (the cloud
# controller uses one working directory per deployment) starting at once do not collide either.
set -euo pipefail

id=${NODE_SH_ID:?NODE_SH_ID not set}
dir=${NODE_SH_STATE_DIR:?NODE_SH_STATE_DIR not set}/nodes
pid_file=$dir/$id.pid
ports_file=$dir/$id.ports
log_file=$dir/$id.log
claims=/tmp/cascade-local-$(id -u)

say() { printf 'cascade local node %s: %s\n' "$id" "$*" >&2; }
die() { say "$*"; exit 1; }

# Field 22 of /proc/PID/stat (start time in clock ticks since boot), with field 3 (state) before it;
# the command name (field 2) may hold spaces, so fields are counted after its closing parenthesis.
proc_stat() { # pid -> "state starttime"
  local stat rest
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  rest=${stat##*) }
  # shellcheck disable=SC2086
  set -- $rest
  echo "$1 ${20}"
}

# Prints the pid recorded in a pid (or claim) file if that very process is still running (not a
# zombie, not a later process that got the same pid).
live_pid() { # file
  local pid start state now
  read -r pid start 2>/dev/null <"$1" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  read -r state now < <(proc_stat "$pid") || return 1
  [ "$state" != Z ] && [ "$now" = "$start" ] || return 1
  echo "$pid"
}

# Every port something listens on (TCP) or is bound to (UDP), plus the ports claimed by nodes that
# are still running but may not have bound yet (a JVM takes a second or more to get there).
used_ports() {
  ss -Hlntu | awk '{ n = split($5, a, ":"); print a[n] }'
  local f
  for f in "$claims"/[0-9]*; do
    [ -e "$f" ] || continue
    live_pid "$f" >/dev/null && echo "${f##*/}"
  done
}

start() {
  : "${NODE_SH_COMMAND:?NODE_SH_COMMAND not set}" "${NODE_SH_SRT_PORT:?}" "${NODE_SH_HTTP_PORT:?}"
  local tool
  for tool in ss flock setsid; do
    command -v "$tool" >/dev/null || die "needs $tool (Debian: iproute2, util-linux)"
  done
  mkdir -p "$dir"
  mkdir -p -m 700 "$claims"
  [ -O "$claims" ] || die "$claims belongs to another user"
  # One start at a time on this machine, from picking ports until they are claimed with the node's
  # pid, so parallel starts (Terraform runs up to 10 at once) never pick the same ports.
  exec 9>"$claims/lock"
  flock 9

  local pid
  if pid=$(live_pid "$pid_file"); then
    say "already running (pid $pid), left alone"
    exit 0
  fi

  declare -A used=()
  local p
  while read -r p; do
    [[ $p =~ ^[0-9]+$ ]] && used[$p]=1
  done < <(used_ports)
  # One free port from a base upwards, unused by any protocol: simpler to reason about than
  # separate TCP and UDP spaces, and it never hands two of a node's own ports the same number.
  pick() {
    local port=$1
    while [ -n "${used[$port]:-}" ]; do
      port=$((port + 1))
      [ "$port" -le 65535 ] || die "no free port at or above $1"
    done
    echo "$port"
  }
  # 0: the role has no such port (a transcoder listens on no SRT port, a relay on no WebRTC port).
  local srt=0 http webrtc=0
  if [ "$NODE_SH_SRT_PORT" != 0 ]; then
    srt=$(pick "$NODE_SH_SRT_PORT")
    used[$srt]=1
  fi
  http=$(pick "$NODE_SH_HTTP_PORT")
  used[$http]=1
  if [ "${NODE_SH_WEBRTC_PORT:-0}" != 0 ]; then
    webrtc=$(pick "$NODE_SH_WEBRTC_PORT")
  fi
  printf 'srt=%s\nhttp=%s\nwebrtc=%s\n' "$srt" "$http" "$webrtc" >"$ports_file"

  # The node sees exactly the CASCADE_* settings Terraform gave, none inherited from whoever runs
  # Terraform (a stray CASCADE_SRT_LATENCY_MS in the caller's shell would otherwise apply).
  local v keep=" ${NODE_SH_ENV_KEYS:-} "
  for v in $(compgen -e); do
    case $v in
      CASCADE_*) [[ $keep == *" $v "* ]] || unset "$v" ;;
    esac
  done
  export CASCADE_HTTP_PORT=$http
  [ "$srt" = 0 ] || export CASCADE_SRT_PORT=$srt
  [ "$webrtc" = 0 ] || export CASCADE_WEBRTC_PORT=$webrtc

  umask 077 # the log may hold the node's settings; the pid file needs no other readers
  # setsid: a session and process group of its own, so stop can signal the node and its children
  # (ffmpeg) together, and nothing ties it to Terraform's terminal. Not a group leader here (a
  # background job of a script shares the script's group), so setsid execs in place: $! is the
  # group's leader, the node itself when the command is a simple one (bash -c execs it). All
  # descriptors to Terraform closed: it would otherwise wait for the node.
  local command=$NODE_SH_COMMAND
  (
    unset "${!NODE_SH_@}"
    exec setsid nohup bash -c "$command" >"$log_file" 2>&1 </dev/null 9>&-
  ) 9>&- &
  pid=$!
  local st
  read -r _ st < <(proc_stat "$pid") || st=""
  echo "$pid $st" >"$pid_file"
  for p in "$srt" "$http" "$webrtc"; do
    [ "$p" = 0 ] || echo "$pid $st" >"$claims/$p"
  done
  flock -u 9
  exec 9>&-

  # Wait until the node listens on its HTTP port (up), or exits (a configuration error, a port
  # taken meanwhile, no java). A JVM that fails on its configuration exits in about half a second on
  # an idle machine but takes several when a few start at once on two cores, so a fixed short wait
  # would call such a node started; waiting for the port also tells the caller it is up.
  # A timeout of 0 returns at once: the caller (the stream manager's autoscaler) watches the node
  # register and replaces it after its own boot timeout, so an apply stays a fraction of a second.
  if [ "${NODE_SH_START_TIMEOUT:-30}" = 0 ]; then
    say "started (pid $pid; srt $srt, http $http, webrtc $webrtc; log $log_file); not waiting for it to listen"
    return 0
  fi
  local deadline=$((SECONDS + ${NODE_SH_START_TIMEOUT:-30})) up=0
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$(proc_stat "$pid" | cut -d' ' -f1)" = Z ]; then
      local status=0
      wait "$pid" || status=$?
      rm -f "$pid_file" "$ports_file"
      say "exited at start (status $status): $command"
      say "last lines of $log_file:"
      tail -n 20 "$log_file" >&2 || true
      exit 1
    fi
    if [ -n "$(ss -Hltn "sport = :$http")" ]; then
      up=1
      break
    fi
    sleep 0.1
  done
  if [ "$up" = 1 ]; then
    say "started (pid $pid; srt $srt, http $http, webrtc $webrtc; log $log_file)"
  else
    # Still running but not listening: left running (the stream manager sees whether it
    # registers), so that a slow machine does not turn into a failed apply.
    say "started (pid $pid; srt $srt, http $http, webrtc $webrtc) but not listening on HTTP after ${NODE_SH_START_TIMEOUT:-30}s; see $log_file"
  fi
}

stop() {
  local timeout=${NODE_SH_STOP_TIMEOUT:-10} pid
  if pid=$(live_pid "$pid_file"); then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < timeout * 10; i++)); do
      live_pid "$pid_file" >/dev/null || break
      sleep 0.1
    done
    if live_pid "$pid_file" >/dev/null; then
      say "still running ${timeout}s after SIGTERM: SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    else
      say "stopped (pid $pid)"
    fi
    # Whatever else is left in its process group (ffmpeg children). The group id cannot have been
    # reused: Linux hands out no pid that is still some group's id.
    kill -KILL -- "-$pid" 2>/dev/null || true
  else
    say "not running"
  fi
  rm -f "$pid_file" "$ports_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: node.sh start|stop (settings in NODE_SH_* and CASCADE_* environment variables)" >&2; exit 2 ;;
esac
