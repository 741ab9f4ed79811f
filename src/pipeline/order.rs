//! Restores time order after a buffer: buffers may decide about frames
//! out of order (a sliding top-k buffer keeps its best frame first), but
//! gates and sinks see frames in the order they were decoded.

use std::collections::{BTreeMap, BTreeSet};

use crate::buffer::Verdict;

/// Holds decided frames until every earlier frame is decided too.
#[derive(Default)]
pub struct Chronological {
    undecided: BTreeSet<u64>,
    decided: BTreeMap<u64, Verdict>,
}

impl Chronological {
    /// A frame with this decode index entered the buffer.
    pub fn entered(&mut self, index: u64) {
        self.undecided.insert(index);
    }

    /// The buffer decided about a frame.
    pub fn resolved(&mut self, verdict: Verdict) {
        let index = verdict.candidate().meta.decode_index;
        self.undecided.remove(&index);
        self.decided.insert(index, verdict);
    }

    /// Moves every decided frame that no undecided frame precedes to `out`,
    /// in decode order.
    pub fn release(&mut self, out: &mut Vec<Verdict>) {
        let limit = self.undecided.first().copied().unwrap_or(u64::MAX);
        while let Some(entry) = self.decided.first_entry() {
            if *entry.key() >= limit {
                break;
            }
            out.push(entry.remove());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::testing::{candidate, pattern};

    #[test]
    fn frames_come_out_in_decode_order() {
        let mut c = Chronological::default();
        let mut out = Vec::new();
        for i in 0..3 {
            c.entered(i * 25); // testing::candidate(t) has decode_index t*25
        }
        c.resolved(Verdict::Keep(candidate(2.0, pattern(0, 0))));
        c.release(&mut out);
        assert!(out.is_empty(), "frames 0 and 1 are still undecided");
        c.resolved(Verdict::Keep(candidate(0.0, pattern(0, 0))));
        c.release(&mut out);
        assert_eq!(out.len(), 1);
        c.resolved(Verdict::Keep(candidate(1.0, pattern(0, 0))));
        c.release(&mut out);
        let times: Vec<f64> = out.iter().map(|v| v.candidate().meta.time).collect();
        assert_eq!(times, [0.0, 1.0, 2.0]);
    }
}
