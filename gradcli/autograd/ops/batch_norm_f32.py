"""float32 batch_norm as torch's CPU kernels round it (aten batch_norm_kernel.cpp):

- statistics of an (N, C, L...) input with L > 1, per channel: Σx in double, one by one, mean
  rounded to float; Σ(x − mean)² of float differences and products, in double, rounded to float;
- of an (N, C) input (the channels-last kernel): per-thread float32 sums over blocks of rows
  (FMAs for the squared differences), the blocks added in double;
- invstd = 1/sqrt(var_sum/N + eps) in double from the float var_sum/N; running_var blends in the
  unbiased var_sum/(N − 1) as one FMA, m·u + ((1 − m)·running) (running_mean: two products, a sum);
- the output is one FMA per element, x·α + β, α = invstd·weight and β = bias − mean·α (an FMA).
"""

from __future__ import annotations

import numpy as np

from .sleef_f32 import fma32

f32, f64 = np.float32, np.float64


def _row_blocks(v, squares=False):
    """Σ over rows of an (N, C) float32 array (of its squares: one FMA per row): each thread's
    block in float32, the blocks added in double."""
    from .summation import THREADS
    n = v.shape[0]
    block = -(-n // THREADS)
    total = np.zeros(v.shape[1], dtype=f64)
    for i in range(0, n, block):
        if squares:
            acc = np.zeros(v.shape[1], dtype=f32)
            for row in v[i:i + block]:
                acc = fma32(row, row, acc)
        else:
            acc = np.cumsum(v[i:i + block], axis=0, dtype=f32)[-1]
        total += acc
    return total


def stats(x):
    """(mean, var_sum) per channel, both float32, and the count per channel."""
    c = x.shape[1]
    n = x.size // c
    if x.ndim == 2 or n == x.shape[0]:
        rows = x.reshape(x.shape[0], c)
        mean = (_row_blocks(rows) / n).astype(f32)
        return mean, _row_blocks(rows - mean, squares=True).astype(f32), n
    per = np.moveaxis(x, 1, 0).reshape(c, -1)
    mean = (np.cumsum(per.astype(f64), axis=1)[:, -1] / n).astype(f32)
    d = per - mean[:, None]
    return mean, np.cumsum((d * d).astype(f64), axis=1)[:, -1].astype(f32), n


def invstd_of(var_sum, n, eps):
    return (1.0 / np.sqrt((var_sum / f32(n)).astype(f64) + eps)).astype(f32)


def transform(x, mean, invstd, weight, bias):
    """x·α + β per channel in one rounding."""
    shape = (1, -1) + (1,) * (x.ndim - 2)
    alpha = (invstd if weight is None else invstd * weight).astype(f32)
    beta = fma32(-mean, alpha, np.zeros_like(alpha) if bias is None else bias)
    return fma32(x, alpha.reshape(shape), beta.reshape(shape))


def blend_var(buffer, unbiased, momentum) -> None:
    """running_var = momentum·unbiased + (1 − momentum)·running_var, the sum fused (measured)."""
    buffer[...] = fma32(unbiased, f32(momentum), (f32(1 - momentum) * buffer).astype(f32))
