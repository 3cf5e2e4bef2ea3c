"""How torch's Python functions (torch.nn.functional) check their arguments before any kernel
runs: Python's own comparisons and attribute reads, worded with torch's type names."""

from __future__ import annotations

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
