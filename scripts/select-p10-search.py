#!/usr/bin/env python3
"""How high can the 10th percentile of pairwise L2 distances go at
N = scenes + 2?  For each eval video: framesift's candidates (all of them,
`select --method uniform --fraction 1` with the given flags) and their
embeddings; then simulated annealing over N-frame sets (single swaps,
4 restarts x 15,000 steps, seeded) that maximises p10 (numpy's linear
percentile, as framesift's report) under two sets of constraints:

  fair:   min pairwise >= k-center's min, coverage radius <= k-center's
          (keep what k-center gives; only the lower tail may move)
  radius: coverage radius <= k-center's, min pairwise above uniform's and
          random's (the issue's min target; coverage as k-center's)
  oracle: the truth's scenes all covered, no black/blur/transition frame,
          min pairwise above uniform's and random's (the issue's other
          targets), using the truth file no selector has

and prints both next to k-center's and uniform's p10 (from framesift's own
diversity.json for the same N).

usage: scripts/select-p10-search.py CORPUS_DIR [framesift select flags...]
needs numpy (python3-numpy).
"""
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "framesift")


def framesift(video, out, *args):
    subprocess.run([BIN, "select", video, "-o", out, "-q", *args], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(out, os.path.basename(video))


def pairs(d, s):
    s = list(s)
    return np.sort(np.array([d[a, b] for i, a in enumerate(s) for b in s[i + 1:]]))


def radius(d, s):
    return float(d[:, s].min(axis=1).max())


def anneal(d, start, ok, restarts=4, steps=15000):
    k, n = len(start), len(d)
    best = (-1.0, None)
    for seed in range(restarts):
        rng = np.random.default_rng(seed)
        cur_set, cur, temp = list(start), -1.0, 0.05
        for _ in range(steps):
            i, c = int(rng.integers(k)), int(rng.integers(n))
            temp *= 0.9995
            if c in cur_set:
                continue
            cand = cur_set[:i] + cur_set[i + 1:] + [c]
            p = pairs(d, cand)
            if not ok(cand, p):
                continue
            v = float(np.percentile(p, 10))
            if v >= cur or rng.random() < math.exp((v - cur) / temp):
                cur_set, cur = cand, v
                if v > best[0]:
                    best = (v, list(cand))
    return best


def main():
    corpus, flags = sys.argv[1], sys.argv[2:]
    print("| video | N | coreset p10 | uniform p10 | best p10, fair | best p10, radius | best p10, oracle |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as work:
        for truth_path in sorted(glob.glob(os.path.join(corpus, "*.truth.json"))):
            video = truth_path[: -len(".truth.json")]
            truth = json.load(open(truth_path))
            n_sel = len(truth["scenes"]) + 2
            cand = framesift(video, os.path.join(work, "all"), "--method", "uniform",
                             "--fraction", "1", *flags)
            core = framesift(video, os.path.join(work, "core"), "--n", str(n_sel), *flags)
            e = np.load(os.path.join(cand, "embeddings.npy")).astype(np.float64)
            times = [json.loads(l)["time"] for l in open(os.path.join(cand, "embeddings.jsonl"))]
            core_times = {json.loads(l)["time"] for l in open(os.path.join(core, "embeddings.jsonl"))}
            d = np.sqrt(np.maximum(((e[:, None, :] - e[None, :, :]) ** 2).sum(-1), 0))
            report = {r["set"]: r for r in json.load(open(os.path.join(core, "diversity.json")))}
            greedy = [i for i, t in enumerate(times) if t in core_times]
            g_min, g_rad = pairs(d, greedy)[0], radius(d, greedy)
            floor = max(report["uniform"]["min"], report["random"]["min"]) + 1e-6
            fair = anneal(d, greedy, lambda s, p: p[0] >= g_min - 1e-6 and radius(d, s) <= g_rad + 1e-6)

            def scene(t):
                for s in truth["segments"]:
                    if s["start"] <= t < s["end"]:
                        span = s["end"] - s["start"]
                        if s.get("kind") == "fade":
                            return None  # (the scorer forgives only its outer 20 %)
                        if s.get("kind") in ("black", "blur") or s.get("scene") == "black":
                            return None
                        return s["scene"]
                return None

            label = [scene(t) for t in times]
            need = len(truth["scenes"])
            by_radius = anneal(d, greedy, lambda s, p: p[0] > floor and radius(d, s) <= g_rad + 1e-6)
            oracle = anneal(d, greedy, lambda s, p: all(label[i] for i in s)
                            and len({label[i] for i in s}) == need and p[0] > floor)
            print(f"| {os.path.basename(video)} | {n_sel} | {report['coreset']['p10']:.3f} | "
                  f"{report['uniform']['p10']:.3f} | {fair[0]:.3f} | {by_radius[0]:.3f} | "
                  f"{oracle[0]:.3f} |")


if __name__ == "__main__":
    main()
