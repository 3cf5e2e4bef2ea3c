"""torch.nn.functional.adaptive_avg_pool1d / adaptive_avg_pool2d (AdaptiveAvgPool2DBackward0;
an output of size 1 is torch's mean over the plane, MeanBackward1) and adaptive_max_pool1d/2d
(AdaptiveMaxPool2DBackward0, with indices).  Output cell i reads input
[floor(i·L/O), ceil((i+1)·L/O)); sums run in float32 cell by cell, then divide by the height and
by the width, as torch's CPU kernel does."""

from __future__ import annotations

import numpy as np

from ..limits import check_shape
from ..tensor import Tensor
from .activation import python_type_name
from .registry import backward_op, defop, record


def _bounds(size, out):
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def _cells(shape, out):
    (hs, he), (ws, we) = _bounds(shape[-2], out[0]), _bounds(shape[-1], out[1])
    for oh in range(out[0]):
        for ow in range(out[1]):
            yield oh, ow, slice(hs[oh], he[oh]), slice(ws[ow], we[ow])


def _adaptive_array(x, out):
    y = np.empty(x.shape[:-2] + tuple(out), dtype=x.dtype)
    for oh, ow, rows, cols in _cells(x.shape, out):
        cell = x[..., rows, cols]
        flat = cell.reshape(cell.shape[:-2] + (-1,))
        total = np.cumsum(flat, axis=-1, dtype=x.dtype)[..., -1]  # one float32 addition at a time
        kh, kw = rows.stop - rows.start, cols.stop - cols.start
        y[..., oh, ow] = total / x.dtype.type(kh) / x.dtype.type(kw)
    return y


def _adaptive_backward_array(grad, shape):
    out = grad.shape[-2:]
    dx = np.zeros(shape, dtype=grad.dtype)
    for oh, ow, rows, cols in _cells(shape, out):
        kh, kw = rows.stop - rows.start, cols.stop - cols.start
        delta = grad[..., oh, ow] / grad.dtype.type(kh) / grad.dtype.type(kw)
        dx[..., rows, cols] += delta[..., None, None]
    return dx


def _again(grad, out):
    if isinstance(grad, Tensor):
        raise NotImplementedError("third derivatives of adaptive average pooling are not supported by gradcli")
    return _adaptive_array(grad, out)


_SPREAD = backward_op("AdaptiveAvgPool2DBackwardBackward0",
                      lambda grad, F, shape, out: _adaptive_backward_array(grad, shape),
                      {"grad_output": "the adaptive average pool of grad"},
                      grad_output=lambda grad, shape, out: _again(grad, out))
ADAPTIVE_AVG = defop("AdaptiveAvgPool2DBackward0", {"self": "grad / cell size, spread over each cell"},
                     self=lambda grad, shape: _SPREAD(grad, shape=shape, out=tuple(grad.shape[-2:])))


def _sizes(output_size, x, n, fn="adaptive_avg_pool2d"):
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        output_size = (output_size,) * n
    if isinstance(output_size, Tensor):
        output_size = output_size.tolist() if output_size.dim() else [output_size.item()]
        if len(output_size) != n:  # (torch's max-pool text says 'internal error: ' before 'output_size')
            raise RuntimeError("adaptive_avg_pool2d: output_size must be 2" if fn == "adaptive_avg_pool2d" else
                               "adaptive_max_pool2d(): output_size.size() must be 2")
    if not isinstance(output_size, (tuple, list)):
        raise TypeError(f"object of type '{python_type_name(output_size)}' has no len()")
    sizes = tuple(output_size)
    if len(sizes) == 1 and n == 2:
        sizes = sizes * 2
    return tuple(x.shape[x.ndim - n + i] if s is None else s for i, s in enumerate(sizes))


