"""torch.nn.functional max_pool{1,2,3}d (MaxPool{2,3}DWithIndicesBackward0), avg_pool{1,2,3}d
(AvgPool{2,3}DBackward0) and adaptive_avg_pool{1,2}d (AdaptiveAvgPool2DBackward0, mean at size 1),
with torch's checks.  1-d pools run as 2-d ones of height 1 (SqueezeBackward1), as torch's do.

Sums run as torch's CPU kernels do: window by window in float32, (row, column) order, then one
division; gradients come back in the order of the outputs that read each element.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..tensor import Tensor, wrap
from .activation import python_type_name
from .registry import backward_op, defop, record


# -- geometry ------------------------------------------------------------------------------------

def _pool_out(size, k, s, p, d, ceil):
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


def _windows(xp, kernel, stride, dilation, out):
    """(*lead, *out, *kernel) view of the padded array ``xp`` over its last len(kernel) dims."""
    n = len(kernel)
    lead = xp.ndim - n
    st = xp.strides
    shape = xp.shape[:lead] + tuple(out) + tuple(kernel)
    strides = (st[:lead] + tuple(st[lead + i] * stride[i] for i in range(n))
               + tuple(st[lead + i] * dilation[i] for i in range(n)))
    return as_strided(xp, shape, strides, writeable=False)


def _padded(x, padding, n, value, out, kernel, stride, dilation):
    """x padded with ``value`` far enough that every window (ceil_mode's last ones too) fits."""
    widths = []
    for i in range(n):
        size = x.shape[x.ndim - n + i]
        need = (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1
        widths.append((padding[i], max(need - size - padding[i], 0)))
    return np.pad(x, [(0, 0)] * (x.ndim - n) + widths, constant_values=value)


# -- max pooling -------------------------------------------------------------------------------------

def _max_array(x, kernel, stride, padding, dilation, out):
    n = len(kernel)
    lead = x.shape[:x.ndim - n]
    spatial = x.shape[x.ndim - n:]
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    win = _windows(_padded(x, padding, n, low, out, kernel, stride, dilation), kernel, stride, dilation, out)
    flat = win.reshape(win.shape[:x.ndim] + (-1,))
    pick = flat.argmax(axis=-1)
    if x.dtype.kind == "f":  # torch: a nan replaces the running max, so the last nan is picked
        isnan = np.isnan(flat)
        if isnan.any():
            last_nan = flat.shape[-1] - 1 - isnan[..., ::-1].argmax(axis=-1)
            pick = np.where(isnan.any(axis=-1), last_nan, pick)
    # the picked window position -> its place in the input plane
    kpos = np.unravel_index(pick, kernel)
    index = np.zeros(pick.shape, dtype=np.int64)
    inside = np.ones(pick.shape, dtype=bool)
    grids = np.meshgrid(*[np.arange(o) for o in out], indexing="ij")
    for i in range(n):
        coord = grids[i] * stride[i] - padding[i] + kpos[i] * dilation[i]
        inside &= (coord >= 0) & (coord < spatial[i])
        index = index * spatial[i] + coord
    if not inside.all():  # a window of -inf only: torch keeps its first element inside the input
        first = np.zeros(pick.shape, dtype=np.int64)
        for i in range(n):
            start = grids[i] * stride[i] - padding[i]
            while_out = (-start + dilation[i] - 1) // dilation[i]
            first = first * spatial[i] + start + np.maximum(while_out, 0) * dilation[i]
        index = np.where(inside, index, first)
    values = np.take_along_axis(x.reshape(lead + (-1,)), index.reshape(lead + (-1,)), axis=-1)
    return values.reshape(lead + tuple(out)), index


def _scatter_indices(grad, indices, shape, n):
    lead = shape[:len(shape) - n]
    rows = int(np.prod(lead, dtype=np.int64))
    out = np.zeros((rows, int(np.prod(shape[len(shape) - n:], dtype=np.int64))), dtype=grad.dtype)
    g = grad.reshape(rows, -1)
    idx = indices.reshape(rows, -1)
    np.add.at(out, (np.arange(rows)[:, None], idx), g)
    return out.reshape(shape)


def _gather_indices(grad, indices, n):
    if isinstance(grad, Tensor):
        raise NotImplementedError("third derivatives of max pooling are not supported by gradcli")
    lead = grad.shape[:grad.ndim - n]
    vals = np.take_along_axis(grad.reshape(lead + (-1,)), indices.reshape(lead + (-1,)), axis=-1)
    return vals.reshape(indices.shape)


def _make_max(n, name=None):
    name = name or f"MaxPool{n}DWithIndices"
    scatter = backward_op(name + "BackwardBackward0",
                          lambda grad, F, indices, shape: _scatter_indices(grad, indices, shape, n),
                          {"grad_output": "grad read at the indices"},
                          grad_output=lambda grad, indices: _gather_indices(grad, indices, n))
    return defop(name + "Backward0", {"self": "grad added at each window's max"},
                 self=lambda grad, indices, shape: scatter(grad, indices=indices, shape=shape))


_MAX = {2: _make_max(2), 3: _make_max(3)}


# -- average pooling -----------------------------------------------------------------------------------

def _divisors(spatial, kernel, stride, padding, out, count_include_pad, divisor_override):
    if divisor_override:
        return np.full(out, divisor_override, dtype=np.int64)
    total = np.ones(out, dtype=np.int64)
    for i, size in enumerate(spatial):
        start = np.arange(out[i]) * stride[i] - padding[i]
        end = np.minimum(start + kernel[i], size + padding[i])
        span = end - start if count_include_pad else np.minimum(end, size) - np.maximum(start, 0)
        total = total * span.reshape((-1,) + (1,) * (len(spatial) - 1 - i))
    return total


def _avg_array(x, kernel, stride, padding, out, divide):
    n = len(kernel)
    win = _windows(_padded(x, padding, n, 0, out, kernel, stride, (1,) * n), kernel, stride, (1,) * n, out)
    acc = np.zeros(x.shape[:x.ndim - n] + tuple(out), dtype=x.dtype)
    for k in np.ndindex(*kernel):
        acc += win[(Ellipsis,) + k]
    return _divided(acc, divide)


def _divided(a, divide):
    if a.dtype.kind == "f":
        return a / divide.astype(a.dtype)
    return (a / divide).astype(a.dtype)  # C's integer division truncates


def _avg_backward_array(grad, shape, kernel, stride, padding, divide):
    n = len(kernel)
    out = grad.shape[grad.ndim - n:]
    delta = _divided(grad, divide)
    full = list(shape[:len(shape) - n])
    for i in range(n):
        full.append(max(shape[len(shape) - n + i] + 2 * padding[i], (out[i] - 1) * stride[i] + kernel[i]))
    dxp = np.zeros(full, dtype=grad.dtype)
    for k in reversed(list(np.ndindex(*kernel))):  # each element's outputs in increasing order
        where = tuple(slice(k[i], k[i] + stride[i] * (out[i] - 1) + 1, stride[i]) for i in range(n))
        dxp[(Ellipsis,) + where] += delta
    crop = tuple(slice(p, p + shape[len(shape) - n + i]) for i, p in enumerate(padding))
    return dxp[(Ellipsis,) + crop]


def _avg_again(grad, kernel, stride, padding, divide):
    """The average pool itself, applied to a gradient (the double backward of its backward)."""
    if isinstance(grad, Tensor):
        raise NotImplementedError("third derivatives of average pooling are not supported by gradcli")
    out = divide.shape
    return _avg_array(grad, kernel, stride, padding, out, divide)


def _make_avg(n):
    name = f"AvgPool{n}D"
    spread = backward_op(name + "BackwardBackward0",
                         lambda grad, F, shape, kernel, stride, padding, divide: _avg_backward_array(
                             grad, shape, kernel, stride, padding, divide),
                         {"grad_output": "the average pool of grad"},
                         grad_output=lambda grad, kernel, stride, padding, divide: _avg_again(
                             grad, kernel, stride, padding, divide))
    return defop(name + "Backward0", {"self": "grad / divisor, spread over each window"},
                 self=lambda grad, shape, kernel, stride, padding, divide: spread(
                     grad, shape=shape, kernel=kernel, stride=stride, padding=padding, divide=divide))


_AVG = {2: _make_avg(2), 3: _make_avg(3)}


# -- the functions ------------------------------------------------------------------------------------

def _ints(fn, name, value, n, default=None):
    if value is None or (isinstance(value, (tuple, list)) and not value and default is not None):
        return default
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    values = tuple(value)
    if len(values) == 1:
        return values * n
    if len(values) != n:
        count = {2: "two", 3: "three"}[n]
        omitted = " omitted," if name == "stride" else ""
        raise RuntimeError(f"{fn}: {name} must either be{omitted} a single int, or a tuple of {count} ints")
    return values


_POSITIONS = {"kernel_size": 2, "stride": 3, "padding": 4, "dilation": 5}


def _check_ints(fn, **values):
    """torch's parser: each size argument an int or a tuple of ints."""
    for name, value in values.items():
        if value is None:
            continue
        items = value if isinstance(value, (tuple, list)) else [value]
        if isinstance(value, bool) or not isinstance(value, (int, tuple, list)) or any(
                isinstance(v, bool) or not isinstance(v, int) for v in items):
            shown = python_type_name(value) if not isinstance(value, (tuple, list)) else None
            if shown is None:
                bad = next(i for i, v in enumerate(items) if isinstance(v, bool) or not isinstance(v, int))
                raise TypeError(f"{fn}(): argument '{name}' (position {_POSITIONS[name]}) must be tuple of ints, but "
                                f"found element of type {python_type_name(items[bad])} at pos {bad}")
            raise TypeError(f"{fn}(): argument '{name}' (position {_POSITIONS[name]}) must be tuple of ints, not "
                            f"{shown}")


def _check_tensor(fn, input):
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")


def _size_text(shape):
    return "x".join(str(s) for s in shape)


def _geometry(fn, x, n, kernel, stride, padding, dilation, ceil):
    kernel = _ints(fn, "kernel_size", kernel, n)
    stride = _ints(fn, "stride", stride, n, kernel) or kernel
    padding = _ints(fn, "padding", padding, n)
    dilation = _ints(fn, "dilation", dilation, n)
    if any(s == 0 for s in stride):
        raise RuntimeError("stride should not be zero")
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[-1]}")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {dilation[0]} dilationW: "
                           f"{dilation[-1]}")
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
    spatial = x.shape[x.ndim - n:]
    out = tuple(_pool_out(spatial[i], kernel[i], stride[i], padding[i], dilation[i], ceil) for i in range(n))
    if any(o < 1 for o in out):
        channels = x.shape[x.ndim - n - 1]
        raise RuntimeError(f"Given input size: ({_size_text((channels,) + spatial)}). Calculated output size: "
                           f"({_size_text((channels,) + out)}). Output size is too small")
    return kernel, stride, padding, dilation, out


