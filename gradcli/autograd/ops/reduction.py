"""Reductions: sum, mean, prod, count_nonzero, and the cumulative sum/product.

The other reduction families live beside it and stay reachable as ``reduction.<name>``:
minmax.py (max, min, median, amax, argmax...), moments.py (var, std, var_mean, std_mean)
and softmax.py (logsumexp, softmax...).
"""

from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor, _wrap_dim, wrap
from ._dims import _dims, _expand_back, _mean_backward, check_flag, distinct_dims, int_list
from .backends import cumprod_array, cumsum_array
from .dtype_support import refuse
from .minmax import amax, amin, aminmax, argmax, argmin, max, median, min
from .registry import defop, record
from .moments import std, std_mean, var, var_mean  # noqa: F401
from .softmax import log_softmax, logsumexp, softmax, softmin  # noqa: F401
from .summation import torch_mean, torch_sum


SUM0 = defop("SumBackward0", {"self": "1"}, self=lambda grad, shape, F: F.expand(grad, shape))
SUM1 = defop("SumBackward1", {"self": "1"},
             self=lambda grad, shape, dims, keepdim, F: _expand_back(grad, shape, dims, keepdim, F))
MEAN0 = defop("MeanBackward0", {"self": "1/n"},
              self=lambda grad, shape, n, F: _mean_backward(grad, shape, None, False, n, F))
MEAN1 = defop("MeanBackward1", {"self": "1/n"},
              self=lambda grad, shape, dims, keepdim, n, F: _mean_backward(grad, shape, dims, keepdim, n, F))


def _sum_dtype(d, dtype):
    if dtype is not None:
        return dtype.np
    return np.int64 if d.dtype.kind in "biu" else None


def _add_up(d, dims, keepdim, dtype):
    # floating sums follow torch's order (summation.py), so last digits match
    to = _sum_dtype(d, dtype)
    if to is not None and d.dtype != to:
        d = d.astype(to)
    if d.dtype.kind == "f":
        return torch_sum(d, dims, keepdim)
    if d.dtype.kind == "b":  # a sum in bool (dtype=torch.bool) is an or
        return np.any(d, axis=dims, keepdims=keepdim)
    return np.sum(d, axis=dims, keepdims=keepdim, dtype=d.dtype)  # in its dtype (int8 wraps)


def sum(self, dim=None, keepdim=False, *, dtype=None):
    check_flag(keepdim)
    d = self._data
    if dim is None:
        return record(SUM0, _add_up(d, None, False, dtype), (self,), {"shape": d.shape})
    dims = _dims(dim, d.ndim)
    out = _add_up(d, dims, keepdim, dtype)
    return record(SUM1, out, (self,), {"shape": d.shape, "dims": dims, "keepdim": keepdim})


def mean(self, dim=None, keepdim=False, *, dtype=None):
    check_flag(keepdim)
    d = self._data
    if d.dtype.kind != "f" and dtype is None:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {_type_word(d)}")
    if dtype is not None and d.dtype != dtype.np:
        d = d.astype(dtype.np)
    if dim is None:
        return record(MEAN0, torch_mean(d), (self,), {"shape": d.shape, "n": d.size})
    dims = _dims(dim, d.ndim)
    out = torch_mean(d, dims, keepdim)
    n = 1
    for k in dims:
        n *= d.shape[k]
    return record(MEAN1, out, (self,), {"shape": d.shape, "dims": dims, "keepdim": keepdim, "n": n})


def _type_word(d):
    from ._dispatch import _torch_type_name
    return _torch_type_name(d.dtype)


# -- prod -------------------------------------------------------------------------------------

def _array(x):
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def _narrow(x, dim, start, length):
    return x[(slice(None),) * dim + (slice(start, start + length),)]


def _prod_safe_zeros(grad, inp, dim, F):
    """torch's prod_safe_zeros_backward: the products of the elements before and after each
    one (exclusive cumprods from both ends), safe with zeros."""
    shape = tuple(inp.shape)
    n = shape[dim]
    if 0 in shape:
        return F.expand(grad, shape)
    if n == 1:
        return grad
    ones = F.new_ones(inp, shape[:dim] + (1,) + shape[dim + 1:])
    before = F.cumprod(F.cat([ones, _narrow(inp, dim, 0, n - 1)], dim), dim)
    after = F.flip(F.cumprod(F.cat([ones, F.flip(_narrow(inp, dim, 1, n - 1), (dim,))], dim), dim), (dim,))
    return grad * (before * after)


