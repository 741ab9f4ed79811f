"""framesift.ray on a local Ray cluster (2 CPUs) over generated videos: the
per-video frames equal the CLI's, the global selection equals `framesift
select --global`, two rounds are measured against one, reruns resume."""

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
ray = pytest.importorskip("ray")
pq = pytest.importorskip("pyarrow.parquet")

import framesift  # noqa: E402
import framesift.ray as fr  # noqa: E402
from conftest import read_jsonl, run_cli  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def local_cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def saved_times(folder):
    return sorted(r["time"] for r in read_jsonl(Path(folder) / "frames.jsonl") if r.get("path"))


def image_names(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.suffix == ".jpg")


def test_per_video_sampling_equals_the_cli(videos, cli, tmp_path):
    run_cli(cli, "sample", *videos, "-o", tmp_path / "cli", "-q")
    outcomes = fr.sample_videos(videos, tmp_path / "ray")
    assert [o["error"] for o in outcomes] == [None] * len(videos)
    for v in videos:
        mine = fr.frames_dir(tmp_path / "ray", v)
        theirs = tmp_path / "cli" / Path(v).name
        assert saved_times(mine) == saved_times(theirs), v
        assert image_names(mine) == image_names(theirs), v
        rows = pq.read_table(fr.rows_file(tmp_path / "ray", v))
        assert rows.num_rows == len(read_jsonl(theirs / "frames.jsonl"))
    # A rerun skips every video (its Parquet file is there).
    again = fr.sample_videos(videos, tmp_path / "ray")
    assert all(o["skipped"] for o in again)


def test_global_selection_equals_the_cli_and_two_rounds_are_measured(videos, cli, tmp_path):
    n = 6
    run_cli(cli, "select", *videos, "-o", tmp_path / "cli", "-q", "--global", "--n", n, "--method", "coreset")
    result = fr.select_global(videos, tmp_path / "ray", n, hash_distance=None)
    assert not result["failed"]
    assert result["chosen"] == n
    for v in videos:
        theirs = tmp_path / "cli" / Path(v).name
        mine = fr.frames_dir(tmp_path / "ray", v)
        expected = saved_times(theirs) if (theirs / "frames.jsonl").exists() else []
        got = saved_times(mine) if mine.exists() else []
        assert got == expected, v
    # Rows are sorted by (video, time) and carry hashes and embeddings.
    table, vectors = fr.load_rows(tmp_path / "ray")
    keys = list(zip(table.column("video").to_pylist(), table.column("time").to_pylist()))
    assert keys == sorted(keys)
    assert vectors.shape[0] == table.num_rows and vectors.dtype == np.float32
    assert table.column("hash").null_count == 0
    # Two rounds over 2 blocks: the coverage radius against one round's.
    one = result["coreset"]["radius"]
    _, two = fr.global_coreset(vectors, n, two_round=True, blocks=2)
    assert np.isfinite(two["radius"]) and two["radius"] > 0
    print(f"\ncoverage radius over {len(vectors)} rows: single round {one:.4f}, "
          f"two rounds {two['radius']:.4f} ({two['radius'] / one:.3f}x)")
    assert two["radius"] <= 4 * one  # far inside the 4-approximation bound
    # Resume: a rerun skips every video and chooses the same frames.
    again = fr.select_global(videos, tmp_path / "ray", n, hash_distance=None)
    assert all(o["skipped"] for o in again["videos"])
    assert np.array_equal(again["indices"], result["indices"])


def test_repeats_across_videos_are_removed_by_hash(videos, tmp_path):
    result = fr.select_global(videos, tmp_path / "ray", 4, hash_distance=4, write=False)
    table, _ = fr.load_rows(tmp_path / "ray")
    hashes = table.column("hash").to_pylist()
    repeats = fr.hash_repeats(hashes, 4)
    assert result["hash_repeats"] == int(repeats.sum()) > 0
    kept = [h for h, r in zip(hashes, repeats) if not r]
    for i, a in enumerate(kept):
        for b in kept[i + 1:]:
            assert bin(a ^ b).count("1") > 4


def test_a_bad_video_fails_alone(videos, tmp_path):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00" * 4096)
    result = fr.select_global([*videos[:2], str(bad)], tmp_path / "ray", 3, write=False)
    failed = [o for o in result["videos"] if o["error"]]
    assert [o["video"] for o in failed] == [str(bad)] and "broken.mp4" in failed[0]["error"]
    assert result["chosen"] == 3
    assert not fr.rows_file(tmp_path / "ray", str(bad)).exists()


def test_hash_repeats_matches_a_pair_scan():
    rng = np.random.default_rng(3)
    base = [int(x) for x in rng.integers(0, 2**63, size=40)]
    hashes = base + [h ^ (1 << int(rng.integers(0, 64))) for h in base[:10]] + [None]
    for d in (0, 1, 3):
        mask = fr.hash_repeats(hashes, d)
        kept = []
        for i, h in enumerate(hashes):
            want = h is not None and any(bin(h ^ k).count("1") <= d for k in kept)
            assert mask[i] == want, (d, i)
            if h is not None and not want:
                kept.append(h)


def test_near_repeats_by_embedding_leave_an_epsilon_net(videos, tmp_path):
    eps = 0.3
    result = fr.select_global(videos, tmp_path / "ray", 3, hash_distance=None, embedding_distance=eps, write=False)
    table, vectors = fr.load_rows(tmp_path / "ray")
    assert result["embedding_repeats"] > 0
    kept = result["rows"] - result["embedding_repeats"]
    net, _ = framesift.select(vectors, method="coreset", min_distance=eps)
    assert len(net) == kept
    # Every row is within eps of the net; the net's rows are more than eps apart.
    d = np.linalg.norm(vectors[:, None, :] - vectors[None, net, :], axis=2)
    assert d.min(axis=1).max() <= eps + 1e-5
    dn = d[net][:, np.arange(len(net))] + np.eye(len(net)) * 10
    assert dn.min() > eps - 1e-5


def test_a_ray_dataset_of_paths_works_like_a_list(videos, tmp_path):
    ds = ray.data.from_items([{"video": v} for v in videos[:2]])
    from_ds = fr.select_global(ds, tmp_path / "a", 3, hash_distance=None, write=False)
    from_list = fr.select_global(videos[:2], tmp_path / "b", 3, hash_distance=None, write=False)
    assert [o["video"] for o in from_ds["videos"]] == sorted(videos[:2])
    assert np.array_equal(from_ds["indices"], from_list["indices"])
