#!/usr/bin/env bash
# Makes (once) bench-out/venv-scenedetect with PySceneDetect and headless
# OpenCV from PyPI, for the segmentation comparisons; prints its python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench-out/venv-scenedetect
if ! "$venv/bin/python" -c "import scenedetect, cv2" 2>/dev/null; then
  mkdir -p bench-out
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q "scenedetect==0.7.*" opencv-python-headless numpy >&2
fi
echo "$PWD/$venv/bin/python"
