#!/usr/bin/env bash
# Tests the set-up decisions of setup/lib.sh (issue 21) against faked commands, in about a second, on any machine:
# dpkg-query, apt-get, apt-cache, sudo, id, npm, node, java and javac are stand-ins on a private PATH that answer
# from the scenario's variables and log every apt-get call, and the JDK directory is a temporary one. What it proves:
# which packages are installed (npm only when the command is missing and apt would not replace the installed
# Node.js; the newest openjdk-N-jdk-headless >= 21 only when no JDK 21+ is found), that an existing JDK in
# $JAVA_HOME, the JDK directory or behind `javac` is used, that without a JDK and without a package set-up stops
# before installing anything with the one message, that every JVM bin/longshot starts gets -Duser.home=$HOME, and that
# its build shows one line when it succeeds (not what Maven's JVM prints) and Maven's report when it fails.
# What it cannot prove: that the real apt-get and a real Debian behave as faked; setup/fresh-machine-test.sh runs
# the real thing in a debootstrap'ed Debian 12.
# Usage: setup/test-setup.sh      (prints one line per scenario; exit status 1 when any failed)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failures=0

# --- the private PATH: real basic tools plus fakes ------------------------------------------------------------
TOOLS="$WORK/tools"
mkdir -p "$TOOLS"
for t in bash sh env cat grep sed awk sort readlink dirname basename mkdir rm printf head tail tr chmod ln wc; do
  ln -s "$(command -v "$t")" "$TOOLS/$t"
done
fake() { # name, body: a script on the private PATH
  printf '#!/bin/bash\n%s\n' "$2" >"$TOOLS/$1"
  chmod +x "$TOOLS/$1"
}
fake dpkg-query 'pkg="${@: -1}"; grep -qx "$pkg" "$FAKE/installed" && { printf "install ok installed"; exit 0; }; exit 1'
fake id 'echo "${FAKE_UID:-0}"'
fake sudo 'exit 1'
fake apt-cache 'case "$1" in
  search) for n in $FAKE_JDKS; do echo "openjdk-$n-jdk-headless - OpenJDK Development Kit (JDK) (headless)"; done ;;
  policy) n="${2#openjdk-}"; n="${n%%-*}"; case " $FAKE_JDKS " in *" $n "*) echo "  Candidate: $n.0.1";; *) echo "  Candidate: (none)";; esac ;;
esac'
# apt-get: logs real (non-simulated) calls; "install" of openjdk-N-jdk-headless makes a JDK N in the JDK directory;
# a simulated npm install answers from $FAKE_NPM_SIM (ok, replaces-nodejs, broken)
fake apt-get 'if [ "$1" = -s ]; then
  case "${FAKE_NPM_SIM:-ok}" in
    ok) echo "Inst npm (9.2.0~ds1-1 Debian:12 [all])"; echo "Inst node-abbrev (1.1.1 Debian:12 [all])" ;;
    replaces-nodejs) echo "Inst nodejs [20.20.2-1nodesource1] (18.19.0+dfsg-6~deb12u2 Debian:12 [amd64])"; echo "Inst npm (9.2.0~ds1-1 Debian:12 [all])" ;;
    broken) echo "E: Unable to correct problems, you have held broken packages." >&2; exit 100 ;;
  esac; exit 0; fi
echo "apt-get $*" >>"$FAKE/apt.log"
for a in "$@"; do case "$a" in openjdk-*-jdk-headless) n="${a#openjdk-}"; n="${n%%-*}"; make_jdk "$LONGSHOT_JVM_DIR/java-$n-openjdk-amd64" "$n" ;; esac; done'
# make_jdk DIR N: a JDK whose java reports specification version N
cat >"$TOOLS/make_jdk" <<'SH'
#!/bin/bash
mkdir -p "$1/bin"
printf '#!/bin/bash\necho "    java.specification.version = %s" >&2\n' "$2" >"$1/bin/java"
printf '#!/bin/bash\nexit 0\n' >"$1/bin/javac"
chmod +x "$1/bin/java" "$1/bin/javac"
SH
chmod +x "$TOOLS/make_jdk"
export PATH="$TOOLS"

