"""Vector norms: torch.norm, Tensor.norm, torch.linalg.norm/vector_norm (one op,
LinalgVectorNormBackward0), with torch's argument checks and its refusals over empty dims."""

from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor, _wrap_dim
from ._dims import distinct_dims, int_list
from . import shape as _s
from .registry import defop, record


def _norm_grad(grad, self, result, p, dims, keepdim, F):
    """torch's norm_backward, formula for formula (the zero norm masked after the division, so
    its second derivative is torch's nan at a zero vector)."""
    if dims is not None and not keepdim:
        for d in dims:
            grad = F.unsqueeze(grad, d)
            result = F.unsqueeze(result, d)
    if p == 0:
        return None  # torch: no gradient at all (x.grad stays None), not zeros
    if p == 1:
        return F.sgn(self) * grad
    if p == 2:
        return grad * F.masked_fill(self / result, result == 0, 0.0)
    if math.isinf(p):
        self_abs = F.abs(self)
        mask = F.float_like((self_abs == result) | (self_abs != self_abs), self)
        return F.sgn(self) * ((grad / F.sum(mask, dims, True)) * mask)
    if p < 1:
        scaled = F.sgn(self) * F.masked_fill(F.pow(F.abs(self), p - 1), self == 0, 0.0)
        return scaled * grad * F.pow(result, 1 - p)
    if p < 2:
        scaled = F.sgn(self) * F.pow(F.abs(self), p - 1)
    else:
        scaled = self * F.pow(F.abs(self), p - 2)
    return scaled * F.masked_fill(grad / F.pow(result, p - 1), result == 0, 0.0)


VECTOR_NORM = defop("LinalgVectorNormBackward0", {"self": "d‖self‖ₚ/dself (0 where the norm is 0)"},
                    self=_norm_grad)


def _norm_forward(d, p, axes, keepdim):
    if p == 2:
        return np.sqrt(np.sum(d * d, axis=axes, keepdims=keepdim))
    a = np.abs(d)
    if p == 1:
        return np.sum(a, axis=axes, keepdims=keepdim)
    if p == math.inf:
        return np.max(a, axis=axes, keepdims=keepdim, initial=0.0)
    if p == -math.inf:
        return np.min(a, axis=axes, keepdims=keepdim)
    if p == 0:
        return np.sum(a != 0, axis=axes, keepdims=keepdim).astype(d.dtype)
    return np.sum(a ** p, axis=axes, keepdims=keepdim) ** (1.0 / p)


def _index_like(v):
    try:
        int_list((v,))
        return True
    except TypeError:
        return False


def _check_identity(d, p, dim):
    """torch refuses a max/min-like norm (inf, or a negative order) over an empty reduction."""
    dims = () if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on an empty tensor because the "
                           "operation does not have an identity")
    for k in dims:  # torch's own text has no space before "because"
        if d.shape[_wrap_dim(k, d.ndim)] == 0:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on the dimension {k}because "
                               "this dimension is empty and the operation does not have an identity")


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    if type(keepdim) is not bool:  # torch.norm and Tensor.norm pass it on by position too
        raise TypeError(f"linalg_vector_norm(): argument 'keepdim' (position 4) must be bool, not {type(keepdim).__name__}")
    if not isinstance(ord, (int, float)) and not (isinstance(ord, Tensor) and ord._data.ndim == 0):
        name = {"Size": "torch.Size", "dtype": "torch.dtype"}.get(type(ord).__name__, type(ord).__name__)
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {name}")
    d = x._data
    if d.dtype.kind not in "fc":
        from ._dispatch import _torch_type_name
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {_torch_type_name(d.dtype)}")
    if dtype is not None:
        d = d.astype(dtype.np)
    p = float(ord)
    if d.size == 0 and (p < 0 or p == math.inf):
        _check_identity(d, p, dim)
    if dim is None:
        dims = None
    else:
        try:
            listed = int_list(dim)
        except TypeError:  # torch.norm and Tensor.norm pass dim on by position too
            head = "linalg_vector_norm(): argument 'dim'"
            if isinstance(dim, (list, tuple)) and dim:
                if type(dim[0]) is bool or not _index_like(dim[0]):
                    raise TypeError(f"{head} (position 3) must be tuple of ints, but found element of type "
                                    f"{type(dim[0]).__name__} at pos 0") from None
                j, bad = next((j, v) for j, v in enumerate(dim, 1) if not _index_like(v))
                raise TypeError(f"{head} failed to unpack the object at pos {j} with error \"type must be "
                                f"tuple of ints,but got {type(bad).__name__}\"") from None
            raise TypeError(f"{head} (position 3) must be tuple of ints, not {type(dim).__name__}") from None
        dims = tuple(sorted(distinct_dims(listed, d.ndim)))
        if not dims or not d.ndim:  # a 0-d tensor takes dim 0/-1 and reduces nothing
            dims = None
    if p == 2:
        result = np.sqrt(_sum_of_squares(d, dims, keepdim))
    else:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            result = _norm_forward(d, p, dims, keepdim)
    src = x if dtype is None else _s._to_copy(x, dtype.np)
    return record(VECTOR_NORM, np.asarray(result, dtype=d.dtype), (src,),
                  {"p": p, "dims": dims, "keepdim": keepdim})


