#!/usr/bin/env python3
"""framesift's own evaluation corpus: what the public corpus does not stress.

Built with the shared builder (../shared/eval/corpus.py) from the same assets:

    python3 eval/corpus_own.py ASSETS OUTDIR        # ASSETS from fetch_assets.sh

| video | stresses |
|---|---|
| o01_wipes_mpeg2.ts | MPEG-2 in MPEG-TS (first PTS 1.4 s): wipe, slide, circle and pixelize transitions |
| o02_dark_xvid.avi | MPEG-4 Part 2 in AVI: dark but real scenes (dimmed photos), black with grain, a repeat |
| o03_viewpoints_vp8.webm | VP8 WebM: near-identical viewpoints of one scene cut together, a 40 s static hold, a real clip |

Truth, as for the public corpus, comes from the spec: a dimmed photo is a
scene to cover (kind normal); the same photo framed a little differently is
the same scene (kind repeat), so saving it twice is redundant.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("FRAMESIFT_EVAL", os.path.join(HERE, "..", "..", "shared", "eval"))
sys.path.insert(0, SHARED)
from corpus import img, clip, black, x264, main_build  # noqa: E402

KB_A = (1.0, 1.2, 0.3, 0.7, 0.2, 0.4)
KB_B = (1.05, 1.25, 0.35, 0.65, 0.25, 0.45)  # nearly KB_A: a near-identical viewpoint
KB_HPAN = (1.15, 1.15, 0.0, 1.0, 0.5, 0.5)
KB_SLOW = (1.0, 1.08, 0.5, 0.5, 0.5, 0.5)

VIDEOS = [
    dict(
        name="o01_wipes_mpeg2.ts",
        description="MPEG-2 in MPEG-TS (starts at PTS 1.4 s); scenes joined by wipes, slides, a "
                    "circle and a pixelize transition, and hard cuts",
        size=(640, 360), fps=25,
        segments=[
            img("coins", "coins.png", 5, kb=KB_A),
            img("horse", "horse.png", 5, kb=KB_SLOW, fade=1.0, trans="wipeleft"),
            img("astronaut", "astronaut.png", 5, kb=KB_HPAN, fade=1.0, trans="slideup"),
            img("coffee", "coffee.png", 5, kb=KB_A),
            img("brick", "brick.png", 5, kb=KB_SLOW, fade=1.2, trans="circleopen"),
            img("rocket", "rocket.jpg", 5, kb=KB_A, fade=0.8, trans="pixelize"),
            img("coins", "coins.png", 4, kb=KB_A, fade=1.0, trans="slideright"),
            img("china", "china.jpg", 5, kb=KB_HPAN),
        ],
        encode=["-c:v", "mpeg2video", "-q:v", "4", "-g", "12", "-bf", "2"],
    ),
    dict(
        name="o02_dark_xvid.avi",
        description="MPEG-4 Part 2 (xvid tag) in AVI; dimmed but real scenes, black with grain, "
                    "a dark repeat, normal scenes between",
        size=(640, 360), fps=25,
        segments=[
            img("chelsea", "chelsea.png", 5, kb=KB_A),
            img("china", "china.jpg", 6, kb=KB_SLOW, dim=0.6),
            black(3),
            img("rocket", "rocket.jpg", 6, kb=KB_A, dim=0.7),
            img("flower", "flower.jpg", 5, kb=KB_HPAN),
            img("astronaut", "astronaut.png", 5, kb=KB_SLOW, dim=0.55),
            black(2),
            img("china", "china.jpg", 4, kb=KB_SLOW, dim=0.6),
            img("ihc", "ihc.png", 5, kb=KB_A),
        ],
        encode=["-c:v", "mpeg4", "-vtag", "xvid", "-q:v", "5", "-g", "50"],
    ),
    dict(
        name="o03_viewpoints_vp8.webm",
        description="VP8 WebM; one scene cut between two near-identical viewpoints, a 40 s static "
                    "hold, a real clip, a slow pan",
        size=(640, 360), fps=25,
        segments=[
            img("astronaut", "astronaut.png", 4, kb=KB_A),
            img("astronaut", "astronaut.png", 4, kb=KB_B),
            img("camera", "camera.png", 5, kb=KB_SLOW),
            img("flower", "flower.jpg", 40, static=True),
            clip("bbb", "bigbuckbunny.mp4", 0, 5.0),
            img("coffee", "coffee.png", 6, kb=KB_HPAN),
            img("camera", "camera.png", 4, kb=KB_SLOW),
        ],
        encode=["-c:v", "libvpx", "-b:v", "1M", "-crf", "10", "-threads", "2", "-deadline", "good",
                "-cpu-used", "4"],
    ),
]

if __name__ == "__main__":
    main_build(VIDEOS, title="framesift own corpus")
