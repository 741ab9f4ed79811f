//! Cutting a segment out of a video as its own file, with the FFmpeg
//! libraries (no `ffmpeg` program).
//!
//! - [`CutMode::Copy`] copies the compressed packets (video and the best
//!   audio stream): fast and lossless, but a clip can only start on a key
//!   frame, so it starts at the key frame at or before the segment's start
//!   (reported as the clip's `start`). It ends at the segment's end.
//! - [`CutMode::Precise`] decodes and re-encodes the video (H.264 with
//!   libx264 when FFmpeg has it, else MPEG-4 part 2) from exactly the
//!   segment's first frame to its last, into MP4; audio packets inside the
//!   segment are copied when MP4 can hold their codec.
//!
//! Clips are written to a temporary name and renamed when complete.

use std::path::Path;

use ff::media::Type;
use ffmpeg_next as ff;

use super::decode::{pts_seconds, DecodeMode, DecodeOptions, VideoSource};
use super::ffi::{can_hold, clear_codec_tag, copy_display_matrix};
use crate::error::{Error, Result};
use crate::output::temp_path;

/// How clips are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutMode {
    /// Stream copy: starts snap to the key frame before.
    Copy,
    /// Re-encode the video for exact boundaries.
    Precise,
}

/// A written clip.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoClip {
    /// Path relative to the video's folder: `clips/seg<i>_<start>-<end>.<ext>`.
    pub path: String,
    /// Where the clip really starts (seconds since the stream start): the
    /// key frame before the segment for stream copy.
    pub start: f64,
}

/// Cuts `[start, end)` (seconds since the first frame; the stream starts
/// at `stream_start` in container time) of `input` into
/// `dir/clips/seg<index>_<start>-<end>.<ext>`.
pub fn cut_clip(
    input: &str,
    dir: &Path,
    index: usize,
    start: f64,
    end: f64,
    stream_start: f64,
    mode: CutMode,
) -> Result<VideoClip> {
    let (format, ext) = match mode {
        CutMode::Copy => container_for(input),
        CutMode::Precise => ("mp4", "mp4"),
    };
    let folder = dir.join("clips");
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, "cannot create folder", e))?;
    let rel = format!("clips/seg{index:03}_{start:.3}-{end:.3}.{ext}");
    let path = dir.join(&rel);
    let tmp = temp_path(&path);
    let cut = match mode {
        CutMode::Copy => copy(
            input,
            &tmp,
            format,
            stream_start + start,
            stream_start + end,
        ),
        CutMode::Precise => precise(input, &tmp, start, end, stream_start),
    };
    let result = cut.and_then(|real_start| {
        std::fs::rename(&tmp, &path)
            .map_err(|e| e.to_string())
            .map(|_| real_start)
    });
    match result {
        Ok(real_start) => Ok(VideoClip {
            path: rel,
            start: real_start - stream_start,
        }),
        Err(reason) => {
            let _ = std::fs::remove_file(&tmp);
            Err(Error::Damaged {
                input: input.to_string(),
                reason: format!("cannot cut clip {rel}: {reason}"),
            })
        }
    }
}

/// The muxer and extension for a stream copy: the input's own container
/// where FFmpeg can write it, else Matroska (which holds any codec).
fn container_for(input: &str) -> (&'static str, &'static str) {
    let ext = Path::new(input)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("mp4" | "m4v") => ("mp4", "mp4"),
        Some("mov") => ("mov", "mov"),
        Some("webm") => ("webm", "webm"),
        Some("ts" | "m2ts" | "mts") => ("mpegts", "ts"),
        Some("avi") => ("avi", "avi"),
        _ => ("matroska", "mkv"),
    }
}

fn to_ts(sec: f64, tb: ff::Rational) -> i64 {
    (sec * f64::from(tb.denominator()) / f64::from(tb.numerator().max(1))).round() as i64
}

/// A packet's time: pts, else dts.
fn packet_time(p: &ff::Packet, tb: ff::Rational) -> Option<f64> {
    p.pts().or(p.dts()).map(|t| pts_seconds(t, tb))
}

