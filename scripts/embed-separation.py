#!/usr/bin/env python3
"""Separation report of framesift's embeddings on the eval corpus.

usage: scripts/embed-separation.py CORPUS_DIR [FRAMESIFT] [--fps 2] [--embed builtin]

For every video with a NAME.truth.json in CORPUS_DIR, runs `framesift embed`,
labels each embedded frame with the truth scene of its clean segment (normal,
static or repeat; frames within 0.3 s of a boundary, in fades, black or blur are
left out) and reports pairwise L2 distances: same scene vs different scenes.
A good embedding has same-scene distances well below different-scene ones
(ratio = mean_diff / mean_same, and p90(same) < p10(diff): no overlap).
Pure standard library (reads the .npy itself).
"""
import argparse
import json
import math
import os
import struct
import subprocess
import sys
import tempfile

CLEAN = {"normal", "static", "repeat"}


def read_npy(path):
    with open(path, "rb") as f:
        data = f.read()
    hlen = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + hlen].decode()
    shape = header.split("'shape': (")[1].split(")")[0]
    n, d = [int(x) for x in shape.split(",") if x.strip()]
    flat = struct.unpack("<%df" % (n * d), data[10 + hlen:10 + hlen + 4 * n * d])
    return [flat[i * d:(i + 1) * d] for i in range(n)]


def scene_at(truth, t, margin=0.3):
    for s in truth["segments"]:
        if s["start"] + margin <= t < s["end"] - margin:
            return s["scene"] if s["kind"] in CLEAN else None
    return None


def dist(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def pct(v, p):
    v = sorted(v)
    return v[int(round((len(v) - 1) * p))] if v else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("framesift", nargs="?", default="target/release/framesift")
    ap.add_argument("--fps", default="2")
    ap.add_argument("--embed", default="builtin")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    truths = sorted(f for f in os.listdir(a.corpus) if f.endswith(".truth.json") and a.only in f)
    print("| video | frames | scenes | mean same | mean diff | ratio | p90 same | p10 diff | min diff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for tf in truths:
            truth = json.load(open(os.path.join(a.corpus, tf)))
            video = os.path.join(a.corpus, tf[: -len(".truth.json")])
            out = os.path.join(tmp, os.path.basename(video))
            subprocess.run([a.framesift, "embed", video, "-o", out, "--fps", a.fps,
                            "--embed", a.embed, "-q"], check=True)
            vdir = os.path.join(out, os.path.basename(video))
            rows = read_npy(os.path.join(vdir, "embeddings.npy"))
            index = [json.loads(l) for l in open(os.path.join(vdir, "embeddings.jsonl"))]
            t0 = truth.get("start_time", 0.0) or 0.0
            labelled = [(scene_at(truth, r["time"] - t0), v) for r, v in zip(index, rows)]
            labelled = [(s, v) for s, v in labelled if s is not None]
            if len(labelled) > 500:  # pure-Python pairs: keep it to ~125k pairs
                step = len(labelled) / 500
                labelled = [labelled[int(i * step)] for i in range(500)]
            same, diff = [], []
            for i in range(len(labelled)):
                for j in range(i + 1, len(labelled)):
                    d = dist(labelled[i][1], labelled[j][1])
                    (same if labelled[i][0] == labelled[j][0] else diff).append(d)
            ms, md = sum(same) / len(same), sum(diff) / len(diff)
            ratios.append(md / ms)
            scenes = len({s for s, _ in labelled})
            print(f"| {os.path.basename(video)} | {len(labelled)} | {scenes} | {ms:.3f} | {md:.3f} | "
                  f"{md / ms:.2f} | {pct(same, 0.9):.3f} | {pct(diff, 0.1):.3f} | {min(diff):.3f} |")
    print(f"\nmean ratio {sum(ratios) / len(ratios):.2f}, worst {min(ratios):.2f}")


if __name__ == "__main__":
    sys.exit(main())
