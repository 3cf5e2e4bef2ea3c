"""torch.nn.functional.pairwise_distance: ‖x1 − x2 + eps‖ₚ over the last dim, through
torch.norm's dim overload (NormBackward1), as ATen composes it."""

from __future__ import annotations

from ..grad_mode import no_grad
from ..tensor import Tensor
from .activation import python_type_name
from .arithmetic import add_scalar
from .norms import VECTOR_NORM, _norm_grad, vector_norm
from .registry import defop, record

NORM_DIM = defop("NormBackward1", VECTOR_NORM.rule, self=_norm_grad)


def _norm_dim(x, p, dim, keepdim):
    """torch.norm(x, p, dim, keepdim): vector_norm's value, under NormBackward1."""
    with no_grad():
        value = vector_norm(x, p, dim, keepdim)
    dims = tuple(sorted({dim % x._data.ndim})) if x._data.ndim else None
    return record(NORM_DIM, value._data, (x,), {"p": float(p), "dims": dims, "keepdim": keepdim})


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    for i, (name, t) in enumerate((("x1", x1), ("x2", x2)), 1):
        if not isinstance(t, Tensor):
            raise TypeError(f"pairwise_distance(): argument '{name}' (position {i}) must be Tensor, not "
                            f"{python_type_name(t)}")
    ndim = max(x1._data.ndim, x2._data.ndim)
    diff = add_scalar(x1 - x2, eps)  # torch's Tensor + Scalar: AddBackward1
    return _norm_dim(diff, p, ndim - 1 if ndim else 0, keepdim)
