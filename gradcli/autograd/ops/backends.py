"""The two array namespaces backward formulas run on (the ``F`` in a formula).

``numpy_`` works on raw arrays: first-order passes, no graph, numpy speed.
``tensor`` works on Tensors through the public ops, so the backward pass itself
is recorded when ``create_graph=True``.  Both offer the same torch-named functions;
a formula may use only these and Python's operators.
"""

from __future__ import annotations

import importlib
import operator as _operator

import numpy as np

from . import float32_math
from .blas_order import bmm_array, gemm_array
from .float32_math import via_float64
from .summation import torch_mean, torch_sum


def pow_scalar(a, e):
    """a ** e for a Python number e, as torch's pow kernel computes it: 2, 3 and -2 as
    products, 0.5 / -0.5 / -1 as sqrt / 1/sqrt / reciprocal, the rest with pow (numpy's
    pow(x, 3) is correctly rounded where torch's x*x*x rounds twice)."""
    a = np.asarray(a)
    if a.dtype.kind != "f":
        return np.power(a, e)
    if e == 2:
        return a * a
    if e == 3:
        return a * a * a
    with np.errstate(divide="ignore", invalid="ignore"):
        if e == -2:
            return 1 / (a * a)
        if e == 0.5:
            return np.sqrt(a)
        if e == -0.5:
            return 1 / np.sqrt(a)
        if e == -1:
            return 1 / a
        if e == 0:
            return np.ones_like(a)
        if e == 1:
            return a.copy()
        if a.dtype == np.float32 and type(e) in (int, float):
            return float32_math.pow_scalar(a, e)
        return np.power(a, e)


def _axes(dim):
    return tuple(dim) if isinstance(dim, (list, tuple)) else dim


def sum_to_array(g, shape):
    """Sum ``g`` down to ``shape`` (undo broadcasting)."""
    g = np.asarray(g)
    if g.shape == tuple(shape):
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and g.shape[i + lead] != 1)
    if axes:  # torch's sum_to sums with its own kernel: its order, its last bits
        g = torch_sum(g, axes, True) if g.dtype.kind == "f" else g.sum(axis=axes, keepdims=True)
    if lead:
        g = g.reshape(g.shape[lead:])
    return g.reshape(shape)


def _via64(fn):
    """fn on float32 through float64, rounded once, as torch's float32 kernels round
    (the forward ops do the same: elementwise._via64)."""

    def f(x):
        if getattr(x, "dtype", None) == np.float32:
            return via_float64(fn, x)
        return fn(x)

    return f


