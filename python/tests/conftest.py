"""Videos the tests generate with ffmpeg (lavfi sources joined by hard cuts),
and the framesift binary to compare with."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each video: shots of lavfi sources, 2 s each, joined by hard cuts. The
# second and fourth share a shot with the first (repeats across videos).
SHOTS = {
    "alpha": ["testsrc2", "smptebars", "mandelbrot"],
    "bravo": ["rgbtestsrc", "color=c=red", "testsrc2"],
    "charlie": ["cellauto", "smptehdbars", "life=mold=10:ratio=0.3:death_color=#203040"],
    "delta": ["mandelbrot=start_scale=2", "testsrc", "smptebars"],
}


def make_video(path: Path, sources, seconds=2.0, size="320x240", rate=25):
    args = ["ffmpeg", "-v", "error", "-y"]
    for src in sources:
        name, _, opts = src.partition("=")
        spec = f"{name}=s={size}:r={rate}" + (f":{opts}" if opts else "")
        args += ["-f", "lavfi", "-t", str(seconds), "-i", spec]
    chain = "".join(f"[{i}:v]" for i in range(len(sources)))
    args += [
        "-filter_complex",
        f"{chain}concat=n={len(sources)}:v=1[v]",
        "-map",
        "[v]",
        "-c:v",
        "libx264",
        "-g",
        str(rate * 2),
        "-pix_fmt",
        "yuv420p",
        str(path),
    ]
    subprocess.run(args, check=True)
    return path


@pytest.fixture(scope="session")
def videos(tmp_path_factory):
    d = tmp_path_factory.mktemp("videos")
    return [str(make_video(d / f"{name}.mp4", srcs)) for name, srcs in sorted(SHOTS.items())]


@pytest.fixture(scope="session")
def long_video(tmp_path_factory):
    """Long enough that a scene sampling call takes well over 0.5 s."""
    d = tmp_path_factory.mktemp("long")
    return str(make_video(d / "long.mp4", ["testsrc2", "smptebars", "mandelbrot"] * 4, seconds=5.0, size="640x360"))


@pytest.fixture(scope="session")
def cli():
    """The framesift binary built from this checkout (FRAMESIFT_BIN, or
    target/debug/framesift, or target/release/framesift)."""
    for p in [os.environ.get("FRAMESIFT_BIN"), ROOT / "target/debug/framesift", ROOT / "target/release/framesift"]:
        if p and Path(p).exists():
            return str(p)
    found = shutil.which("framesift")
    if found:
        return found
    pytest.fail("no framesift binary: run `cargo build` first or set FRAMESIFT_BIN")


def run_cli(cli, *args):
    done = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, f"framesift {' '.join(map(str, args))}: {done.stderr}"
    return done


def read_jsonl(path):
    import json

    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
