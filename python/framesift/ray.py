"""framesift over many videos on Ray Data: per-video work as tasks, one
Parquet file per video, then global steps over all rows.

Needs ``pip install 'framesift[ray]'`` (``ray[data]``, ``pyarrow``). Set
``RAY_USAGE_STATS_ENABLED=0`` to keep Ray off the network (the tests do).

Two pipelines:

- :func:`sample_videos` -- scene sampling of every video (``framesift
  sample``), each video's saved frames written to ``OUT/frames/<video>/`` and
  its records to ``OUT/rows/<video>.parquet``.
- :func:`select_global` -- the frames ``select`` would choose among in every
  video (embedded and hashed) to ``OUT/rows/``; then, over all rows sorted
  by (video, time): repeats across videos removed by perceptual hash, one
  coreset of ``n`` over all embeddings (single round on the driver, or two
  rounds: per block, then over the union of the blocks' picks), and the
  chosen frames written to ``OUT/frames/<video>/``.

Each video's Parquet file is written under a temporary name and renamed: it
is the unit of resume. A rerun skips every video whose file exists; delete
a file to redo its video. Videos that fail are listed in the result with
their error line and leave no file, so a rerun retries them.

On one machine ``ray.init()`` starts a local cluster; on a real one, start
Ray on each machine (``ray start --head`` on one, ``ray start --address
HEAD:6379`` on the others) and call ``ray.init(address="auto")`` -- every
machine needs framesift installed and the videos at the same paths (or
URLs).

Rows (one per frame) have the schema of the CLI's run manifest
(``framesift sample|select|segment --manifest parquet``; README, "Run
manifests"): ``command``, ``video``, ``video_dir``, ``path``, ``decision``,
``reason``, ``time``, ``pts_time``, ``pts``, ``frame_index``,
``decode_index``, ``key_frame``, ``scene``, ``segment``, ``span_start``,
``span_end``, ``score``, ``hash`` (64-bit pHash as uint64, null when not
computed), ``embedding`` (fixed-size list of float32, null in sampling
rows); :func:`row_schema` builds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

import framesift

ROWS_DIR = "rows"
FRAMES_DIR = "frames"
SELECTION_FILE = "selection.parquet"
SUMMARY_FILE = "summary.json"


def _pa():
    import pyarrow as pa  # noqa: PLC0415 (an optional dependency)

    return pa


def row_schema(dim: Optional[int]) -> Any:
    """The Parquet schema of the rows, with embeddings ``dim`` wide (None:
    no embedding column values, the column stays, typed float32 list). The
    same schema as the CLI's ``--manifest parquet``."""
    pa = _pa()
    emb = pa.list_(pa.float32(), dim) if dim else pa.list_(pa.float32())

    def req(name, typ):
        return pa.field(name, typ, nullable=False)

    return pa.schema(
        [
            req("command", pa.string()),
            req("video", pa.string()),
            req("video_dir", pa.string()),
            ("path", pa.string()),
            req("decision", pa.string()),
            ("reason", pa.string()),
            req("time", pa.float64()),
            ("pts_time", pa.float64()),
            ("pts", pa.int64()),
            ("frame_index", pa.uint64()),
            ("decode_index", pa.uint64()),
            ("key_frame", pa.bool_()),
            ("scene", pa.uint64()),
            ("segment", pa.uint64()),
            ("span_start", pa.float64()),
            ("span_end", pa.float64()),
            ("score", pa.float64()),
            ("hash", pa.uint64()),
            ("embedding", emb),
        ]
    )


def rows_file(out_dir: Union[str, Path], video: str) -> Path:
    """Where a video's rows go: ``OUT/rows/<file stem>-<10 hex of the
    path's SHA-1>.parquet`` (two videos with one name do not collide)."""
    stem = Path(video).stem or "video"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:80]
    digest = hashlib.sha1(video.encode("utf-8")).hexdigest()[:10]
    return Path(out_dir) / ROWS_DIR / f"{safe}-{digest}.parquet"


