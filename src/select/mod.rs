//! Choosing N diverse frames from many candidates by their embeddings:
//! k-center greedy (`coreset`), `random`, or `uniform` (every k-th, what a
//! fixed frame rate gives), after removing exact duplicates (and, in the
//! command, frames in the middle of a crossfade); and the diversity report
//! that compares them.
//!
//! May depend on: embed, error, frame, output, segment, stats.

mod diversity;
mod frames;
mod kcenter;
mod matrix;
mod rng;
mod scan;
mod transitions;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use diversity::{diversity, to_csv, to_table, Diversity, MAX_PAIRWISE_ROWS};
pub use frames::{
    select_frames, select_frames_seeded, write_report, DIVERSITY_CSV, DIVERSITY_JSON,
};
pub use kcenter::{
    coverage_radius, k_center_greedy, k_center_greedy_from, k_center_greedy_with, Coreset,
};
pub use matrix::Matrix;
pub use rng::SplitMix64;
pub use scan::Rows;
pub use scan::{dot_f16, f16_supported, F16_MIN_VALUES};
pub use transitions::mid_transition;

/// How frames are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Every distinct scene's best frame first (the longest scenes first
    /// when there are more scenes than frames to choose), then k-center
    /// greedy fill. Without scene representatives, the same as `Coreset`
    /// (the command line's default; the library's is `Coreset`, since
    /// scene representatives come from a scene plan).
    Scenes,
    /// k-center greedy: each pick is the frame farthest from all picks so far.
    #[default]
    Coreset,
    /// A seeded random sample.
    Random,
    /// Evenly spaced in time (every k-th candidate).
    Uniform,
}

impl std::str::FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "scenes" => Ok(Method::Scenes),
            "coreset" => Ok(Method::Coreset),
            "random" => Ok(Method::Random),
            "uniform" => Ok(Method::Uniform),
            other => Err(Error::config(
                "method",
                format!("'{other}' (expected scenes, coreset, random or uniform)"),
            )),
        }
    }
}

/// How many frames to choose and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectConfig {
    /// The method.
    pub method: Method,
    /// Choose this many frames.
    pub n: Option<usize>,
    /// Or this share of the (deduplicated) candidates, rounded up.
    pub fraction: Option<f64>,
    /// coreset: stop once every candidate is within this L2 distance of a
    /// chosen frame.
    pub min_distance: Option<f32>,
    /// Seed for `random` and for coreset's first pick.
    pub seed: u64,
    /// Remove candidates whose embedding equals an earlier one first.
    pub dedup: bool,
}

impl Default for SelectConfig {
    fn default() -> Self {
        SelectConfig {
            method: Method::Coreset,
            n: None,
            fraction: None,
            min_distance: None,
            seed: 0,
            dedup: true,
        }
    }
}

impl SelectConfig {
    /// Checks the values; the error names the setting.
    pub fn validate(&self) -> Result<()> {
        if self.n.is_none() && self.fraction.is_none() && self.min_distance.is_none() {
            return Err(Error::config("n", "give `n`, `fraction` or `min_distance`"));
        }
        if self.n == Some(0) {
            return Err(Error::config("n", "0 frames: give 1 or more"));
        }
        if self.n.is_some() && self.fraction.is_some() {
            return Err(Error::config(
                "fraction",
                "give `n` or `fraction`, not both",
            ));
        }
        if let Some(f) = self.fraction {
            if !(f > 0.0 && f <= 1.0) {
                return Err(Error::config("fraction", format!("{f} is not in (0, 1]")));
            }
        }
        if let Some(r) = self.min_distance {
            if !(r >= 0.0 && r.is_finite()) {
                return Err(Error::config("min_distance", format!("{r} is not ≥ 0")));
            }
            let farthest_point = matches!(self.method, Method::Coreset | Method::Scenes);
            if !farthest_point && self.n.is_none() && self.fraction.is_none() {
                return Err(Error::config(
                    "min_distance",
                    "only the coreset method stops at a distance; give `n` or `fraction`",
                ));
            }
        }
        Ok(())
    }

    /// The number of frames to choose from `candidates` (unbounded when
    /// only `min_distance` is set).
    pub fn budget(&self, candidates: usize) -> usize {
        let from_fraction = self
            .fraction
            .map(|f| ((candidates as f64 * f).ceil() as usize).max(1));
        match (self.n, from_fraction) {
            (Some(n), Some(f)) => n.min(f),
            (Some(n), None) => n,
            (None, Some(f)) => f,
            (None, None) => candidates,
        }
        .min(candidates)
    }
}

