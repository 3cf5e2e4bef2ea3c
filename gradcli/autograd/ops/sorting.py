"""sort and topk: values with their indices as torch.return_types, and a gradient that goes
back to the places the values came from (a gather's gradient)."""

from __future__ import annotations

import numpy as np

from ..tensor import _wrap_dim, wrap
from .indexing import GATHER_BACKWARD
from .minmax import _return_type
from .registry import defop, record
from .tie_order import sort_indices, topk_indices
from ._dims import check_flag
from .dtype_support import refuse

_SORT_T = _return_type("sort", ("values", "indices"))
_TOPK_T = _return_type("topk", ("values", "indices"))

# NOTE: torch saves the indices (an output), so a second backward pass fails as for gather
SORT = defop("SortBackward0", {"self": "grad scattered back to the sorted positions"},
             self=lambda grad, shape, index: GATHER_BACKWARD(grad, shape=shape, index=index))
TOPK = defop("TopkBackward0", {"self": "grad scattered back to the selected positions"},
             self=lambda grad, shape, index: GATHER_BACKWARD(grad, shape=shape, index=index))
# sort.stable, the overload torch takes whenever stable= is given (True or False)
SORT_STABLE = defop("SortBackward1", {"self": "grad scattered back to the sorted positions"},
                    self=lambda grad, shape, index: GATHER_BACKWARD(grad, shape=shape, index=index))
SORT.saves = SORT_STABLE.saves = TOPK.saves = ("index",)


def _order(d, axis, descending):
    """Stable order along ``axis``; nan counts as the largest value, as in torch."""
    if not descending:
        return np.argsort(d, axis=axis, kind="stable")
    # reversing a stable ascending order of the reversed input keeps ties in input order
    n = d.shape[axis]
    rev = np.flip(d, axis)
    order = np.flip(np.argsort(rev, axis=axis, kind="stable"), axis)
    return n - 1 - order


def _select(spec, rtype, input, order, axis):
    d = input._data
    if d.ndim == 0:
        idx = np.zeros((), np.int64)
        full = ()
        values = d.copy()
    else:
        grids = np.indices(order.shape, sparse=True)
        full = tuple(order if k == axis else grids[k] for k in range(d.ndim))
        values = d[full]
    params = {"shape": d.shape, "index": full}
    return rtype(record(spec, values, (input,), params), wrap(np.asarray(order if d.ndim else idx, dtype=np.int64)))


def sort(input, dim=-1, descending=False, *, stable=None):
    check_flag(descending)
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    order = None
    if d.ndim:  # torch's stable=False is std::sort: ties past 16 elements end up in introsort's order
        order = _order(d, axis, descending) if stable else sort_indices(
            d, axis, descending, lambda a, ax: _order(a, ax, descending))
    return _select(SORT if stable is None else SORT_STABLE, _SORT_T, input, order, axis)


def topk(input, k, dim=-1, largest=True, sorted=True):
    if k.__class__ is float:  # torch's parser refuses it before the size check
        raise TypeError("k must be an int")
    check_flag(largest)
    check_flag(sorted)
    d = input._data
    axis = _wrap_dim(dim, d.ndim)
    size = d.shape[axis] if d.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if d.dtype.kind != "f":
        refuse("topk", d.dtype)
    if not d.ndim:
        return _select(TOPK, _TOPK_T, input, None, axis)
    order = topk_indices(d, k, axis, largest, sorted, lambda a, ax: _order(a, ax, largest))  # torch's ties
    return _select(TOPK, _TOPK_T, input, order, axis)


def argsort(input, dim=-1, descending=False, *, stable=False):  # no gradient: SortBackward1 unseen
    return sort(input, dim, descending, stable=stable)[1]


TENSOR_METHODS = {"sort": sort, "topk": topk, "argsort": argsort}
TORCH_EXPORTS = {"sort": sort, "topk": topk, "argsort": argsort}

from . import unique as _unique  # noqa: E402  (unique, msort)

TENSOR_METHODS.update(_unique.TENSOR_METHODS)
TORCH_EXPORTS.update(_unique.TORCH_EXPORTS)

from . import counting as _counting  # noqa: E402  (bincount, histc, searchsorted, bucketize)

TENSOR_METHODS.update(_counting.TENSOR_METHODS)
TORCH_EXPORTS.update(_counting.TORCH_EXPORTS)