def frames_dir(out_dir: Union[str, Path], video: str) -> Path:
    """Where a video's chosen frames are written."""
    return Path(out_dir) / FRAMES_DIR / rows_file(out_dir, video).stem


def _table(records: List[Dict[str, Any]], vectors: Optional[np.ndarray], command: str, video_dir: str) -> Any:
    pa = _pa()
    dim = int(vectors.shape[1]) if vectors is not None and vectors.ndim == 2 else None
    n = len(records)

    def col(key, default=None):
        return [r.get(key, default) for r in records]

    def score(r):
        for key in ("gate_score", "buffer_score"):
            if r.get(key) is not None:
                return r[key]
        return (r.get("quality") or {}).get("sharpness")

    hashes = [int(h, 16) if h and len(h) <= 16 else None for h in col("hash")]
    paths = [f"{video_dir}/{r['path']}" if r.get("path") else None for r in records]
    if vectors is not None and dim:
        flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1))
        emb = pa.FixedSizeListArray.from_arrays(flat, dim)
    else:
        emb = pa.nulls(n, type=pa.list_(pa.float32()))
    schema = row_schema(dim)
    return pa.table(
        {
            "command": pa.array([command] * n, pa.string()),
            "video": pa.array(col("video"), pa.string()),
            "video_dir": pa.array([video_dir] * n, pa.string()),
            "path": pa.array(paths, pa.string()),
            "decision": pa.array(col("decision", "saved"), pa.string()),
            "reason": pa.array(col("reason"), pa.string()),
            "time": pa.array(col("time"), pa.float64()),
            "pts_time": pa.array(col("pts_time"), pa.float64()),
            "pts": pa.array(col("pts"), pa.int64()),
            "frame_index": pa.array(col("frame_index"), pa.uint64()),
            "decode_index": pa.array(col("decode_index"), pa.uint64()),
            "key_frame": pa.array(col("key_frame"), pa.bool_()),
            "scene": pa.array(col("scene"), pa.uint64()),
            "segment": pa.array(col("segment"), pa.uint64()),
            "span_start": pa.array(col("scene_start"), pa.float64()),
            "span_end": pa.array(col("scene_end"), pa.float64()),
            "score": pa.array([score(r) for r in records], pa.float64()),
            "hash": pa.array(hashes, pa.uint64()),
            "embedding": emb,
        },
        schema=schema,
    )


def _write_atomic(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _task_threads() -> int:
    """The CPUs Ray gave this task: the native threads to use, so tasks do
    not oversubscribe the machine."""
    try:
        import ray  # noqa: PLC0415

        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 1)
        return max(1, int(round(cpus)))
    except Exception:  # outside a task
        return 0


def _outcome(video: str, rows: int, error: Optional[str], skipped: bool, seconds: float) -> Dict[str, Any]:
    return {"video": video, "rows": rows, "error": error, "skipped": skipped, "seconds": seconds}


def _existing_rows(path: Path) -> int:
    import pyarrow.parquet as pq  # noqa: PLC0415

    return pq.ParquetFile(path).metadata.num_rows


def candidates_task(video: str, out_dir: str, settings: Dict[str, Any]) -> Dict[str, Any]:
    """One video's candidates (embedded, hashed) to its Parquet file; the
    per-video step of :func:`select_global` (runs in a Ray task)."""
    started = time.monotonic()
    path = rows_file(out_dir, video)
    if path.exists():
        return _outcome(video, _existing_rows(path), None, True, 0.0)
    try:
        records, vectors = framesift.candidates(video, threads=_task_threads(), **settings)
    except framesift.VideoError as e:
        return _outcome(video, 0, str(e), False, time.monotonic() - started)
    for r in records:
        r["decision"] = "candidate"
    vdir = frames_dir(out_dir, video).relative_to(Path(out_dir)).as_posix()
    _write_atomic(_table(records, vectors, "select", vdir), path)
    return _outcome(video, len(records), None, False, time.monotonic() - started)