def _prod_backward(grad, self, result, dims, keepdim, F):
    """torch's prod_backward: grad · result / self without zeros, else the safe products (the
    first-order pass gives 0 for more than one zero in a whole product, as torch does)."""
    shape = tuple(self.shape)
    if not shape:
        return grad
    zeros = int(np.count_nonzero(_array(self) == 0))
    if dims is None:
        if not zeros:
            return grad * (result / self)
        if zeros > 1 and not isinstance(grad, Tensor):
            return F.zeros_like(self)
        return F.reshape(_prod_safe_zeros(grad, F.reshape(self, (-1,)), 0, F), shape)
    d = dims[0]
    if not keepdim:
        grad, result = F.unsqueeze(grad, d), F.unsqueeze(result, d)
    if not zeros:
        return grad * (result / self)
    return _prod_safe_zeros(grad, self, d, F)


PROD0 = defop("ProdBackward0", {"self": "product of the other elements"},
              self=lambda grad, self, result, F: _prod_backward(grad, self, result, None, False, F))
PROD1 = defop("ProdBackward1", {"self": "product of the other elements along dim"},
              self=lambda grad, self, result, dims, keepdim, F: _prod_backward(grad, self, result, dims, keepdim, F))


def prod(input, dim=None, keepdim=False, *, dtype=None):
    check_flag(keepdim)
    d = input._data
    if dim is None:
        return record(PROD0, np.prod(d, dtype=_sum_dtype(d, dtype)), (input,))
    if isinstance(dim, (list, tuple)):
        raise TypeError("prod(): argument 'dim' must be int, not " + type(dim).__name__)
    dims = _dims(dim, d.ndim)
    out = np.prod(d, axis=dims, keepdims=keepdim, dtype=_sum_dtype(d, dtype))
    return record(PROD1, out, (input,), {"dims": dims, "keepdim": keepdim})


def count_nonzero(input, dim=None):
    d = input._data
    axis = None if dim is None else distinct_dims(int_list(dim), d.ndim) or None  # () counts all
    if not d.ndim:  # a 0-d tensor takes dim 0 or -1
        axis = None
    return wrap(np.asarray(np.count_nonzero(d, axis=axis), dtype=np.int64))


# -- cumulative sum / product ------------------------------------------------------------------

def _cumsum_backward(grad, dim, F):
    """torch's cumsum_backward: the cumsum of the flipped gradient, flipped back."""
    shape = tuple(grad.shape)
    if dim is None or math.prod(shape) <= 1 or shape[dim] == 1:
        return grad
    return F.flip(F.cumsum(F.flip(grad, (dim,)), dim), (dim,))


CUMSUM = defop("CumsumBackward0", {"self": "reversed cumsum of grad"},
               self=lambda grad, dim, F: _cumsum_backward(grad, dim, F))
CUMPROD = defop("CumprodBackward0", {"self": "reversed cumsum of grad·result, over self"},
                self=lambda grad, self, result, dim, F: _cumprod_grad(grad, self, result, dim, F))


def _cumprod_grad(grad, self, result, dim, F):
    if math.prod(tuple(self.shape)) <= 1 or dim is not None and tuple(self.shape)[dim] == 1:
        return grad  # torch's cumprod_backward: nothing to differentiate along a size-1 dim
    if not (self == 0).any():  # torch: reversed_cumsum(result * grad) / self
        return _cumsum_backward(result * grad, dim, F) / self
    # zeros: d out_j / d x_k = prod_{i <= j, i != k} x_i, built from exclusive products
    if isinstance(grad, Tensor):  # create_graph: torch's O(n²) loop writing each slice in place
        return _cumprod_grad_zeros_graph(grad, self, dim)
    return _cumprod_grad_zeros(grad, self, dim, F)


