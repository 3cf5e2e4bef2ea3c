"""Comparisons and logic: bool results that never carry a grad_fn.

eq/ne/lt/le/gt/ge and their operators, isnan/isinf/isfinite, logical_* and the
bitwise operators on bool and integer tensors, any/all, equal/allclose/isclose.
"""

from __future__ import annotations

import numpy as np

from ..limits import check_shape, limits
from ..tensor import Tensor, _wrap_dim, wrap
from ._dims import check_flag, distinct_dims, int_list
from ._dispatch import _torch_type_name, broadcast_error, check_broadcast_size, operands
from .dtype_support import kernel_error

_NUMBERS = (int, float, bool)


def _comparison(name, fn):
    def op(input, other):
        if not isinstance(input, Tensor):  # torch.eq(2, x): the call site's parser check words it
            raise TypeError(f"{name}() takes a Tensor input")
        if not isinstance(other, (Tensor, int, float, bool, np.ndarray, list, tuple)):
            raise TypeError(
                f"{name}() received an invalid combination of arguments - got (Tensor, "
                f"{type(other).__name__}), but expected one of:\n"
                f" * (Tensor input, Tensor other, *, Tensor out = None)\n"
                f" * (Tensor input, Number other, *, Tensor out = None)\n")
        a, b = operands(input, other)
        try:
            out = fn(a, b)
        except ValueError:
            raise broadcast_error(np.asarray(a), np.asarray(b)) from None
        return wrap(np.asarray(out))

    op.__name__ = name
    return op


eq = _comparison("eq", np.equal)
ne = _comparison("ne", np.not_equal)
lt = _comparison("lt", np.less)
le = _comparison("le", np.less_equal)
gt = _comparison("gt", np.greater)
ge = _comparison("ge", np.greater_equal)
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _operator(op):
    def method(self, other):
        if not isinstance(other, (Tensor, int, float, bool, np.ndarray)):
            return NotImplemented
        return op(self, other)

    method.__name__ = f"__{op.__name__}__"
    return method


def isnan(input):
    return wrap(np.isnan(input._data) if input._data.dtype.kind == "f" else np.zeros(input._data.shape, bool))


def isinf(input):
    return wrap(np.isinf(input._data) if input._data.dtype.kind == "f" else np.zeros(input._data.shape, bool))


def isposinf(input):
    return wrap(np.isposinf(input._data) if input._data.dtype.kind == "f" else np.zeros(input._data.shape, bool))


def isneginf(input):
    return wrap(np.isneginf(input._data) if input._data.dtype.kind == "f" else np.zeros(input._data.shape, bool))


def isfinite(input):
    return wrap(np.isfinite(input._data) if input._data.dtype.kind == "f" else np.ones(input._data.shape, bool))


def isreal(input):
    return wrap(np.ones(input._data.shape, bool))


def _logical(name, fn):
    def op(input, other):
        if not isinstance(input, Tensor) or not isinstance(other, Tensor):
            # torch takes tensors only; the call site names the argument in its parser's words
            raise TypeError(f"{name}() takes tensors only")
        a, b = input._data, other._data
        check_broadcast_size(a, b)
        try:
            return wrap(np.asarray(fn(a, b)))
        except ValueError:
            raise broadcast_error(a, b) from None

    op.__name__ = name
    return op


logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)


def logical_not(input):
    return wrap(np.logical_not(input._data))


def _bitwise(name, fn):
    def op(input, other):
        if not isinstance(other, (Tensor, int, float)) or not isinstance(input, (Tensor, int, float)):
            raise TypeError(f"{name}() takes tensors and numbers")  # the call site's parser words it
        for x in (input, other):
            if isinstance(x, Tensor) and x._data.dtype.kind not in "biu":
                raise kernel_error(f"{name}_cpu", x._data.dtype)
        a, b = operands(input, other)
        common = np.result_type(a, b)  # a float number makes the kernel a float one, as torch's
        if common.kind not in "biu":
            raise kernel_error(f"{name}_cpu", common)
        try:
            return wrap(np.asarray(fn(a, b)))
        except ValueError:
            raise broadcast_error(np.asarray(a), np.asarray(b)) from None

    op.__name__ = name
    return op


bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)


def bitwise_not(input):
    d = input._data
    if d.dtype.kind not in "biu":
        raise kernel_error("bitwise_not_cpu", d.dtype)
    return wrap(np.invert(d))


def _invert(input):
    if input._data.dtype.kind not in "biu":  # torch's Tensor.__invert__ checks first, in Python
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return bitwise_not(input)


def _reduce_dims(input, dim):
    if dim is None:
        return None
    nd = input._data.ndim
    dims = distinct_dims(int_list(dim), nd)
    return dims if nd else ()  # a 0-d tensor takes dim 0 or -1 and reduces nothing


def any(input, dim=None, keepdim=False):
    check_flag(keepdim)
    d = input._data
    out = np.any(d, axis=_reduce_dims(input, dim), keepdims=keepdim)
    return wrap(np.asarray(out) if d.dtype != np.uint8 else np.asarray(out, dtype=np.uint8))


