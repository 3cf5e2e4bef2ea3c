"""torch.nn.functional.interpolate: nearest / nearest-exact (UpsampleNearest{1,2,3}DBackward0...),
linear / bilinear / trilinear (UpsampleLinear1DBackward0, UpsampleBilinear2DBackward0,
UpsampleTrilinear3DBackward0) with align_corners, and area (adaptive average pooling).

Linear modes interpolate one dimension at a time, the last first; source positions and weights
are computed in the input's float type as torch's are.  NOTE: torch's kernel rounds its weighted
sums in an order not modelled here: float32 and float64 results can be an ulp away from torch's
(exact when the weights and values are dyadic, as for 2x upsampling of dyadic values).
"""

from __future__ import annotations

import math

import numpy as np

from ..limits import check_shape
from ..tensor import Tensor
from .activation import python_type_name
from .registry import backward_op, defop, record

_LINEAR = {1: "linear", 2: "bilinear", 3: "trilinear"}


# -- source indices and weights ------------------------------------------------------------------------

def _scale(size_in, size_out, align_corners, scale, ftype):
    if align_corners:
        return ftype(size_in - 1) / ftype(size_out - 1) if size_out > 1 else ftype(0)
    if scale is not None and scale > 0:
        return ftype(1.0 / scale)
    return ftype(size_in) / ftype(size_out)


def _nearest_index(size_in, size_out, scale, exact):
    dst = np.arange(size_out)
    if size_out == size_in and not exact:
        return dst
    if size_out == 2 * size_in and not exact:
        return dst >> 1
    s = _scale(size_in, size_out, False, scale, np.float32)
    pos = (dst.astype(np.float32) + np.float32(0.5)) * s if exact else dst.astype(np.float32) * s
    return np.minimum(np.floor(pos).astype(np.int64), size_in - 1)


def _linear_weights(size_in, size_out, align_corners, scale, ftype):
    s = _scale(size_in, size_out, align_corners, scale, ftype)
    dst = np.arange(size_out).astype(ftype)
    if align_corners:
        src = s * dst
    else:
        src = np.maximum(s * (dst + ftype(0.5)) - ftype(0.5), ftype(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), size_in - 1)
    i1 = i0 + (i0 < size_in - 1)
    lam1 = np.minimum(np.maximum(src - i0.astype(ftype), ftype(0)), ftype(1)).astype(ftype)
    lam0 = (ftype(1) - lam1).astype(ftype)
    return i0, i1, lam0, lam1


# -- the maps on arrays -----------------------------------------------------------------------------------

def _along(x, axis, i0, i1, l0, l1):
    shape = [1] * x.ndim
    shape[axis] = -1
    a = np.take(x, i0, axis=axis)
    b = np.take(x, i1, axis=axis)
    return (a * l0.reshape(shape) + b * l1.reshape(shape)).astype(x.dtype)


def _linear_forward(x, plan):
    for axis, (i0, i1, l0, l1) in reversed(list(plan.items())):
        x = _along(x, axis, i0, i1, l0, l1)
    return x


def _linear_backward(g, plan, shape):
    """The transpose of the linear map: each output's gradient, weighted, added at its sources."""
    out = g.astype(np.float64)
    for axis, (i0, i1, l0, l1) in plan.items():
        moved = np.moveaxis(out, axis, 0)
        acc = np.zeros((shape[axis],) + moved.shape[1:])
        w = (-1,) + (1,) * (moved.ndim - 1)
        np.add.at(acc, i0, moved * l0.astype(np.float64).reshape(w))
        np.add.at(acc, i1, moved * l1.astype(np.float64).reshape(w))
        out = np.moveaxis(acc, 0, axis)
    return out.astype(g.dtype)


def _nearest_forward(x, plan):
    for axis, idx in plan.items():
        x = np.take(x, idx, axis=axis)
    return x


def _nearest_backward(g, plan, shape):
    out = g
    for axis, idx in reversed(list(plan.items())):
        moved = np.moveaxis(out, axis, 0)
        acc = np.zeros((shape[axis],) + moved.shape[1:], dtype=g.dtype)
        np.add.at(acc, idx, moved)
        out = np.moveaxis(acc, 0, axis)
    return out


