"""torch.nn.functional.conv1d / conv2d / conv3d (ConvolutionBackward0), with torch's checks.

A convolution is bilinear in (input, weight): with conv(x, w), its input adjoint dx(g, w) and
its weight adjoint dw(g, x), every derivative is one of the three again, so the first
derivatives recorded under ``create_graph`` (ConvolutionBackwardBackward0) give every order.
Windows are strided views of the zero-padded input; float32 sums follow torch's kernels' orders
where measured (forward here, gradients in conv_backward_f32.py), else run in float64 and round once.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..tensor import Tensor
from .activation import python_type_name
from . import conv_backward_f32 as B
from .registry import backward_op, defop, record


# -- the three bilinear maps on arrays ---------------------------------------------------------------

def _wide(a):
    return a.astype(np.float64) if a.dtype == np.float32 or a.dtype == np.float16 else a


def _out_size(size, k, s, p, d):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def _windows(x, kernel, stride, padding, dilation, out):
    """(N, C, *out, *kernel) view of x zero-padded by ``padding``."""
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding]) if any(padding) else x
    st = xp.strides
    n = len(kernel)
    shape = xp.shape[:2] + tuple(out) + tuple(kernel)
    strides = st[:2] + tuple(st[2 + i] * stride[i] for i in range(n)) + tuple(st[2 + i] * dilation[i] for i in range(n))
    return as_strided(xp, shape, strides, writeable=False)


def _rows(a, n):
    """(N, C, *O, *K) -> (N·ΠO, C·ΠK)."""
    nd = a.ndim
    order = (0,) + tuple(range(2, 2 + n)) + (1,) + tuple(range(2 + n, nd))
    t = a.transpose(order)
    return t.reshape(int(np.prod(t.shape[:1 + n])), -1)


def _uses_onednn(x, w, groups) -> bool:
    return uses_onednn(x.shape, w.shape, groups)


def uses_onednn(xshape, wshape, groups) -> bool:
    """torch's choice between oneDNN and its own im2col kernel for a float32 convolution
    (use_mkldnn in Convolution.cpp; a 1-d convolution runs as a 2-d one of height 1)."""
    spatial = tuple(wshape[2:]) if len(wshape) > 3 else (1,) + tuple(wshape[2:])
    return groups > 1 or all(k > 3 for k in spatial) or xshape[0] > 1 or int(np.prod(xshape)) > 20480


def _fma_chain(x, w, stride, padding, dilation, groups, bias, out):
    """float32 sums in torch's order: oneDNN starts from the bias and takes channels in blocks of
    8, each block kernel position by kernel position, one rounding per step (FMA); the im2col
    kernel runs along (channel, kernel position) rows and adds the bias last."""
    from .sleef_f32 import fma32
    n = w.ndim - 2
    kernel = w.shape[2:]
    N, C = x.shape[:2]
    OC = w.shape[0]
    cg, og = C // groups, OC // groups
    onednn = _uses_onednn(x, w, groups)
    win = _windows(x, kernel, stride, padding, dilation, out)
    spots = list(np.ndindex(*kernel))
    parts = []
    for g in range(groups):
        acc = np.zeros((N, og) + tuple(out), dtype=np.float32)
        wg = w[g * og:(g + 1) * og].reshape((og, cg, -1) + (1,) * n)
        if bias is not None and onednn:
            acc += bias[g * og:(g + 1) * og].reshape((-1,) + (1,) * n)
        if onednn:
            order = [(c, j) for b in range(0, cg, 8) for j in range(len(spots)) for c in range(b, min(cg, b + 8))]
        else:
            order = [(c, j) for c in range(cg) for j in range(len(spots))]
        # the im2col kernel's gemm takes output channels in fours with FMAs, adding the bias last;
        # the last og % 4 it multiplies and adds in two roundings, starting from the bias
        fused = og if onednn else og - og % 4
        if bias is not None and fused < og:
            acc[:, fused:] += bias[g * og + fused:(g + 1) * og].reshape((-1,) + (1,) * n)
        for c, j in order:
            column = win[(slice(None), g * cg + c, Ellipsis) + spots[j]][:, None]
            acc[:, :fused] = fma32(column, wg[:fused, c, j], acc[:, :fused])
            if fused < og:
                acc[:, fused:] += column * wg[fused:, c, j]
        if bias is not None and not onednn:
            acc[:, :fused] += bias[g * og:g * og + fused].reshape((-1,) + (1,) * n)
        parts.append(acc)
    return parts[0] if groups == 1 else np.concatenate(parts, axis=1)


def conv_array(x, w, stride, padding, dilation, groups, bias=None):
    dtype = np.result_type(x, w)
    n = w.ndim - 2
    kernel = w.shape[2:]
    out = tuple(_out_size(x.shape[2 + i], kernel[i], stride[i], padding[i], dilation[i]) for i in range(n))
    if x.size == 0 or w.size == 0:
        y = np.zeros((x.shape[0], w.shape[0]) + out, dtype=dtype)
        return y if bias is None else y + bias.reshape((-1,) + (1,) * n)
    if dtype == np.float32 and x.dtype == w.dtype:
        return _fma_chain(x, w, stride, padding, dilation, groups, bias, out)
    N, C = x.shape[:2]
    OC = w.shape[0]
    cg, og = C // groups, OC // groups
    win = _windows(_wide(x), kernel, stride, padding, dilation, out)
    ww = _wide(w)
    parts = []
    for g in range(groups):
        cols = _rows(win[:, g * cg:(g + 1) * cg], n)
        y = cols @ ww[g * og:(g + 1) * og].reshape(og, -1).T  # (N·ΠO, og)
        parts.append(np.moveaxis(y.reshape((N,) + out + (og,)), -1, 1))
    y = parts[0] if groups == 1 else np.concatenate(parts, axis=1)
    if bias is not None:
        y = y + _wide(bias).reshape((-1,) + (1,) * n)
    return y.astype(dtype, copy=False)


def conv_input_array(g, w, stride, padding, dilation, groups, xshape):
    """The input's gradient: each output's gradient times the weight, added back at the places
    its window read."""
    dtype = np.result_type(g, w)
    if g.size == 0 or w.size == 0:
        return np.zeros(xshape, dtype=dtype)
    exact = B.input_grad(g, w, stride, padding, dilation, groups, xshape, uses_onednn(xshape, w.shape, groups))
    if exact is not None:
        return exact
    n = w.ndim - 2
    kernel = w.shape[2:]
    out = g.shape[2:]
    N, C = xshape[:2]
    OC = w.shape[0]
    cg, og = C // groups, OC // groups
    full = (N, C) + tuple(xshape[2 + i] + 2 * padding[i] for i in range(n))
    dxp = np.zeros(full, dtype=np.float64 if dtype != np.float64 and dtype.kind == "f" else dtype)
    gw, ww = _wide(g), _wide(w)
    for gi in range(groups):
        rows = np.moveaxis(gw[:, gi * og:(gi + 1) * og], 1, -1).reshape(-1, og)
        cols = rows @ ww[gi * og:(gi + 1) * og].reshape(og, -1)  # (N·ΠO, cg·ΠK)
        cols = cols.reshape((N,) + tuple(out) + (cg,) + tuple(kernel))
        cols = np.moveaxis(cols, 1 + n, 1)  # (N, cg, *O, *K)
        for k in np.ndindex(*kernel):
            where = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + stride[i] * (out[i] - 1) + 1, stride[i])
                          for i in range(n))
            dxp[(slice(None), slice(gi * cg, (gi + 1) * cg)) + where] += cols[(Ellipsis,) + k]
    crop = tuple(slice(p, p + xshape[2 + i]) for i, p in enumerate(padding))
    return dxp[(slice(None), slice(None)) + crop].astype(dtype, copy=False)


def conv_weight_array(g, x, stride, padding, dilation, groups, wshape):
    dtype = np.result_type(g, x)
    if g.size == 0 or x.size == 0:
        return np.zeros(wshape, dtype=dtype)
    exact = B.weight_grad(g, x, stride, padding, dilation, groups, wshape, uses_onednn(x.shape, wshape, groups))
    if exact is not None:
        return exact
    n = len(wshape) - 2
    kernel = tuple(wshape[2:])
    out = g.shape[2:]
    C = x.shape[1]
    OC = wshape[0]
    cg, og = C // groups, OC // groups
    win = _windows(_wide(x), kernel, stride, padding, dilation, out)
    gw = _wide(g)
    parts = []
    for gi in range(groups):
        cols = _rows(win[:, gi * cg:(gi + 1) * cg], n)
        rows = np.moveaxis(gw[:, gi * og:(gi + 1) * og], 1, -1).reshape(-1, og)
        parts.append((rows.T @ cols).reshape((og, cg) + kernel))
    dw = parts[0] if groups == 1 else np.concatenate(parts, axis=0)
    return dw.astype(dtype, copy=False)


# -- ops ------------------------------------------------------------------------------------------

def _geom(stride, padding, dilation, groups):
    return {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}


CONV_INPUT = backward_op(
    "ConvolutionBackwardBackward0",
    lambda grad, weight, F, stride, padding, dilation, groups, xshape: conv_input_array(
        grad, weight, stride, padding, dilation, groups, xshape),
    {"grad_output": "conv(grad, weight)", "weight": "conv weight gradient of (grad, grad_output)"},
    grad_output=lambda grad, weight, stride, padding, dilation, groups: _conv_either(
        grad, weight, stride, padding, dilation, groups),
    weight=lambda grad, grad_output, weight, stride, padding, dilation, groups: CONV_WEIGHT(
        grad_output, grad, stride=stride, padding=padding, dilation=dilation, groups=groups,
        wshape=tuple(weight.shape)),
)


CONV_WEIGHT = backward_op(
    "ConvolutionBackwardBackward0",
    lambda grad, input, F, stride, padding, dilation, groups, wshape: conv_weight_array(
        grad, input, stride, padding, dilation, groups, wshape),
    {"grad_output": "conv(input, grad)", "input": "conv input gradient of (grad_output, grad)"},
    grad_output=lambda grad, input, stride, padding, dilation, groups: _conv_either(
        input, grad, stride, padding, dilation, groups),
    input=lambda grad, grad_output, input, stride, padding, dilation, groups: CONV_INPUT(
        grad_output, grad, stride=stride, padding=padding, dilation=dilation, groups=groups,
        xshape=tuple(input.shape)),
)


def _bias_sum(grad, F, onednn, cin):
    exact = B.bias_grad(grad, cin, onednn)
    return exact if exact is not None else grad.sum(axis=(0,) + tuple(range(2, grad.ndim)))


def _bias_spread(grad, shape, F):
    return F.expand(F.reshape(grad, (1, -1) + (1,) * (len(shape) - 2)), shape)


CONV_BIAS = backward_op("ConvolutionBackwardBackward0",
                        lambda grad, F, shape, onednn, cin: _bias_sum(grad, F, onednn, cin),
                        {"grad_output": "grad spread over batch and positions"},
                        grad_output=lambda grad, shape, F: _bias_spread(grad, shape, F))


CONVOLUTION = defop(
    "ConvolutionBackward0",
    {"input": "Σ grad·weight over the windows that read it", "weight": "Σ grad·input windows", "bias": "Σ grad"},
    input=lambda grad, input, weight, stride, padding, dilation, groups: CONV_INPUT(
        grad, weight, stride=stride, padding=padding, dilation=dilation, groups=groups, xshape=tuple(input.shape)),
    weight=lambda grad, input, weight, stride, padding, dilation, groups: CONV_WEIGHT(
        grad, input, stride=stride, padding=padding, dilation=dilation, groups=groups, wshape=tuple(weight.shape)),
    bias=lambda grad, input, weight, groups: CONV_BIAS(
        grad, shape=tuple(grad.shape), onednn=uses_onednn(tuple(input.shape), tuple(weight.shape), groups),
        cin=weight.shape[1] * groups),
)


def _conv_either(x, w, stride, padding, dilation, groups):
    """conv in a second-order formula: on arrays in a plain backward pass, recorded under create_graph."""
    if isinstance(x, Tensor) or isinstance(w, Tensor):
        from ..tensor import wrap
        x, w = (v if isinstance(v, Tensor) else wrap(v) for v in (x, w))
        return _convolution(x, w, None, stride, padding, dilation, groups)
    return conv_array(x, w, stride, padding, dilation, groups)


def _convolution(input, weight, bias, stride, padding, dilation, groups):
    """The recorded op on batched input with numeric padding (no checks)."""
    out = conv_array(input._data, weight._data, stride, padding, dilation, groups,
                     None if bias is None else bias._data)
    return record(CONVOLUTION, out, (input, weight, bias), _geom(stride, padding, dilation, groups))


# -- F.conv1d / conv2d / conv3d: torch's argument checks ---------------------------------------------

def _shape_text(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _expand(name, value, k, n):
    """An int stands for k equal values (the function's IntArrayRef[k]); one value is expanded to
    the weight's n spatial dims, any other count must be n."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * k
    values = tuple(value)
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values to match the "
                           f"convolution dimensions, but got {name}={list(values)}")
    return values


