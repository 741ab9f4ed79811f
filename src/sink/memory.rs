//! A sink that keeps everything in memory: for library users (Python
//! bindings, other programs) and tests.

use super::{Decision, FrameRecord, Sink};
use crate::buffer::Verdict;
use crate::error::Result;
use crate::frame::RgbImage;
use crate::media::VideoInfo;

/// Collects the manifest records and the kept images.
#[derive(Debug, Default)]
pub struct MemorySink {
    /// The video's properties, once opened.
    pub info: Option<VideoInfo>,
    /// One record per frame, in time order, filled by [`Sink::finish`].
    pub records: Vec<FrameRecord>,
    /// The kept frames' images, in the order of their records, filled by
    /// [`Sink::finish`].
    pub images: Vec<RgbImage>,
    video: String,
    pending: Vec<(FrameRecord, Option<RgbImage>)>,
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
        let image = (decision == Decision::Saved).then_some(c.image);
        let record = FrameRecord {
            video: self.video.clone(),
            path: None,
            decision,
            meta: c.meta,
            notes: c.notes,
        };
        self.pending.push((record, image));
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        self.pending.sort_by_key(|(r, _)| r.meta.decode_index);
        for (record, image) in self.pending.drain(..) {
            self.records.push(record);
            self.images.extend(image);
        }
        Ok(self.images.len() as u64)
    }
}