/// The outcome of a selection over a matrix of candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// Chosen candidate rows, in time (row) order.
    pub chosen: Vec<usize>,
    /// Candidate rows removed as exact duplicates of an earlier row.
    pub duplicates: Vec<usize>,
    /// The candidates that took part (rows not removed), in order.
    pub unique: Vec<usize>,
}

/// Rows whose vector is bit-for-bit equal to an earlier row's are
/// duplicates; returns `(unique, duplicates)`. Rows are bucketed by a hash
/// of their bits and compared only within a bucket, so no copy of the
/// matrix is made.
pub fn exact_duplicates(m: &Matrix) -> (Vec<usize>, Vec<usize>) {
    use std::hash::{Hash, Hasher};
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::with_capacity(m.len());
    let (mut unique, mut dups) = (Vec::new(), Vec::new());
    for i in 0..m.len() {
        let row = m.row(i);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        row.iter().for_each(|x| x.to_bits().hash(&mut h));
        let bucket = buckets.entry(h.finish()).or_default();
        let same_bits = |j: &usize| {
            m.row(*j)
                .iter()
                .zip(row)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        };
        if bucket.iter().any(same_bits) {
            dups.push(i);
        } else {
            bucket.push(i);
            unique.push(i);
        }
    }
    (unique, dups)
}

/// `k` of `0..n`, evenly spaced (the middle of each of `k` equal spans).
pub fn uniform(n: usize, k: usize) -> Vec<usize> {
    let k = k.min(n);
    (0..k)
        .map(|i| (((2 * i + 1) * n) / (2 * k)).min(n - 1))
        .collect()
}

/// `k` of `0..n` at random (seeded), sorted.
pub fn random(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let k = k.min(n);
    let mut pool: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix64::new(seed);
    for i in 0..k {
        let j = i + rng.below(n - i);
        pool.swap(i, j);
    }
    pool.truncate(k);
    pool.sort_unstable();
    pool
}

/// Chooses frames from the candidate embeddings `m` (rows in time order).
pub fn select(m: &Matrix, cfg: &SelectConfig) -> Result<Selection> {
    select_seeded(m, cfg, &[])
}

/// [`select`], where `Method::Scenes` takes the rows `seeds` first (scene
/// representatives, most important first) and fills with k-center greedy.
pub fn select_seeded(m: &Matrix, cfg: &SelectConfig, seeds: &[usize]) -> Result<Selection> {
    cfg.validate()?;
    let (unique, duplicates) = if cfg.dedup {
        exact_duplicates(m)
    } else {
        ((0..m.len()).collect(), Vec::new())
    };
    // Copy the matrix only when rows were removed.
    let copy;
    let sub = if duplicates.is_empty() {
        m
    } else {
        copy = m.subset(&unique);
        &copy
    };
    let k = cfg.budget(sub.len());
    let picked: Vec<usize> = match cfg.method {
        Method::Uniform => uniform(sub.len(), k),
        Method::Random => random(sub.len(), k, cfg.seed),
        Method::Coreset | Method::Scenes => {
            let position: HashMap<usize, usize> =
                unique.iter().enumerate().map(|(p, &i)| (i, p)).collect();
            let mut start: Vec<usize> = Vec::new();
            if cfg.method == Method::Scenes {
                for p in seeds.iter().filter_map(|i| position.get(i)) {
                    if !start.contains(p) {
                        start.push(*p);
                    }
                }
            }
            if sub.is_empty() {
                Vec::new()
            } else if start.is_empty() {
                let first = SplitMix64::new(cfg.seed).below(sub.len());
                k_center_greedy(sub, k, first, cfg.min_distance).indices
            } else {
                let rows = Rows::new(sub, false);
                k_center_greedy_from(&rows, sub, k, &start, cfg.min_distance).indices
            }
        }
    };
    let mut chosen: Vec<usize> = picked.into_iter().map(|i| unique[i]).collect();
    chosen.sort_unstable();
    Ok(Selection {
        chosen,
        duplicates,
        unique,
    })
}

