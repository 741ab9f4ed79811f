//! Property: no buffer or gate loses or duplicates a frame. Every frame
//! pushed in comes out exactly once, kept or dropped, whatever the
//! sequence of pictures and the settings.

use framesift::buffer::{BufferConfig, BufferKind, Verdict};
use framesift::frame::{Candidate, FrameMeta, RgbImage};
use framesift::gate::{BlurMethod, GateConfig};
use proptest::prelude::*;

/// One of 6 small pictures (so repeats are common), shaded by `shade`.
fn picture(id: u8, shade: u8) -> RgbImage {
    RgbImage::from_fn(24, 16, |x, y| {
        let v = (((x / 3) as u64 * 7919 + (y / 3) as u64 * 104_729 + id as u64 * 1_299_709)
            .wrapping_mul(2_654_435_761)
            >> 13) as u8;
        image::Rgb([v.saturating_add(shade), v / 2, 255 - v])
    })
}

fn candidate(i: usize, id: u8, shade: u8) -> Candidate {
    let meta = FrameMeta {
        time: i as f64,
        pts_time: i as f64,
        pts: i as i64,
        frame_index: i as u64,
        decode_index: i as u64,
        key_frame: true,
    };
    Candidate::new(meta, picture(id, shade))
}

fn buffer_config() -> impl Strategy<Value = BufferConfig> {
    (
        0usize..6,
        1usize..8,
        2usize..6,
        1usize..4,
        1usize..5,
        0u32..6,
    )
        .prop_map(|(k, size, hash_size, grid, hits, hamming)| {
            let kind = [
                BufferKind::Hash,
                BufferKind::Grid,
                BufferKind::Entropy,
                BufferKind::Gzip,
                BufferKind::SlidingTopK,
                BufferKind::Passthrough,
            ][k];
            BufferConfig {
                kind,
                size: Some(size),
                hash_size: Some(hash_size),
                expiry: Some(size + 1 + hits),
                grid_x: Some(grid),
                grid_y: Some(grid),
                max_hits: Some(hits),
                max_hamming: Some(hamming.min((hash_size * hash_size) as u32 - 1)),
                ..BufferConfig::of(kind)
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_frame_comes_out_exactly_once(
        cfg in buffer_config(),
        frames in prop::collection::vec((0u8..6, 0u8..3), 0..40),
        gated in any::<bool>(),
    ) {
        let mut buffer = cfg.build().unwrap();
        let gate_cfg = if gated {
            GateConfig::All { gates: vec![
                GateConfig::Dark { min_luma: 60.0, min_contrast: 4.0 },
                GateConfig::Blur { method: BlurMethod::Laplacian, threshold: Some(500.0) },
            ]}
        } else {
            GateConfig::Pass
        };
        let mut gate = gate_cfg.build().unwrap();
        let mut from_buffer = Vec::new();
        for (i, &(id, shade)) in frames.iter().enumerate() {
            buffer.push(candidate(i, id, shade), &mut from_buffer);
        }
        buffer.flush(&mut from_buffer);
        let mut out = Vec::new();
        let mut kept_by_buffer = 0;
        for v in from_buffer {
            match v {
                Verdict::Keep(c) => { kept_by_buffer += 1; gate.push(c, &mut out).unwrap() }
                dropped => out.push(dropped),
            }
        }
        gate.flush(&mut out).unwrap();
        let mut seen: Vec<u64> = out.iter().map(|v| v.candidate().meta.decode_index).collect();
        seen.sort_unstable();
        let expected: Vec<u64> = (0..frames.len() as u64).collect();
        prop_assert_eq!(seen, expected);
        let kept = out.iter().filter(|v| matches!(v, Verdict::Keep(_))).count();
        prop_assert!(kept <= kept_by_buffer);
        if cfg.kind == BufferKind::Passthrough {
            prop_assert_eq!(kept_by_buffer, frames.len());
        }
        if !frames.is_empty() && matches!(cfg.kind, BufferKind::Hash | BufferKind::Passthrough) {
            // The first frame is never a duplicate.
            prop_assert!(kept_by_buffer >= 1);
        }
    }
}
