"""Argument plumbing shared by the op modules: operands in torch's result dtype,
in-place rebasing, and the checks PyTorch makes before an op runs."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..grad_mode import state as grad_state
from ..limits import ElementLimitError, check_broadcast, limits
from ..tensor import Tensor, wrap
from . import views as _views
from .registry import _ResultSlot

_SCALARS = (int, float, bool)


def _int_scalar(b, dtype):
    """A Python int beside an integer tensor: torch casts it to the tensor's type, wrapping around
    (uint8 + 300 adds 44); past int64 it is no C++ integer at all."""
    if 0x7FFF_FFFF_FFFF_FFFF < b <= 0xFFFF_FFFF_FFFF_FFFF:  # read as an unsigned 64-bit number
        b -= 0x1_0000_0000_0000_0000
    if b < -0x8000_0000_0000_0000:
        raise OverflowError("can't convert negative int to unsigned")
    if b > 0x7FFF_FFFF_FFFF_FFFF:
        raise OverflowError("int too big to convert")
    info = np.iinfo(dtype)
    return b if info.min <= b <= info.max else np.int64(b).astype(dtype)


def operands(a, b):
    """``a``'s and ``b``'s arrays (or Python scalars) in torch's result dtype."""
    ta = isinstance(a, Tensor)
    tb = isinstance(b, Tensor)
    if ta and tb:
        ad, bd = a._data, b._data
        # --max-elements: a broadcast holds at most the product of the sizes (tested first: cheapest)
        if ad.size * bd.size > limits.max_elements and ad.shape != bd.shape:
            check_broadcast((ad.shape, bd.shape), dtypes.result_type(a, b).np.itemsize)
        if ad.dtype is bd.dtype or ad.dtype == bd.dtype:
            return ad, bd
    elif ta:
        ad = a._data
        kind = ad.dtype.kind
        if type(b) is float and kind == "f" or type(b) is int and kind == "f":
            return ad, b
        if type(b) is int and kind in "iu":
            return ad, _int_scalar(b, ad.dtype)
        if not isinstance(b, _SCALARS):
            b = _to_tensor_operand(b)
            return operands(a, b)
    elif tb:
        return tuple(reversed(operands(b, a)))
    else:
        raise TypeError("expected at least one Tensor operand")
    return _promote(a, b)


def _to_tensor_operand(x):
    if isinstance(x, np.ndarray):
        return wrap(x)
    # a list is no operand for torch either (its parser: "must be Tensor, not list")
    raise TypeError(f"unsupported operand type: '{type(x).__name__}'")


def _promote(a, b):
    rt = dtypes.result_type(a, b).np
    return _cast(a, rt), _cast(b, rt)


def _cast(x, np_dtype):
    if isinstance(x, Tensor):
        d = x._data
        return d if d.dtype == np_dtype else d.astype(np_dtype)
    return np.asarray(x, dtype=np_dtype) if np_dtype.kind != "f" or not isinstance(x, float) else x


def as_array(x):
    """An op's input as an array (Tensors unwrap; numbers become 0-d arrays)."""
    if isinstance(x, Tensor):
        return x._data
    return np.asarray(x)


def floating(d: np.ndarray) -> np.ndarray:
    """Integer and bool inputs of float-only ops compute in the default float dtype."""
    return d if d.dtype.kind == "f" else d.astype(dtypes.defaults.float.np)


def check_inplace(t: Tensor, requires_grad=None) -> None:
    """torch's checks before an in-place op on ``t`` (``requires_grad``: whether any input of
    the op requires grad; ``t``'s own flag when not given)."""
    _views.check_inplace(t, t._requires_grad if requires_grad is None else requires_grad)


# the in-place ops torch lets write an expanded tensor: fill_ with a number, zero_, index_put_
_OVERLAP_OK = frozenset(("FillBackward2", "ZeroBackward0", "IndexPutBackward0"))


def bump_version(t: Tensor) -> None:
    vc = t._vc
    if vc is None:
        t._vc = [1]
    else:
        vc[0] += 1


def rebase(t: Tensor, result: Tensor) -> Tensor:
    """Make the in-place op's out-of-place ``result`` the new content and history of ``t``."""
    d = t._data
    r = result._data
    if r.dtype != d.dtype and not np.can_cast(r.dtype, d.dtype, casting="same_kind"):
        raise RuntimeError(
            f"result type {_torch_type_name(r.dtype)} can't be cast to the desired output type "
            f"{_torch_type_name(d.dtype)}")
    if r.shape != d.shape:
        try:
            np.broadcast_to(r, d.shape)
        except ValueError:
            raise RuntimeError(
                f"output with shape [{', '.join(map(str, d.shape))}] doesn't match the broadcast "
                f"shape [{', '.join(map(str, r.shape))}]") from None
    np.copyto(d, r, casting="unsafe")
    bump_version(t)
    node = result.grad_fn
    if node is not None:
        _views.set_history(t, node)
        for slot in node._saved:
            if type(slot) is _ResultSlot:
                slot.data = d
                slot.vc = t._vc
                slot.version = t._vc[0]
    return t


