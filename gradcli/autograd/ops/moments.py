"""Moments: var, std and the fused var_mean / std_mean.

The values follow torch's two CPU algorithms, so the last digits match: when the result is
one element, the mean (torch's, in the input's dtype) comes first and the squared deviations
are summed in double, left to right; otherwise, and always for var_mean / std_mean, each
slice runs Welford's update in double, element by element. The backward formulas are
torch's var_backward / std_backward / mean_backward, in its order of operations.
"""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np

from ._dims import _dims, _mean_backward, _unsqueeze_multiple, check_flag
from .registry import attach_outputs, defop, record
from .summation import _GRAIN, THREADS, torch_mean

# -- backward ----------------------------------------------------------------------------


def _c_div(a, b):
    """a / b as C++ doubles divide (inf or nan for b == 0)."""
    if b:
        return a / b
    return math.nan if a == 0 else math.copysign(math.inf, a)


def _var_backward(grad, self, dims, correction, keepdim, F):
    shape = self.shape
    if not shape or dims is None:
        dof = math.prod(shape) - correction
        if dof <= 0:  # 2 / 0: nan where self is its mean, inf elsewhere
            return grad * F.cast(F.where(self == F.mean(self), math.nan, math.inf), grad.dtype)
        return F.mul_scalar(grad, 2.0 / dof) * (self - F.mean(self))
    if not keepdim and len(shape) > 1:
        grad = _unsqueeze_multiple(grad, dims, F)
    rnumel = math.prod(shape[k] for k in dims)
    return F.mul_scalar(grad, _c_div(2.0, rnumel - correction)) * (self - F.mean(self, dims, True))


def _std_backward(grad, self, result, dims, correction, keepdim, F):
    grad_var = F.masked_fill(grad / F.mul_scalar(result, 2), result == 0, 0.0)
    return _var_backward(grad_var, self, dims, correction, keepdim, F)


_VAR = {"self": "2(self - mean)/(N - correction)"}
_STD = {"self": "(self - mean)/((N - correction)·std)"}
VAR = defop("VarBackward0", _VAR, self=lambda grad, self, dims, keepdim, correction, F: _var_backward(
    grad, self, dims, correction, keepdim, F))
STD = defop("StdBackward0", _STD, self=lambda grad, self, result, dims, keepdim, correction, F: _std_backward(
    grad, self, result, dims, correction, keepdim, F))


def _var_mean_backward(grads, self, result, dims, keepdim, correction, n, F, take_sqrt):
    """torch's var_mean / std_mean backward: the var (std) part, plus the mean part, each only
    for an output that got a gradient (``grads``: the two outputs', None for none)."""
    g_value, g_mean = grads
    out = None
    if g_value is not None:
        out = (_std_backward(g_value, self, result, dims, correction, keepdim, F) if take_sqrt
               else _var_backward(g_value, self, dims, correction, keepdim, F))
    if g_mean is not None:
        part = _mean_backward(g_mean, self.shape, dims, keepdim, n, F)
        out = part if out is None else out + part
    return out


# the fused ops: one node for both outputs, as torch
VAR_MEAN = defop("VarMeanBackward0", {"self": "2(self - mean)/(N - correction) · grad[0] + grad[1]/n"},
                 self=lambda grad, self, dims, keepdim, correction, n, F: _var_mean_backward(
                     grad, self, None, dims, keepdim, correction, n, F, False))
STD_MEAN = defop("StdMeanBackward0", {"self": "(self - mean)/((N - correction)·std) · grad[0] + grad[1]/n"},
                 self=lambda grad, self, result, dims, keepdim, correction, n, F: _var_mean_backward(
                     grad, self, result, dims, keepdim, correction, n, F, True))

# -- forward -----------------------------------------------------------------------------

_WELFORD_MAX = 4096  # longer slices take the two-pass sums (a last-bit approximation)


def _rows(d, dims):
    """d as float64 rows (one per output element) of the reduced elements in memory order."""
    keep = [k for k in range(d.ndim) if k not in dims]
    red = sorted(dims, key=lambda k: (-abs(d.strides[k]), k))  # outermost first, as torch walks
    moved = np.transpose(d, keep + red)
    n = math.prod(d.shape[k] for k in dims)
    return moved.reshape(-1, n).astype(np.float64)


