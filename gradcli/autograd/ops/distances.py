"""torch.cdist: p-norm distances between the rows of two (batches of) matrices, with torch's
CdistBackward0 node; its first derivative is torch's own op (CdistBackwardBackward0), which
has no derivative of its own, as in torch."""

from __future__ import annotations

import numpy as np

from ..limits import check_broadcast
from ..tensor import Tensor
from ._dispatch import _torch_type_name
from .registry import backward_op, defop, record


# the pairwise differences are summed in row blocks of about this many elements, so memory
# follows the result's size, not rows·rows·columns (each distance is summed as it is whole)
_BLOCK_ELEMENTS = 1 << 22


def _in_row_blocks(fn, x1, x2, *per_row):
    """fn over blocks of x1's rows (and the same rows of each of ``per_row``), joined."""
    rows = x1.shape[-2]
    other = x2.shape[-2] * x2.shape[-1]  # a row's share of the differences: all of x2, per batch
    for s in np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2]):
        other *= s
    step = max(1, _BLOCK_ELEMENTS // max(1, other))
    if rows <= step:
        return fn(x1, x2, *per_row)
    return np.concatenate([fn(x1[..., i:i + step, :], x2, *(a[..., i:i + step, :] for a in per_row))
                           for i in range(0, rows, step)], axis=-2)


def cdist_array(x1, x2, p):
    return _in_row_blocks(lambda a, b: _cdist_block(a, b, p), x1, x2)


def _cdist_block(x1, x2, p):
    diff = np.abs(x1[..., :, None, :] - x2[..., None, :, :])
    with np.errstate(all="ignore"):
        if p == 0:
            return np.sum(diff != 0, axis=-1).astype(x1.dtype)
        if p == np.inf:
            return np.max(diff, axis=-1, initial=0).astype(x1.dtype, copy=False)
        if p == 1:
            return np.sum(diff, axis=-1)
        if p == 2:
            return np.sqrt(np.sum(diff * diff, axis=-1))
        return np.power(np.sum(np.power(diff, p), axis=-1), 1 / p)


def cdist_backward_array(grad, x1, x2, p, dist):
    """d/dx1 of sum(grad · cdist(x1, x2)), by torch's case formulas (0 where a distance is 0)."""
    return _in_row_blocks(lambda a, b, g, d: _cdist_backward_block(g, a, b, p, d), x1, x2, grad, dist)


def _cdist_backward_block(grad, x1, x2, p, dist):
    diff = x1[..., :, None, :] - x2[..., None, :, :]
    g = grad[..., None]
    d = dist[..., None]
    with np.errstate(all="ignore"):
        if p == 0:
            part = np.zeros_like(diff)
        elif p == 1:
            part = np.sign(diff) * g
        elif p == 2:
            part = np.where(d == 0, 0, diff * g / d)
        elif p == np.inf:
            part = np.sign(diff) * (np.abs(diff) == d) * g
        elif p < 1:
            part = np.where((diff == 0) | (d == 0), 0, np.sign(diff) * np.power(np.abs(diff), p - 1) * g
                            / np.power(d, p - 1))
        elif p < 2:
            part = np.where(d == 0, 0, np.sign(diff) * np.power(np.abs(diff), p - 1) * g / np.power(d, p - 1))
        else:
            part = np.where(d == 0, 0, diff * np.power(np.abs(diff), p - 2) * g / np.power(d, p - 1))
    return np.sum(part, axis=-2).astype(x1.dtype, copy=False)


def _no_derivative(grad):
    raise NotImplementedError("the derivative for '_cdist_backward' is not implemented.")


def _x1_grad(grad, x1, x2, dist, p, F):
    return cdist_backward_array(grad, x1, x2, p, dist)


def _x2_grad(grad, x1, x2, dist, p, F):
    return cdist_backward_array(np.swapaxes(grad, -1, -2), x2, x1, p, np.swapaxes(dist, -1, -2))


CDIST_BACKWARD_X1 = backward_op("CdistBackwardBackward0", _x1_grad, {"grad": "not implemented"},
                                grad=_no_derivative, x1=_no_derivative, x2=_no_derivative, dist=_no_derivative)
CDIST_BACKWARD_X2 = backward_op("CdistBackwardBackward0", _x2_grad, {"grad": "not implemented"},
                                grad=_no_derivative, x1=_no_derivative, x2=_no_derivative, dist=_no_derivative)
CDIST = defop("CdistBackward0", {"x1": "the p-norm's gradient, summed over x2's rows",
                                 "x2": "the p-norm's gradient, summed over x1's rows"},
              x1=lambda grad, x1, x2, result, p: CDIST_BACKWARD_X1(grad, x1, x2, result, p=p),
              x2=lambda grad, x1, x2, result, p: CDIST_BACKWARD_X2(grad, x1, x2, result, p=p))


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    if not isinstance(x1, Tensor) or not isinstance(x2, Tensor):
        raise TypeError("cdist() takes tensors")
    a, b = x1._data, x2._data
    if a.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {a.ndim}D")
    if b.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {b.ndim}D")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {a.shape[-1]} X2: {b.shape[-1]}")
    if a.dtype.kind != "f":
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {_torch_type_name(a.dtype)}")
    if b.dtype.kind != "f":
        raise RuntimeError(f"cdist only supports floating-point dtypes, X2 got: {_torch_type_name(b.dtype)}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected scalar type {_torch_type_name(a.dtype)} but found {_torch_type_name(b.dtype)}")
    p = float(p)
    check_broadcast((a.shape[:-2] + (a.shape[-2], b.shape[-2]), b.shape[:-2] + (1, 1)), a.itemsize)
    return record(CDIST, cdist_array(a, b, p).astype(a.dtype, copy=False), (x1, x2), {"p": p})


