#!/usr/bin/env bash
# Debian's Chromium, for the test that opens report.html in a real browser (issue 4). Needs root.
# playwright-core (a dev dependency) drives it; no browser is downloaded from anywhere else.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/browser.sh: needs root (apt-get install); run it with sudo" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
echo "scripts/browser.sh: $(chromium --version 2>/dev/null)"
