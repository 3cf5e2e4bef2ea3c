"""Extremes: max, min, median (whole or along a dim, as torch.return_types), amax, amin,
aminmax, argmax, argmin."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, _wrap_dim, wrap
from ._dims import _dims, check_flag
from .dtype_support import refuse
from ..grad_mode import state as grad_state
from .registry import attach_outputs, defop, record


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

def _evenly_distribute(grad, mask, count, F):
    """torch's evenly_distribute_backward: zeros with grad / k at the k hits (MaskedFillBackward1)."""
    return F.masked_fill(F.new_zeros(grad, mask.shape), mask, grad / count)


def _scale_by_count(grad, kd_shape, keepdim, mask, count, F):
    """torch's amax/amin backward: scale_grad_by_count(restore_reduced_dims(grad)) =
    (grad / count) * mask, the reduced dims restored by a reshape."""
    if not keepdim:
        grad = F.reshape(grad, kd_shape)
    return (grad / count) * mask


# torch's value_selecting_reduction_backward: zeros(shape).scatter_(dim, index, grad), a
# ScatterBackward0 over (the zeros, grad) under create_graph
SCATTER = defop("ScatterBackward0", {"src": "grad at the scattered places"}, self=None,
                src=lambda grad, index: grad[index])
SCATTER.saves = ("index",)


def _scatter_zeros(grad, shape, index):
    data = grad._data if isinstance(grad, Tensor) else np.asarray(grad)
    out = np.zeros(shape, dtype=data.dtype)
    out[index] = data
    if isinstance(grad, Tensor):
        return record(SCATTER, out, (None, grad), {"index": index})
    return out


def _select_backward(grad, shape, axis, keepdim, index, F):
    if not keepdim and axis is not None:
        grad = F.unsqueeze(grad, axis)
    return _scatter_zeros(grad, shape, index)


_EVEN = "grad/k at the k elements equal to the result"
MAX1 = defop("MaxBackward1", {"self": _EVEN}, self=lambda grad, mask, count, F: _evenly_distribute(grad, mask, count, F))
MIN1 = defop("MinBackward1", {"self": _EVEN}, self=lambda grad, mask, count, F: _evenly_distribute(grad, mask, count, F))
MEDIAN0 = defop("MedianBackward0", {"self": _EVEN},
                self=lambda grad, mask, count, F: _evenly_distribute(grad, mask, count, F))
# along a dim: the gradient goes to the selected index
_AT = lambda grad, shape, axis, keepdim, index, F: _select_backward(grad, shape, axis, keepdim, index, F)  # noqa: E731
MAX0 = defop("MaxBackward0", {"self": "grad at the index of the maximum"}, self=_AT)
MIN0 = defop("MinBackward0", {"self": "grad at the index of the minimum"}, self=_AT)
MEDIAN1 = defop("MedianBackward1", {"self": "grad at the index of the median"}, self=_AT)
_BY_COUNT = lambda grad, kd_shape, keepdim, mask, count, F: _scale_by_count(  # noqa: E731
    grad, kd_shape, keepdim, mask, count, F)
AMAX = defop("AmaxBackward0", {"self": "grad/k at the k maximal elements of each slice"}, self=_BY_COUNT)
AMIN = defop("AminBackward0", {"self": "grad/k at the k minimal elements of each slice"}, self=_BY_COUNT)


def _aminmax_backward(grads, kd_shape, keepdim, mask, count, F):
    """The min's part plus the max's, each only for an output that got a gradient (torch's order)."""
    out = None
    for g, m, c in zip(grads, mask, count):
        if g is not None:
            part = _scale_by_count(g, kd_shape, keepdim, m, c, F)
            out = part if out is None else out + part
    return out


# aminmax: one node for both outputs, as torch; mask and count are (the min's, the max's)
AMINMAX = defop("AminmaxBackward0", {"self": "grad/k at the k extreme elements of each slice"},
                self=lambda grad, kd_shape, keepdim, mask, count, F: _aminmax_backward(
                    grad, kd_shape, keepdim, mask, count, F))


# torch saves self/result or the indices for these: a second backward pass fails
for _spec in (MAX1, MIN1, MEDIAN0, AMAX, AMIN, AMINMAX):
    _spec.saves = ("mask", "count")
for _spec in (MAX0, MIN0, MEDIAN1):
    _spec.saves = ("index",)


def _whole(name, fn, spec, input):
    d = input._data
    if d.size == 0 and name == "median":  # torch: the result filled with nan, cast to the dtype
        out = np.asarray(_nan_as(d.dtype))
    elif d.size == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                           "Specify the reduction dim with the 'dim' argument.")
    else:
        out = np.asarray(fn(d))
    if input._requires_grad:
        # torch: the nan positions when the result is nan, else the elements equal to it
        hit = np.asarray(np.isnan(d) if d.dtype.kind == "f" and np.isnan(out) else d == out)
        count = np.asarray(np.count_nonzero(hit), dtype=d.dtype)
        return record(spec, out, (input,), {"mask": hit, "count": count})
    return wrap(out)