def _welford(rows):
    """(mean, sum of squared deviations) per row, by Welford's update in double."""
    m, n = rows.shape
    if n > _WELFORD_MAX:
        mean = rows.mean(axis=1)
        dev = rows - mean[:, None]
        return mean, np.einsum("ij,ij->i", dev, dev)
    mean = np.zeros(m)
    m2 = np.zeros(m)
    for i in range(n):
        x = rows[:, i]
        delta = x - mean
        mean = mean + delta / (i + 1)
        m2 = m2 + delta * (x - mean)
    return mean, m2


def _sum_sq_dev(d):
    """torch's std_var_all_cpu: (x - mean)² summed in double, per thread past the grain size."""
    mean = float(torch_mean(d))
    flat = _rows(d, tuple(range(d.ndim)))[0]
    sq = (flat - mean) ** 2
    n = sq.size
    if n < _GRAIN or THREADS == 1:
        return float(np.cumsum(sq)[-1]) if n else 0.0
    nt = builtins.min(THREADS, -(-n // _GRAIN))
    chunk = -(-n // nt)
    total = 0.0
    for t in range(nt):
        part = sq[t * chunk:(t + 1) * chunk]
        total += float(np.cumsum(part)[-1]) if part.size else 0.0
    return total


def _var_args(name, input, dim, unbiased, correction, keepdim):
    check_flag(keepdim)
    if unbiased is not None and not isinstance(dim, bool):
        check_flag(unbiased)
    d = input._data
    if d.dtype.kind != "f":
        what = name if name.endswith("_mean") else "std and var"  # torch's words for each
        raise RuntimeError(f"{what} only support floating point and complex dtypes")
    if isinstance(dim, bool):  # var(input, unbiased)
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    dims = None if dim is None else _dims(dim, d.ndim)
    n = 1
    for i, s in enumerate(d.shape):
        if dims is None or i in dims:
            n *= s
    if n - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
                      "reduction factor (input numel divided by output numel). (Triggered internally at "
                      "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)", UserWarning, stacklevel=3)
    return d, dims, correction, n


def _out_shape(d, dims, keepdim):
    red = range(d.ndim) if dims is None else dims
    if keepdim:
        return tuple(1 if k in red else s for k, s in enumerate(d.shape))
    return tuple(s for k, s in enumerate(d.shape) if k not in red)


def _project(m2, n, correction):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(m2, dtype=np.float64) / builtins.max(n - correction, 0)


def _variance(d, dims, keepdim, correction, n, fused=False):
    """(variance in float64, Welford mean or None), shaped as the result."""
    shape = _out_shape(d, dims, keepdim)
    all_dims = tuple(range(d.ndim)) if dims is None else dims
    if d.size == 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            var = np.var(d.astype(np.float64), axis=all_dims, ddof=correction)
            mean = np.mean(d.astype(np.float64), axis=all_dims)
        return var.reshape(shape), mean.reshape(shape)
    if not fused and math.prod(shape) <= 1:
        return np.full(shape, _project(_sum_sq_dev(d), n, correction)), None
    mean, m2 = _welford(_rows(d, all_dims))
    return _project(m2, n, correction).reshape(shape), mean.reshape(shape)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    d, dims, correction, n = _var_args("var", input, dim, unbiased, correction, keepdim)
    v, _ = _variance(d, dims, keepdim, correction, n)
    return record(VAR, v.astype(d.dtype), (input,), {"dims": dims, "keepdim": keepdim, "correction": correction})


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    d, dims, correction, n = _var_args("std", input, dim, unbiased, correction, keepdim)
    v, _ = _variance(d, dims, keepdim, correction, n)
    return record(STD, np.sqrt(v).astype(d.dtype), (input,), {"dims": dims, "keepdim": keepdim,
                                                            "correction": correction})


def _fused(name, spec, take_sqrt, input, dim, unbiased, keepdim, correction):
    d, dims, correction, n = _var_args(name, input, dim, unbiased, correction, keepdim)
    v, m = _variance(d, dims, keepdim, correction, n, fused=True)
    value = record(spec, (np.sqrt(v) if take_sqrt else v).astype(d.dtype), ())
    mean = record(spec, m.astype(d.dtype), ())
    attach_outputs(spec, (value, mean), (input,), {"dims": dims, "keepdim": keepdim, "correction": correction,
                                                  "n": n})
    return value, mean


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _fused("var_mean", VAR_MEAN, False, input, dim, unbiased, keepdim, correction)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _fused("std_mean", STD_MEAN, True, input, dim, unbiased, keepdim, correction)
