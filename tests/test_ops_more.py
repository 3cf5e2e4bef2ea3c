"""Ops tutorials use beyond the core families (einsum, cross, kron, fmod, unique...): each
against PyTorch over shapes, dtypes and keyword arguments (values, dtypes, grad_fn graphs,
gradients to second order) and its error messages."""

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt


def _graph(t):
    """The grad_fn graph as (depth, name) pairs, depth first."""
    out = []

    def walk(fn, depth):
        if fn is None:
            return
        out.append((depth, type(fn).__name__))
        for nxt, _ in fn.next_functions:
            walk(nxt, depth + 1)
    walk(t.grad_fn, 0)
    return out


def _same_graph(real_torch, fn, arrays):
    graphs = []
    for lib in (real_torch, gt):
        inputs = [lib.from_numpy(a.copy()).requires_grad_(a.dtype.kind == "f") for a in arrays]
        graphs.append(_graph(fn(lib, *inputs)))
    assert graphs[1] == graphs[0]


# -- einsum ------------------------------------------------------------------------------------

EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]), ("i,j->ij", [(3,), (4,)]),
    ("ii->", [(3, 3)]), ("ii->i", [(3, 3)]), ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]), ("ij->j", [(2, 3)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (5, 3, 4)]), ("i,i->", [(3,), (3,)]), ("i,i->i", [(3,), (3,)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]), ("ij,j->i", [(3, 4), (4,)]), ("ij", [(2, 3)]), ("ij,jk", [(2, 3), (3, 4)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]), ("...ii->...i", [(2, 3, 3)]), ("ij,kl", [(2, 3), (3, 4)]),
    ("ba", [(2, 3)]), ("bij,jk->bik", [(5, 2, 3), (3, 4)]), ("i...->...", [(5, 2, 3)]), ("Aa->aA", [(2, 3)]),
    ("ij,jk->ik", [(2, 1), (3, 4)]), ("...,...->...", [(2, 3), (3,)]), ("i , j -> i j", [(2,), (3,)]),
    ("ij,ij,ij->i", [(2, 3)] * 3), ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]), ("iij->j", [(2, 2, 3)]),
]


@pytest.mark.parametrize("equation,shapes", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_matches_torch_values_grads_and_graph(equation, shapes):
    torch = pytest.importorskip("torch")
    arrays = [rand(*s, seed=i + 1) for i, s in enumerate(shapes)]
    compare_with_torch(torch, lambda t, *xs: t.einsum(equation, *xs), *arrays)
    ours = gt.einsum(equation, *[gt.from_numpy(a.astype("float32")) for a in arrays])
    theirs = torch.einsum(equation, *[torch.from_numpy(a.astype("float32")) for a in arrays])
    assert ours.dtype == gt.float32  # float32 gemm sums in its own order: close, not bit-equal
    np.testing.assert_allclose(ours._data, theirs.numpy(), rtol=1e-5, atol=1e-6)
    _same_graph(torch, lambda t, *xs: t.einsum(equation, *xs), arrays)
    check_grads(lambda *xs: gt.einsum(equation, *xs), *arrays)


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
@pytest.mark.parametrize("equation,shapes", [("ij,jk->ik", [(2, 3), (3, 4)]), ("ij->", [(2, 3)]),
                                             ("i,j->ij", [(3,), (4,)])])
def test_einsum_integer_and_bool_dtypes_as_torch(equation, shapes, dtype):
    torch = pytest.importorskip("torch")
    arrays = [(rand(*s, seed=i) * 3).astype(dtype) for i, s in enumerate(shapes)]
    fn = lambda t, *xs: t.einsum(equation, *xs)  # noqa: E731
    try:
        fn(torch, *[torch.from_numpy(a) for a in arrays])
    except Exception:  # noqa: BLE001 - then gradcli must fail in the same words
        same_error(torch, lambda t: fn(t, *[t.from_numpy(a.copy()) for a in arrays]))
        return
    compare_with_torch(torch, fn, *arrays, grad=False)


def test_einsum_operand_list_and_sublist_forms():
    torch = pytest.importorskip("torch")
    a, b, c = rand(2, 3, seed=1), rand(3, 4, seed=2), rand(4, 2, 3, seed=3)
    compare_with_torch(torch, lambda t, x, y: t.einsum("ij,jk->ik", [x, y]), a, b)
    compare_with_torch(torch, lambda t, x, y: t.einsum("ij,jk->ik", (x, y)), a, b)
    compare_with_torch(torch, lambda t, x, y: t.einsum(x, [0, 1], y, [1, 2], [0, 2]), a, b)
    compare_with_torch(torch, lambda t, x, y: t.einsum(x, [0, 1], y, [1, 2]), a, b)
    compare_with_torch(torch, lambda t, x: t.einsum(x, [..., 0, 1], [..., 1]), c)


EINSUM_ERRORS = [
    lambda t, a, b: t.einsum("ij,jk->ik", a), lambda t, a, b: t.einsum("ij,jk->ik", a, b, b),
    lambda t, a, b: t.einsum("ij,jk->ik"), lambda t, a, b: t.einsum("ij,jk->ik", a, b.double()),
    lambda t, a, b: t.einsum("ij,jk->ik", a.long(), b), lambda t, a, b: t.einsum("ij,jk->ik", a.bool(), b.bool()),
    lambda t, a, b: t.einsum("ijk,jk->ik", a, b), lambda t, a, b: t.einsum("i...jk,jk->ik", a, b),
    lambda t, a, b: t.einsum("i1,jk->ik", a, b), lambda t, a, b: t.einsum("ij,jk->i1", a, b),
    lambda t, a, b: t.einsum("ij,jk->iz", a, b), lambda t, a, b: t.einsum("ij,jk->ii", a, b),
    lambda t, a, b: t.einsum("ij,ij->ij", a, b), lambda t, a, b: t.einsum("ij,jk->ik", a, 2),
    lambda t, a, b: t.einsum(a, [0, 1], b, [1, 52]), lambda t, a, b: t.einsum(a, [0, 1], b, [1, "x"]),
    lambda t, a, b: t.einsum("ij..,jk->ik", a, b), lambda t, a, b: t.einsum("...ij...,jk->ik", a, b),
    lambda t, a, b: t.einsum("ij,jk->...ik...", a, b), lambda t, a, b: t.einsum("ij,jk->.ik", a, b),
    lambda t, a, b: t.einsum(3, a), lambda t, a, b: t.einsum("ii", a),
    lambda t, a, b: t.einsum("...,...->...", t.ones(2, 3), t.ones(4)),
]


@pytest.mark.parametrize("k", range(len(EINSUM_ERRORS)))
def test_einsum_errors_are_torchs(k):
    torch = pytest.importorskip("torch")
    a, b = rand(2, 3, seed=1).astype("float32"), rand(3, 4, seed=2).astype("float32")
    same_error(torch, lambda t: EINSUM_ERRORS[k](t, t.from_numpy(a.copy()), t.from_numpy(b.copy())))
