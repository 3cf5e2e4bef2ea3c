"""The ``F`` of formulas under ``create_graph=True``: the public ops, on Tensors.

Same names and meanings as ``backends._Numpy``; each call records its own node.
"""

from __future__ import annotations

from .. import creation
from . import arithmetic as _a
from . import elementwise as _e
from . import reduction as _r

sin, cos, tan, exp, log, sqrt, tanh, sigmoid, abs = _e.sin, _e.cos, _e.tan, _e.exp, _e.log, _e.sqrt, _e.tanh, _e.sigmoid, _e.abs
sinh, cosh = _e.sinh, _e.cosh
sum, mean = _r.sum, _r.mean
zeros_like, ones_like, full_like = creation.zeros_like, creation.ones_like, creation.full_like


mul_scalar, div_scalar, add_scalar, sub_scalar = _a.mul_scalar, _a.div_scalar, _a.add_scalar, _a.sub_scalar
rsub_scalar = _a.rsub_scalar


def pow(x, e):
    return _e.pow(x, e)


# -- shape / linalg / indexing (ops/shape.py, linalg.py, indexing.py) ------------------------
from . import indexing as _i  # noqa: E402
from . import linalg as _l  # noqa: E402
from . import shape as _s  # noqa: E402

reshape, unsqueeze, transpose, t, clone = _s.reshape, _s.unsqueeze, _s.transpose, _s.t, _s.clone
flip, roll = _s.flip, _s.roll
tril, triu, diagonal = _l.tril, _l.triu, _l.diagonal
matmul, outer, mm, bmm = _l.matmul, _l.outer, _l.mm, _l.bmm
view_put_zeros, index_put_zeros = _i.view_put_zeros, _i.index_put_zeros
diagonal_backward = _l.diagonal_backward


def expand(x, shape):
    return _s.expand(x, tuple(shape))


def squeeze(x, dim=None):
    return _s.squeeze(x, dim)


def permute(x, dims):
    return _s.permute(x, tuple(dims))


def sum_to(x, shape):
    """Sum ``x`` down to ``shape`` (undo broadcasting), recorded."""
    shape = tuple(shape)
    have = x._data.shape
    if have == shape:
        return x
    if not shape:  # torch's sum_to to a 0-d shape is a plain sum (SumBackward0)
        return _r.sum(x)
    lead = len(have) - len(shape)
    # torch's sum_to: one keepdim sum over every reduced dim, then a view dropping the leading ones
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and have[i + lead] != 1)
    if dims:
        x = _r.sum(x, dims, keepdim=True)
    return _s.reshape(x, shape) if lead else x


def new_zeros(like, shape):
    """zeros of ``shape`` in ``like``'s dtype (no graph)."""
    import numpy as np
    from ..tensor import wrap
    return wrap(np.zeros(shape, dtype=like._data.dtype))


def new_ones(like, shape):
    """ones of ``shape`` in ``like``'s dtype (no graph)."""
    import numpy as np
    from ..tensor import wrap
    return wrap(np.ones(shape, dtype=like._data.dtype))


def cat(tensors, dim):
    return _s.cat(list(tensors), dim)


def cast(x, dt):
    """A differentiable dtype conversion (ToCopyBackward0)."""
    return _s._to_copy(x, getattr(dt, "np", dt))


def masked_fill(x, mask, value):
    return _i.masked_fill(x, mask, value)


def float_like(mask, like):
    """A boolean mask as 0./1. in ``like``'s dtype (no graph: a mask has no gradient)."""
    from ..tensor import wrap
    m = mask._data if hasattr(mask, "_data") else mask
    return wrap(m.astype(like._data.dtype))


# -- elementwise / reduction helpers (ops/elementwise.py, activation.py, reduction.py) --------
where, sign, erf = _e.where, _e.sign, _e.erf
sgn, rsqrt, xlogy, logit = _e.sgn, _e.rsqrt, _e.xlogy, _e.logit


def logsigmoid(x):
    from .activation import logsigmoid as _logsigmoid
    return _logsigmoid(x)
cumsum, prod, amax = _r.cumsum, _r.prod, _r.amax
clamp_min, cumprod = _e.clamp_min, _r.cumprod


def isfinite(x):
    from .compare import isfinite as _isfinite
    return _isfinite(x)


# -- binary math (ops/binary_math.py) ----------------------------------------------------------
reciprocal = _e.reciprocal


def rpow_scalar(base, x):
    """base ** x for a number base (PowBackward2)."""
    return _a.rpow(x, base)


def linalg_cross(a, b, dim):
    from .products import linalg_cross as _cross
    return _cross(a, b, dim=dim)


# -- scatter / masked_select backward helpers (ops/scatter.py) ----------------------------------
def scatter_value(grad, dim, index, value):
    from ..tensor import wrap
    from .scatter import scatter
    return scatter(grad, dim, wrap(index), value=value)


def gather(grad, dim, index):
    return _i.gather(grad, dim, index)


def masked_scatter_zeros(grad, shape, mask):
    from .scatter import masked_scatter_zeros as _zeros
    return _zeros(grad, shape, mask)


def masked_select_mask(grad, mask):
    from .scatter import masked_select_mask as _select
    return _select(grad, mask)


def rdiv_scalar(value, x):
    """value / x as C++ computes a Scalar over a Tensor: reciprocal(x) * value."""
    return _a.mul_scalar(_e.reciprocal(x), value)


def not_nan(x):
    from .nan_reductions import not_nan_tensor
    return not_nan_tensor(x)


# -- matrix functions' backward helpers (ops/matrix_functions.py) --------------------------------
def linalg_solve(a, b):
    from .matrix_functions import solve
    return solve(a, b)


def eye_like(a):
    """The identity in ``a``'s (batched) shape (no graph)."""
    from ..tensor import wrap
    from .matrix_functions import eye_like_array
    return wrap(eye_like_array(a._data))


def logcumsumexp(x, dim):
    from .scans import logcumsumexp as _logcumsumexp
    return _logcumsumexp(x, dim)


# -- blocks (ops/blocks.py) ---------------------------------------------------------------------
def rot90(x, k, dims):
    from .blocks import rot90 as _rot90
    return _rot90(x, k, dims)


def block_of(grad, r0, r1, c0, c1, shape):
    """grad[r0:r1, c0:c1] as narrows (SliceBackward0), viewed as the block's input shape."""
    from .pieces import narrow
    block = narrow(narrow(grad, 0, r0, r1 - r0), 1, c0, c1 - c0)
    return block if tuple(block._data.shape) == tuple(shape) else _s.reshape(block, tuple(shape))
