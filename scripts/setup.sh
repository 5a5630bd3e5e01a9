#!/usr/bin/env bash
# Installs what TauLab needs on a fresh Debian/Ubuntu machine with JDK 17 and Maven, then builds it.
# Safe to run again: packages already present are skipped, Maven rebuilds incrementally.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian packages the build, tests and main job use (one per line in scripts/apt-packages.txt).
mapfile -t PACKAGES < <(grep -vE '^\s*(#|$)' scripts/apt-packages.txt)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

java -version 2>&1 | head -1 | grep -qE '"(1[7-9]|2[0-9])' || { echo "setup: JDK 17 or newer is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "setup: Maven is required" >&2; exit 1; }

echo "setup: building (mvn package, tests skipped here)"
mvn -q -B -DskipTests package
touch kernel-ext/target/.taulab-built

# The Jupyter kernelspec `taulab` for this checkout's java and class path (rewritten each time: idempotent).
bin/taulab kernel install --user