class _Numpy:
    """Formulas' functions over numpy arrays."""

    sin = staticmethod(_via64(np.sin))
    cos = staticmethod(_via64(np.cos))
    tan = staticmethod(np.tan)
    exp = staticmethod(_via64(np.exp))
    log = staticmethod(_via64(np.log))
    sqrt = staticmethod(np.sqrt)
    tanh = staticmethod(_via64(np.tanh))
    sign = staticmethod(np.sign)
    abs = staticmethod(np.abs)
    matmul = staticmethod(np.matmul)
    mm = staticmethod(gemm_array)  # the forward's kernel: mm's derivatives are mms
    bmm = staticmethod(bmm_array)
    outer = staticmethod(np.outer)
    sum_to = staticmethod(sum_to_array)
    erf = None  # set below when needed

    @staticmethod
    def cast(x, dt):
        return np.asarray(x).astype(dt)

    @staticmethod
    def where(cond, a, b):
        return np.where(cond, a, b)

    @staticmethod
    def sigmoid(x):
        if getattr(x, "dtype", None) == np.float32:  # as elementwise._sigmoid
            return np.float32(1.0) / (np.float32(1.0) + np.exp(-x.astype(np.float64)).astype(np.float32))
        return 1.0 / (1.0 + np.exp(-x))

    @staticmethod
    def zeros_like(x):
        return np.zeros_like(x)

    @staticmethod
    def ones_like(x):
        return np.ones_like(x)

    @staticmethod
    def full_like(x, value):
        return np.full_like(x, value)

    @staticmethod
    def new_zeros(like, shape):
        """zeros of ``shape`` in ``like``'s dtype (no graph)."""
        return np.zeros(shape, dtype=np.asarray(like).dtype)

    @staticmethod
    def new_ones(like, shape):
        """ones of ``shape`` in ``like``'s dtype (no graph)."""
        return np.ones(shape, dtype=np.asarray(like).dtype)

    @staticmethod
    def sum(x, dim=None, keepdim=False):
        x = np.asarray(x)
        if x.dtype.kind == "f":  # torch's order of summation (summation.py)
            dims = _axes(dim)
            return np.asarray(torch_sum(x, (dims,) if isinstance(dims, int) else dims, keepdim))
        return np.asarray(np.sum(x, axis=_axes(dim), keepdims=keepdim))

    @staticmethod
    def mean(x, dim=None, keepdim=False):
        x = np.asarray(x)
        if x.dtype.kind == "f":  # torch's order of summation (var/std formulas take the mean)
            return np.asarray(torch_mean(x, _axes(dim), keepdim))
        return np.asarray(np.mean(x, axis=_axes(dim), keepdims=keepdim))

    @staticmethod
    def expand(x, shape):
        return np.broadcast_to(x, tuple(shape))

    @staticmethod
    def reshape(x, shape):
        return np.reshape(x, tuple(shape))

    @staticmethod
    def unsqueeze(x, dim):
        return np.expand_dims(x, dim)

    @staticmethod
    def squeeze(x, dim=None):
        return np.squeeze(x, axis=dim)

    @staticmethod
    def transpose(x, dim0, dim1):
        return np.swapaxes(x, dim0, dim1)

    @staticmethod
    def permute(x, dims):
        return np.transpose(x, tuple(dims))

    @staticmethod
    def t(x):
        return np.transpose(x)

    @staticmethod
    def pow(x, e):
        if isinstance(e, np.ndarray):
            return np.power(x, e)
        return pow_scalar(x, e)

    # a formula's tensor-and-number arithmetic (the tensor backend names these nodes
    # MulBackward1, DivBackward1... as torch's C++ formulas do)
    mul_scalar = staticmethod(_operator.mul)
    div_scalar = staticmethod(_operator.truediv)
    add_scalar = staticmethod(_operator.add)
    sub_scalar = staticmethod(_operator.sub)
    rsub_scalar = staticmethod(_operator.sub)  # rsub_scalar(c, x) = c - x

    @staticmethod
    def maximum(a, b):
        return np.maximum(a, b)

    @staticmethod
    def minimum(a, b):
        return np.minimum(a, b)

    @staticmethod
    def clone(x):
        return np.array(x, copy=True)

    @staticmethod
    def float_like(mask, like):
        """A boolean mask as 0./1. in ``like``'s dtype."""
        return np.asarray(mask).astype(np.asarray(like).dtype)

    @staticmethod
    def index_put_zeros(shape, dtype_of, index, values):
        """zeros(shape) with ``values`` added at ``index`` (the backward of indexing)."""
        out = np.zeros(shape, dtype=np.asarray(dtype_of).dtype)
        np.add.at(out, index, values)
        return out

    # -- shape / linalg / indexing backward helpers (ops/shape.py, linalg.py, indexing.py)
    @staticmethod
    def view_put_zeros(shape, index, values):
        """zeros(shape) with ``values`` written at the basic (view) ``index``."""
        values = np.asarray(values)
        out = np.zeros(shape, dtype=values.dtype)
        out[index] = values
        return out

    @staticmethod
    def diagonal(x, offset=0, dim1=0, dim2=1):
        return np.diagonal(x, offset, dim1, dim2)

    @staticmethod
    def diagonal_backward(grad, shape, offset, dim1, dim2):
        """zeros(shape) with ``grad`` on the diagonal (the backward of diagonal)."""
        from .linalg import diagonal_view
        grad = np.asarray(grad)
        out = np.zeros(shape, dtype=grad.dtype)
        diagonal_view(out, offset, dim1, dim2)[...] = grad
        return out

    @staticmethod
    def flip(x, dims):
        return np.flip(x, dims)

    @staticmethod
    def roll(x, shifts, dims):
        return np.roll(x, shifts, dims)

    @staticmethod
    def tril(x, diagonal=0):
        return np.tril(x, diagonal)

    @staticmethod
    def triu(x, diagonal=0):
        return np.triu(x, diagonal)

    @staticmethod
    def masked_fill(x, mask, value):
        x = np.asarray(x)
        return np.where(mask, np.asarray(value, dtype=x.dtype), x)


numpy_ = _Numpy()


class _TensorBackend:
    """Formulas' functions over Tensors: the public ops, recorded when grad mode is on."""

    def __getattr__(self, name):
        from . import tensor_backend
        value = getattr(tensor_backend, name)
        setattr(self, name, value)
        return value


tensor = _TensorBackend()

_Numpy.sinh = staticmethod(np.sinh)
_Numpy.cosh = staticmethod(np.cosh)

# -- elementwise / reduction helpers (ops/elementwise.py, activation.py, reduction.py) --------
import math as _math  # noqa: E402

_erf_scalar = np.frompyfunc(_math.erf, 1, 1)


def erf_array(x):
    """erf over an array (numpy has none; math.erf is accurate to the last bit or so)."""
    x = np.asarray(x)
    return np.asarray(_erf_scalar(x), dtype=x.dtype if x.dtype.kind == "f" else np.float64)


_erfc_scalar = np.frompyfunc(_math.erfc, 1, 1)


