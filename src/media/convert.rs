//! FFmpeg frame → packed RGB24 at full resolution with swscale, honouring
//! the frame's colour matrix and range (the conversion PyAV 18's
//! `frame.to_image()` does, byte for byte).

use ff::format::Pixel;
use ff::software::scaling::{Context as Scaler, Flags};
use ffmpeg_next as ff;

use super::ffi::{colorspace_number, set_colorspace};
use super::DecodedFrame;
use crate::frame::{RgbImage, MAX_PIXELS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    format: Pixel,
    width: u32,
    height: u32,
    space: i32,
    full_range: bool,
}

/// One swscale context to packed RGB24 at a given size (`None`: the
/// frame's own), rebuilt only when the frame's format, size or colour
/// settings change, and the frame it writes into.
struct CachedScaler {
    size: Option<(u32, u32)>,
    flags: Flags,
    scaler: Option<(Key, Scaler)>,
    out: Option<ff::frame::Video>,
}

impl CachedScaler {
    fn new(size: Option<(u32, u32)>, flags: Flags) -> Self {
        Self {
            size,
            flags,
            scaler: None,
            out: None,
        }
    }

    /// Converts `frame` with colour matrix `space`; appends the packed
    /// rows to `buf` and returns the output size.
    fn run(
        &mut self,
        frame: &ff::frame::Video,
        space: i32,
        buf: &mut Vec<u8>,
    ) -> Result<(u32, u32), String> {
        let (w, h) = (frame.width(), frame.height());
        if w == 0 || h == 0 || frame.format() == Pixel::None {
            return Err("empty frame".into());
        }
        if w as u64 * h as u64 > MAX_PIXELS {
            return Err(format!(
                "{w}x{h} is larger than the {MAX_PIXELS}-pixel limit"
            ));
        }
        let (ow, oh) = self.size.unwrap_or((w, h));
        let key = Key {
            format: frame.format(),
            width: w,
            height: h,
            space,
            full_range: is_full_range(frame),
        };
        if self.scaler.as_ref().map(|(k, _)| *k) != Some(key) {
            let mut scaler = Scaler::get(key.format, w, h, Pixel::RGB24, ow, oh, self.flags)
                .map_err(|e| format!("no conversion from {:?}: {e}", key.format))?;
            set_colorspace(&mut scaler, key.space, key.full_range);
            self.scaler = Some((key, scaler));
            self.out = None;
        }
        let out = self.out.get_or_insert_with(ff::frame::Video::empty);
        let (_, scaler) = self.scaler.as_mut().ok_or("no scaler")?;
        scaler.run(frame, out).map_err(|e| e.to_string())?;
        let stride = out.stride(0);
        let data = out.data(0);
        let row = ow as usize * 3;
        buf.reserve(row * oh as usize);
        for y in 0..oh as usize {
            buf.extend_from_slice(&data[y * stride..y * stride + row]);
        }
        Ok((ow, oh))
    }
}

/// Converts decoded frames to RGB, reusing one swscale context while the
/// frame format, size and colour settings stay the same.
pub struct RgbConverter(CachedScaler);

impl Default for RgbConverter {
    fn default() -> Self {
        Self(CachedScaler::new(None, Flags::BILINEAR))
    }
}

// SAFETY: the swscale context and frame are owned exclusively by this
// struct and only used through `&mut self`.
unsafe impl Send for RgbConverter {}

/// The `AVColorSpace` value used for the conversion: the frame's own, or
/// for an untagged frame the usual convention (BT.709 from 720 lines up,
/// BT.601 below).
fn matrix_of(frame: &ff::frame::Video) -> i32 {
    use ff::color::Space;
    let space = match frame.color_space() {
        Space::Unspecified | Space::Reserved | Space::RGB => {
            if frame.height() >= 720 {
                Space::BT709
            } else {
                Space::BT470BG
            }
        }
        s => s,
    };
    colorspace_number(space)
}

fn is_full_range(frame: &ff::frame::Video) -> bool {
    matches!(frame.color_range(), ff::color::Range::JPEG)
        || matches!(
            frame.format(),
            Pixel::YUVJ420P | Pixel::YUVJ422P | Pixel::YUVJ444P | Pixel::YUVJ440P
        )
}

impl RgbConverter {
    /// A converter with no context yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Converts `frame` to a packed RGB24 image of the same size.
    pub fn convert(&mut self, frame: &DecodedFrame) -> Result<RgbImage, String> {
        self.convert_video(&frame.frame)
    }

    /// [`RgbConverter::convert`] on an FFmpeg frame.
    pub(super) fn convert_video(&mut self, frame: &ff::frame::Video) -> Result<RgbImage, String> {
        let mut packed = Vec::new();
        let (w, h) = self.0.run(frame, matrix_of(frame), &mut packed)?;
        RgbImage::from_raw(w, h, packed).ok_or_else(|| "bad RGB buffer size".to_string())
    }
}

/// Scales decoded frames down to a small packed RGB24 picture the way the
/// ffmpeg CLI's `-s WxH -pix_fmt rgb24` does (bicubic swscale, the frame's
/// own colour matrix and range; untagged frames BT.601), so a model fed
/// these frames sees the very pixels its reference implementation saw.
pub struct SmallRgb(CachedScaler);

// SAFETY: as for RgbConverter: owned exclusively, used through `&mut self`.
unsafe impl Send for SmallRgb {}

impl SmallRgb {
    /// A scaler to `width`×`height`.
    pub fn new(width: u32, height: u32) -> Self {
        Self(CachedScaler::new(Some((width, height)), Flags::BICUBIC))
    }

    /// Writes `frame` scaled to the target size into `buf` (cleared first),
    /// `width·height·3` bytes, rows packed.
    pub fn convert(&mut self, frame: &DecodedFrame, buf: &mut Vec<u8>) -> Result<(), String> {
        let frame = &frame.frame;
        buf.clear();
        // The ffmpeg CLI's scale filter takes the frame's own matrix
        // (untagged: swscale's default, BT.601).
        let space = colorspace_number(frame.color_space());
        self.0.run(frame, space, buf).map(|_| ())
    }
}
