#!/usr/bin/env bash
# The Python package's CI step (docs/python.md, "Tests"), called by .ci/run: a fresh virtual
# environment with the pinned tools of python/requirements-ci.txt (PyPI), the package built and
# installed with `pip install ./python` (maturin), then its pytest suite, which compares it with
# the command-line binary built by `cargo build`.
#
# The extension is built in the release profile, what a user's `pip install ./python` builds:
# measured cold on 2 shared cores, the dev profile (dependencies at opt-level 1) took as much CPU
# (15m48s for this whole script against 14m53s for a release `pip install ./python`), so it
# saves nothing. PYTHON_PROFILE=dev builds the other.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/target/python-venv"
python3 -m venv --clear "$venv"
export PATH="$venv/bin:$PATH"   # the build backend calls the venv's `maturin`
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-ci.txt
start=$(date +%s)
MATURIN_PEP517_ARGS="--locked --profile ${PYTHON_PROFILE:-release}" \
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation ./python
echo "python/ci.sh: built and installed the package in $(( $(date +%s) - start )) s"
cargo build --locked --quiet --bin gongfu
GONGFU_BIN="$root/target/debug/gongfu" "$venv/bin/python" -m pytest -q python/tests
