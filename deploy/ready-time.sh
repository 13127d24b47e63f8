#!/usr/bin/env bash
# How long the daemon takes to be ready, and its memory once ready: starts `DOORMAN daemon` RUNS times with liveness
# and the HTTP API on and a replay camera at 10 fps, and measures from the launch until /healthz answers 200 and the
# loop has decided its first frame (doorman_frames_total > 0 on /metrics), and the CPU time the JVM used until then
# (which a machine busy with other work does not inflate as much as the wall time); then resident memory 20 s later.
# Prints each start, min/median/max, and where the time of the last start went (from the daemon's own log lines).
# Usage: deploy/ready-time.sh [DOORMAN] [RUNS]   (defaults: this checkout's bin/doorman, 5)
#   e.g. deploy/ready-time.sh /opt/doorman/bin/doorman      or a release unpacked anywhere
# DOORMAN_READY_FRAMES: a folder of frames to replay (default: a recording made with `bin/doorman bench door`).
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
doorman=${1:-$home/bin/doorman}
runs=${2:-5}
work=${DOORMAN_READY_DIR:-/tmp/doorman-ready-time}
rm -rf "$work" && mkdir -p "$work/data"
frames=${DOORMAN_READY_FRAMES:-}
if [ -z "$frames" ]; then
  frames=$work/frames
  "$home/bin/doorman" bench door --write-frames "$frames" --visits 2 >/dev/null && rm -f "$frames/enroll.tsv"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/doorman.yaml" <<YAML
data-dir: $work/data
camera: {type: replay, path: $frames, loop: true, fps-cap: 10}
policy: {time-zone: UTC}
lock: {type: dry-run}
http: {enabled: true, host: 127.0.0.1, port: $port}
YAML
ms() { echo $(($(date +%s%N) / 1000000)); }
times=()
cpus=()
tick=$(getconf CLK_TCK)
for r in $(seq 1 "$runs"); do
  t0=$(ms)
  "$doorman" daemon --config "$work/doorman.yaml" > "$work/out" 2> "$work/log" &
  pid=$!
  while :; do
    kill -0 "$pid" 2>/dev/null || { echo "ready-time: the daemon exited; see $work/log" >&2; exit 1; }
    if [ -f "$work/data/api-token" ] && curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" &&
       curl -fs -H "Authorization: Bearer $(cat "$work/data/api-token")" "http://127.0.0.1:$port/metrics" |
         awk '$1 ~ /^doorman_frames_total/ {s += $2} END {exit !(s > 0)}'; then break; fi
    sleep 0.05
  done
  t=$(($(ms) - t0))
  cpu=$(awk -v tick="$tick" '{print int(($14 + $15) * 1000 / tick)}' "/proc/$pid/stat")
  times+=("$t")
  cpus+=("$cpu")
  sleep 20
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "start $r: ready in $t ms (CPU $cpu ms); resident memory 20 s later $((rss / 1024)) MB"
  kill -TERM "$pid"; wait "$pid" || true
done
stats() { local sorted; sorted=$(printf '%s\n' "$@" | sort -n)
  echo "min $(echo "$sorted" | head -n 1) ms, median $(echo "$sorted" | sed -n "$((($# + 1) / 2))p") ms, max $(echo "$sorted" | tail -n 1) ms"; }
echo "ready-time: $runs starts of $doorman: wall $(stats "${times[@]}"); CPU $(stats "${cpus[@]}"); load average $(cut -d' ' -f1 /proc/loadavg)"
# the last start's log, as milliseconds after the launch: when each part had finished
awk -v t0="$t0" '
  function at(line) { split(substr(line, 12, 12), a, /[:.]/); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4] }
  NR == 1 { first = at($0) }
  /HTTP API on/ && !api { api = at($0) }
  / ready: / && !ready { ready = at($0) }
  END { if (first) printf "ready-time: last start, from its first log line: HTTP API up +%d ms, loop ready +%d ms\n", api - first, ready - first }
' "$work/log"
