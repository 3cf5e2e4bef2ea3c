"""Views of part of a tensor: the pieces of split, chunk and unbind (one multi-output op in
torch, so a piece may not be written in place), select and narrow."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, _wrap_dim
from . import indexing as _i
from .joins import _shape_text, stack as _stack
from .registry import attach_outputs, defop
from .views import make_view as _view_of


# one node for all pieces, as torch: its formula gets every piece's gradient (None for pieces
# that got none) and joins them, zeros for the missing, with one cat / stack (one node of that
# name under create_graph)
def _split_backward(grads, shape, dim, bounds, F):
    like = next(g for g in grads if g is not None)
    parts = [g if g is not None else F.new_zeros(like, shape[:dim] + (b - a,) + shape[dim + 1:])
             for g, a, b in zip(grads, bounds, bounds[1:])]
    return F.cat(parts, dim)


def _unbind_backward(grads, shape, dim, F):
    like = next(g for g in grads if g is not None)
    parts = [g if g is not None else F.new_zeros(like, shape[:dim] + shape[dim + 1:]) for g in grads]
    return _stack(parts, dim) if isinstance(like, Tensor) else np.stack(parts, axis=dim)


_JOIN = {"self": "the pieces' gradients joined, zeros for pieces without one"}
SPLIT = defop("SplitBackward0", _JOIN, self=lambda grad, shape, dim, bounds, F: _split_backward(
    grad, shape, dim, bounds, F))
SPLIT_SIZES = defop("SplitWithSizesBackward0", _JOIN, self=lambda grad, shape, dim, bounds, F: _split_backward(
    grad, shape, dim, bounds, F))
UNBIND = defop("UnbindBackward0", _JOIN, self=lambda grad, shape, dim, F: _unbind_backward(grad, shape, dim, F))


def _pieces(self, spec, dim, bounds):
    d = self._data
    lead = (slice(None),) * dim
    out = tuple(_view_of(spec, d[lead + (slice(a, b),)], self, None, i)
                for i, (a, b) in enumerate(zip(bounds, bounds[1:])))
    attach_outputs(spec, out, (self,), {"shape": d.shape, "dim": dim, "bounds": tuple(bounds)})
    return out


def split(tensor, split_size_or_sections, dim=0):
    d = tensor._data
    if d.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = _wrap_dim(dim, d.ndim)
    n = d.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                               f"split_sizes={_shape_text(sizes)}")
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                f"dimension {dim}), but got split_sizes={_shape_text(sizes)}")
        bounds = [0]
        for s in sizes:
            bounds.append(bounds[-1] + s)
        return _pieces(tensor, SPLIT_SIZES, dim, bounds)
    size = int(split_size_or_sections)
    if size == 0 and n != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
    bounds = list(range(0, n, size)) + [n] if n else [0, 0]
    return _pieces(tensor, SPLIT, dim, bounds)


def split_with_sizes(input, split_sizes, dim=0):
    return split(input, list(split_sizes), dim)


def chunk(input, chunks, dim=0):
    if chunks.__class__ is float:  # torch's parser refuses it (0.5 made one piece)
        raise TypeError("chunks must be an int")
    d = input._data
    if d.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = d.shape[_wrap_dim(dim, d.ndim)]
    if n == 0:  # torch: `chunks` empty pieces, by split_with_sizes
        return split(input, [0] * chunks, dim)
    return split(input, -(-n // chunks), dim)


def unbind(input, dim=0):
    d = input._data
    if d.ndim == 0:
        _wrap_dim(dim, 0)  # torch wraps the dim first: [-1, 0]
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = _wrap_dim(dim, d.ndim)
    lead = (slice(None),) * dim
    shape = d.shape
    # the Ellipsis keeps numpy from returning a 0-d piece as a scalar copy
    out = tuple(_view_of(UNBIND, d[lead + (i, Ellipsis)], input, None, i) for i in range(shape[dim]))
    if out:
        attach_outputs(UNBIND, out, (input,), {"shape": shape, "dim": dim})
    return out


def select(input, dim, index):
    d = input._data
    if not d.ndim:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = _wrap_dim(dim, d.ndim)
    n = d.shape[dim]
    index = int(index)
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size {_shape_text(d.shape)} "
                         f"at dimension {dim}")
    at = (slice(None),) * dim + (index, Ellipsis)
    return _view_of(_i.SELECT, d[at], input, {"shape": d.shape, "index": at})


NARROW = defop("SliceBackward0", {"self": "the gradient in place, zeros elsewhere"},
               self=lambda grad, shape, index: _i.view_backward(grad, shape, index))


def narrow(input, dim, start, length):
    d = input._data
    if not d.ndim:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = _wrap_dim(dim, d.ndim)
    n = d.shape[dim]
    start = int(start)
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    index = (slice(None),) * dim + (slice(start, start + length),)
    return _view_of(NARROW, d[index], input, {"shape": d.shape, "index": index})


TENSOR_METHODS = {"split": split, "split_with_sizes": split_with_sizes, "chunk": chunk, "unbind": unbind, "narrow": narrow, "select": select}
TORCH_EXPORTS = dict(TENSOR_METHODS)