/// Stream copy of `[from, to)` (container seconds); returns where the clip
/// really starts.
fn copy(input: &str, tmp: &Path, format: &str, from: f64, to: f64) -> Result<f64, String> {
    let mut ictx = ff::format::input(&input).map_err(|e| e.to_string())?;
    let vi = ictx
        .streams()
        .best(Type::Video)
        .ok_or("no video stream")?
        .index();
    let ai = ictx.streams().best(Type::Audio).map(|s| s.index());
    let mut octx = ff::format::output_as(&tmp, format).map_err(|e| e.to_string())?;
    // Input stream → (output stream, input time base).
    let mut map: Vec<Option<(usize, ff::Rational)>> = vec![None; ictx.nb_streams() as usize];
    for idx in [Some(vi), ai].into_iter().flatten() {
        let Some(ist) = ictx.stream(idx) else {
            continue;
        };
        if idx != vi && !can_hold(&octx, ist.parameters().id()) {
            continue; // audio this container cannot hold: video only
        }
        let mut ost = octx
            .add_stream(ff::encoder::find(ff::codec::Id::None))
            .map_err(|e| e.to_string())?;
        ost.set_parameters(ist.parameters());
        if idx == vi {
            copy_display_matrix(&ist, &mut ost);
        }
        let out_index = ost.index();
        clear_codec_tag(&mut octx, out_index);
        map[idx] = Some((out_index, ist.time_base()));
    }
    octx.write_header().map_err(|e| e.to_string())?;
    let target = (from * f64::from(super::ffi::TIME_BASE)) as i64;
    ictx.seek(target, ..target + 1)
        .map_err(|e| format!("cannot seek: {e}"))?;
    let mut base: Option<f64> = None; // the first key frame's time
    let mut dts = DtsFiller::default();
    let mut held: Vec<(ff::Packet, usize, ff::Rational)> = Vec::new();
    let mut video_done = false;
    let mut audio_done = map.iter().enumerate().all(|(i, m)| i == vi || m.is_none());
    for (stream, packet) in ictx.packets() {
        let idx = stream.index();
        let Some((out, tb)) = map.get(idx).copied().flatten() else {
            continue;
        };
        let Some(t) = packet_time(&packet, tb) else {
            continue;
        };
        if idx == vi {
            if base.is_none() {
                if !packet.is_key() {
                    continue; // before the first key frame: not decodable
                }
                base = Some(t);
                for (p, o, ptb) in held.drain(..) {
                    write_shifted(p, o, ptb, t, &mut octx)?;
                }
            }
            let dts_t = packet.dts().map_or(t, |d| pts_seconds(d, tb));
            if dts_t >= to {
                video_done = true; // later packets all show at or after `to`
            }
            // The clip ends in decode order, as ffmpeg's `-t` does: a
            // B-frame shown just before `to` references a picture shown
            // after it, which must come along (the clip may show a few
            // frames past `to`, as it starts at the key frame before
            // `from`). Pictures shown before the key frame but sent after
            // it are an open GOP's leading pictures: they reference the GOP
            // before, which the clip does not hold, so they are left out.
            if dts_t < to && base.is_some_and(|b| t >= b) {
                if let Some(b) = base {
                    for p in dts.fill(packet) {
                        write_shifted(p, out, tb, b, &mut octx)?;
                    }
                }
            }
        } else {
            if t >= to {
                audio_done = true;
            } else {
                match base {
                    Some(b) if t >= b => write_shifted(packet, out, tb, b, &mut octx)?,
                    Some(_) => {}
                    None => held.push((packet, out, tb)),
                }
            }
        }
        if (video_done && audio_done) || t > to + 10.0 {
            break;
        }
    }
    let base = base.ok_or("no key frame in the segment")?;
    for p in dts.finish() {
        write_shifted(
            p,
            map[vi].map_or(0, |m| m.0),
            ictx_tb(&map, vi),
            base,
            &mut octx,
        )?;
    }
    octx.write_trailer().map_err(|e| e.to_string())?;
    Ok(base)
}

/// The input time base of stream `vi`.
fn ictx_tb(map: &[Option<(usize, ff::Rational)>], vi: usize) -> ff::Rational {
    map.get(vi)
        .copied()
        .flatten()
        .map_or(ff::Rational(1, 1), |m| m.1)
}

