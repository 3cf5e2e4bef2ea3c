"""Gradient checks against central finite differences, first and second order (float64).

``check_grads(fn, *arrays)`` differentiates ``sum(fn(*inputs) * W)`` (W fixed and random,
so every output element counts) with gradcli's engine and compares with finite
differences; with ``order=2`` it also differentiates ``sum(grad · V)`` computed with
``create_graph=True`` and compares with finite differences of the first-order gradient.
"""

from __future__ import annotations

import numpy as np

from gradcli.autograd import engine
from gradcli.autograd.namespace import build_torch_module
from gradcli.autograd.tensor import Tensor, wrap

torch = build_torch_module()
EPS = 1e-6


def _leaves(arrays):
    out = []
    for a in arrays:
        t = wrap(np.array(a, dtype=np.float64))
        t.requires_grad_(True)
        out.append(t)
    return out


def _weights(shape, seed):
    return np.random.default_rng(seed).uniform(0.5, 1.5, size=shape)


def _scalar(fn, leaves, seed):
    out = fn(*leaves)
    return (out * wrap(_weights(out._data.shape, seed))).sum()


def _first(fn, arrays, seed):
    leaves = _leaves(arrays)
    s = _scalar(fn, leaves, seed)
    if not s.requires_grad:
        return [np.zeros_like(np.asarray(a, dtype=np.float64)) for a in arrays]
    grads = engine.grad([s], leaves, allow_unused=True)
    return [np.zeros_like(t._data) if g is None else g._data for t, g in zip(leaves, grads)]


def _numeric(f, arrays):
    """Central differences of the scalar (or list of arrays, dotted with 1) ``f``."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    result = []
    for i, a in enumerate(arrays):
        g = np.zeros_like(a)
        for k in np.ndindex(a.shape):
            old = a[k]
            a[k] = old + EPS
            hi = f(arrays)
            a[k] = old - EPS
            lo = f(arrays)
            a[k] = old
            g[k] = (hi - lo) / (2 * EPS)
        result.append(g)
    return result


def check_grads(fn, *arrays, order=2, seed=0, atol=1e-5, rtol=1e-4):
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    got = _first(fn, arrays, seed)
    want = _numeric(lambda xs: float(_scalar(fn, [wrap(x) for x in xs], seed)._data), arrays)
    for i, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, atol=atol, rtol=rtol, err_msg=f"first-order gradient of input {i}")
    if order < 2:
        return
    vs = [_weights(a.shape, seed + 1 + i) for i, a in enumerate(arrays)]

    def h_of(xs):
        return float(sum((g * v).sum() for g, v in zip(_first(fn, xs, seed), vs)))

    leaves = _leaves(arrays)
    s = _scalar(fn, leaves, seed)
    got2 = [np.zeros_like(a) for a in arrays]
    if s.requires_grad:
        grads = engine.grad([s], leaves, create_graph=True, allow_unused=True)
        h = None
        for g, v in zip(grads, vs):
            if g is not None:
                term = (g * wrap(v)).sum()
                h = term if h is None else h + term
        if h is not None and h.requires_grad:
            g2 = engine.grad([h], leaves, allow_unused=True)
            got2 = [np.zeros_like(t._data) if g is None else g._data for t, g in zip(leaves, g2)]
    want2 = _numeric(h_of, arrays)
    for i, (g, w) in enumerate(zip(got2, want2)):
        np.testing.assert_allclose(g, w, atol=max(atol, 1e-4), rtol=max(rtol, 1e-3),
                                   err_msg=f"second-order gradient of input {i}")


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


__all__ = ["check_grads", "rand", "torch", "Tensor"]


# -- comparison with torch (tests skip it when torch is absent) ---------------------------------

def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def compare_with_torch(real_torch, fn, *arrays, grad=True, dtype="float64"):
    """Run ``fn(lib, *inputs)`` in gradcli and in torch; compare values, dtypes,
    grad_fn names and (with ``grad``) the gradients of sum(out * W)."""
    ours_in, theirs_in = [], []
    for a in arrays:
        a = np.asarray(a)
        floating = a.dtype.kind == "f"
        arr = a.astype(dtype) if floating else a
        o = torch.from_numpy(np.array(arr))
        t = real_torch.from_numpy(np.array(arr))
        if grad and floating:
            o.requires_grad_(True)
            t.requires_grad_(True)
        ours_in.append(o)
        theirs_in.append(t)
    ours = _as_tuple(fn(torch, *ours_in))
    theirs = _as_tuple(fn(real_torch, *theirs_in))
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        assert tuple(o.shape) == tuple(t.shape), (o.shape, t.shape)
        assert str(o.dtype) == str(t.dtype), (o.dtype, t.dtype)
        np.testing.assert_allclose(o._data, t.detach().numpy(), rtol=1e-6, atol=1e-8)
        name = lambda x: None if x.grad_fn is None else type(x.grad_fn).__name__  # noqa: E731
        assert name(o) == name(t), (name(o), name(t))
    if not grad:
        return ours
    so = st = None
    for k, (o, t) in enumerate(zip(ours, theirs)):
        if not t.requires_grad:
            continue
        w = _weights(tuple(t.shape), 10 + k)
        po = (o * wrap(w.astype(o._data.dtype))).sum()
        pt = (t * real_torch.tensor(w, dtype=t.dtype)).sum()
        so = po if so is None else so + po
        st = pt if st is None else st + pt
    if st is None:
        return ours
    so.backward()
    st.backward()
    for o, t in zip(ours_in, theirs_in):
        if t.requires_grad:
            tg = None if t.grad is None else t.grad.numpy()
            og = None if o.grad is None else o.grad._data
            assert (tg is None) == (og is None), (og, tg)
            if tg is not None:
                np.testing.assert_allclose(og, tg, rtol=1e-6, atol=1e-8)
    return ours


def same_error(real_torch, fn):
    """``fn(lib)`` raises the same exception type and message in gradcli and torch."""
    try:
        fn(real_torch)
    except Exception as e:  # noqa: BLE001
        want = (type(e), str(e))
    else:
        raise AssertionError("torch raised nothing")
    try:
        fn(torch)
    except Exception as e:  # noqa: BLE001
        got = (type(e), str(e))
    else:
        raise AssertionError(f"gradcli raised nothing; torch raised {want}")
    assert got[0].__name__ == want[0].__name__ and got[1] == want[1], (got, want)
