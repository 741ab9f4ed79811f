//! Embedding speed on one core: the built-in embedding of 1080p frames
//! (downscale to the analysis image included), and with `--clip`, a
//! ViT-B/32-sized CLIP with random weights (images/s at several batch
//! sizes, candle on all cores).
//!
//! `cargo run --release --example embed_speed -- VIDEO [--clip]`
use std::time::Instant;

use framesift::embed::BuiltinEmbedder;
use framesift::frame::{analysis_image, RgbImage, ANALYSIS_MAX_SIDE};
use framesift::media::RgbConverter;
use framesift::media::{init, DecodeMode, DecodeOptions, VideoSource};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: embed_speed VIDEO [--clip]")?;
    let clip = args.any(|a| a == "--clip");
    init(false)?;
    let opts = DecodeOptions {
        mode: DecodeMode::Keyframes,
        ..Default::default()
    };
    let mut src = VideoSource::open(&path, &opts)?;
    let mut conv = RgbConverter::new();
    let mut frames: Vec<RgbImage> = Vec::new();
    while let Some(f) = src.next_frame() {
        frames.push(conv.convert(&f)?);
    }
    let (w, h) = frames.first().map(|f| f.dimensions()).ok_or("no frames")?;
    println!("{} key frames of {w}x{h} from {path}", frames.len());

    let e = BuiltinEmbedder::default();
    let reps = (2000 / frames.len()).max(1);
    let (mut t_small, mut t_desc, mut n) = (0f64, 0f64, 0usize);
    let mut sink = 0f32;
    for _ in 0..reps {
        for f in &frames {
            let s = Instant::now();
            let small = analysis_image(f, ANALYSIS_MAX_SIDE);
            t_small += s.elapsed().as_secs_f64();
            let s = Instant::now();
            let v = e.describe(&small);
            t_desc += s.elapsed().as_secs_f64();
            sink += v[0];
            n += 1;
        }
    }
    let total = t_small + t_desc;
    println!(
        "builtin, one thread: {n} frames, {:.3} ms/frame (downscale {:.3} + descriptor {:.3}) = {:.0} frames/s  [{sink:.1}]",
        total / n as f64 * 1e3,
        t_small / n as f64 * 1e3,
        t_desc / n as f64 * 1e3,
        n as f64 / total
    );
    if clip {
        clip_speed(&frames)?;
    }
    Ok(())
}

#[cfg(feature = "clip")]
fn clip_speed(frames: &[RgbImage]) -> Result<(), Box<dyn std::error::Error>> {
    use framesift::embed::clip::testing::write_random_clip;
    use framesift::embed::{resolve_model, ClipEmbedder, Embedder};
    // ViT-B/32: every size at transformers' defaults.
    let dir = std::env::temp_dir().join("framesift-vit-b32-random");
    if !dir.join("model.safetensors").exists() {
        write_random_clip(&dir, "{}")?;
    }
    let files = resolve_model(&dir.to_string_lossy(), None)?;
    for batch in [1usize, 8, 32] {
        let model = ClipEmbedder::load(&files, batch)?;
        let imgs: Vec<&RgbImage> = frames.iter().cycle().take(batch.max(16)).collect();
        model.embed_images(&imgs[..batch.min(imgs.len())])?; // warm-up
        let s = Instant::now();
        let v = model.embed_images(&imgs)?;
        let secs = s.elapsed().as_secs_f64();
        println!(
            "clip ViT-B/32 (random weights), batch {batch}: {} images in {secs:.2} s = {:.1} images/s ({:.0} ms/image), dim {}",
            imgs.len(),
            imgs.len() as f64 / secs,
            secs / imgs.len() as f64 * 1e3,
            v[0].len()
        );
    }
    let model = ClipEmbedder::load(&files, 1)?;
    let s = Instant::now();
    model.embed_texts(&["a photo of a cat"; 8])?;
    println!(
        "clip text tower: {:.0} ms per prompt (8 prompts)",
        s.elapsed().as_secs_f64() / 8.0 * 1e3
    );
    Ok(())
}

#[cfg(not(feature = "clip"))]
fn clip_speed(_: &[RgbImage]) -> Result<(), Box<dyn std::error::Error>> {
    Err("built without the clip feature".into())
}
