"""Values and gradients at the special points of piecewise, threshold and tie-breaking ops,
against torch: the kink of relu, the bounds of clamp, the threshold of softplus, ties of
max/sort, 0 of norm and pow, nan and ±inf, signed zeros. One table row per op call and its
points; every float input takes each point and the floats just either side of it (nextafter),
in float32 and float64. Compared bit for bit (``tolist()`` reprs: signed zeros and nan kept):
forward outputs, first-order gradients and, where torch's gradient has a graph, second-order
gradients (create_graph=True, then grad again), and grad_fn names. Elementwise points run in
tensors of 7 (torch's scalar loops) and again in tensors of 40 (its vectorized loops, which
treat nan and ±0 otherwise for some ops). The same call runs on torch and on gradcli's torch
module directly (no program text). A difference torch has that gradcli does not follow is a
``skip`` of its row with the reason. ``python tests/test_special_points.py [name...]`` prints
every difference in full."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

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

