//! Perceptual hashes defined like Python's ImageHash (pHash, aHash, dHash).
//!
//! All three start from Pillow's `convert("L")` and LANCZOS resize, which
//! [`pil`] reproduces bit for bit, so a hash computed here on the same RGB
//! pixels has the same hex string as `str(imagehash.phash(img))`.
//!
//! May depend on: nothing.

pub mod pil;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use pil::{GrayImage, Rect};

/// Which perceptual hash to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum HashKind {
    /// DCT hash (`imagehash.phash`, highfreq_factor 4): robust to small edits.
    #[default]
    Phash,
    /// Average hash (`imagehash.average_hash`).
    Ahash,
    /// Difference hash (`imagehash.dhash`, horizontal gradient).
    Dhash,
}

impl HashKind {
    /// All kinds, for help texts and error messages.
    pub const ALL: [HashKind; 3] = [HashKind::Phash, HashKind::Ahash, HashKind::Dhash];

    /// The lowercase name used on the command line and in manifests.
    pub fn name(self) -> &'static str {
        match self {
            HashKind::Phash => "phash",
            HashKind::Ahash => "ahash",
            HashKind::Dhash => "dhash",
        }
    }
}

impl fmt::Display for HashKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HashKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HashKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown hash '{s}' (expected one of: phash, ahash, dhash)"))
    }
}

/// A perceptual hash: `bits` in row-major order, most significant first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageHash {
    bits: Vec<bool>,
}

impl ImageHash {
    /// Builds a hash from its bits (row-major, first bit most significant).
    pub fn from_bits(bits: Vec<bool>) -> Self {
        ImageHash { bits }
    }

    /// The bits, row-major.
    pub fn bits(&self) -> &[bool] {
        &self.bits
    }

    /// Number of differing bits; hashes of different lengths differ in
    /// every bit of the longer one.
    pub fn hamming(&self, other: &ImageHash) -> u32 {
        if self.bits.len() != other.bits.len() {
            return self.bits.len().max(other.bits.len()) as u32;
        }
        self.bits
            .iter()
            .zip(&other.bits)
            .filter(|(a, b)| a != b)
            .count() as u32
    }

    /// Lowercase hex, zero-padded to `ceil(bits / 4)` digits, exactly as
    /// ImageHash's `str(hash)`.
    pub fn to_hex(&self) -> String {
        let n = self.bits.len();
        let width = n.div_ceil(4);
        let mut digits = vec![0u8; width];
        // Right-align the bit string: the last bit is the least significant.
        for (i, &b) in self.bits.iter().rev().enumerate() {
            if b {
                digits[width - 1 - i / 4] |= 1 << (i % 4);
            }
        }
        digits
            .iter()
            .map(|d| char::from_digit(*d as u32, 16).unwrap_or('0'))
            .collect()
    }

    /// Parses the hex form written by [`ImageHash::to_hex`] for a hash of
    /// `n_bits` bits.
    pub fn from_hex(hex: &str, n_bits: usize) -> Option<ImageHash> {
        let mut bits = Vec::with_capacity(hex.len() * 4);
        for c in hex.chars() {
            let d = c.to_digit(16)?;
            for shift in (0..4).rev() {
                bits.push(d >> shift & 1 == 1);
            }
        }
        if bits.len() < n_bits {
            return None;
        }
        let extra = bits.len() - n_bits;
        if bits[..extra].iter().any(|&b| b) {
            return None;
        }
        Some(ImageHash::from_bits(bits.split_off(extra)))
    }
}

impl fmt::Display for ImageHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Computes the hash of kind `kind` with `hash_size` (≥ 2) on a gray image.
pub fn hash_gray(kind: HashKind, gray: &GrayImage, hash_size: usize) -> ImageHash {
    let (w, h) = thumbnail_size(kind, hash_size);
    hash_thumbnail(kind, &pil::resize_lanczos(gray, w, h), hash_size)
}

/// The hash of an already resized thumbnail.
fn hash_thumbnail(kind: HashKind, small: &GrayImage, hash_size: usize) -> ImageHash {
    match kind {
        HashKind::Phash => phash_bits(small, hash_size),
        HashKind::Ahash => ahash_bits(small),
        HashKind::Dhash => dhash_bits(small, hash_size),
    }
}

/// Computes the hash of kind `kind` on packed RGB24 pixels.
pub fn hash_rgb(
    kind: HashKind,
    rgb: &[u8],
    width: usize,
    height: usize,
    hash_size: usize,
) -> ImageHash {
    hash_rgb_region(kind, rgb, width, Rect::full(width, height), hash_size)
}

