"""Linear-algebra ops beyond matmul (einsum, cross, kron, tensordot, det/inv/solve, cdist, addmm)
against PyTorch: values, dtypes, grad_fn graphs, gradients to second order, errors."""

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt
from ops_more_util import calls, program_error, same_graph, same_output, second_order_matches


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
    same_graph(torch, lambda t, *xs: t.einsum(equation, *xs), arrays)
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


# -- cross, kron -----------------------------------------------------------------------------------

PRODUCT_CASES = [
    ("cross", lambda t, a, b: t.cross(a, b, dim=1), [(2, 3), (2, 3)]),
    ("cross dim 0", lambda t, a, b: t.cross(a, b, 0), [(3, 2), (3, 2)]),
    ("cross method", lambda t, a, b: a.cross(b, dim=-1), [(4, 3), (1, 3)]),
    ("linalg.cross", lambda t, a, b: t.linalg.cross(a, b), [(2, 3), (2, 3)]),
    ("linalg.cross broadcast", lambda t, a, b: t.linalg.cross(a, b, dim=0), [(3, 1), (3, 4)]),
    ("linalg.cross 1d", lambda t, a, b: t.linalg.cross(a, b), [(3,), (3,)]),
    ("kron", lambda t, a, b: t.kron(a, b), [(2, 3), (2, 2)]),
    ("kron vector", lambda t, a, b: t.kron(a, b), [(3,), (2,)]),
    ("kron mixed ranks", lambda t, a, b: a.kron(b), [(2,), (2, 3)]),
    ("kron 3d", lambda t, a, b: t.kron(a, b), [(2, 1, 2), (2, 2)]),
    ("kron 0-d", lambda t, a, b: t.kron(a, b), [(2, 3), ()]),
]


