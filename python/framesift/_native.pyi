"""Type stubs of framesift's native module (settings in and records out as
JSON text, pictures and vectors as bytes; see framesift/__init__.py)."""

from typing import Iterator, List, Optional, Tuple

class VideoError(Exception):
    """A video could not be read; the message names the file and cause."""

class InternalError(RuntimeError):
    """A bug in framesift (a Rust panic, caught before it reached Python)."""

Picture = Tuple[bytes, int, int]

def build_info() -> Tuple[str, List[str]]: ...
def sample(
    path: str,
    mode: str,
    config: str,
    scene: str,
    images: bool,
    jpeg: bool,
    quality: int,
    threads: int,
) -> Tuple[str, str, List[Picture]]: ...

class FrameStream(Iterator[Tuple[str, Optional[Picture]]]):
    def __iter__(self) -> "FrameStream": ...
    def __next__(self) -> Tuple[str, Optional[Picture]]: ...
    def report(self) -> Optional[str]: ...

def iter_frames(
    path: str, config: str, images: bool, jpeg: bool, quality: int, threads: int
) -> FrameStream: ...
def embed(path: str, settings: str, threads: int) -> Tuple[str, str, bytes, int, int]: ...
def candidates(path: str, settings: str, threads: int) -> Tuple[str, str, bytes, int, int]: ...
def select(
    vectors: bytes, rows: int, dim: int, config: str, report: bool, threads: int
) -> Tuple[List[int], List[int], str]: ...
def coverage_radius(
    vectors: bytes, rows: int, dim: int, chosen: List[int], threads: int
) -> float: ...
def segment(path: str, settings: str, threads: int) -> Tuple[str, str, str]: ...
def write_frames(
    path: str, times: List[float], out_dir: str, output: str, threads: int
) -> Tuple[str, str]: ...
def _panic_for_test() -> None: ...
def _spin_for_test(seconds: float) -> int: ...
