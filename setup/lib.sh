# Set-up steps shared by bin/longshot (sourced; setup/test-setup.sh runs them against faked commands).
# Rules (issue 21):
#  - What is needed as a command (java/javac 21+, npm) is checked as a command, never as a package: Debian's `npm`
#    is installed only when there is no `npm` on the PATH, and a JDK package only when no JDK 21+ is found in
#    $JAVA_HOME, $LONGSHOT_JVM_DIR (default /usr/lib/jvm)/* or behind the `javac` on the PATH.
#  - An existing installation is never fought: a JDK found anywhere above is used as it is; Debian's npm is not
#    installed when apt would have to replace or remove the installed nodejs (e.g. NodeSource's).
#  - When no JDK 21+ is found and the package sources offer no openjdk-N-jdk-headless with N >= 21 (Debian 12 has
#    only 17), set-up stops before installing anything, with one message naming what to install and where we look.
#  - The home directory is $HOME: every JVM bin/longshot starts (Maven, the test JVMs Maven forks, the app) gets
#    -Duser.home=$HOME, so Maven's cache ($HOME/.m2), the models ($HOME/.cache/longshot/models) and data.dir
#    (~/.longshot) all live under the same home even when $HOME differs from the password database's entry.
# Expects: say, die, PACKAGES_FILE.

JVM_DIR="${LONGSHOT_JVM_DIR:-/usr/lib/jvm}"
JDK_MIN=21

jdk_major() { # prints the major version of the JDK at $1, or nothing
  local v
  [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v%%.*}"
}

best_jdk() { # prints the newest JDK >= 21 among $JAVA_HOME, $JVM_DIR/*, the javac on PATH; or nothing
  local best="" best_v=0 cand v javac_path
  javac_path="$(command -v javac 2>/dev/null || true)"
  for cand in ${JAVA_HOME:-} "$JVM_DIR"/* ${javac_path:+"$(dirname "$(dirname "$(readlink -f "$javac_path")")")"}; do
    [ -d "$cand" ] || continue
    v=$(jdk_major "$cand")
    [ -n "$v" ] || continue
    if [ "$v" -ge "$JDK_MIN" ] && [ "$v" -gt "$best_v" ]; then best="$cand"; best_v="$v"; fi
  done
  printf '%s' "$best"
  return 0
}

no_jdk_message() {
  cat <<MSG
no JDK $JDK_MIN or newer found, and this system's package sources offer none (no openjdk-$JDK_MIN-jdk-headless or newer; Debian 12 has only openjdk-17).
  Longshot looks in: \$JAVA_HOME${JAVA_HOME:+ ($JAVA_HOME)}, $JVM_DIR/*, and the javac on the PATH.
  Install a JDK $JDK_MIN or newer (e.g. Eclipse Temurin $JDK_MIN as a .deb, or a tarball unpacked into $JVM_DIR/<name>), or set JAVA_HOME to one, then run this again.
MSG
}

find_jdk() { # exports JAVA_HOME and PATH for the newest JDK >= 21, or stops with the message above
  local best; best="$(best_jdk)"
  [ -n "$best" ] || die "$(no_jdk_message)"
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

jdk_package() { # the newest openjdk-N-jdk-headless (N >= 21) that apt can install, or nothing
  local n pkg
  apt-cache search --names-only '^openjdk-[0-9]+-jdk-headless$' 2>/dev/null \
    | sed -n 's/^\(openjdk-\([0-9][0-9]*\)-jdk-headless\) .*/\2 \1/p' | sort -rn \
    | while read -r n pkg; do
        if [ "$n" -ge "$JDK_MIN" ] && apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [^(]'; then
          echo "$pkg"; break
        fi
      done
  return 0
}

npm_fits() { # true when apt can install Debian's npm without replacing or removing the installed nodejs
  local out
  out=$(apt-get -s install --no-install-recommends npm 2>&1) || return 1
  ! printf '%s\n' "$out" | grep -qE '^(Remv nodejs|Inst nodejs \[)'
}

missing_packages() { # packages from $PACKAGES_FILE that dpkg does not list as installed
  local p
  for p in $(grep -v '^[[:space:]]*#' "$PACKAGES_FILE" | awk 'NF{print $1}'); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
  done
}

root_prefix() { # prints "" (root) or "sudo" (password-less sudo); fails otherwise
  if [ "$(id -u)" -eq 0 ]; then return 0; fi
  command -v sudo >/dev/null && sudo -n true 2>/dev/null && { echo sudo; return 0; }
  return 1
}

ensure_setup() { # installs what is missing (Debian packages, npm, a JDK package), then find_jdk
  if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    say "not a Debian system: install the packages in setup/debian-packages.txt, npm and a JDK $JDK_MIN+ yourself"
    find_jdk
    return 0
  fi
  local missing need_npm=0 jdk sudo="" can_root=1 pkg
  missing="$(missing_packages)"
  command -v npm >/dev/null || need_npm=1
  jdk="$(best_jdk)"
  if [ -z "$missing" ] && [ "$need_npm" -eq 0 ] && [ -n "$jdk" ]; then
    find_jdk
    return 0
  fi
  sudo="$(root_prefix)" || can_root=0
  if [ "$can_root" -eq 1 ]; then
    $sudo apt-get update -qq >/dev/null 2>&1 || say "apt-get update failed; using the package lists as they are"
  fi
  if [ -z "$jdk" ]; then
    pkg="$(jdk_package)"
    [ -n "$pkg" ] || die "$(no_jdk_message)"
    missing="$missing$pkg "
  fi
  if [ "$need_npm" -eq 1 ]; then
    if npm_fits; then
      missing="${missing}npm "
    else
      say "'npm' is not installed and Debian's npm would have to replace the installed Node.js; leaving it alone." \
        "Install the npm that belongs to your Node.js (only setup/fetch-models.sh needs it)."
    fi
  fi
  missing="${missing% }"
  if [ -n "$missing" ]; then
    [ "$can_root" -eq 1 ] || die "missing: $missing
  Install them as root:  sudo apt-get install -y --no-install-recommends $missing"
    say "installing Debian packages: $missing"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null \
      || die "apt-get could not install: $missing"
  fi
  find_jdk
}
