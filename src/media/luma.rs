//! The luma plane of a decoded frame read into framesift's [`LumaGrid`]
//! signature, without any colour conversion.

use ff::format::Pixel;
use ffmpeg_next as ff;

use super::DecodedFrame;
use crate::frame::LumaGrid;

/// Bytes per luma sample of a pixel format whose first plane is luma, and
/// the bit depth; `None` for formats without a luma plane (RGB, palette).
fn luma_layout(format: Pixel) -> Option<(usize, u32)> {
    use Pixel as P;
    Some(match format {
        P::YUV420P
        | P::YUVJ420P
        | P::YUV422P
        | P::YUVJ422P
        | P::YUV444P
        | P::YUVJ444P
        | P::YUV440P
        | P::YUVJ440P
        | P::YUV411P
        | P::YUV410P
        | P::NV12
        | P::NV21
        | P::NV16
        | P::GRAY8
        | P::YUVA420P
        | P::YUVA422P
        | P::YUVA444P => (1, 8),
        P::YUV420P10LE | P::YUV422P10LE | P::YUV444P10LE | P::P010LE | P::GRAY10LE => (2, 10),
        P::YUV420P12LE | P::YUV422P12LE | P::YUV444P12LE | P::GRAY12LE => (2, 12),
        P::YUV420P16LE | P::YUV422P16LE | P::YUV444P16LE | P::P016LE | P::GRAY16LE => (2, 16),
        _ => return None,
    })
}

impl DecodedFrame {
    /// The frame's [`LumaGrid`], or `None` when its pixel format has no
    /// luma plane this reader knows.
    pub fn luma_grid(&self) -> Option<LumaGrid> {
        luma_grid(&self.frame)
    }
}

fn luma_grid(frame: &ff::frame::Video) -> Option<LumaGrid> {
    let layout = luma_layout(frame.format())?;
    if frame.planes() == 0 {
        return None;
    }
    let size = (frame.width() as usize, frame.height() as usize);
    LumaGrid::from_plane(frame.data(0), frame.stride(0), size, layout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::LUMA_GRID as GRID;

    fn gray(w: u32, h: u32, f: impl Fn(usize, usize) -> u8) -> ff::frame::Video {
        let mut frame = ff::frame::Video::new(Pixel::GRAY8, w, h);
        let stride = frame.stride(0);
        let data = frame.data_mut(0);
        for y in 0..h as usize {
            for x in 0..w as usize {
                data[y * stride + x] = f(x, y);
            }
        }
        frame
    }

    #[test]
    fn grid_follows_the_picture_and_change_is_scaled() {
        let left_dark = gray(64, 32, |x, _| if x < 32 { 0 } else { 200 });
        let g = luma_grid(&left_dark).unwrap();
        assert_eq!(g.0[0], 0);
        assert_eq!(g.0[GRID - 1], 200);
        let flat = luma_grid(&gray(64, 32, |_, _| 100)).unwrap();
        assert_eq!(flat.change(&flat), 0.0);
        // Half the cells differ by 100, half by 100: mean 100/255.
        assert!((g.change(&flat) - 100.0 / 255.0).abs() < 1e-6);
    }

    #[test]
    fn formats_without_luma_and_tiny_frames_give_none() {
        let rgb = ff::frame::Video::new(Pixel::RGB24, 64, 64);
        assert!(luma_grid(&rgb).is_none());
        assert!(luma_grid(&gray(8, 8, |_, _| 0)).is_none());
    }
}