/// Gives every video packet a decode timestamp. After a seek, demuxers
/// that store only presentation times (Matroska) cannot tell the first
/// packets' dts; a stream with B-frames then reaches the muxer with a key
/// frame at pts 0 and no dts, a B-frame shown later with none, then dts
/// that start *below* the pts already written — and the muxer refuses
/// the non-monotonic dts ("Invalid argument"). So packets without a dts
/// are held until the first one with a dts, D, and get D−n … D−1 ticks
/// (each at most its own pts); later gaps continue from the last dts.
#[derive(Default)]
struct DtsFiller {
    held: Vec<ff::Packet>,
    last: Option<i64>,
}

impl DtsFiller {
    /// The packets that can be written now, `p` among them or held.
    fn fill(&mut self, mut p: ff::Packet) -> Vec<ff::Packet> {
        match (p.dts(), self.last) {
            (Some(d), _) => {
                let mut out = self.backfill(Some(d));
                self.last = Some(d);
                out.push(p);
                out
            }
            (None, Some(last)) => {
                p.set_dts(Some(last + 1));
                self.last = p.dts();
                vec![p]
            }
            (None, None) => {
                self.held.push(p);
                Vec::new()
            }
        }
    }

    /// Packets still held (the segment ended before any dts was known).
    fn finish(&mut self) -> Vec<ff::Packet> {
        self.backfill(None)
    }

    /// The held packets with dts strictly increasing, each at most its
    /// own pts and every later packet's pts, and below `next` (the first
    /// known dts after them).
    fn backfill(&mut self, next: Option<i64>) -> Vec<ff::Packet> {
        let mut out: Vec<ff::Packet> = self.held.drain(..).collect();
        let n = out.len() as i64;
        let mut bound = next.unwrap_or(i64::MAX);
        // Suffix minimum of the pts (and `next`), from the end.
        let mut caps = vec![0i64; out.len()];
        for (i, p) in out.iter().enumerate().rev() {
            bound = bound.min(p.pts().unwrap_or(bound));
            caps[i] = bound;
        }
        for (i, p) in out.iter_mut().enumerate() {
            let below = if next.is_some() {
                n - i as i64
            } else {
                n - 1 - i as i64
            };
            p.set_dts(Some(caps[i].saturating_sub(below)));
        }
        out
    }
}

/// Writes `p` to output stream `out`, moved `shift` seconds earlier.
fn write_shifted(
    mut p: ff::Packet,
    out: usize,
    tb: ff::Rational,
    shift: f64,
    octx: &mut ff::format::context::Output,
) -> Result<(), String> {
    let s = to_ts(shift, tb);
    p.set_pts(p.pts().map(|v| v - s));
    p.set_dts(p.dts().map(|v| v - s));
    let otb = octx
        .stream(out)
        .map(|s| s.time_base())
        .ok_or("no output stream")?;
    p.rescale_ts(tb, otb);
    p.set_position(-1);
    p.set_stream(out);
    p.write_interleaved(octx).map_err(|e| e.to_string())
}