def sample_task(video: str, out_dir: str, settings: Dict[str, Any]) -> Dict[str, Any]:
    """One video's scene sampling: saved frames written, every candidate's
    record to its Parquet file (runs in a Ray task)."""
    started = time.monotonic()
    path = rows_file(out_dir, video)
    if path.exists():
        return _outcome(video, _existing_rows(path), None, True, 0.0)
    threads = _task_threads()
    settings = dict(settings)
    output = {k: settings[k] for k in ("format", "quality", "save_format") if k in settings}
    try:
        records = framesift.sample(video, threads=threads, **settings)
        times = [r["time"] for r in records if r["decision"] == "saved"]
        framesift.write_frames(video, times, frames_dir(out_dir, video), threads=threads, **output)
    except framesift.VideoError as e:
        return _outcome(video, 0, str(e), False, time.monotonic() - started)
    vdir = frames_dir(out_dir, video).relative_to(Path(out_dir)).as_posix()
    _write_atomic(_table(records, None, "sample", vdir), path)
    return _outcome(video, len(records), None, False, time.monotonic() - started)


def _dataset(videos: Union[Sequence[str], Any]) -> Any:
    import ray  # noqa: PLC0415

    if isinstance(videos, ray.data.Dataset):
        return videos
    items = [{"video": framesift._path(v)} for v in videos]
    return ray.data.from_items(items)


def _run_per_video(task, videos, out_dir, settings, cpus_per_task) -> List[Dict[str, Any]]:
    out = str(out_dir)
    ds = _dataset(videos)
    done = ds.map(
        lambda row: task(row["video"], out, settings),
        num_cpus=cpus_per_task,
    )
    return sorted(done.take_all(), key=lambda r: r["video"])


def sample_videos(
    videos: Union[Sequence[str], Any],
    out_dir: Union[str, Path],
    *,
    cpus_per_task: float = 1,
    **settings: Any,
) -> List[Dict[str, Any]]:
    """Scene sampling of every video as Ray tasks (``settings`` as for
    :func:`framesift.sample`). Each video's saved frames go to
    ``OUT/frames/<video>/`` (images + ``frames.jsonl``), its records to
    ``OUT/rows/<video>.parquet``. Returns one outcome per video: ``video``,
    ``rows``, ``error`` (one line, or None), ``skipped`` (resumed)."""
    return _run_per_video(sample_task, videos, out_dir, settings, cpus_per_task)


def load_rows(out_dir: Union[str, Path], videos: Optional[Iterable[str]] = None) -> Tuple[Any, np.ndarray]:
    """Every row under ``OUT/rows/`` (or of ``videos`` only), sorted by
    (video, time): ``(table, embeddings)`` with embeddings a float32 array
    (rows, dim). The files are read on the driver (``OUT`` must be storage
    every machine shares, as the tasks write there)."""
    import pyarrow.parquet as pq  # noqa: PLC0415

    pa = _pa()

    if videos is not None:
        files = [str(rows_file(out_dir, framesift._path(v))) for v in videos]
        files = [f for f in files if os.path.exists(f)]
    else:
        files = sorted(str(p) for p in (Path(out_dir) / ROWS_DIR).glob("*.parquet"))
    if not files:
        return row_schema(None).empty_table(), np.zeros((0, 0), dtype=np.float32)
    tables = [pq.read_table(f) for f in files]
    table = pa.concat_tables(tables, promote_options="permissive")
    order = np.lexsort((table.column("time").to_numpy(), np.asarray(table.column("video").to_pylist())))
    table = table.take(pa.array(order))
    emb = table.column("embedding").combine_chunks()
    if emb.null_count == len(emb):
        return table, np.zeros((len(table), 0), dtype=np.float32)
    dim = emb.type.list_size
    vectors = emb.flatten().to_numpy(zero_copy_only=False).reshape(-1, dim).astype(np.float32, copy=False)
    return table, vectors


