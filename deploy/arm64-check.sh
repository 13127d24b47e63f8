#!/usr/bin/env bash
# Proves the release bundle runs on 64-bit ARM (Raspberry Pi 4/5 class) by running it under qemu-aarch64 user-mode
# emulation with Debian's own arm64 Java 17, and comparing its answers with the same commands on this x86_64 host.
#
#   bash deploy/arm64-check.sh          # from the project root (or anywhere: it finds its checkout)
#
# Needs: Debian (bookworm) and root once, to apt-get install qemu-user-static if it is missing. The arm64 Java
# runtime is NOT installed into the host: its .debs are fetched with a private apt configuration (arm64 only,
# state under target/arm64/apt) and unpacked with dpkg -x into target/arm64/sysroot, which is kept as a cache.
# The emulated CPU is a Cortex-A72 (Raspberry Pi 4) so that XNNPACK and OpenCV pick the kernels a Pi 4 would; qemu's
# default "max" CPU offers newer instructions (dotprod, SVE, ...) the Pi 4 lacks. ARM64_CHECK_CPU=cortex-a76 is a Pi 5.
# Knobs: ARM64_CHECK_BENCH=0 skips the (slow) bench run; ARM64_CHECK_REFRESH=1 rebuilds the sysroot;
# DOORMAN_SHARED points at the shared datasets (default ../shared/datasets); DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR.
# Not part of `mvn test`: it takes minutes, because emulated XNNPACK kernels are slow.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
work=$root/target/arm64
sysroot=$work/sysroot
packages=(openjdk-17-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g)  # the JVM's and the natives' NEEDED libraries
cpu=${ARM64_CHECK_CPU:-cortex-a72}
tolerance=0.001  # largest allowed |distance(arm64) - distance(x86_64)|; the accept margin is ~1.0
started=$(date +%s)

say() { echo "arm64-check: $*"; }
die() { echo "arm64-check: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

results=()
failures=0
record() {  # record PASS|FAIL "what" ["detail"]
  results+=("$(printf '%-4s  %s%s' "$1" "$2" "${3:+  ($3)}")")
  if [ "$1" != PASS ]; then failures=$((failures + 1)); fi
}
json_number() { sed -n "s/.*\"$1\":\([-0-9.eE]*\).*/\1/p" "$2"; }
json_bool() { sed -n "s/.*\"$1\":\(true\|false\).*/\1/p" "$2"; }
close_enough() { awk -v a="$1" -v b="$2" -v t="$tolerance" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t) }'; }
abs_diff() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.3g", d }'; }

# --- 1. qemu on the host, an arm64 Java 17 in a private sysroot ---
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [ -z "$qemu" ]; then
  [ "$(id -u)" = 0 ] || die "qemu-aarch64 is missing: run 'sudo apt-get install qemu-user-static' or run this as root"
  say "installing qemu-user-static (host package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends qemu-user-static >/dev/null
  qemu=$(command -v qemu-aarch64-static) || die "qemu-user-static installed but qemu-aarch64-static not found"
fi

