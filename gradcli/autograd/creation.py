"""Tensor creation: torch.tensor and the factory functions, and the legacy constructors."""

from __future__ import annotations

import math
import warnings

import numpy as np

from . import dtypes
from .limits import check_shape
from .tensor import Tensor, wrap


def _np_dtype(dtype):
    if dtype is None:
        return None
    if isinstance(dtype, dtypes.dtype):
        return dtype.np
    if dtype is float:
        return np.float64
    if dtype is int:
        return np.int64
    if dtype is bool:
        return np.bool_
    raise TypeError(f"dtype must be torch.dtype, not {type(dtype).__name__}")


def _plain(data):
    """Nested lists with Tensors replaced by their values (torch accepts one-element tensors)."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_plain(x) for x in data]
    return data


def _infer(data, target=None) -> np.ndarray:
    """The array for ``data``; Python floats land in ``target`` (default: the default dtype)
    directly, so float64 data is never rounded through float32 first."""
    if isinstance(data, np.ndarray):
        dtypes.of_array(data)
        return data
    if isinstance(data, np.generic):  # numpy scalars keep their dtype, as in torch
        arr = np.asarray(data)
        dtypes.of_array(arr)
        return arr
    if isinstance(data, (str, bytes)) or data is None or isinstance(data, dict):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    try:
        arr = np.array(_plain(data))
    except ValueError:
        raise ValueError("expected sequence of length matching at dim 1") from None
    if arr.dtype == object or arr.dtype.kind in "USO":
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if arr.dtype.kind == "f":
        has_array = isinstance(data, (list, tuple)) and _contains_array(data)
        if not has_array:
            arr = _half_safe_cast(arr, target if target is not None else dtypes.defaults.float.np)
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.int64)
    return arr


def _half_safe_cast(arr: np.ndarray, nd) -> np.ndarray:
    """arr as dtype ``nd``; float64 becomes float16 through float32, as torch's c10::Half takes
    a float (65199.99999999999 -> 65200.0 -> 65216, not 65184)."""
    if nd == np.float16 and arr.dtype == np.float64:
        arr = arr.astype(np.float32)
    return arr.astype(nd)


def _contains_array(data) -> bool:
    for x in data:
        if isinstance(x, (Tensor, np.ndarray, np.generic)):
            return True
        if isinstance(x, (list, tuple)) and _contains_array(x):
            return True
    return False


_COPY_CONSTRUCT = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """torch.tensor: always copies; floats default to float32, ints to int64."""
    if isinstance(data, Tensor):
        warnings.warn(_COPY_CONSTRUCT, UserWarning, stacklevel=2)
        arr = np.array(data._data, copy=True)
    else:
        arr = np.array(_infer(data, _np_dtype(dtype)), copy=True)
    nd = _np_dtype(dtype)
    if nd is not None and arr.dtype != nd:
        arr = _half_safe_cast(arr, nd)
    t = wrap(arr)
    if requires_grad:
        if arr.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def as_tensor(data, dtype=None, device=None) -> Tensor:
    if isinstance(data, Tensor) and dtype is None:
        return data
    return tensor(data, dtype=dtype)


def from_numpy(array) -> Tensor:
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.of_array(array)
    return wrap(array)


def _check_number(value):
    if not isinstance(value, (bool, int, float, complex)) and not hasattr(value, "__float__"):
        raise TypeError(f"scalar_tensor(): argument 's' (position 1) must be Number, not "
                        f"{type(value).__name__}")


def scalar_like(value, like=None) -> Tensor:
    """A Python number as the 0-d tensor an op with ``like`` computes it in (rsub, xlogy...)."""
    _check_number(value)
    dtype = dtypes.scalar_dtype(value) if like is None else dtypes.result_type(like, value)
    return wrap(np.asarray(value, dtype=dtype.np))


def scalar_tensor(s, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False) -> Tensor:
    # torch's: the default float dtype, whatever the number's type
    _check_number(s)
    nd = _np_dtype(dtype) if dtype is not None else dtypes.defaults.float.np
    if isinstance(s, complex) and nd.kind != "c":
        raise RuntimeError(f"value cannot be converted to type {_CPP_DTYPE.get(nd.name, nd.name)} without overflow")
    return _finish(np.asarray(s, dtype=nd), requires_grad)


_CPP_DTYPE = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "bool": "bool"}


def _options(np_dtype) -> str:
    return (f"TensorOptions(dtype={_CPP_DTYPE.get(np_dtype.name, np_dtype.name)}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt))")


def _legacy_size(args) -> tuple:
    """new(*sizes): ints (a bool or one-element integer tensor after the first), none negative."""
    size = [int(args[0])]
    for j, a in enumerate(args[1:], 2):
        if not isinstance(a, int) and not (isinstance(a, Tensor) and a._data.size == 1 and a._data.dtype.kind in "biu"):
            raise TypeError(f"new(): argument 'size' failed to unpack the object at pos {j} with error "
                            f"\"type must be tuple of ints,but got {type(a).__name__}\"")
        size.append(int(a))
    for s in size:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: [{', '.join(map(str, size))}]")
    return tuple(size)


def _invalid_new(args, kwargs) -> TypeError:
    def name(x):
        return "torch.Size" if type(x).__name__ == "Size" else type(x).__name__
    got = ", ".join([name(a) for a in args] + [f"{k}={name(v)}" for k, v in kwargs.items()])
    if kwargs and not args:
        got += ", "
    return TypeError(f"new() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     " * (*, torch.device device = None)\n * (torch.Storage storage)\n * (Tensor other)\n"
                     " * (tuple of ints size, *, torch.device device = None)\n"
                     " * (object data, *, torch.device device = None)\n")


def legacy_tensor(cls, args, dtype, typed=False) -> Tensor:
    """torch.Tensor(...) / torch.FloatTensor(...): from data, or a shape of zeros."""
    first = args[0] if args else None
    index = type(first) is int or isinstance(first, Tensor) and first._data.size == 1 and first._data.dtype.kind in "iu"
    if len(args) == 1 and isinstance(first, Tensor):
        if typed and first._data.dtype != dtype.np:
            raise TypeError(f"expected {_options(dtype.np)} (got {_options(first._data.dtype)})")
        if cls is Tensor:  # torch: first.alias(), a view (AliasBackward0 when it requires grad)
            from .ops.shape import ALIAS
            from .ops.views import make_view
            return make_view(ALIAS, first._data.view(), first)
        arr = first._data  # the same data, in its own dtype
    elif len(args) == 1 and type(first).__name__ == "Size":
        arr = np.zeros(_legacy_size(tuple(first)) if first else (), dtype=dtype.np)
    elif len(args) == 1 and isinstance(first, (list, tuple, str)):
        arr = np.array(_infer(first, dtype.np), dtype=dtype.np)
    elif len(args) == 1 and not index:
        raise TypeError(f"new(): data must be a sequence (got {type(first).__name__})")
    elif args and not index:
        raise _invalid_new(args, {})
    else:
        shape = _legacy_size(args) if args else (0,)
        check_shape(shape)
        arr = np.zeros(shape, dtype=dtype.np)
    t = object.__new__(cls)
    t._data = arr
    t._requires_grad = False
    t.grad_fn = None
    return t


def _legacy(dtype):
    def new(*args, device=None, **kwargs):
        if kwargs:
            raise _invalid_new(args, kwargs)
        return legacy_tensor(Tensor, args, dtype, typed=True)
    new.legacy_dtype = dtype  # x.type(torch.DoubleTensor) converts to it
    return new


FloatTensor = _legacy(dtypes.float32)
DoubleTensor = _legacy(dtypes.float64)
LongTensor = _legacy(dtypes.int64)
IntTensor = _legacy(dtypes.int32)
BoolTensor = _legacy(dtypes.bool_)


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            if isinstance(s, Tensor) and s._data.size == 1 and s._data.dtype.kind in "iu":
                continue
            raise TypeError(f"zeros(): argument 'size' must be tuple of ints, but found element of type {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: [{', '.join(map(str, size))}]")
    shape = tuple(int(s) for s in size)
    check_shape(shape)
    return shape


def _finish(arr, requires_grad) -> Tensor:
    t = wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _size_argument(name: str, size: tuple, kw: dict) -> tuple:
    for key in kw:
        if key != "size":
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
    if size:
        if "size" in kw:  # the call site's parser check words it: "got multiple values"
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        return size
    if "size" not in kw:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if not isinstance(kw["size"], (list, tuple)):  # only positional ints are read as the size
        raise TypeError(f"{name}(): argument 'size' must be tuple of ints, not {type(kw['size']).__name__}")
    return (kw.pop("size"),)


def _float(dtype):
    return _np_dtype(dtype) if dtype is not None else dtypes.defaults.float.np


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None, **kw) -> Tensor:
    shape = _size_argument("zeros", size, kw)
    flat = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    if any(isinstance(s, int) and s < 0 for s in flat):
        raise RuntimeError("zeros: Dimension size must be non-negative.")  # torch.zeros checks first
    return _finish(np.zeros(_size(shape), dtype=_float(dtype)), requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None, **kw) -> Tensor:
    return _finish(np.ones(_size(_size_argument("ones", size, kw)), dtype=_float(dtype)), requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, **kw) -> Tensor:
    return zeros(*_size_argument("empty", size, kw), dtype=dtype, requires_grad=requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    nd = _np_dtype(dtype) or dtypes.scalar_dtype(fill_value).np
    if nd == np.float16 and isinstance(fill_value, float):
        fill_value = np.float32(fill_value)  # a double reaches half through float, as c10::Half
    return _finish(np.full(_size((size,)), fill_value, dtype=nd), requires_grad)


def _like(fill):
    def make(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
        nd = _np_dtype(dtype) or input._data.dtype
        return _finish(fill(input._data.shape, nd), requires_grad)
    return make


zeros_like = _like(lambda shape, nd: np.zeros(shape, dtype=nd))
ones_like = _like(lambda shape, nd: np.ones(shape, dtype=nd))
empty_like = zeros_like


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    if isinstance(fill_value, Tensor) and fill_value._data.ndim == 0:
        fill_value = fill_value._data.item()
    if not isinstance(fill_value, (int, float, complex)):
        raise TypeError(f"full_like(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}")
    nd = _np_dtype(dtype) or input._data.dtype
    return _finish(np.full(input._data.shape, fill_value, dtype=nd), requires_grad)


def Variable(data, requires_grad=False, volatile=False) -> Tensor:
    """torch.autograd.Variable: today an alias that returns the tensor itself."""
    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    if requires_grad:
        data.requires_grad_(True)
    return data


# -- ranges and eye ----------------------------------------------------------------------


def _number(x, fname, pos, arg):
    if isinstance(x, Tensor):
        if x._data.size != 1:
            raise RuntimeError(f"{fname}(): argument '{arg}' must be a scalar tensor")
        return x._data.reshape(()).item()
    if isinstance(x, (int, float, np.integer, np.floating)):
        return x
    raise TypeError(f"{fname}(): argument '{arg}' (position {pos}) must be Number, not {type(x).__name__}")


def arange(start=None, end=None, step=1, *, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    if start is None and end is None:  # torch.arange() names no end: the parser's "invalid combination"
        raise TypeError("arange() needs an end")
    if start is None:
        start = 0
    elif end is None:
        start, end = 0, _number(start, "arange", 1, "end")
    else:
        start, end = _number(start, "arange", 1, "start"), _number(end, "arange", 2, "end")
    step = _number(step, "arange", 3, "step")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 if end != start else False:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    all_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
    nd = _np_dtype(dtype) or (np.dtype(np.int64) if all_int else dtypes.defaults.float.np)
    n = max(int(math.ceil((end - start) / step)), 0)
    check_shape((n,))
    if all_int and nd.kind in "iu":
        arr = (start + np.arange(n, dtype=np.int64) * step).astype(nd)
    else:
        arr = _arange_float(float(start), float(step), n, nd)
    return _finish(arr, requires_grad)


_FMA = np.longdouble  # 64-bit mantissa on x86: products of a double by a small int are exact


def _arange_float(start, step, n, nd):
    """torch's CPU kernel value for value: blocks of two AVX2 vectors start at
    fma(step, i, start) rounded to the output dtype, then add j*step by fma; the tail
    is fma(step, i, start).  (Float dtypes accumulate in double.)"""
    width = 8 if nd.itemsize == 4 else 4 if nd.itemsize == 8 else 16
    idx = np.arange(n)
    full = n // (2 * width) * (2 * width)
    lane = idx % width
    s, st = _FMA(start), _FMA(step)
    base = (s + st * (idx - lane).astype(_FMA)).astype(np.float64).astype(nd)
    in_vectors = (base.astype(_FMA) + lane.astype(_FMA) * st).astype(np.float64)
    tail = (s + st * idx.astype(_FMA)).astype(np.float64)
    return np.where(idx < full, in_vectors, tail).astype(nd)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """torch.range (deprecated): includes ``end``; float by default."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because its "
                  "behavior is inconsistent with Python's range builtin. Instead, use torch.arange, "
                  "which produces values in [start, end).", UserWarning, stacklevel=2)
    start, end = _number(start, "range", 1, "start"), _number(end, "range", 2, "end")
    step = _number(step, "range", 3, "step")
    n = int(math.floor((end - start) / step)) + 1
    check_shape((n,))
    nd = _np_dtype(dtype) or dtypes.defaults.float.np
    return _finish((start + np.arange(n, dtype=np.float64) * step).astype(nd), requires_grad)


