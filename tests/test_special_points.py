"""Values and gradients at the special points of piecewise, threshold and tie-breaking ops,
against torch: the kink of relu, the bounds of clamp, the threshold of softplus, ties of
max/sort, 0 of norm and pow, nan and ±inf, signed zeros. One table row per op call and its
points; every float input takes each point and the floats just either side of it (nextafter),
in float32 and float64. Compared bit for bit (``tolist()`` reprs: signed zeros and nan kept):
forward outputs, first-order gradients and, where torch's gradient has a graph, second-order
gradients (create_graph=True, then grad again). The same call runs on torch and on gradcli's
torch module directly (no program text), so a whole family costs milliseconds."""

from __future__ import annotations

import math
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest

import gradcli.autograd  # noqa: F401
from gradcli.autograd.namespace import build_torch_module

G = build_torch_module()
NAN, INF = math.nan, math.inf
EDGES = [NAN, INF, -INF, 0.0, -0.0]


@dataclass
class Case:
    """One op call ``fn(torch, *inputs)`` and the inputs it is compared at.

    ``sets``: a list of input sets, each a tuple of value lists (one per input tensor).
    ``grad``: which inputs require grad. ``skip``: what is not compared ("float32", "second"...)
    and why: a torch difference that is not followed."""
    fn: object
    sets: list
    grad: tuple = (0,)
    second: bool = True
    skip: dict = field(default_factory=dict)
    dtypes: tuple = ("float32", "float64")


def around(points, dtype):
    """Each point with its float neighbours either side, in ``dtype``."""
    out = []
    for p in points:
        p = dtype(p)
        out += [p] if not np.isfinite(p) else [np.nextafter(p, dtype(-np.inf)), p, np.nextafter(p, dtype(np.inf))]
    return [float(v) for v in out]


def chunked(sets):
    """Elementwise sets run in tensors of at most 7 elements: torch's scalar loop. Its vectorized
    loops differ from it on nan and signed zeros for some ops (hardtanh's gradient at nan is 0
    there, grad in the scalar loop): ``.long`` gives the same points in tensors of 40 for those."""
    def split(dtype):
        for row in sets(dtype):
            for at in range(0, len(row[0]), 7):
                yield tuple(v[at:at + 7] for v in row)

    def run_in_chunks(dtype):
        return list(split(dtype))
    run_in_chunks.long = lambda dtype: [_long(row) for row in sets(dtype)]
    return run_in_chunks


def _long(row, n=40):
    """One row repeated to ``n``: torch's vectorized loop takes the first 32 float32 (40 float64)
    elements, its scalar loop the rest."""
    return tuple([v[i % len(v)] for i in range(n)] for v in row)


def unary(*points):
    return chunked(lambda dtype: [(around(list(points) + [0.0, -0.0], dtype) + EDGES,)])


def binary(*pairs):
    """Pairs (a, b): the first input moves to either side of a, the second stays at b; then the
    second moves with the first at a."""
    def sets(dtype):
        a, b = [], []
        for x, y in pairs:
            xs = around([x], dtype)
            a += xs + [float(dtype(x))] * len(around([y], dtype))
            b += [float(dtype(y))] * len(xs) + around([y], dtype)
        return [(a, b)]
    return chunked(sets)


def whole(*vectors):
    """Each vector as it is (ties must stay ties): for reductions, sorts and losses."""
    return lambda dtype: [tuple([dtype(v).item() for v in vec] for vec in (row if isinstance(row, tuple) else (row,)))
                          for row in vectors]


def _key(t):
    if t is None:
        return None
    try:
        return (str(t.dtype), tuple(t.shape), repr(t.tolist()))
    except RuntimeError:  # torch's "efficient zero tensor" (sgn's gradient): zeros without storage
        return _key(t.new_zeros(t.shape))


def _name(t):
    if t is None or t.grad_fn is None:
        return None
    return t.grad_fn.name().replace("torch::autograd::", "")  # NOTE: torch's C++ NotImplemented node


