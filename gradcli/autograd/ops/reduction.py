"""Reductions: sum, mean, and the ops that reduce along dimensions."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, _wrap_dim
from .registry import defop, record


def _dims(dim, ndim):
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        return tuple(sorted(_wrap_dim(d, ndim) for d in dim))
    return (_wrap_dim(dim, ndim),)


def _expand_back(grad, shape, dims, keepdim, F):
    """Broadcast a reduced gradient back to ``shape``."""
    if dims is not None and not keepdim:
        for d in dims:
            grad = F.unsqueeze(grad, d)
    return F.expand(grad, shape)


SUM0 = defop("SumBackward0", {"self": "1"}, self=lambda grad, shape, F: F.expand(grad, shape))
SUM1 = defop("SumBackward1", {"self": "1"},
             self=lambda grad, shape, dims, keepdim, F: _expand_back(grad, shape, dims, keepdim, F))
MEAN0 = defop("MeanBackward0", {"self": "1/n"},
              self=lambda grad, shape, n, F: F.expand(grad / n, shape))
MEAN1 = defop("MeanBackward1", {"self": "1/n"},
              self=lambda grad, shape, dims, keepdim, n, F: _expand_back(grad / n, shape, dims, keepdim, F))


def _sum_dtype(d, dtype):
    if dtype is not None:
        return dtype.np
    return np.int64 if d.dtype.kind in "biu" else None


def sum(self, dim=None, keepdim=False, *, dtype=None):
    d = self._data
    if dim is None:
        out = np.sum(d, dtype=_sum_dtype(d, dtype))
        return record(SUM0, out, (self,), {"shape": d.shape})
    dims = _dims(dim, d.ndim)
    out = np.sum(d, axis=dims, keepdims=keepdim, dtype=_sum_dtype(d, dtype))
    return record(SUM1, out, (self,), {"shape": d.shape, "dims": dims, "keepdim": keepdim})


def mean(self, dim=None, keepdim=False, *, dtype=None):
    d = self._data
    if d.dtype.kind != "f" and dtype is None:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {_type_word(d)}")
    if dim is None:
        out = np.mean(d, dtype=None if dtype is None else dtype.np)
        return record(MEAN0, out, (self,), {"shape": d.shape, "n": max(d.size, 1) if d.size else 0})
    dims = _dims(dim, d.ndim)
    out = np.mean(d, axis=dims, keepdims=keepdim)
    n = 1
    for k in dims:
        n *= d.shape[k]
    return record(MEAN1, out, (self,), {"shape": d.shape, "dims": dims, "keepdim": keepdim, "n": n})


def _type_word(d):
    from ._dispatch import _torch_type_name
    return _torch_type_name(d.dtype)


TENSOR_METHODS = {"sum": sum, "mean": mean}