def _nan_as(dtype):
    """C++'s nan converted to ``dtype``: the lowest value of 32/64-bit ints, 0 of narrower ones."""
    if dtype.kind in "fc":
        return np.array(np.nan, dtype)
    if dtype.kind == "b":
        return np.array(True)
    return np.array(np.iinfo(dtype).min if dtype.itemsize >= 4 and dtype.kind == "i" else 0, dtype)


def _check_nonempty(name, d, axis):
    if d.shape and d.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")


def _along(name, arg, spec, input, dim, keepdim):
    check_flag(keepdim)
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    if d.ndim == 0:
        idx = np.zeros((), np.int64)
        values = d.copy()
        index = ()
        axis = None
    else:
        _check_nonempty(name, d, axis)
        idx = arg(d, axis=axis)
        kd_idx = np.expand_dims(idx, axis)
        values = np.take_along_axis(d, kd_idx, axis).squeeze(axis)
        index = None
        if input._requires_grad:
            grids = np.indices(kd_idx.shape, sparse=True)
            index = tuple(kd_idx if k == axis else grids[k] for k in range(d.ndim))
        if keepdim:
            idx = kd_idx
            values = np.expand_dims(values, axis)
    values = record(spec, values, (input,), {"shape": d.shape, "axis": axis, "keepdim": keepdim, "index": index})
    return _SORTLIKE[name](values, wrap(np.asarray(idx, dtype=np.int64)))


_NOT_GIVEN = object()  # max(a, b, keepdim): torch's parser has no such overload


def max(input, dim=None, keepdim=_NOT_GIVEN, *, out=None):
    if isinstance(dim, Tensor):
        if keepdim is not _NOT_GIVEN:  # max(a, b, c): no overload of torch's takes it
            raise TypeError("max(input, other) takes no third argument")
        from .elementwise import maximum
        return maximum(input, dim)
    if keepdim is _NOT_GIVEN:
        keepdim = False
    if dim is None:
        return _whole("max", np.max, MAX1, input)
    return _along("max", np.argmax, MAX0, input, dim, keepdim)


def min(input, dim=None, keepdim=_NOT_GIVEN, *, out=None):
    if isinstance(dim, Tensor):
        if keepdim is not _NOT_GIVEN:  # min(a, b, c): no overload of torch's takes it
            raise TypeError("min(input, other) takes no third argument")
        from .elementwise import minimum
        return minimum(input, dim)
    if keepdim is _NOT_GIVEN:
        keepdim = False
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
    d = input._data
    if d.dtype.kind != "f":  # torch's empty cases return before its kernel
        if dim is None:
            if d.size:
                refuse("median", d.dtype)
        elif not (isinstance(dim, int) and d.ndim and d.shape[_wrap_dim(dim, d.ndim)] == 0):
            refuse("median_dim", d.dtype)
    if dim is None:
        return _whole("median", _lower_median, MEDIAN0, input)
    return _along("median", _median_arg, MEDIAN1, input, dim, keepdim)


def _amax_like(name, fn, spec, input, dim, keepdim):
    check_flag(keepdim)
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
    return record(spec, out, (input,), _by_count_params(d, fn, dims or None, keepdim, input._requires_grad))


def _by_count_params(d, fn, dims, keepdim, needed):
    """What amax/amin/aminmax's backward saves: the hits (result == self, so a nan result
    spreads nan as in torch) and their count per slice, in d's dtype."""
    kd = np.asarray(fn(d, axis=dims, keepdims=True))
    params = {"kd_shape": kd.shape, "keepdim": keepdim, "mask": None, "count": None}
    if needed:
        hit = np.asarray(d == kd)
        params.update(mask=hit, count=np.asarray(np.sum(hit, axis=dims, keepdims=True), dtype=d.dtype))
    return params


def amax(input, dim=(), keepdim=False):
    return _amax_like("amax", np.max, AMAX, input, dim, keepdim)


def amin(input, dim=(), keepdim=False):
    return _amax_like("amin", np.min, AMIN, input, dim, keepdim)


def aminmax(input, *, dim=None, keepdim=False):
    check_flag(keepdim)
    d = input._data
    axis = None if dim is None else _wrap_dim(dim, d.ndim)
    try:
        lo = np.asarray(np.min(d, axis=axis, keepdims=keepdim))
        hi = np.asarray(np.max(d, axis=axis, keepdims=keepdim))
    except ValueError:  # numpy's "zero-size array to reduction operation minimum"
        if d.size:
            raise
        if axis is None:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.") from None
        raise IndexError(f"aminmax: Expected reduction dim {axis} to have non-zero size.") from None
    dims = None if axis is None or d.ndim == 0 else (axis,)
    lo, hi = wrap(lo), wrap(hi)
    if input._requires_grad and grad_state.enabled:
        p_lo = _by_count_params(d, np.min, dims, keepdim, True)
        p_hi = _by_count_params(d, np.max, dims, keepdim, True)
        attach_outputs(AMINMAX, (lo, hi), (input,), {"kd_shape": p_lo["kd_shape"], "keepdim": keepdim,
                                                     "mask": (p_lo["mask"], p_hi["mask"]),
                                                     "count": (p_lo["count"], p_hi["count"])})
    return _AMINMAX_T(lo, hi)


def _argreduce(fn, input, dim, keepdim):
    check_flag(keepdim)
    d = input._data
    if d.dtype.kind != "f":
        refuse(fn.__name__, d.dtype)
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
