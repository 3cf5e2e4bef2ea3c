"""Floating-point sums in PyTorch's CPU order, so results match torch to the last bit.

numpy adds pairwise; torch (ATen's ``cascade_sum``, AVX2 build) walks the data the way its
TensorIterator lays it out and adds with vector lanes, four independent accumulators and a
four-level cascade of partial sums. The order decides the rounding, so this module replays it:

- the iterator puts the reduced dims innermost, sorts the rest by the output's strides
  (reduced ones by the input's), drops size-1 dims and merges dims that are contiguous
  with each other;
- the two innermost dims go to one of four kernels: a contiguous reduced dim is read in
  vectors of 8 floats / 4 doubles (*inner*), a contiguous kept dim sums whole columns at
  a time (*outer*), otherwise scalar versions of the two;
- every kernel is built from ``_cascade`` (one accumulator per lane, flushed level by level
  every 16+ elements) and ``_row_sum`` (four interleaved ``_cascade`` lanes, then a tail);
- each partial result is added to an output that starts at 0, so a sum is never -0.0;
- 32768 or more elements are split between threads (two-pass for a full reduction).

Every helper reduces axis 0 and treats the trailing axes as independent lanes, so one numpy
operation does the work of a vector instruction for all rows at once.
"""

from __future__ import annotations

import functools
import os

import numpy as np

_VEC = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}  # AVX2 lanes per vector
_GRAIN = 32768  # at::internal::GRAIN_SIZE: below this torch reduces on one thread
_ROUNDS = 128  # parallel column splits are rounded to 128 bytes


def _threads():
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


THREADS = _threads()


# -- the arithmetic kernels (reduce axis 0, lanes on the other axes) -----------------------------


def _seq(x, axis=0):
    """Left-to-right running sum along ``axis`` (torch's scalar accumulator loop)."""
    n = x.shape[axis]
    if n <= 2:
        if n == 2:
            return x[(slice(None),) * axis + (0,)] + x[(slice(None),) * axis + (1,)]
        if n == 1:
            return x[(slice(None),) * axis + (0,)] + x.dtype.type(0)
        shape = list(x.shape)
        del shape[axis]
        return np.zeros(shape, x.dtype)
    if _outer(x, axis):
        return np.add.reduce(x, axis=axis)
    return np.cumsum(x, axis=axis, dtype=x.dtype)[(slice(None),) * axis + (-1,)]


def _outer(x, axis):
    # numpy adds pairwise only when its innermost loop runs along the reduced axis; it loops
    # innermost over the smallest stride, so another axis with a smaller one keeps the order
    st = x.strides[axis]
    return st > 0 and any(0 < t < st for i, (t, m) in enumerate(zip(x.strides, x.shape))
                          if m > 1 and i != axis) and min(x.strides) >= 0


