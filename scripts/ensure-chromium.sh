#!/usr/bin/env bash
# Makes sure a Chromium for the browser tests is on this machine: Debian's `chromium` package (a browser download from
# anywhere else is not possible here, and playwright-core downloads nothing). CHROMIUM_PATH names another binary.
# Prints the binary's path on its last line.
set -euo pipefail

bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
# Chinese pages need a CJK font, or every character renders as a box in screenshots.
has_cjk_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; }
if [ -x "$bin" ] && "$bin" --headless=new --version >/dev/null 2>&1 && { [ -n "${CHROMIUM_PATH:-}" ] || has_cjk_font; }; then
  echo "$bin"
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "ensure-chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not a runnable Chromium" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: no Chromium at $bin; install Debian's package (apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium and CJK font packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >&2
"$bin" --headless=new --version >/dev/null
echo "$bin"
