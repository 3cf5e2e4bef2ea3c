"""Reductions: sum, mean, and the ops that reduce along dimensions."""

from __future__ import annotations

import builtins
import warnings

import numpy as np

from ..tensor import Tensor, _wrap_dim, wrap
from ._dispatch import floating
from .registry import defop, record
from .summation import torch_mean, torch_sum


def _dims(dim, ndim):
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        dims = tuple(sorted(_wrap_dim(d, ndim) for d in dim))
    else:
        dims = (_wrap_dim(dim, ndim),)
    # a 0-d tensor takes dim 0 or -1 and reduces nothing, as in torch
    return dims if ndim else ()


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


def _add_up(d, dims, keepdim, dtype):
    # floating sums follow torch's order (summation.py), so last digits match
    to = _sum_dtype(d, dtype)
    if to is not None and d.dtype != to:
        d = d.astype(to)
    if d.dtype.kind == "f":
        return torch_sum(d, dims, keepdim)
    return np.sum(d, axis=dims, keepdims=keepdim)


def sum(self, dim=None, keepdim=False, *, dtype=None):
    d = self._data
    if dim is None:
        return record(SUM0, _add_up(d, None, False, dtype), (self,), {"shape": d.shape})
    dims = _dims(dim, d.ndim)
    out = _add_up(d, dims, keepdim, dtype)
    return record(SUM1, out, (self,), {"shape": d.shape, "dims": dims, "keepdim": keepdim})


def mean(self, dim=None, keepdim=False, *, dtype=None):
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


# -- named results ---------------------------------------------------------------------------


def _return_type(name, fields):
    """torch.return_types.<name>: a tuple with named fields, printed as torch prints it."""

    def __new__(cls, *values):
        return tuple.__new__(cls, values)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"

    attrs = {"__new__": __new__, "__repr__": __repr__, "__str__": __repr__, "__slots__": (),
             "_fields": fields, "__module__": "torch.return_types"}
    for i, f in enumerate(fields):
        attrs[f] = property(lambda self, i=i: tuple.__getitem__(self, i))
    return type(name, (tuple,), attrs)


_MAX_T = _return_type("max", ("values", "indices"))
_MIN_T = _return_type("min", ("values", "indices"))
_MEDIAN_T = _return_type("median", ("values", "indices"))
_AMINMAX_T = _return_type("aminmax", ("min", "max"))
_SORTLIKE = {"max": _MAX_T, "min": _MIN_T, "median": _MEDIAN_T}

# -- prod -------------------------------------------------------------------------------------


def _prod_grad(grad, self, result, dims, keepdim, F):
    # the product of the other elements, safe with zeros: without a zero it is result/self; with
    # one zero z, it is p at z and p·z/self elsewhere (p = product of the nonzeros; z's value is 0
    # but keeps the second derivative); with more zeros it is 0
    zero = self == 0
    safe = F.where(zero, 1.0, self)
    if not dims:  # all of it (a 0-d input's dim reduces nothing: the same)
        p, count, z = F.prod(safe), F.sum(F.where(zero, 1.0, 0.0)), F.sum(F.where(zero, self, 0.0))
    else:
        d = dims[0]
        p, count = F.prod(safe, d, True), F.sum(F.where(zero, 1.0, 0.0), d, True)
        z = F.sum(F.where(zero, self, 0.0), d, True)
    one_zero = F.where(zero, p, p / safe * z)
    g = _expand_back(grad, self.shape, dims, keepdim, F)
    return g * F.where(count == 0, p / safe, F.where(count == 1, one_zero, 0.0))


PROD0 = defop("ProdBackward0", {"self": "product of the other elements"},
              self=lambda grad, self, result, F: _prod_grad(grad, self, result, None, False, F))
PROD1 = defop("ProdBackward1", {"self": "product of the other elements along dim"},
              self=lambda grad, self, result, dims, keepdim, F: _prod_grad(grad, self, result, dims, keepdim, F))


def prod(input, dim=None, keepdim=False, *, dtype=None):
    d = input._data
    if dim is None:
        return record(PROD0, np.prod(d, dtype=_sum_dtype(d, dtype)), (input,))
    if isinstance(dim, (list, tuple)):
        raise TypeError("prod(): argument 'dim' must be int, not " + type(dim).__name__)
    dims = _dims(dim, d.ndim)
    out = np.prod(d, axis=dims, keepdims=keepdim, dtype=_sum_dtype(d, dtype))
    return record(PROD1, out, (input,), {"dims": dims, "keepdim": keepdim})


# -- max / min and their kin -------------------------------------------------------------------

