//! `entropy`, `gzip` and `sliding_top_k`: video-sampler's SlidingTopKBuffer.
//!
//! Frames wait in a window; whenever it holds `size` frames, the one with
//! the highest score (most information) is kept. A frame whose aHash
//! equals a waiting frame's is a duplicate: it is dropped and the waiting
//! frame's age is reset. A frame that waits `expiry` arrivals without being
//! chosen is dropped. Unlike video-sampler, every expired frame is dropped
//! (not one per arrival, by a list pop that corrupted its heap) and the
//! final flush keeps every frame still waiting (video-sampler keeps one and
//! loses the rest).

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;

use super::{Buffer, DropReason, Metric, Verdict};
use crate::frame::{Candidate, RgbImage};
use crate::hash::{hash_image, HashKind, ImageHash};

struct Waiting {
    score: f64,
    age: usize,
    hash: ImageHash,
    frame: Candidate,
}

/// Sliding-window top-k buffer (see the module docs).
pub struct SlidingTopKBuffer {
    metric: Metric,
    hash_size: usize,
    size: usize,
    expiry: usize,
    waiting: Vec<Waiting>,
}

impl SlidingTopKBuffer {
    /// A window of `size` frames ranked by `metric`, frames dropped after
    /// `expiry` arrivals, duplicates by aHash of side `hash_size`.
    pub fn new(metric: Metric, hash_size: usize, size: usize, expiry: usize) -> Self {
        SlidingTopKBuffer {
            metric,
            hash_size,
            size: size.max(1),
            expiry: expiry.max(1),
            waiting: Vec::new(),
        }
    }
}

/// Pillow's `Image.entropy()` of an RGB image: Shannon entropy (bits) of
/// its 768-bin histogram (256 bins per channel, channels concatenated).
pub fn rgb_entropy(img: &RgbImage) -> f64 {
    let mut hist = [0u64; 768];
    for p in img.as_raw().chunks_exact(3) {
        hist[p[0] as usize] += 1;
        hist[256 + p[1] as usize] += 1;
        hist[512 + p[2] as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let n = total as f64;
    -hist
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            p * p.log2()
        })
        .sum::<f64>()
}

impl SlidingTopKBuffer {
    fn score(&self, frame: &Candidate) -> f64 {
        match self.metric {
            Metric::Entropy => rgb_entropy(&frame.image),
            Metric::Gzip => {
                let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
                let _ = enc.write_all(frame.analysis().as_raw());
                enc.finish().map(|v| v.len() as f64).unwrap_or(0.0)
            }
        }
    }

    /// Index of the best waiting frame: highest score, then the one renewed
    /// most recently (lowest age), then the smaller hash, as video-sampler's
    /// heap orders `[-score, age, hash]`.
    fn best(&self) -> Option<usize> {
        (0..self.waiting.len()).min_by(|&a, &b| {
            let (x, y) = (&self.waiting[a], &self.waiting[b]);
            y.score
                .total_cmp(&x.score)
                .then(x.age.cmp(&y.age))
                .then_with(|| x.hash.to_hex().cmp(&y.hash.to_hex()))
        })
    }
}

impl Buffer for SlidingTopKBuffer {
    fn push(&mut self, mut frame: Candidate, out: &mut Vec<Verdict>) {
        let hash = hash_image(HashKind::Ahash, &frame.image, self.hash_size);
        frame.notes.hash = Some(hash.to_hex());
        if let Some(w) = self.waiting.iter_mut().find(|w| w.hash == hash) {
            w.age = 0;
            frame.notes.duplicate_of = Some(w.frame.meta.pts_time);
            frame.notes.distance = Some(0);
            out.push(Verdict::Drop(frame, DropReason::Duplicate));
        } else {
            let score = self.score(&frame);
            frame.notes.buffer_score = Some(score);
            self.waiting.push(Waiting {
                score,
                age: 0,
                hash,
                frame,
            });
            if self.waiting.len() >= self.size {
                if let Some(i) = self.best() {
                    out.push(Verdict::Keep(self.waiting.remove(i).frame));
                }
            }
        }
        let expiry = self.expiry;
        let mut i = 0;
        while i < self.waiting.len() {
            self.waiting[i].age += 1;
            if self.waiting[i].age >= expiry {
                out.push(Verdict::Drop(
                    self.waiting.remove(i).frame,
                    DropReason::Expired,
                ));
            } else {
                i += 1;
            }
        }
    }