def _cumprod_grad_zeros_graph(grad, self, dim):
    from ..creation import ones, zeros
    from .joins import cat as _cat
    from .pieces import narrow  # torch's slice(): SliceBackward0 even over the whole dim
    n = self.shape[dim]
    size = list(self.shape)
    size[dim] = 1
    grad_input = zeros(tuple(self.shape), dtype=grad.dtype)
    for k in range(n):
        if k == 0:
            omitted = _cat([ones(tuple(size), dtype=grad.dtype), narrow(self, dim, 1, n - 1).cumprod(dim)], dim)
        else:
            until_k = narrow(self, dim, 0, k).prod(dim, keepdim=True)
            if k == n - 1:
                omitted = until_k
            else:
                after = narrow(self, dim, k + 1, n - k - 1).cumprod(dim)
                omitted = _cat([until_k, until_k.expand_as(after) * after], dim)
        grad_input.select(dim, k).copy_((narrow(grad, dim, k, n - k) * omitted).sum(dim))
    return grad_input


def _cumprod_grad_zeros(grad, self, dim, F):
    n = self.shape[dim]
    pieces = []
    for k in range(n):
        one_hot = np.zeros(n, dtype=bool)
        one_hot[k] = True
        shape = [1] * len(self.shape)
        shape[dim] = n
        mask = one_hot.reshape(shape)
        others = F.where(mask, 1.0, self)  # x with x_k replaced by 1
        later = np.arange(n).reshape(shape) >= k
        pieces.append(F.sum(F.where(later, grad * F.cumprod(others, dim), 0.0), dim, True))
    return F.cat(pieces, dim)


def _cum_dtype(d, dtype, op):
    if dtype is not None:
        from ..creation import _np_dtype
        rt = np.dtype(_np_dtype(dtype))
        if rt.kind != "f" and d.ndim and d.size:  # a 0-d or empty tensor is copied, no kernel
            refuse(op, rt)
        return rt
    return np.int64 if d.dtype.kind in "biu" else d.dtype


def cumsum(input, dim, *, dtype=None):
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    x = d.astype(_cum_dtype(d, dtype, "cumsum"), copy=False)
    out = cumsum_array(x, axis if d.ndim else None).reshape(d.shape).astype(x.dtype, copy=False)
    return record(CUMSUM, out, (input,), {"dim": axis if d.ndim else None})


def cumprod(input, dim, *, dtype=None):
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    x = d.astype(_cum_dtype(d, dtype, "cumprod"), copy=False)
    out = cumprod_array(x, axis if d.ndim else None).reshape(d.shape).astype(x.dtype, copy=False)
    return record(CUMPROD, out, (input,), {"dim": axis})

TENSOR_METHODS = {
    "sum": sum, "mean": mean, "prod": prod, "max": max, "min": min, "median": median,
    "amax": amax, "amin": amin, "aminmax": aminmax, "argmax": argmax, "argmin": argmin,
    "count_nonzero": count_nonzero, "var": var, "std": std, "logsumexp": logsumexp,
    "cumsum": cumsum, "cumprod": cumprod, "softmax": softmax, "log_softmax": log_softmax,
}
def _cumsum_(self, dim, *, dtype=None):  # in place: in self's dtype (bool's kernel refuses)
    return cumsum(self, dim, dtype=self.dtype if dtype is None else dtype)


def _cumprod_(self, dim, *, dtype=None):
    return cumprod(self, dim, dtype=self.dtype if dtype is None else dtype)


TENSOR_INPLACE = {"cumsum_": _cumsum_, "cumprod_": _cumprod_}


def _torch_exports():
    import sys

    from ..namespace import public_functions
    from . import minmax, moments, softmax as softmax_family
    names = {}
    for mod in (minmax, moments, softmax_family, sys.modules[__name__]):
        names.update(public_functions(mod))
    return names


TORCH_EXPORTS = _torch_exports()

from . import scans as _scans  # noqa: E402  (diff)

TORCH_EXPORTS.update(_scans.TORCH_EXPORTS)
TENSOR_METHODS.update(_scans.TENSOR_METHODS)

from . import nan_reductions as _nan_reductions  # noqa: E402  (nansum, nanmean)

TORCH_EXPORTS.update(_nan_reductions.TORCH_EXPORTS)
TENSOR_METHODS.update(_nan_reductions.TENSOR_METHODS)
