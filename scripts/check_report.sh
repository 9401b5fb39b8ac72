#!/usr/bin/env bash
# Renders a gongfu report.html headless with Chromium to a PNG screenshot, to look at the report as
# a reader would (layout, inline SVG charts, Chinese text).
#
#   scripts/check_report.sh [report.html|-] [out.png] [section]
#
# `section` is an anchor of the report (scenarios, summary, charts, deciles, parameters, manifest):
# the screenshot then shows the report from that heading on (a copy cut before it; headless
# Chromium does not scroll to a fragment before its screenshot).
# Without arguments it writes the sample run of the integration test (tests/report.rs, through
# GONGFU_REPORT_SAMPLE) to target/report-sample/ and screenshots its report. Installs Debian's
# chromium when absent (needs apt and root). WINDOW_SIZE=w,h overrides the 1400,4000 window.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

if [[ $# -ge 1 && "$1" != "-" ]]; then
    report="$(realpath "$1")"
else
    sample="$target/report-sample"
    rm -rf "$sample"
    (cd "$root" && GONGFU_REPORT_SAMPLE="$sample" cargo test --quiet --test main \
        report::report_is_self_contained_escaped_and_shows_the_summary >/dev/null)
    report="$sample/report.html"
fi
[[ -f "$report" ]] || { echo "error: $report: no such file" >&2; exit 1; }
out="$(realpath -m "${2:-${report%.html}.png}")"

if ! command -v chromium >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
if [[ $# -ge 3 ]]; then
    cut="$profile/report.html"
    python3 - "$report" "$cut" "$3" <<'PY'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
start = html.find(f'<h2 id="{sys.argv[3]}"')
if start < 0:
    sys.exit(f"error: no section {sys.argv[3]!r} in {sys.argv[1]}")
open(sys.argv[2], "w", encoding="utf-8").write(html[: html.index("<body>") + 6] + html[start:])
PY
    report="$cut"
fi
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size="${WINDOW_SIZE:-1400,4000}" \
    --screenshot="$out" "file://$report" 2>/dev/null
[[ -s "$out" ]] || { echo "error: chromium wrote no screenshot to $out" >&2; exit 1; }
echo "screenshot: $out"
