"""Ops tutorials use beyond the core families (fmod, unique, scatter, meshgrid, diff, addcmul,
nansum, cummax...): each against PyTorch over shapes, dtypes and keyword arguments (values,
dtypes, grad_fn graphs, gradients to second order) and its error messages. Linear algebra is in
test_ops_more_linalg.py, argument checks in test_argument_checks.py."""

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt
from ops_more_util import calls, program_error, same_graph, same_output, second_order_matches


# -- binary math: fmod, atan2, hypot, logaddexp(2), copysign ---------------------------------------

BINARY = ["fmod", "atan2", "arctan2", "hypot", "logaddexp", "logaddexp2", "copysign"]
BINARY_SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((3,), (2, 1)), ((), (3,)), ((2, 3), ())]


def _away_from_jumps(shape, seed):
    # fmod jumps where self/other is an integer: keep |other| in [1, 2] and self off its multiples
    x = np.asarray(rand(*shape, seed=seed))
    return np.sign(x) * (1 + np.abs(x) % 1) if seed % 2 == 0 else x * 0.9 + 0.05


@pytest.mark.parametrize("sa,sb", BINARY_SHAPES)
@pytest.mark.parametrize("name", BINARY)
def test_binary_math_matches_torch(name, sa, sb):
    torch = pytest.importorskip("torch")
    x, y = _away_from_jumps(sa, 1), _away_from_jumps(sb, 2)
    for fn in (lambda t, a, b: getattr(t, name)(a, b), lambda t, a, b: getattr(a, name)(b)):
        compare_with_torch(torch, fn, x, y)
        compare_with_torch(torch, fn, x, y, dtype="float32")
        second_order_matches(torch, fn, [x, y])
    check_grads(lambda a, b: getattr(gt, name)(a, b), x, y)


@pytest.mark.parametrize("name", ["fmod", "copysign"])
@pytest.mark.parametrize("number", [2, -1.5, 0.75])
def test_binary_math_with_a_number_matches_torch(name, number):
    torch = pytest.importorskip("torch")
    x = _away_from_jumps((2, 3), 1)
    fn = lambda t, a: getattr(t, name)(a, number)  # noqa: E731
    compare_with_torch(torch, fn, x)
    second_order_matches(torch, fn, [x])


INTS = np.array([[3, -2, 0], [1, 5, -7]])
BINARY_DTYPE_CASES = [
    (n, xs) for n in BINARY for xs in (
        (INTS, np.array([2, -3, 4])), (INTS, np.array([1.5, -0.5, 2.0])), (INTS.astype(bool), np.array([True, False, True])),
        (INTS.astype("int32"), np.array([2, 3, 4])), (INTS, np.array([2, 0, 4])))]


@pytest.mark.parametrize("name,xs", BINARY_DTYPE_CASES, ids=lambda v: v if isinstance(v, str) else
                         "-".join(str(a.dtype) for a in v))
def test_binary_math_dtypes_and_kernel_errors_as_torch(name, xs):
    torch = pytest.importorskip("torch")
    fn = lambda t, a, b: getattr(t, name)(a, b)  # noqa: E731
    try:
        fn(torch, *[torch.from_numpy(a.copy()) for a in xs])
    except Exception:  # noqa: BLE001
        same_error(torch, lambda t: fn(t, *[t.from_numpy(a.copy()) for a in xs]))
        return
    compare_with_torch(torch, fn, *xs, grad=False)


