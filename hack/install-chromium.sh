#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/browser, driven by playwright-core)
# when it is missing. Needs apt-get and root (or sudo); prints the binary's path.
set -euo pipefail

find_chromium() {
  for candidate in "${SYMBIONT_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if find_chromium; then exit 0; fi

if ! command -v apt-get >/dev/null; then
  echo "chromium is missing and apt-get is not available: install chromium and set SYMBIONT_CHROMIUM" >&2
  exit 1
fi
run_as_root=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null; then run_as_root=(sudo -n); else
    echo "chromium is missing: run 'apt-get install chromium' as root, or set SYMBIONT_CHROMIUM" >&2
    exit 1
  fi
fi
echo "installing Debian's chromium (apt-get install chromium) for the browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" apt-get update -qq >&2
"${run_as_root[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
find_chromium