def all(input, dim=None, keepdim=False):
    check_flag(keepdim)
    d = input._data
    out = np.all(d, axis=_reduce_dims(input, dim), keepdims=keepdim)
    return wrap(np.asarray(out) if d.dtype != np.uint8 else np.asarray(out, dtype=np.uint8))


def equal(input, other) -> bool:
    a, b = input._data, other._data
    if a.dtype != b.dtype:
        a, b = operands(input, other)
    return bool(np.shape(a) == np.shape(b) and np.array_equal(a, b))


def _same_dtype(input, other):
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(f"{_torch_type_name(input._data.dtype)} did not match "
                           f"{_torch_type_name(other._data.dtype)}")


def _float_argument(value):
    """A ``float`` argument of torch's parser: a number or a 0-d tensor (its value); another
    tensor fails (the call site words it: "must be float, not Tensor")."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise TypeError("only a 0-d tensor is a float")
        return float(value._data)
    return value


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    rtol, atol = _float_argument(rtol), _float_argument(atol)
    if type(equal_nan) is not bool:
        raise TypeError("equal_nan must be bool")
    _same_dtype(input, other)
    check_broadcast_size(input, other)
    try:
        return wrap(np.asarray(np.isclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan)))
    except ValueError:
        raise broadcast_error(input._data, other._data) from None


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def nonzero(input, *, as_tuple=False):
    if input._data.ndim == 0:  # numpy refuses a 0-d array; torch reads it as one element
        found = int(bool(input._data))
        return (wrap(np.zeros(found, np.int64)),) if as_tuple else wrap(np.zeros((found, 0), np.int64))
    d = input._data
    if not as_tuple and d.size * d.ndim > limits.max_elements:  # --max-elements: a row of indices per nonzero
        check_shape((int(np.count_nonzero(d)), d.ndim), 8)
    idx = np.nonzero(d)
    if as_tuple:
        return tuple(wrap(i.astype(np.int64)) for i in idx)
    return wrap(np.stack(idx, axis=1).astype(np.int64) if idx else np.zeros((0, 0), np.int64))


def nonzero_tuple(condition):
    """torch.where(condition): the indices where ``condition`` holds, one tensor per dim."""
    return nonzero(condition, as_tuple=True)


def _rbitwise(op):
    """``x & other`` / ``other & x``: another kind of object is NotImplemented, as for torch's Tensor."""
    def method(self, other):
        if not isinstance(other, (Tensor, int, float)):
            return NotImplemented
        return op(self, other)
    return method


TENSOR_METHODS = {
    "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge,
    "greater": gt, "greater_equal": ge, "less": lt, "less_equal": le, "not_equal": ne,
    "__eq__": _operator(eq), "__ne__": _operator(ne), "__lt__": _operator(lt),
    "__le__": _operator(le), "__gt__": _operator(gt), "__ge__": _operator(ge),
    "isnan": isnan, "isinf": isinf, "isfinite": isfinite, "isposinf": isposinf,
    "isneginf": isneginf, "isreal": isreal,
    "logical_and": logical_and, "logical_or": logical_or, "logical_xor": logical_xor,
    "logical_not": logical_not, "bitwise_and": bitwise_and, "bitwise_or": bitwise_or,
    "bitwise_xor": bitwise_xor, "bitwise_not": bitwise_not,
    "__and__": _rbitwise(bitwise_and), "__or__": _rbitwise(bitwise_or), "__xor__": _rbitwise(bitwise_xor),
    "__rand__": _rbitwise(bitwise_and), "__ror__": _rbitwise(bitwise_or),
    "__rxor__": _rbitwise(bitwise_xor), "__invert__": _invert,
    "any": any, "all": all, "equal": equal, "isclose": isclose, "allclose": allclose,
    "nonzero": nonzero,
}


def _untracked_inplace(op, name):
    """``x.logical_and_(y)``: torch's logical ops have no derivative, so their in-place forms
    write ``x`` (a leaf that requires grad too) and leave its history as it was."""
    def method(self, *args, **kwargs):
        from ..grad_mode import state
        from ._dispatch import inplace
        prev = state.enabled
        state.enabled = False
        try:
            return inplace(self, op, *args, **kwargs)
        finally:
            state.enabled = prev

    method.__name__ = method.__qualname__ = name
    return method


TENSOR_METHODS.update({name: _untracked_inplace(op, name) for name, op in (
    ("logical_and_", logical_and), ("logical_or_", logical_or), ("logical_xor_", logical_xor),
    ("logical_not_", logical_not))})
TENSOR_INPLACE = {
    "eq_": eq, "ne_": ne, "lt_": lt, "le_": le, "gt_": gt, "ge_": ge, "__iand__": bitwise_and, "__ior__": bitwise_or,
    "__ixor__": bitwise_xor,
}
