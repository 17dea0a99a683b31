#!/usr/bin/env bash
# Renders the HTML report of a software-company run at 1,280 px wide with headless Chromium and
# saves it as docs/report-software-company.png (the picture in the README).
#   scripts/report-screenshot.sh                # runs ./troupe run software-company (offline) for the report
#   scripts/report-screenshot.sh REPORT.html    # or renders a report you already have
# Needs Chromium (Debian: apt-get install -y chromium) and, for the PNG's size, optipng if present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/docs/report-software-company.png"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "report-screenshot: no Chromium on PATH; on Debian: apt-get install -y chromium" >&2
  exit 2
fi

if [ $# -ge 1 ]; then
  report="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
  report="$work/report.html"
  "$root/troupe" run software-company -q --workspace "$work/ws" --memory "jdbc:sqlite:$work/memory.db" --report "$report" >&2
fi

# Chromium refuses to run as root inside its sandbox; the page is a local file without scripts.
sandbox=()
[ "$(id -u)" = 0 ] && sandbox=(--no-sandbox)
"$browser" --headless "${sandbox[@]}" --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1280,2000 --screenshot="$work/shot.png" "file://$report" >/dev/null 2>&1
if command -v optipng >/dev/null; then
  optipng -quiet -o2 "$work/shot.png"
fi
cp "$work/shot.png" "$out"
echo "report-screenshot: wrote $out ($(wc -c <"$out") bytes)"
