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
    println!(
        "frames {n}, windows {windows}, {secs:.2} s, {:.1} frames/s",
        n as f64 / secs
    );
    // Multiply-adds per 100-frame window of each convolution layer.
    let conv = |stage: usize, block: usize, spatial: bool| -> f64 {
        let f = 16 << stage;
        let plane = [27 * 48, 13 * 24, 6 * 12][stage] as f64;
        let c_in = match (stage, block) {
            (0, 0) => 3,
            (_, 0) => 2 * f,
            _ => 4 * f,
        };
        let per_px = if spatial {
            8 * f * 9 * c_in
        } else {
            4 * 3 * 2 * f * f
        };
        per_px as f64 * plane * 100.0
    };
    let mut total_ms = 0.0;
    println!("{:<24} {:>9} {:>9}", "layer", "ms/window", "GFLOP/s");
    for (name, s) in &layers {
        let ms = 1e3 * s / windows as f64;
        total_ms += ms;
        let parts: Vec<&str> = name.split_whitespace().collect();
        let macs = match parts.as_slice() {
            [st, b, kind] if st.starts_with("stage") && b.starts_with("block") => {
                let stage = st[5..].parse::<usize>().unwrap_or(1) - 1;
                let block = b[5..].parse::<usize>().unwrap_or(1) - 1;
                conv(stage, block, *kind == "spatial")
            }
            _ => 0.0,
        };
        let gflops = if macs > 0.0 {
            format!("{:.1}", 2.0 * macs / (ms * 1e6))
        } else {
            "-".into()
        };
        println!("{name:<24} {ms:>9.1} {gflops:>9}");
    }
    println!("{:<24} {total_ms:>9.1}", "total");
    Ok(())
}