# --- scenarios --------------------------------------------------------------------------------------------------
# scenario NAME: fresh state under $WORK/NAME (FAKE, JDK dir, packages file listing pkg-a and pkg-b)
scenario() {
  FAKE="$WORK/$1"
  mkdir -p "$FAKE/jvm" "$FAKE/bin"
  : >"$FAKE/apt.log"
  printf 'pkg-a\npkg-b\n' >"$FAKE/packages.txt"
  printf 'pkg-a\npkg-b\n' >"$FAKE/installed"
  export FAKE LONGSHOT_JVM_DIR="$FAKE/jvm"
  export FAKE_UID=0 FAKE_JDKS="" FAKE_NPM_SIM=ok
  unset JAVA_HOME
  PATH="$TOOLS"
  rm -f "$TOOLS/npm" "$TOOLS/node" "$TOOLS/javac"
}
# run_setup: runs ensure_setup as bin/longshot does; sets OUT (stderr+stdout), RC and JH (the JAVA_HOME chosen)
run_setup() {
  set +e
  OUT=$( (
    set -euo pipefail
    PACKAGES_FILE="$FAKE/packages.txt"
    say() { printf 'longshot: %s\n' "$*" >&2; }
    die() { say "$*"; exit 1; }
    . "$ROOT/setup/lib.sh"
    ensure_setup
    echo "JAVA_HOME=$JAVA_HOME"
  ) 2>&1 )
  RC=$?
  set -e
  JH=$(printf '%s\n' "$OUT" | sed -n 's/^JAVA_HOME=//p')
}
check() { # description, condition (evaluated)
  if eval "$2"; then printf 'ok    %s\n' "$1"; else
    printf 'FAIL  %s\n      rc=%s, apt-get calls: %s\n      output: %s\n' "$1" "$RC" "$(cat "$FAKE/apt.log")" "$OUT"
    failures=$((failures + 1))
  fi
}
apt_installed() { grep "apt-get install" "$FAKE/apt.log" | grep -q -- " $1\( \|$\)"; }
no_install() { ! grep -q "apt-get install" "$FAKE/apt.log"; }

scenario all-there
make_jdk "$FAKE/jvm/temurin-21" 21
fake npm 'exit 0'
run_setup
check "everything present: nothing installed, the JDK in the JDK directory is used" \
  '[ $RC -eq 0 ] && no_install && [ "$JH" = "$FAKE/jvm/temurin-21" ]'

scenario npm-command-without-npm-package
make_jdk "$FAKE/jvm/temurin-21" 21
fake npm 'exit 0'   # e.g. NodeSource's nodejs ships the command; dpkg knows no package "npm"
printf 'pkg-a\n' >"$FAKE/installed"
run_setup
check "npm command present (no npm package): only the missing package is installed, not npm" \
  '[ $RC -eq 0 ] && apt_installed pkg-b && ! apt_installed npm'

scenario no-npm
make_jdk "$FAKE/jvm/temurin-21" 21
run_setup
check "npm command missing: Debian's npm is installed" '[ $RC -eq 0 ] && apt_installed npm'

scenario no-npm-nodesource
make_jdk "$FAKE/jvm/temurin-21" 21
fake node 'exit 0'
export FAKE_NPM_SIM=replaces-nodejs
run_setup
check "npm missing but apt would replace the installed nodejs: npm left alone, with a message" \
  '[ $RC -eq 0 ] && ! apt_installed npm && [[ "$OUT" == *"npm"*"Node.js"* ]]'
scenario no-npm-broken
make_jdk "$FAKE/jvm/temurin-21" 21
export FAKE_NPM_SIM=broken
run_setup
check "npm missing and apt cannot install it: npm left alone, set-up goes on" \
  '[ $RC -eq 0 ] && ! apt_installed npm && [ "$JH" = "$FAKE/jvm/temurin-21" ]'

scenario no-jdk-packaged
fake npm 'exit 0'
export FAKE_JDKS="17 21 25"
run_setup
check "no JDK, sources offer 17/21/25: the newest (openjdk-25-jdk-headless) is installed and used" \
  '[ $RC -eq 0 ] && apt_installed openjdk-25-jdk-headless && ! apt_installed openjdk-21-jdk-headless && [ "$JH" = "$FAKE/jvm/java-25-openjdk-amd64" ]'

scenario no-jdk-debian12
fake npm 'exit 0'
printf 'pkg-a\n' >"$FAKE/installed"
export FAKE_JDKS="17"
make_jdk "$FAKE/jvm/java-17-openjdk-amd64" 17
run_setup
check "no JDK 21+, sources offer only 17: stops before installing anything, one message naming what and where" \
  '[ $RC -ne 0 ] && no_install && [[ "$OUT" == *"openjdk-21-jdk-headless"* ]] && [[ "$OUT" == *"$FAKE/jvm/*"* ]] && [[ "$OUT" == *"JAVA_HOME"* ]] && [ "$(printf "%s\n" "$OUT" | grep -c "^longshot:")" -eq 1 ]'

