//! Per-layer time of framesift's TransNetV2 on a video's frames, for
//! `scripts/bench-transnet.sh`: `cargo run --release --example
//! transnet_profile -- WEIGHTS VIDEO [FRAMES]`. Frames come from the ffmpeg
//! CLI (`-s 48x27 -pix_fmt rgb24`), so only the network is timed.

use std::process::Command;
use std::time::Instant;

use framesift::shots::transnet::{TransNetV2, FRAME_BYTES};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (weights, video) = match args.as_slice() {
        [w, v, ..] => (w, v),
        _ => return Err("usage: transnet_profile WEIGHTS VIDEO [FRAMES]".into()),
    };
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-v", "error", "-i", video]);
    if let Some(n) = args.get(2) {
        cmd.args(["-frames:v", n]);
    }
    let raw = cmd
        .args(["-s", "48x27", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"])
        .output()?
        .stdout;
    let model = TransNetV2::load(std::path::Path::new(weights))?;
    let mut stream = model.stream().with_profile();
    let start = Instant::now();
    for (i, f) in raw.chunks_exact(FRAME_BYTES).enumerate() {
        stream.push(i as f64, f)?;
    }
    let layers = stream.profile().layers.clone();
    let n = raw.len() / FRAME_BYTES;
    let _ = stream.finish()?;
    let secs = start.elapsed().as_secs_f64();
    let windows = n.div_ceil(50);
    println!("frames {n}, windows {windows}, {secs:.2} s, {:.1} frames/s", n as f64 / secs);
    for (name, s) in layers {
        println!("{name:<24} {:>8.1} ms/window", 1e3 * s / windows as f64);
    }
    Ok(())
}
