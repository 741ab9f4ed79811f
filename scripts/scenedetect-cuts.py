#!/usr/bin/env python3
"""PySceneDetect's detect-adaptive on one video, as a cut list for
../shared/eval/score.py: writes {"cuts": [seconds...]} to OUT.

Usage: scenedetect-cuts.py VIDEO OUT.json
(run with the venv scripts/eval-segment.sh makes: scenedetect + OpenCV)
"""
import json
import sys

from scenedetect import AdaptiveDetector, detect

video, out = sys.argv[1], sys.argv[2]
scenes = detect(video, AdaptiveDetector())
cuts = [round(start.get_seconds(), 6) for start, _ in scenes[1:]]
with open(out, "w") as f:
    json.dump({"video": video, "cuts": cuts}, f)
