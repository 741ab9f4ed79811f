#!/usr/bin/env bash
# Diverse selection on the eval corpus: for every video, N = distinct scenes + 2
# frames chosen from 2-fps candidates by coreset, uniform and random; prints the
# diversity report (min pairwise L2 and p10 of each method, from coreset's
# diversity.json, which measures all three on the same candidates) and the scene
# coverage / selection F1 / frames picked mid-crossfade ("transition") that
# ../shared/eval/score.py gives each method.
# Usage: [N=frames] scripts/eval-select.sh CORPUS_DIR [extra framesift select flags...]
# (N fixes the number of frames for every video instead of scenes + 2; --keep-poor keeps
# these figures comparable with those taken before select left out flat and blurred
# candidates by default: the gates given in the flags do that job here)
set -euo pipefail
corpus=${1:?usage: scripts/eval-select.sh CORPUS_DIR [flags...]}
shift
cd "$(dirname "$0")/.."
bin=target/release/framesift
score=${SCORE:-../shared/eval/score.py}
[ -x "$bin" ] || cargo build --release >/dev/null 2>&1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| video | N | coreset min / p10 | uniform min / p10 | random min / p10 | coverage coreset | uniform | random | F1 coreset | uniform | random | transition frames coreset / uniform / random |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for truth in "$corpus"/*.truth.json; do
  video=${truth%.truth.json}
  name=$(basename "$video")
  n=${N:-$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['scenes']) + 2)" "$truth")}
  cov=(); f1=(); tr=()
  for m in coreset uniform random; do
    "$bin" select "$video" -o "$work/$m" --n "$n" --method "$m" --keep-poor -q "$@" >/dev/null
    s=$(python3 "$score" "$truth" "$work/$m/$name/frames.jsonl")
    cov+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['coverage'])" "$s")")
    f1+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['selection_f1'])" "$s")")
    tr+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['transition_selected'])" "$s")")
  done
  div=$(python3 - "$work/coreset/$name/diversity.json" <<'PY'
import json, sys
rows = {r["set"]: r for r in json.load(open(sys.argv[1]))}
print(" | ".join(f"{rows[s]['min']:.3f} / {rows[s]['p10']:.3f}" for s in ("coreset", "uniform", "random")))
PY
)
  echo "| $name | $n | $div | ${cov[0]} | ${cov[1]} | ${cov[2]} | ${f1[0]} | ${f1[1]} | ${f1[2]} | ${tr[0]} / ${tr[1]} / ${tr[2]} |"
done
