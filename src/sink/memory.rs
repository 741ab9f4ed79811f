//! A sink that keeps everything in memory: for library users (Python
//! bindings, other programs) and tests.

use super::{Decision, FrameRecord, Sink};
use crate::buffer::Verdict;
use crate::decode::VideoInfo;
use crate::error::Result;
use crate::frame::RgbImage;

/// Collects the manifest records and the kept images.
#[derive(Debug, Default)]
pub struct MemorySink {
    /// The video's properties, once opened.
    pub info: Option<VideoInfo>,
    /// One record per frame, in time order after [`Sink::finish`].
    pub records: Vec<FrameRecord>,
    /// The kept frames' images, in the order of their records.
    pub images: Vec<RgbImage>,
    video: String,
}

impl Sink for MemorySink {
    fn begin(&mut self, video: &str, info: &VideoInfo) -> Result<()> {
        self.video = video.to_string();
        self.info = Some(info.clone());
        Ok(())
    }

    fn accept(&mut self, verdict: Verdict) -> Result<()> {
        let (c, decision) = match verdict {
            Verdict::Keep(c) => (c, Decision::Saved),
            Verdict::Drop(c, r) => (c, r.into()),
        };
        if decision == Decision::Saved {
            self.images.push(c.image);
        }
        self.records.push(FrameRecord {
            video: self.video.clone(),
            path: None,
            decision,
            meta: c.meta,
            notes: c.notes,
        });
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        // Sort records and images together by decode order.
        let mut kept = self.images.drain(..);
        let mut pairs: Vec<(FrameRecord, Option<RgbImage>)> = self
            .records
            .drain(..)
            .map(|r| {
                let img = (r.decision == Decision::Saved)
                    .then(|| kept.next())
                    .flatten();
                (r, img)
            })
            .collect();
        drop(kept);
        pairs.sort_by_key(|(r, _)| r.meta.decode_index);
        for (r, img) in pairs {
            self.records.push(r);
            self.images.extend(img);
        }
        Ok(self.images.len() as u64)
    }
}
