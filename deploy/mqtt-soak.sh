#!/usr/bin/env bash
# The frame loop with the MQTT broker up and down in turn, in one run of the real daemon: replays LFW
# photos (10 people enrolled from one photo each, 10 strangers) through `doorman run` with a dry-run lock, one
# inference thread, liveness off, the HTTP API and MQTT on; its own mosquitto on a loopback port with a password.
# Phases alternate (up, down, up, down, ...) so that load from elsewhere on the machine falls on both alike.
# Prints, per phase, the frames processed and the mean per-frame time (from /metrics), the mean over the up and
# over the down phases, then checks that every decision the loop made is in the audit log and counts the events
# a subscriber received.
# Usage: deploy/mqtt-soak.sh [PHASE_SECONDS] [LFW_ROOT] [PHASES]   (defaults: 45, ../shared/datasets/lfw-train, 6)
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
phase=${1:-45}
lfw=$(cd "${2:-$home/../shared/datasets/lfw-train}" && pwd)
phases=${3:-6}
work=${DOORMAN_SOAK_DIR:-/tmp/doorman-mqtt-soak}
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "mqtt-soak: needs mosquitto (.ci/install-mosquitto)" >&2; exit 1; }
PATH=$PATH:/usr/sbin
rm -rf "$work" && mkdir -p "$work/frames" "$work/data" "$work/broker"

mapfile -t people < <(for d in "$lfw"/*/; do n=$(find "$d" -maxdepth 1 -name '*.jpg' | wc -l); [ "$n" -ge 4 ] && basename "$d"; done | head -n 20)
[ "${#people[@]}" -eq 20 ] || { echo "mqtt-soak: need 20 people with 4+ photos under $lfw" >&2; exit 1; }
i=0
for p in "${people[@]}"; do
  photos=("$lfw/$p"/*.jpg)
  if [ $i -lt 10 ]; then "$home/bin/doorman" enroll "$p" "${photos[0]}" --data "$work/data" >/dev/null; fi
  for k in 1 2 3; do for r in a b c; do cp "${photos[$k]}" "$work/frames/$(printf '%02d' $i)-$k-$r.jpg"; done; done
  i=$((i + 1))
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(head -c 18 /dev/urandom | base64)
mosquitto_passwd -b -c "$work/broker/passwd" door "$password" 2>/dev/null
printf '%s\n' "$password" > "$work/mqtt-password"
cat > "$work/broker/mosquitto.conf" <<CONF
user $(id -un)
persistence false
listener $port 127.0.0.1
allow_anonymous false
password_file $work/broker/passwd
CONF
broker() { mosquitto -c "$work/broker/mosquitto.conf" >> "$work/broker/mosquitto.log" 2>&1 & echo $! > "$work/broker/pid"; sleep 0.5; }
broker

cat > "$work/doorman.yaml" <<YAML
data-dir: $work/data
camera: {type: replay, path: $work/frames, loop: true, fps-cap: 30}
liveness: {enabled: false, i-understand: true}
policy: {frames: 3, cooldown-ms: 0, time-zone: UTC}
lock: {type: dry-run}
http: {enabled: true, host: 127.0.0.1, port: $http_port}
threads: 1
mqtt: {enabled: true, url: "tcp://127.0.0.1:$port", username: door, password-file: $work/mqtt-password, door: soak}
YAML

mosquitto_sub -h 127.0.0.1 -p "$port" -u door -P "$password" -v -t 'doorman/soak/event' > "$work/events.txt" 2>/dev/null &
sub=$!
DOORMAN_JAVA_OPTS="${DOORMAN_JAVA_OPTS:--Xmx512m}" "$home/bin/doorman" run --config "$work/doorman.yaml" 2> "$work/daemon.log" > /dev/null &
daemon=$!
until [ -f "$work/data/api-token" ] && curl -fs -o /dev/null -H "Authorization: Bearer $(cat "$work/data/api-token")" "http://127.0.0.1:$http_port/metrics"; do sleep 1; done
token=$(cat "$work/data/api-token")
scrape() { curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/metrics"; }
value() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
sleep 10 # warm-up
scrape > "$work/m0"
for n in $(seq 1 "$phases"); do
  sleep "$phase"; scrape > "$work/m$n"
  if [ $((n % 2)) -eq 1 ]; then kill "$(cat "$work/broker/pid")"; wait "$(cat "$work/broker/pid")" 2>/dev/null || true
  elif [ "$n" -lt "$phases" ]; then broker; fi
done
kill -TERM "$daemon"; wait "$daemon" || true
kill "$sub" 2>/dev/null || true
kill "$(cat "$work/broker/pid")" 2>/dev/null || true

echo "mqtt-soak: per-frame time of the loop (doorman_frame_seconds), $phase s a phase, after 10 s of warm-up"
for n in $(seq 1 "$phases"); do
  prev="$work/m$((n - 1))"; cur="$work/m$n"
  state=$([ $((n % 2)) -eq 0 ] && echo down || echo up)
  c0=$(value doorman_frame_seconds_count "$prev"); c1=$(value doorman_frame_seconds_count "$cur")
  s0=$(value doorman_frame_seconds_sum "$prev"); s1=$(value doorman_frame_seconds_sum "$cur")
  h0=$(value doorman_mqtt_handoff_seconds_count "$prev"); h1=$(value doorman_mqtt_handoff_seconds_count "$cur")
  hs0=$(value doorman_mqtt_handoff_seconds_sum "$prev"); hs1=$(value doorman_mqtt_handoff_seconds_sum "$cur")
  echo "$state $((c1 - c0)) $s0 $s1 $((${h1:-0} - ${h0:-0})) ${hs0:-0} ${hs1:-0}"
done | awk '{ c = $2; ms = 1000 * ($4 - $3); h = $5; us = 1e6 * ($7 - $6)
              printf "  phase %d, broker %-4s: %6d frames, mean %.2f ms a frame; %4d decisions handed to MQTT, mean %.1f us each\n", NR, $1, c, ms / c, h, h ? us / h : 0
              n[$1] += c; t[$1] += ms; hn[$1] += h; ht[$1] += us }
            END { printf "  all phases: broker up %.2f ms a frame (%d frames), broker down %.2f ms a frame (%d frames)\n",
                  t["up"] / n["up"], n["up"], t["down"] / n["down"], n["down"]
                  printf "  hand-off to MQTT on the deciding thread: broker up %.1f us (%d), broker down %.1f us (%d)\n",
                  ht["up"] / hn["up"], hn["up"], ht["down"] / hn["down"], hn["down"] }'
last="$work/m$phases"
decisions=$(awk '/^doorman_decisions_total\{/ && !/action="none"/ {s += $2} END {print s + 0}' "$last")
for m in doorman_mqtt_published_total doorman_mqtt_dropped_total doorman_mqtt_connects_total; do v=$(value $m "$last"); echo "  $m ${v:-0}"; done
audited=$(grep -c ' decision id=' "$work/daemon.log" || true)
echo "  audit: $audited decisions logged by the audit log; $decisions counted by the loop up to the last scrape"
echo "  subscriber received $(wc -l < "$work/events.txt") events"
