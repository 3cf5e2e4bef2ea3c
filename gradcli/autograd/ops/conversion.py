"""dtype conversions (to, float, double...) and the in-place fills zero_, fill_, copy_."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..grad_mode import state as grad_state
from ..tensor import Tensor, wrap
from ._dispatch import broadcast_error, inplace
from .arithmetic import _zero_grad
from .registry import defop, record


# -- dtype conversions ---------------------------------------------------------------------------

TO_COPY = defop("ToCopyBackward0", {"self": "1 (cast back)"}, self=lambda grad: grad)
_LEGACY_TYPES = {"torch.FloatTensor": dtypes.float32, "torch.DoubleTensor": dtypes.float64,
                 "torch.HalfTensor": dtypes.float16, "torch.LongTensor": dtypes.int64,
                 "torch.IntTensor": dtypes.int32, "torch.ShortTensor": dtypes.int16,
                 "torch.CharTensor": dtypes.int8, "torch.ByteTensor": dtypes.uint8,
                 "torch.BoolTensor": dtypes.bool_}


def to_dtype(self, dtype, copy=False):
    """self as ``dtype``: itself when nothing changes; float->float casts stay differentiable."""
    if isinstance(dtype, str):
        try:
            dtype = _LEGACY_TYPES[dtype]
        except KeyError:
            raise ValueError(f"invalid type: '{dtype}'") from None
    from ..creation import _np_dtype
    nd = _np_dtype(dtype)
    d = self._data
    if d.dtype == nd:
        return self if not copy else record(TO_COPY, d.copy(), (self,))
    from ..creation import _half_safe_cast
    out = _half_safe_cast(d, nd)
    if nd.kind == "f" and d.dtype.kind == "f":
        return record(TO_COPY, out, (self,))
    return wrap(out)


# torch's parser reads Python's float/int/bool types as dtypes, and as to()'s first argument
# a float or bool too (a float: float64, a bool: bool); an int there is an accelerator's index
_PYTHON_DTYPES = {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}


def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False, memory_format=None):
    if args and type(args[0]) in _PYTHON_DTYPES:
        if type(args[0]) is int:
            raise RuntimeError("Device index must not be negative" if args[0] < 0 else
                               "Cannot access accelerator device when none is available.")
        args = (_PYTHON_DTYPES[type(args[0])],) + args[1:]
    if isinstance(dtype, type) and dtype in _PYTHON_DTYPES:
        dtype = _PYTHON_DTYPES[dtype]
    for a in args:
        if isinstance(a, type) and a in _PYTHON_DTYPES:
            a = _PYTHON_DTYPES[a]
        if isinstance(a, dtypes.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, bool):
            non_blocking = a
        elif a is not None:
            device = a
    if device is not None:
        _check_device(device)
    if dtype is None:
        return self if not copy else to_dtype(self, self.dtype, copy=True)
    return to_dtype(self, dtype, copy)


def _check_device(device):
    name = str(device)
    if name.startswith("cuda"):
        raise AssertionError("Torch not compiled with CUDA enabled")
    if name == "mps":
        raise RuntimeError("MPS backend is not available")
    if name.split(":")[0] not in ("cpu", "meta"):
        raise RuntimeError(f"Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, "
                           f"fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type "
                           f"at start of device string: {name}")


def _converter(dtype):
    def convert(self, *, memory_format=None):
        return to_dtype(self, dtype)
    return convert


def cpu(self, memory_format=None):
    return self


# -- in-place fills: zero_, fill_, copy_ ------------------------------------------------------------

ZERO = defop("ZeroBackward0", {"self": "0"}, self=_zero_grad)
FILL2 = defop("FillBackward2", {"self": "0"}, self=_zero_grad)
FILL3 = defop("FillBackward3", {"self": "0", "value": "sum(grad)"},
              self=_zero_grad, value=lambda grad: grad)
COPY = defop("CopyBackwards", {"self": "0", "src": "1"}, self=_zero_grad, src=lambda grad: grad)


def _needs_graph(t, *others):
    from ..grad_mode import state
    return state.enabled and (t._requires_grad or any(isinstance(o, Tensor) and o._requires_grad for o in others))


def zero_(self):
    if _needs_graph(self):
        return inplace(self, lambda old: record(ZERO, np.zeros_like(old._data), (old,)))
    from ._dispatch import bump_version, check_inplace
    check_inplace(self)
    self._data[...] = 0
    bump_version(self)
    return self


def fill_(self, value):
    if isinstance(value, Tensor):
        if grad_state.enabled and (self._requires_grad or value._requires_grad):
            from ._dispatch import check_inplace
            check_inplace(self, True)  # torch checks the leaf before the value's shape
        if value._data.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        return inplace(self, lambda old, v: record(FILL3, np.full_like(old._data, v._data), (old, v)), value)
    if _needs_graph(self):
        return inplace(self, lambda old: record(FILL2, np.full_like(old._data, value), (old,)))
    from ._dispatch import bump_version, check_inplace
    check_inplace(self)
    self._data[...] = value
    bump_version(self)
    return self


def copy_(self, src, non_blocking=False):
    if grad_state.enabled and (self._requires_grad or isinstance(src, Tensor) and src._requires_grad):
        from ._dispatch import check_inplace
        check_inplace(self, True)  # torch checks the leaf before the shapes
    s = src._data if isinstance(src, Tensor) else np.asarray(src)
    d = self._data
    try:
        out = np.broadcast_to(s, d.shape)
    except ValueError:
        raise broadcast_error(d, s) from None
    out = out.astype(d.dtype, copy=True)
    if not isinstance(src, Tensor):
        src = wrap(s)
    return inplace(self, lambda old, sv: record(COPY, out, (old, sv)), src)
