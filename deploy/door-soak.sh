#!/usr/bin/env bash
# The door's soak: the release's daemon (its own bin/doorman, so its memory settings) with everything on (liveness,
# HTTP API, MQTT to its own mosquitto on loopback) replays a 640x480 door recording at the camera's rate (10 fps)
# in a loop, with a dry-run lock, for DURATION seconds. Resident memory, frames decided and unlocks are sampled every
# minute into $work/samples.tsv; at the end it prints RSS at the first and last minute, frames, unlocks and failures.
# Usage: deploy/door-soak.sh [DURATION_SECONDS] [LFW_ROOT]   (defaults: 3600, ../shared/datasets/lfw-train)
# Needs a built checkout (bin/doorman builds it) for the recording and the release tarball, and mosquitto.
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-3600}
lfw=$(cd "${2:-$home/../shared/datasets/lfw-train}" && pwd)
work=${DOORMAN_SOAK_DIR:-/tmp/doorman-door-soak}
fps=${DOORMAN_SOAK_FPS:-10}
PATH=$PATH:/usr/sbin
command -v mosquitto >/dev/null || { echo "door-soak: needs mosquitto (.ci/install-mosquitto)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/release" "$work/data" "$work/broker"

# the release as installed: its launcher and jars, not the lab's
tarball=$(ls "$home"/doorman-core/target/doorman-*-linux-x86_64.tar.gz 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "door-soak: no release tarball; run mvn -DskipTests package first" >&2; exit 1; }
tar -xzf "$tarball" -C "$work/release"
doorman=$(ls -d "$work"/release/*/bin/doorman)

# the recording (10 enrolled people and 10 strangers at door distances) and the enrolment of its people
"$home/bin/doorman" bench door --write-frames "$work/frames" --visits 10 --lfw "$lfw" >/dev/null
# a photo with several faces is refused (its person then comes to the door as a stranger)
enrolled=0
while IFS=$'\t' read -r name photo; do
  if "$doorman" enroll "$name" "$photo" --data "$work/data" < /dev/null > /dev/null 2>&1; then enrolled=$((enrolled + 1))
  else echo "door-soak: $name not enrolled (photo refused)"; fi
done < "$work/frames/enroll.tsv"
mv "$work/frames/enroll.tsv" "$work/enroll.tsv"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/broker/mosquitto.conf" <<CONF
persistence false
listener $port 127.0.0.1
allow_anonymous true
CONF
mosquitto -c "$work/broker/mosquitto.conf" > "$work/broker/mosquitto.log" 2>&1 &
broker=$!
cat > "$work/doorman.yaml" <<YAML
data-dir: $work/data
camera: {type: replay, path: $work/frames, loop: true, fps-cap: $fps}
policy: {time-zone: UTC}
lock: {type: dry-run}
http: {enabled: true, host: 127.0.0.1, port: $http_port}
mqtt: {enabled: true, url: "tcp://127.0.0.1:$port", door: soak}
YAML
echo "door-soak: $(ls "$work/frames" | wc -l) frames of 640x480 in the loop at $fps fps, $enrolled people enrolled, $duration s"
"$doorman" daemon --config "$work/doorman.yaml" > "$work/daemon.out" 2> "$work/daemon.log" &
daemon=$!
cleanup() { kill -TERM "$daemon" 2>/dev/null || true; kill "$broker" 2>/dev/null || true; }
trap cleanup EXIT
until [ -f "$work/data/api-token" ] && curl -fs -o /dev/null "http://127.0.0.1:$http_port/healthz"; do
  kill -0 "$daemon" 2>/dev/null || { echo "door-soak: the daemon exited; see $work/daemon.log" >&2; exit 1; }
  sleep 1
done
token=$(cat "$work/data/api-token")
# a counter summed over its labels
metric() { curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/metrics" | awk -v k="$1" 'index($1, k) == 1 && substr($1, length(k) + 1, 1) ~ /^(\{|)$/ {s += $2} END {print s + 0}'; }
printf 'minute\trss_kb\tframes\tunlocks\n' > "$work/samples.tsv"
start=$(date +%s)
for ((m = 1; m * 60 <= duration; m++)); do
  wait_s=$((start + m * 60 - $(date +%s)))
  if [ "$wait_s" -gt 0 ]; then sleep "$wait_s"; fi
  kill -0 "$daemon" 2>/dev/null || { echo "door-soak: the daemon exited at minute $m; see $work/daemon.log" >&2; exit 1; }
  printf '%d\t%s\t%s\t%s\n' "$m" "$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")" "$(metric doorman_frames_total)" \
    "$(metric doorman_unlocks_total)" >> "$work/samples.tsv"
done
kill -TERM "$daemon"; wait "$daemon" || true
trap - EXIT; kill "$broker" 2>/dev/null || true
first=$(awk 'NR == 2 {print $2}' "$work/samples.tsv"); last=$(awk 'END {print $2}' "$work/samples.tsv")
frames=$(awk 'END {print $3}' "$work/samples.tsv"); unlocks=$(awk 'END {print $4}' "$work/samples.tsv")
failed=$(grep -c 'frame failed' "$work/daemon.log" || true)
echo "door-soak: $frames frames decided, $unlocks unlocks, $failed failed frames, $(grep -c ' ERROR ' "$work/daemon.log" || true) error lines"
echo "door-soak: resident memory $((first / 1024)) MB after minute 1, $((last / 1024)) MB at the end, max $(($(cut -f2 "$work/samples.tsv" | sort -n | tail -n 1) / 1024)) MB (samples in $work/samples.tsv)"
