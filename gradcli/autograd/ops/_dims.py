"""What a reduction reduces (its dims) and how its gradient goes back (torch's sum_backward:
unsqueeze the reduced dims, expand to the input's shape); shared by the reduction families."""

from __future__ import annotations

from ..tensor import Tensor, _wrap_dim


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
