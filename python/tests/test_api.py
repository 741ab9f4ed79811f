"""framesift from Python equals framesift from the command line, on videos
the tests generate; pictures are the video's pixels; bad input raises clean
exceptions; the GIL is released; Ctrl-C stops a call."""

import _thread
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import framesift
from conftest import read_jsonl, run_cli


def stem(v):
    """The CLI's folder of a video: its file name."""
    return Path(v).name


def without_path(records):
    return [{k: v for k, v in r.items() if k != "path"} for r in records]


def test_scene_sampling_equals_the_cli(videos, cli, tmp_path):
    v = videos[0]
    run_cli(cli, "sample", v, "-o", tmp_path, "-q")
    expected = read_jsonl(tmp_path / stem(v) / "frames.jsonl")
    got = framesift.sample(v)
    assert without_path(got) == without_path(expected)
    assert sum(r["decision"] == "saved" for r in got) >= 3  # three shots


def test_hash_sampling_equals_the_cli(videos, cli, tmp_path):
    v = videos[1]
    run_cli(cli, "sample", v, "-o", tmp_path, "-q", "--mode", "all-frames", "--min-frame-interval-sec", "0.25")
    expected = read_jsonl(tmp_path / stem(v) / "frames.jsonl")
    got = framesift.sample(v, mode="hash", keyframes_only=False, min_frame_interval_sec=0.25)
    assert without_path(got) == without_path(expected)
    assert all("hash" in r for r in got)
    # The generator yields exactly the saved frames, in order.
    streamed = list(framesift.iter_frames(v, keyframes_only=False, min_frame_interval_sec=0.25))
    saved = [r for r in got if r["decision"] == "saved"]
    assert [r["time"] for r in streamed] == [r["time"] for r in saved]
    assert all(r["image"].shape == (240, 320, 3) for r in streamed)


def ffmpeg_frame(video, time_s, size=(320, 240)):
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{time_s}", "-i", video, "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout
    w, h = size
    return np.frombuffer(raw[: w * h * 3], dtype=np.uint8).reshape(h, w, 3)


def test_images_are_the_frames_pixels(videos):
    v = videos[1]  # rgbtestsrc, then solid red from 2 s, then testsrc2
    got = framesift.sample(v, mode="hash", images=True, keyframes_only=False, min_frame_interval_sec=0.5)
    saved = [r for r in got if r["decision"] == "saved"]
    assert saved and all(isinstance(r["image"], np.ndarray) for r in saved)
    for r in saved:
        img = r["image"]
        assert img.dtype == np.uint8 and img.shape == (240, 320, 3) and img.flags["C_CONTIGUOUS"]
    red = [r for r in saved if 2.05 < r["time"] < 3.95]
    assert red, "a frame of the red shot was kept"
    mean = red[0]["image"].reshape(-1, 3).mean(axis=0)
    assert mean[0] > 240 and mean[1] < 15 and mean[2] < 15, mean
    # Any frame equals FFmpeg's own RGB of it (up to scaler rounding).
    r = saved[0]
    ref = ffmpeg_frame(v, r["pts_time"])
    assert np.abs(r["image"].astype(int) - ref.astype(int)).mean() < 2.0
    jpegs = framesift.sample(v, mode="hash", jpeg=True, keyframes_only=False, min_frame_interval_sec=0.5)
    jp = [r["jpeg"] for r in jpegs if r["decision"] == "saved"]
    assert len(jp) == len(saved) and all(b[:2] == b"\xff\xd8" for b in jp)


def test_scene_sampling_images_match_saved_records(videos):
    got = framesift.sample(videos[0], images=True)
    saved = [r for r in got if r["decision"] == "saved"]
    assert saved and all(r["image"].shape == (240, 320, 3) for r in saved)
    assert all("image" not in r for r in got if r["decision"] != "saved")


def test_embed_equals_the_cli(videos, cli, tmp_path):
    v = videos[2]
    run_cli(cli, "embed", v, "-o", tmp_path, "-q", "--fps", "4")
    rows = read_jsonl(tmp_path / stem(v) / "embeddings.jsonl")
    expected = np.load(tmp_path / stem(v) / "embeddings.npy")
    records, vectors = framesift.embed(v, candidates={"fps": 4})
    assert vectors.dtype == np.float32 and vectors.shape == expected.shape
    assert np.array_equal(vectors, expected)
    assert [r["time"] for r in records] == [r["time"] for r in rows]
    assert [r["pts"] for r in records] == [r["pts"] for r in rows]


def test_select_equals_the_cli(videos, cli, tmp_path):
    v = videos[3]
    run_cli(cli, "select", v, "-o", tmp_path, "-q", "--n", "4", "--method", "coreset")
    expected = [r["time"] for r in read_jsonl(tmp_path / stem(v) / "frames.jsonl")]
    records, vectors = framesift.candidates(v)
    chosen, report = framesift.select(vectors, 4, method="coreset")
    assert chosen.dtype == np.int64 and len(chosen) == 4
    assert [records[i]["time"] for i in chosen] == expected
    table = {row["set"]: row for row in report["diversity"]}
    assert table["coreset"]["coverage_radius"] <= table["uniform"]["coverage_radius"] + 1e-6
    assert framesift.coverage_radius(vectors, chosen) == pytest.approx(table["coreset"]["coverage_radius"], rel=1e-5)
    assert all(len(r["hash"]) == 16 for r in records)


