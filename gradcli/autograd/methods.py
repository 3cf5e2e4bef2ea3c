"""Binds the ops to Tensor as methods and operators, as torch.Tensor has them."""

from __future__ import annotations

from .ops import elementwise as E
from .ops import reduction as R
from .tensor import Tensor

_METHODS = {
    # arithmetic
    "add": E.add, "sub": E.sub, "subtract": E.sub, "mul": E.mul, "multiply": E.mul,
    "div": E.div, "divide": E.div, "true_divide": E.div, "pow": E.pow, "neg": E.neg, "negative": E.neg,
    "floor_divide": E.floor_divide, "remainder": E.remainder,
    "__add__": E.add, "__radd__": E.add, "__sub__": E.sub, "__rsub__": E.rsub,
    "__mul__": E.mul, "__rmul__": E.mul, "__truediv__": E.div, "__rtruediv__": E.rdiv,
    "__pow__": E.pow, "__rpow__": E.rpow, "__neg__": E.neg, "__pos__": E.positive,
    "__abs__": E.abs, "__floordiv__": E.floor_divide, "__mod__": E.remainder,
    # unary math
    "exp": E.exp, "log": E.log, "log2": E.log2, "log10": E.log10, "log1p": E.log1p,
    "expm1": E.expm1, "exp2": E.exp2, "sqrt": E.sqrt, "rsqrt": E.rsqrt, "sin": E.sin, "cos": E.cos,
    "tan": E.tan, "tanh": E.tanh, "sigmoid": E.sigmoid, "reciprocal": E.reciprocal, "abs": E.abs,
    "absolute": E.abs, "asin": E.asin, "acos": E.acos, "atan": E.atan, "arcsin": E.asin,
    "arccos": E.acos, "arctan": E.atan, "sinh": E.sinh, "cosh": E.cosh,
    # reductions
    "sum": R.sum, "mean": R.mean,
}


def _inplace(op):
    from .ops._dispatch import inplace

    def method(self, *args, **kwargs):
        return inplace(self, op, *args, **kwargs)

    method.__name__ = op.__name__ + "_"
    return method


_INPLACE = {
    "add_": E.add, "sub_": E.sub, "mul_": E.mul, "div_": E.div, "pow_": E.pow, "neg_": E.neg,
    "exp_": E.exp, "log_": E.log, "sqrt_": E.sqrt, "sin_": E.sin, "cos_": E.cos, "tanh_": E.tanh,
    "sigmoid_": E.sigmoid, "abs_": E.abs, "reciprocal_": E.reciprocal,
    "__iadd__": E.add, "__isub__": E.sub, "__imul__": E.mul, "__itruediv__": E.div, "__ipow__": E.pow,
}


def bind(methods: dict, inplace: dict | None = None) -> None:
    for name, fn in methods.items():
        setattr(Tensor, name, fn)
    for name, fn in (inplace or {}).items():
        setattr(Tensor, name, _inplace(fn))


bind(_METHODS, _INPLACE)
