#!/usr/bin/env bash
# Flat memory over long videos: peak RSS of `framesift sample` on 1-, 10- and
# 30-minute low-resolution videos (generated once with ffmpeg into $CACHE), in
# scene mode (the default), keyframes mode and decoding every frame, with
# ffmpeg's own decode of the same file as the peer. Usage: scripts/bench-memory.sh [CACHE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${1:-./bench-out/long-videos}
mkdir -p "$cache"
[ -x target/release/framesift ] || cargo build --release >/dev/null 2>&1
bin=target/release/framesift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rss() { # peak RSS in MiB of a command
  /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.1f", $1/1024}' "$work/rss"
}
echo "| video | ffmpeg decode (all frames) MiB | framesift scenes (default) MiB | framesift keyframes MiB | framesift all frames, 1 fps MiB | framesift all frames, every frame saved MiB |"
echo "|---|---:|---:|---:|---:|---:|"
for mins in 1 10 30; do
  v="$cache/long_${mins}min_160x90.mp4"
  if [ ! -s "$v" ]; then
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=160x90:rate=25:duration=$((mins * 60))" \
      -c:v libx264 -preset ultrafast -g 250 -pix_fmt yuv420p "$v"
  fi
  peer=$(rss ffmpeg -hide_banner -loglevel error -i "$v" -f null -)
  scenes=$(rss "$bin" sample "$v" -o "$work/s" -q)
  key=$(rss "$bin" sample "$v" -o "$work/k" --mode keyframes -q)
  all=$(rss "$bin" sample "$v" -o "$work/a" --no-keyframes-only -q)
  every=$(rss "$bin" sample "$v" -o "$work/e" --no-keyframes-only --min-frame-interval-sec 0 --no-dedup -q)
  rm -rf "$work/s" "$work/k" "$work/a" "$work/e"
  echo "| ${mins} min 160x90 25 fps | $peer | $scenes | $key | $all | $every |"
done