/// The hash of the `region` of a gray image, as ImageHash computes it on
/// `img.crop(box)` of an `L` image.
pub fn hash_gray_region(
    kind: HashKind,
    gray: &GrayImage,
    region: Rect,
    hash_size: usize,
) -> ImageHash {
    let (w, h) = thumbnail_size(kind, hash_size);
    hash_thumbnail(
        kind,
        &pil::resize_lanczos_region(gray, region, w, h),
        hash_size,
    )
}

/// The hash of an RGB image (e.g. a frame's full-resolution picture).
pub fn hash_image(kind: HashKind, img: &image::RgbImage, hash_size: usize) -> ImageHash {
    let (w, h) = (img.width() as usize, img.height() as usize);
    hash_rgb(kind, img.as_raw(), w, h, hash_size)
}

/// The hash of the `region` of a packed RGB24 image `width` pixels wide,
/// as ImageHash computes it on `img.crop(box)`.
pub fn hash_rgb_region(
    kind: HashKind,
    rgb: &[u8],
    width: usize,
    region: Rect,
    hash_size: usize,
) -> ImageHash {
    let (w, h) = thumbnail_size(kind, hash_size);
    hash_thumbnail(
        kind,
        &pil::luma_thumbnail_region(rgb, width, region, w, h),
        hash_size,
    )
}

/// The thumbnail each hash is computed on.
fn thumbnail_size(kind: HashKind, hash_size: usize) -> (usize, usize) {
    match kind {
        HashKind::Phash => (hash_size * 4, hash_size * 4),
        HashKind::Ahash => (hash_size, hash_size),
        HashKind::Dhash => (hash_size + 1, hash_size),
    }
}

/// `imagehash.phash(img, hash_size, highfreq_factor=4)`: unnormalised 2-D
/// DCT-II of the 4N×4N LANCZOS thumbnail, top-left N×N block compared with
/// its median.
pub fn phash(gray: &GrayImage, hash_size: usize) -> ImageHash {
    hash_gray(HashKind::Phash, gray, hash_size)
}

fn phash_bits(small: &GrayImage, hash_size: usize) -> ImageHash {
    let m = hash_size * 4;
    let px: Vec<f64> = small.data.iter().map(|&v| v as f64).collect();
    // cos table: c[k][n] = cos(pi * k * (2n + 1) / (2M)), k < N.
    let cos: Vec<f64> = (0..hash_size)
        .flat_map(|k| {
            (0..m).map(move |n| {
                (std::f64::consts::PI * k as f64 * (2 * n + 1) as f64 / (2 * m) as f64).cos()
            })
        })
        .collect();
    // Along axis 0 (columns): a[k][j] = 2 * sum_n px[n][j] * c[k][n].
    let mut a = vec![0f64; hash_size * m];
    for k in 0..hash_size {
        for n in 0..m {
            let c = cos[k * m + n];
            for j in 0..m {
                a[k * m + j] += px[n * m + j] * c;
            }
        }
    }
    a.iter_mut().for_each(|v| *v *= 2.0);
    // Along axis 1 (rows), keeping the low frequencies only.
    let mut low = Vec::with_capacity(hash_size * hash_size);
    for k in 0..hash_size {
        for l in 0..hash_size {
            let s: f64 = (0..m).map(|j| a[k * m + j] * cos[l * m + j]).sum();
            low.push(2.0 * s);
        }
    }
    let med = median(&low);
    ImageHash::from_bits(low.iter().map(|&v| v > med).collect())
}

/// `imagehash.average_hash(img, hash_size)`: pixels of the N×N LANCZOS
/// thumbnail above their mean.
pub fn ahash(gray: &GrayImage, hash_size: usize) -> ImageHash {
    hash_gray(HashKind::Ahash, gray, hash_size)
}

fn ahash_bits(small: &GrayImage) -> ImageHash {
    let mean = small.data.iter().map(|&v| v as f64).sum::<f64>() / small.data.len().max(1) as f64;
    ImageHash::from_bits(small.data.iter().map(|&v| v as f64 > mean).collect())
}

/// `imagehash.dhash(img, hash_size)`: for the (N+1)×N LANCZOS thumbnail,
/// whether each pixel is brighter than its left neighbour.
pub fn dhash(gray: &GrayImage, hash_size: usize) -> ImageHash {
    hash_gray(HashKind::Dhash, gray, hash_size)
}

fn dhash_bits(small: &GrayImage, hash_size: usize) -> ImageHash {
    let w = hash_size + 1;
    let mut bits = Vec::with_capacity(hash_size * hash_size);
    for row in small.data.chunks_exact(w) {
        for x in 1..w {
            bits.push(row[x] > row[x - 1]);
        }
    }
    ImageHash::from_bits(bits)
}

/// numpy's median: the mean of the two middle values for an even count.
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests;