def test_integer_fmod_and_floor_division_of_a_number_as_torch():
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda t, a: t.fmod(a, 3), INTS, grad=False)
    compare_with_torch(torch, lambda t, a: t.fmod(a, 2.5), INTS, grad=False)
    compare_with_torch(torch, lambda t, a: 7 // a, INTS + 10, grad=False)
    compare_with_torch(torch, lambda t, a: 2.5 // a, np.array([1.5, -2.0, 0.0, 0.25]), grad=False)
    for fn in (lambda t: t.fmod(t.tensor([1, 2]), 0), lambda t: 2 // t.tensor([1, 0]),
               lambda t: True // t.tensor([True]), lambda t: t.fmod(t.tensor([True]), t.tensor([True]))):
        same_error(torch, fn)


def test_floor_division_of_a_number_records_torchs_underivable_node():
    torch = pytest.importorskip("torch")
    for lib in (torch, gt):
        x = lib.tensor([1.5, -2.0], requires_grad=True)
        r = 2 // x
        assert type(r.grad_fn).__name__ == "NotImplemented"
        assert len(r.grad_fn.next_functions) == 1
    same_error(torch, lambda t: (2 // t.tensor([1.5, -2.0], requires_grad=True)).sum().backward())


BINARY_ERRORS = [
    "torch.atan2(a, 2)", "torch.hypot(a, 2)", "torch.logaddexp(a, 1.5)", "torch.fmod(2, a)", "torch.fmod(a)",
    "a.atan2(2)", "a.fmod(a, a)", "torch.fmod(a, torch.ones(4))", "torch.atan2(a, torch.ones(4))",
    "torch.hypot(a.long(), a.long())", "a.long().fmod_(2.5)", "a.long().atan2_(a.long())",
    "torch.logaddexp(a.long(), a.long())", "torch.copysign(a, 'x')", "a.hypot(other=2)",
]


@pytest.mark.parametrize("expr", BINARY_ERRORS)
def test_binary_math_errors_are_torchs(expr):
    program_error(expr)


def test_cross_default_dim_and_integer_dtypes_as_torch():
    torch = pytest.importorskip("torch")
    ints = np.arange(18).reshape(3, 2, 3) - 5
    compare_with_torch(torch, lambda t, a, b: t.cross(a, b), ints, ints[::-1].copy(), grad=False)
    compare_with_torch(torch, lambda t, a, b: t.kron(a, b), ints[0], ints[1], grad=False)
    compare_with_torch(torch, lambda t, a, b: t.kron(a, b), ints[0] > 0, ints[1] > 0, grad=False)


# -- unique, msort ---------------------------------------------------------------------------------

UNIQUE_INPUTS = [np.array([3, 1, 2, 3, 1, 7]), np.array([[1, 2], [1, 2], [0, 5]]), np.array([1.5, np.nan, 1.5, np.nan]),
                 np.array([True, False, True]), np.array(3.0), np.zeros(0), np.array([[2.5, 1.0], [2.5, -1.0]])]


@pytest.mark.parametrize("k", range(len(UNIQUE_INPUTS)))
@pytest.mark.parametrize("kwargs", [{}, {"return_inverse": True}, {"return_counts": True},
                                    {"sorted": False, "return_inverse": True, "return_counts": True},
                                    {"dim": 0, "return_inverse": True, "return_counts": True}, {"dim": -1}])
def test_unique_matches_torch(k, kwargs):
    torch = pytest.importorskip("torch")
    x = UNIQUE_INPUTS[k]
    if "dim" in kwargs and (x.ndim == 0 or x.size == 0 or x.dtype.kind == "f" and np.isnan(x).any()):
        return  # torch's unique_dim refuses or orders NaN rows its own way
    for fn in (lambda t, a: t.unique(a, **kwargs), lambda t, a: a.unique(**kwargs)):
        compare_with_torch(torch, fn, x, grad=False)


def test_unique_has_torchs_underivable_node_and_msort_sorts_dim_0():
    torch = pytest.importorskip("torch")
    for expr in ("torch.unique(a).sum().backward()", "torch.unique(a, dim=0).sum().backward()"):
        program_error(expr, "a = torch.tensor([[1.5, -2.0], [1.5, -2.0]], requires_grad=True)\n")
    x = np.array([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])
    compare_with_torch(torch, lambda t, a: t.msort(a), x)
    compare_with_torch(torch, lambda t, a: a.msort(), np.arange(6).reshape(3, 2)[::-1].copy(), grad=False)
    program_error("torch.msort(a, 0)")


# -- F.elu_, F.selu_, F.celu_ ------------------------------------------------------------------------

@pytest.mark.parametrize("call", ["F.elu_(h)", "F.elu_(h, 0.5)", "F.elu_(h, alpha=2)", "F.elu_(h, 1, 2, 3)",
                                  "F.selu_(h)", "F.celu_(h, 2.)", "F.celu_(h)", "torch.selu_(h)"])
def test_functional_in_place_activations_match_torch(call):
    torch = pytest.importorskip("torch")
    x = np.array([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])

    def fn(t, a):  # h: an in-place op needs a non-leaf
        return eval(call, {"torch": t, "F": t.nn.functional, "h": a * 1})  # noqa: S307 - this file's own calls

    compare_with_torch(torch, fn, x)
    compare_with_torch(torch, fn, x, dtype="float32")
    second_order_matches(torch, fn, [x])


@pytest.mark.parametrize("expr", ["F.elu_(a)", "F.elu_(a.long())", "F.elu_(x, 'x')", "F.elu_(x, 1, 2, 3, 4)",
                                  "F.elu_(3)", "F.selu_(a)", "F.celu_(x, 0)", "F.celu_(x.long())"])
def test_functional_in_place_activation_errors_are_torchs(expr):
    program_error(expr, "import torch.nn.functional as F\nx = torch.tensor([1.5, -2.0])\n"
                         "a = torch.tensor([1.5, -2.0], requires_grad=True)\n")


# -- scatter, scatter_add, take_along_dim, masked_select ------------------------------------------

_SCATTER_SETUP = """a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
s = torch.tensor([[10., 20., 30.], [40., 50., 60.]], requires_grad=True)
idx = torch.tensor([[0, 1, 2], [2, 0, 1]])
i = torch.tensor([[3, -2, 0], [1, 5, -7]])
"""


SCATTER_CALLS = calls("scatter")


@pytest.mark.parametrize("expr", SCATTER_CALLS)
def test_scatter_family_matches_torch(expr):
    same_output(expr, _SCATTER_SETUP)


@pytest.mark.parametrize("fn", [lambda t, x, y: t.scatter(x, 1, t.tensor([[0, 1, 2], [2, 0, 1]]), y),
                                lambda t, x, y: t.scatter_add(x, 0, t.tensor([[1, 1, 0], [0, 0, 0]]), y),
                                lambda t, x, y: x.scatter(1, t.tensor([[2, 1, 0], [0, 2, 1]]), 2.5) * y,
                                lambda t, x, y: t.take_along_dim(x, t.argsort(y, dim=1), dim=1),
                                lambda t, x, y: t.masked_select(x * y, y > 0)])
def test_scatter_family_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    second_order_matches(torch, fn, [x, y])
    check_grads(lambda *xs: fn(gt, *xs), x, y)


# -- meshgrid, cartesian_prod, broadcast_to/_tensors, atleast_nd -----------------------------------

_GRID_SETUP = """v = torch.tensor([1., 2, 3], requires_grad=True)
w = torch.tensor([4., 5], requires_grad=True)
a = torch.ones(2, 3, requires_grad=True)
s = torch.tensor(2., requires_grad=True)
i = torch.tensor([1, 2])
"""


@pytest.mark.parametrize("expr", calls("grids"))
def test_grid_and_broadcast_composites_match_torch(expr):
    same_output(expr, _GRID_SETUP)


@pytest.mark.parametrize("fn", [lambda t, x, y: t.meshgrid(x, y, indexing="xy")[0] * t.meshgrid(x, y, indexing="ij")[1].T,
                                lambda t, x, y: t.cartesian_prod(x, y).prod(1),
                                lambda t, x, y: t.broadcast_tensors(x[:, None], y)[0] * y,
                                lambda t, x, y: t.atleast_3d(x) * t.broadcast_to(y, (1, 3, 3))])
def test_grid_composites_gradients_and_graphs(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(3, seed=1)), np.asarray(rand(3, seed=2))
    compare_with_torch(torch, fn, x, y)
    second_order_matches(torch, fn, [x, y])
    same_graph(torch, fn, [x, y])


# -- addcmul, addcdiv, deg2rad, rad2deg ------------------------------------------------------------

_POINTWISE_SETUP = """a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
b = torch.tensor([2.0, -0.75, 1.25], requires_grad=True)
c = torch.tensor([[0.5], [4.0]], requires_grad=True)
i = torch.tensor([[3, -2, 1], [1, 5, -7]])
"""


@pytest.mark.parametrize("expr", calls("pointwise"))
def test_pointwise_ops_match_torch(expr):
    same_output(expr, _POINTWISE_SETUP)


@pytest.mark.parametrize("fn", [lambda t, x, y, z: t.addcmul(x, y, z, value=0.3),
                                lambda t, x, y, z: t.addcdiv(x, y, z + 3, value=-1.5),
                                lambda t, x, y, z: t.deg2rad(x) * t.rad2deg(y) * z])
def test_pointwise_ops_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(2, 3, seed=1)), np.asarray(rand(3, seed=2)), np.asarray(rand(2, 1, seed=3))]
    compare_with_torch(torch, fn, *arrays)
    compare_with_torch(torch, fn, *arrays, dtype="float32")
    second_order_matches(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


@pytest.mark.parametrize("expr", calls("nan_reductions"))
def test_nansum_and_nanmean_match_torch(expr):
    same_output(expr, "i = torch.tensor([[3, -2, 1], [1, 5, -7]])\n"
                       "n = torch.tensor([[1.5, float('nan'), 0.0], [float('nan'), 3.0, -0.5]], requires_grad=True)\n")


@pytest.mark.parametrize("expr", calls("repeat_interleave"))
def test_repeat_interleave_matches_torch(expr):
    same_output(expr, "v = torch.tensor([1., -2, 3], requires_grad=True)\nr = torch.tensor([1, 0, 2])\n"
                       "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n")


@pytest.mark.parametrize("fn", [lambda t, x: t.repeat_interleave(x, 2), lambda t, x: x.repeat_interleave(3, dim=1),
                                lambda t, x: t.repeat_interleave(x, t.tensor([2, 0, 1]), dim=1)])
def test_repeat_interleave_gradients_and_graphs(fn):
    torch = pytest.importorskip("torch")
    x = np.asarray(rand(2, 3, seed=1))
    compare_with_torch(torch, fn, x)
    second_order_matches(torch, lambda t, a: fn(t, a) * fn(t, a), [x])
    same_graph(torch, fn, [x])


# -- cummax, cummin, logcumsumexp ------------------------------------------------------------------

@pytest.mark.parametrize("expr", calls("cumulative"))
def test_cumulative_ops_match_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0, 4.0], [0.25, 3.0, -0.5, 3.0]], requires_grad=True)\n"
                       "i = torch.tensor([[3, -2, 3, 1], [1, 5, -7, 5]])\n"
                       "n = torch.tensor([1.0, float('nan'), 0.5, 2.0], requires_grad=True)\n")


