#!/usr/bin/env bash
# System packages OneHall needs: a CJK font (Chinese glyphs in PDFs), HarfBuzz subsetting
# (fast font embedding), poppler-utils (pdftotext/pdffonts in tests), Chromium (browser tests),
# Node.js (tests/forms/test_form_js.py runs the browser's condition evaluator against the server's).
# Installs them with apt-get when run as root; otherwise prints the exact command.
set -u
missing=()
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${1:-}" = "--browser" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null || {
    echo "apt-get install failed; run: sudo apt-get install -y ${missing[*]}" >&2; exit 1; }
else
  echo "missing system packages; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