# binary ops whose kernels can fail (integer division by zero, a dtype without a kernel): torch
# refuses the result's cast to self's dtype before its kernel runs
_CAST_FIRST = frozenset(("remainder", "floor_divide", "fmod"))


def _refuse_cast_first(t: Tensor, op, args) -> None:
    if getattr(op, "__name__", None) not in _CAST_FIRST or not args:
        return
    try:
        rt = dtypes.result_type(t, args[0]).np
    except Exception:  # noqa: BLE001 - not an operand torch would promote: the op's error stands
        return
    d = t._data.dtype
    if rt != d and not np.can_cast(rt, d, casting="same_kind"):
        raise RuntimeError(f"result type {_torch_type_name(rt)} can't be cast to the desired output type "
                           f"{_torch_type_name(d)}")


def inplace(t: Tensor, op, *args, **kwargs) -> Tensor:
    """Run ``op(t, *args)`` in place on ``t``, with PyTorch's autograd bookkeeping."""
    overlap = type(t) is _views.View and 0 in t._data.strides and _views.has_overlap(t._data)
    if grad_state.enabled and (t._requires_grad or any(isinstance(a, Tensor) and a._requires_grad for a in args)):
        _views.check_inplace(t, True)
        old = wrap(t._data.copy())
        old.grad_fn = t.grad_fn
        old._requires_grad = t._requires_grad
        if t._port is not None:  # an output of a multi-output op: the edge stays its port
            old._port = t._port
        try:
            result = op(old, *args, **kwargs)
        except (RuntimeError, NotImplementedError):
            _refuse_cast_first(t, op, args)
            raise
        except ElementLimitError:
            _refuse_broadcast_first(t, args)
            raise
        if old.grad_fn is not None and result is not old:  # torch saves the original self as self.clone(): its history under create_graph
            from .joins import CLONE
            from .registry import attach
            attach(CLONE, old, (old,), 1)
        if overlap and type(result.grad_fn).__name__ not in _OVERLAP_OK:
            raise RuntimeError(_views.OVERLAP)
        return rebase(t, result)
    if overlap:  # (fill_/zero_/index assignment write an expanded tensor directly without a graph)
        raise RuntimeError(_views.OVERLAP)
    prev = grad_state.enabled
    grad_state.enabled = False
    try:
        result = op(t, *args, **kwargs)
    except (RuntimeError, NotImplementedError):
        _refuse_cast_first(t, op, args)
        raise
    except ElementLimitError:
        _refuse_broadcast_first(t, args)
        raise
    finally:
        grad_state.enabled = prev
    return rebase(t, result)


def _refuse_broadcast_first(t: Tensor, args) -> None:
    """An in-place op whose out-of-place result is over --max-elements: when that result has
    another shape than ``t`` it could not be written anyway, and torch says so."""
    try:
        shape = np.broadcast_shapes(t._data.shape, *(a._data.shape for a in args if isinstance(a, Tensor)))
    except ValueError:
        return
    if shape != t._data.shape:
        raise RuntimeError(f"output with shape [{', '.join(map(str, t._data.shape))}] doesn't match the "
                           f"broadcast shape [{', '.join(map(str, shape))}]")


_TYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
               "bool": "Bool", "float16": "Half", "int16": "Short", "int8": "Char", "uint8": "Byte"}


def _torch_type_name(d) -> str:
    return _TYPE_NAMES.get(np.dtype(d).name, str(d))


def check_broadcast_size(*xs) -> None:
    """--max-elements for an op's result that broadcasts ``xs`` (Tensors, arrays, numbers,
    None for an absent operand), before numpy allocates it."""
    arrays = [x._data if isinstance(x, Tensor) else x for x in xs if x is not None]
    check_broadcast([np.shape(x) for x in arrays], max(getattr(x, "itemsize", 4) for x in arrays) if arrays else 4)


def broadcast_error(a: np.ndarray, b: np.ndarray) -> RuntimeError:
    """PyTorch's message for shapes that do not broadcast."""
    sa, sb = a.shape, b.shape
    n = max(len(sa), len(sb))
    pa = (1,) * (n - len(sa)) + tuple(sa)
    pb = (1,) * (n - len(sb)) + tuple(sb)
    for i in range(n - 1, -1, -1):
        if pa[i] != pb[i] and pa[i] != 1 and pb[i] != 1:
            return RuntimeError(
                f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) "
                f"at non-singleton dimension {i}")
    return RuntimeError("shapes cannot be broadcast")
