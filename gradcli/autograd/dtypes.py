"""torch dtypes on top of numpy's, and PyTorch's type-promotion rules.

PyTorch promotes differently from numpy: an int64 tensor times a Python float
is float32 (the default dtype), and a 0-d float64 tensor does not upcast a
float32 vector.  ``result_type`` implements torch's three-tier rule
(dimensioned tensors > 0-d tensors > Python scalars, by category).
"""

from __future__ import annotations

import numpy as np


class dtype:
    """A torch dtype: ``torch.float32`` and friends."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "category")

    def __new__(cls, *args, **kwargs):  # a program's torch.dtype(...): torch makes none either
        raise TypeError("cannot create 'torch.dtype' instances")

    @classmethod
    def _make(cls, name: str, np_dtype, category: int):
        self = object.__new__(cls)
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = category == FLOAT
        self.is_signed = self.np.kind != "u" and self.np.kind != "b"
        self.itemsize = self.np.itemsize
        self.category = category
        return self

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __repr__(self) -> str:
        return "torch." + self.name

    __str__ = __repr__

    def to_complex(self):  # pragma: no cover - complex is not supported
        raise TypeError("complex dtypes are not supported by gradcli")


BOOL, INT, FLOAT = 0, 1, 2

bool_ = dtype._make("bool", np.bool_, BOOL)
uint8 = dtype._make("uint8", np.uint8, INT)
int8 = dtype._make("int8", np.int8, INT)
int16 = dtype._make("int16", np.int16, INT)
int32 = dtype._make("int32", np.int32, INT)
int64 = dtype._make("int64", np.int64, INT)
float16 = dtype._make("float16", np.float16, FLOAT)
float32 = dtype._make("float32", np.float32, FLOAT)
float64 = dtype._make("float64", np.float64, FLOAT)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
BY_NUMPY = {d.np: d for d in ALL}
# torch's aliases, as attributes of the torch module
ALIASES = {
    "bool": bool_, "uint8": uint8, "int8": int8, "int16": int16, "short": int16,
    "int32": int32, "int": int32, "int64": int64, "long": int64,
    "float16": float16, "half": float16, "float32": float32, "float": float32,
    "float64": float64, "double": float64,
}


class _Defaults:
    float = float32


defaults = _Defaults()


def get_default_dtype() -> dtype:
    return defaults.float


def set_default_dtype(d: dtype) -> None:
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    defaults.float = d


def of_array(a: np.ndarray) -> dtype:
    """The torch dtype of a numpy array (float64 arrays stay float64, as in torch.from_numpy)."""
    try:
        return BY_NUMPY[a.dtype]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type numpy.{a.dtype}. The only supported types are: "
                        "float64, float32, float16, int64, int32, int16, int8, uint8, and bool.") from None


def promote_types(a: dtype | None, b: dtype | None) -> dtype | None:
    """torch.promote_types: the smallest dtype both fit in (float beats any integer)."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    return BY_NUMPY[np.promote_types(a.np, b.np)]


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    if higher is not None and higher.category == FLOAT:
        return higher
    if higher is bool_ or (lower is not None and lower.category == FLOAT):
        return promote_types(higher, lower)
    return higher if higher is not None else lower


def scalar_dtype(value) -> dtype:
    """The dtype a Python number takes when it becomes a tensor."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    return defaults.float


def result_type(*operands) -> dtype:
    """torch.result_type over tensors (anything with ``_data``) and Python numbers."""
    dim = zero = wrapped = None
    for x in operands:
        data = getattr(x, "_data", None)
        if data is None:
            if isinstance(x, (bool, int, float)):
                wrapped = promote_types(wrapped, scalar_dtype(x))
            continue
        d = BY_NUMPY[data.dtype]
        if data.ndim:
            dim = promote_types(dim, d)
        else:
            zero = promote_types(zero, d)
    return _combine(dim, _combine(zero, wrapped))
