"""``out=`` for torch-level functions (``torch.matmul(a, b, out=c)``, the "Tensors" tutorial):
the result is written into ``out``, which is returned.

As in torch: no autograd through an out= call (an error when grad mode is on and an input or
``out`` requires grad), the result's dtype must cast to out's (float into an integer tensor is
refused), and an out of another shape is resized (torch warns when it had elements).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..grad_mode import no_grad, state as grad_state
from ..tensor import Tensor
from ._dispatch import _torch_type_name, bump_version


def _requires_grad(values) -> bool:
    for v in values:
        if isinstance(v, Tensor) and v._requires_grad:
            return True
        if isinstance(v, (list, tuple)) and _requires_grad(v):
            return True
    return False


def write_out(name: str, result: Tensor, out) -> Tensor:
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    r, d = result._data, out._data
    if r.dtype != d.dtype and not np.can_cast(r.dtype, d.dtype, casting="same_kind"):
        raise RuntimeError(f"result type {_torch_type_name(r.dtype)} can't be cast to the desired output type "
                           f"{_torch_type_name(d.dtype)}")
    if r.shape != d.shape:
        if d.size:
            shape = lambda s: "[" + ", ".join(map(str, s)) + "]"  # noqa: E731
            warnings.warn(f"An output with one or more elements was resized since it had shape {shape(d.shape)}, "
                          f"which does not match the required output shape {shape(r.shape)}. This behavior is "
                          "deprecated, and in a future PyTorch release outputs will not be resized unless they "
                          "have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, "
                          "to zero elements with t.resize_(0).", UserWarning, stacklevel=3)
        out._data = r.astype(d.dtype, copy=True)
    else:
        np.copyto(d, r, casting="unsafe")
    bump_version(out)
    return out


def with_out(op, name: str):
    """``op`` taking torch's keyword ``out``."""
    def call(*args, out=None, **kwargs):
        if out is None:
            return op(*args, **kwargs)
        if grad_state.enabled and _requires_grad((out, *args, *kwargs.values())):
            raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        with no_grad():
            result = op(*args, **kwargs)
        return write_out(name, result, out)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = op.__doc__
    return call


# torch.add/sub/mul/div and their aliases, defined here so that a program's torch.mul loads
# this module and arithmetic, not the whole elementwise family
from . import arithmetic as _arithmetic  # noqa: E402

add = with_out(_arithmetic.add, "add")
sub = with_out(_arithmetic.sub, "sub")
subtract = with_out(_arithmetic.subtract, "subtract")
mul = with_out(_arithmetic.mul, "mul")
multiply = with_out(_arithmetic.mul, "multiply")
div = with_out(_arithmetic.div, "div")
divide = with_out(_arithmetic.div, "divide")
true_divide = with_out(_arithmetic.div, "true_divide")
