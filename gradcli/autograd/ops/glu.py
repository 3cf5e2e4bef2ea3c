"""F.glu: the first half of ``dim`` gated by the sigmoid of the second, as torch's own op
(GluBackward0), its derivative glu_backward one op too (GluBackwardBackward0 under
create_graph) with torch's second-derivative formulas."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, _wrap_dim
from .activation import python_type_name, reads
from .backends import numpy_ as _F
from .dtype_support import kernel_error
from .registry import backward_op, defop, record


def _halves(shape, dim):
    n = shape[dim] // 2
    lead = (slice(None),) * dim
    return lead + (slice(0, n),), lead + (slice(n, 2 * n),)


def _sigmoid(b):
    """torch's sigmoid of the second half (a strided view): its float32 kernel's SLEEF/libm split."""
    from .elementwise import _sigmoid as sigmoid_array
    return sigmoid_array(b)


def _glu_backward(grad, self, F, dim):
    """torch's glu_backward kernel: σ(b)·grad for the first half, ((1-σ(b))·σ(b))·a·grad for the second."""
    first, second = _halves(self.shape, dim)
    a, b = self[first], self[second]
    s = _sigmoid(b)
    out = np.empty(self.shape, dtype=np.result_type(grad, self))
    out[first] = s * grad
    out[second] = ((1 - s) * s) * a * grad
    return out


def _grad_output_formula(grad, self, dim, F):
    """glu_double_backward_grad_output: grad·glu_backward(ones), its two halves summed."""
    first, second = _halves(self.shape, dim)
    s = F.sigmoid(self[second])
    return grad[first] * s + grad[second] * (((1 - s) * s) * self[first])


def _self_formula(grad, grad_output, self, dim, F):
    """glu_double_backward, as torch's formula writes it."""
    first, second = _halves(self.shape, dim)
    a = self[first]
    sig = F.sigmoid(self[second])
    one_sub_sig = 1 - sig
    sig_one_sub_sig = sig * one_sub_sig
    gg_first, gg_second = grad[first], grad[second]
    g_first = gg_second * grad_output * sig_one_sub_sig
    second_order = sig_one_sub_sig * one_sub_sig - sig * sig_one_sub_sig
    g_second = gg_first * grad_output * sig_one_sub_sig + (gg_second * a) * grad_output * second_order
    if F is _F:
        return np.concatenate([g_first, g_second], axis=dim)
    return F.cat([g_first, g_second], dim)  # CatBackward0, as torch's at::cat


GLU_BACKWARD = backward_op(
    "GluBackwardBackward0", _glu_backward,
    {"grad_output": "σ(b) on the first half, σ(b)(1-σ(b))·a on the second, summed",
     "self": "glu_double_backward"},
    grad_output=_grad_output_formula, self=_self_formula)
GLU = defop("GluBackward0", {"self": "σ(b) for the first half a, σ(b)(1-σ(b))·a for the second half b"},
            self=lambda grad, self, dim: GLU_BACKWARD(grad, self, dim=dim))


def glu(input, dim=-1):
    reads(input, "dim")
    if input._data.ndim == 0:  # torch's F.glu tests this before its C++ op parses dim
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if isinstance(dim, bool) or not isinstance(dim, int) and not (
            isinstance(dim, Tensor) and dim._data.ndim == 0 and dim._data.dtype.kind in "iu"):
        # then torch._C._nn.glu parses dim
        raise TypeError(f"glu(): argument 'dim' (position 2) must be int, not {python_type_name(dim)}")
    dim = int(dim)
    d = input._data
    wrapped = _wrap_dim(dim, d.ndim)
    n = d.shape[wrapped]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim % d.ndim} is size {n}")
    if d.dtype.kind != "f":
        raise kernel_error("glu_cpu", d.dtype)
    first, second = _halves(d.shape, wrapped)
    out = d[first] * _sigmoid(d[second])  # torch's kernel: a * (1 / (1 + exp(-b)))
    return record(GLU, out, (input,), {"dim": wrapped})
