//! A sink that forwards every verdict to an inner sink and, beside it,
//! sends kept frames (at least `min_sum_interval` apart) to the summary
//! server on a bounded pool of worker threads.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine;
use crossbeam_channel::{bounded, Sender, TrySendError};
use serde::Serialize;

use super::{describe, SummaryConfig, SummaryStats};
use crate::buffer::Verdict;
use crate::error::{Error, Result};
use crate::media::VideoInfo;
use crate::output::{encode, write_atomic, ImageFormat};
use crate::sink::Sink;

/// File name of the answers, in the video's folder.
pub const SUMMARIES_NAME: &str = "summaries.jsonl";

/// One line of `summaries.jsonl`.
#[derive(Debug, Clone, Serialize)]
struct Line {
    time: f64,
    pts_time: f64,
    summary: String,
}

type Outcome = (f64, f64, std::result::Result<String, String>);

/// Wraps `S`; see the module docs.
pub struct SummarySink<S: Sink> {
    inner: S,
    dir: PathBuf,
    cfg: SummaryConfig,
    tx: Option<Sender<(f64, f64, String)>>,
    workers: Vec<JoinHandle<()>>,
    results: Arc<Mutex<Vec<Outcome>>>,
    last: Option<f64>,
    stats: SummaryStats,
}

impl<S: Sink> SummarySink<S> {
    /// Starts `cfg.max_workers` request threads; answers are written to
    /// `dir/summaries.jsonl` when the video finishes.
    pub fn new(inner: S, dir: impl Into<PathBuf>, cfg: SummaryConfig) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs_f64(cfg.timeout_sec)))
            .http_status_as_error(false)
            .build()
            .into();
        // Room for one waiting request per worker; beyond that frames are
        // skipped rather than holding up the sampling.
        let (tx, rx) = bounded::<(f64, f64, String)>(cfg.max_workers);
        let results = Arc::new(Mutex::new(Vec::new()));
        let workers = (0..cfg.max_workers)
            .map(|_| {
                let (rx, agent, cfg, results) =
                    (rx.clone(), agent.clone(), cfg.clone(), results.clone());
                std::thread::spawn(move || {
                    for (time, pts_time, b64) in rx {
                        let outcome = describe(&agent, &cfg, &b64);
                        if let Ok(mut r) = results.lock() {
                            r.push((time, pts_time, outcome));
                        }
                    }
                })
            })
            .collect();
        SummarySink {
            inner,
            dir: dir.into(),
            cfg,
            tx: Some(tx),
            workers,
            results,
            last: None,
            stats: SummaryStats::default(),
        }
    }

    /// What the summaries did (complete after [`Sink::finish`]).
    pub fn stats(&self) -> &SummaryStats {
        &self.stats
    }

    /// The wrapped sink.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: Sink> Sink for SummarySink<S> {
    fn begin(&mut self, video: &str, info: &VideoInfo) -> Result<()> {
        self.inner.begin(video, info)
    }

    fn accept(&mut self, verdict: Verdict) -> Result<()> {
        if let Verdict::Keep(c) = &verdict {
            let due = self
                .last
                .is_none_or(|l| c.meta.time - l >= self.cfg.min_sum_interval);
            if due {
                self.last = Some(c.meta.time);
                let side = self.cfg.max_side;
                let (w, h) = c.image.dimensions();
                let small = (w.max(h) > side).then(|| {
                    let (tw, th) = if w >= h {
                        (
                            side,
                            (u64::from(h) * u64::from(side) / u64::from(w)).max(1) as u32,
                        )
                    } else {
                        (
                            (u64::from(w) * u64::from(side) / u64::from(h)).max(1) as u32,
                            side,
                        )
                    };
                    image::imageops::thumbnail(&c.image, tw, th)
                });
                if let Ok(jpeg) = encode(small.as_ref().unwrap_or(&c.image), ImageFormat::Jpg, 75) {
                    let b64 = base64::engine::general_purpose::STANDARD.encode(jpeg);
                    if let Some(tx) = &self.tx {
                        match tx.try_send((c.meta.time, c.meta.pts_time, b64)) {
                            Ok(()) => self.stats.requested += 1,
                            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                                self.stats.skipped_busy += 1;
                            }
                        }
                    }
                }
            }
        }
        self.inner.accept(verdict)
    }

    fn finish(&mut self) -> Result<u64> {
        let saved = self.inner.finish();
        self.tx = None; // workers end after the requests in flight
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
        let mut outcomes = self
            .results
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default();
        outcomes.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut text = String::new();
        for (time, pts_time, outcome) in outcomes {
            match outcome {
                Ok(summary) => {
                    self.stats.answered += 1;
                    let line = Line {
                        time,
                        pts_time,
                        summary,
                    };
                    if let Ok(s) = serde_json::to_string(&line) {
                        text.push_str(&s);
                        text.push('\n');
                    }
                }
                Err(e) => {
                    self.stats.failed += 1;
                    self.stats.first_error.get_or_insert(e);
                }
            }
        }
        if self.stats.requested > 0 {
            std::fs::create_dir_all(&self.dir)
                .map_err(|e| Error::io(&self.dir, "cannot create output folder", e))?;
            let path = self.dir.join(SUMMARIES_NAME);
            write_atomic(&path, text.as_bytes())
                .map_err(|e| Error::io(&path, "cannot write", e))?;
        }
        saved
    }
}
