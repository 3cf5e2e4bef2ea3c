"""How torch's Python functions (torch.nn.functional) check their arguments before any kernel
runs: Python's own comparisons and attribute reads, worded with torch's type names; and the
Number and floating-input checks of torch's C++ activation ops."""

from __future__ import annotations

from ._dispatch import inplace
from .dtype_support import kernel_error

_TORCH_TYPE_NAMES = {"Size": "torch.Size", "dtype": "torch.dtype"}


def out_of_order(a, op, b):
    """``a < b`` or ``a > b`` as torch's Python functions test their arguments (F.dropout's p,
    F.hardtanh's bounds), Python's TypeError for other objects naming types as torch's."""
    try:
        return a < b if op == "<" else a > b
    except TypeError:
        names = [_TORCH_TYPE_NAMES.get(type(x).__name__, type(x).__name__) for x in (a, b)]
        raise TypeError(f"'{op}' not supported between instances of '{names[0]}' and '{names[1]}'") from None


def python_type_name(x) -> str:
    """The name Python's own errors give x's type under torch (tp_name: 'torch.Size')."""
    return _TORCH_TYPE_NAMES.get(type(x).__name__, type(x).__name__)


def reads(x, attribute):
    """torch's Python function reads ``x.attribute`` first: a non-tensor is Python's AttributeError."""
    if not hasattr(x, "_data"):
        raise AttributeError(f"'{python_type_name(x)}' object has no attribute '{attribute}'")


def _number(x):
    """A Number argument of torch's C++ op: a 0-d tensor is its value; another tensor fails
    (the call site words it as torch's parser: "must be Number, not Tensor")."""
    if hasattr(x, "_data"):
        if x._data.ndim:
            raise TypeError("must be Number, not Tensor")
        return x._data.item()
    return x


def _kernel_input(kernel, input):
    """The array of ``input`` for a torch kernel that dispatches on floating types only."""
    d = input._data
    if d.dtype.kind != "f":
        raise kernel_error(kernel, d.dtype)
    return d


def _run(op, input, inplace_flag, *args):
    """An activation op, run through the in-place machinery for ``inplace=True``."""
    if inplace_flag:
        return inplace(input, op, *args)
    return op(input, *args)
