//! NumPy `.npy` files (format version 1.0) of little-endian `float32`
//! matrices: what `numpy.load` reads without any extra package.

use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::output::write_atomic;

/// Writes `rows` (all of width `dim`) to `path` as an `(n, dim)` float32
/// array, atomically.
pub fn write_npy_f32<R: AsRef<[f32]>>(path: &Path, rows: &[R], dim: usize) -> Result<()> {
    let mut bytes = npy_header(rows.len(), dim);
    bytes.reserve(rows.len() * dim * 4);
    for row in rows {
        let row = row.as_ref();
        if row.len() != dim {
            return Err(Error::io(
                path,
                "cannot write embeddings",
                io::Error::other(format!("a row has {} values, expected {dim}", row.len())),
            ));
        }
        for x in row {
            bytes.write_all(&x.to_le_bytes()).ok();
        }
    }
    write_atomic(path, &bytes).map_err(|e| Error::io(path, "cannot write embeddings", e))
}

fn npy_header(n: usize, dim: usize) -> Vec<u8> {
    let dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({n}, {dim}), }}");
    // Magic (6) + version (2) + header length (2) + dict + padding + '\n',
    // a multiple of 64 bytes.
    let unpadded = 10 + dict.len() + 1;
    let pad = (64 - unpadded % 64) % 64;
    let header_len = dict.len() + pad + 1;
    let mut out = Vec::with_capacity(10 + header_len);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header_len as u16).to_le_bytes());
    out.extend_from_slice(dict.as_bytes());
    out.extend(std::iter::repeat_n(b' ', pad));
    out.push(b'\n');
    out
}

/// Reads an `(n, dim)` float32 `.npy` file written by [`write_npy_f32`] (or
/// by numpy, C order): returns the rows and `dim`.
pub fn read_npy_f32(path: &Path) -> Result<(Vec<Vec<f32>>, usize)> {
    let bad = |why: &str| {
        Error::io(
            path,
            "cannot read embeddings",
            io::Error::new(io::ErrorKind::InvalidData, why.to_string()),
        )
    };
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "cannot read embeddings", e))?;
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" || bytes[6] != 1 {
        return Err(bad("not a version 1 .npy file"));
    }
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let data_at = 10 + header_len;
    let header = bytes
        .get(10..data_at)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad("truncated header"))?;
    if !header.contains("'<f4'") || header.contains("'fortran_order': True") {
        return Err(bad("expected a C-order float32 array"));
    }
    let shape = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| bad("no shape"))?;
    let dims: Vec<usize> = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| bad("bad shape")))
        .collect::<Result<_>>()?;
    let (n, dim) = match dims[..] {
        [n, d] => (n, d),
        _ => return Err(bad("expected a 2-D array")),
    };
    let data = &bytes[data_at..];
    if data.len() != n * dim * 4 {
        return Err(bad("data length does not match the shape"));
    }
    let values: Vec<f32> = data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let rows = if dim == 0 {
        vec![Vec::new(); n]
    } else {
        values.chunks(dim).map(<[f32]>::to_vec).collect()
    };
    Ok((rows, dim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_header_is_aligned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.npy");
        let rows = vec![vec![1.0, -2.5, 3.25], vec![0.0, 0.5, f32::MAX]];
        write_npy_f32(&path, &rows, 3).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        assert_eq!((10 + header_len) % 64, 0);
        assert_eq!(bytes.len(), 10 + header_len + 6 * 4);
        let (back, dim) = read_npy_f32(&path).unwrap();
        assert_eq!((back, dim), (rows, 3));
    }

    #[test]
    fn ragged_rows_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.npy");
        let rows: [&[f32]; 2] = [&[1.0], &[1.0, 2.0]];
        let err = write_npy_f32(&path, &rows, 1).unwrap_err();
        assert!(err.to_string().contains("expected 1"), "{err}");
        assert!(!path.exists());
    }
}
