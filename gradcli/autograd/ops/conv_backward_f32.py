"""float32 convolution gradients in torch's orders (measured against torch 2.13's CPU kernels),
for stride 1, dilation 1, one group, 1-d and 2-d; other cases return None and the caller sums in
float64 and rounds once.

- oneDNN (the path convolution.uses_onednn picks): grad_input chains FMAs over output channels in
  blocks of 8, each block kernel position by kernel position; grad_weight chains FMAs over
  (sample, row, column), the samples split between the threads when the channels make fewer
  blocks of 8 than there are threads (the partial sums then added); grad_bias adds the same way
  (output-channel blocks only); the im2col path's grad_bias is torch's sum.
- im2col (batch of one): columns = Wᵀ·G as FMAs over output channels, added back into the
  image kernel position by kernel position; grad_weight = G·columnsᵀ as FMAs along the positions.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .sleef_f32 import fma32

f32 = np.float32
_MAX_STEPS = 20000  # longer chains (big images) fall back to the float64 sums


def _applies(stride, dilation, groups, *arrays) -> bool:
    return (groups == 1 and all(s == 1 for s in stride) and all(d == 1 for d in dilation) and len(stride) <= 2
            and all(a.dtype == f32 for a in arrays))


def _as_2d(a):
    return a[:, :, None] if a.ndim == 3 else a


def _threads_split(oc, c) -> bool:
    from .summation import THREADS
    return -(-oc // 8) * -(-c // 8) < THREADS


def _sample_blocks(n, split):
    from .summation import THREADS
    if not split:
        return [range(n)]
    size = -(-n // THREADS)
    return [range(s, min(n, s + size)) for s in range(0, n, size)]


def input_grad(g, w, stride, padding, dilation, groups, xshape, onednn):
    if not _applies(stride, dilation, groups, g, w):
        return None
    g2, w2 = _as_2d(g), _as_2d(w)
    pad = tuple(padding) if len(padding) == 2 else (0,) + tuple(padding)
    n, c = xshape[:2]
    h, wd = (xshape[2:] if len(xshape) == 4 else (1,) + tuple(xshape[2:]))
    oc, _, kh, kw = w2.shape
    if oc * kh * kw > _MAX_STEPS or (not onednn and c * kh * kw * g2.shape[2] > _MAX_STEPS):
        return None
    if onednn:
        gp = np.pad(g2, [(0, 0), (0, 0), (kh - 1 - pad[0],) * 2, (kw - 1 - pad[1],) * 2])
        acc = np.zeros((n, c, h, wd), dtype=f32)
        for block in range(0, oc, 8):
            for i in range(kh):
                for j in range(kw):
                    for o in range(block, min(oc, block + 8)):
                        window = gp[:, o, kh - 1 - i:kh - 1 - i + h, kw - 1 - j:kw - 1 - j + wd]
                        acc = fma32(window[:, None], w2[o, :, i, j][None, :, None, None], acc)
        return acc.reshape(xshape)
    oh, ow = g2.shape[2:]
    cols = np.zeros((c * kh * kw, oh * ow), dtype=f32)
    wm, gm = w2.reshape(oc, -1), g2[0].reshape(oc, -1)
    for o in range(oc):
        cols = fma32(wm[o][:, None], gm[o][None, :], cols)
    cols = cols.reshape(c, kh, kw, oh, ow)
    img = np.zeros((c, h + 2 * pad[0], wd + 2 * pad[1]), dtype=f32)
    for i in range(kh):
        for j in range(kw):
            img[:, i:i + oh, j:j + ow] += cols[:, i, j]
    return img[None, :, pad[0]:pad[0] + h, pad[1]:pad[1] + wd].reshape(xshape)


def _windows(x2, pad, kh, kw, oh, ow):
    xp = np.pad(x2, [(0, 0), (0, 0), (pad[0],) * 2, (pad[1],) * 2])
    return sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, :oh, :ow]  # N, C, OH, OW, KH, KW


def weight_grad(g, x, stride, padding, dilation, groups, wshape, onednn):
    if not _applies(stride, dilation, groups, g, x):
        return None
    g2, x2 = _as_2d(g), _as_2d(x)
    pad = tuple(padding) if len(padding) == 2 else (0,) + tuple(padding)
    oc, c = wshape[:2]
    kh, kw = (wshape[2:] if len(wshape) == 4 else (1,) + tuple(wshape[2:]))
    n, _, oh, ow = g2.shape
    if n * oh * ow > _MAX_STEPS:
        return None
    win = _windows(x2, pad, kh, kw, oh, ow)
    if not onednn:
        cols = win[0].transpose(0, 3, 4, 1, 2).reshape(c * kh * kw, oh * ow)
        gm = g2[0].reshape(oc, -1)
        acc = np.zeros((oc, c * kh * kw), dtype=f32)
        for pos in range(oh * ow):
            acc = fma32(gm[:, pos][:, None], cols[:, pos][None, :], acc)
        return acc.reshape(wshape)
    total = None
    for samples in _sample_blocks(n, _threads_split(oc, c)):
        acc = np.zeros((oc, c, kh, kw), dtype=f32)
        for s in samples:
            for i in range(oh):
                for j in range(ow):
                    acc = fma32(g2[s, :, i, j][:, None, None, None], win[s, :, i, j][None], acc)
        total = acc if total is None else total + acc
    return total.reshape(wshape)


def bias_grad(g, cin, onednn):
    """Σ grad over samples and positions: oneDNN's plain float32 additions (samples split between
    the threads when the output channels make fewer blocks of 8 than threads), or torch's sum."""
    if g.dtype != f32:
        return None
    if not onednn:
        from .summation import torch_sum
        return np.asarray(torch_sum(g, (0,) + tuple(range(2, g.ndim))))
    n, oc = g.shape[:2]
    flat = g.reshape(n, oc, -1)
    if n * flat.shape[2] > _MAX_STEPS:
        return None
    total = None
    for samples in _sample_blocks(n, _threads_split(oc, 1)):
        acc = np.zeros(oc, dtype=f32)
        for s in samples:
            acc = np.cumsum(np.concatenate([acc[:, None], flat[s]], axis=1), axis=1, dtype=f32)[:, -1]
        total = acc if total is None else total + acc
    return total
