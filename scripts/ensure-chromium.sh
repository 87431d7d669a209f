#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download its own
# browser here). Installs it with apt when missing and we are root; elsewhere
# says what to do. DLBOOK_CHROMIUM may name another Chromium or Chrome binary.
set -euo pipefail
browser=${DLBOOK_CHROMIUM:-/usr/bin/chromium}
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at $browser: install Debian's 'chromium' package" \
     "(sudo apt-get install chromium) or set DLBOOK_CHROMIUM to a Chromium/Chrome binary." >&2
exit 1