    fn flush(&mut self, out: &mut Vec<Verdict>) {
        out.extend(self.waiting.drain(..).map(|w| Verdict::Keep(w.frame)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::candidate;

    use crate::frame::testing::pattern;

    fn run(buf: &mut SlidingTopKBuffer, imgs: Vec<RgbImage>) -> Vec<(f64, &'static str)> {
        let mut out = Vec::new();
        for (i, img) in imgs.into_iter().enumerate() {
            buf.push(candidate(i as f64, img), &mut out);
        }
        buf.flush(&mut out);
        out.iter()
            .map(|v| {
                let tag = match v {
                    Verdict::Keep(_) => "keep",
                    Verdict::Drop(_, DropReason::Expired) => "expired",
                    Verdict::Drop(..) => "dup",
                };
                (v.candidate().meta.pts_time, tag)
            })
            .collect()
    }

    #[test]
    fn entropy_matches_pillow() {
        // Pillow 13: Image.new("RGB", (2, 2)).entropy() == log2(3) (three
        // full bins of 768); half black, half white: log2(6).
        assert!((rgb_entropy(&RgbImage::new(2, 2)) - 3f64.log2()).abs() < 1e-12);
        let half = RgbImage::from_fn(2, 2, |x, _| image::Rgb([if x == 0 { 0 } else { 255 }; 3]));
        assert!((rgb_entropy(&half) - 6f64.log2()).abs() < 1e-12);
    }

    /// Three pictures with different hashes, and their entropies.
    fn pictures() -> (Vec<RgbImage>, Vec<f64>) {
        let imgs = vec![pattern(0, 0), pattern(1, 40), pattern(2, 0)];
        let e = imgs.iter().map(rgb_entropy).collect();
        (imgs, e)
    }

    #[test]
    fn the_richest_frame_of_each_window_is_kept_and_flush_keeps_the_rest() {
        let (imgs, e) = pictures();
        let mut buf = SlidingTopKBuffer::new(Metric::Entropy, 8, 2, 100);
        let got = run(&mut buf, imgs);
        // Window of 2 after the second frame: the richer of frames 0 and 1.
        let first = if e[0] >= e[1] { 0.0 } else { 1.0 };
        assert_eq!(got[0], (first, "keep"), "{e:?}");
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.iter().all(|g| g.1 == "keep"), "{got:?}");
    }

    #[test]
    fn frames_waiting_too_long_expire() {
        // Window 3 never fills with 2 frames; expiry 2: frame 0 has aged
        // twice when frame 1 arrives.
        let (imgs, _) = pictures();
        let mut buf = SlidingTopKBuffer::new(Metric::Entropy, 8, 3, 2);
        let got = run(&mut buf, imgs[..2].to_vec());
        assert_eq!(got, vec![(0.0, "expired"), (1.0, "keep")]);
    }

    #[test]
    fn duplicates_renew_the_waiting_frame() {
        let (imgs, _) = pictures();
        let mut buf = SlidingTopKBuffer::new(Metric::Gzip, 8, 5, 6);
        let got = run(
            &mut buf,
            vec![imgs[0].clone(), imgs[0].clone(), imgs[1].clone()],
        );
        assert!(got.contains(&(1.0, "dup")), "{got:?}");
        assert_eq!(got.iter().filter(|x| x.1 == "keep").count(), 2);
    }
}