# whole-tensor max/min/median share the gradient evenly among the elements equal to the result
MAX1 = defop("MaxBackward1", {"self": "1/k at the k maximal elements"},
             self=lambda grad, weights: grad * weights)
MIN1 = defop("MinBackward1", {"self": "1/k at the k minimal elements"},
             self=lambda grad, weights: grad * weights)
MEDIAN0 = defop("MedianBackward0", {"self": "1/k at the k elements equal to the median"},
                self=lambda grad, weights: grad * weights)
# along a dim: the gradient goes to the selected index
MAX0 = defop("MaxBackward0", {"self": "1 at the index of the maximum"},
             self=lambda grad, shape, dims, keepdim, mask, F: _expand_back(grad, shape, dims, keepdim, F) * mask)
MIN0 = defop("MinBackward0", {"self": "1 at the index of the minimum"},
             self=lambda grad, shape, dims, keepdim, mask, F: _expand_back(grad, shape, dims, keepdim, F) * mask)
MEDIAN1 = defop("MedianBackward1", {"self": "1 at the index of the median"},
                self=lambda grad, shape, dims, keepdim, mask, F: _expand_back(grad, shape, dims, keepdim, F) * mask)
AMAX = defop("AmaxBackward0", {"self": "1/k at the k maximal elements of each slice"},
             self=lambda grad, shape, dims, keepdim, weights, F: _expand_back(grad, shape, dims, keepdim, F) * weights)
AMIN = defop("AminBackward0", {"self": "1/k at the k minimal elements of each slice"},
             self=lambda grad, shape, dims, keepdim, weights, F: _expand_back(grad, shape, dims, keepdim, F) * weights)


# torch saves self/result or the indices for these: a second backward pass fails
for _spec in (MAX1, MIN1, MEDIAN0, AMAX, AMIN):
    _spec.saves = ("weights",)
for _spec in (MAX0, MIN0, MEDIAN1):
    _spec.saves = ("mask",)


def _even_weights(d, value, axis=None):
    """1/k at the k positions equal to ``value`` (nan matches nan), in d's dtype."""
    hit = (d == value) | (np.isnan(d) & np.isnan(value)) if d.dtype.kind == "f" else d == value
    return np.asarray(hit / np.sum(hit, axis=axis, keepdims=axis is not None), dtype=d.dtype)


def _index_mask(d, idx, axis):
    mask = np.zeros(d.shape, dtype=d.dtype)
    np.put_along_axis(mask, np.expand_dims(idx, axis), 1, axis=axis)
    return mask


def _whole(name, fn, spec, input):
    d = input._data
    if d.size == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    out = np.asarray(fn(d))
    if input._requires_grad:
        return record(spec, out, (input,), {"weights": _even_weights(d, out)})
    return wrap(out)


def _check_nonempty(name, d, axis):
    if d.shape and d.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")


def _along(name, arg, spec, input, dim, keepdim):
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    if d.ndim == 0:
        idx = np.zeros((), np.int64)
        values = d.copy()
        mask = np.ones_like(d)
        dims = None
    else:
        _check_nonempty(name, d, axis)
        idx = arg(d, axis=axis)
        values = np.take_along_axis(d, np.expand_dims(idx, axis), axis).squeeze(axis)
        mask = _index_mask(d, idx, axis) if input._requires_grad else None
        dims = (axis,)
        if keepdim:
            idx = np.expand_dims(idx, axis)
            values = np.expand_dims(values, axis)
    values = record(spec, values, (input,), {"shape": d.shape, "dims": dims, "keepdim": keepdim, "mask": mask})
    return _SORTLIKE[name](values, wrap(np.asarray(idx, dtype=np.int64)))


def _nanarg(fn):
    # torch picks a nan as the max/min when there is one; numpy's argmax/argmin do the same
    return fn


def max(input, dim=None, keepdim=False, *, out=None):
    if isinstance(dim, Tensor):
        from .elementwise import maximum
        return maximum(input, dim)
    if dim is None:
        return _whole("max", np.max, MAX1, input)
    return _along("max", np.argmax, MAX0, input, dim, keepdim)


def min(input, dim=None, keepdim=False, *, out=None):
    if isinstance(dim, Tensor):
        from .elementwise import minimum
        return minimum(input, dim)
    if dim is None:
        return _whole("min", np.min, MIN1, input)
    return _along("min", np.argmin, MIN0, input, dim, keepdim)


