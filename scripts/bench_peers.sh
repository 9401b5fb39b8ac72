#!/usr/bin/env bash
# gongfu against its two peers on one static year (issue 15 item 4; docs/performance.md, "Against
# the peers"): the vectorised numpy implementation (`ref_numpy.py`) and the OpenFisca system
# (`ref_openfisca/`) of the same rules, in ../shared/peers/ (its README says what they compute).
#
#   scripts/bench_peers.sh [--persons N] [--runs R] [--seed S] [--out DIR] [--no-check]
#
#   --persons N   population size (default 1000000; env PERSONS)
#   --runs R      timed runs of each tool, alternating (default 5; env RUNS)
#   --seed S      make_population.py's seed (default 1; env SEED)
#   --out DIR     output folder: population, run folders, logs, CSVs (default /tmp/bench_peers;
#                 env BENCH_OUT)
#   --no-check    skip the microdata side-check against ref_numpy
#
# Environment: GONGFU (binary, default target/release/gongfu; build it with
# `cargo build --release --locked`), PEERS_VENV (default /tmp/gongfu-peers-venv), PYTHON
# (default python3.11).
#
# What it does:
#  1. a Python 3.11 venv outside the repo with ../shared/peers/requirements.txt (pinned PyPI
#     versions), reused when a previous call completed it for the same requirements file;
#  2. the population with ../shared/peers/make_population.py N SEED (Parquet, and the collectives
#     table copied to the `<stem>.collectives.parquet` name gongfu reads);
#  3. R rounds, each running in turn, as whole processes timed by the wall clock (peak memory from
#     wait4): (a) `gongfu run <peer scenario> --population POP --static` (a run folder, no
#     microdata), (b) the same with `--microdata`, (c) `ref_numpy.py` end to end (load, rules,
#     indicators JSON, microdata CSV), (d) the OpenFisca system through `bench_openfisca.py --one
#     openfisca` (imports, load, build, calculate; it writes no indicators or microdata, which
#     favours it);
#  4. prints and writes DIR/timings.csv (tool, median, min, ratio to gongfu), DIR/checks.csv (the
#     issue's targets, PASS/MISS), DIR/runs.csv (every run); gongfu's population read time is the
#     "load population" step of each run folder's manifest.json;
#  5. unless --no-check: the largest absolute difference per shared microdata column between
#     gongfu (b) and ref_numpy, printed and in DIR/microdata_diff.csv (a summary, never a failure;
#     ../shared/peers/INTERPRETATION.md lists the known differences).
# The targets are meant for 1,000,000 persons and a release binary; at another size or with a
# debug binary the PASS/MISS lines are marked "indicative".
set -euo pipefail

die() { echo "bench_peers: error: $*" >&2; exit 1; }

root="$(cd "$(dirname "$0")/.." && pwd)"
peers_rel="$(dirname "$0")/../../shared/peers"
[[ -d "$peers_rel" ]] || die "../shared/peers not found beside the repository ($peers_rel)"
peers="$(cd "$peers_rel" && pwd)"

persons="${PERSONS:-1000000}"
runs="${RUNS:-5}"
seed="${SEED:-1}"
out="${BENCH_OUT:-/tmp/bench_peers}"
check=1
while [[ $# -gt 0 ]]; do
    case "$1" in
    --persons) persons="${2:?--persons needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --no-check) check=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
done
[[ "$persons" =~ ^[0-9]+$ && "$persons" -ge 2000 ]] || die "--persons must be a whole number >= 2000"
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 1 ]] || die "--runs must be a whole number >= 1"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a whole number"