/// Re-encodes the video of `[start, end)` (seconds since the first frame)
/// and copies the audio inside it; returns where the clip starts
/// (container seconds).
fn precise(
    input: &str,
    tmp: &Path,
    start: f64,
    end: f64,
    stream_start: f64,
) -> Result<f64, String> {
    let opts = DecodeOptions {
        mode: DecodeMode::All,
        seek_to_s: start,
        threads: 0,
    };
    let mut source = VideoSource::open(input, &opts).map_err(|e| e.to_string())?;
    let info = source.info().clone();
    let (w, h) = (info.width & !1, info.height & !1);
    let mut octx = ff::format::output_as(&tmp, "mp4").map_err(|e| e.to_string())?;
    let global_header = octx
        .format()
        .flags()
        .contains(ff::format::Flags::GLOBAL_HEADER);
    let codec = ff::encoder::find_by_name("libx264")
        .or_else(|| ff::encoder::find(ff::codec::Id::MPEG4))
        .ok_or("FFmpeg has no H.264 or MPEG-4 encoder")?;
    let tb = ff::Rational::new(1, 90_000);
    let mut ost = octx.add_stream(codec).map_err(|e| e.to_string())?;
    let v_out = ost.index();
    let mut enc = ff::codec::context::Context::new_with_codec(codec)
        .encoder()
        .video()
        .map_err(|e| e.to_string())?;
    enc.set_width(w.max(2));
    enc.set_height(h.max(2));
    enc.set_format(ff::format::Pixel::YUV420P);
    enc.set_time_base(tb);
    enc.set_frame_rate(Some(ff::Rational::from(info.avg_fps.max(1.0))));
    if global_header {
        enc.set_flags(ff::codec::Flags::GLOBAL_HEADER);
    }
    let mut dict = ff::Dictionary::new();
    dict.set("preset", "veryfast");
    dict.set("crf", "18");
    let mut enc = enc.open_with(dict).map_err(|e| e.to_string())?;
    ost.set_parameters(&enc);
    // The picture is encoded as decoded: the clip carries the source's
    // display matrix, so players turn it as they turn the source.
    if let Ok(ictx) = ff::format::input(&input) {
        if let Some(ist) = ictx.streams().best(Type::Video) {
            copy_display_matrix(&ist, &mut ost);
        }
    }
    // Audio: a second demuxer over the same span, packets copied.
    let mut audio = AudioCopy::open(input, &mut octx, stream_start + start)?;
    octx.write_header().map_err(|e| e.to_string())?;
    let otb = octx
        .stream(v_out)
        .map(|s| s.time_base())
        .ok_or("no output stream")?;
    let mut scaler: Option<(ff::format::Pixel, u32, u32, ff::software::scaling::Context)> = None;
    let mut first: Option<f64> = None;
    let drain = |enc: &mut ff::encoder::Video, octx: &mut ff::format::context::Output| {
        let mut pkt = ff::Packet::empty();
        while enc.receive_packet(&mut pkt).is_ok() {
            pkt.set_stream(v_out);
            pkt.rescale_ts(tb, otb);
            pkt.write_interleaved(octx).map_err(|e| e.to_string())?;
        }
        Ok::<(), String>(())
    };
    while let Some(f) = source.next_frame() {
        if f.time < start - 1e-6 {
            continue;
        }
        if f.time >= end - 1e-6 {
            break;
        }
        let t0 = *first.get_or_insert(f.time);
        let key = (f.frame.format(), f.frame.width(), f.frame.height());
        let mut out = if key == (ff::format::Pixel::YUV420P, w, h) {
            f.frame // already what the encoder takes: no copy
        } else {
            let src = &f.frame;
            if scaler.as_ref().is_none_or(|s| (s.0, s.1, s.2) != key) {
                let ctx = ff::software::scaling::Context::get(
                    key.0,
                    key.1,
                    key.2,
                    ff::format::Pixel::YUV420P,
                    w,
                    h,
                    ff::software::scaling::Flags::BILINEAR,
                )
                .map_err(|e| e.to_string())?;
                scaler = Some((key.0, key.1, key.2, ctx));
            }
            let mut dst = ff::frame::Video::empty();
            if let Some((_, _, _, ctx)) = scaler.as_mut() {
                ctx.run(src, &mut dst).map_err(|e| e.to_string())?;
            }
            dst
        };
        out.set_pts(Some(to_ts(f.time - t0, tb)));
        out.set_kind(ff::picture::Type::None);
        enc.send_frame(&out).map_err(|e| e.to_string())?;
        drain(&mut enc, &mut octx)?;
    }
    let t0 = first.ok_or("no frame inside the segment")?;
    enc.send_eof().map_err(|e| e.to_string())?;
    drain(&mut enc, &mut octx)?;
    if let Some(a) = audio.as_mut() {
        a.copy(&mut octx, stream_start + t0, stream_start + end)?;
    }
    octx.write_trailer().map_err(|e| e.to_string())?;
    Ok(stream_start + t0)
}

/// The best audio stream of an input, copied packet by packet.
struct AudioCopy {
    ictx: ff::format::context::Input,
    index: usize,
    out: usize,
    tb: ff::Rational,
}