def _same_padding(input, weight, dilation, stride):
    """padding='same': total d·(k−1) per dim, the odd one out on the right (an explicit pad first)."""
    from .padding import _constant
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    n = weight._data.ndim - 2
    total = [dilation[i] * (weight._data.shape[2 + i] - 1) for i in range(n)]
    left = tuple(t // 2 for t in total)
    extra = [t - 2 * (t // 2) for t in total]
    if any(extra):
        warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded "
                      "copy of the input be created", UserWarning, stacklevel=4)
        pads = []
        for i in reversed(range(n)):
            pads += [0, extra[i]]
        input = _constant(input, tuple(pads), 0)
    return input, left


def _check_shapes(x, w, b, stride, padding, dilation, groups):
    n = w.ndim - 2
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if w.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{_shape_text(w.shape)}] instead")
    if x.shape[1] != w.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {_shape_text(w.shape)}, expected input"
                           f"{_shape_text(x.shape)} to have {w.shape[1] * groups} channels, but got {x.shape[1]} "
                           "channels instead")
    if b is not None and (b.ndim != 1 or b.shape[0] != w.shape[0]):
        raise RuntimeError(f"Given weight of size {_shape_text(w.shape)}, expected bias to be 1-dimensional with "
                           f"{w.shape[0]} elements, but got bias of size {_shape_text(b.shape)} instead")
    padded = [x.shape[2 + i] + 2 * padding[i] for i in range(n)]
    kernel = [dilation[i] * (w.shape[2 + i] - 1) + 1 for i in range(n)]
    if any(k > p for k, p in zip(kernel, padded)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(str(p) for p in padded)}). "
                           f"Kernel size: ({' x '.join(str(k) for k in kernel)}). Kernel size can't be greater than "
                           "actual input size")


