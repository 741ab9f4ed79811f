#!/usr/bin/env bash
# The Python package's tests: builds framesift's wheel (PyO3 + maturin, abi3)
# into a fresh venv, then runs pytest: the API against the CLI, the Ray
# Data pipeline on a local 2-CPU cluster, and the CLI's reports and exports
# read by their tools (pyarrow, webdataset, headless Chromium via selenium). Run by scripts/test.sh after the
# Rust tests; needs what scripts/setup-deps.sh installs.
#
# The wheel is built in cargo's dev profile with the same features as
# `cargo test`, so it reuses the dependencies that build compiled; a
# release wheel is `cd python && maturin build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/py-test-venv
rm -rf "$venv" target/wheels
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check \
  "maturin==1.16.0" "pytest==9.2.0" "numpy==2.4.6" "pyarrow==26.0.1" "ray[data]==2.60.0" \
  "webdataset==1.0.2" "selenium==4.51.0"
cargo build -q --bin framesift # the CLI the tests compare with
# No --strip: maturin's strip is a profile change, which rebuilt the framesift
# library (3.4 min here); unstripped, the wheel links the library cargo test built
# (23 s). The test wheel is large (debug info); nobody ships it.
(cd python && "../$venv/bin/maturin" build -q --profile dev --auditwheel skip \
  --interpreter "../$venv/bin/python" -o ../target/wheels)
"$venv/bin/pip" install -q --disable-pip-version-check --no-deps target/wheels/framesift-*.whl
# Ray stays off the network (no usage reports).
export RAY_USAGE_STATS_ENABLED=0
export FRAMESIFT_BIN="$PWD/target/debug/framesift"
"$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
