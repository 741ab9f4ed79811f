//! Coreset (k-center greedy) speed and memory on random unit vectors:
//! `cargo run --release --example select_speed -- N DIM K [SEED]`.
//! Prints one line: n, dim, k, seconds, matrix MiB, peak RSS MiB.
use std::time::Instant;

use framesift::select::{select, Matrix, SelectConfig, SplitMix64};

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let (n, dim, k) = match args[..] {
        [n, d, k, ..] => (n, d, k),
        _ => return Err("usage: select_speed N DIM K [SEED]".into()),
    };
    let seed = args.get(3).copied().unwrap_or(1) as u64;
    let rss_before = peak_rss_mib();
    // Random unit vectors (uniform in [-1, 1] per value, then normalised),
    // written straight into the matrix buffer.
    let mut rng = SplitMix64::new(seed);
    let mut data = Vec::with_capacity(n * dim);
    for _ in 0..n {
        let start = data.len();
        data.extend((0..dim).map(|_| (rng.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0));
        framesift::embed::l2_normalize(&mut data[start..]);
    }
    let m = Matrix::from_flat(data, dim);
    let matrix_mib = m.bytes() as f64 / (1024.0 * 1024.0);
    let cfg = SelectConfig {
        n: Some(k),
        seed,
        ..Default::default()
    };
    let s = Instant::now();
    let sel = select(&m, &cfg)?;
    let secs = s.elapsed().as_secs_f64();
    println!(
        "n={n} dim={dim} k={k} chosen={} seconds={secs:.3} matrix_mib={matrix_mib:.1} peak_rss_mib={:.1} base_rss_mib={rss_before:.1}",
        sel.chosen.len(),
        peak_rss_mib()
    );
    Ok(())
}
