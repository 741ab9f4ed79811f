#!/usr/bin/env python3
"""PySceneDetect's detect-adaptive on one video, one image per scene: the
middle frame of each scene (what `scenedetect save-images -n 1` saves),
written as JSONL times for ../shared/eval/score.py. A video PySceneDetect
cannot read (its OpenCV build has no AV1 decoder) gives an empty selection.

Usage: scenedetect-middles.py VIDEO OUT.jsonl
(run with the venv scripts/scenedetect-venv.sh makes)
"""
import json
import sys

from scenedetect import AdaptiveDetector, detect, open_video


def seconds(tc):
    return tc.seconds if isinstance(getattr(type(tc), "seconds", None), property) else tc.get_seconds()


video, out = sys.argv[1], sys.argv[2]
times = []
try:
    scenes = detect(video, AdaptiveDetector())
    if scenes:
        times = [(seconds(a) + seconds(b)) / 2 for a, b in scenes]
    else:  # no cut found: the whole video is one scene
        d = seconds(open_video(video).duration)
        times = [d / 2] if d > 0 else []
except Exception as e:  # noqa: BLE001 - report and score an empty selection
    print(f"scenedetect-middles: {video}: {e}", file=sys.stderr)
with open(out, "w") as f:
    for t in times:
        f.write(json.dumps({"time": t}) + "\n")
