//! Properties of selection: every method returns distinct candidates in
//! time order, exactly the budget when candidates are distinct, never a
//! removed duplicate, and the same answer for the same seed.

use framesift::select::{select, Matrix, Method, SelectConfig};
use proptest::prelude::*;

fn points() -> impl Strategy<Value = Vec<Vec<f32>>> {
    // Integer coordinates: distinct points are at least 1 apart, and
    // repeats (exact duplicates) are likely.
    prop::collection::vec(prop::collection::vec(-3i8..=3, 3), 0..60).prop_map(|v| {
        v.into_iter()
            .map(|p| p.into_iter().map(f32::from).collect())
            .collect()
    })
}

proptest! {
    #[test]
    fn selections_are_valid_and_deterministic(
        rows in points(),
        k in 1usize..20,
        seed in any::<u64>(),
        method in prop::sample::select(vec![Method::Coreset, Method::Random, Method::Uniform]),
    ) {
        let m = Matrix::from_rows(&rows);
        let cfg = SelectConfig { method, n: Some(k), seed, ..Default::default() };
        let sel = select(&m, &cfg).unwrap();
        prop_assert_eq!(&sel, &select(&m, &cfg).unwrap());
        // Sorted, distinct, drawn from the unique candidates.
        prop_assert!(sel.chosen.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(sel.chosen.iter().all(|i| sel.unique.contains(i)));
        prop_assert_eq!(sel.chosen.len(), k.min(sel.unique.len()));
        // Every candidate is either unique or a duplicate, never both.
        prop_assert_eq!(sel.unique.len() + sel.duplicates.len(), rows.len());
        for &d in &sel.duplicates {
            prop_assert!(sel.unique.iter().any(|&u| u < d && rows[u] == rows[d]));
        }
    }
}
