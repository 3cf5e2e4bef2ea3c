"""The log-sum-exp family: logsumexp, softmax, log_softmax, softmin."""

from __future__ import annotations

import operator

import numpy as np

from ..tensor import _wrap_dim
from ._dims import _dims, _expand_back, check_flag
from ._dispatch import floating
from .dtype_support import kernel_error
from .backends import numpy_ as _np_backend
from .registry import backward_op, defop, record
from .float32_math import EXACT, inner_chunks  # past EXACT the SLEEF emulation is left out (its cost)
from .sleef_f32 import expf_u10, fma32, fma64, logf_u10
from .summation import torch_sum

_Numpy_exp, _Numpy_log = _np_backend.exp, _np_backend.log

LOGSUMEXP = defop("LogsumexpBackward0", {"self": "exp(self - result)"},
                  self=lambda grad, self, result, dims, keepdim, F: _expand_back(grad, self.shape, dims, keepdim, F)
                  * F.exp(self - _expand_back(result, self.shape, dims, keepdim, F)))


def _softmax_double_backward(grad, grad_output, dim, output, F):
    return (grad_output * grad - F.sum(output * grad_output, dim, True) * grad
            - grad_output * F.sum(output * grad, dim, True))


def _softmax_backward(grad, output, dim, F):
    if isinstance(output, np.ndarray) and output.dtype in _LANES and dim == output.ndim - 1:
        return (grad - _reduce_all_rows(grad * output)) * output  # torch's last-dim kernel's sum
    if isinstance(output, np.ndarray) and output.dtype in _LANES and output.ndim and 0 < output.size < EXACT:
        # other dims: Σ grad·output along dim, each step one FMA (the AVX2 build contracts)
        fma = fma32 if output.dtype == np.float32 else fma64
        grad = np.asarray(grad, output.dtype)
        total = np.take(grad, 0, axis=dim) * np.take(output, 0, axis=dim)
        for i in range(1, output.shape[dim]):
            total = fma(np.take(grad, i, axis=dim), np.take(output, i, axis=dim), total)
        return (grad - np.expand_dims(total, dim)) * output
    return (grad - F.sum(grad * output, dim, True)) * output


def _log_softmax_backward(grad, output, dim, F):
    if isinstance(output, np.ndarray) and output.dtype == np.float32 and output.ndim and 0 < output.size < EXACT:
        # torch's float32 kernels: grad - exp(output)·Σgrad as one FMA (its AVX2 build
        # contracts), their exp (_exp_f32), the last dim's sum as vec::reduce_all
        grad = np.asarray(grad, np.float32)
        total = _reduce_all_rows(grad) if dim == output.ndim - 1 else _sum_along(grad, dim)
        return fma32(-_exp_f32(output, dim, False), total, grad)
    if isinstance(output, np.ndarray) and output.dtype == np.float64 and output.ndim and output.size:
        # the same kernels for double: the sums in their order, the FMA (exp: glibc's, where
        # torch's last-dim kernel takes SLEEF's expd4_u10, equal but for rare last bits)
        grad = np.asarray(grad, np.float64)
        total = _reduce_all_rows(grad) if dim == output.ndim - 1 else _sum_along(grad, dim)
        return fma64(-_Numpy_exp(output), total, grad)
    return grad - F.exp(output) * F.sum(grad, dim, True)


# torch's _softmax_backward_data / _log_softmax_backward_data: one op each, so under
# create_graph the first derivative is one node with torch's second derivatives
SOFTMAX_BACKWARD_DATA = backward_op(
    "SoftmaxBackwardDataBackward0",
    lambda grad, output, F, dim: _softmax_backward(grad, output, dim, F),
    grad_output=lambda grad, output, dim: SOFTMAX_BACKWARD_DATA(grad, output, dim=dim),
    output=lambda grad, grad_output, output, dim, F: _softmax_double_backward(grad, grad_output, dim, output, F))
LOG_SOFTMAX_BACKWARD_DATA = backward_op(
    "LogSoftmaxBackwardDataBackward0",
    lambda grad, output, F, dim: _log_softmax_backward(grad, output, dim, F),
    grad_output=lambda grad, output, dim, F: grad - F.sum(grad * F.exp(output), dim, True),
    output=lambda grad, grad_output, output, dim, F: -F.sum(grad_output, dim, True) * F.exp(output) * grad)
SOFTMAX = defop("SoftmaxBackward0", {"self": "result·(grad - Σ grad·result)"},
                self=lambda grad, result, dim: SOFTMAX_BACKWARD_DATA(grad, result, dim=dim))
LOG_SOFTMAX = defop("LogSoftmaxBackward0", {"self": "grad - exp(result)·Σ grad"},
                    self=lambda grad, result, dim: LOG_SOFTMAX_BACKWARD_DATA(grad, result, dim=dim))


def logsumexp(input, dim, keepdim=False):
    check_flag(keepdim)
    # torch: amax (0 where infinite), exp of the difference, its sum kernel, log, plus the max
    d = floating(input._data)
    dims = _dims(dim, d.ndim)
    if isinstance(dim, (list, tuple)) and not dim and d.ndim and d.size and not keepdim:
        # torch's kernel writes its [1, 1...] max into the [] result and refuses
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape [{', '.join(['1'] * d.ndim)}]")
    if d.size == 0:
        out = np.log(np.sum(np.exp(d), axis=dims, keepdims=keepdim))
    else:
        m = np.max(d, axis=dims, keepdims=True)
        m = np.where(np.isinf(m), 0, m).astype(d.dtype, copy=False)
        total = torch_sum(_Numpy_exp(d - m), dims, True) if dims else _Numpy_exp(d - m)
        with np.errstate(divide="ignore"):
            out = _Numpy_log(total) + m
        if not keepdim:
            out = out.reshape([s for i, s in enumerate(d.shape) if i not in dims])
    return record(LOGSUMEXP, out.astype(d.dtype, copy=False), (input,), {"dims": dims, "keepdim": keepdim})