def hash_repeats(hashes: Sequence[Optional[int]], max_distance: int = 0) -> np.ndarray:
    """Rows whose 64-bit hash is within ``max_distance`` bits (Hamming) of an
    earlier row's: a bool mask, True = repeat. Rows without a hash are
    never repeats. Exact matches use a dict; near matches the pigeonhole
    rule (two hashes within d bits agree exactly on one of d+1 bands), so
    no pair scan over all rows."""
    n = len(hashes)
    repeat = np.zeros(n, dtype=bool)
    if max_distance < 0:
        return repeat
    bands = max_distance + 1
    width = 64 // bands
    spans = [(b * width, 64 if b == bands - 1 else (b + 1) * width) for b in range(bands)]
    index: List[Dict[int, List[int]]] = [dict() for _ in spans]
    kept: Dict[int, int] = {}
    for i, h in enumerate(hashes):
        if h is None:
            continue
        h = int(h)
        seen = set()
        for b, (lo, hi) in enumerate(spans):
            key = (h >> lo) & ((1 << (hi - lo)) - 1)
            seen.update(index[b].get(key, ()))
        if any(bin(h ^ kept[j]).count("1") <= max_distance for j in seen):
            repeat[i] = True
            continue
        kept[i] = h
        for b, (lo, hi) in enumerate(spans):
            key = (h >> lo) & ((1 << (hi - lo)) - 1)
            index[b].setdefault(key, []).append(i)
    return repeat


def _block_picks(vectors: np.ndarray, offset: int, n: int, seed: int) -> np.ndarray:
    # A Ray task: as many native threads as the CPUs it was given.
    threads = _task_threads()
    chosen, _ = framesift.select(vectors, n, method="coreset", seed=seed, report=False, threads=threads)
    return chosen + offset


def global_coreset(
    vectors: np.ndarray,
    n: int,
    *,
    seed: int = 0,
    two_round: bool = False,
    blocks: int = 8,
) -> Tuple[np.ndarray, Dict[str, Any]]:
    """One coreset of ``n`` over all rows: ``(chosen rows, info)``.

    Single round: k-center greedy over every row on the driver (exactly
    ``framesift select --global --method coreset``). Two rounds: the rows
    split into ``blocks`` contiguous blocks, k-center of ``n`` on each as a
    Ray task, then k-center of ``n`` over the union of their picks (a
    constant-factor approximation, Malkomes et al. 2015: no machine holds
    more than a block plus ``blocks × n`` rows). ``info``: the coverage
    radius of the choice over all rows (``radius``), the seconds in all and
    of the radius alone."""
    import ray  # noqa: PLC0415

    started = time.monotonic()
    if len(vectors) == 0:
        empty = {"radius": 0.0, "seconds": 0.0, "radius_seconds": 0.0, "mode": "empty"}
        return np.zeros(0, dtype=np.int64), empty
    if not two_round:
        chosen, _ = framesift.select(vectors, n, method="coreset", seed=seed, report=False)
        mode = "single-round"
    else:
        bounds = np.linspace(0, len(vectors), blocks + 1).astype(int)
        remote = ray.remote(_block_picks)
        refs = [
            remote.remote(vectors[a:b], int(a), n, seed)
            for a, b in zip(bounds[:-1], bounds[1:])
            if b > a
        ]
        union = np.unique(np.concatenate(ray.get(refs)))
        picks, _ = framesift.select(vectors[union], n, method="coreset", seed=seed, report=False)
        chosen = union[picks]
        mode = f"two-round ({len(refs)} blocks)"
    chose = time.monotonic()
    radius = framesift.coverage_radius(vectors, chosen)
    info = {
        "radius": float(radius),
        "seconds": time.monotonic() - started,
        "radius_seconds": time.monotonic() - chose,
        "mode": mode,
    }
    return np.asarray(chosen, dtype=np.int64), info


def _write_task(video: str, times: List[float], out_dir: str, output: Dict[str, Any]) -> Dict[str, Any]:
    try:
        written = framesift.write_frames(
            video, times, frames_dir(out_dir, video), threads=_task_threads(), **output
        )
        return {"video": video, "written": len(written), "error": None}
    except framesift.VideoError as e:
        return {"video": video, "written": 0, "error": str(e)}


