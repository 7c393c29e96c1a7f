#!/usr/bin/env bash
# bench/janus/stop.sh: stop the Janus that bench/janus/start.sh started (by the PID in its pid
# file: SIGTERM, then SIGKILL after 5 s), and the feed.sh ffmpeg if one was started with
# FEED_BACKGROUND=1 (pid file run/feed.pid).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RUN_DIR=${JANUS_RUN_DIR:-$HERE/run}

stop_pid_file() {
  local name=$1 file=$2 pid
  [ -f "$file" ] || { echo "$name: not running (no $file)" >&2; return 0; }
  pid=$(cat "$file")
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "$name: pid $pid already gone" >&2
    rm -f "$file"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { echo "$name: stopped pid $pid" >&2; rm -f "$file"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  echo "$name: killed pid $pid (did not stop within 5 s)" >&2
  rm -f "$file"
}

case "${1:-all}" in
  janus) stop_pid_file janus "$RUN_DIR/janus.pid" ;;
  feed) stop_pid_file feed "$RUN_DIR/feed.pid" ;;
  all) stop_pid_file feed "$RUN_DIR/feed.pid"; stop_pid_file janus "$RUN_DIR/janus.pid" ;;
  *) echo "usage: $0 [janus|feed|all]" >&2; exit 2 ;;
esac