arm_java=$sysroot/usr/lib/jvm/java-17-openjdk-arm64/bin/java
if [ "${ARM64_CHECK_REFRESH:-0}" = 1 ] || [ ! -f "$sysroot/.packages" ] || [ ! -x "$arm_java" ]; then
  t=$(now)
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  apt=$work/apt
  rm -rf "$sysroot" "$apt"
  mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$apt/debs" "$sysroot"
  touch "$apt/state/status"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  main_mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
  security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  {
    echo "deb [arch=arm64 signed-by=$keyring] $main_mirror $codename main"
    echo "deb [arch=arm64 signed-by=$keyring] $main_mirror $codename-updates main"
    echo "deb [arch=arm64 signed-by=$keyring] $security_mirror $codename-security main"
  } >"$apt/sources.list"
  apt_opts=(-q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o Dir::State="$apt/state"
    -o Dir::State::status="$apt/state/status" -o Dir::Cache="$apt/cache" -o Dir::Etc::sourcelist="$apt/sources.list"
    -o Dir::Etc::sourceparts="$apt/parts" -o APT::Sandbox::User="$(id -un)")
  say "fetching arm64 .debs from Debian $codename: ${packages[*]}"
  apt-get "${apt_opts[@]}" update >"$apt/update.log" 2>&1 || die "apt-get update (arm64 index) failed, see $apt/update.log"
  (cd "$apt/debs" && apt-get "${apt_opts[@]}" download "${packages[@]}") >"$apt/download.log" 2>&1 \
    || die "apt-get download failed, see $apt/download.log"
  for deb in "$apt/debs"/*.deb; do dpkg -x "$deb" "$sysroot"; done
  # Debian's JDK links conf files to /etc/java-17-openjdk by absolute path; the kernel would follow those to the
  # host's /etc, so point them inside the sysroot instead.
  find "$sysroot" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$sysroot$(readlink "$link")")" "$link"
  done
  (cd "$apt/debs" && ls ./*.deb) | sed 's|^\./||' >"$sysroot/.packages"
  say "sysroot ready in $(since "$t")"
else
  say "reusing sysroot $sysroot"
fi
[ -x "$arm_java" ] || die "no arm64 java in the sysroot ($arm_java)"
sed 's/^/arm64-check:   /' "$sysroot/.packages"

# The release launcher runs $JAVA_HOME/bin/java: give it one that is the arm64 JVM under qemu.
arm_home=$work/qemu-java-home
mkdir -p "$arm_home/bin"
printf '#!/bin/sh\nQEMU_LD_PREFIX=%s exec %s -cpu %s -L %s %s "$@"\n' "$sysroot" "$qemu" "$cpu" "$sysroot" "$arm_java" >"$arm_home/bin/java"
chmod +x "$arm_home/bin/java"
cat >"$work/logging.properties" <<'EOF'
handlers=java.util.logging.ConsoleHandler
.level=INFO
java.util.logging.ConsoleHandler.level=FINEST
java.util.logging.SimpleFormatter.format=JUL %4$s %3$s: %5$s%n
nu.pattern.level=FINEST
EOF

# --- 2. the release bundles: the Pi's (arm64) and, as the reference, the x86_64 one ---
tarball_for() { ls "$root"/doorman-core/target/doorman-*-"$1".tar.gz 2>/dev/null | head -1; }
if [ -z "$(tarball_for linux-arm64)" ] || [ -z "$(tarball_for linux-x86_64)" ]; then
  say "no release tarballs yet: mvn -q -DskipTests package"
  t=$(now)
  (cd "$root" && mvn -q -B -DskipTests package) || die "mvn package failed"
  say "built in $(since "$t")"
fi
tarball=$(tarball_for linux-arm64)
unpack() { # ARCH -> the unpacked bundle's folder
  rm -rf "$work/release-$1" && mkdir -p "$work/release-$1"
  tar -xzf "$(tarball_for "$1")" -C "$work/release-$1"
  local dir; dir=$(ls -d "$work/release-$1"/doorman-*/)
  echo "${dir%/}"
}
bundle=$(unpack linux-arm64)
x86_bundle=$(unpack linux-x86_64)
say "bundles $(basename "$tarball") and $(basename "$(tarball_for linux-x86_64)") unpacked in $work"
for jar in javacpp-*-linux-arm64.jar tensorflow-lite-*-linux-arm64.jar opencv-*-linux-arm64.jar; do
  compgen -G "$bundle/lib/$jar" >/dev/null || die "the arm64 bundle has no lib/$jar"
done

