#!/usr/bin/env bash
# The red-team campaign of issue 8, repeatable: hostile traffic and faults against `doorman serve` on loopback.
#
#   bash deploy/redteam/run.sh            # from a source checkout; writes target/redteam/summary.txt
#
# Parts (each prints "part: result" lines into the summary):
#   api       ~900 varied requests (bad tokens, malformed JSON, huge/odd headers, path tricks, wrong methods,
#             oversized and truncated uploads, chunk smuggling, CORS preflights), each checked for 5xx, missing
#             answers, non-JSON errors, leaked internals, CORS grants, and the owner's own requests all passing
#   slow      ~2 000 slow connections in waves while /healthz is probed
#   kill      20 kill -9: 10 during a CLI enroll of many photos, 10 of `serve` during API enrollments; then no
#             partial person and the gallery opens clean
#   overwrite 30 random 8-byte overwrites of a copy of gallery.db, each opened by `doorman identify`
#   diskfull  a 3 MB tmpfs (needs root and mount -t tmpfs; said so when it cannot): enroll, serve
#   config    19 config faults: each must stop `serve` with one `doorman:` line, or start it with a RISKY warning
# Knobs: REDTEAM_SEED (default 8), REDTEAM_PORT (default 18480), REDTEAM_PARTS (default all of the above),
# REDTEAM_OUT (default target/redteam, emptied first).
# Traffic goes to 127.0.0.1 only, bounded in count and time.
set -uo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
out=${REDTEAM_OUT:-$root/target/redteam}
seed=${REDTEAM_SEED:-8}
port=${REDTEAM_PORT:-18480}
parts=${REDTEAM_PARTS:-api slow kill overwrite diskfull config}
shared=${DOORMAN_SHARED:-$root/../shared/datasets}
doorman=$root/bin/doorman
rm -rf "$out" && mkdir -p "$out"
summary=$out/summary.txt
say() { echo "$*" | tee -a "$summary"; }
photos=("$shared"/lfw-train/Aaron_Peirsol/*.jpg)
[ -f "${photos[0]}" ] || { echo "redteam: no photos under $shared/lfw-train (set DOORMAN_SHARED)" >&2; exit 2; }
many=($(ls "$shared"/lfw-train/George_W_Bush/*.jpg | head -150))
"$doorman" --version >/dev/null 2>&1 || true   # builds once if the sources changed

serve_pid=
start_serve() { # data-dir [extra args]
  local data=$1; shift
  "$doorman" serve --data "$data" --host 127.0.0.1 --port "$port" "$@" > "$out/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
    kill -0 "$serve_pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}
stop_serve() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; serve_pid=; }
trap 'stop_serve; mountpoint -q "$out/full" && umount "$out/full"' EXIT

# a gallery with one person, used by several parts
base=$out/base
"$doorman" enroll "Aaron Peirsol" "${photos[@]:0:3}" --data "$base" > /dev/null 2>&1 || { echo "redteam: enroll failed" >&2; exit 1; }

for part in $parts; do case $part in
api)
  data=$out/api; cp -r "$base" "$data"
  start_serve "$data" || { say "api: serve did not start (see $out/serve.log)"; continue; }
  token=$(cat "$data/api-token")
  java "$root/deploy/redteam/RedTeam.java" api "$port" "$token" 900 "$seed" "${photos[0]}" > "$out/api.txt" 2>&1
  alive=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
  stop_serve
  say "api: $(grep -E '^(requests|statuses|findings)' "$out/api.txt" | tr '\n' ' ') healthz-after $alive"
  grep '^finding ' "$out/api.txt" | sed 's/^/api: /' | tee -a "$summary" > /dev/null
  ;;
slow)
  data=$out/slow; cp -r "$base" "$data"
  start_serve "$data" || { say "slow: serve did not start"; continue; }
  java "$root/deploy/redteam/RedTeam.java" slow "$port" 2000 > "$out/slow.txt" 2>&1
  stop_serve
  say "slow: $(tr '\n' ' ' < "$out/slow.txt")"
  ;;
kill)
  # photos one uninterrupted enroll accepts (LFW has group shots and turned heads, which enroll refuses whole)
  "$doorman" enroll "Control" "${many[@]}" --data "$out/control" > /dev/null 2> "$out/control.err"
  refused=$(grep -o 'refused [^ ]*\.jpg' "$out/control.err" | cut -d' ' -f2 | tr '\n' '|')
  kept=(); for p in "${many[@]}"; do case "|$refused" in *"|$p|"*) ;; *) kept+=("$p") ;; esac; done; many=("${kept[@]}")
  rm -rf "$out/control"; start=$(date +%s.%N)
  "$doorman" enroll "Control" "${many[@]}" --data "$out/control" > /dev/null 2>&1; control=$?
  say "kill: control enroll of ${#many[@]} photos, uninterrupted: exit $control in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
  partial=0; enrolled_all=0; nothing=0
  for i in $(seq 1 10); do
    data=$out/kill-cli-$i; cp -r "$base" "$data"
    "$doorman" enroll "Kill Test" "${many[@]}" --data "$data" > /dev/null 2>&1 &
    pid=$!; sleep "$(awk -v s="$seed$i" 'BEGIN { srand(s); printf "%.1f", 1 + rand() * 8 }')"
    pkill -9 -P "$pid" 2>/dev/null; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    n=$("$doorman" people --data "$data" --json 2>/dev/null | grep -o '"name":"Kill Test"[^}]*"templates":[0-9]*' | grep -o '[0-9]*$')
    if [ -z "$n" ]; then nothing=$((nothing + 1)); elif [ "$n" -eq "${#many[@]}" ]; then enrolled_all=$((enrolled_all + 1)); else partial=$((partial + 1)); fi
  done
  say "kill: CLI enroll of ${#many[@]} photos killed 10 times: nothing stored $nothing, all stored $enrolled_all, partial $partial"
  data=$out/kill-serve; cp -r "$base" "$data"
  opened=0; quarantined=0
  for i in $(seq 1 10); do
    start_serve "$data" || { say "kill: serve did not start on round $i (see $out/serve.log)"; break; }
    token=$(cat "$data/api-token")
    id=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "{\"name\":\"Serve Kill $i\"}" \
      "http://127.0.0.1:$port/api/people" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
    for p in "${many[@]:0:6}"; do
      curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: image/jpeg' --data-binary "@$p" \
        "http://127.0.0.1:$port/api/people/$id/faces" &
    done
    sleep "0.$((RANDOM % 9 + 1))"
    pkill -9 -P "$serve_pid" 2>/dev/null; kill -9 "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; serve_pid=
    wait
    if "$doorman" people --data "$data" > "$out/kill-serve-people.txt" 2> "$out/kill-serve-err.txt"; then opened=$((opened + 1)); fi
    grep -qi quarantin "$out/kill-serve-err.txt" && quarantined=$((quarantined + 1))
  done
  say "kill: serve killed 10 times during API enrollments: the gallery opened afterwards $opened of 10, with quarantined records $quarantined"
  ;;
overwrite)
  refused=0; quarantined=0; same=0; silent=0
  expected=$("$doorman" identify "${photos[3]}" --data "$base" --json 2>/dev/null | grep -o '"distance":[0-9.]*')
  size=$(stat -c %s "$base/gallery.db")
  for i in $(seq 1 30); do
    data=$out/overwrite-$i; cp -r "$base" "$data"
    offset=$(awk -v s="$seed$i" -v n="$size" 'BEGIN { srand(s); printf "%d", rand() * (n > 65536 ? 65536 : n - 8) }')
    head -c 8 /dev/urandom | dd of="$data/gallery.db" bs=1 seek="$offset" conv=notrunc status=none
    answer=$("$doorman" identify "${photos[3]}" --data "$data" --json 2> "$out/overwrite-$i.err"); code=$?
    if [ $code -eq 4 ]; then refused=$((refused + 1))
    elif grep -qi quarantin "$out/overwrite-$i.err"; then quarantined=$((quarantined + 1))
    elif [ "$(echo "$answer" | grep -o '"distance":[0-9.]*')" = "$expected" ]; then same=$((same + 1))
    else silent=$((silent + 1)); echo "overwrite $i at $offset: $answer $(cat "$out/overwrite-$i.err")" >> "$out/silent.txt"
    fi
  done
  say "overwrite: 30 random 8-byte overwrites in the first 64 KB of gallery.db: refused $refused, quarantined $quarantined, unchanged answer $same, silent change $silent"
  ;;
diskfull)
  mkdir -p "$out/full"
  if ! mount -t tmpfs -o size=3m tmpfs "$out/full" 2>/dev/null; then say "diskfull: not run (mount -t tmpfs is not allowed here)"; continue; fi
  cp -r "$base" "$out/full/data"
  dd if=/dev/zero of="$out/full/filler" bs=64k status=none 2>/dev/null
  "$doorman" enroll "Full Disk" "${photos[@]:3:2}" --data "$out/full/data" > /dev/null 2> "$out/full-enroll.err"; e=$?
  "$doorman" serve --data "$out/full/data2" --port 0 > /dev/null 2> "$out/full-serve.err" & sp=$!
  sleep 15; kill "$sp" 2>/dev/null; wait "$sp"; s=$?
  say "diskfull: enroll exit $e: $(grep -m1 "doorman:" "$out/full-enroll.err")"
  say "diskfull: serve on a new data dir exit $s: $(grep -m1 'doorman:' "$out/full-serve.err")"
  "$doorman" people --data "$out/full/data" > /dev/null 2>&1 && say "diskfull: the gallery still lists after the full disk" || say "diskfull: the gallery does NOT open after the full disk"
  umount "$out/full"
  ;;
config)
  ok=0; total=0
  cfg() { # name expectation(refuse|risky) yaml
    total=$((total + 1)); printf '%s\n' "$3" > "$out/config-$1.yaml"
    timeout 40 "$doorman" serve --config "$out/config-$1.yaml" --port 0 > "$out/config-$1.out" 2> "$out/config-$1.err" & local p=$!
    local waited=0
    while kill -0 $p 2>/dev/null && [ $waited -lt 25 ]; do sleep 1; waited=$((waited + 1)); done
    if kill -0 $p 2>/dev/null; then kill $p; wait $p 2>/dev/null; local code=running; else wait $p; local code=$?; fi
    local line; line=$(grep -m1 'doorman:' "$out/config-$1.err" | cut -c1-150)
    local lines; lines=$(grep -c 'doorman:' "$out/config-$1.err")
    if [ "$2" = refuse ] && [ "$code" != running ] && [ "$code" != 0 ] && [ "$lines" = 1 ]; then ok=$((ok + 1)); verdict=ok
    elif [ "$2" = risky ] && grep -q 'RISKY SETTING' "$out/config-$1.err" "$out/config-$1.out"; then ok=$((ok + 1)); verdict=ok
    else verdict=UNEXPECTED; fi
    echo "config: $1 ($2) -> exit $code, $verdict: $line" >> "$summary"
  }
  # a dry-run lock in each case, so that a missing GPIO chip on this machine does not stand in for the fault
  d="data-dir: $out/config-data"$'\n'"lock:"$'\n'"  type: dry-run"
  cfg unknown-key refuse "$d
  pulse_ms: 100"
  cfg bad-yaml refuse "$d
camera: [type: v4l2"
  cfg wrong-type refuse "$d
  pulse-ms: lots"
  cfg negative-pulse refuse "$d
  pulse-ms: -5"
  cfg huge-pulse refuse "$d
  pulse-ms: 99999999"
  cfg bad-polarity refuse "$d
  polarity: sideways"
  cfg liveness-off refuse "$d
liveness:
  enabled: false"
  cfg liveness-threshold-1 refuse "$d
liveness:
  threshold: 1"
  cfg liveness-threshold-2 refuse "$d
liveness:
  threshold: 2"
  cfg enabled-no refuse "$d
http:
  enabled: no"
  cfg bad-port refuse "$d
http:
  port: 70000"
  cfg bad-host refuse "$d
http:
  host: no.such.host.invalid"
  cfg missing-keystore refuse "$d
http:
  tls-keystore: /nonexistent/keystore.p12"
  cfg zero-frames refuse "$d
policy:
  frames: 0"
  cfg bad-encoder refuse "$d
match:
  encoder: 64"
  cfg bad-accept refuse "$d
match:
  stranger-accept-per-visit: 5"
  cfg empty-file refuse "# nothing but a comment"
  cfg data-dir-is-file refuse "data-dir: /etc/passwd
lock:
  type: dry-run"
  cfg dry-run-lock risky "$d"
  say "config: $ok of $total config faults handled as expected (details above)"
  ;;
*) echo "redteam: unknown part $part" >&2 ;;
esac; done
echo "redteam: summary in $summary"
