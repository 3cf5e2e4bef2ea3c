"""torch.nn.functional.softshrink and hardshrink (SoftshrinkBackward0, HardshrinkBackward0):
both keep |x| = lambd inside the zero band, as torch's kernels do, and both gradients are
torch's own backward ops, so create_graph names them as torch does."""

from __future__ import annotations

import numpy as np

from .dtype_support import kernel_error
from .registry import backward_op, defop, record

_DTYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half"}


def _outside(self, lambd):
    return (self > lambd) | (self < -lambd)


SOFTSHRINK_BACKWARD = backward_op(
    "SoftshrinkBackwardBackward0",
    lambda grad, self, F, lambd: F.where(_outside(self, lambd), grad, 0.0),
    grad_output=lambda grad, self, lambd: SOFTSHRINK_BACKWARD(grad, self, lambd=lambd),
    self=lambda grad, F: F.zeros_like(grad))
HARDSHRINK_BACKWARD = backward_op(
    "HardshrinkBackwardBackward0",
    lambda grad, self, F, lambd: F.where(_outside(self, lambd), grad, 0.0),
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
    # inside the band torch's float32 kernel writes x * 0 (-0. for a negative x), its double one 0
    inside = x * x.dtype.type(0) if x.dtype == np.float32 else x.dtype.type(0)
    out = np.where(x > lam, x - lam, np.where(x < -lam, x + lam, inside))
    return record(SOFTSHRINK, out, (input,), {"lambd": float(lam)})


def hardshrink(input, lambd=0.5):
    x = input._data
    if x.dtype.kind != "f":
        raise kernel_error("hardshrink_cpu", x.dtype)
    lam = x.dtype.type(lambd)
    out = np.where((x >= -lam) & (x <= lam), x.dtype.type(0), x)
    return record(HARDSHRINK, out, (input,), {"lambd": float(lam)})