@pytest.mark.parametrize("name,fn,shapes", PRODUCT_CASES, ids=[c[0] for c in PRODUCT_CASES])
def test_products_match_torch(name, fn, shapes):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(*s, seed=i + 1)) for i, s in enumerate(shapes)]
    compare_with_torch(torch, fn, *arrays)
    compare_with_torch(torch, fn, *arrays, dtype="float32")
    second_order_matches(torch, fn, arrays)
    same_graph(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


PRODUCT_ERRORS = [
    "torch.cross(a, b, dim=0)", "torch.cross(c, c, dim=-1)", "torch.cross(a, b[0])", "torch.cross(a, a.long())",
    "torch.cross(a.bool(), b.bool())", "torch.cross(a, 2)", "torch.linalg.cross(c, c)",
    "torch.linalg.cross(a, torch.ones(3, 1, 3))", "torch.linalg.cross(a, b, dim=2)", "torch.kron(a, 2)",
    "torch.cross(torch.ones(2, 2), torch.ones(2, 2))", "torch.cross(a, a, 1.5)", "torch.kron(a)",
    "torch.linalg.cross(a, torch.ones(4, 3))",
]


@pytest.mark.parametrize("expr", PRODUCT_ERRORS)
def test_product_errors_are_torchs(expr):
    program_error(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\nb = a * 2\nc = torch.ones(3, 2)\n")


# -- diff, tensordot -------------------------------------------------------------------------------

@pytest.mark.parametrize("expr", calls("diff"))
def test_diff_matches_torch(expr):
    same_output(expr, "v = torch.tensor([1., 4, 9, 16], requires_grad=True)\n"
                       "a = torch.tensor([[1., 2, 4], [7, 11, 16]], requires_grad=True)\n")


@pytest.mark.parametrize("expr", calls("tensordot"))
def test_tensordot_matches_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
                       "b = (torch.arange(12.) / 7).reshape(3, 4).requires_grad_()\n"
                       "v = torch.tensor([1., -2, 3], requires_grad=True)\nc = torch.ones(3, 1, 4, requires_grad=True)\n")


@pytest.mark.parametrize("fn,shapes", [
    (lambda t, x, y: t.tensordot(x, y, dims=1), [(2, 3), (3, 4)]),
    (lambda t, x, y: t.tensordot(x, y, dims=([0, 2], [2, 0])), [(2, 3, 4), (4, 5, 2)]),
    (lambda t, x, y: t.tensordot(x, y), [(2, 3), (2, 3)]),
    (lambda t, x, y: t.diff(x * y, n=2, dim=0, prepend=y), [(4, 3), (4, 3)]),
])
def test_diff_and_tensordot_gradients_and_graphs(fn, shapes):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(*s, seed=i + 1)) for i, s in enumerate(shapes)]
    compare_with_torch(torch, fn, *arrays)
    second_order_matches(torch, fn, arrays)
    same_graph(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


# -- det, inv, solve -------------------------------------------------------------------------------

_MATRIX_SETUP = """A = torch.tensor([[2.0, 1.0, 0.5], [1.0, 3.0, -1.0], [0.5, -1.0, 4.0]], requires_grad=True)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], requires_grad=True)
v = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
S = torch.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
Bt = torch.stack([A.detach(), A.detach() * 2]).requires_grad_()
"""


@pytest.mark.parametrize("expr", calls("matrix_functions"))
def test_matrix_functions_match_torch(expr):
    same_output(expr, _MATRIX_SETUP)


@pytest.mark.parametrize("fn,shapes", [
    (lambda t, a: t.det(a), [(3, 3)]), (lambda t, a: t.linalg.det(a), [(2, 3, 3)]),
    (lambda t, a: t.inverse(a), [(3, 3)]), (lambda t, a: t.linalg.inv(a), [(2, 2, 2)]),
    (lambda t, a, b: t.linalg.solve(a, b), [(3, 3), (3, 2)]), (lambda t, a, b: t.linalg.solve(a, b), [(3, 3), (3,)]),
    (lambda t, a, b: t.linalg.solve(a, b), [(2, 3, 3), (3,)]),
])
def test_matrix_functions_gradients_to_second_order(fn, shapes):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(*s, seed=i + 1)) + (3 * np.eye(s[-1]) if i == 0 else 0) for i, s in enumerate(shapes)]
    compare_with_torch(torch, fn, *arrays)
    second_order_matches(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


@pytest.mark.parametrize("expr", calls("cdist"))
def test_cdist_matches_torch(expr):
    same_output(expr, "x = torch.tensor([[0., 1.], [2., 3.], [1., -1.]], requires_grad=True)\n"
                       "y = torch.tensor([[1., 1.], [0., 2.]], requires_grad=True)\n")


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 1.5, 0.5, float("inf")])
@pytest.mark.parametrize("shapes", [[(4, 3), (5, 3)], [(2, 4, 3), (2, 5, 3)], [(1, 4, 3), (5, 3)]])
def test_cdist_values_and_first_derivatives(p, shapes):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(*s, seed=i + 1)) for i, s in enumerate(shapes)]
    fn = lambda t, a, b: t.cdist(a, b, p=p)  # noqa: E731
    compare_with_torch(torch, fn, *arrays)
    compare_with_torch(torch, fn, *arrays, dtype="float32", grad=False)  # float32 grads: sums in another order
    check_grads(lambda *xs: gt.cdist(*xs, p=p), *arrays, order=1)


@pytest.mark.parametrize("expr", calls("addmm"))
def test_addmm_matches_torch(expr):
    same_output(expr, "b = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n"
                       "x = torch.tensor([[1.5, -2.0], [0.25, 3.0]], requires_grad=True)\n"
                       "w = torch.tensor([[1.0, 0.5, -1.0], [2.0, -0.25, 0.75]], requires_grad=True)\n"
                       "m = torch.ones(2, 3, requires_grad=True)\n")


@pytest.mark.parametrize("beta,alpha", [(1, 1), (0.5, 2), (0, -1.5)])
def test_addmm_gradients_to_second_order(beta, alpha):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(3, seed=1)), np.asarray(rand(2, 4, seed=2)), np.asarray(rand(4, 3, seed=3))]
    fn = lambda t, s, a, b: t.addmm(s, a, b, beta=beta, alpha=alpha) ** 2  # noqa: E731
    compare_with_torch(torch, fn, *arrays)
    second_order_matches(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)

