"""torch.nn.functional.unfold / fold (Im2ColBackward0 / Col2ImBackward0: each the other's
adjoint) and pixel_shuffle / pixel_unshuffle (PixelShuffleBackward0 / PixelUnshuffleBackward0),
with torch's checks.  fold adds overlapping blocks kernel position by kernel position, torch's
col2im order, so float32 sums agree."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .activation import python_type_name
from .convolution import _out_size, _windows
from .registry import defop, record


_POSITIONS = {"kernel_size": 2, "dilation": 3, "padding": 4, "stride": 5}


def _pair(v, name=None):
    items = tuple(v) if isinstance(v, (tuple, list)) else (v, v)
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int):
            raise TypeError(f"im2col(): argument '{name}' (position {_POSITIONS.get(name, 2)}) must be tuple of ints, "
                            f"but found element of type {python_type_name(item)} at pos {i}")
    return items


def _im2col(x, kernel, dilation, padding, stride):
    """(N, C, H, W) -> (N, C·kh·kw, L); (C, H, W) -> (C·kh·kw, L)."""
    if x.ndim == 3:
        return _im2col(x[None], kernel, dilation, padding, stride)[0]
    out = tuple(_out_size(x.shape[2 + i], kernel[i], stride[i], padding[i], dilation[i]) for i in range(2))
    win = _windows(x, kernel, stride, padding, dilation, out)  # N, C, oh, ow, kh, kw
    n, c = x.shape[:2]
    return np.ascontiguousarray(win.transpose(0, 1, 4, 5, 2, 3)).reshape(n, c * kernel[0] * kernel[1], -1)


def _col2im(cols, size, kernel, dilation, padding, stride):
    """(N, C·kh·kw, L) -> (N, C, H, W), blocks added kernel position by kernel position."""
    if cols.ndim == 2:
        return _col2im(cols[None], size, kernel, dilation, padding, stride)[0]
    n = cols.shape[0]
    c = cols.shape[1] // (kernel[0] * kernel[1])
    out = tuple(_out_size(size[i], kernel[i], stride[i], padding[i], dilation[i]) for i in range(2))
    blocks = cols.reshape(n, c, kernel[0], kernel[1], out[0], out[1])
    img = np.zeros((n, c, size[0] + 2 * padding[0], size[1] + 2 * padding[1]), dtype=cols.dtype)
    for kh in range(kernel[0]):
        for kw in range(kernel[1]):
            h0, w0 = kh * dilation[0], kw * dilation[1]
            img[:, :, h0:h0 + stride[0] * (out[0] - 1) + 1:stride[0],
                w0:w0 + stride[1] * (out[1] - 1) + 1:stride[1]] += blocks[:, :, kh, kw]
    return img[:, :, padding[0]:padding[0] + size[0], padding[1]:padding[1] + size[1]]


def _either(fn, record_fn, grad, *args):
    if isinstance(grad, Tensor):
        return record_fn(grad, *args)
    return fn(grad, *args)



IM2COL = defop("Im2ColBackward0", {"self": "col2im(grad)"},
               self=lambda grad, size, kernel, dilation, padding, stride: _either(
                   _col2im, _record_col2im, grad, size, kernel, dilation, padding, stride))
COL2IM = defop("Col2ImBackward0", {"self": "im2col(grad)"},
               self=lambda grad, kernel, dilation, padding, stride: _either(
                   _im2col, _record_im2col, grad, kernel, dilation, padding, stride))


def _record_im2col(t, kernel, dilation, padding, stride):
    return record(IM2COL, _im2col(t._data, kernel, dilation, padding, stride), (t,),
                  {"size": t._data.shape[-2:], "kernel": kernel, "dilation": dilation, "padding": padding,
                   "stride": stride})


def _record_col2im(t, size, kernel, dilation, padding, stride):
    return record(COL2IM, _col2im(t._data, size, kernel, dilation, padding, stride), (t,),
                  {"kernel": kernel, "dilation": dilation, "padding": padding, "stride": stride})


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    if not isinstance(input, Tensor):
        raise TypeError(f"unfold(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    d = input._data.ndim
    if d < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(d, 1)}, {max(d, 1) - 1}], but "
                         f"got {d})")
    if d > 4:
        raise NotImplementedError(f"Input Error: Only 3D or 4D input Tensors are supported (got {d}D)")
    kernel, dilation = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    padding, stride = _pair(padding, "padding"), _pair(stride, "stride")
    if min(kernel) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: {kernel[0]} "
                           f"kernel_width: {kernel[1]}")
    if min(stride) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {stride[0]} "
                           f"stride_width: {stride[1]}")
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: {dilation[0]} "
                           f"dilation_width: {dilation[1]}")
    spatial = input._data.shape[-2:]
    out = [_out_size(spatial[i], kernel[i], stride[i], padding[i], dilation[i]) for i in range(2)]
    if min(out) < 1:
        raise RuntimeError(f"Given input with spatial size ({spatial[0]}, {spatial[1]}), kernel_size=({kernel[0]}, "
                           f"{kernel[1]}), dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, "
                           f"{padding[1]}), calculated shape of the array of sliding blocks as ({out[0]}, {out[1]}), "
                           "but its components must be at least one.")
    return _record_im2col(input, kernel, dilation, padding, stride)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    if not isinstance(input, Tensor):
        raise TypeError(f"fold(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    d = input._data.ndim
    if d not in (2, 3):
        raise NotImplementedError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
                                  f"(got {d}D)")
    size, kernel = _pair(output_size, "output_size"), _pair(kernel_size, "kernel_size")
    dilation, padding, stride = _pair(dilation, "dilation"), _pair(padding, "padding"), _pair(stride, "stride")
    if min(kernel) <= 0 or min(stride) <= 0 or min(dilation) <= 0:
        raise RuntimeError(f"kernel size, stride and dilation should be greater than zero, but got kernel_height: "
                           f"{kernel[0]} kernel_width: {kernel[1]}")
    channels, blocks = input._data.shape[-2:]
    if channels % (kernel[0] * kernel[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={channels} and kernel_size=({kernel[0]}, {kernel[1]}).")
    out = [_out_size(size[i], kernel[i], stride[i], padding[i], dilation[i]) for i in range(2)]
    if out[0] * out[1] != blocks:
        raise RuntimeError(f"Given output_size=({size[0]}, {size[1]}), kernel_size=({kernel[0]}, {kernel[1]}), "
                           f"dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, {padding[1]}), "
                           f"stride=({stride[0]}, {stride[1]}), expected size of input's dimension 2 to match the "
                           f"calculated number of sliding blocks {out[0]} * {out[1]} = {out[0] * out[1]}, but got "
                           f"input.size(2)={blocks}.")
    return _record_col2im(input, size, kernel, dilation, padding, stride)


# -- pixel shuffle -----------------------------------------------------------------------------------

def _shuffle(x, r):
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c // (r * r), r, r, h, w)
    n = len(lead)
    y = y.transpose(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return np.ascontiguousarray(y).reshape(*lead, c // (r * r), h * r, w * r)


def _unshuffle(x, r):
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    y = y.transpose(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return np.ascontiguousarray(y).reshape(*lead, c * r * r, h // r, w // r)


PIXEL_SHUFFLE = defop("PixelShuffleBackward0", {"self": "pixel_unshuffle(grad)"},
                      self=lambda grad, r: _either(_unshuffle, lambda t, r: record(
                          PIXEL_UNSHUFFLE, _unshuffle(t._data, r), (t,), {"r": r}), grad, r))
PIXEL_UNSHUFFLE = defop("PixelUnshuffleBackward0", {"self": "pixel_shuffle(grad)"},
                        self=lambda grad, r: _either(_shuffle, lambda t, r: record(
                            PIXEL_SHUFFLE, _shuffle(t._data, r), (t,), {"r": r}), grad, r))


def pixel_shuffle(input, upscale_factor):
    x = input._data
    r = int(upscale_factor)
    if x.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with {x.ndim} "
                           "dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    if x.shape[-3] % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={x.shape[-3]} is not divisible by {r * r}")
    return record(PIXEL_SHUFFLE, _shuffle(x, r), (input,), {"r": r})


def pixel_unshuffle(input, downscale_factor):
    x = input._data
    r = int(downscale_factor)
    if x.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{x.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    if x.shape[-2] % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)="
                           f"{x.shape[-2]} is not divisible by {r}")
    if x.shape[-1] % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)="
                           f"{x.shape[-1]} is not divisible by {r}")
    return record(PIXEL_UNSHUFFLE, _unshuffle(x, r), (input,), {"r": r})
