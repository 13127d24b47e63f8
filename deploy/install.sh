#!/usr/bin/env bash
# Installs or upgrades Doorman on a systemd Linux board (Raspberry Pi OS, Debian, Ubuntu).
#
#   sudo ./deploy/install.sh                       # from an unpacked release folder
#   sudo deploy/install.sh doorman-0.1.0.tar.gz    # from the release tarball
#
# Creates the system user "doorman", /opt/doorman (the program, owned by root), /etc/doorman (config),
# /var/lib/doorman (data), installs and enables the systemd unit. An existing /etc/doorman/doorman.yaml is never
# overwritten; the new example is put beside it. Nothing secret is made here: the daemon creates its API token
# on first start.
#
# For staged installs and tests: DOORMAN_INSTALL_ROOT=/some/dir installs below that folder, and
# DOORMAN_INSTALL_SKIP_SYSTEM=1 skips what needs root (users, ownership, systemctl).
set -euo pipefail

root=${DOORMAN_INSTALL_ROOT:-}
skip_system=${DOORMAN_INSTALL_SKIP_SYSTEM:-0}
user=doorman

say() { echo "install: $*"; }
fail() { echo "install: $*" >&2; exit 1; }

[ "$skip_system" = 1 ] || [ "$(id -u)" = 0 ] || fail "run as root (sudo $0 $*)"

# --- the release to install ---
tmp=""
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
if [ $# -ge 1 ]; then
  [ -f "$1" ] || fail "no such release tarball: $1"
  tmp=$(mktemp -d)
  tar -xzf "$1" -C "$tmp" || fail "cannot unpack $1"
  release=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
else
  release=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
fi
for need in bin/doorman lib deploy/doorman.example.yaml systemd/doorman.service; do
  [ -e "$release/$need" ] || fail "$release is not a Doorman release (no $need); pass the release tarball"
done

if ! command -v java >/dev/null; then
  say "warning: no java on PATH; install a Java 17 runtime (e.g. apt-get install openjdk-17-jre-headless)"
fi

# --- user and groups ---
if [ "$skip_system" != 1 ]; then
  for group in gpio video; do
    if ! getent group "$group" >/dev/null; then
      groupadd --system "$group"
      say "created group $group; give it the device nodes (e.g. a udev rule for /dev/gpiochip*) if this OS does not"
    fi
  done
  if ! getent passwd "$user" >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/doorman --no-create-home --shell /usr/sbin/nologin "$user"
    say "created system user $user"
  fi
fi

owned() { # mode owner:group path...
  local mode=$1 owner=$2; shift 2
  install -d -m "$mode" "$@"
  [ "$skip_system" = 1 ] || chown "$owner" "$@"
}
owned 0755 root:root "$root/opt" "$root/etc/systemd/system"
owned 0750 "root:$user" "$root/etc/doorman"
owned 0750 "$user:$user" "$root/var/lib/doorman"

# --- the program: swapped in whole, so a failed copy never leaves half an install ---
rm -rf "$root/opt/doorman.new" "$root/opt/doorman.old"
cp -R "$release" "$root/opt/doorman.new"
chmod -R u=rwX,go=rX "$root/opt/doorman.new"
chmod 0755 "$root/opt/doorman.new/bin/"*
[ "$skip_system" = 1 ] || chown -R root:root "$root/opt/doorman.new"
if [ -e "$root/opt/doorman" ]; then mv "$root/opt/doorman" "$root/opt/doorman.old"; fi
mv "$root/opt/doorman.new" "$root/opt/doorman"
rm -rf "$root/opt/doorman.old"
say "installed $(basename "$release") in $root/opt/doorman"

# --- config: never overwrite the installer's own ---
config="$root/etc/doorman/doorman.yaml"
install -m 0644 "$release/deploy/doorman.example.yaml" "$root/etc/doorman/doorman.example.yaml"
if [ -e "$config" ]; then
  say "kept $config (the current example, with any new keys, is doorman.example.yaml beside it)"
else
  install -m 0640 "$release/deploy/doorman.example.yaml" "$config"
  [ "$skip_system" = 1 ] || chown "root:$user" "$config"
  say "created $config from the example"
fi

# --- warm-up: natives unpacked into the daemon's cache once, and the class archive that makes starts fast ---
# (as the daemon's user, with the cache folders the unit gives it; a failure only costs start-up time)
owned 0750 "$user:$user" "$root/var/cache/doorman"
caches="-Dorg.bytedeco.javacpp.cachedir=$root/var/cache/doorman/javacpp -Ddoorman.native.cache=$root/var/cache/doorman/natives"
warm="$root/var/cache/doorman/warm-up.jsa"
if [ "$skip_system" = 1 ]; then
  JAVA_OPTS="$caches" "$root/opt/doorman/bin/doorman-warm-up" "$warm" || true
else
  runuser -u "$user" -- env HOME="$root/var/lib/doorman" JAVA_OPTS="$caches" "$root/opt/doorman/bin/doorman-warm-up" "$warm" || true
fi
if [ -s "$warm" ]; then
  install -d -m 0755 "$root/opt/doorman/cds"
  install -m 0444 "$warm" "$root/opt/doorman/cds/doorman.jsa"
  rm -f "$warm"
  say "made the start-up archive $root/opt/doorman/cds/doorman.jsa (run this installer again after a Java upgrade)"
else
  say "warning: no start-up archive; the daemon starts without it, a few seconds slower"
fi

# --- systemd ---
install -m 0644 "$release/systemd/doorman.service" "$root/etc/systemd/system/doorman.service"
if [ "$skip_system" = 1 ]; then
  say "skipped systemctl (DOORMAN_INSTALL_SKIP_SYSTEM=1)"
  exit 0
fi
systemctl daemon-reload
systemctl enable doorman.service
if systemctl is-active --quiet doorman.service; then
  systemctl restart doorman.service
  say "restarted doorman.service with the new version"
else
  say "enabled doorman.service; check lock.line, lock.polarity and camera in $config, then: systemctl start doorman"
fi
