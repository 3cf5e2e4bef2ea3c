"""What a reduction reduces (its dims) and how its gradient goes back (torch's sum_backward:
unsqueeze the reduced dims, expand to the input's shape); shared by the reduction families."""

from __future__ import annotations

import operator

from ..tensor import Tensor, _wrap_dim


def check_flag(value):
    """A ``bool`` argument (keepdim, unbiased): anything else is a TypeError, which the call site
    words as torch's parser (``sum(0, 1)``: "argument 'keepdim' (position 2) must be bool")."""
    if type(value) is not bool:
        raise TypeError(f"expected a bool, not {type(value).__name__}")


def int_list(value):
    """A ``tuple of ints`` argument (dims, shifts) read as torch's parser reads it: an int, a
    one-element integer or bool tensor, or a list of those (a bool only after the first);
    anything else is a TypeError, which the call site words as torch's parser."""
    if isinstance(value, (list, tuple)):
        if value and type(value[0]) is bool:
            raise TypeError("a list of ints starts with a bool")
        return tuple(_one_int(v) for v in value)
    if type(value) is bool:
        raise TypeError("a bool is not a list of ints")
    return (_one_int(value),)


def _one_int(v):
    if isinstance(v, Tensor):
        if v._data.size != 1 or v._data.dtype.kind not in "biu":
            raise TypeError("only a one-element integer tensor is an int")
        return int(v._data.reshape(-1)[0])
    return operator.index(v)  # a TypeError for a float, a str...


def distinct_dims(dims, ndim):
    """``dims`` wrapped, in their order; a dim named twice is torch's error (dim_list_to_bitset)."""
    seen = []
    for d in dims:
        w = _wrap_dim(d, ndim)
        if w in seen:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        seen.append(w)
    return tuple(seen)


def _dims(dim, ndim):
    if dim is None:
        return None
    if type(dim) is not int:  # a list, or a one-element tensor; a TypeError for anything else
        dim = int_list(dim)
        # an empty list reduces every dim, as torch's sum/mean/std do
        dims = tuple(sorted(distinct_dims(dim, ndim))) if dim else tuple(range(ndim))
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


def _unsqueeze_multiple(grad, dims, F):
    """torch's unsqueeze_multiple: the reduced dims back as size-1 dims, in increasing order."""
    for d in dims:
        grad = F.unsqueeze(grad, d)
    return grad


def _mean_backward(grad, shape, dims, keepdim, n, F):
    """torch's mean_backward: sum_backward(grad) / n, the division a DivBackward1 under
    create_graph; on arrays grad / n comes first (the same values, each element is grad / n),
    so the broadcast stays a view."""
    if isinstance(grad, Tensor):
        return F.div_scalar(_expand_back(grad, shape, dims, keepdim, F), n)
    return _expand_back(grad / n, shape, dims, keepdim, F)