shared=${DOORMAN_SHARED:-$root/../shared/datasets}
johns=$shared/samples/johns
[ -d "$johns" ] || die "no sample photos in $johns (set DOORMAN_SHARED)"
mapfile -t people < <(find "$johns" -mindepth 1 -maxdepth 1 -type d | sort)
[ "${#people[@]}" -ge 2 ] || die "need two people in $johns"
mapfile -t own < <(find "${people[0]}" -maxdepth 1 -name '*.jpg' | sort)
photo_a=${own[0]}
photo_b=${own[${#own[@]} - 1]}
photo_other=$(find "${people[1]}" -maxdepth 1 -name '*.jpg' | sort | head -1)
say "photos: A=$photo_a B=$photo_b other=$photo_other"

rm -f "$work"/*.out "$work"/*.err "$work"/*.rc "$work"/*.secs  # no stale results from an earlier run

# run_doorman ARCH NAME ARGS...: runs the bundle's bin/doorman; output in $work/NAME.{out,err,rc,secs}
run_doorman() {
  local arch=$1 name=$2 t rc=0
  shift 2
  t=$(now)
  if [ "$arch" = arm64 ]; then
    JAVA_HOME=$arm_home JAVA_OPTS="-XshowSettings:properties -Dorg.bytedeco.javacpp.logger.debug=true \
-Dorg.bytedeco.javacpp.cachedir=$work/javacpp-cache -Ddoorman.native.cache=$work/natives-arm64 \
-Djava.util.logging.config.file=$work/logging.properties" \
      "$bundle/bin/doorman" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  else
    "$x86_bundle/bin/doorman" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  fi
  echo "$rc" >"$work/$name.rc"
  since "$t" >"$work/$name.secs"
  say "$arch $name: exit $rc in $(cat "$work/$name.secs"): $(head -c 400 "$work/$name.out" | tr '\n' ' ')"
}

# --- 3. the same commands on x86_64 (reference) and on arm64 ---
rm -rf "$work/gallery" "$work/natives-arm64"
run_doorman x86_64 x86-enroll enroll arm64-check-reference "$photo_a" --data "$work/gallery" --json
run_doorman x86_64 x86-same verify "$photo_a" "$photo_b" --encoder 192 --json
run_doorman x86_64 x86-other verify "$photo_a" "$photo_other" --encoder 192 --json
run_doorman x86_64 x86-same-128 verify "$photo_a" "$photo_b" --encoder 128 --json

run_doorman arm64 arm-same verify "$photo_a" "$photo_b" --encoder 192 --json
run_doorman arm64 arm-other verify "$photo_a" "$photo_other" --encoder 192 --json
run_doorman arm64 arm-same-128 verify "$photo_a" "$photo_b" --encoder 128 --json
run_doorman arm64 arm-vs-x86 verify "$photo_a" --as arm64-check-reference --data "$work/gallery" --json

# --- 4. checks ---
log=$work/arm-same.err
if grep -q '^ *os.arch = aarch64' "$log"; then record PASS "JVM under qemu reports os.arch=aarch64"
else record FAIL "JVM under qemu reports os.arch=aarch64" "see $log"; fi
tfl=$(grep -o 'Loading .*linux-arm64/libjnitensorflowlite.so' "$log" | head -1 || true)
if [ -n "$tfl" ] && ! grep -q 'Loading .*linux-x86_64' "$log"; then record PASS "JavaCPP loaded the linux-arm64 TFLite natives" "${tfl##*/linux-arm64/}"
else record FAIL "JavaCPP loaded the linux-arm64 TFLite natives" "see $log"; fi
# Doorman unpacks OpenCV's library once into its native cache (camera.OpenCv); OpenCV's own loader (the fallback)
# logs what it selected. Either way the library must be the AArch64 one (ELF e_machine 183).
cv=$(grep -o 'Selected native binary "[^"]*"' "$log" | head -1 || true)
cached=$(ls "$work"/natives-arm64/opencv-*/libopencv_java*.so 2>/dev/null | head -1 || true)
if [[ $cv == *linux/ARMv8/* ]] && grep -q 'loaded from extracted copy' "$log"; then record PASS "OpenCV loaded its ARMv8 library" "${cv#Selected native binary }"
elif [ -n "$cached" ] && [ "$(od -An -tu2 -j18 -N2 "$cached" | tr -d ' ')" = 183 ]; then
  record PASS "OpenCV loaded its ARMv8 library" "cached once as ${cached#"$work"/}"
else record FAIL "OpenCV loaded its ARMv8 library" "${cv:-no OpenCV load line and no AArch64 library in $work/natives-arm64}; see $log"; fi

# compare NAME_ARM NAME_X86 EXPECT_SAME EXPECT_RC WHAT
compare() {
  local arm=$work/$1.out x86=$work/$2.out da dx
  da=$(json_number distance "$arm"); dx=$(json_number distance "$x86")
  if [ "$(json_bool same "$arm")" = "$3" ] && [ "$(cat "$work/$1.rc")" = "$4" ] && [ "$(json_bool same "$x86")" = "$3" ] \
    && close_enough "$da" "$dx"; then
    record PASS "$5" "arm64 $da, x86_64 $dx, |diff| $(abs_diff "$da" "$dx")"
  else
    record FAIL "$5" "arm64 same=$(json_bool same "$arm") d=$da exit $(cat "$work/$1.rc"); x86_64 same=$(json_bool same "$x86") d=$dx"
  fi
}
compare arm-same x86-same true 0 "same person, 192-d: match on both, distances agree"
compare arm-other x86-other false 1 "other person, 192-d: no match on both, distances agree"
compare arm-same-128 x86-same-128 true 0 "same person, 128-d head: match on both, distances agree"
cross=$(json_number distance "$work/arm-vs-x86.out")
if [ "$(cat "$work/x86-enroll.rc")" = 0 ] && close_enough "$cross" 0; then
  record PASS "photo A embedded on arm64 vs its x86_64 template" "squared distance $cross"
else
  record FAIL "photo A embedded on arm64 vs its x86_64 template" "distance '${cross}', enroll exit $(cat "$work/x86-enroll.rc")"
fi

# the Pi's bundle carries the product alone: no other platform's natives, no lab (training, evaluation, DJL)
foreign=$(cd "$bundle/lib" && ls | grep -E 'x86_64|windows|macosx|tflite-engine|tflite-native|doorman-lab|doorman-modeltool' || true)
if [ -z "$foreign" ]; then record PASS "the arm64 bundle holds only arm64 natives and no lab code" "$(du -sh "$bundle" | cut -f1) unpacked"
else record FAIL "the arm64 bundle holds only arm64 natives and no lab code" "$foreign"; fi

# --- 5. summary ---
echo
echo "arm64-check summary ($(basename "$tarball"), arm64 JVM $(sed -n 's/^openjdk-17-jre-headless_\([^_]*\)_.*/\1/p' "$sysroot/.packages"), $(basename "$qemu") -cpu $cpu)"
printf '  %s\n' "${results[@]}"
for name in arm-same arm-other arm-same-128 arm-vs-x86 x86-same; do
  [ -f "$work/$name.secs" ] && printf '  time %-13s %s\n' "$name" "$(cat "$work/$name.secs")"
done
echo "  total $(( $(date +%s) - started )) s; logs in $work"
if [ "$failures" -gt 0 ]; then
  echo "arm64-check: $failures check(s) FAILED" >&2
  exit 1
fi
echo "arm64-check: all checks passed"