def test_select_on_any_matrix():
    rng = np.random.default_rng(1)
    m = rng.normal(size=(300, 8)).astype(np.float32)
    m[10] = m[3]  # an exact repeat is left out first
    chosen, report = framesift.select(m, 20)
    assert len(chosen) == 20 and list(report["duplicates"]) == [10]
    assert list(chosen) == sorted(chosen)
    again, _ = framesift.select(m.astype(np.float64), 20)  # any float dtype
    assert np.array_equal(chosen, again)
    uni, _ = framesift.select(m, 5, method="uniform")
    assert len(uni) == 5


def test_segment_equals_the_cli(videos, cli, tmp_path):
    v = videos[0]
    run_cli(cli, "segment", v, "-o", tmp_path, "-q", "--no-clips", "--no-grid", "--no-plot")
    expected = read_jsonl(tmp_path / stem(v) / "segments.jsonl")
    got = framesift.segment(v)
    keys = ["index", "start", "end", "duration", "frames", "mean_score"]
    assert [[s[k] for k in keys] for s in got] == [[s[k] for k in keys] for s in expected]
    assert [[k["time"] for k in s["keyframes"]] for s in got] == [
        [k["time"] for k in s["keyframes"]] for s in expected
    ]
    assert len(got) == 3  # three 2 s shots


def test_write_frames(videos, tmp_path):
    v = videos[0]
    records, _ = framesift.embed(v)
    times = [records[3]["time"], records[7]["time"], 4.9]
    written = framesift.write_frames(v, times, tmp_path / "out", format="png")
    assert [r["time"] for r in written] == sorted(t for t in [records[3]["time"], records[7]["time"]]) + [4.92]
    for r in written:
        assert (tmp_path / "out" / r["path"]).is_file() and r["path"].endswith(".png")
    assert not list((tmp_path / "out").glob("*.tmp*"))


def test_bad_settings_raise_value_error_naming_the_key(videos):
    v = videos[0]
    with pytest.raises(ValueError, match="bogus"):
        framesift.sample(v, bogus=1)
    with pytest.raises(ValueError, match=r"candidates\.fps"):
        framesift.embed(v, candidates={"fps": "fast"})
    with pytest.raises(ValueError, match=r"candidates\.fpz"):
        framesift.embed(v, candidates={"fpz": 1})
    with pytest.raises(ValueError, match="scene.max_per_scene"):
        framesift.sample(v, scene={"max_per_scene": -1})
    with pytest.raises(ValueError, match="n"):
        framesift.select(np.zeros((4, 2), np.float32), 0)
    with pytest.raises(ValueError, match="detector"):
        framesift.segment(v, shots={"detector": "magic"})
    with pytest.raises(ValueError, match="mode"):
        framesift.sample(v, mode="fast")
    with pytest.raises(ValueError, match="vectors"):
        framesift.select(np.zeros(5, np.float32), 2)
    with pytest.raises(ValueError, match="times"):
        framesift.write_frames(v, [-1.0], "/tmp/never")


def test_bad_videos_raise_video_error_naming_the_file(tmp_path):
    missing = str(tmp_path / "missing.mp4")
    with pytest.raises(framesift.VideoError, match="missing.mp4"):
        framesift.sample(missing)
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all\n" * 100)
    for call in (framesift.sample, framesift.embed, framesift.segment, framesift.candidates):
        with pytest.raises(framesift.VideoError, match="notes.mp4"):
            call(str(text))
    with pytest.raises(framesift.VideoError, match="notes.mp4"):
        list(framesift.iter_frames(str(text)))


def test_a_panic_never_crosses_into_python():
    with pytest.raises(framesift.InternalError, match="deliberate test panic"):
        framesift._native._panic_for_test()
    # The module still works afterwards.
    assert framesift.select(np.eye(3, dtype=np.float32), 2)[0].shape == (2,)


def test_the_gil_is_released_during_a_call(long_video):
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            time.sleep(0.01)
            ticks.append(time.monotonic())

    t = threading.Thread(target=ticker)
    t.start()
    started = time.monotonic()
    framesift.sample(long_video)
    ended = time.monotonic()
    stop.set()
    t.join()
    assert ended - started >= 0.5, f"the call took {ended - started:.2f} s: make the video longer"
    during = [x for x in ticks if started <= x <= ended]
    assert len(during) >= 20, f"{len(during)} sleeps completed in {ended - started:.2f} s"


def test_ctrl_c_raises_keyboard_interrupt_promptly(long_video):
    # Python leaves SIGINT ignored when it starts with it ignored (a run in
    # the background of a non-interactive shell, under nohup), and then
    # interrupt_main() does nothing: give the test the handler an
    # interactive Python has.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            framesift.sample(long_video)
        assert time.monotonic() - started < 2.0
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    # The stop is over: the next call runs to the end.
    assert any(r["decision"] == "saved" for r in framesift.sample(long_video, mode="hash"))


def test_threads_setting_changes_nothing_but_speed(videos):
    one = framesift.embed(videos[0], threads=1)
    two = framesift.embed(videos[0], threads=2)
    assert one[0] == two[0] and np.array_equal(one[1], two[1])


def test_help_is_useful():
    doc = framesift.sample.__doc__
    assert "scenes" in doc and "images" in doc and "threads" in doc
    assert framesift.__version__ and isinstance(framesift.FEATURES, tuple)