def _cascade(x):
    """ATen's multi_row_sum: blocks of 2**p summed in turn, block sums cascaded over 4 levels."""
    size = x.shape[0]
    power = max(4, ((size - 1).bit_length() if size > 2 else 1) // 4)
    step = 1 << power
    full = size >> power
    tail = _seq(x[full << power:])
    if not full:
        return tail
    rest = x.shape[1:]
    sums = _seq(x[:full << power].reshape((full, step) + rest), 1)
    partial = []
    for _ in range(2):  # levels 1 and 2 keep an open group; level 3 takes everything left
        groups = sums.shape[0] >> power
        partial.append(_seq(sums[groups << power:]))
        sums = _seq(sums[:groups << power].reshape((groups, step) + rest), 1)
    return ((tail + partial[0]) + partial[1]) + _seq(sums)


def _row_sum(x):
    """ATen's row_sum: four interleaved cascades, the leftover elements onto the first."""
    n = x.shape[0]
    k = n >> 2
    if not k:
        return _seq(x)
    p = _cascade(x[:k << 2].reshape((k, 4) + x.shape[1:]))
    return _seq(np.concatenate((p[:1], x[k << 2:], p[1:])))


def _inner_vec(x, lanes):
    """Contiguous reduced axis 0 read in vectors: lanes summed last, after the scalar tail."""
    nv = x.shape[0] // lanes
    vec = _row_sum(x[:nv * lanes].reshape((nv, lanes) + x.shape[1:]))
    return _seq(np.concatenate((x[nv * lanes:], vec)))


# -- the iterator ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _layout(shape, strides, reduced):
    """TensorIterator's dim order (innermost first) and coalesced dims.

    Returns a list of (size, input stride, reduced, logical dims) innermost first.
    """
    out_strides = {}
    acc = 1
    for d in range(len(shape) - 1, -1, -1):
        if d not in reduced:
            out_strides[d] = acc
            acc *= shape[d]
    dims = [d for d in range(len(shape) - 1, -1, -1) if shape[d] != 1]

    def swap(a, b):  # > 0: b belongs inside a
        ra, rb = a in reduced, b in reduced
        if ra != rb:
            return 1 if rb else -1
        if not ra:
            if out_strides[a] != out_strides[b]:
                return 1 if out_strides[a] > out_strides[b] else -1
            if shape[a] > shape[b]:
                return 1
        sa, sb = strides[a], strides[b]
        if sa != sb:
            return 1 if sa > sb else -1
        return 1 if shape[a] > shape[b] else 0

    for i in range(1, len(dims)):
        j = i
        for k in range(i - 1, -1, -1):
            c = swap(dims[k], dims[j])
            if c > 0:
                dims[k], dims[j] = dims[j], dims[k]
                j = k
            elif c < 0:
                break
    merged = []
    for d in dims:
        r = d in reduced
        if merged:
            size, stride, red, logical = merged[-1]
            if red == r and size * stride == strides[d] and (r or size * out_strides[logical[0]] == out_strides[d]):
                merged[-1] = (size * shape[d], stride, r, logical + (d,))
                continue
        merged.append((shape[d], strides[d], r, (d,)))
    return tuple(merged)


def _view(a, dims):
    """``a`` as an array whose axes are the iterator's dims, outermost first."""
    perm, shape = _view_plan(dims, a.shape)
    return a.transpose(perm).reshape(shape)


@functools.lru_cache(maxsize=1024)
def _view_plan(dims, shape):
    order = [d for _, _, _, logical in reversed(dims) for d in reversed(logical)]
    perm = tuple(order + [d for d in range(len(shape)) if shape[d] == 1 and d not in order])
    return perm, tuple(size for size, *_ in reversed(dims))


def _last_first(v):
    """v with its last axis moved to the front (np.moveaxis without its argument checks)."""
    n = v.ndim
    return v.transpose((n - 1,) + tuple(range(n - 1)))


def _kernel(v, dims, itemsize, lanes, split=None):
    """One loop2d call per outer index: reduce v's last axis (iterator dim 0).

    Returns the per-row results, shape v.shape[:-1].
    """
    s0, st0 = dims[0][0], dims[0][1]
    inner = _last_first(v)
    if len(dims) == 1 or dims[1][2]:
        if st0 == itemsize and s0 >= lanes:
            return _inner_vec(inner, lanes)
        return _row_sum(inner)
    s1, st1 = dims[1][0], dims[1][1]
    if st0 == itemsize and s0 >= lanes:
        return _inner_vec(inner, lanes)
    if st1 == itemsize and s1 >= lanes:
        group = 4 * lanes
    elif st0 < st1:
        return _row_sum(inner)
    else:
        group = 4
    if split is None:
        return _columns_nd(inner, group)
    return np.concatenate([_columns_nd(inner[..., a:b], group) for a, b in split], axis=-1)


def _columns_nd(x, group):
    # x: (s0, outer..., s1); columns are the last axis
    cols = x.shape[-1]
    cut = cols - cols % group
    if cut == cols:
        return _cascade(x)
    if cut == 0:
        return _row_sum(x)
    return np.concatenate([_cascade(x[..., :cut]), _row_sum(x[..., cut:])], axis=-1)


def _accumulate(r, dims):
    """Add the kernel results into the output in iteration order (the output starts at 0)."""
    red = [i for i, d in enumerate(reversed(dims[1:])) if d[2]]
    if not red:
        return r + r.dtype.type(0)
    keep = [i for i in range(r.ndim) if i not in red]
    r = r.transpose(keep + red)
    r = r.reshape(r.shape[:len(keep)] + (-1,))
    return _seq(r, r.ndim - 1) + r.dtype.type(0)


def _column_split(dims, itemsize):
    """parallel_dim_reduction's column ranges when it splits iterator dim 1, else None."""
    if len(dims) < 2 or dims[1][2]:
        return None
    # the split dim is the largest kept dim, scanning from the outermost one inwards
    best = len(dims) - 1
    for i in range(len(dims) - 1, -1, -1):
        if dims[i][2]:
            break
        if dims[i][0] > dims[best][0]:
            best = i
    if best != 1:
        return None
    cols = dims[1][0]
    nt = min(THREADS, cols)
    chunk = -(-cols // nt)
    bounds = [min(cols, t * chunk) for t in range(nt + 1)]
    if dims[1][1] == itemsize:
        per = _ROUNDS // itemsize
        bounds = [b if b == cols else b - b % per for b in bounds]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]


def _sum_1d(x, lanes, contiguous=True):
    """One run of elements, as one loop2d call sees it."""
    if contiguous and x.shape[0] >= lanes:
        return _inner_vec(x, lanes)
    return _row_sum(x)


def torch_sum(a, axis=None, keepdims=False):
    """np.sum(a, axis, keepdims=keepdims) for float32/float64 ``a``, in torch's order."""
    lanes = _VEC.get(a.dtype)
    if lanes is None:
        return np.sum(a, axis=axis, keepdims=keepdims)
    nd = a.ndim
    if (nd == 1 or axis is None and a.flags.c_contiguous) and 0 < a.size < _GRAIN:
        # one run of elements: the common case, without the iterator bookkeeping
        v = a.reshape(-1)
        r = _sum_1d(v, lanes, v.strides[0] == a.itemsize) + a.dtype.type(0)
        return r.reshape((1,) * nd) if keepdims else r
    if axis is None:
        reduced = frozenset(range(nd))
    elif isinstance(axis, tuple):
        reduced = frozenset(d % nd for d in axis) if nd else frozenset()
    else:
        reduced = frozenset((axis % nd,)) if nd else frozenset()
    shape = a.shape
    out_shape = _out_shape(shape, reduced, keepdims)
    if a.size == 0 or not any(shape[d] != 1 for d in reduced):
        return np.sum(a, axis=tuple(reduced), keepdims=keepdims) + a.dtype.type(0)
    if any(s <= 0 for s, n in zip(a.strides, shape) if n != 1):
        a = np.ascontiguousarray(a)
    itemsize = a.itemsize
    dims = _layout(shape, a.strides, reduced)
    v = _view(a, dims)
    if a.size >= _GRAIN and THREADS > 1:
        if len(dims) == 1:
            return _two_pass(v, lanes, dims[0][1] == itemsize).reshape(out_shape)
        if all(d[2] for d in dims):  # a whole sum that does not merge into one run
            return _two_pass_nd(v, dims, itemsize, lanes).reshape(out_shape)
        r = _kernel(v, dims, itemsize, lanes, _column_split(dims, itemsize))
    else:
        r = _kernel(v, dims, itemsize, lanes)
    r = _accumulate(r, dims)
    back = _back_plan(dims, shape)
    if back is None:
        return np.asarray(r).reshape(out_shape)
    kept_shape, perm = back
    return r.reshape(kept_shape).transpose(perm).reshape(out_shape)


@functools.lru_cache(maxsize=1024)
def _out_shape(shape, reduced, keepdims):
    if keepdims:
        return tuple(1 if d in reduced else s for d, s in enumerate(shape))
    return tuple(s for d, s in enumerate(shape) if d not in reduced)


@functools.lru_cache(maxsize=1024)
def _back_plan(dims, shape):
    """How the kept dims, in iteration order, go back to the input's order."""
    kept = [d for _, _, red, logical in reversed(dims) if not red for d in reversed(logical)]
    if not kept:
        return None
    return tuple(shape[d] for d in kept), tuple(int(i) for i in np.argsort(kept))


def _two_pass(v, lanes, contiguous):
    n = v.shape[0]
    nt = min(THREADS, -(-n // _GRAIN))
    chunk = -(-n // nt)
    parts = np.zeros(THREADS, v.dtype)
    for t in range(nt):
        lo = t * chunk
        if lo < n:
            parts[t] = _sum_1d(v[lo:lo + chunk], lanes, contiguous)
    return np.asarray(_sum_1d(parts, lanes) + v.dtype.type(0))


def _two_pass_nd(v, dims, itemsize, lanes):
    # each thread's range is walked in 2-D blocks (serial_for_each): a partial first row,
    # then runs of whole rows; every row's sum is added to the thread's total in turn
    s0, s1 = dims[0][0], dims[1][0]
    vec = dims[0][1] == itemsize
    rows = v.reshape(-1, s1, s0)
    n = v.size
    nt = min(THREADS, -(-n // _GRAIN))
    chunk = -(-n // nt)
    parts = np.zeros(THREADS, v.dtype)
    for t in range(nt):
        offset, hi = t * chunk, min(n, (t + 1) * chunk)
        pieces = []
        while offset < hi:
            o, rest = divmod(offset, s1 * s0)
            r, c = divmod(rest, s0)
            step0 = min(s0 - c, hi - offset)
            step1 = min(s1 - r, (hi - offset) // s0) if step0 == s0 else 1
            block = rows[o, r:r + step1, c:c + step0].T
            pieces.append(_inner_vec(block, lanes) if vec and step0 >= lanes else _row_sum(block))
            offset += step0 * step1
        if pieces:
            parts[t] = _seq(np.concatenate(pieces))
    return np.asarray(_sum_1d(parts, lanes) + v.dtype.type(0))


def torch_mean(a, axis=None, keepdims=False):
    """torch's CPU mean: the sum above, divided by the element count in a's dtype."""
    s = torch_sum(a, axis, keepdims)
    if axis is None:
        n = a.size
    else:
        n = 1
        for d in (axis if isinstance(axis, tuple) else (axis,)):
            n *= a.shape[d]
    with np.errstate(invalid="ignore", divide="ignore"):  # empty: nan, as torch
        return s / a.dtype.type(n)