@pytest.mark.parametrize("fn", [lambda t, x: t.cummax(x, 1).values, lambda t, x: x.cummin(0)[0] * x,
                                lambda t, x: t.logcumsumexp(x, 1), lambda t, x: t.logcumsumexp(x * x, 0) * x])
def test_cumulative_ops_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    x = np.asarray(rand(3, 4, seed=1))
    compare_with_torch(torch, fn, x)
    second_order_matches(torch, fn, [x])
    check_grads(lambda a: fn(gt, a), x)


# -- index_add, index_fill, index_copy -------------------------------------------------------------

@pytest.mark.parametrize("expr", calls("index_ops"))
def test_index_ops_match_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5], [1., 1., 1.]], requires_grad=True)\n"
                       "s = torch.tensor([[10., 20., 30.], [40., 50., 60.]], requires_grad=True)\n"
                       "idx = torch.tensor([0, 2])\ni = torch.tensor([[3, -2, 0], [1, 5, -7], [0, 0, 1]])\n")


@pytest.mark.parametrize("fn", [lambda t, x, y: t.index_add(x, 0, t.tensor([2, 0]), y, alpha=-1.5) * x,
                                lambda t, x, y: x.index_fill(1, t.tensor([0, 2]), -1.0) * x,
                                lambda t, x, y: t.index_copy(x, 0, t.tensor([1, 0]), y) * x])
