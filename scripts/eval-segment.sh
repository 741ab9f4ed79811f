#!/usr/bin/env bash
# Cut detection on the eval corpus: framesift segment --cuts-only with each
# detector in DETECTORS (default: builtin transnetv2 ensemble; TransNetV2 needs
# scripts/get-transnet.sh), ffmpeg's select='gt(scene,0.3)' and PySceneDetect's
# detect-adaptive on the same files, each scored by ../shared/eval/score.py
# --cuts (hard-cut precision / recall / F1 at TOL seconds, crossfades found,
# boundary F1 = cuts + fades).
# Usage: [TOL=0.5] [FRAMESIFT_BIN=path] scripts/eval-segment.sh CORPUS_DIR [extra framesift segment flags...]
set -euo pipefail
corpus=${1:?usage: scripts/eval-segment.sh CORPUS_DIR [flags...]}
shift
cd "$(dirname "$0")/.."
bin=${FRAMESIFT_BIN:-target/release/framesift} # another binary: a before/after comparison
score=${SCORE:-../shared/eval/score.py}
tol=${TOL:-0.5}
[ -x "$bin" ] || cargo build --release >/dev/null 2>&1
py=$(scripts/scenedetect-venv.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
detectors=${DETECTORS:-builtin transnetv2 ensemble}
row() { # name tool score-json
  echo "{\"tool\": \"$2\", \"score\": $3}" >> "$work/rows.jsonl"
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
  for d in $detectors; do
    rm -rf "$work/fs"
    "$bin" segment "$video" -o "$work/fs" --cuts-only --no-plot -q --detector "$d" "$@"
    row "$name" "framesift $d" "$(python3 "$score" "$truth" --cuts "$work/fs/$name/cuts.json" --tolerance "$tol")"
  done
  ffmpeg -v info -nostdin -hide_banner -nostats -i "$video" -map 0:v:0 \
      -vf "select='gt(scene,0.3)',metadata=print:file=-" -f null - 2>/dev/null \
    | sed -n 's/.*pts_time:\([0-9.]*\).*/\1/p' \
    | python3 -c 'import sys,json;print(json.dumps([float(x) for x in sys.stdin.read().split()]))' \
    > "$work/ffmpeg.json"
  row "$name" "ffmpeg scene>0.3" "$(python3 "$score" "$truth" --cuts "$work/ffmpeg.json" --tolerance "$tol")"
  "$py" scripts/scenedetect-cuts.py "$video" "$work/psd.json" 2>/dev/null
  row "$name" "PySceneDetect adaptive" "$(python3 "$score" "$truth" --cuts "$work/psd.json" --tolerance "$tol")"
done
echo
echo "All videos pooled:"
echo
echo "| tool | truth cuts | predicted | P | R | cuts F1 | fades found |"
echo "|---|---:|---:|---:|---:|---:|---:|"
python3 - "$work/rows.jsonl" <<'PY'
import json, sys
tools = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    s = r["score"]
    t = tools.setdefault(r["tool"], [0, 0, 0.0, 0.0, 0, 0])
    t[0] += s["cuts_truth"]; t[1] += s["cuts_predicted"]
    t[2] += s["cuts_recall"] * s["cuts_truth"]; t[3] += s["cuts_precision"] * s["cuts_predicted"]
    t[4] += s["fades_detected"]; t[5] += s["fades_total"]
for name, (truth, pred, tp_r, tp_p, fd, ft) in tools.items():
    p = tp_p / pred if pred else 1.0
    r = tp_r / truth if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"| {name} | {truth} | {pred} | {p:.3f} | {r:.3f} | **{f1:.3f}** | {fd}/{ft} |")
PY