def _again(grad, forward, plan):
    if isinstance(grad, Tensor):
        raise NotImplementedError("third derivatives of interpolate are not supported by gradcli")
    return forward(grad, plan)


def _make(name, forward, backward):
    spread = backward_op(name + "BackwardBackward0", lambda grad, F, plan, shape: backward(grad, plan, shape),
                         {"grad_output": "the interpolation of grad"},
                         grad_output=lambda grad, plan: _again(grad, forward, plan))
    return defop(name + "Backward0", {"self": "grad added back at each output's sources, weighted"},
                 self=lambda grad, plan, shape: spread(grad, plan=plan, shape=shape))


_SPECS = {}


def _spec(mode, n):
    key = (mode, n)
    if key not in _SPECS:
        if mode in ("nearest", "nearest-exact"):
            name = f"Upsample{'NearestExact' if mode == 'nearest-exact' else 'Nearest'}{n}D"
            _SPECS[key] = _make(name, _nearest_forward, _nearest_backward)
        else:
            _SPECS[key] = _make(f"Upsample{mode.capitalize()}{n}D", _linear_forward, _linear_backward)
    return _SPECS[key]


# -- F.interpolate ------------------------------------------------------------------------------------------

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def _output_size(input, n, size, scale_factor):
    spatial = list(input._data.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        sizes = list(size) if isinstance(size, (tuple, list)) else [size] * n
        if len(sizes) != n:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input with "
                             f"spatial dimensions of {spatial} and output size of {size}. Please provide input tensor "
                             "in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.")
        return [int(s) for s in sizes], [None] * n
    if scale_factor is not None:
        scales = list(scale_factor) if isinstance(scale_factor, (tuple, list)) else [scale_factor] * n
        if len(scales) != n:
            raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got input "
                             f"with spatial dimensions of {spatial} and scale_factor of shape {scale_factor}. Please "
                             "provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, "
                             "...,sK) format.")
        return [int(math.floor(float(s) * f)) for s, f in zip(spatial, scales)], [float(f) for f in scales]
    raise ValueError("either size or scale_factor should be defined")


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    if not isinstance(input, Tensor):
        raise TypeError(f"interpolate(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    x = input._data
    n = x.ndim - 2
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                             "bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    out_size, scales = _output_size(input, n, size, scale_factor)
    check_shape(x.shape[:2] + tuple(out_size), x.itemsize)  # --max-elements, before numpy allocates
    if recompute_scale_factor:
        scales = [None] * n
    if mode == "area":
        from .adaptive_pooling import adaptive_avg_pool1d, adaptive_avg_pool2d
        if n == 1:
            return adaptive_avg_pool1d(input, out_size)
        if n == 2:
            return adaptive_avg_pool2d(input, out_size)
    if mode in ("nearest", "nearest-exact") and 1 <= n <= 3:
        exact = mode == "nearest-exact"
        plan = {2 + i: _nearest_index(x.shape[2 + i], out_size[i], scales[i], exact) for i in range(n)}
        return record(_spec(mode, n), _nearest_forward(x, plan), (input,), {"plan": plan, "shape": x.shape})
    if mode in ("linear", "bilinear", "trilinear"):
        want = {"linear": 1, "bilinear": 2, "trilinear": 3}[mode]
        if n != want:
            raise NotImplementedError(f"Got {x.ndim}D input, but {mode} mode needs {want + 2}D input")
        ftype = x.dtype.type if x.dtype.kind == "f" else np.float32
        plan = {2 + i: _linear_weights(x.shape[2 + i], out_size[i], align_corners, scales[i], ftype)
                for i in range(n)}
        return record(_spec(mode, n), _linear_forward(x, plan), (input,), {"plan": plan, "shape": x.shape})
    if mode in ("bicubic", "area"):
        raise NotImplementedError(f"interpolate mode '{mode}' is not supported by gradcli for {x.ndim}D input")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {x.ndim}D) for the modes: "
                              f"{_MODES} (got {mode})")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return interpolate(input, size, scale_factor, mode, align_corners)
