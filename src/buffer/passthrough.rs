//! `passthrough`: keeps every frame.

use super::{Buffer, Verdict};
use crate::frame::Candidate;

/// Keeps every frame, at once.
#[derive(Debug, Default)]
pub struct PassthroughBuffer;

impl Buffer for PassthroughBuffer {
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>) {
        out.push(Verdict::Keep(frame));
    }

    fn flush(&mut self, _out: &mut Vec<Verdict>) {}
}
