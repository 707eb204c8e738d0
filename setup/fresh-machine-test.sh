#!/usr/bin/env bash
# The README's set-up promise, checked on a bare Debian 12 (issue 21). On demand only: it downloads a Debian base
# system, the Debian packages, Maven's dependencies and the PP-OCRv4 models, and runs the whole suite.
#   1. debootstrap --variant=minbase bookworm into a fresh directory (Debian's default mirror), used with chroot;
#   2. without any JDK: `bin/longshot <command>` must stop with the one message naming what to install, having
#      installed nothing;
#   3. with the host's newest JDK 21+ copied into the root's /usr/lib/jvm (standing for the user's own install):
#      `bin/longshot <command>` must succeed from nothing.
# It prints the time of each step (set-up timed apart from the command) and the download sizes (apt archives,
# ~/.m2, the models); logs go to DIR (no-jdk.log, setup.log, with-jdk.log).
# Usage (as root): setup/fresh-machine-test.sh [--command test|setup|build] [--dir DIR] [--keep]
#   --command  what step 3 runs (default: test, the README's command; setup or build are quicker partial checks)
#   --dir      where the root file system goes (default: a new directory under /var/tmp); --keep leaves it there
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMAND=test DIR="" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --command) COMMAND="$2"; shift 2 ;;
    --dir) DIR="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done
say() { printf 'fresh-machine: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || { say "installing debootstrap"; apt-get install -y -qq debootstrap >/dev/null; }

# the host's newest JDK 21+, found with the same rules bin/longshot uses
PACKAGES_FILE="$REPO/setup/debian-packages.txt"
# shellcheck source=lib.sh
. "$REPO/setup/lib.sh"
HOST_JDK="$(best_jdk)"
[ -n "$HOST_JDK" ] || die "the host has no JDK 21+ to copy into the test root"

[ -n "$DIR" ] || DIR="$(mktemp -d /var/tmp/longshot-fresh.XXXXXX)"
mkdir -p "$DIR" || die "cannot make $DIR"
R="$DIR/root"
mounted=()
cleanup() {
  local m
  for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
  if [ "$KEEP" -eq 0 ]; then rm -rf --one-file-system "$DIR"; else say "left the root in $R"; fi
}
trap cleanup EXIT
t() { date +%s; }

t0=$(t)
say "debootstrap --variant=minbase bookworm $R"
debootstrap --variant=minbase bookworm "$R" >"$DIR/debootstrap.log" 2>&1 || die "debootstrap failed: $(tail -3 "$DIR/debootstrap.log")"
t_base=$(( $(t) - t0 ))
say "debootstrap: ${t_base} s, $(chroot "$R" dpkg-query -W -f='${Package}\n' | wc -l) packages"
cp /etc/resolv.conf "$R/etc/resolv.conf"
# debootstrap writes no /etc/hosts (Debian's installer and cloud images do): without it `localhost` does not resolve
# and chromedriver cannot reach Chromium ("unable to connect to renderer" in the web tests)
[ -e "$R/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$R/etc/hosts"
# the root on itself first, so that / inside the chroot is a mount point as on any machine or container (Java's
# Files.getFileStore, used for the upload free-space check, fails with "Mount point not found" otherwise); unmounted last
mount --bind "$R" "$R"; mounted=("$R")
for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$R/$m"; mount --bind "/$m" "$R/$m"; mounted=("$R/$m" "${mounted[@]}")
done
mkdir -p "$R/opt/longshot"
(cd "$REPO" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$R/opt/longshot"
in_root() { chroot "$R" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 bash -c "cd /opt/longshot && $*"; }
packages_now() { chroot "$R" dpkg-query -W -f='${Package}\n' | wc -l; }

# 2. no JDK: one message, nothing installed
before=$(packages_now)
set +e
out=$(in_root "bin/longshot $COMMAND" 2>&1)
rc=$?
set -e
after=$(packages_now)
printf '%s\n' "$out" >"$DIR/no-jdk.log"
[ "$rc" -ne 0 ] || die "without a JDK, bin/longshot $COMMAND succeeded; expected it to stop"
[[ "$out" == *"openjdk-21-jdk-headless"* && "$out" == *"/usr/lib/jvm/*"* ]] || die "without a JDK the message was: $out"
[ "$before" -eq "$after" ] || die "without a JDK, $((after - before)) packages were installed before stopping"
say "without a JDK: stopped with the message, $before packages before and after:"
printf '%s\n' "$out" | sed 's/^/    /' >&2

# 3. with the host's JDK copied in: from nothing to a passing run. The host's own CA certificates
# (/usr/local/share/ca-certificates, e.g. a TLS-inspecting proxy's) go in too, as the user's network set-up; the
# ca-certificates package picks them up when set-up installs it.
mkdir -p "$R/usr/lib/jvm" "$R/usr/local/share/ca-certificates"
cp -a "$HOST_JDK" "$R/usr/lib/jvm/"
cp -a /usr/local/share/ca-certificates/. "$R/usr/local/share/ca-certificates/" 2>/dev/null || true
# 3a. set-up alone, timed, so the Debian download is measured apart from the command
size_mb() { if [ -d "$1" ]; then du -sm "$1" | awk '{print $1}'; else echo 0; fi; } # 0 when the step made none
t1=$(t)
set +e
in_root "bin/longshot setup" >"$DIR/setup.log" 2>&1
rc=$?
set -e
t_setup=$(( $(t) - t1 ))
say "bin/longshot setup with the copied JDK ($(basename "$HOST_JDK")): rc $rc in ${t_setup} s;" \
  "$before -> $(packages_now) packages, $(size_mb "$R/var/cache/apt/archives") MB of Debian packages downloaded"
[ "$rc" -eq 0 ] || die "bin/longshot setup failed in the fresh root; last lines:
$(tail -30 "$DIR/setup.log")"
# 3b. the command itself, from nothing but the set-up
t2=$(t)
set +e
in_root "bin/longshot $COMMAND" >"$DIR/with-jdk.log" 2>&1
rc=$?
set -e
t_run=$(( $(t) - t2 ))
say "debootstrap ${t_base} s; setup ${t_setup} s; bin/longshot $COMMAND: rc $rc in ${t_run} s"
say "downloaded: Debian packages $(size_mb "$R/var/cache/apt/archives") MB (apt archives)," \
  "Maven $(size_mb "$R/root/.m2") MB (~/.m2), models $(size_mb "$R/root/.cache/longshot/models") MB"
[ "$rc" -eq 0 ] || die "bin/longshot $COMMAND failed in the fresh root; last lines:
$(tail -30 "$DIR/with-jdk.log")"
say "passed"
