#!/usr/bin/env bash
# Saves the outputs of the shipped scenarios, or compares two saved sets byte for byte: the check
# that a refactor or an optimisation changed nothing a user sees (README "Speed is a feature";
# docs/performance.md).
#
#   scripts/compare_outputs.sh save DIR     # build (release), run, keep the outputs under DIR
#   scripts/compare_outputs.sh compare A B  # every compared file of A equals B's; exit 1 if not
#
# `save` runs two things with the release binary:
#   DIR/main    the README's main command, `gongfu run scenarios/` (every shipped scenario, 2022..2050);
#   DIR/static  a static 2022 year of the national baseline with `--microdata-csv` (per-person outputs, Parquet and CSV).
# Compared: every indicators.csv, indicators.parquet, deciles.csv, fiscal.csv, lorenz.csv,
# summary.csv, the charts' data CSVs and the microdata (Parquet and CSV). Not compared, because
# they carry times or the command line: manifest.json, report.html, index.html, run.log, images.
# PERSONS=N (default: the scenarios' own sizes) shrinks the main run for a quick look; BIN=PATH
# uses that gongfu binary instead of building the release one (say, a debug build of each side).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

compared_files() {
    (cd "$1" && find . -type f \( -name '*.csv' -o -name '*.parquet' \) ! -name 'run.log' | LC_ALL=C sort)
}

case "${1:-}" in
save)
    [[ $# -eq 2 ]] || { echo "usage: $0 save DIR" >&2; exit 2; }
    out="$(realpath -m "$2")"
    [[ ! -e "$out" ]] || { echo "error: $out exists; give a new folder" >&2; exit 2; }
    bin="${BIN:-}"
    if [[ -z "$bin" ]]; then
        (cd "$root" && cargo build --release --locked --quiet)
        bin="$target/release/gongfu"
    fi
    bin="$(realpath "$bin")"
    mkdir -p "$out"
    persons=()
    [[ -z "${PERSONS:-}" ]] || persons=(--persons "$PERSONS")
    (cd "$root" && "$bin" run scenarios/ "${persons[@]}" --out "$out/main" >"$out/main.log" 2>&1)
    (cd "$root" && "$bin" run scenarios/baseline.toml --years 2022..2022 --static --microdata-csv \
        --out "$out/static" >"$out/static.log" 2>&1)
    echo "saved $(compared_files "$out" | wc -l) files under $out"
    ;;
compare)
    [[ $# -eq 3 ]] || { echo "usage: $0 compare A B" >&2; exit 2; }
    a="$(realpath "$2")"
    b="$(realpath "$3")"
    status=0
    if ! diff <(compared_files "$a") <(compared_files "$b") >/dev/null; then
        echo "the two sets hold different files:"
        diff <(compared_files "$a") <(compared_files "$b") || true
        status=1
    fi
    same=0
    while read -r f; do
        [[ -f "$b/$f" ]] || continue
        if cmp -s "$a/$f" "$b/$f"; then
            same=$((same + 1))
        else
            echo "differs: $f"
            status=1
        fi
    done < <(compared_files "$a")
    echo "$same files identical"
    exit $status
    ;;
*)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
