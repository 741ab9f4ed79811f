use super::*;

fn load_rgb(name: &str) -> (Vec<u8>, usize, usize) {
    let path = format!("{}/tests/fixtures/hash/{name}", env!("CARGO_MANIFEST_DIR"));
    let img = image::open(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .to_rgb8();
    let (w, h) = img.dimensions();
    (img.into_raw(), w as usize, h as usize)
}

/// Every hash of every fixture equals Python ImageHash 4.3.2's value
/// (tests/fixtures/hash/make_hash_fixtures.py made them).
#[test]
fn hashes_match_python_imagehash() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/hash/expected.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut mismatches = Vec::new();
    for case in cases {
        let name = case["image"].as_str().unwrap();
        let n = case["hash_size"].as_u64().unwrap() as usize;
        let (rgb, w, h) = load_rgb(name);
        for kind in HashKind::ALL {
            let got = hash_rgb(kind, &rgb, w, h, n).to_hex();
            let want = case[kind.name()].as_str().unwrap();
            if got != want {
                mismatches.push(format!("{name} {kind}{n}: got {got}, want {want}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn hex_round_trips_and_pads_like_imagehash() {
    // 25 bits (hash_size 5) → 7 hex digits, value right-aligned.
    let mut bits = vec![false; 25];
    bits[24] = true;
    bits[0] = true;
    let h = ImageHash::from_bits(bits.clone());
    assert_eq!(h.to_hex(), "1000001");
    assert_eq!(ImageHash::from_hex("1000001", 25), Some(h));
    assert_eq!(ImageHash::from_hex("f000001", 25), None);
    assert_eq!(ImageHash::from_hex("xyz", 12), None);
}

#[test]
fn hamming_counts_differing_bits() {
    let a = ImageHash::from_hex("d4c5e9c187a1e1f8", 64).unwrap();
    let b = ImageHash::from_hex("d4c5e9c187a1e1f9", 64).unwrap();
    let c = ImageHash::from_hex("2b3a163e785e1e07", 64).unwrap();
    assert_eq!(a.hamming(&a), 0);
    assert_eq!(a.hamming(&b), 1);
    assert_eq!(a.hamming(&c), 64);
}

#[test]
fn hash_kind_parses_case_insensitively() {
    assert_eq!("PHASH".parse::<HashKind>(), Ok(HashKind::Phash));
    assert!("md5"
        .parse::<HashKind>()
        .unwrap_err()
        .contains("phash, ahash, dhash"));
}

#[test]
fn median_is_numpy_median() {
    assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), 2.5);
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
}