def run(T, case: Case, dtype_name: str, inputs):
    """Forward outputs, first and second-order gradients of one call, as comparable keys."""
    dtype = getattr(T, dtype_name)
    xs = [T.tensor(v, dtype=dtype, requires_grad=i in case.grad) for i, v in enumerate(inputs)]
    try:
        out = case.fn(T, *xs)
    except Exception as e:  # noqa: BLE001 - both sides must refuse alike
        return ("error", type(e).__name__, str(e).splitlines()[0])
    outs = list(out) if isinstance(out, tuple) else [out]
    got = {"forward": [_key(o) for o in outs], "grad_fn": [_name(o) for o in outs]}
    diff = [o for o in outs if o.requires_grad]
    wrt = [x for x in xs if x.requires_grad]
    if not diff or not wrt:
        return got
    # signs alternate: a mask multiplied in (grad·0 = -0. for a negative grad) shows against a select
    weights = [T.tensor([(1.0 + 0.25 * i) * (-1) ** i for i in range(o.numel())], dtype=o.dtype).reshape(o.shape)
               for o in diff]
    try:
        firsts = T.autograd.grad(diff, wrt, weights, create_graph=case.second, allow_unused=True)
    except RuntimeError as e:  # torch has no formula for some (remainder's other...)
        got["grad"] = ("error", str(e).splitlines()[0])
        return got
    got["grad"] = [_key(g) for g in firsts]
    got["grad's grad_fn"] = [_name(g) for g in firsts]
    if case.second:
        graphed = [(g, x) for g, x in zip(firsts, wrt) if g is not None and g.requires_grad]
        got["has graph"] = [g is not None and g.requires_grad for g in firsts]
        if graphed:
            vs = [T.tensor([(0.5 + 0.125 * i) * (-1) ** (i // 2) for i in range(g.numel())],
                           dtype=g.dtype).reshape(g.shape) for g, _ in graphed]
            try:
                seconds = T.autograd.grad([g for g, _ in graphed], wrt, vs, allow_unused=True)
            except RuntimeError as e:  # torch has no formula for some double backwards
                got["second"] = ("error", str(e).splitlines()[0])
            else:
                got["second"] = [_key(g) for g in seconds]
    return got


def differences(torch, name, case: Case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's and numpy's warnings of no degrees of freedom...
        return _differences(torch, name, case)


def _differences(torch, name, case: Case):
    found = []
    for dtype_name in case.dtypes:
        if dtype_name in case.skip or "all" in case.skip:
            continue
        for inputs in case.sets(getattr(np, dtype_name)):
            theirs, ours = run(torch, case, dtype_name, inputs), run(G, case, dtype_name, inputs)
            for key in case.skip:  # "grad", or "float32 forward": one key in one dtype
                for got in (theirs, ours):
                    if isinstance(got, dict):
                        got.pop(key.removeprefix(dtype_name + " "), None)
            if theirs != ours:
                found.append((name, dtype_name, inputs, theirs, ours))
    return found


F_ = lambda T: T.nn.functional  # noqa: E731

CASES: dict[str, Case] = {}

# Differences from torch that are not special-point semantics, or not followed (yet): why
_ROUNDING = ("torch's float kernels (MKL/SLEEF: log10, float32 log/log1p/pow) round some values otherwise "
             "and log1p flushes subnormal inputs to 0: elementwise accuracy, not a special point")
_SOFTSIGN = "composite x/(1+|x|): torch's double backward gives -0. at 0, gradcli +0.: not followed yet"
_AMAX_ZERO = "amax over a row of signed zeros: torch keeps the first zero, numpy's max the +0.: not followed yet"
_STD_ONE = ("std with no degrees of freedom left (one element, correction >= n): torch's float64 gradient "
            "comes out of a ToCopyBackward0 node, gradcli's MulBackward0: not followed yet")
_PROD = "prod/cumprod double backward at inf and nan: torch's formula differs (nan vs finite): not followed yet"

ACTIVATIONS = {
    "relu": Case(lambda T, x: T.relu(x), unary()),
    "F.relu": Case(lambda T, x: F_(T).relu(x), unary()),
    "relu6": Case(lambda T, x: F_(T).relu6(x), unary(6.0)),
    "hardtanh": Case(lambda T, x: F_(T).hardtanh(x), unary(-1.0, 1.0)),
    "hardtanh custom": Case(lambda T, x: F_(T).hardtanh(x, -2.0, 0.5), unary(-2.0, 0.5)),
    "hardtanh min=max": Case(lambda T, x: F_(T).hardtanh(x, 0.5, 0.5), unary(0.5)),
    "hardsigmoid": Case(lambda T, x: F_(T).hardsigmoid(x), unary(-3.0, 3.0)),
    "hardswish": Case(lambda T, x: F_(T).hardswish(x), unary(-3.0, 3.0)),
    "leaky_relu": Case(lambda T, x: F_(T).leaky_relu(x), unary()),
    "leaky_relu 0.2": Case(lambda T, x: F_(T).leaky_relu(x, 0.2), unary()),
    "leaky_relu -0.5": Case(lambda T, x: F_(T).leaky_relu(x, -0.5), unary()),
    "elu": Case(lambda T, x: F_(T).elu(x), unary()),
    "elu alpha": Case(lambda T, x: F_(T).elu(x, 0.5), unary()),
    "celu": Case(lambda T, x: F_(T).celu(x, 0.7), unary()),
    "selu": Case(lambda T, x: F_(T).selu(x), unary()),
    "threshold": Case(lambda T, x: F_(T).threshold(x, 1.0, 20.0), unary(1.0)),
    "threshold 0": Case(lambda T, x: T.threshold(x, 0.0, -2.0), unary()),
    "softshrink": Case(lambda T, x: F_(T).softshrink(x), unary(0.5, -0.5)),
    "softshrink 0": Case(lambda T, x: F_(T).softshrink(x, 0.0), unary()),
    "hardshrink": Case(lambda T, x: F_(T).hardshrink(x, 1.0), unary(1.0, -1.0)),
    "hardshrink 0": Case(lambda T, x: F_(T).hardshrink(x, 0.0), unary()),
    "tanhshrink": Case(lambda T, x: F_(T).tanhshrink(x), unary()),
    "softplus": Case(lambda T, x: F_(T).softplus(x), unary(20.0)),
    "softplus beta": Case(lambda T, x: F_(T).softplus(x, 2.0, 5.0), unary(2.5)),
    "softplus beta<0": Case(lambda T, x: F_(T).softplus(x, -1.0, 3.0), unary(-3.0)),
    "elu alpha<0": Case(lambda T, x: F_(T).elu(x, -1.0), unary()),
    "celu alpha<0": Case(lambda T, x: F_(T).celu(x, -0.5), unary()),
    "leaky_relu 1": Case(lambda T, x: F_(T).leaky_relu(x, 1.0), unary()),
    "softplus beta=0": Case(lambda T, x: F_(T).softplus(x, 0.0), unary()),
    "softplus threshold 0": Case(lambda T, x: F_(T).softplus(x, 1.0, 0.0), unary()),
    "hardtanh inf": Case(lambda T, x: F_(T).hardtanh(x, -INF, INF), unary()),
    "threshold nan": Case(lambda T, x: F_(T).threshold(x, NAN, 1.0), unary()),
    "threshold inf": Case(lambda T, x: F_(T).threshold(x, INF, -1.0), unary()),
    "clamp inf": Case(lambda T, x: T.clamp(x, -INF, INF), unary()),
    "softsign": Case(lambda T, x: F_(T).softsign(x), unary(), skip={"second": _SOFTSIGN}),
    "logsigmoid": Case(lambda T, x: F_(T).logsigmoid(x), unary()),
    "sigmoid": Case(lambda T, x: T.sigmoid(x), unary()),
    "tanh": Case(lambda T, x: T.tanh(x), unary()),
    "silu": Case(lambda T, x: F_(T).silu(x), unary()),
    "mish": Case(lambda T, x: F_(T).mish(x), unary()),
    "gelu": Case(lambda T, x: F_(T).gelu(x), unary()),
    "gelu tanh": Case(lambda T, x: F_(T).gelu(x, approximate="tanh"), unary()),
}
_TIES = [(0.0, 0.0), (1.0, 1.0), (0.0, -0.0), (-0.0, 0.0), (NAN, 0.0), (0.0, NAN), (NAN, NAN), (INF, INF)]
PIECEWISE = {
    "clamp": Case(lambda T, x: T.clamp(x, -1.0, 1.0), unary(-1.0, 1.0)),
    "clamp min>max": Case(lambda T, x: T.clamp(x, 1.0, -1.0), unary(-1.0, 1.0)),
    "clamp min only": Case(lambda T, x: T.clamp(x, min=0.5), unary(0.5)),
    "clamp max only": Case(lambda T, x: x.clamp(max=0.5), unary(0.5)),
    "clamp nan bound": Case(lambda T, x: T.clamp(x, NAN, 1.0), unary(1.0)),
    "clip": Case(lambda T, x: T.clip(x, -1.0, 1.0), unary(-1.0, 1.0)),
    "clamp_min": Case(lambda T, x: T.clamp_min(x, 0.0), unary()),
    "clamp_max": Case(lambda T, x: T.clamp_max(x, 0.0), unary()),
    "clamp tensor bounds": Case(lambda T, x, lo, hi: T.clamp(x, lo, hi),
                                whole(([-1.0, 1.0, 0.5, 2.0, NAN, 0.0, 3.0], [-1.0, -1.0, 0.5, 3.0, 0.0, NAN, 1.0],
                                       [1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 0.0])), grad=(0, 1, 2)),
    "clamp_min tensor": Case(lambda T, x, lo: T.clamp_min(x, lo), binary(*_TIES), grad=(0, 1)),
    "clamp_max tensor": Case(lambda T, x, hi: T.clamp_max(x, hi), binary(*_TIES), grad=(0, 1)),
    "clamp 0": Case(lambda T, x: T.clamp(x, 0.0, 1.0), unary(1.0)),
    "clamp -0.": Case(lambda T, x: T.clamp(x, -0.0, 0.0), unary()),
    "abs": Case(lambda T, x: T.abs(x), unary()),
    "sign": Case(lambda T, x: T.sign(x), unary()),
    "sgn": Case(lambda T, x: T.sgn(x), unary()),
    "round": Case(lambda T, x: T.round(x), unary(0.5, 1.5, 2.5, -0.5, -1.5)),
    "round decimals": Case(lambda T, x: T.round(x, decimals=1), unary(0.25, 0.35, -0.25)),
    "floor": Case(lambda T, x: T.floor(x), unary(1.0, -1.0)),
    "ceil": Case(lambda T, x: T.ceil(x), unary(1.0, -1.0)),
    "trunc": Case(lambda T, x: T.trunc(x), unary(1.0, -1.0)),
    "frac": Case(lambda T, x: T.frac(x), unary(1.0, -1.0)),
    "heaviside": Case(lambda T, x, v: T.heaviside(x, v), binary((0.0, 0.5), (-0.0, 0.5), (NAN, 0.5)), grad=()),
    "maximum": Case(lambda T, a, b: T.maximum(a, b), binary((1.0, 1.0), (0.0, -0.0), (-0.0, 0.0), (NAN, 1.0),
                                                           (1.0, NAN), (NAN, NAN), (INF, INF)), grad=(0, 1)),
    "minimum": Case(lambda T, a, b: T.minimum(a, b), binary((1.0, 1.0), (0.0, -0.0), (-0.0, 0.0), (NAN, 1.0),
                                                           (1.0, NAN), (NAN, NAN), (-INF, -INF)), grad=(0, 1)),
    "fmax": Case(lambda T, a, b: T.fmax(a, b), binary((1.0, 1.0), (0.0, -0.0), (-0.0, 0.0), (NAN, 1.0),
                                                     (1.0, NAN), (NAN, NAN)), grad=(0, 1)),
    "fmin": Case(lambda T, a, b: T.fmin(a, b), binary((1.0, 1.0), (0.0, -0.0), (-0.0, 0.0), (NAN, 1.0),
                                                     (1.0, NAN), (NAN, NAN)), grad=(0, 1)),
    "where nan": Case(lambda T, a, b: T.where(a > 0, a, b), binary((0.0, NAN), (NAN, 1.0), (1.0, NAN), (-1.0, INF)),
                      grad=(0, 1)),
    # NOTE: not at 1: torch's sqrt (MKL) rounds sqrt(1 - ulp) up to 1, not correctly
    "where sqrt": Case(lambda T, x: T.where(x > 0, T.sqrt(x), T.zeros_like(x)), unary(-1.0)),
    "nan_to_num": Case(lambda T, x: T.nan_to_num(x), unary(3.4028234663852886e38, -3.4028234663852886e38)),
    "nan_to_num values": Case(lambda T, x: T.nan_to_num(x, nan=1.5, posinf=2.0, neginf=-2.0), unary()),
    # NOTE: not at 0: torch's lerp rounds once (fused multiply-add), lerp(-tiny, 0., 0.5) is -0.
    "lerp": Case(lambda T, a, b: T.lerp(a, b, 0.5), binary((INF, 1.0), (1.0, INF)), grad=(0, 1)),
    "lerp weight": Case(lambda T, a, w: T.lerp(a, T.ones_like(a), w), binary((0.0, 0.5), (1.0, 0.5), (2.0, 1.0),
                                                                           (INF, 0.0)), grad=(0, 1)),
}
_TIED = whole([1.0, 3.0, 3.0, 2.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0, 2.0, 2.0], [1.0, NAN, 3.0, NAN, 0.0, 3.0],
               [-0.0, 0.0, 0.0, -0.0, -1.0, -1.0], [INF, 1.0, INF, -INF, -INF, 0.0])
REDUCTIONS = {
    "max": Case(lambda T, x: x.max(), _TIED),
    "min": Case(lambda T, x: T.min(x), _TIED),
    "amax": Case(lambda T, x: T.amax(x), _TIED),
    "amin": Case(lambda T, x: x.amin(), _TIED),
    "amax dim": Case(lambda T, x: T.amax(x.view(2, 3), 1), _TIED, skip={"forward": _AMAX_ZERO}),
    "amin dim keepdim": Case(lambda T, x: T.amin(x.view(2, 3), 0, keepdim=True), _TIED),
    "max dim": Case(lambda T, x: T.max(x.view(2, 3), 1), _TIED),
    "min dim": Case(lambda T, x: x.view(3, 2).min(0), _TIED),
    "max other": Case(lambda T, a, b: T.max(a, b), binary(*_TIES), grad=(0, 1)),
    "median": Case(lambda T, x: x.median(), _TIED),
    "median dim": Case(lambda T, x: T.median(x.view(2, 3), 1), _TIED),
    "median even": Case(lambda T, x: T.median(x.view(3, 2), 0), _TIED),
    "argmax": Case(lambda T, x: T.argmax(x), _TIED, grad=()),
    "argmin dim": Case(lambda T, x: x.view(2, 3).argmin(1), _TIED, grad=()),
    "logsumexp": Case(lambda T, x: T.logsumexp(x.view(3, 2), 1), whole(
        [-INF, -INF, INF, 1.0, INF, INF], [NAN, 1.0, -INF, 1.0, INF, -INF], [0.0, 0.0, -0.0, -0.0, 1e30, 1e30])),
    "softmax": Case(lambda T, x: T.softmax(x.view(3, 2), 1), whole(
        [-INF, -INF, INF, 1.0, INF, INF], [NAN, 1.0, -INF, 1.0, -INF, 0.0], [0.0, 0.0, -0.0, -0.0, 1e30, 1e30])),
    "log_softmax": Case(lambda T, x: T.log_softmax(x.view(3, 2), 1), whole(
        [-INF, -INF, INF, 1.0, INF, INF], [NAN, 1.0, -INF, 1.0, -INF, 0.0], [0.0, 0.0, -0.0, -0.0, 1e30, 1e30])),
    "prod": Case(lambda T, x: x.prod(), whole([0.0, 2.0, 3.0], [0.0, 0.0, 3.0], [-0.0, 2.0, INF], [NAN, 0.0, 1.0]),
                 skip={"second": _PROD}),
    "prod dim": Case(lambda T, x: x.view(2, 2).prod(1), whole([0.0, 2.0, 0.0, 0.0], [-0.0, 1.0, INF, 0.0]),
                     skip={"second": _PROD}),
    "cumprod": Case(lambda T, x: x.cumprod(0), whole([2.0, 0.0, 3.0, 0.0, 4.0], [0.0, 1.0, 2.0, 3.0, 4.0],
                                                    [1.0, 2.0, INF, 0.0, 1.0]), skip={"second": _PROD}),
    "std one": Case(lambda T, x: x.std(), whole([1.0, 1.0, 1.0], [2.0]), skip={"float64 grad's grad_fn": _STD_ONE}),
    "var": Case(lambda T, x: x.var(), whole([1.0, 1.0, 1.0], [INF, 1.0])),
    "std dim": Case(lambda T, x: x.view(2, 2).std(1), whole([1.0, 1.0, 2.0, 2.0], [0.0, -0.0, 1.0, 2.0])),
    "cumsum inf": Case(lambda T, x: x.cumsum(0), whole([INF, -INF, 1.0], [NAN, 1.0])),
    "mean inf": Case(lambda T, x: x.mean(), whole([INF, -INF, 1.0], [INF, INF], [-0.0, -0.0])),
    "sum -0.": Case(lambda T, x: x.sum(), whole([-0.0, -0.0], [-0.0])),
}
_EMPTY = whole([])
EMPTY = {  # reductions over nothing: their identities, nan, or torch's errors
    name: Case(fn, _EMPTY) for name, fn in {
        "sum": lambda T, x: x.sum(), "mean": lambda T, x: x.mean(), "prod": lambda T, x: x.prod(),
        "max": lambda T, x: x.max(), "amax": lambda T, x: x.amax(), "amax dim": lambda T, x: x.view(0, 1).amax(0),
        "max dim": lambda T, x: x.view(0, 1).max(0), "max dim 1": lambda T, x: x.view(0, 1).max(1),
        "median": lambda T, x: x.median(), "var": lambda T, x: T.var(x, correction=0),
        "logsumexp": lambda T, x: T.logsumexp(x, 0), "softmax": lambda T, x: x.softmax(0),
        "norm": lambda T, x: x.norm(), "norm inf": lambda T, x: T.linalg.vector_norm(x, INF),
        "norm -inf": lambda T, x: T.linalg.vector_norm(x, -INF), "norm 0": lambda T, x: x.norm(0),
        "sort": lambda T, x: x.sort(), "topk 0": lambda T, x: x.topk(0), "argmax": lambda T, x: x.argmax(),
        "cumprod": lambda T, x: x.cumprod(0), "mse": lambda T, x: F_(T).mse_loss(x, x * 2),
        "l1": lambda T, x: F_(T).l1_loss(x, x + 1, reduction="sum"), "min dim": lambda T, x: x.view(1, 0).min(1),
    }.items()}
EMPTY.update({
    "nll all ignored": Case(lambda T, x: F_(T).nll_loss(x.view(2, 2), T.tensor([-100, -100])),
                            whole([0.0, 1.0, 2.0, 3.0])),
    "cross_entropy all ignored": Case(lambda T, x: F_(T).cross_entropy(x.view(2, 2), T.tensor([1, 1]), ignore_index=1),
                                      whole([0.0, 1.0, 2.0, 3.0])),
    "nll zero weights": Case(lambda T, x: F_(T).nll_loss(x.view(2, 2), T.tensor([0, 0]),
                                                              weight=T.tensor([0.0, 1.0], dtype=x.dtype)),
                             whole([0.0, 1.0, 2.0, 3.0])),
    "std": Case(lambda T, x: x.std(), _EMPTY, skip={"float64 grad's grad_fn": _STD_ONE}),
    "std correction>n": Case(lambda T, x: T.std(x, correction=5), whole([1.0, 2.0, 4.0]),
                             skip={"float64 grad's grad_fn": _STD_ONE}),
    "var correction=n": Case(lambda T, x: T.var(x, correction=3), whole([1.0, 2.0, 4.0])),
})
SORTING = {
    "sort": Case(lambda T, x: T.sort(x), _TIED),
    "sort descending": Case(lambda T, x: x.sort(descending=True), _TIED),
    "sort stable": Case(lambda T, x: T.sort(x, stable=True), _TIED),
    "sort stable descending": Case(lambda T, x: T.sort(x, stable=True, descending=True), _TIED),
    "sort dim": Case(lambda T, x: x.view(2, 3).sort(0), _TIED),
    # past 16 elements torch's sort(stable=False) is introsort's (ties unstable), stable=True is not
    "sort 40": Case(lambda T, x: x.repeat(7)[:40].sort(), _TIED),
    "sort 40 descending": Case(lambda T, x: T.sort(x.repeat(7)[:40], descending=True), _TIED),
    "sort 40 stable": Case(lambda T, x: x.repeat(7)[:40].sort(stable=True, descending=True), _TIED),
    "sort 20x2 dim 0": Case(lambda T, x: x.repeat(7)[:40].view(20, 2).sort(0), _TIED),
    "argsort 40": Case(lambda T, x: T.argsort(x.repeat(7)[:40], descending=True), _TIED, grad=()),
    "argsort": Case(lambda T, x: T.argsort(x), _TIED, grad=()),
    "argsort stable descending": Case(lambda T, x: x.argsort(stable=True, descending=True), _TIED, grad=()),
    "topk": Case(lambda T, x: T.topk(x, 3), _TIED),
    "topk smallest": Case(lambda T, x: x.topk(2, largest=False), _TIED),
    "topk unsorted": Case(lambda T, x: x.topk(4, sorted=False), _TIED),
    "topk dim": Case(lambda T, x: x.view(2, 3).topk(2, 1), _TIED),
    "topk dim 0": Case(lambda T, x: x.view(3, 2).topk(2, 0, largest=False), _TIED),
    # 40 elements: introselect partitions; 130 with k=2: partial_sort (k·64 <= n)
    "topk 40": Case(lambda T, x: x.repeat(7)[:40].topk(9), _TIED),
    "topk 40 unsorted": Case(lambda T, x: (x.repeat(7)[:40] * T.arange(40.0).remainder(3)).topk(12, sorted=False),
                             _TIED),
    "topk 130": Case(lambda T, x: x.repeat(22)[:130].topk(2, largest=False), _TIED),
    "topk distinct unsorted": Case(lambda T, x: x.topk(5, sorted=False), whole([5.0, 1.0, 4.0, 2.0, 3.0, 0.0, 7.0])),
}
_ZEROS = whole([0.0, 0.0, 0.0, 0.0], [-0.0, 0.0, -0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [INF, 0.0, 0.0, 0.0],
                [NAN, 0.0, 1.0, 0.0])
NORMS = {f"norm p={p}": Case(lambda T, x, p=p: T.norm(x, p), _ZEROS)
         for p in (1, 2, 3, 0.5, INF, -INF, 0, "fro")}
NORMS.update({
    "norm dim": Case(lambda T, x: x.view(2, 2).norm(dim=1), _ZEROS),
    "vector_norm": Case(lambda T, x: T.linalg.vector_norm(x), _ZEROS),
    "vector_norm inf dim": Case(lambda T, x: T.linalg.vector_norm(x.view(2, 2), INF, 1), _ZEROS),
    "vector_norm 1 dim": Case(lambda T, x: T.linalg.vector_norm(x.view(2, 2), 1, 0), _ZEROS),
    "dist": Case(lambda T, a, b: (a - b).norm(), whole(([1.0, 2.0], [1.0, 2.0]), ([0.0, 1.0], [0.0, 3.0])), grad=(0, 1)),
    "pairwise_distance": Case(lambda T, a, b: F_(T).pairwise_distance(a.view(2, 2), b.view(2, 2)),
                              whole(([1.0, 2.0, 0.0, 0.0], [1.0, 2.0, 0.0, -1e-6])), grad=(0, 1)),
    "pairwise_distance p=1 eps=0": Case(lambda T, a, b: F_(T).pairwise_distance(a.view(2, 2), b.view(2, 2), 1.0, 0.0),
                                        whole(([1.0, 2.0, 0.0, 0.0], [1.0, 2.0, 0.0, 3.0])), grad=(0, 1)),
    "pairwise_distance inf": Case(lambda T, a, b: F_(T).pairwise_distance(a.view(2, 2), b.view(2, 2), INF, 0.0),
                                  whole(([1.0, 2.0, 0.0, 5.0], [1.0, 2.0, 3.0, 2.0])), grad=(0, 1)),
    "normalize": Case(lambda T, x: F_(T).normalize(x.view(2, 2), dim=1), _ZEROS),
    "cosine_similarity": Case(lambda T, a, b: F_(T).cosine_similarity(a.view(2, 2), b.view(2, 2)),
                              whole(([0.0, 0.0, 1.0, 0.0], [1.0, 2.0, 0.0, 0.0])), grad=(0, 1)),
})
ARITHMETIC = {
    "sqrt": Case(lambda T, x: T.sqrt(x), unary(-1.0)),
    "rsqrt": Case(lambda T, x: T.rsqrt(x), unary(-1.0)),
    "log": Case(lambda T, x: T.log(x), unary(1.0)),
    "log2": Case(lambda T, x: T.log2(x), unary(1.0)),
    "log10": Case(lambda T, x: T.log10(x), unary(1.0), skip={"float64": _ROUNDING}),
    "log1p": Case(lambda T, x: T.log1p(x), unary(-1.0), skip={"forward": _ROUNDING}),
    "reciprocal": Case(lambda T, x: T.reciprocal(x), unary()),
    "square": Case(lambda T, x: T.square(x), unary()),
    "exp": Case(lambda T, x: T.exp(x), unary()),
    "expm1": Case(lambda T, x: T.expm1(x), unary()),
    "logit": Case(lambda T, x: T.logit(x), unary(1.0)),
    "logit eps": Case(lambda T, x: T.logit(x, 0.25), unary(0.25, 0.75, 1.0)),
    "asin": Case(lambda T, x: T.asin(x), unary(1.0, -1.0)),
    "acos": Case(lambda T, x: T.acos(x), unary(1.0, -1.0)),
    "xlogy": Case(lambda T, a, b: T.xlogy(a, b), binary((0.0, 0.0), (0.0, -1.0), (0.0, NAN), (1.0, 0.0), (0.0, INF)),
                  grad=(0, 1)),
    "pow 0": Case(lambda T, x: T.pow(x, 0), unary(1.0)),
    "pow 0.": Case(lambda T, x: x.pow(0.0), unary(1.0)),
    "pow 1": Case(lambda T, x: x.pow(1), unary()),
    "pow 2": Case(lambda T, x: x ** 2, unary()),
    "pow 3": Case(lambda T, x: x ** 3, unary()),
    "pow -1": Case(lambda T, x: x ** -1, unary()),
    "pow -2": Case(lambda T, x: x.pow(-2.0), unary()),
    "pow 0.5": Case(lambda T, x: x ** 0.5, unary(-1.0)),
    "pow -0.5": Case(lambda T, x: x.pow(-0.5), unary(-1.0)),
    "pow 1.5": Case(lambda T, x: x.pow(1.5), unary(-8.0)),
    "pow 1/3": Case(lambda T, x: x.pow(1 / 3), unary(-8.0), skip={"float32": _ROUNDING}),
    "pow tensor": Case(lambda T, a, b: T.pow(a, b), binary((0.0, 0.0), (0.0, -1.0), (0.0, 1.0), (0.0, 2.0), (-8.0, 1 / 3),
                                                           (-1.0, 0.5), (1.0, NAN), (NAN, 0.0), (-2.0, 2.0)), grad=(0, 1)),
    "rpow": Case(lambda T, x: 0.0 ** x, unary(1.0, -1.0)),
    "rpow 2": Case(lambda T, x: 2.0 ** x, unary()),
    "rpow -2": Case(lambda T, x: (-2.0) ** x, unary(0.5, 2.0)),
    "div": Case(lambda T, a, b: a / b, binary((1.0, 0.0), (0.0, 0.0), (-1.0, -0.0), (INF, INF), (1.0, INF)), grad=(0, 1)),
    "div scalar 0": Case(lambda T, x: x / 0.0, unary(1.0)),
    "div floor": Case(lambda T, a, b: T.div(a, b, rounding_mode="floor"),
                      binary((5.0, -3.0), (-5.0, 3.0), (-0.0, 1.0), (0.0, -1.0), (5.0, 0.0), (INF, 2.0), (2.0, INF),
                             (-1.0, INF), (-3.0, 3.0)), grad=(0, 1)),
    "div trunc": Case(lambda T, a, b: a.div(b, rounding_mode="trunc"),
                      binary((5.0, -3.0), (-5.0, 3.0), (-0.0, 1.0), (5.0, 0.0), (INF, 2.0), (-1.0, INF)), grad=(0, 1)),
    "floor_divide": Case(lambda T, a, b: T.floor_divide(a, b),
                         binary((5.0, -3.0), (-5.0, 3.0), (-0.0, 1.0), (0.0, -1.0), (5.0, 0.0), (INF, 2.0),
                                (-1.0, INF), (-3.0, 3.0)), grad=()),
    "remainder": Case(lambda T, a, b: T.remainder(a, b),
                      binary((5.0, -3.0), (-5.0, 3.0), (-0.0, 1.0), (0.0, -1.0), (5.0, 0.0), (INF, 2.0), (2.0, INF),
                             (-1.0, INF), (-3.0, 3.0), (3.0, -3.0)), grad=(0, 1)),
    "remainder scalar": Case(lambda T, x: x % -2.0, unary(2.0, -2.0, 4.0)),
    "rremainder": Case(lambda T, x: 3.0 % x, unary(3.0, -3.0)),
    "mul inf": Case(lambda T, a, b: a * b, binary((0.0, INF), (-0.0, 1.0), (NAN, 0.0)), grad=(0, 1)),
    "add -0.": Case(lambda T, a, b: a + b, binary((-0.0, -0.0), (0.0, -0.0), (INF, -INF)), grad=(0, 1)),
    "sub -0.": Case(lambda T, a, b: a - b, binary((-0.0, 0.0), (0.0, 0.0), (INF, INF)), grad=(0, 1)),
    "neg": Case(lambda T, x: -x, unary()),
    "fmod": Case(lambda T, a, b: T.fmod(a, b), binary((5.0, -3.0), (-5.0, 3.0), (-0.0, 1.0), (5.0, 0.0), (INF, 2.0),
                                                     (2.0, INF), (3.0, 3.0)), grad=(0, 1)),
    "atan2": Case(lambda T, a, b: T.atan2(a, b), binary((0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0), (1.0, 0.0),
                                                       (INF, INF), (NAN, 1.0)), grad=(0, 1),
                  skip={"float32 forward": _ROUNDING}),
    "hypot": Case(lambda T, a, b: T.hypot(a, b), binary((0.0, 0.0), (-0.0, 0.0), (INF, NAN), (3.0, 4.0)), grad=(0, 1)),
    "logaddexp": Case(lambda T, a, b: T.logaddexp(a, b), binary((-INF, -INF), (INF, INF), (INF, -INF), (0.0, 0.0),
                                                               (NAN, 1.0)), grad=(0, 1)),
    "logaddexp2": Case(lambda T, a, b: T.logaddexp2(a, b), binary((-INF, -INF), (INF, INF), (1.0, 1.0)), grad=(0, 1)),
    "copysign": Case(lambda T, a, b: T.copysign(a, b), binary((1.0, -0.0), (0.0, -1.0), (-0.0, 0.0), (2.0, NAN),
                                                             (0.0, 0.0)), grad=(0, 1)),
}
LOSSES = {
    "mse": Case(lambda T, a, b: F_(T).mse_loss(a, b), whole(([0.0, 1.0, INF], [0.0, 1.0, 1.0]), ([NAN, 0.0], [1.0, 0.0])),
                grad=(0, 1)),
    "l1": Case(lambda T, a, b: F_(T).l1_loss(a, b), whole(([0.0, 1.0, -0.0], [0.0, 1.0, 0.0]), ([NAN, 2.0], [1.0, 2.0])),
               grad=(0, 1)),
    "l1 none": Case(lambda T, a, b: F_(T).l1_loss(a, b, reduction="none"), binary((0.0, 0.0), (1.0, 1.0), (-0.0, 0.0)),
                    grad=(0, 1)),
    "smooth_l1": Case(lambda T, a, b: F_(T).smooth_l1_loss(a, b, reduction="none"),
                      binary((1.0, 0.0), (-1.0, 0.0), (0.0, 0.0), (2.0, 1.0), (NAN, 0.0)), grad=(0, 1)),
    "smooth_l1 beta": Case(lambda T, a, b: F_(T).smooth_l1_loss(a, b, reduction="sum", beta=0.5),
                           binary((0.5, 0.0), (-0.5, 0.0), (0.0, 0.0)), grad=(0, 1)),
    "smooth_l1 beta 0": Case(lambda T, a, b: F_(T).smooth_l1_loss(a, b, beta=0.0), binary((0.0, 0.0), (1.0, 0.0)),
                             grad=(0, 1)),
    "huber": Case(lambda T, a, b: F_(T).huber_loss(a, b, reduction="none"),
                  binary((1.0, 0.0), (-1.0, 0.0), (0.0, 0.0), (NAN, 0.0)), grad=(0, 1)),
    "huber delta": Case(lambda T, a, b: F_(T).huber_loss(a, b, delta=0.5, reduction="sum"),
                        binary((0.5, 0.0), (-0.5, 0.0), (2.5, 2.0)), grad=(0, 1)),
    "bce": Case(lambda T, a, b: F_(T).binary_cross_entropy(a, b, reduction="none"),
                whole(([0.0, 1.0, 0.0, 1.0, 0.5, 1e-13], [0.0, 1.0, 1.0, 0.0, 0.5, 0.0]),
                      ([0.9999999, 1e-12, 0.25, 0.75, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0, 0.5, 0.5])), grad=(0, 1),
                skip={"float32": _ROUNDING}),
    "bce mean": Case(lambda T, a, b: F_(T).binary_cross_entropy(a, b),
                     whole(([0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0])), grad=(0,)),
    "bce with logits": Case(lambda T, a, b: F_(T).binary_cross_entropy_with_logits(a, b, reduction="none"),
                            whole(([0.0, INF, -INF, 100.0, -100.0, NAN], [0.5, 1.0, 0.0, 0.0, 1.0, 1.0])), grad=(0, 1)),
    "kl_div": Case(lambda T, a, b: F_(T).kl_div(a, b, reduction="sum"),
                   whole(([0.0, -1.0, -INF, 0.0], [0.0, 0.5, 0.0, 1.0])), grad=(0, 1)),
    "kl_div log_target": Case(lambda T, a, b: F_(T).kl_div(a, b, reduction="sum", log_target=True),
                              whole(([0.0, -1.0, 0.0], [-INF, 0.5, 0.0])), grad=(0, 1)),
    "cross_entropy -inf": Case(lambda T, x: F_(T).cross_entropy(x.view(2, 3), T.tensor([0, 2])),
                               whole([-INF, 1.0, 2.0, 0.0, 0.0, -INF], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])),
}
INPLACE = {  # in-place forms save the result (elu_: EluBackward1) or refuse what torch refuses
    "relu_": Case(lambda T, x: x.clone().relu_(), unary()),
    "F.relu inplace": Case(lambda T, x: F_(T).relu(x * 1, inplace=True), unary()),
    "elu_": Case(lambda T, x: F_(T).elu(x.clone(), 0.5, inplace=True), unary()),
    "celu_": Case(lambda T, x: F_(T).celu(x.clone(), 0.7, inplace=True), unary()),
    "selu_": Case(lambda T, x: T.selu_(x.clone()), unary()),
    "leaky_relu_": Case(lambda T, x: F_(T).leaky_relu(x.clone(), 0.2, inplace=True), unary()),
    "leaky_relu_ negative": Case(lambda T, x: F_(T).leaky_relu(x.clone(), -0.5, inplace=True), unary()),
    "hardtanh_": Case(lambda T, x: F_(T).hardtanh(x.clone(), -2.0, 0.5, inplace=True), unary(-2.0, 0.5)),
    "relu6 inplace": Case(lambda T, x: F_(T).relu6(x.clone(), inplace=True), unary(6.0)),
    "threshold_": Case(lambda T, x: F_(T).threshold(x.clone(), 1.0, 20.0, inplace=True), unary(1.0)),
    "hardsigmoid inplace": Case(lambda T, x: F_(T).hardsigmoid(x.clone(), inplace=True), unary(-3.0, 3.0)),
    "hardswish inplace": Case(lambda T, x: F_(T).hardswish(x.clone(), inplace=True), unary(-3.0, 3.0)),
    "silu inplace": Case(lambda T, x: F_(T).silu(x.clone(), inplace=True), unary()),
    "clamp_": Case(lambda T, x: x.clone().clamp_(-1.0, 1.0), unary(-1.0, 1.0)),
    "clamp_min_": Case(lambda T, x: x.clone().clamp_min_(0.0), unary()),
    "clamp_max_ tensor": Case(lambda T, x, hi: x.clone().clamp_max_(hi), binary(*_TIES), grad=(0, 1)),
    "abs_": Case(lambda T, x: x.clone().abs_(), unary()),
    "sign_": Case(lambda T, x: x.clone().sign_(), unary()),
    "nan_to_num_": Case(lambda T, x: x.clone().nan_to_num_(posinf=1.0), unary()),
    "masked_fill nan": Case(lambda T, x: x.masked_fill(x != x, 0.0), unary()),
}
_INT = ("int64", "int32")
_INTS = whole([0, -1, 3, -7, 3, 0], [5, -5, 1, 2, -3, 4])
_INT_PAIRS = whole(([5, -5, 5, -5, 0, 7, -1], [3, 3, -3, -3, 2, 7, 2]))
INTEGERS = {  # the same ops on integer tensors: no signed zero or nan, but truncation, overflow and refusals
    "relu int": Case(lambda T, x: T.relu(x), _INTS, grad=(), dtypes=_INT),
    "clamp int": Case(lambda T, x: T.clamp(x, -1, 2), _INTS, grad=(), dtypes=_INT),
    "clamp int float bound": Case(lambda T, x: T.clamp(x, -1.5, 2.5), _INTS, grad=(), dtypes=_INT),
    "clamp int min>max": Case(lambda T, x: T.clamp(x, 3, -3), _INTS, grad=(), dtypes=_INT),
    "clamp_min int": Case(lambda T, x: x.clamp_min(0), _INTS, grad=(), dtypes=_INT),
    "abs int": Case(lambda T, x: x.abs(), _INTS, grad=(), dtypes=_INT),
    "sign int": Case(lambda T, x: T.sign(x), _INTS, grad=(), dtypes=_INT),
    "maximum int": Case(lambda T, a, b: T.maximum(a, b), _INT_PAIRS, grad=(), dtypes=_INT),
    "fmin int": Case(lambda T, a, b: T.fmin(a, b), _INT_PAIRS, grad=(), dtypes=_INT),
    "floor_divide int": Case(lambda T, a, b: T.floor_divide(a, b), _INT_PAIRS, grad=(), dtypes=_INT),
    "div floor int": Case(lambda T, a, b: T.div(a, b, rounding_mode="floor"), _INT_PAIRS, grad=(), dtypes=_INT),
    "div trunc int": Case(lambda T, a, b: T.div(a, b, rounding_mode="trunc"), _INT_PAIRS, grad=(), dtypes=_INT),
    "div int": Case(lambda T, a, b: a / b, _INT_PAIRS, grad=(), dtypes=_INT),
    "div int by 0": Case(lambda T, a: a / 0, _INTS, grad=(), dtypes=_INT),
    "floor_divide int by 0": Case(lambda T, a: a // 0, _INTS, grad=(), dtypes=_INT),
    "remainder int": Case(lambda T, a, b: T.remainder(a, b), _INT_PAIRS, grad=(), dtypes=_INT),
    "remainder int by 0": Case(lambda T, a: a % 0, _INTS, grad=(), dtypes=_INT),
    "fmod int": Case(lambda T, a, b: T.fmod(a, b), _INT_PAIRS, grad=(), dtypes=_INT),
    "pow int": Case(lambda T, a, b: a.abs() ** b.abs(), _INT_PAIRS, grad=(), dtypes=_INT),
    "pow int negative": Case(lambda T, a: a ** -1, _INTS, grad=(), dtypes=_INT),
    "max int ties": Case(lambda T, x: x.view(2, 3).max(1), _INTS, grad=(), dtypes=_INT),
    "median int": Case(lambda T, x: x.median(), _INTS, grad=(), dtypes=_INT),
    "topk int": Case(lambda T, x: x.topk(3), _INTS, grad=(), dtypes=_INT),
    "sort int": Case(lambda T, x: x.repeat(4).sort(descending=True), _INTS, grad=(), dtypes=_INT),
    "round int": Case(lambda T, x: T.round(x), _INTS, grad=(), dtypes=_INT),
    "nan_to_num int": Case(lambda T, x: T.nan_to_num(x), _INTS, grad=(), dtypes=_INT),
    "threshold int": Case(lambda T, x: F_(T).threshold(x, 0, 9), _INTS, grad=(), dtypes=_INT),
    "hardtanh int": Case(lambda T, x: F_(T).hardtanh(x, -2, 2), _INTS, grad=(), dtypes=_INT),
}
FAMILIES = {"activations": ACTIVATIONS, "piecewise": PIECEWISE, "reductions": REDUCTIONS, "sorting": SORTING,
            "norms": NORMS, "arithmetic": ARITHMETIC, "losses": LOSSES, "inplace": INPLACE,
            "integers": INTEGERS, "empty": EMPTY}
for _family in FAMILIES.values():
    CASES.update(_family)


def describe(found) -> str:
    lines = []
    for name, dtype_name, inputs, theirs, ours in found[:6]:
        lines.append(f"{name} {dtype_name} inputs={inputs}")
        for key in (theirs if isinstance(theirs, dict) else {"result": theirs}):
            a = theirs.get(key) if isinstance(theirs, dict) else theirs
            b = ours.get(key) if isinstance(ours, dict) else ours
            if a != b:
                lines.append(f"  {key}: torch   {a}\n  {' ' * len(key)}  gradcli {b}")
    return "\n".join(lines + [f"({len(found)} differences)"])


@pytest.mark.parametrize("family", FAMILIES)
def test_values_and_gradients_at_special_points_match_torch(family):
    torch = pytest.importorskip("torch")
    found = [d for name, case in FAMILIES[family].items() for d in differences(torch, name, case)]
    assert not found, describe(found)


# torch's vectorized loops differ from its scalar loop here, by an element's position: not followed
# (where gradcli follows them: softshrink's -0., the nan gradients of hardtanh, hardswish, elu...)
_VECTOR_TIES = "vectorized maximum/minimum (and clamp_min/max by a tensor) take the second operand on ±0 ties"
VECTORIZED_SKIP = {"maximum": _VECTOR_TIES, "minimum": _VECTOR_TIES, "max other": _VECTOR_TIES,
                   "clamp_min tensor": _VECTOR_TIES, "clamp_max tensor": _VECTOR_TIES,
                   "clamp_max_ tensor": _VECTOR_TIES,
                   "remainder": "the vectorized remainder by a subnormal divisor is nan (the scalar loop: 0)",
                   "rremainder": "the vectorized remainder by a subnormal divisor is nan (the scalar loop: 0)",
                   "fmod": "the vectorized fmod by a subnormal divisor is nan (the scalar loop: 0)",
                   "logaddexp2": "float32: the vectorized loop's exp2/log2 round otherwise (elementwise accuracy)"}


def test_elementwise_points_in_long_tensors_match_torch():
    """The same points in tensors of 40: through torch's vectorized loops."""
    torch = pytest.importorskip("torch")
    found = []
    for name, case in CASES.items():
        if hasattr(case.sets, "long") and name not in VECTORIZED_SKIP:
            found += differences(torch, name, Case(case.fn, case.sets.long, case.grad, case.second, case.skip,
                                                   case.dtypes))
    assert not found, describe(found)


def main() -> int:
    """python tests/test_special_points.py [name...]: every difference of the table, in full."""
    import torch
    only = sys.argv[1:]
    found = [d for name, case in CASES.items() if not only or any(o in name for o in only)
             for d in differences(torch, name, case)]
    for d in found:
        print(describe([d]).rsplit("\n", 1)[0])
    print(len(found), "differences")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