def _check_types(x, w, b):
    from ._dispatch import _torch_type_name
    if x.dtype != w.dtype:
        raise RuntimeError(f"expected scalar type {_torch_type_name(x.dtype)} but found {_torch_type_name(w.dtype)}")
    if b is not None and b.dtype != x.dtype:
        raise RuntimeError(f"Input type ({_C_NAMES.get(x.dtype.name, x.dtype.name)}) and bias type "
                           f"({_C_NAMES.get(b.dtype.name, b.dtype.name)}) should be the same")


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int", "int32": "int"}


def _arguments(fn, input, weight, bias):
    """torch's parser message when a tensor argument is something else."""
    if isinstance(input, Tensor) and isinstance(weight, Tensor) and (bias is None or isinstance(bias, Tensor)):
        return
    given = [input, weight] + ([] if bias is None else [bias])
    got = ", ".join("Tensor" if isinstance(v, Tensor) else python_type_name(v) for v in given)
    raise TypeError(
        f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        " * (Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple of ints padding = 0, "
        "tuple of ints dilation = 1, int groups = 1)\n"
        " * (Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str padding = \"valid\", "
        "tuple of ints dilation = 1, int groups = 1)\n")


def _conv(fn, k, input, weight, bias, stride, padding, dilation, groups):
    _arguments(fn, input, weight, bias)
    x = input._data
    if x.ndim not in (k + 1, k + 2):
        raise RuntimeError(f"Expected {k + 1}D (unbatched) or {k + 2}D (batched) input to {fn}, but got input of "
                           f"size: {_shape_text(x.shape)}")
    from . import shape as S
    batched = x.ndim == k + 2
    if not batched:
        input = S.unsqueeze(input, 0)
    n = weight._data.ndim - 2
    stride = _expand("stride", stride, k, n)
    dilation = _expand("dilation", dilation, k, n)
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * n
        elif padding == "same":
            input, padding = _same_padding(input, weight, dilation, stride)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        padding = _expand("padding", padding, k, n)
    x, w = input._data, weight._data
    if x.ndim != w.ndim:
        raise RuntimeError(f"Expected {w.ndim}-dimensional input for {w.ndim}-dimensional weight "
                           f"{_shape_text(w.shape)}, but got {x.ndim}-dimensional input of size "
                           f"{_shape_text(x.shape)} instead")
    _check_shapes(x, w, None if bias is None else bias._data, stride, padding, dilation, groups)
    _check_types(x, w, None if bias is None else bias._data)
    from ..limits import check_shape
    out = [_out_size(x.shape[2 + i], w.shape[2 + i], stride[i], padding[i], dilation[i]) for i in range(n)]
    check_shape([x.shape[0], w.shape[0]] + out, 8)
    y = _convolution(input, weight, bias, stride, padding, dilation, groups)
    return y if batched else S.squeeze(y, 0)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)
