#!/usr/bin/env bash
# The whole test suite: install what is missing, then formatting, lints and every
# test: Rust (unit, end-to-end, doc) and then the Python package's (scripts/test-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --all-targets
cargo test --doc
bash scripts/test-python.sh
