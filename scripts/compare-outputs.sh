#!/usr/bin/env bash
# Behaviour-unchanged check for refactors: runs the same commands with two
# framesift binaries and compares their manifests byte for byte, then times
# both on the first video (median of 3 alternating pairs).
#
#   scripts/compare-outputs.sh OLD_BIN NEW_BIN WORK_DIR VIDEO...
#
# Compared: frames.jsonl, segments.jsonl, cuts.json, diversity.json (the
# manifests; summary.json carries timings and the version, so it is left
# out). Prints one line per command and video, and the time ratio NEW/OLD.
# ONLY=manifests or ONLY=time runs one half.
set -euo pipefail
only=${ONLY:-all}
old=$1 new=$2 work=$3
shift 3
videos=("$@")
commands=(
  "sample"
  "sample --mode keyframes"
  "select --n 12"
  "segment"
)
mkdir -p "$work"
differ=0
for c in "${commands[@]}"; do
  [ "$only" = time ] && break
  tag=$(echo "$c" | tr ' ' '_' | tr -d '-')
  for v in "${videos[@]}"; do
    for side in old new; do
      bin=$old
      [ "$side" = new ] && bin=$new
      rm -rf "$work/$side/$tag"
      # shellcheck disable=SC2086
      "$bin" $c "$v" -o "$work/$side/$tag" -q >/dev/null 2>&1 || true
    done
    name=$(basename "$v")
    for m in frames.jsonl segments.jsonl cuts.json diversity.json; do
      a="$work/old/$tag/$name/$m" b="$work/new/$tag/$name/$m"
      if [ -e "$a" ] || [ -e "$b" ]; then
        if cmp -s "$a" "$b"; then
          echo "same    $c  $name  $m"
        else
          echo "DIFFER  $c  $name  $m"
          differ=1
        fi
      fi
    done
  done
done

# Time ratios on the first video: median of 3 alternating pairs per command.
v=${videos[0]}
for c in "${commands[@]}"; do
  [ "$only" = manifests ] && break
  ratios=()
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$old" $c "$v" -o "$work/time-old" -q >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$new" $c "$v" -o "$work/time-new" -q >/dev/null 2>&1 || true
    t2=$(date +%s.%N)
    ratios+=("$(echo "($t2 - $t1) / ($t1 - $t0)" | bc -l)")
    rm -rf "$work/time-old" "$work/time-new"
  done
  median=$(printf '%s\n' "${ratios[@]}" | sort -g | sed -n 2p)
  printf 'time    %-24s new/old %.3f  (pairs: %s)\n' "$c" "$median" "$(printf '%.3f ' "${ratios[@]}")"
done
exit $differ