def test_index_ops_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(3, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    second_order_matches(torch, fn, [x, y])
    check_grads(lambda *xs: fn(gt, *xs), x, y)


@pytest.mark.parametrize("expr", calls("counting"))
def test_counting_and_bucketing_match_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5], [1., 1., 1.]], requires_grad=True)\n"
                       "i = torch.tensor([[3, -2, 0], [1, 5, -7], [0, 0, 1]])\n")


# -- rot90, block_diag, tensor_split ---------------------------------------------------------------

@pytest.mark.parametrize("expr", calls("blocks"))
def test_block_ops_match_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
                       "c = torch.arange(24.).reshape(2, 3, 4).requires_grad_()\n")


@pytest.mark.parametrize("fn", [lambda t, x, y: t.rot90(x * y, 3, [1, 0]),
                                lambda t, x, y: t.block_diag(x, y[0], y[1][1]),
                                lambda t, x, y: t.tensor_split(x * y, [1], dim=1)[1]])
def test_block_ops_gradients_and_graphs(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    second_order_matches(torch, lambda t, a, b: fn(t, a, b) * fn(t, a, b), [x, y])
    same_graph(torch, fn, [x, y])


@pytest.mark.parametrize("expr", calls("stacks_splits"))
def test_directed_stacks_and_splits_match_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
                       "v = torch.tensor([1., 2, 3], requires_grad=True)\ns = torch.tensor(2., requires_grad=True)\n"
                       "c = torch.arange(24.).reshape(2, 3, 4).requires_grad_()\n")


@pytest.mark.parametrize("fn", [lambda t, x, y: t.dstack([x, y]), lambda t, x, y: t.column_stack([x.T, y[0]]),
                                lambda t, x, y: t.hsplit(x * y, [1])[1], lambda t, x, y: t.vsplit(x * y, 2)[0]])
def test_directed_stacks_and_splits_graphs(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    same_graph(torch, fn, [x, y])


@pytest.mark.parametrize("expr", calls("float_power_dist"))
def test_float_power_and_dist_match_torch(expr):
    same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
                       "b = torch.tensor([2.0, -0.75, 1.25], requires_grad=True)\ni = torch.tensor([[3, -2, 0], [1, 5, -7]])\n")


@pytest.mark.parametrize("p", [2, 1, 3, 1.5, float("inf")])
def test_dist_gradients_to_second_order(p):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(3, seed=2))
    fn = lambda t, a, b: t.dist(a, b, p)  # noqa: E731
    compare_with_torch(torch, fn, x, y)
    second_order_matches(torch, fn, [x, y])
    check_grads(lambda a, b: gt.dist(a, b, p), x, y, order=1 if p == float("inf") else 2)
