"""Counting and bucketing (no gradient): bincount, histc, searchsorted, bucketize."""

from __future__ import annotations

import numpy as np

from ..limits import check_shape
from ..tensor import Tensor, wrap
from .dtype_support import kernel_error


def bincount(input, weights=None, minlength=0):
    d = input._data
    if d.dtype.kind not in "iu":
        raise kernel_error("bincount_cpu", d.dtype)
    if d.ndim != 1 or (d.size and d.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    check_shape((max(int(minlength), int(d.max()) + 1 if d.size else 0),), 8)  # --max-elements, before numpy allocates
    if weights is None:
        return wrap(np.bincount(d, minlength=minlength).astype(np.int64))
    w = weights._data
    if w.ndim != 1 or w.shape[0] != d.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    out_dtype = w.dtype if w.dtype.kind == "f" and w.dtype != np.float16 else np.float64
    if w.dtype == np.float32:
        out_dtype = np.float32
    counts = np.bincount(d, weights=w.astype(np.float64), minlength=minlength)
    return wrap(counts.astype(out_dtype))


def histc(input, bins=100, min=0, max=0):
    d = input._data
    if bins <= 0:
        raise RuntimeError("torch.histogram(): bins must be > 0, but got %d for dimension 0" % bins)
    if d.dtype.kind != "f":
        raise kernel_error("histogram_cpu", d.dtype)
    check_shape((bins,), 8)  # --max-elements, before numpy allocates
    lo, hi = d.dtype.type(min), d.dtype.type(max)
    if lo == hi and d.size:
        lo, hi = d.min(), d.max()
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo}, {hi}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    x = d.reshape(-1)
    x = x[(x >= lo) & (x <= hi)]
    # torch's bin: (x - min) * bins / (max - min) in the input's dtype, the top edge in the last bin
    pos = ((x - lo) * d.dtype.type(bins) / (hi - lo)).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    return wrap(np.bincount(pos, minlength=bins).astype(d.dtype))


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    seq = sorted_sequence._data
    scalar = not isinstance(input, Tensor)
    values = np.asarray(input) if scalar else input._data
    if scalar:  # a number is compared in the promoted type (-1 with a bool sequence stays -1)
        seq = seq.astype(np.promote_types(seq.dtype, values.dtype), copy=False)
    if not scalar and (seq.dtype == np.bool_ or values.dtype == np.bool_):
        raise kernel_error("searchsorted_out_cpu", np.bool_)
    if (scalar or values.ndim == 0) and seq.ndim != 1:
        raise RuntimeError(f"torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension "
                           f"is 1, but we got boundaries tensor dim({seq.ndim}) and input value's dim(0) numel(1)")
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                               "while right was True")
        right = side == "right"
    how = "right" if right else "left"
    if seq.ndim == 1:
        out = np.searchsorted(seq, values, side=how)
    else:
        if seq.shape[:-1] != values.shape[:-1]:
            raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                               "dimensions of boundaries tensor and input value tensor must match, but we got "
                               f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}")
        out = np.empty(values.shape, dtype=np.int64)
        for index in np.ndindex(seq.shape[:-1]):
            out[index] = np.searchsorted(seq[index], values[index], side=how)
    return wrap(np.asarray(out, dtype=np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


TENSOR_METHODS = {"bincount": bincount, "histc": histc}
TORCH_EXPORTS = {"bincount": bincount, "histc": histc, "searchsorted": searchsorted, "bucketize": bucketize}
