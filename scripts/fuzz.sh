#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (default 60 s each) on the
# nightly toolchain, seeded with the YAML configs in fuzz/corpus/.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
for target in $(cargo +nightly fuzz list); do
  echo "fuzz: $target for ${secs}s"
  mkdir -p "fuzz/corpus/$target"
  cp -n fuzz/seeds/"$target"/* "fuzz/corpus/$target"/ 2>/dev/null || true
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=2048
done
