"""Linear algebra: mm/mv/dot/bmm, every matmul case with PyTorch's grad_fn chain,
norms; gradients against finite differences and PyTorch."""

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt
from ops_more_util import graph as _chain

GRAD_CASES = [
    ("mm", lambda a, b: a.mm(b), [(2, 3), (3, 4)]),
    ("mv", lambda a, b: gt.mv(a, b), [(2, 3), (3,)]),
    ("dot", lambda a, b: a.dot(b), [(3,), (3,)]),
    ("bmm", lambda a, b: a.bmm(b), [(2, 2, 3), (2, 3, 2)]),
    ("outer", lambda a, b: gt.outer(a, b), [(2,), (3,)]),
    ("matmul 1x2", lambda a, b: a @ b, [(3,), (3, 2)]),
    ("matmul 3x2", lambda a, b: a @ b, [(2, 2, 3), (3, 2)]),
    ("matmul 2x3", lambda a, b: a @ b, [(2, 3), (2, 3, 2)]),
    ("matmul 3x1", lambda a, b: a @ b, [(2, 2, 3), (3,)]),
    ("matmul 1x3", lambda a, b: a @ b, [(3,), (2, 3, 2)]),
    ("matmul batch broadcast", lambda a, b: a @ b, [(2, 1, 2, 3), (3, 3, 2)]),
    ("matmul batch one", lambda a, b: a @ b, [(1, 2, 3), (2, 3, 2)]),
    ("matmul square", lambda a: a @ a, [(3, 3)]),
    ("norm", lambda a: a.norm(), [(2, 3)]),
    ("norm 1", lambda a: a.norm(1), [(2, 3)]),
    ("norm 3", lambda a: a.norm(3), [(2, 3)]),
    ("norm 1.5", lambda a: a.norm(1.5), [(2, 3)]),
    ("norm dim", lambda a: a.norm(dim=1), [(2, 3)]),
    ("norm dim keepdim", lambda a: gt.norm(a, 2, 0, True), [(2, 3)]),
    ("norm inf", lambda a: a.norm(float("inf"), dim=1), [(2, 3)]),
    ("vector_norm", lambda a: gt.linalg.vector_norm(a, 2, (0, 1)), [(2, 3, 2)]),
]


@pytest.mark.parametrize("name,fn,shapes", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients_match_finite_differences(name, fn, shapes):
    check_grads(fn, *[rand(*s, seed=i + 3) for i, s in enumerate(shapes)])


MATMUL_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 2)),
    ((4, 2, 3), (3, 2)), ((2, 3), (4, 3, 2)), ((4, 2, 3), (4, 3, 2)), ((4, 2, 3), (3,)),
    ((3,), (4, 3, 2)), ((2, 4, 2, 3), (4, 3, 2)), ((2, 4, 2, 3), (3,)), ((4, 2, 3), (2, 4, 3, 2)),
    ((1, 2, 3), (4, 3, 2)), ((4, 2, 3), (1, 3, 2)), ((1, 2, 3), (1, 3, 2)), ((2, 1, 2, 3), (4, 3, 2)),
    ((1, 1, 2, 3), (4, 3, 2)), ((3,), (1, 3, 2)), ((1, 2, 3), (3,)),
]


@pytest.mark.parametrize("grads", ["both", "left", "right"])
@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES])
def test_matmul_matches_torch_with_its_grad_fn_chain(sa, sb, grads):
    torch = pytest.importorskip("torch")
    a, b = rand(*sa, seed=1), rand(*sb, seed=2)
    results = []
    for lib in (torch, gt):
        x = lib.from_numpy(a.copy()).requires_grad_(grads in ("both", "left"))
        y = lib.from_numpy(b.copy()).requires_grad_(grads in ("both", "right"))
        out = x @ y
        out.sum().backward()
        results.append((out, _chain(out), x.grad, y.grad))
    (to, tc, tx, ty), (go, gc, gx, gy) = results
    assert tuple(go.shape) == tuple(to.shape)
    np.testing.assert_allclose(go._data, to.detach().numpy(), rtol=1e-10)
    assert gc == tc
    for g, t in ((gx, tx), (gy, ty)):
        assert (g is None) == (t is None)
        if t is not None:
            np.testing.assert_allclose(g._data, t.numpy(), rtol=1e-10)


