//! A sink wrapper that keeps every kept frame's encoded image (in the
//! output format), up to a memory budget, while the frame goes on to the
//! wrapped sink. A later step that picks frames by pts (segmentation's
//! keyframes) can then write them without decoding the video again.

use std::collections::HashMap;

use super::Sink;
use crate::buffer::Verdict;
use crate::error::Result;
use crate::media::VideoInfo;
use crate::output::{encode, ImageFormat};

/// Wraps `inner`; [`SpoolSink::into_images`] gives the spooled images.
pub struct SpoolSink<S> {
    inner: S,
    format: ImageFormat,
    quality: u8,
    budget: usize,
    used: usize,
    images: HashMap<i64, Vec<u8>>,
    overflowed: bool,
}

impl<S: Sink> SpoolSink<S> {
    /// Spools frames as `format` at `quality`, at most `budget` bytes in
    /// all; past that the spool is given up (and its memory freed).
    pub fn new(inner: S, format: ImageFormat, quality: u8, budget: usize) -> Self {
        SpoolSink {
            inner,
            format,
            quality,
            budget,
            used: 0,
            images: HashMap::new(),
            overflowed: budget == 0,
        }
    }

    /// The wrapped sink, and the encoded images by pts, or `None` when they
    /// did not fit in the budget (or one could not be encoded).
    pub fn into_parts(self) -> (S, Option<HashMap<i64, Vec<u8>>>) {
        let images = (!self.overflowed).then_some(self.images);
        (self.inner, images)
    }

    fn give_up(&mut self) {
        self.overflowed = true;
        self.images = HashMap::new();
        self.used = 0;
    }
}

impl<S: Sink> Sink for SpoolSink<S> {
    fn begin(&mut self, video: &str, info: &VideoInfo) -> Result<()> {
        self.inner.begin(video, info)
    }

    fn accept(&mut self, verdict: Verdict) -> Result<()> {
        if let (Verdict::Keep(c), false) = (&verdict, self.overflowed) {
            match encode(&c.image, self.format, self.quality) {
                Ok(mut bytes) if self.used + bytes.len() <= self.budget => {
                    bytes.shrink_to_fit(); // the encoder reserves for the worst case
                    self.used += bytes.len();
                    self.images.insert(c.meta.pts, bytes);
                }
                // Over budget, or not encodable here: the caller decodes
                // again and reports a real encoding error there.
                _ => self.give_up(),
            }
        }
        self.inner.accept(verdict)
    }

    fn finish(&mut self) -> Result<u64> {
        self.inner.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::candidate;
    use crate::frame::RgbImage;
    use crate::sink::MemorySink;

    /// A kept 64×48 frame at `t` s (pts `t`·1000).
    fn frame(t: f64) -> Verdict {
        let image = RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
        Verdict::Keep(candidate(t, image))
    }

    #[test]
    fn keeps_each_frame_encoded_and_passes_it_on() {
        let mut s = SpoolSink::new(MemorySink::default(), ImageFormat::Png, 90, 1 << 20);
        for t in [3.0, 7.0] {
            s.accept(frame(t)).unwrap();
        }
        s.finish().unwrap();
        let (inner, images) = s.into_parts();
        assert_eq!(inner.images.len(), 2, "the wrapped sink sees every frame");
        let images = images.unwrap();
        let decoded = image::load_from_memory(&images[&7000]).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (64, 48));
        assert_eq!(decoded.get_pixel(10, 2).0, [40, 10, 90], "PNG is lossless");
    }

    #[test]
    fn gives_up_past_its_budget() {
        let one = encode(
            &match frame(0.0) {
                Verdict::Keep(c) => c.image,
                Verdict::Drop(..) => unreachable!(),
            },
            ImageFormat::Png,
            90,
        )
        .unwrap()
        .len();
        let mut s = SpoolSink::new(MemorySink::default(), ImageFormat::Png, 90, one + one / 2);
        for t in [0.0, 1.0, 2.0] {
            s.accept(frame(t)).unwrap();
        }
        s.finish().unwrap();
        let (inner, images) = s.into_parts();
        assert_eq!(inner.images.len(), 3);
        assert!(images.is_none());
        let (_, none) = SpoolSink::new(MemorySink::default(), ImageFormat::Png, 90, 0).into_parts();
        assert!(none.is_none(), "a zero budget spools nothing");
    }
}
