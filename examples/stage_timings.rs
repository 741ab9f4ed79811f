//! Times each per-frame stage on the key frames of a video:
//! `cargo run --release --example stage_timings -- VIDEO`.
use std::time::Instant;

use framesift::frame::{analysis_image, ANALYSIS_MAX_SIDE};
use framesift::hash::{hash_rgb, HashKind};
use framesift::media::RgbConverter;
use framesift::media::{init, DecodeMode, DecodeOptions, VideoSource};
use framesift::output::{encode, ImageFormat};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: stage_timings VIDEO")?;
    init(false)?;
    let opts = DecodeOptions {
        mode: DecodeMode::Keyframes,
        ..Default::default()
    };
    let mut src = VideoSource::open(&path, &opts)?;
    let mut conv = RgbConverter::new();
    let mut t = [0f64; 8];
    let mut n = 0;
    let mut last = Instant::now();
    while let Some(f) = src.next_frame() {
        t[0] += last.elapsed().as_secs_f64();
        let s = Instant::now();
        let img = conv.convert(&f)?;
        t[1] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let _a = analysis_image(&img, ANALYSIS_MAX_SIDE);
        t[2] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let _h = hash_rgb(
            HashKind::Phash,
            img.as_raw(),
            img.width() as usize,
            img.height() as usize,
            8,
        );
        t[3] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let g = framesift::hash::pil::rgb_to_luma(
            img.as_raw(),
            img.width() as usize,
            img.height() as usize,
        );
        t[6] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let _r = framesift::hash::pil::resize_lanczos(&g, 32, 32);
        t[7] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let _j = encode(&img, ImageFormat::Jpg, 90)?;
        t[4] += s.elapsed().as_secs_f64();
        let s = Instant::now();
        let _p = encode(&img, ImageFormat::Png, 90)?;
        t[5] += s.elapsed().as_secs_f64();
        n += 1;
        last = Instant::now();
    }
    let names = [
        "decode",
        "to_rgb",
        "analysis",
        "phash8",
        "jpeg_q90",
        "png",
        "luma",
        "lanczos32",
    ];
    for (name, v) in names.iter().zip(t) {
        println!("{name:>10}: {:7.2} ms/frame", v * 1000.0 / n as f64);
    }
    println!("{n} frames");
    Ok(())
}
