#!/usr/bin/env python3
"""framesift's Ray pipeline against single-process runs, measured in one run.

1. A global coreset of 1,000 over 100,000 × 512 float32 embeddings (random
   unit vectors around 2,000 cluster centres, fixed seed) spread over 8
   blocks: single-process k-center (`framesift.select`, what `framesift
   select --global` runs) vs two rounds on Ray (k-center per block as Ray
   tasks, then over the union of their picks): wall time and coverage radius.
2. Per-video throughput: `framesift.ray.select_global`'s per-video step over
   the same videos vs the CLI (`framesift embed`-style candidates through
   `framesift select --global`) on the same machine.

Usage (a venv with the release wheel, ray[data] and pyarrow):
    RAY_USAGE_STATS_ENABLED=0 python scripts/bench-ray.py [--cpus N] [VIDEO ...]
Prints a Markdown table for BENCHMARKS.md.
"""

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")


def clustered(rows, dim, centres, seed=0):
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, dim)).astype(np.float32)
    which = rng.integers(0, centres, size=rows)
    x = c[which] + 0.35 * rng.normal(size=(rows, dim)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpus", type=int, default=os.cpu_count())
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--blocks", type=int, default=8)
    ap.add_argument("--cli", default=str(Path(__file__).resolve().parents[1] / "target/release/framesift"))
    ap.add_argument("videos", nargs="*")
    args = ap.parse_args()

    import ray

    import framesift
    import framesift.ray as fr

    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
    x = clustered(args.rows, args.dim, 2000)
    print(f"# {args.rows} x {args.dim} float32, coreset of {args.n}, {args.cpus} CPUs")
    t = time.monotonic()
    single, _ = framesift.select(x, args.n, method="coreset", report=False)
    t_single = time.monotonic() - t
    r_single = framesift.coverage_radius(x, single)
    print(f"(k-center greedy over all rows, {args.cpus} threads)")
    t = time.monotonic()
    two, info = fr.global_coreset(x, args.n, two_round=True, blocks=args.blocks)
    t_two = time.monotonic() - t - info["radius_seconds"]
    r_two = info["radius"]
    # Walls are the choice alone; each radius is measured after, the same way.
    print("| run | wall (choice) | coverage radius | vs single |")
    print("|---|---:|---:|---:|")
    print(f"| single process, `framesift.select` | {t_single:.2f} s | {r_single:.4f} | 1.000 |")
    print(
        f"| two rounds on Ray, {args.blocks} blocks | {t_two:.2f} s ({t_two / t_single:.2f}x) "
        f"| {r_two:.4f} | {r_two / r_single:.3f} |"
    )

    if args.videos:
        videos = sorted(str(Path(v).resolve()) for v in args.videos)
        tmp = Path(tempfile.mkdtemp(prefix="bench-ray-"))
        try:
            t = time.monotonic()
            subprocess.run(
                [args.cli, "select", *videos, "-o", str(tmp / "cli"), "-q", "--global",
                 "--n", "20", "--method", "coreset"],
                check=True,
            )
            t_cli = time.monotonic() - t
            t = time.monotonic()
            out = fr.select_global(videos, tmp / "ray", 20, hash_distance=None)
            t_ray = time.monotonic() - t
            assert not out["failed"], out["failed"]
            rows = out["rows"]
            print()
            print(f"# {len(videos)} videos, select --global -n 20 (coreset), {rows} candidate frames")
            print("| run | wall | vs CLI |")
            print("|---|---:|---:|")
            print(f"| `framesift select --global` (CLI, -j {args.cpus}) | {t_cli:.2f} s | 1.00 |")
            print(f"| `framesift.ray.select_global` (Ray, {args.cpus} CPUs) | {t_ray:.2f} s | {t_ray / t_cli:.2f} |")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    ray.shutdown()


if __name__ == "__main__":
    main()