scenario java-home-wins
fake npm 'exit 0'
export FAKE_JDKS="21"
make_jdk "$FAKE/jvm/java-17-openjdk-amd64" 17
make_jdk "$FAKE/own-jdk" 22
export JAVA_HOME="$FAKE/own-jdk"
run_setup
check "a JDK 21+ in \$JAVA_HOME outside the JDK directory: used, no JDK package installed" \
  '[ $RC -eq 0 ] && no_install && [ "$JH" = "$FAKE/own-jdk" ]'

scenario javac-on-path
fake npm 'exit 0'
export FAKE_JDKS="21"
make_jdk "$FAKE/opt-jdk" 23
ln -s "$FAKE/opt-jdk/bin/javac" "$TOOLS/javac"
run_setup
check "a JDK 21+ found through the javac on the PATH: used, no JDK package installed" \
  '[ $RC -eq 0 ] && no_install && [ "$JH" = "$FAKE/opt-jdk" ]'

scenario not-root
export FAKE_UID=1000 FAKE_JDKS="21"
printf 'pkg-a\n' >"$FAKE/installed"
run_setup
check "not root, no sudo: stops with the apt-get line naming the package, npm and the JDK package" \
  '[ $RC -ne 0 ] && no_install && [[ "$OUT" == *"sudo apt-get install -y --no-install-recommends pkg-b openjdk-21-jdk-headless npm"* ]]'

# --- the home rule: every JVM bin/longshot starts gets -Duser.home=$HOME -------------------------------------
scenario home
make_jdk "$FAKE/jvm/temurin-21" 21
fake npm 'exit 0'
fake mvn 'echo "MAVEN_OPTS=$MAVEN_OPTS" >>"$FAKE/jvm.log"'
set +e
OUT=$(HOME="$FAKE/elsewhere" LONGSHOT_JVM_DIR="$FAKE/jvm" bash -c '
  . <(sed -n "/^JVM_FLAGS=/,/)\$/p; /^mvn_()/p" "$0/bin/longshot")
  ROOT="$0"; mvn_ -v; printf "%s\n" "${JVM_FLAGS[@]}"' "$ROOT" 2>&1)
RC=$?
set -e
check "Maven and the app get -Duser.home=\$HOME, and the test JVMs inherit Maven's user.home (pom argLine)" \
  'grep -q "MAVEN_OPTS=-Duser.home=$FAKE/elsewhere" "$FAKE/jvm.log" && [[ "$OUT" == *"-Duser.home=$FAKE/elsewhere"* ]] && grep -q "\"-Duser.home=\${user.home}\"" "$ROOT/pom.xml"'

# --- the build: a good build shows one line, not what Maven's JVM prints; a failed one shows Maven's report -----
scenario build
fake find 'exit 0'
fake touch 'exit 0'
fake mvn 'printf "\033[0mWARNING: A terminally deprecated method in sun.misc.Unsafe has been called\n" >&2
echo "[INFO] Maven says this"; [ "${FAKE_MVN_RC:-0}" -eq 0 ] || echo "[ERROR] COMPILATION ERROR in Foo.java"; exit "${FAKE_MVN_RC:-0}"'
build_out() { # runs bin/longshot's build() on an empty checkout; sets OUT and RC
  mkdir -p "$FAKE/checkout"
  set +e
  OUT=$(ROOT="$FAKE/checkout" bash -c '
    . <(sed -n "/^say()/p; /^die()/p; /^mvn_()/p; /^STAMP=/p; /^build()/,/^}/p" "$0/bin/longshot")
    build' "$ROOT" 2>&1)
  RC=$?
  set -e
}
build_out
check "build succeeds: the terminal shows the one 'building' line, none of Maven's JVM warnings" \
  '[ $RC -eq 0 ] && [[ "$OUT" == "longshot: building"* ]] && [ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ]'
export FAKE_MVN_RC=1
build_out
check "build fails: Maven's report and 'build failed' are shown" \
  '[ $RC -ne 0 ] && [[ "$OUT" == *"COMPILATION ERROR"* ]] && [[ "$OUT" == *"longshot: build failed"* ]]'
unset FAKE_MVN_RC

if [ "$failures" -gt 0 ]; then
  echo "$failures scenario(s) failed"
  exit 1
fi
echo "all set-up scenarios passed"