def _cdist_python(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    if not isinstance(x2, Tensor):  # torch.cdist is Python: its _cdist_forward's parser words it
        raise TypeError(f"cdist(): argument 'x2' (position 2) must be Tensor, not {type(x2).__name__}")
    if isinstance(p, Tensor) and p._data.ndim == 0:
        p = float(p._data)
    if not isinstance(p, (int, float)):
        raise TypeError(f"cdist(): argument 'p' (position 3) must be float, not {type(p).__name__}")
    return cdist(x1, x2, p, compute_mode)


_cdist_python.__name__ = _cdist_python.__qualname__ = "cdist"
TORCH_EXPORTS = {"cdist": _cdist_python}


# -- dist: the p-norm of self - other, with torch's own node ---------------------------------------

def _dist_grad(grad, self, other, result, p, F, sign):
    from .norms import _norm_grad
    g = _norm_grad(grad, self - other, result, p, None, False, F)
    if g is None:
        return None
    return g if sign > 0 else -g


DIST = defop("DistBackward0", {"self": "d‖self - other‖ₚ", "other": "-d‖self - other‖ₚ"},
             self=lambda grad, self, other, result, p, F: _dist_grad(grad, self, other, result, p, F, 1),
             other=lambda grad, self, other, result, p, F: _dist_grad(grad, self, other, result, p, F, -1))


def dist(input, other, p=2):
    from ..grad_mode import state as grad_state
    from .arithmetic import sub
    from .norms import vector_norm
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError("dist() takes tensors")  # the call site words it as torch's parser
    prev = grad_state.enabled
    grad_state.enabled = False
    try:
        diff = sub(input, other)  # torch subtracts first: -bool's error comes before the norm's
        if diff._data.dtype.kind != "f":
            raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                               f"{_torch_type_name(diff._data.dtype)} instead.")
        out = vector_norm(diff, float(p))._data
    finally:
        grad_state.enabled = prev
    return record(DIST, out, (input, other), {"p": float(p)})


TORCH_EXPORTS["dist"] = dist
TENSOR_METHODS = {"dist": dist}
