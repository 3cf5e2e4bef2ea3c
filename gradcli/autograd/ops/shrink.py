"""torch.nn.functional.softshrink and hardshrink (SoftshrinkBackward0, HardshrinkBackward0):
both keep |x| = lambd inside the zero band, as torch's kernels do, and both gradients are
torch's own backward ops, so create_graph names them as torch does."""

from __future__ import annotations

import numpy as np

from .dtype_support import kernel_error
from .float32_math import vector_lanes
from .registry import backward_op, defop, record

_DTYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half"}


def _shrink_backward(grad, self, lambd, F):
    """torch's kernels: (x >= -lambd && x <= lambd) ? 0 : grad, so a nan passes grad in the
    scalar loop; their Vectorized branch gives 0 at nan (by the element's position)."""
    x = getattr(self, "_data", self)  # the mask is not differentiated: arrays in either pass
    zero = (x >= -lambd) & (x <= lambd)
    lanes = vector_lanes(x)
    if lanes.any():
        zero = zero | (np.isnan(x) & lanes)
    return F.where(zero, 0.0, grad)


SOFTSHRINK_BACKWARD = backward_op(
    "SoftshrinkBackwardBackward0",
    lambda grad, self, F, lambd: _shrink_backward(grad, self, lambd, F),
    grad_output=lambda grad, self, lambd: SOFTSHRINK_BACKWARD(grad, self, lambd=lambd),
    self=lambda grad, F: F.zeros_like(grad))
HARDSHRINK_BACKWARD = backward_op(
    "HardshrinkBackwardBackward0",
    lambda grad, self, F, lambd: _shrink_backward(grad, self, lambd, F),
    grad_out=lambda grad, self, lambd: HARDSHRINK_BACKWARD(grad, self, lambd=lambd),
    self=lambda grad, F: F.zeros_like(grad))

SOFTSHRINK = defop("SoftshrinkBackward0", {"self": "1 where |self| > lambd, else 0"},
                   self=lambda grad, self, lambd: SOFTSHRINK_BACKWARD(grad, self, lambd=lambd))
HARDSHRINK = defop("HardshrinkBackward0", {"self": "1 where |self| > lambd, else 0"},
                   self=lambda grad, self, lambd: HARDSHRINK_BACKWARD(grad, self, lambd=lambd))


def _scalar_text(v) -> str:
    return str(v) if isinstance(v, int) else f"{v:g}"


def softshrink(input, lambd=0.5):
    x = input._data
    if x.dtype.kind != "f":
        raise kernel_error("softshrink_check", x.dtype)
    top = float(np.finfo(x.dtype).max)
    if not 0 <= lambd <= top:
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{_DTYPE_NAMES.get(x.dtype.name, x.dtype.name)}, but found {_scalar_text(lambd)}")
    lam = x.dtype.type(lambd)
    # inside the band torch's scalar loop writes x·0 (-0. for a negative x, nan for nan), its
    # Vectorized branch 0 (nan stays nan): which one an element gets is its position's
    inside = x * x.dtype.type(0)
    lanes = vector_lanes(x)
    if lanes.any():
        inside = np.where(lanes & ~np.isnan(x), x.dtype.type(0), inside)
    out = np.where(x > lam, x - lam, np.where(x < -lam, x + lam, inside))
    return record(SOFTSHRINK, out, (input,), {"lambd": float(lam)})


def hardshrink(input, lambd=0.5):
    x = input._data
    if x.dtype.kind != "f":
        raise kernel_error("hardshrink_cpu", x.dtype)
    lam = x.dtype.type(lambd)
    out = np.where((x >= -lam) & (x <= lam), x.dtype.type(0), x)
    return record(HARDSHRINK, out, (input,), {"lambd": float(lam)})
