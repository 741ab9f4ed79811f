//! A dense row-major matrix of embeddings with precomputed squared norms,
//! the input of every selection method.

use crate::embed::dot;

/// `n` vectors of width `dim`, stored contiguously.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    dim: usize,
    data: Vec<f32>,
    norms: Vec<f32>,
}

impl Matrix {
    /// A matrix from rows; rows longer or shorter than the first are
    /// truncated or zero-padded to its width.
    pub fn from_rows(rows: &[Vec<f32>]) -> Self {
        let dim = rows.first().map_or(0, Vec::len);
        let mut data = Vec::with_capacity(rows.len() * dim);
        for r in rows {
            data.extend(r.iter().copied().chain(std::iter::repeat(0.0)).take(dim));
        }
        Matrix::from_flat(data, dim)
    }

    /// A matrix from `n × dim` values in row order (a trailing partial row
    /// is dropped).
    pub fn from_flat(mut data: Vec<f32>, dim: usize) -> Self {
        match data.len().checked_div(dim) {
            Some(rows) => data.truncate(rows * dim),
            None => data.clear(),
        }
        let norms = if dim == 0 {
            Vec::new()
        } else {
            data.chunks_exact(dim).map(|r| dot(r, r)).collect()
        };
        Matrix { dim, data, norms }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.norms.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }

    /// Width of each row.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// Squared Euclidean distance between rows `i` and `j`.
    pub fn dist2(&self, i: usize, j: usize) -> f32 {
        (self.norms[i] + self.norms[j] - 2.0 * dot(self.row(i), self.row(j))).max(0.0)
    }

    /// Squared distance from row `i` to an outside vector with squared
    /// norm `norm2`.
    pub fn dist2_to(&self, i: usize, v: &[f32], norm2: f32) -> f32 {
        (self.norms[i] + norm2 - 2.0 * dot(self.row(i), v)).max(0.0)
    }

    /// Squared norm of row `i`.
    pub fn norm2(&self, i: usize) -> f32 {
        self.norms[i]
    }

    /// The rows at `indices`, as a new matrix.
    pub fn subset(&self, indices: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(indices.len() * self.dim);
        for &i in indices {
            data.extend_from_slice(self.row(i));
        }
        Matrix::from_flat(data, self.dim)
    }

    /// Bytes held by the values.
    pub fn bytes(&self) -> usize {
        self.data.len() * 4
    }
}