impl AudioCopy {
    /// Adds the audio stream to `octx` if there is one it can hold, and
    /// seeks to `from` (container seconds).
    fn open(
        input: &str,
        octx: &mut ff::format::context::Output,
        from: f64,
    ) -> Result<Option<AudioCopy>, String> {
        let mut ictx = ff::format::input(&input).map_err(|e| e.to_string())?;
        let Some((index, params, tb)) = ictx
            .streams()
            .best(Type::Audio)
            .map(|s| (s.index(), s.parameters(), s.time_base()))
        else {
            return Ok(None);
        };
        if !can_hold(octx, params.id()) {
            return Ok(None);
        }
        let mut ost = octx
            .add_stream(ff::encoder::find(ff::codec::Id::None))
            .map_err(|e| e.to_string())?;
        ost.set_parameters(params);
        let out = ost.index();
        clear_codec_tag(octx, out);
        let target = (from * f64::from(super::ffi::TIME_BASE)) as i64;
        ictx.seek(target, ..target + 1)
            .map_err(|e| format!("cannot seek: {e}"))?;
        Ok(Some(AudioCopy {
            ictx,
            index,
            out,
            tb,
        }))
    }

    /// Copies the packets in `[from, to)`, shifted to start at `from`.
    fn copy(
        &mut self,
        octx: &mut ff::format::context::Output,
        from: f64,
        to: f64,
    ) -> Result<(), String> {
        for (stream, packet) in self.ictx.packets() {
            if stream.index() != self.index {
                continue;
            }
            let Some(t) = packet_time(&packet, self.tb) else {
                continue;
            };
            if t >= to {
                break;
            }
            if t >= from {
                write_shifted(packet, self.out, self.tb, from, octx)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(pts: i64, dts: Option<i64>) -> ff::Packet {
        let mut p = ff::Packet::empty();
        p.set_pts(Some(pts));
        p.set_dts(dts);
        p
    }

    /// p04's first packets after a seek into HEVC in Matroska (ms): the
    /// key frame and a B-frame come without dts, then dts start below the
    /// pts already sent. Every packet leaves with a dts, strictly rising,
    /// never above its pts.
    #[test]
    fn packets_without_dts_get_monotonic_ones() {
        let mut f = DtsFiller::default();
        let mut out = Vec::new();
        for (pts, dts) in [
            (31000, None),
            (31200, None),
            (31120, Some(31000)),
            (31040, Some(31040)),
            (31080, Some(31080)),
            (31160, None),
            (31400, Some(31160)),
        ] {
            out.extend(f.fill(packet(pts, dts)));
        }
        out.extend(f.finish());
        assert_eq!(out.len(), 7);
        let dts: Vec<i64> = out.iter().map(|p| p.dts().unwrap()).collect();
        assert!(dts.windows(2).all(|w| w[0] < w[1]), "{dts:?}");
        for p in &out {
            assert!(p.dts().unwrap() <= p.pts().unwrap(), "{dts:?}");
        }
        assert_eq!(&dts[..3], &[30998, 30999, 31000]);
    }

    #[test]
    fn a_segment_with_no_dts_at_all_still_gets_them() {
        let mut f = DtsFiller::default();
        for pts in [0, 80, 40] {
            assert!(f.fill(packet(pts, None)).is_empty());
        }
        let dts: Vec<i64> = f.finish().iter().map(|p| p.dts().unwrap()).collect();
        assert_eq!(dts, vec![-2, 39, 40]);
    }

    #[test]
    fn containers_follow_the_input() {
        assert_eq!(container_for("a.MP4"), ("mp4", "mp4"));
        assert_eq!(container_for("a.webm"), ("webm", "webm"));
        assert_eq!(container_for("a.flv"), ("matroska", "mkv"));
        assert_eq!(container_for("https://x/y"), ("matroska", "mkv"));
    }

    #[test]
    fn time_conversions_round_trip() {
        let tb = ff::Rational::new(1, 12_800);
        assert_eq!(to_ts(2.5, tb), 32_000);
        assert!((pts_seconds(32_000, tb) - 2.5).abs() < 1e-12);
    }
}