def erfc_array(x):
    """erfc without 1 - erf's cancellation (torch's erfc keeps 1e-29 where 1 - erf is 0)."""
    x = np.asarray(x)
    return np.asarray(_erfc_scalar(x), dtype=x.dtype if x.dtype.kind == "f" else np.float64)


_Numpy.erf = staticmethod(erf_array)
_Numpy.sgn = staticmethod(np.sign)
_Numpy.isfinite = staticmethod(np.isfinite)


def _rsqrt(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 / np.sqrt(x)


log_array = _Numpy.log
log1p_array = _via64(np.log1p)


def logsigmoid_array(x):
    """log σ(x) as torch's kernel: min(x, 0) - log1p(exp(-|x|)), exp and log1p rounded once."""
    x = np.asarray(x)
    return np.minimum(x, 0) - log1p_array(_Numpy.exp(-np.abs(x)))


def logit_array(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return log_array(x / (1 - x))


def xlogy_array(x, y):
    """x·log(y), 0 where x is 0 and y is not nan (log rounded as torch's)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((x == 0) & ~np.isnan(y), 0.0, x * log_array(y))


_Numpy.rsqrt = staticmethod(_rsqrt)
_Numpy.logsigmoid = staticmethod(logsigmoid_array)
_Numpy.logit = staticmethod(logit_array)
_Numpy.xlogy = staticmethod(xlogy_array)


def _accumulated(fn):
    """A scan as torch's CPU kernels run it: float32 accumulates in double, each output rounded."""

    def scan(x, dim):
        x = np.asarray(x)
        if x.dtype == np.float32:
            return fn(x.astype(np.float64), axis=dim).astype(np.float32)
        return fn(x, axis=dim)

    return scan


def _cumsum_from_zero(x, axis):
    """torch's scan starts its sum at +0, so a leading -0. comes out +0. (numpy's keeps it)."""
    out = np.cumsum(x, axis=axis)
    return out + out.dtype.type(0) if out.dtype.kind == "f" else out


cumsum_array = _accumulated(_cumsum_from_zero)
cumprod_array = _accumulated(np.cumprod)
_Numpy.cumsum = staticmethod(cumsum_array)
_Numpy.cat = staticmethod(lambda xs, dim: np.concatenate(xs, axis=dim))
_Numpy.prod = staticmethod(lambda x, dim=None, keepdim=False: np.asarray(np.prod(x, axis=dim, keepdims=keepdim)))
_Numpy.amax = staticmethod(lambda x, dim, keepdim=False: np.asarray(np.amax(x, axis=_axes(dim), keepdims=keepdim)))
_Numpy.logical_not = staticmethod(np.logical_not)
_Numpy.clamp_min = staticmethod(np.maximum)
_Numpy.cumprod = staticmethod(cumprod_array)


# -- binary math (ops/binary_math.py) ----------------------------------------------------------
def _reciprocal(x):
    with np.errstate(divide="ignore"):
        return np.reciprocal(x)


_Numpy.reciprocal = staticmethod(_reciprocal)
_Numpy.rpow_scalar = staticmethod(lambda base, x: np.power(np.asarray(base, dtype=np.asarray(x).dtype), x))


def _linalg_cross(a, b, dim):
    from .products import cross_array
    return cross_array(a, b, dim)


_Numpy.linalg_cross = staticmethod(_linalg_cross)


# -- helpers from op modules that load on first use ---------------------------------------------
def _lazy(module: str, name: str):
    """``module.name`` as a backend function, imported on first call: these ops' modules stay
    out of start-up until a program uses them."""
    def call(*args):
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(*args)
    return staticmethod(call)


# scatter / masked_select backward helpers (ops/scatter.py)
_Numpy.scatter_value = _lazy("scatter", "scatter_value_backend")
_Numpy.gather = _lazy("scatter", "gather_backend")
_Numpy.masked_scatter_zeros = _lazy("scatter", "masked_scatter_zeros_backend")
_Numpy.masked_select_mask = _lazy("scatter", "masked_select_mask")


# -- value / tensor in a formula: C++'s Scalar / Tensor is reciprocal(x) * value (ops/pointwise.py)
_Numpy.rdiv_scalar = staticmethod(lambda value, x: _reciprocal(x) * value)


_Numpy.not_nan = _lazy("nan_reductions", "not_nan_array")


# matrix functions' backward helpers (ops/matrix_functions.py)
_Numpy.linalg_solve = staticmethod(lambda a, b: _solve_any(a, b))
_Numpy.eye_like = _lazy("matrix_functions", "eye_like_array")


def _solve_any(a, b):
    from .matrix_functions import solve_array
    a, b = np.asarray(a), np.asarray(b)
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    return solve_array(a, b, vector)


_Numpy.logcumsumexp = _lazy("scans", "logcumsumexp_array")


# blocks (ops/blocks.py)
_Numpy.rot90 = _lazy("blocks", "rot90_array")
_Numpy.block_of = _lazy("blocks", "block_of_array")
