"""Ops along one dim that relate neighbours: diff (ATen's narrow-and-subtract composite, so its
grad_fn graph is torch's SubBackward0/SliceBackward0 chain), the running extremes cummax/cummin
and logcumsumexp, with torch's nodes."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, _wrap_dim, wrap
from .registry import defop, record


def diff(input, n=1, dim=-1, prepend=None, append=None):
    from .arithmetic import sub
    from .compare import logical_xor
    from .joins import cat
    from .pieces import narrow
    if not isinstance(input, Tensor):
        raise TypeError("diff() takes a tensor")
    nd = input._data.ndim
    if nd == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    for extra in (prepend, append):
        if extra is not None and (not isinstance(extra, Tensor) or extra._data.ndim != nd):
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    dim = _wrap_dim(dim, nd)
    for extra in (prepend, append):
        if extra is not None:
            for k in range(nd):
                if k != dim and extra._data.shape[k] != input._data.shape[k]:
                    raise RuntimeError(
                        "diff expects the shape of tensor to prepend or append to match that of input except along "
                        f"the differencing dimension; input.size({k}) = {input._data.shape[k]}, but got "
                        f"tensor.size({k}) = {extra._data.shape[k]}")
    if prepend is not None or append is not None:
        input = cat([t for t in (prepend, input, append) if t is not None], dim)
    if n == 0:  # torch: a copy (CopyBackwards)
        from .. import creation
        from .conversion import copy_
        return copy_(creation.zeros_like(input), input)
    step = logical_xor if input._data.dtype.kind == "b" else sub
    for _ in range(n):
        length = input._data.shape[dim]
        if length == 0:
            break
        input = step(narrow(input, dim, 1, length - 1), narrow(input, dim, 0, length - 1))
    return input


TENSOR_METHODS = {"diff": diff}
TORCH_EXPORTS = {"diff": diff}


# -- cummax, cummin: running extremes with their indices (ties and NaN take the later index) -------

def _cumulative_extreme(d, axis, larger):
    """Values and indices of the running max (min), as torch's kernel: a NaN, once seen, stays;
    an equal value moves the index on (x >= best, x <= best)."""
    x = np.moveaxis(d, axis, 0)
    values, indices = np.empty_like(x), np.empty(x.shape, dtype=np.int64)
    if x.shape[0]:
        best, where = x[0].copy(), np.zeros(x.shape[1:], dtype=np.int64)
        for k in range(x.shape[0]):
            xk = x[k]
            if d.dtype.kind == "f":
                take = np.isnan(xk) | (~np.isnan(best) & ((xk >= best) if larger else (xk <= best)))
            else:
                take = (xk >= best) if larger else (xk <= best)
            best = np.where(take, xk, best)
            where = np.where(take, k, where)
            values[k], indices[k] = best, where
    return np.moveaxis(values, 0, axis), np.moveaxis(indices, 0, axis)


def _cummaxmin(name, larger):
    from .indexing import GATHER_BACKWARD
    from .minmax import _return_type
    rtype = _return_type(name, ("values", "indices"))
    spec = defop(f"{name.capitalize()}Backward0", {"self": "grad added at the running extreme's index"},
                 self=lambda grad, shape, index: GATHER_BACKWARD(grad, shape=shape, index=index))
    spec.saves = ("index",)

    def op(input, dim):
        d = input._data
        if dim.__class__ is float:
            raise TypeError("dim must be an int")  # the call site words it as torch's parser
        if isinstance(dim, Tensor) and dim._data.ndim == 0 and dim._data.dtype.kind in "iu":
            dim = int(dim._data)
        if not isinstance(dim, int):
            raise TypeError("dim must be an int")  # before the empty tensor's early result, as torch's parser
        if d.ndim == 0 and dim not in (0, -1) and dim.__class__ is int:
            raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
        if d.size == 0 and d.ndim:  # torch returns an empty result before it looks at dim
            return rtype(record(spec, d.copy(), (input,), {"shape": d.shape, "index": ()}),
                         wrap(np.zeros(d.shape, np.int64)))
        axis = _wrap_dim(dim, d.ndim)
        if d.ndim == 0:
            return rtype(record(spec, d.copy(), (input,), {"shape": d.shape, "index": ()}),
                         wrap(np.zeros((), np.int64)))
        values, indices = _cumulative_extreme(d, axis, larger)
        grids = np.indices(indices.shape, sparse=True)
        full = tuple(indices if k == axis else grids[k] for k in range(d.ndim))
        return rtype(record(spec, values, (input,), {"shape": d.shape, "index": full}), wrap(indices))

    op.__name__ = op.__qualname__ = name
    return op


cummax, cummin = _cummaxmin("cummax", True), _cummaxmin("cummin", False)


# -- logcumsumexp -------------------------------------------------------------------------------------

def logcumsumexp_array(d, axis):
    """torch's kernel: log-add-exp accumulated in double for float32, each output rounded."""
    d = np.asarray(d)
    acc = d.astype(np.float64) if d.dtype == np.float32 else d
    with np.errstate(all="ignore"):
        return np.logaddexp.accumulate(acc, axis=axis).astype(d.dtype, copy=False)


def _logcumsumexp_grad(grad, self, result, dim, F):
    """torch's logcumsumexp_backward: the positive and negative parts of grad through reversed
    logcumsumexps (log-space, so no overflow)."""
    lowest = float(np.finfo(np.asarray(grad).dtype if not isinstance(grad, Tensor) else grad._data.dtype).min)

    def reversed_lcse(x):
        return F.flip(F.logcumsumexp(F.flip(x, (dim,)), dim), (dim,))

    log_abs = F.log(F.abs(grad))
    positive = F.where(grad > 0, log_abs, lowest)
    negative = F.where(grad < 0, log_abs, lowest)
    return F.exp(reversed_lcse(positive - result) + self) - F.exp(reversed_lcse(negative - result) + self)


LOGCUMSUMEXP = defop("LogcumsumexpBackward0", {"self": "softmax-weighted reversed sums of grad"},
                     self=_logcumsumexp_grad)


def logcumsumexp(input, dim):
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    if d.dtype.kind != "f":
        from .dtype_support import kernel_error
        raise kernel_error("logcumsumexp_out_cpu", d.dtype)
    out = logcumsumexp_array(d, axis if d.ndim else None) if d.ndim else d.copy()
    return record(LOGCUMSUMEXP, out, (input,), {"dim": axis})


TENSOR_METHODS.update(cummax=cummax, cummin=cummin, logcumsumexp=logcumsumexp)
TORCH_EXPORTS.update(cummax=cummax, cummin=cummin, logcumsumexp=logcumsumexp)
