#!/usr/bin/env bash
# `framesift segment` with its default outputs (keyframes, clips, grid,
# plot) on every video of a corpus folder; every clip must decode.
#
#   scripts/segment-corpus.sh [CORPUS_DIR] [FRAMESIFT_BIN]
#
# Exits non-zero when a video fails or a clip does not decode. Issue 19
# item 1 (stream-copy cutting of HEVC in Matroska) was found on the public
# eval corpus's p04 this way.
set -euo pipefail
corpus=${1:-../eval/public}
bin=${2:-target/release/framesift}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for v in "$corpus"/*.mp4 "$corpus"/*.mkv "$corpus"/*.webm "$corpus"/*.ts "$corpus"/*.avi; do
  [ -e "$v" ] || continue
  name=$(basename "$v")
  if "$bin" segment "$v" -o "$out" -q 2>"$out/err.txt"; then
    bad=0 clips=0
    for c in "$out/$name"/clips/*; do
      clips=$((clips + 1))
      # Clean: ffmpeg decodes it to the end without one error line (a
      # missing reference picture is logged, not fatal).
      if [ -n "$(ffmpeg -v error -i "$c" -f null - 2>&1)" ]; then bad=$((bad + 1)); fi
    done
    echo "ok      $name  ($clips clips, $bad that do not decode cleanly)"
    [ "$bad" -eq 0 ] || status=1
  else
    echo "FAILED  $name  $(head -1 "$out/err.txt")"
    status=1
  fi
done
exit $status