def _softmax_input(name, input, dim, dtype):
    d = input._data
    if dtype is not None:
        from .elementwise import to_dtype
        input = to_dtype(input, dtype)
        d = input._data
    if d.dtype.kind != "f":
        try:  # torch's kernel for the last dim (or a 0-d tensor) is another than for the others
            last = _wrap_dim(operator.index(dim), d.ndim) == max(d.ndim - 1, 0)
        except TypeError:  # not an int: the call site words it as torch's parser
            last = True
        kernel = ("softmax" if name == "softmax" else "log_softmax") + ("_lastdim" if last else "") + "_kernel_impl"
        raise kernel_error(kernel, d.dtype)
    # an int (or one-element integer tensor): a float dim is the parser's TypeError, also when the
    # tensor is empty and nothing else would look at it
    if type(dim) is bool:
        raise TypeError("softmax's dim is an int, not a bool")
    return input, d, _wrap_dim(operator.index(dim), d.ndim)


_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}  # AVX2 vector lanes


def _reduce_all_rows(e):
    """vec::reduce_all's sum over the last axis, as torch's last-dim softmax kernels add: lanes
    of vectors, the tail into the first lanes, then the lanes (float: halves folded in a tree)."""
    lanes = _LANES[e.dtype]
    n = e.shape[-1]
    if n == 0:  # an empty dim adds up to 0
        return np.zeros(e.shape[:-1] + (1,), e.dtype)
    if n < lanes:  # fewer than a vector: left to right
        acc = e[..., 0]
        for i in range(1, n):
            acc = acc + e[..., i]
        return acc[..., None]
    acc = e[..., :lanes]
    full = n - n % lanes
    for k in range(lanes, full, lanes):
        acc = acc + e[..., k:k + lanes]
    if full < n:
        acc = np.concatenate([acc[..., :n - full] + e[..., full:], acc[..., n - full:]], axis=-1)
    if lanes == 8:
        while acc.shape[-1] > 1:
            half = acc.shape[-1] // 2
            acc = acc[..., :half] + acc[..., half:]
        return acc
    total = acc[..., 0]
    for i in range(1, lanes):
        total = total + acc[..., i]
    return total[..., None]


def _sum_along(e, axis):
    """The other-dim kernels' sum: left to right along ``axis``."""
    total = np.take(e, 0, axis=axis)
    for i in range(1, e.shape[axis]):
        total = total + np.take(e, i, axis=axis)
    return np.expand_dims(total, axis)


def _exp_f32(x, axis, split):
    """exp of a float32 array as torch's softmax kernels take it along ``axis``: over the last
    dim SLEEF's on every element; over another dim SLEEF's on the runs of inner positions they
    vectorize 8 at a time (log_softmax's kernels: every outer index; softmax's forward: split
    over threads), libm's on the tails."""
    if axis == x.ndim - 1:
        return expf_u10(x)
    e = _Numpy_exp(x)
    inner = x[(0,) * (axis + 1)].size
    flat, sh = e.reshape(-1, x.shape[axis], inner), x.reshape(-1, x.shape[axis], inner)
    if split:
        mask = np.broadcast_to(inner_chunks(flat.shape[0], inner)[:, None, :], flat.shape)
    else:
        mask = np.zeros(flat.shape, bool)
        mask[..., :inner // 8 * 8] = True
    flat[mask] = expf_u10(sh[mask])
    return flat.reshape(e.shape)


def _exp_shifted(d, axis, split):
    if d.size == 0:  # numpy's max has no identity; torch's result is as empty as the input
        return d.copy(), d.copy()
    shifted = d - np.max(d, axis=axis, keepdims=True)
    if d.dtype != np.float32 or d.size >= EXACT:
        return shifted, _Numpy_exp(shifted)
    return shifted, _exp_f32(shifted, axis, split)


def softmax(input, dim, dtype=None):
    input, d, axis = _softmax_input("softmax", input, dim, dtype)
    if d.ndim == 0:
        return record(SOFTMAX, np.ones_like(d), (input,), {"dim": None})
    _, e = _exp_shifted(d, axis, True)
    if d.size == 0:
        return record(SOFTMAX, e, (input,), {"dim": axis})
    if axis == d.ndim - 1:  # torch's last-dim kernel multiplies by 1/sum
        out = e * (1 / _reduce_all_rows(e))
    else:
        out = e / _sum_along(e, axis)
    return record(SOFTMAX, out, (input,), {"dim": axis})


def log_softmax(input, dim, dtype=None):
    input, d, axis = _softmax_input("log_softmax", input, dim, dtype)
    if d.ndim == 0:
        return record(LOG_SOFTMAX, np.zeros_like(d), (input,), {"dim": None})
    shifted, e = _exp_shifted(d, axis, False)
    if d.size == 0:
        return record(LOG_SOFTMAX, shifted, (input,), {"dim": axis})
    total = _reduce_all_rows(e) if axis == d.ndim - 1 else _sum_along(e, axis)
    with np.errstate(divide="ignore"):
        # torch's float32 last-dim kernel takes the sums' log from SLEEF too
        log = logf_u10 if d.dtype == np.float32 and d.size < EXACT else _Numpy_log
        out = shifted - log(total)
    return record(LOG_SOFTMAX, out, (input,), {"dim": axis})


def softmin(input, dim, dtype=None):
    from .elementwise import neg
    return softmax(neg(input), dim, dtype)