def adaptive_avg_pool2d(input, output_size):
    if not isinstance(input, Tensor):
        raise TypeError(f"adaptive_avg_pool2d(): argument 'input' (position 1) must be Tensor, not "
                        f"{python_type_name(input)}")
    x = input._data
    if x.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                           f"[{', '.join(str(s) for s in x.shape)}]")
    out = _sizes(output_size, x, 2)
    if any(s < 0 for s in out):
        raise RuntimeError(f"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                           f"received {{{', '.join(str(s) for s in out)}}}")
    check_shape(x.shape[:-2] + out, x.itemsize)  # --max-elements: output_size may exceed the input's
    if out == (1, 1):
        from .reduction import mean
        return mean(input, (-1, -2), True)
    return record(ADAPTIVE_AVG, _adaptive_array(x, out), (input,), {"shape": x.shape})


def adaptive_avg_pool1d(input, output_size):
    from . import shape as S
    if not isinstance(input, Tensor):
        raise TypeError(f"adaptive_avg_pool1d(): argument 'input' (position 1) must be Tensor, not "
                        f"{python_type_name(input)}")
    if input._data.ndim not in (2, 3):
        raise RuntimeError(f"adaptive_avg_pool1d(): Expected 2D or 3D tensor, but got "
                           f"[{', '.join(str(s) for s in input._data.shape)}]")
    if isinstance(output_size, (Tensor, bool)) or not isinstance(output_size, (int, tuple, list)):
        raise TypeError(f"adaptive_avg_pool1d(): argument 'output_size' (position 2) must be tuple of ints, not "
                        f"{python_type_name(output_size)}")
    size = output_size if isinstance(output_size, int) else tuple(output_size)[0]
    return S.squeeze(adaptive_avg_pool2d(S.unsqueeze(input, -2), (1, size)), -2)


# -- adaptive max pooling ------------------------------------------------------------------------------

def _adaptive_max_array(x, out):
    """Each cell's max and its index in the (H·W) plane: the first of equal maxima, the last nan."""
    values = np.empty(x.shape[:-2] + tuple(out), dtype=x.dtype)
    index = np.empty(x.shape[:-2] + tuple(out), dtype=np.int64)
    width = x.shape[-1]
    for oh, ow, rows, cols in _cells(x.shape, out):
        cell = x[..., rows, cols]
        flat = cell.reshape(cell.shape[:-2] + (-1,))
        pick = flat.argmax(axis=-1)
        if x.dtype.kind == "f":
            isnan = np.isnan(flat)
            if isnan.any():
                last = flat.shape[-1] - 1 - isnan[..., ::-1].argmax(axis=-1)
                pick = np.where(isnan.any(axis=-1), last, pick)
        cw = cols.stop - cols.start
        values[..., oh, ow] = np.take_along_axis(flat, pick[..., None], axis=-1)[..., 0]
        index[..., oh, ow] = (rows.start + pick // cw) * width + cols.start + pick % cw
    return values, index


_ADAPTIVE_MAX = None


def adaptive_max_pool2d(input, output_size, return_indices=False):
    global _ADAPTIVE_MAX
    from .pooling import _make_max
    if not isinstance(input, Tensor):
        raise TypeError(f"adaptive_max_pool2d(): argument 'input' (position 1) must be Tensor, not "
                        f"{python_type_name(input)}")
    x = input._data
    if x.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: "
                           f"[{', '.join(str(s) for s in x.shape)}]")
    out = _sizes(output_size, x, 2, "adaptive_max_pool2d")
    check_shape(x.shape[:-2] + out, x.itemsize)  # --max-elements: output_size may exceed the input's
    if _ADAPTIVE_MAX is None:
        _ADAPTIVE_MAX = _make_max(2, "AdaptiveMaxPool2D")
    values, index = _adaptive_max_array(x, out)
    result = record(_ADAPTIVE_MAX, values, (input,), {"indices": index, "shape": x.shape})
    if return_indices:
        from ..tensor import wrap
        return result, wrap(index)
    return result


def adaptive_max_pool1d(input, output_size, return_indices=False):
    from . import shape as S
    if not isinstance(input, Tensor):
        raise TypeError(f"adaptive_max_pool1d(): argument 'input' (position 1) must be Tensor, not "
                        f"{python_type_name(input)}")
    if input._data.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input._data.ndim}-dimensional tensor for argument "
                           "#1 'self' (while checking arguments for adaptive_max_pool1d)")
    if isinstance(output_size, (Tensor, bool)) or not isinstance(output_size, (int, tuple, list)):
        raise TypeError(f"adaptive_max_pool1d(): argument 'output_size' (position 2) must be tuple of ints, not "
                        f"{python_type_name(output_size)}")
    size = output_size if isinstance(output_size, int) else tuple(output_size)[0]
    out = adaptive_max_pool2d(S.unsqueeze(input, -2), (1, size), return_indices)
    if return_indices:
        return S.squeeze(out[0], -2), S.squeeze(out[1], -2)
    return S.squeeze(out, -2)