# up to these lengths torch's contiguous 2-norm reduction is modelled (measured, float32 / float64)
_NORM2_IN_ORDER = {np.dtype(np.float32): 11, np.dtype(np.float64): 7}


def _sum_of_squares(d, dims, keepdim):
    """Σx² as torch's norm kernel adds for p=2: along contiguous rows, vector lanes of FMAs
    (8 wide, then a half vector), the lanes added in order, the rest FMA'd onto the sum; along
    another single dim, squares added in order. Longer rows: numpy's sum (torch's differs by an
    ulp in ~10-30% of them)."""
    limit = _NORM2_IN_ORDER.get(d.dtype)
    if limit is None or d.size == 0:
        return np.sum(d * d, axis=dims, keepdims=keepdim)
    whole = dims is None or len(dims) == d.ndim
    if whole and d.flags.c_contiguous and d.size <= limit:
        out = _norm2_row(d.reshape(1, -1))[0]
        return out.reshape((1,) * d.ndim) if keepdim else out
    if dims is not None and len(dims) == 1:
        axis = dims[0]
        rows = np.moveaxis(d, axis, -1)
        if axis == d.ndim - 1 and d.strides[-1] == d.itemsize and d.shape[-1] <= limit:
            out = _norm2_row(rows)
        elif axis != d.ndim - 1 and d.flags.c_contiguous:
            out = rows[..., 0] * rows[..., 0]
            for k in range(1, rows.shape[-1]):
                out = out + rows[..., k] * rows[..., k]
        else:
            return np.sum(d * d, axis=dims, keepdims=keepdim)
        return np.expand_dims(out, axis) if keepdim else out
    return np.sum(d * d, axis=dims, keepdims=keepdim)


def _norm2_row(x):
    from .sleef_f32 import fma32, fma64
    fma = fma32 if x.dtype == np.float32 else fma64
    n = x.shape[-1]
    acc = np.zeros(x.shape[:-1] + (8,), x.dtype)
    k = 0
    while k + 8 <= n:
        acc = fma(x[..., k:k + 8], x[..., k:k + 8], acc)
        k += 8
    if k + 4 <= n:
        acc[..., :4] = fma(x[..., k:k + 4], x[..., k:k + 4], acc[..., :4])
        k += 4
    total = acc[..., 0]
    for i in range(1, 8):
        total = total + acc[..., i]
    for i in range(k, n):
        total = fma(x[..., i], x[..., i], total)
    return np.asarray(total, x.dtype)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    if isinstance(p, str):
        if p == "fro":
            return vector_norm(input, 2, dim, keepdim, dtype=dtype)
        raise NotImplementedError(f"norm with p={p!r} is not supported by gradcli")
    return vector_norm(input, 2 if p is None else p, dim, keepdim, dtype=dtype)


def _tensor_norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    return norm(self, p, dim, keepdim, dtype=dtype)


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    if ord is None or (ord == "fro" and (dim is None or not isinstance(dim, int))):
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if isinstance(ord, str) or A._data.ndim == 2 and dim is None or isinstance(dim, (tuple, list)) and len(dim) == 2:
        raise NotImplementedError("matrix norms are not supported by gradcli")
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)