def _lower_median(d):
    flat = np.sort(d.reshape(-1))
    if np.isnan(flat).any() if d.dtype.kind == "f" else False:
        return np.asarray(np.nan, dtype=d.dtype)
    return flat[(flat.size - 1) // 2]


def _median_arg(d, axis):
    order = np.argsort(d, axis=axis, kind="stable")
    k = (d.shape[axis] - 1) // 2
    idx = np.take(order, k, axis=axis)
    if d.dtype.kind == "f":  # a nan in the slice is the median, as in torch
        has_nan = np.isnan(d).any(axis=axis)
        if has_nan.any():
            idx = np.where(has_nan, np.argmax(np.isnan(d), axis=axis), idx)
    return idx


def median(input, dim=None, keepdim=False):
    if dim is None:
        return _whole("median", _lower_median, MEDIAN0, input)
    return _along("median", _median_arg, MEDIAN1, input, dim, keepdim)


def _amax_like(name, fn, spec, input, dim, keepdim):
    d = input._data
    if dim is None or dim == () or dim == []:
        dims = tuple(range(d.ndim))
    else:
        dims = _dims(dim, d.ndim)
    if d.size == 0 and (dim is None or dim == () or dim == []):
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    for a in dims:
        if d.ndim:
            _check_nonempty(name, d, a)
    out = np.asarray(fn(d, axis=dims or None, keepdims=keepdim))
    weights = None
    if input._requires_grad:
        kd = np.asarray(fn(d, axis=dims or None, keepdims=True))
        hit = (d == kd) | (np.isnan(d) & np.isnan(kd)) if d.dtype.kind == "f" else d == kd
        weights = np.asarray(hit / np.sum(hit, axis=dims or None, keepdims=True), dtype=d.dtype)
    return record(spec, out, (input,), {"shape": d.shape, "dims": dims or None, "keepdim": keepdim,
                                        "weights": weights})


def amax(input, dim=(), keepdim=False):
    return _amax_like("amax", np.max, AMAX, input, dim, keepdim)


def amin(input, dim=(), keepdim=False):
    return _amax_like("amin", np.min, AMIN, input, dim, keepdim)


def aminmax(input, *, dim=None, keepdim=False):
    d = input._data
    axis = None if dim is None else _wrap_dim(dim, d.ndim)
    try:
        return _AMINMAX_T(wrap(np.asarray(np.min(d, axis=axis, keepdims=keepdim))),
                          wrap(np.asarray(np.max(d, axis=axis, keepdims=keepdim))))
    except ValueError:  # numpy's "zero-size array to reduction operation minimum"
        if d.size:
            raise
        if axis is None:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.") from None
        raise IndexError(f"aminmax: Expected reduction dim {axis} to have non-zero size.") from None


def _argreduce(fn, input, dim, keepdim):
    d = input._data
    try:
        return _argreduced(fn, d, dim, keepdim)
    except ValueError:  # numpy's "attempt to get argmax of an empty sequence"
        if d.size or d.ndim == 0:
            raise
        if dim is None:
            raise IndexError(f"{fn.__name__}(): Expected reduction dim to be specified for "
                             "input.numel() == 0.") from None
        raise IndexError(f"{fn.__name__}(): Expected reduction dim {_wrap_dim(dim, d.ndim)} to have "
                         "non-zero size.") from None


def _argreduced(fn, d, dim, keepdim):
    if dim is None:
        out = np.asarray(fn(d.reshape(-1)))
        if keepdim:
            out = out.reshape((1,) * d.ndim)
        return wrap(out.astype(np.int64))
    axis = _wrap_dim(dim, d.ndim)
    if d.ndim == 0:
        return wrap(np.zeros((), np.int64))
    return wrap(np.asarray(fn(d, axis=axis, keepdims=keepdim), dtype=np.int64))


def argmax(input, dim=None, keepdim=False):
    return _argreduce(np.argmax, input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return _argreduce(np.argmin, input, dim, keepdim)


def count_nonzero(input, dim=None):
    d = input._data
    axis = None if dim is None else (tuple(_wrap_dim(x, d.ndim) for x in dim) if isinstance(dim, (list, tuple))
                                     else _wrap_dim(dim, d.ndim))
    return wrap(np.asarray(np.count_nonzero(d, axis=axis), dtype=np.int64))


# -- var / std -------------------------------------------------------------------------------------

VAR = defop("VarBackward0", {"self": "2(self - mean)/(N - correction)"},
            self=lambda grad, self, dims, keepdim, correction, F: _expand_back(grad, self.shape, dims, keepdim, F)
            * _over_dof(2.0, self.shape, dims, correction) * (self - F.mean(self, dims, True)))
STD = defop("StdBackward0", {"self": "(self - mean)/((N - correction)·std)"},
            self=lambda grad, self, result, dims, keepdim, correction, F: _expand_back(
                grad / result, self.shape, dims, keepdim, F)
            * _over_dof(1.0, self.shape, dims, correction) * (self - F.mean(self, dims, True)))


def _over_dof(c, shape, dims, correction):
    # no degrees of freedom: C++'s c / 0.0 is inf (the gradient becomes nan, as torch's)
    n = _dof(shape, dims, correction)
    return c / n if n else float("inf")


def _dof(shape, dims, correction):
    n = 1
    for i, s in enumerate(shape):
        if dims is None or i in dims:
            n *= s
    return builtins.max(n - correction, 0)


def _var_args(name, input, dim, unbiased, keepdim, correction):
    d = input._data
    if d.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
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


def _variance(d, dims, keepdim, correction, n):
    mean = np.mean(d, axis=dims, keepdims=True)
    dev = d - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.sum(dev * dev, axis=dims, keepdims=keepdim) / builtins.max(n - correction, 0))


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    d, dims, correction, n = _var_args("var", input, dim, unbiased, keepdim, correction)
    out = _variance(d, dims, keepdim, correction, n).astype(d.dtype, copy=False)
    return record(VAR, out, (input,), {"dims": dims, "keepdim": keepdim, "correction": correction})


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    d, dims, correction, n = _var_args("std", input, dim, unbiased, keepdim, correction)
    out = np.sqrt(_variance(d, dims, keepdim, correction, n)).astype(d.dtype, copy=False)
    return record(STD, out, (input,), {"dims": dims, "keepdim": keepdim, "correction": correction})


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return var(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return std(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


# -- logsumexp, cumulative ops, softmax ----------------------------------------------------------------

LOGSUMEXP = defop("LogsumexpBackward0", {"self": "exp(self - result)"},
                  self=lambda grad, self, result, dims, keepdim, F: _expand_back(grad, self.shape, dims, keepdim, F)
                  * F.exp(self - _expand_back(result, self.shape, dims, keepdim, F)))
CUMSUM = defop("CumsumBackward0", {"self": "reversed cumsum of grad"},
               self=lambda grad, dim, F: F.sum(grad, dim, True) - F.cumsum(grad, dim) + grad)
CUMPROD = defop("CumprodBackward0", {"self": "reversed cumsum of grad·result, over self"},
                self=lambda grad, self, result, dim, F: _cumprod_grad(grad, self, result, dim, F))
SOFTMAX = defop("SoftmaxBackward0", {"self": "result·(grad - Σ grad·result)"},
                self=lambda grad, result, dim, F: result * (grad - F.sum(grad * result, dim, True)))
LOG_SOFTMAX = defop("LogSoftmaxBackward0", {"self": "grad - exp(result)·Σ grad"},
                    self=lambda grad, result, dim, F: grad - F.exp(result) * F.sum(grad, dim, True))


def _rev_cumsum(x, dim, F):
    return F.sum(x, dim, True) - F.cumsum(x, dim) + x


def _cumprod_grad(grad, self, result, dim, F):
    if not (self == 0).any():
        return _rev_cumsum(grad * result, dim, F) / self
    # zeros: d out_j / d x_k = prod_{i <= j, i != k} x_i, built from exclusive products
    return _cumprod_grad_zeros(grad, self, dim, F)


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
    g = pieces[0]
    for p in pieces[1:]:
        g = _concat(g, p, dim, F)
    return g


def _concat(a, b, dim, F):
    if isinstance(a, np.ndarray) or not hasattr(a, "_data"):
        return np.concatenate([a, b], axis=dim)
    from .shape import cat
    return cat([a, b], dim)


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


def _cum_dtype(d, dtype):
    if dtype is not None:
        from ..creation import _np_dtype
        return _np_dtype(dtype)
    return np.int64 if d.dtype.kind in "biu" else d.dtype


def cumsum(input, dim, *, dtype=None):
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    out = np.cumsum(d, axis=axis if d.ndim else None, dtype=_cum_dtype(d, dtype)).reshape(d.shape)
    return record(CUMSUM, out, (input,), {"dim": axis})


def cumprod(input, dim, *, dtype=None):
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    out = np.cumprod(d, axis=axis if d.ndim else None, dtype=_cum_dtype(d, dtype)).reshape(d.shape)
    return record(CUMPROD, out, (input,), {"dim": axis})


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


TENSOR_METHODS = {
    "sum": sum, "mean": mean, "prod": prod, "max": max, "min": min, "median": median,
    "amax": amax, "amin": amin, "aminmax": aminmax, "argmax": argmax, "argmin": argmin,
    "count_nonzero": count_nonzero, "var": var, "std": std, "logsumexp": logsumexp,
    "cumsum": cumsum, "cumprod": cumprod, "softmax": softmax, "log_softmax": log_softmax,
}
TENSOR_INPLACE = {"cumsum_": cumsum, "cumprod_": cumprod}