gongfu="${GONGFU:-target/release/gongfu}"
[[ "$gongfu" = /* ]] || gongfu="$root/$gongfu"
[[ -x "$gongfu" ]] || die "gongfu binary $gongfu not found: build it with \`cargo build --release --locked\` (or set GONGFU=path)"

python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || die "$python not found: the peers need Python 3.11 (set PYTHON=path)"
"$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
    || die "$python is not a working Python 3.11 ($("$python" --version 2>&1 || true))"

for f in requirements.txt make_population.py ref_numpy.py bench_openfisca.py params_2022.toml \
    params_2022_as_gongfu_scenario.toml; do
    [[ -f "$peers/$f" ]] || die "missing $peers/$f"
done

# ---- 1. the peers' environment, from the pinned requirements
venv="${PEERS_VENV:-/tmp/gongfu-peers-venv}"
venv="$(realpath -m "$venv")"
case "$venv/" in "$root/"* | "$(dirname "$peers")/"*) die "PEERS_VENV must be outside the repository and ../shared ($venv)" ;; esac
stamp="$venv/.gongfu-peers-complete"
want="$(sha256sum "$peers/requirements.txt" | cut -d' ' -f1) $("$python" --version 2>&1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "peers venv: reusing $venv"
else
    if [[ -e "$venv" ]]; then
        [[ -f "$venv/pyvenv.cfg" ]] || die "$venv exists and is not a venv: remove it or set PEERS_VENV"
        echo "peers venv: $venv is incomplete or stale, recreating it"
        rm -rf "$venv"
    fi
    echo "peers venv: creating $venv from $peers_rel/requirements.txt"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$peers/requirements.txt" || die "pip install -r requirements.txt failed"
    echo "$want" >"$stamp"
fi
py="$venv/bin/python"

# ---- 2. the population (the peers' scripts read params_2022.toml from their own folder)
mkdir -p "$out"
out="$(cd "$out" && pwd)"
pop="$out/pop_${persons}_${seed}"
export PYTHONPYCACHEPREFIX="$out/pycache" # ../shared may be read-only: bytecode goes here
echo "population: make_population.py $persons $seed --out $pop"
(cd "$peers" && "$py" make_population.py "$persons" "$seed" --out "$pop") || die "make_population.py failed"
cp "${pop}_collectives.parquet" "${pop}.collectives.parquet"

# ---- 3.-5. timings, table, checks and side-check
export GONGFU_BIN="$gongfu" PEERS="$peers" POP="$pop.parquet" OUT="$out" RUNS="$runs" \
    PERSONS="$persons" CHECK="$check" SCENARIO="$peers/params_2022_as_gongfu_scenario.toml"
exec "$py" - <<'PYEOF'
import csv, glob, json, os, shutil, statistics, subprocess, sys, time

E = os.environ
gongfu, peers, pop, out = E["GONGFU_BIN"], E["PEERS"], E["POP"], E["OUT"]
runs, persons, check, scenario = int(E["RUNS"]), int(E["PERSONS"]), E["CHECK"] == "1", E["SCENARIO"]
params = os.path.join(peers, "params_2022.toml")
logs = os.path.join(out, "logs")
os.makedirs(logs, exist_ok=True)
run_dir = os.path.join(out, "gongfu_run")
micro_dir = os.path.join(out, "gongfu_run_microdata")
np_prefix = os.path.join(out, "numpy", "np")
os.makedirs(os.path.dirname(np_prefix), exist_ok=True)

TOOLS = [  # name, command, cwd, run folder to remove before each run
    ("gongfu", [gongfu, "run", scenario, "--population", pop, "--static", "--quiet", "--out", run_dir], None, run_dir),
    ("gongfu --microdata", [gongfu, "run", scenario, "--population", pop, "--static", "--microdata", "--quiet",
                            "--out", micro_dir], None, micro_dir),
    ("ref_numpy", [sys.executable, "ref_numpy.py", pop, params, np_prefix], peers, None),
    ("openfisca", [sys.executable, "bench_openfisca.py", "--one", "openfisca", pop, "--params", params], peers, None),
]


def timed(name, cmd, cwd, log):
    """One whole process: wall seconds and peak resident memory (MB) of the child."""
    with open(log + ".out", "w") as so, open(log + ".err", "w") as se:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=so, stderr=se)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        tail = open(log + ".err").read()[-3000:]
        sys.exit(f"bench_peers: error: {name} failed (exit {p.returncode}): {' '.join(cmd)}\n{tail}")
    return wall, usage.ru_maxrss / 1024


def load_seconds(folder):
    """gongfu's own 'load population' step from the run folder's manifest.json, if it has one."""
    try:
        steps = json.load(open(os.path.join(folder, "manifest.json")))["timings"]
    except (OSError, KeyError, ValueError):
        return None
    found = [t["seconds"] for t in steps if t["step"].startswith("load population")]
    return found[0] if found else None


print(f"\ntiming {runs} round(s) of {len(TOOLS)} tools, alternating, on {pop} ({persons} persons)")
print(f"  gongfu: {gongfu}")
rows, phases = [], {}
for r in range(runs):
    for name, cmd, cwd, folder in TOOLS:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        log = os.path.join(logs, f"{name.replace(' --', '_')}_{r}")
        wall, rss = timed(name, cmd, cwd, log)
        load = load_seconds(folder) if folder else None
        if not folder:  # the peers print their own phase timings as one JSON line
            try:
                phases.setdefault(name, []).append(json.loads(open(log + ".out").read().strip().splitlines()[-1]))
            except (ValueError, IndexError):
                pass
        rows.append({"round": r, "tool": name, "wall_s": round(wall, 4), "peak_rss_mb": round(rss, 1),
                     "population_read_s": "" if load is None else round(load, 4)})
        print(f"  round {r}: {name:<20} {wall:8.3f} s  {rss:8.0f} MB" + ("" if load is None else f"  (read {load:.3f} s)"),
              flush=True)

with open(os.path.join(out, "runs.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)

stats = {}
for name, *_ in TOOLS:
    walls = [x["wall_s"] for x in rows if x["tool"] == name]
    reads = [x["population_read_s"] for x in rows if x["tool"] == name and x["population_read_s"] != ""]
    stats[name] = {"median": statistics.median(walls), "min": min(walls),
                   "rss": max(x["peak_rss_mb"] for x in rows if x["tool"] == name),
                   "read": statistics.median(reads) if reads else None}
base = stats["gongfu"]["median"]
debug = "/debug/" in os.path.realpath(gongfu)
note = "" if persons == 1_000_000 and not debug else \
    f" (indicative: {persons} persons{', debug binary' if debug else ''}; the targets are for 1M persons, release)"

print(f"\n{'tool':<20} {'median s':>9} {'min s':>9} {'peak MB':>8} {'median / gongfu':>16}")
table = []
for name, s in stats.items():
    ratio = s["median"] / base
    print(f"{name:<20} {s['median']:9.3f} {s['min']:9.3f} {s['rss']:8.0f} {ratio:15.2f}x")
    table.append({"tool": name, "persons": persons, "runs": runs, "median_s": round(s["median"], 4),
                  "min_s": round(s["min"], 4), "peak_rss_mb": s["rss"], "ratio_vs_gongfu": round(ratio, 3)})
with open(os.path.join(out, "timings.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(table[0]))
    w.writeheader()
    w.writerows(table)

for name, ph in phases.items():
    keys = [k for k in ph[0] if isinstance(ph[0][k], (int, float)) and k != "persons"]
    print(f"  {name} phases (its own clock, medians): " +
          ", ".join(f"{k} {statistics.median(p[k] for p in ph if k in p):.3f} s" for k in keys))
read = stats["gongfu"]["read"]
if read is None:
    print("  gongfu population read: not available (no 'load population' step in manifest.json)")

checks = [  # what, target, value, passed
    ("gongfu static year, median s", "< 0.4", base, base < 0.4),
    ("gongfu population read (manifest 'load population'), median s", "< 0.15", read,
     None if read is None else read < 0.15),
    ("gongfu --microdata, median s", "< 0.8", stats["gongfu --microdata"]["median"],
     stats["gongfu --microdata"]["median"] < 0.8),
    ("ref_numpy / gongfu (medians)", ">= 10", stats["ref_numpy"]["median"] / base, stats["ref_numpy"]["median"] / base >= 10),
    ("openfisca / gongfu (medians)", ">= 15", stats["openfisca"]["median"] / base, stats["openfisca"]["median"] / base >= 15),
]
print(f"\nissue 15 item 4{note}:")
with open(os.path.join(out, "checks.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["check", "target", "value", "result", "persons", "debug_binary"])
    for what, target, value, ok in checks:
        res = "N/A" if ok is None else ("PASS" if ok else "MISS")
        shown = "n/a" if value is None else f"{value:.3f}"
        print(f"  {res:<4}  {what}: {shown} (target {target})")
        w.writerow([what, target, "" if value is None else round(value, 4), res, persons, debug])

if check:  # side-check: gongfu's static microdata against ref_numpy's, shared columns
    import numpy as np
    import pandas as pd
    files = sorted(glob.glob(os.path.join(micro_dir, "microdata", "*.parquet")))
    if not files:
        print("\nmicrodata side-check: no Parquet microdata in", micro_dir)
    else:
        g = pd.read_parquet(files[0])
        n = pd.read_csv(np_prefix + "_microdata.csv")
        shared = [c for c in n.columns if c in g.columns and c not in ("person_id", "scenario")]
        m = n.merge(g, on="person_id", how="inner", suffixes=("_np", "_gf"))
        print(f"\nmicrodata side-check: gongfu {os.path.basename(files[0])} ({len(g)} rows) vs ref_numpy "
              f"({len(n)} rows), {len(m)} joined on person_id (a summary, not a test; "
              f"see ../shared/peers/INTERPRETATION.md)")
        print(f"  {'column':<34} {'max abs diff':>14} {'rows > 0.01':>12}")
        diffs = []
        for c in shared:
            a, b = m[c + "_np"], m[c + "_gf"]
            if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
                d = np.abs(a.to_numpy(float) - b.to_numpy(float))
                d = np.where(np.isnan(a.to_numpy(float)) & np.isnan(b.to_numpy(float)), 0.0, d)
                mx, cnt = float(np.nanmax(d)) if len(d) else 0.0, int((~(d <= 0.01)).sum())
            else:
                mx, cnt = float("nan"), int((a.astype(str).str.lower() != b.astype(str).str.lower()).sum())
            diffs.append({"column": c, "max_abs_diff": mx, "rows_differing": cnt})
            print(f"  {c:<34} {mx:14.4f} {cnt:12d}")
        with open(os.path.join(out, "microdata_diff.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["column", "max_abs_diff", "rows_differing"])
            w.writeheader()
            w.writerows(diffs)

print(f"\nwrote {out}/timings.csv, checks.csv, runs.csv" + (", microdata_diff.csv" if check else "") +
      f"; logs in {logs}")
PYEOF