/// The diversity report of a selection: the candidates, uniform and random
/// at the same size, and the selection itself (unless it is one of those).
pub fn report(m: &Matrix, sel: &Selection, cfg: &SelectConfig) -> Vec<Diversity> {
    let sub = m.subset(&sel.unique);
    let position: HashMap<usize, usize> = sel
        .unique
        .iter()
        .enumerate()
        .map(|(p, &i)| (i, p))
        .collect();
    let chosen: Vec<usize> = sel
        .chosen
        .iter()
        .filter_map(|i| position.get(i).copied())
        .collect();
    let k = chosen.len();
    let all: Vec<usize> = (0..sub.len()).collect();
    let mut rows = vec![diversity("candidates", &sub, &all, 0.0)];
    let uni = uniform(sub.len(), k);
    rows.push(diversity(
        "uniform",
        &sub,
        &uni,
        coverage_radius(&sub, &uni),
    ));
    let rnd = random(sub.len(), k, cfg.seed);
    rows.push(diversity("random", &sub, &rnd, coverage_radius(&sub, &rnd)));
    if matches!(cfg.method, Method::Coreset | Method::Scenes) {
        let name = if cfg.method == Method::Scenes {
            "scenes"
        } else {
            "coreset"
        };
        rows.push(diversity(
            name,
            &sub,
            &chosen,
            coverage_radius(&sub, &chosen),
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clusters() -> Matrix {
        // 3 clusters of 10 in time order, each a little spread.
        let rows: Vec<Vec<f32>> = (0..30)
            .map(|i| {
                let c = (i / 10) as f32 * 5.0;
                vec![c + (i % 10) as f32 * 0.01, -c]
            })
            .collect();
        Matrix::from_rows(&rows)
    }

    #[test]
    fn coreset_is_deterministic_for_a_seed_and_covers_clusters() {
        let m = clusters();
        let cfg = SelectConfig {
            n: Some(3),
            seed: 7,
            ..Default::default()
        };
        let a = select(&m, &cfg).unwrap();
        assert_eq!(a, select(&m, &cfg).unwrap());
        let mut which: Vec<usize> = a.chosen.iter().map(|i| i / 10).collect();
        which.dedup();
        assert_eq!(which, [0, 1, 2]);
    }

    #[test]
    fn scenes_take_the_seeds_first_then_fill_by_k_center() {
        let m = clusters();
        let cfg = SelectConfig {
            method: Method::Scenes,
            n: Some(2),
            ..Default::default()
        };
        // Seeds in order of importance: only as many as N allows.
        let two = select_seeded(&m, &cfg, &[25, 5, 15]).unwrap();
        assert_eq!(two.chosen, [5, 25]);
        let three = select_seeded(
            &m,
            &SelectConfig {
                n: Some(3),
                ..cfg.clone()
            },
            &[25, 5],
        )
        .unwrap();
        let clusters: Vec<usize> = three.chosen.iter().map(|i| i / 10).collect();
        assert_eq!(
            clusters,
            [0, 1, 2],
            "the fill covers the cluster no seed did"
        );
        assert!(three.chosen.contains(&5) && three.chosen.contains(&25));
        // Without seeds, scenes is coreset.
        let plain = SelectConfig {
            method: Method::Coreset,
            ..cfg.clone()
        };
        assert_eq!(
            select_seeded(&m, &cfg, &[]).unwrap(),
            select(&m, &plain).unwrap()
        );
    }

    #[test]
    fn exact_duplicates_are_removed_first() {
        let m = Matrix::from_rows(&[
            vec![1.0, 0.0],
            vec![1.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 0.0],
        ]);
        let sel = select(
            &m,
            &SelectConfig {
                n: Some(3),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(sel.duplicates, [1, 3]);
        assert_eq!(sel.chosen, [0, 2]);
    }

    #[test]
    fn budgets_uniform_and_random() {
        let cfg = SelectConfig {
            fraction: Some(0.25),
            ..Default::default()
        };
        assert_eq!(cfg.budget(10), 3);
        assert_eq!(uniform(10, 2), [2, 7]);
        assert_eq!(uniform(3, 5), [0, 1, 2]);
        let r = random(100, 10, 1);
        assert_eq!(r.len(), 10);
        assert_eq!(r, random(100, 10, 1));
        assert_ne!(r, random(100, 10, 2));
        assert!(SelectConfig::default().validate().is_err());
    }

    #[test]
    fn the_report_favours_coreset_on_clusters() {
        let m = clusters();
        let cfg = SelectConfig {
            n: Some(3),
            ..Default::default()
        };
        let sel = select(&m, &cfg).unwrap();
        let rows = report(&m, &sel, &cfg);
        let names: Vec<&str> = rows.iter().map(|r| r.set.as_str()).collect();
        assert_eq!(names, ["candidates", "uniform", "random", "coreset"]);
        let core = &rows[3];
        assert_eq!(core.samples, 3);
        assert!(core.min > 5.0, "one frame per cluster: {core:?}");
        assert!(core.coverage_radius < 0.2, "{core:?}");
        assert_eq!(rows[0].samples, 30);
    }
}