def test_matmul_of_a_transposed_batch_without_grad_goes_through_bmm():
    torch = pytest.importorskip("torch")
    chains = []
    for lib in (torch, gt):
        x = lib.ones(4, 3, 3, dtype=lib.float64, requires_grad=True)
        chains.append([_chain(x.transpose(1, 2) @ lib.ones(3, dtype=lib.float64)),
                       _chain(x.transpose(1, 2) @ lib.ones(3, 3, dtype=lib.float64)),
                       _chain(lib.ones(3, dtype=lib.float64) @ x)])
    assert chains[0] == chains[1]


TORCH_CASES = [
    ("mm", lambda t, a, b: t.mm(a, b), [(2, 3), (3, 4)]),
    ("mm method", lambda t, a, b: a.mm(b), [(2, 3), (3, 4)]),
    ("matmul fn", lambda t, a, b: t.matmul(a, b), [(2, 3), (3, 4)]),
    ("matmul method", lambda t, a, b: a.matmul(b), [(3,), (3,)]),
    ("rmatmul", lambda t, a, b: a.__rmatmul__(b), [(3, 2), (2, 3)]),
    ("mv", lambda t, a, b: a.mv(b), [(2, 3), (3,)]),
    ("dot", lambda t, a, b: t.dot(a, b), [(3,), (3,)]),
    ("vdot", lambda t, a, b: t.vdot(a, b), [(3,), (3,)]),
    ("bmm", lambda t, a, b: t.bmm(a, b), [(2, 2, 3), (2, 3, 2)]),
    ("outer", lambda t, a, b: t.outer(a, b), [(2,), (3,)]),
    ("ger", lambda t, a, b: a.ger(b), [(2,), (3,)]),
    ("inner 1d", lambda t, a, b: t.inner(a, b), [(3,), (3,)]),
    ("inner 2d", lambda t, a, b: t.inner(a, b), [(2, 3), (4, 3)]),
    ("norm", lambda t, a: a.norm(), [(2, 3)]),
    ("norm fro", lambda t, a: t.norm(a, "fro"), [(2, 3)]),
    ("norm p1", lambda t, a: a.norm(p=1), [(2, 3)]),
    ("norm inf", lambda t, a: a.norm(float("inf")), [(2, 3)]),
    ("norm -inf", lambda t, a: a.norm(float("-inf"), dim=0), [(2, 3)]),
    ("norm 3", lambda t, a: a.norm(3, dim=1, keepdim=True), [(2, 3)]),
    ("norm dims", lambda t, a: t.norm(a, dim=(0, 2)), [(2, 3, 2)]),
    ("norm 0d", lambda t, a: a.norm(), [()]),
    ("linalg.norm", lambda t, a: t.linalg.norm(a), [(2, 3)]),
    ("linalg.norm vec ord", lambda t, a: t.linalg.norm(a, 1), [(3,)]),
    ("linalg.vector_norm", lambda t, a: t.linalg.vector_norm(a, ord=3, dim=-1), [(2, 3)]),
    ("matmul ints", lambda t, a, b: a @ b, [np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2)]),
]


@pytest.mark.parametrize("name,fn,shapes", TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_matches_torch(name, fn, shapes):
    torch = pytest.importorskip("torch")
    arrays = [s if isinstance(s, np.ndarray) else rand(*s, seed=i + 5) for i, s in enumerate(shapes)]
    compare_with_torch(torch, fn, *arrays)


def test_norm_subgradient_at_zero_is_zero_like_torch():
    torch = pytest.importorskip("torch")
    for p in (2, 1, 3, float("inf")):
        compare_with_torch(torch, lambda t, a: a.norm(p), np.zeros((2, 3)))
        compare_with_torch(torch, lambda t, a: a.norm(p, dim=1), np.array([[0., 0., 0.], [1., -2., 0.]]))


def test_norm_0_counts_nonzeros():
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t, a: a.norm(0), np.array([[0., 1., 2.], [0., 0., 3.]]), grad=False)


