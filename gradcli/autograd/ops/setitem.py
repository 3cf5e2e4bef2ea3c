"""``t[index] = value``: as torch, the basic part of the index is a view of the tensor (none
when it selects everything), written in place by fill_/copy_, or by index_put_ for an advanced
part; the in-place machinery (_dispatch.inplace, views.set_history) makes the base's CopySlices.
Indexing's ``__setitem__``: indexing.py parses the index for both directions, and imports this
module after its parser, so this one reads the parser at call time."""

from __future__ import annotations

import numpy as np

from ..grad_mode import state as grad_state
from ..tensor import Tensor
from ._dispatch import bump_version, check_inplace, inplace
from .joins import _shape_text
from .registry import defop, record
from .views import OVERLAP, has_overlap, make_view

_SET_RULE = {"self": "the gradient with zeros at the index", "values": "the gradient at the index"}


def _zeros_at(grad, index):
    """The gradient with zeros at ``index`` (torch: grad.index_put(indices, zeros), IndexPutBackward0
    under create_graph)."""
    if isinstance(grad, Tensor):
        out = np.array(grad._data, copy=True)
        out[index] = 0
        from ..tensor import wrap
        return record(INDEX_PUT, out, (grad, wrap(np.zeros((), out.dtype))), {"shape": out.shape, "index": index})
    out = np.array(grad, copy=True)
    out[index] = 0
    return out


INDEX_PUT = defop("IndexPutBackward0", _SET_RULE,
                  self=lambda grad, index: _zeros_at(grad, index),
                  values=lambda grad, index: grad[index])
# fill_/copy_: nothing saved
FILL = defop("FillBackward3", {"self": "0", "values": "sum of the gradient"},
             self=lambda grad, F: F.zeros_like(grad), values=lambda grad, F: F.sum(grad))
COPY = defop("CopyBackwards", {"self": "0", "values": "the gradient"},
             self=lambda grad, F: F.zeros_like(grad), values=lambda grad: grad)

# torch saves the indices: a second backward pass fails
INDEX_PUT.saves = ("index",)


def setitem(self, index, value):
    d = self._data
    from .indexing import ALIAS, _check_advanced, _parse
    basic, spec, second = _parse(d, index)
    if isinstance(value, Tensor):
        src = value._data
    elif isinstance(value, (int, float, bool, np.number)):
        src = value
    else:
        from ..tensor import _LEGACY_NAMES
        raise TypeError(f"can't assign a {type(value).__name__} to a {_LEGACY_NAMES.get(d.dtype.name, 'torch.Tensor')}")
    # slices that take a whole dimension select nothing (torch's applySlice returns the tensor)
    region = d[basic]
    if second is None and 0 in region.strides and has_overlap(region):  # copy_/fill_ of a tensor: refused
        raise RuntimeError(OVERLAP)
    whole = second is None and all(k is Ellipsis or type(k) is slice for k in basic) and (
        region.strides == d.strides and region.shape == d.shape)
    if grad_state.enabled and (self._requires_grad or isinstance(value, Tensor) and value._requires_grad):
        if whole or spec is ALIAS and second is not None:
            target = self
        else:
            if Ellipsis not in basic:
                basic = basic + (Ellipsis,)
            target = make_view(spec, d[basic], self, {"shape": d.shape, "index": basic})
        check_inplace(target, True)
        _write(target, second, value, src)
        return
    if second is None:
        try:
            d[basic] = src
        except ValueError:
            _expand_error(np.shape(src), np.shape(d[basic]))
    else:
        view = d[basic]
        _check_advanced(view, second)
        try:
            view[second] = src
        except ValueError:
            _index_put_error(src, view[second])
    bump_version(self)


def _write(target, second, value, src):
    """``target[second] = value`` (all of target when ``second`` is None), recorded."""
    td = target._data
    if second is None:
        spec = FILL if np.ndim(src) == 0 and td.ndim else COPY  # torch's copy_to: fill_ only to spread a number
        try:
            out = np.broadcast_to(src, td.shape).astype(td.dtype)
        except ValueError:
            _expand_error(np.shape(src), td.shape)
        op = lambda old, v: record(spec, out, (old, v))  # noqa: E731
    else:
        from .indexing import _check_advanced
        _check_advanced(td, second)
        out = np.array(td, copy=True)
        try:
            out[second] = src
        except ValueError:
            _index_put_error(src, td[second])
        op = lambda old, v: record(INDEX_PUT, out, (old, v), {"shape": td.shape, "index": second})  # noqa: E731
    inplace(target, op, value)


def _index_put_error(src, target):
    raise RuntimeError(
        f"shape mismatch: value tensor of shape {_shape_text(np.shape(src))} cannot be broadcast to "
        f"indexing result of shape {_shape_text(target.shape)}") from None


def _expand_error(src_shape, target):
    n = len(target)
    if len(src_shape) > n:
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{_shape_text(src_shape)}}}, size={_shape_text(target)}): the number "
            f"of sizes provided ({n}) must be greater or equal to the number of dimensions in the tensor "
            f"({len(src_shape)})")
    lead = n - len(src_shape)
    for i, s in enumerate(src_shape):
        if s != target[lead + i] and s != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[lead + i]}) must match the existing size ({s}) at "
                f"non-singleton dimension {lead + i}.  Target sizes: {_shape_text(target)}.  "
                f"Tensor sizes: {_shape_text(src_shape)}")
