"""Extremes: max, min, median (whole or along a dim, as torch.return_types), amax, amin,
aminmax, argmax, argmin."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, _wrap_dim, wrap
from ._dims import _dims, _expand_back
from .registry import defop, record


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
