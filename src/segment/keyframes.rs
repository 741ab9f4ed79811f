//! Keyframes of a segment: the medoid first (the frame closest to all
//! others), then farthest-point additions while they add diversity.

use super::config::SegmentConfig;
use crate::embed::l2_distance;

/// Indices (into `vectors`) of the keyframes of the frames `range`:
/// `cfg.min_keyframes` of them when the range has that many, up to
/// `cfg.max_keyframes` while each new one lies at least
/// `cfg.keyframe_min_distance` from all chosen so far. Medoid first.
pub fn pick_keyframes<V: AsRef<[f32]>>(
    vectors: &[V],
    range: std::ops::Range<usize>,
    cfg: &SegmentConfig,
) -> Vec<usize> {
    let idx: Vec<usize> = range.collect();
    pick_keyframes_among(vectors, &idx, cfg)
}

/// [`pick_keyframes`] over the frames `among` (indices into `vectors`).
pub fn pick_keyframes_among<V: AsRef<[f32]>>(
    vectors: &[V],
    among: &[usize],
    cfg: &SegmentConfig,
) -> Vec<usize> {
    let idx: Vec<usize> = among
        .iter()
        .copied()
        .filter(|&i| i < vectors.len())
        .collect();
    if idx.is_empty() {
        return Vec::new();
    }
    let d = |a: usize, b: usize| l2_distance(vectors[a].as_ref(), vectors[b].as_ref());
    let medoid = idx
        .iter()
        .copied()
        .min_by(|&a, &b| {
            let sa: f32 = idx.iter().map(|&o| d(a, o)).sum();
            let sb: f32 = idx.iter().map(|&o| d(b, o)).sum();
            sa.total_cmp(&sb)
        })
        .unwrap_or(idx[0]);
    let mut chosen = vec![medoid];
    let mut nearest: Vec<f32> = idx.iter().map(|&o| d(medoid, o)).collect();
    while chosen.len() < cfg.max_keyframes.min(idx.len()) {
        let Some((k, &far)) = nearest.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)) else {
            break;
        };
        if chosen.len() >= cfg.min_keyframes && far < cfg.keyframe_min_distance {
            break;
        }
        let pick = idx[k];
        if chosen.contains(&pick) {
            break; // every frame is a keyframe already
        }
        chosen.push(pick);
        for (n, &o) in nearest.iter_mut().zip(&idx) {
            *n = n.min(d(pick, o));
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medoid_first_then_diversity_up_to_the_maximum() {
        // Mostly A, with one B and one C far away.
        let v: Vec<Vec<f32>> = vec![
            vec![0.0, 0.0],
            vec![0.01, 0.0],
            vec![0.0, 0.01],
            vec![1.0, 0.0],
            vec![0.0, 1.0],
        ];
        let cfg = SegmentConfig::default();
        let k = pick_keyframes(&v, 0..5, &cfg);
        assert!(k[0] <= 2, "the medoid is one of the A frames: {k:?}");
        assert!(k.contains(&3) && k.contains(&4), "{k:?}");
        assert!(k.len() <= cfg.max_keyframes);
    }

    #[test]
    fn a_static_segment_gets_the_minimum_and_tiny_ones_what_they_have() {
        let v: Vec<Vec<f32>> = (0..10).map(|i| vec![i as f32 * 0.001, 0.0]).collect();
        let cfg = SegmentConfig::default();
        assert_eq!(pick_keyframes(&v, 0..10, &cfg).len(), 2);
        assert_eq!(pick_keyframes(&v, 3..4, &cfg), vec![3]);
        assert!(pick_keyframes(&v, 4..4, &cfg).is_empty());
    }
}