def _check_dims(fn, x, n):
    if x.ndim not in (n + 1, n + 2) or (x.size == 0 and x.ndim == n + 1):
        raise RuntimeError(f"non-empty {n + 1}D or {n + 2}D (batch mode) tensor expected for input")


def _max_pool(fn, n, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    _check_tensor(fn, input)
    _check_ints(fn, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    x = input._data
    _check_dims(fn, x, n)
    kernel, stride, padding, dilation, out = _geometry(fn, x, n, kernel_size, stride, padding, dilation, ceil_mode)
    values, index = _max_array(x, kernel, stride, padding, dilation, out)
    result = record(_MAX[n], values, (input,), {"indices": index, "shape": x.shape})
    return (result, wrap(index)) if return_indices else result


def _through_2d(fn, input, call):
    """A 1-d pool as torch runs it: the 2-d pool of input.unsqueeze(-2), squeezed back."""
    from . import shape as S
    _check_tensor(fn, input)
    out = call(S.unsqueeze(input, -2))
    if isinstance(out, tuple):
        return S.squeeze(out[0], -2), S.squeeze(out[1], -2)
    return S.squeeze(out, -2)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    _check_tensor("max_pool1d", input)
    _check_ints("max_pool1d", kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    if input._data.ndim not in (2, 3):
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:[{', '.join(str(s) for s in input._data.shape)}]")
    one = lambda v: None if v is None else (tuple(v) if isinstance(v, (tuple, list)) else (v,))  # noqa: E731
    k, s, p, d = one(kernel_size), one(stride), one(padding), one(dilation)
    return _through_2d("max_pool1d", input, lambda x2: _max_pool(
        "max_pool2d", 2, x2, (1,) + k, None if not s else (1,) + s, (0,) + p, (1,) + d, ceil_mode, return_indices))


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool("max_pool3d", 3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def _avg_pool(fn, n, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    _check_tensor(fn, input)
    _check_ints(fn, kernel_size=kernel_size, stride=stride, padding=padding)
    x = input._data
    if x.ndim < n + 1:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(x.ndim, 1)}, "
                         f"{max(x.ndim, 1) - 1}], but got {-(n + 1)})")
    _check_dims(fn, x, n)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    kernel, stride, padding, _, out = _geometry(fn, x, n, kernel_size, stride, padding, 1, ceil_mode)
    divide = _divisors(x.shape[x.ndim - n:], kernel, stride, padding, out, count_include_pad, divisor_override)
    values = _avg_array(x, kernel, stride, padding, out, divide)
    return record(_AVG[n], values, (input,), {"shape": x.shape, "kernel": kernel, "stride": stride,
                                              "padding": padding, "divide": divide})


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    _check_tensor("avg_pool1d", input)
    _check_ints("avg_pool1d", kernel_size=kernel_size, stride=stride, padding=padding)
    if input._data.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input._data.ndim}-dimensional tensor for argument "
                           "#1 'self' (while checking arguments for avg_pool1d)")
    one = lambda v: None if v is None else (tuple(v) if isinstance(v, (tuple, list)) else (v,))  # noqa: E731
    k, s, p = one(kernel_size), one(stride), one(padding)
    return _through_2d("avg_pool1d", input, lambda x2: _avg_pool(
        "avg_pool2d", 2, x2, (1,) + k, None if not s else (1,) + s, (0,) + p, ceil_mode, count_include_pad, None))


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool("avg_pool3d", 3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


from .adaptive_pooling import adaptive_avg_pool1d, adaptive_avg_pool2d  # noqa: E402,F401
