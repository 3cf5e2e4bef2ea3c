"""torch.nn.functional.conv_transpose1d/2d/3d: the adjoint of convolution in its input
(ConvolutionBackward0, as torch records its transposed convolution), so its input gradient is a
convolution and its weight gradient the convolution's weight gradient with the roles swapped.
float32 sums run in float64 and round once (torch's deconvolution kernels' orders not modelled)."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from . import convolution as C
from .activation import python_type_name
from .registry import backward_op, defop, record


def _wide_input_grad(g, w, stride, padding, dilation, groups, shape):
    dtype = np.result_type(g, w)
    wide = np.float64 if dtype.kind == "f" else dtype
    return C.conv_input_array(g.astype(wide), w.astype(wide), stride, padding, dilation, groups, shape).astype(dtype)


def _transpose_either(x, w, stride, padding, dilation, groups, shape):
    if isinstance(x, Tensor) or isinstance(w, Tensor):
        from ..tensor import wrap
        x, w = (v if isinstance(v, Tensor) else wrap(v) for v in (x, w))
        return _record(x, w, None, stride, padding, dilation, groups, shape)
    return _wide_input_grad(x, w, stride, padding, dilation, groups, shape)


TRANSPOSE_INPUT = backward_op(
    "ConvolutionBackwardBackward0",
    lambda grad, weight, F, stride, padding, dilation, groups: C.conv_array(grad, weight, stride, padding, dilation,
                                                                            groups),
    {"grad_output": "the transposed convolution of grad", "weight": "conv weight gradient of (grad, grad_output)"},
    grad_output=lambda grad, grad_output, weight, stride, padding, dilation, groups: _transpose_either(
        grad, weight, stride, padding, dilation, groups, tuple(grad_output.shape)),
    weight=lambda grad, grad_output, weight, stride, padding, dilation, groups: C.CONV_WEIGHT(
        grad, grad_output, stride=stride, padding=padding, dilation=dilation, groups=groups,
        wshape=tuple(weight.shape)),
)

CONV_TRANSPOSE = defop(
    "ConvolutionBackward0",
    {"input": "conv(grad, weight)", "weight": "conv weight gradient of (input, grad)", "bias": "Σ grad"},
    input=lambda grad, weight, stride, padding, dilation, groups: TRANSPOSE_INPUT(
        grad, weight, stride=stride, padding=padding, dilation=dilation, groups=groups),
    weight=lambda grad, input, weight, stride, padding, dilation, groups: C.CONV_WEIGHT(
        input, grad, stride=stride, padding=padding, dilation=dilation, groups=groups, wshape=tuple(weight.shape)),
    bias=lambda grad, F: F.sum(grad, (0,) + tuple(range(2, len(grad.shape)))),
)


def _record(input, weight, bias, stride, padding, dilation, groups, shape):
    out = _wide_input_grad(input._data, weight._data, stride, padding, dilation, groups, shape)
    if bias is not None:
        out = (out.astype(np.float64) + bias._data.reshape((-1,) + (1,) * (out.ndim - 2))).astype(out.dtype)
    return record(CONV_TRANSPOSE, out, (input, weight, bias),
                  {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups})


def _conv_transpose(fn, k, input, weight, bias, stride, padding, output_padding, groups, dilation):
    from . import shape as S
    for name, value, position in (("input", input, 1), ("weight", weight, 2), ("bias", bias, 3)):
        if not isinstance(value, Tensor) and not (name == "bias" and value is None):
            raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not "
                            f"{python_type_name(value)}")
    x = input._data
    if x.ndim not in (k + 1, k + 2):
        raise RuntimeError(f"Expected {k + 1}D (unbatched) or {k + 2}D (batched) input to {fn}, but got input of "
                           f"size: {C._shape_text(x.shape)}")
    batched = x.ndim == k + 2
    if not batched:
        input = S.unsqueeze(input, 0)
    w = weight._data
    n = w.ndim - 2
    stride, padding = C._expand("stride", stride, k, n), C._expand("padding", padding, k, n)
    dilation, output_padding = C._expand("dilation", dilation, k, n), C._expand("output_padding", output_padding, k, n)
    x = input._data
    names = ("height", "width") if n == 2 else ("depth", "height", "width") if n == 3 else ("width",)
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(
            [f"output_padding_{a}: {v}" for a, v in zip(names, output_padding)]
            + [f"stride_{a}: {v}" for a, v in zip(names, stride)]
            + [f"dilation_{a}: {v}" for a, v in zip(names, dilation)]))
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if x.shape[1] != w.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {C._shape_text(w.shape)}, expected input"
                           f"{C._shape_text(x.shape)} to have {w.shape[0]} channels, but got {x.shape[1]} channels "
                           "instead")
    if w.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{C._shape_text(w.shape)}] instead")
    C._check_types(x, w, None if bias is None else bias._data)
    out = tuple((x.shape[2 + i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (w.shape[2 + i] - 1)
                + output_padding[i] + 1 for i in range(n))
    from ..limits import check_shape
    shape = (x.shape[0], w.shape[1] * groups) + out
    check_shape(shape, 8)
    y = _record(input, weight, bias, stride, padding, dilation, groups, shape)
    return y if batched else S.squeeze(y, 0)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose("conv_transpose3d", 3, input, weight, bias, stride, padding, output_padding, groups,
                           dilation)