def test_norm_0_leaves_grad_undefined_like_torch():
    torch = pytest.importorskip("torch")
    for lib in (gt, torch):
        x = lib.tensor([0., 1., 2.], requires_grad=True)
        x.norm(0).backward()
        assert x.grad is None


def test_float32_matmul():
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t, a, b: (a @ b).norm(), rand(2, 3), rand(3, 2), dtype="float32")


def _m(t):
    return t.ones(2, 3)


ERROR_CASES = [
    ("mm shapes", lambda t: t.mm(_m(t), _m(t))),
    ("mm 1d mat2", lambda t: _m(t).mm(t.ones(3))),
    ("mm 1d self", lambda t: t.ones(3).mm(t.ones(3, 3))),
    ("mm dtype", lambda t: _m(t).mm(t.ones(3, 3, dtype=t.float64))),
    ("matmul shapes", lambda t: _m(t) @ _m(t)),
    ("matmul 1d", lambda t: t.ones(3) @ t.ones(4)),
    ("matmul 0d", lambda t: t.tensor(1.) @ t.ones(3)),
    ("matmul mv", lambda t: _m(t) @ t.ones(2)),
    ("matmul vm", lambda t: t.ones(2) @ t.ones(3, 3)),
    ("matmul batch", lambda t: t.ones(2, 2, 3) @ t.ones(3, 3, 4)),
    ("matmul batch sizes", lambda t: t.ones(2, 2, 3) @ t.ones(2, 4, 4)),
    ("matmul fold", lambda t: t.ones(2, 2, 3) @ t.ones(4, 4)),
    ("matmul dtype", lambda t: _m(t) @ t.ones(3, 3, dtype=t.float64)),
    ("dot sizes", lambda t: t.dot(t.ones(3), t.ones(4))),
    ("dot 2d", lambda t: t.dot(_m(t), _m(t))),
    ("dot dtype", lambda t: t.dot(t.ones(3), t.ones(3, dtype=t.float64))),
    ("mv sizes", lambda t: t.mv(t.ones(3, 3), t.ones(4))),
    ("mv 1d", lambda t: t.mv(t.ones(3), t.ones(3))),
    ("bmm 2d", lambda t: t.bmm(t.ones(3, 3), t.ones(3, 3))),
    ("bmm shapes", lambda t: t.bmm(t.ones(2, 2, 3), t.ones(2, 2, 3))),
    ("bmm batch", lambda t: t.bmm(t.ones(2, 2, 3), t.ones(3, 3, 3))),
    ("outer 2d", lambda t: t.outer(_m(t), t.ones(3))),
    ("norm int", lambda t: t.ones(3, dtype=t.int64).norm()),
]


@pytest.mark.parametrize("name,fn", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


@pytest.mark.parametrize("sa,sb", [((2, 1), (1, 3)), ((1, 1), (1, 3)), ((3, 1), (1, 1)), ((2, 3, 1), (1, 2)),
                                   ((2, 2, 1), (2, 1, 2)), ((2, 1), (1,)), ((2, 2), (2, 2))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_signed_zeros_of_products_match_torch(sa, sb, dtype):
    """0 · -1 is -0: where torch's kernel multiplies without accumulating (an outer-product
    gemm) the sign survives, and prints as -0."""
    torch = pytest.importorskip("torch")
    a, b = np.zeros(sa, dtype=dtype), -np.ones(sb, dtype=dtype)
    ours = (gt.from_numpy(a) @ gt.from_numpy(b))._data
    theirs = (torch.from_numpy(a) @ torch.from_numpy(b)).numpy()
    assert np.array_equal(np.signbit(ours), np.signbit(theirs))
