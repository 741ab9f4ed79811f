#!/usr/bin/env bash
# Cut detection on the eval corpus: framesift segment --cuts-only (built-in
# embedding), ffmpeg's select='gt(scene,0.3)' and PySceneDetect's
# detect-adaptive on the same files, each scored by ../shared/eval/score.py
# --cuts (hard-cut precision / recall / F1 at TOL seconds, crossfades found,
# boundary F1 = cuts + fades).
# Usage: [TOL=0.5] scripts/eval-segment.sh CORPUS_DIR [extra framesift segment flags...]
set -euo pipefail
corpus=${1:?usage: scripts/eval-segment.sh CORPUS_DIR [flags...]}
shift
cd "$(dirname "$0")/.."
bin=target/release/framesift
score=${SCORE:-../shared/eval/score.py}
tol=${TOL:-0.5}
[ -x "$bin" ] || cargo build --release >/dev/null 2>&1
py=$(scripts/scenedetect-venv.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
row() { # name tool score-json
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
r = json.loads(sys.argv[3])
print(f"| {sys.argv[1]} | {sys.argv[2]} | {r['cuts_truth']} | {r['cuts_predicted']} | {r['cuts_precision']:.3f} | "
      f"{r['cuts_recall']:.3f} | **{r['cuts_f1']:.3f}** | {r['fades_detected']}/{r['fades_total']} | {r['boundary_f1']:.3f} |")
PY
}
echo "tolerance $tol s"
echo
echo "| video | tool | truth cuts | predicted | P | R | cuts F1 | fades found | boundary F1 |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for truth in "$corpus"/*.truth.json; do
  video=${truth%.truth.json}
  name=$(basename "$video")
  "$bin" segment "$video" -o "$work/fs" --cuts-only --no-plot -q "$@"
  row "$name" framesift "$(python3 "$score" "$truth" --cuts "$work/fs/$name/cuts.json" --tolerance "$tol")"
  ffmpeg -v info -nostdin -hide_banner -nostats -i "$video" -map 0:v:0 \
      -vf "select='gt(scene,0.3)',metadata=print:file=-" -f null - 2>/dev/null \
    | sed -n 's/.*pts_time:\([0-9.]*\).*/\1/p' \
    | python3 -c 'import sys,json;print(json.dumps([float(x) for x in sys.stdin.read().split()]))' \
    > "$work/ffmpeg.json"
  row "$name" "ffmpeg scene>0.3" "$(python3 "$score" "$truth" --cuts "$work/ffmpeg.json" --tolerance "$tol")"
  "$py" scripts/scenedetect-cuts.py "$video" "$work/psd.json" 2>/dev/null
  row "$name" "PySceneDetect adaptive" "$(python3 "$score" "$truth" --cuts "$work/psd.json" --tolerance "$tol")"
done
