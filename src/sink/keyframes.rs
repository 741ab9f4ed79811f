//! A sink for a segmentation's second pass: writes the chosen keyframes
//! (picked by raw pts) under their segment's names and keeps a small
//! thumbnail of each for the keyframe grid.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Sink;
use crate::buffer::Verdict;
use crate::error::{Error, Result};
use crate::frame::RgbImage;
use crate::media::VideoInfo;
use crate::output::{encode, write_atomic, ImageFormat};

/// Writes frames whose pts is in its plan; keeps thumbnails by pts.
pub struct KeyframeSink {
    dir: PathBuf,
    /// pts → relative path of the image to write.
    plan: HashMap<i64, String>,
    format: ImageFormat,
    quality: u8,
    thumb_height: u32,
    /// Thumbnails of the written frames, by pts.
    pub thumbnails: HashMap<i64, RgbImage>,
    written: u64,
}

impl KeyframeSink {
    /// A sink writing `plan` (pts → path relative to `dir`) in `format`,
    /// keeping thumbnails `thumb_height` pixels high.
    pub fn new(
        dir: impl Into<PathBuf>,
        plan: HashMap<i64, String>,
        format: ImageFormat,
        quality: u8,
        thumb_height: u32,
    ) -> Self {
        KeyframeSink {
            dir: dir.into(),
            plan,
            format,
            quality,
            thumb_height,
            thumbnails: HashMap::new(),
            written: 0,
        }
    }
}

/// `img` scaled to `height` pixels high (at least 8), keeping its aspect.
pub fn thumbnail(img: &RgbImage, height: u32) -> RgbImage {
    let height = height.max(8);
    let (w, h) = img.dimensions();
    let tw = ((u64::from(w) * u64::from(height)) / u64::from(h.max(1))).max(1) as u32;
    image::imageops::thumbnail(img, tw, height)
}

impl Sink for KeyframeSink {
    fn begin(&mut self, _video: &str, _info: &VideoInfo) -> Result<()> {
        Ok(())
    }

    fn accept(&mut self, verdict: Verdict) -> Result<()> {
        let Verdict::Keep(c) = verdict else {
            return Ok(());
        };
        let Some(rel) = self.plan.get(&c.meta.pts) else {
            return Ok(());
        };
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(parent, "cannot create folder", e))?;
        }
        let bytes =
            encode(&c.image, self.format, self.quality).map_err(|reason| Error::Encode {
                path: path.clone(),
                reason,
            })?;
        write_atomic(&path, &bytes).map_err(|e| Error::io(&path, "cannot write image", e))?;
        self.written += 1;
        self.thumbnails
            .insert(c.meta.pts, thumbnail(&c.image, self.thumb_height));
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        Ok(self.written)
    }
}
