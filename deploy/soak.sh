#!/usr/bin/env bash
# Soak run of the real daemon loop: replays LFW photos (people enrolled from one photo each, and strangers) in a
# loop through `doorman run` with a dry-run lock, one inference thread, liveness on and the HTTP API up, and
# prints frames per second and resident memory after warm-up and at the end.
# Usage: deploy/soak.sh [FRAMES] [LFW_ROOT]   (defaults: 10000, ../shared/datasets/lfw-train)
# DOORMAN_SOAK_LIVENESS=false runs without the anti-spoofing model (about 0.3 s a checked face on a desktop core).
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
frames=${1:-10000}
lfw=$(cd "${2:-$home/../shared/datasets/lfw-train}" && pwd)
work=${DOORMAN_SOAK_DIR:-/tmp/doorman-soak}
rm -rf "$work" && mkdir -p "$work/frames" "$work/data"

# 20 people with at least 4 photos: the first 10 are enrolled from their first photo, the rest are strangers.
mapfile -t people < <(for d in "$lfw"/*/; do n=$(find "$d" -maxdepth 1 -name '*.jpg' | wc -l); [ "$n" -ge 4 ] && basename "$d"; done | head -n 20)
[ "${#people[@]}" -eq 20 ] || { echo "soak: need 20 people with 4+ photos under $lfw" >&2; exit 1; }
i=0
for p in "${people[@]}"; do
  photos=("$lfw/$p"/*.jpg)
  if [ $i -lt 10 ]; then
    "$home/bin/doorman" enroll "$p" "${photos[0]}" --data "$work/data" >/dev/null
  fi
  # each photo held for three frames, as a camera sees a person standing still
  for k in 1 2 3; do for r in a b c; do cp "${photos[$k]}" "$work/frames/$(printf '%02d' $i)-$k-$r.jpg"; done; done
  i=$((i + 1))
done

cat > "$work/doorman.yaml" <<YAML
data-dir: $work/data
camera: {type: replay, path: $work/frames, loop: true, fps-cap: 60}
liveness: {enabled: ${DOORMAN_SOAK_LIVENESS:-true}, i-understand: true}
policy: {frames: 3, cooldown-ms: 0, time-zone: UTC}
lock: {type: dry-run}
http: {enabled: true, host: 127.0.0.1, port: 18080}
threads: 1
YAML
echo "soak: $(ls "$work/frames" | wc -l) frames in the loop, 10 people enrolled, $frames frames to run"
DOORMAN_JAVA_OPTS="${DOORMAN_JAVA_OPTS:--Xmx512m}" "$home/bin/doorman" run --config "$work/doorman.yaml" --frames "$frames" 2> "$work/daemon.log"
echo "soak: audit of the run: $(grep -c 'action=UNLOCK' "$work/daemon.log" || true) unlock lines, $(grep -c 'action=STRANGER_EVENT' "$work/daemon.log" || true) stranger lines in $work/daemon.log"