def _linspace_array(start, end, steps, nd):
    """torch's CPU kernel: from start for the first half, back from end for the second."""
    if steps == 1:
        return np.array([start], dtype=nd)
    work = nd if nd.kind == "f" else np.dtype(np.float64)
    s, e = work.type(start), work.type(end)
    step = _FMA((e - s) / work.type(steps - 1))
    idx = np.arange(steps)
    half = steps // 2
    # fused multiply-adds, as the vectorized kernel computes them
    out = np.where(idx < half, _FMA(s) + step * idx.astype(_FMA),
                   _FMA(e) - step * (steps - idx - 1).astype(_FMA)).astype(np.float64)
    if nd.kind in "iu":
        return out.astype(nd)
    return out.astype(nd, copy=False)


def _steps(steps, name):
    """linspace/logspace's ``int steps``: a 0-d integer tensor counts (torch's parser)."""
    if isinstance(steps, Tensor) and steps._data.ndim == 0 and steps._data.dtype.kind in "iu":
        return int(steps._data)
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        raise TypeError(f"{name}(): argument 'steps' (position 3) must be int, not {type(steps).__name__}")
    return steps


def _endpoints(start, end, name):
    for arg, x in (("start", start), ("end", end)):
        if isinstance(x, Tensor) and x._data.ndim:
            raise RuntimeError(f"{name} only supports 0-dimensional start and end tensors, but got {arg} with "
                               f"{x._data.ndim} dimension(s).")
    return _number(start, name, 1, "start"), _number(end, name, 2, "end")


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    steps = _steps(steps, "linspace")
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    check_shape((steps,))
    start, end = _endpoints(start, end, "linspace")
    nd = _np_dtype(dtype) or dtypes.defaults.float.np
    return _finish(_linspace_array(start, end, steps, nd), requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    steps = _steps(steps, "logspace")
    if steps < 0:
        raise RuntimeError("logspace(): number of steps must be non-negative")
    check_shape((steps,))
    start, end = _endpoints(start, end, "logspace")
    nd = _np_dtype(dtype) or dtypes.defaults.float.np
    exponents = _linspace_array(start, end, steps, np.dtype(np.float64))
    return _finish(np.power(float(base), exponents).astype(nd), requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    check_shape((n, n if m is None else m))
    return _finish(np.eye(n, n if m is None else m, dtype=_float(dtype)), requires_grad)


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


# -- Tensor.new_*: a new tensor with this tensor's dtype ---------------------------------

def _new(fill):
    def make(self, *size, dtype=None, device=None, requires_grad=False, **kw):
        shape = _size(_size_argument(make.__name__, size, kw))
        return _finish(fill(shape, _np_dtype(dtype) or self._data.dtype), requires_grad)
    return make


new_zeros = _new(np.zeros)
new_ones = _new(np.ones)
new_empty = _new(np.zeros)
for _f, _name in ((new_zeros, "new_zeros"), (new_ones, "new_ones"), (new_empty, "new_empty")):
    _f.__name__ = _f.__qualname__ = _name


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _finish(np.full(_size((size,)), fill_value, dtype=_np_dtype(dtype) or self._data.dtype),
                   requires_grad)


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A copy of ``data`` (detached, as torch's is) with this tensor's dtype by default."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
        data = data._data
    arr = np.array(_infer(data) if not isinstance(data, np.ndarray) else data,
                   dtype=_np_dtype(dtype) or self._data.dtype)
    return _finish(arr, requires_grad)


TENSOR_METHODS = {"new_zeros": new_zeros, "new_ones": new_ones, "new_empty": new_empty,
                  "new_full": new_full, "new_tensor": new_tensor}