def select_global(
    videos: Union[Sequence[str], Any],
    out_dir: Union[str, Path],
    n: int,
    *,
    hash_distance: Optional[int] = 0,
    embedding_distance: Optional[float] = None,
    two_round: bool = False,
    blocks: int = 8,
    seed: int = 0,
    write: bool = True,
    output: Optional[Dict[str, Any]] = None,
    cpus_per_task: float = 1,
    **settings: Any,
) -> Dict[str, Any]:
    """``n`` diverse frames over all ``videos``, on Ray.

    1. Per video (a Ray task with ``cpus_per_task`` CPUs, as many native
       threads): :func:`framesift.candidates` (``settings`` as
       ``SelectSettings``), rows to ``OUT/rows/`` (skipped when present).
    2. All rows, sorted by (video, time). Repeats across videos removed by
       pHash: a row within ``hash_distance`` bits of an earlier row's hash
       is dropped (None: keep all). With ``embedding_distance``, near
       repeats by embedding go too: the rows left are an ε-net (k-center
       run until every row is within ε, L2, of a kept row; kept rows are
       more than ε apart). Rows with equal embeddings are always dropped
       (by the coreset).
    3. One coreset of ``n`` (:func:`global_coreset`; ``two_round`` for
       data too big for one machine's selection).
    4. ``write``: the chosen frames written to ``OUT/frames/<video>/`` by
       Ray tasks; the chosen rows to ``OUT/selection.parquet`` and a
       summary to ``OUT/summary.json``.

    With ``hash_distance=None`` and a single round this is exactly
    ``framesift select --global --method coreset -n N`` over the videos in
    sorted order.
    """
    out = Path(out_dir)
    started = time.monotonic()
    outcomes = _run_per_video(candidates_task, videos, out, settings, cpus_per_task)
    table, vectors = load_rows(out, [o["video"] for o in outcomes if not o["error"]])
    hashes = table.column("hash").to_pylist() if len(table) else []
    if hash_distance is None:
        keep = np.arange(len(table))
    else:
        keep = np.flatnonzero(~hash_repeats(hashes, hash_distance))
    by_hash = len(table) - len(keep)
    if embedding_distance is not None and len(keep):
        net, _ = framesift.select(
            vectors[keep], method="coreset", min_distance=embedding_distance, seed=seed, report=False
        )
        keep = keep[net]
    chosen_local, info = global_coreset(vectors[keep], n, seed=seed, two_round=two_round, blocks=blocks)
    chosen = keep[chosen_local]
    picked = table.take(_pa().array(chosen))
    writes: List[Dict[str, Any]] = []
    if write and len(picked):
        by_video: Dict[str, List[float]] = {}
        for v, t in zip(picked.column("video").to_pylist(), picked.column("time").to_pylist()):
            by_video.setdefault(v, []).append(t)
        import ray  # noqa: PLC0415

        remote = ray.remote(num_cpus=cpus_per_task)(_write_task)
        writes = ray.get(
            [remote.remote(v, ts, str(out), output or {}) for v, ts in sorted(by_video.items())]
        )
        _write_atomic(picked, out / SELECTION_FILE)
    summary = {
        "videos": outcomes,
        "rows": len(table),
        "hash_repeats": int(by_hash),
        "embedding_repeats": int(len(table) - by_hash - len(keep)),
        "chosen": int(len(chosen)),
        "coreset": info,
        "writes": writes,
        "failed": [o for o in outcomes + writes if o.get("error")],
        "seconds": time.monotonic() - started,
    }
    if write:
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / f".{SUMMARY_FILE}.tmp"
        tmp.write_text(json.dumps(summary, indent=2))
        os.replace(tmp, out / SUMMARY_FILE)
    summary["table"] = picked
    summary["indices"] = chosen
    return summary

