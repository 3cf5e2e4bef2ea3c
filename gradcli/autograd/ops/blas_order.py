"""Matrix products summed as torch's CPU kernels sum them.

torch's BLAS (MKL) and its own small bmm/mv/dot kernels add the products of a short inner
dimension in an order numpy's BLAS does not share, so the last bit differs. Where that order
was measured on torch 2.13's CPU build (bit for bit, float32 and float64), the products are
summed in it here; past the measured sizes numpy's matmul is used.
"""

from __future__ import annotations

import numpy as np

from ..limits import check_shape


def _in_order(a, b):
    """a @ b (batched too) as a left-to-right sum of the rounded products, from +0: what
    torch's CPU BLAS calls and its own small bmm/mv/dot kernels give for short inner sizes
    (measured bit for bit, float32 and float64; numpy's BLAS orders them otherwise)."""
    s = np.zeros(a.shape[:-1] + b.shape[-1:], np.result_type(a, b))
    for k in range(a.shape[-1]):
        s = s + a[..., :, k:k + 1] * b[..., k:k + 1, :]
    return s


def _row_sum_in_order(v, b):
    """v @ b for a vector v as one row: b's rows scaled and added in order, from +0 (accumulate
    is sequential; one pass instead of k)."""
    return (np.add.accumulate(v[:, None] * b, axis=0)[-1] + b.dtype.type(0))[None]


def _col_major(d):
    return d.strides[0] == d.itemsize and d.strides[1] == d.shape[0] * d.itemsize and d.shape[0] > 1


def _mm_in_order(m, k, n, col_a, col_b):
    """Whether torch's BLAS gives the in-order sum for an m×k @ k×n product, by layout (a table
    measured on torch 2.13's CPU build, float32 and float64 alike, for m ≤ 8 and n ≤ 10; past
    it MKL's blocked kernels order the terms otherwise). A single row times a matrix whose rows
    are contiguous is a gemv down those rows: in order for any k (measured to k = 5000)."""
    if m == 1 and not col_b:
        return True
    if k <= 3:
        return m <= 2 or n <= 10
    if k > 7 or m > 8 or n > 10:
        return False
    if not col_b:
        return col_a or not (n == 1 and m >= 4)  # a gemv over the rows of a row-major a
    if col_a:
        return m >= 2 or k == 4
    return n <= 3 if k == 4 else n in (2, 3) or n == 1 and m <= 3


def gemm_array(a, b):
    """a @ b for matrices, as torch's mm. An inner size of 1 with more than one row and column
    is an outer product in torch's BLAS: each element is the one product, so 0 · -1 stays -0
    where numpy's accumulation from +0 gives +0. Small products are summed in order where that
    is torch's result (``_mm_in_order``); numpy's BLAS orders the terms otherwise."""
    m, k = a.shape
    n = b.shape[1]
    check_shape((m, n), a.itemsize)
    if a.dtype.kind == "f":
        if k == 1 and m > 1 and n > 1:
            return np.multiply(a, b)
        if k > 1 and _mm_in_order(m, k, n, _col_major(a), _col_major(b)):
            return _in_order(a, b) if m > 1 or k <= 8 else _row_sum_in_order(a[0], b)
    return np.matmul(a, b)


def bmm_array(a, b):
    """torch's bmm: its own kernel below 400 multiply-adds per matrix, in order."""
    check_shape(a.shape[:-1] + b.shape[-1:], a.itemsize)
    if a.dtype.kind == "f" and a.shape[-1] * a.shape[-2] * b.shape[-1] < 400:
        return _in_order(a, b)
    return np.matmul(a, b)


def mv_array(a, v):
    """torch's mv: up to 8 terms a sum in order (its gemv)."""
    if a.dtype.kind == "f" and v.shape[0] <= 8:
        return _in_order(a, v[:, None])[:, 0]
    return np.matmul(a, v)


def _lanes(p, lanes):
    """Σp as a vector reduction: p[k] added in order into lane k % lanes, the lanes then folded
    in halves (lane i + lane i + half) down to one, then + 0 (a -0. sum is +0.)."""
    acc = np.zeros(p.shape[:-1] + (lanes,), p.dtype)
    for k in range(0, p.shape[-1], lanes):
        part = p[..., k:k + lanes]
        acc[..., :part.shape[-1]] = acc[..., :part.shape[-1]] + part if k else part
    while acc.shape[-1] > 1:
        half = acc.shape[-1] // 2
        acc = acc[..., :half] + acc[..., half:]
    return acc[..., 0] + p.dtype.type(0)


# torch's dot (MKL's ?dot) by length, measured bit for bit: double 4 lanes up to 4 terms, two
# (even/odd) up to 8; float 16 lanes for 2, 4, 5, 8, 9 and 12 terms, in order for 3, 4 lanes for 16
_DOT_LANES = {np.dtype(np.float64): {2: 4, 3: 4, 4: 4, 5: 2, 6: 2, 7: 2, 8: 2},
              np.dtype(np.float32): {2: 16, 3: 1, 4: 16, 5: 16, 8: 16, 9: 16, 12: 16, 16: 4}}


def dot_array(a, b):
    """torch's dot: the products summed in MKL's order where it is measured (``_DOT_LANES``),
    else numpy's; from +0 either way (numpy's starts from the first product: all -0. products
    stay -0.)."""
    lanes = _DOT_LANES.get(a.dtype, {}).get(a.shape[0])
    if lanes == 1:
        return _in_order(a[None], b[:, None])[0, 0]
    if lanes:
        return _lanes(a * b, lanes)
    return np.dot(a, b) + a.dtype.type(0)
