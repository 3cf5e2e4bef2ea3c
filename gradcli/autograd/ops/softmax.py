"""The log-sum-exp family: logsumexp, softmax, log_softmax, softmin."""

from __future__ import annotations

import numpy as np

from ..tensor import _wrap_dim
from ._dims import _dims, _expand_back
from ._dispatch import floating
from .registry import backward_op, defop, record

LOGSUMEXP = defop("LogsumexpBackward0", {"self": "exp(self - result)"},
                  self=lambda grad, self, result, dims, keepdim, F: _expand_back(grad, self.shape, dims, keepdim, F)
                  * F.exp(self - _expand_back(result, self.shape, dims, keepdim, F)))


def _softmax_double_backward(grad, grad_output, dim, output, F):
    return (grad_output * grad - F.sum(output * grad_output, dim, True) * grad
            - grad_output * F.sum(output * grad, dim, True))


# torch's _softmax_backward_data / _log_softmax_backward_data: one op each, so under
# create_graph the first derivative is one node with torch's second derivatives
SOFTMAX_BACKWARD_DATA = backward_op(
    "SoftmaxBackwardDataBackward0",
    lambda grad, output, F, dim: (grad - F.sum(grad * output, dim, True)) * output,
    grad_output=lambda grad, output, dim: SOFTMAX_BACKWARD_DATA(grad, output, dim=dim),
    output=lambda grad, grad_output, output, dim, F: _softmax_double_backward(grad, grad_output, dim, output, F))
LOG_SOFTMAX_BACKWARD_DATA = backward_op(
    "LogSoftmaxBackwardDataBackward0",
    lambda grad, output, F, dim: grad - F.exp(output) * F.sum(grad, dim, True),
    grad_output=lambda grad, output, dim, F: grad - F.sum(grad * F.exp(output), dim, True),
    output=lambda grad, grad_output, output, dim, F: -F.sum(grad_output, dim, True) * F.exp(output) * grad)
SOFTMAX = defop("SoftmaxBackward0", {"self": "result·(grad - Σ grad·result)"},
                self=lambda grad, result, dim: SOFTMAX_BACKWARD_DATA(grad, result, dim=dim))
LOG_SOFTMAX = defop("LogSoftmaxBackward0", {"self": "grad - exp(result)·Σ grad"},
                    self=lambda grad, result, dim: LOG_SOFTMAX_BACKWARD_DATA(grad, result, dim=dim))


def logsumexp(input, dim, keepdim=False):
    d = floating(input._data)
    dims = _dims(dim, d.ndim) if not (isinstance(dim, (list, tuple)) and len(dim) == 0) else tuple(range(d.ndim))
    if d.size == 0:
        out = np.log(np.sum(np.exp(d), axis=dims, keepdims=keepdim))
    else:
        m = np.max(d, axis=dims, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            out = np.log(np.sum(np.exp(d - m), axis=dims, keepdims=True)) + m
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
        from ._dispatch import _torch_type_name
        kernel = "softmax_lastdim_kernel_impl" if name == "softmax" else "log_softmax_lastdim_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_torch_type_name(d.dtype)}\'')
    return input, d, _wrap_dim(dim, d.ndim)


def softmax(input, dim, dtype=None):
    input, d, axis = _softmax_input("softmax", input, dim, dtype)
    if d.ndim == 0:
        return record(SOFTMAX, np.ones_like(d), (input,), {"dim": None})
    shifted = d - np.max(d, axis=axis, keepdims=True)
    if d.dtype == np.float32:  # torch: a correctly rounded exp, then times 1/sum
        e = np.exp(shifted.astype(np.float64)).astype(np.float32)
        return record(SOFTMAX, e * (1 / np.sum(e, axis=axis, keepdims=True)), (input,), {"dim": axis})
    e = np.exp(shifted)
    return record(SOFTMAX, e / np.sum(e, axis=axis, keepdims=True), (input,), {"dim": axis})


def log_softmax(input, dim, dtype=None):
    input, d, axis = _softmax_input("log_softmax", input, dim, dtype)
    if d.ndim == 0:
        return record(LOG_SOFTMAX, np.zeros_like(d), (input,), {"dim": None})
    shifted = d - np.max(d, axis=axis, keepdims=True)
    if d.dtype == np.float32:  # torch's float32 exp and log round once (see elementwise._via64)
        total = np.sum(np.exp(shifted.astype(np.float64)).astype(np.float32), axis=axis, keepdims=True)
        out = shifted - np.log(total.astype(np.float64)).astype(np.float32)
    else:
        out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return record(LOG_SOFTMAX, out, (input,), {"dim": axis})


def softmin(input, dim, dtype=None):
    from .elementwise import neg
    return softmax(neg(input), dim, dtype)
