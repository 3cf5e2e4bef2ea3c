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


def _second_order_matches(real_torch, fn, arrays):
    """grad with create_graph: the first derivatives' grad_fn names and the second
    derivatives (of the squared first ones) are torch's."""
    results = []
    for lib in (real_torch, gt):
        xs = [lib.from_numpy(np.array(a)).requires_grad_() for a in arrays]
        out = fn(lib, *xs)
        w = lib.from_numpy(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))
        gs = lib.autograd.grad((out * w).sum(), xs, create_graph=True, allow_unused=True)
        names = [None if g is None or g.grad_fn is None else type(g.grad_fn).__name__ for g in gs]
        terms = [(g * g).sum() for g in gs if g is not None and g.requires_grad]
        second = []
        if terms:
            second = lib.autograd.grad(sum(terms[1:], terms[0]), xs, allow_unused=True)
        results.append((names, [None if g is None else np.asarray(g.detach().numpy(force=True) if lib is real_torch
                                                                     else g._data) for g in second]))
    (tn, ts), (gn, gs) = results
    assert gn == tn
    assert len(gs) == len(ts)
    for g, t in zip(gs, ts):
        assert (g is None) == (t is None)
        if t is not None:
            np.testing.assert_allclose(g, t, rtol=1e-9, atol=1e-12)


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
        _second_order_matches(torch, fn, [x, y])
    check_grads(lambda a, b: getattr(gt, name)(a, b), x, y)


@pytest.mark.parametrize("name", ["fmod", "copysign"])
@pytest.mark.parametrize("number", [2, -1.5, 0.75])
def test_binary_math_with_a_number_matches_torch(name, number):
    torch = pytest.importorskip("torch")
    x = _away_from_jumps((2, 3), 1)
    fn = lambda t, a: getattr(t, name)(a, number)  # noqa: E731
    compare_with_torch(torch, fn, x)
    _second_order_matches(torch, fn, [x])


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


_SHOW = "print(r)\nif isinstance(r, torch.Tensor):\n    print(r.dtype, r.requires_grad, r.grad_fn)\n"


def _same_output(expr, setup="a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\n"):
    """A program evaluating ``expr`` prints the same (value, dtype, grad_fn) or ends with the
    same error under gradcli and under torch (argument errors come from the interpreter's
    model of torch's parser, so the program, not the op, is what is compared)."""
    import contextlib
    import io
    import re

    from gradcli.errors import SourceError
    from gradcli.interp import run
    from gradcli.syntax import parse
    pytest.importorskip("torch")
    source = f"import torch\nimport torch.nn.functional as F\n{setup}r = {expr}\n{_SHOW}"
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            exec(source, {})  # noqa: S102 - this file's own programs, under PyTorch
    except Exception as e:  # noqa: BLE001 - an error's first line (the parser's per-overload notes aside)
        kind = type(e).__name__ if type(e).__module__ == "builtins" else f"{type(e).__module__}.{type(e).__name__}"
        out.write(f"{kind}: {e}".splitlines()[0])  # as Python's traceback names it
    want = out.getvalue()
    out = io.StringIO()
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            run(parse(source, "t.py"), stdout=out)
    except SourceError as e:
        out.write(e.message.splitlines()[0])
    got = out.getvalue()
    assert re.sub(r"0x[0-9a-f]+", "", got) == re.sub(r"0x[0-9a-f]+", "", want)


def _program_error(expr, setup="a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\n"):
    _same_output(expr, setup)


BINARY_ERRORS = [
    "torch.atan2(a, 2)", "torch.hypot(a, 2)", "torch.logaddexp(a, 1.5)", "torch.fmod(2, a)", "torch.fmod(a)",
    "a.atan2(2)", "a.fmod(a, a)", "torch.fmod(a, torch.ones(4))", "torch.atan2(a, torch.ones(4))",
    "torch.hypot(a.long(), a.long())", "a.long().fmod_(2.5)", "a.long().atan2_(a.long())",
    "torch.logaddexp(a.long(), a.long())", "torch.copysign(a, 'x')", "a.hypot(other=2)",
]


@pytest.mark.parametrize("expr", BINARY_ERRORS)
def test_binary_math_errors_are_torchs(expr):
    _program_error(expr)


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
    _second_order_matches(torch, fn, arrays)
    _same_graph(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


def test_cross_default_dim_and_integer_dtypes_as_torch():
    torch = pytest.importorskip("torch")
    ints = np.arange(18).reshape(3, 2, 3) - 5
    compare_with_torch(torch, lambda t, a, b: t.cross(a, b), ints, ints[::-1].copy(), grad=False)
    compare_with_torch(torch, lambda t, a, b: t.kron(a, b), ints[0], ints[1], grad=False)
    compare_with_torch(torch, lambda t, a, b: t.kron(a, b), ints[0] > 0, ints[1] > 0, grad=False)


PRODUCT_ERRORS = [
    "torch.cross(a, b, dim=0)", "torch.cross(c, c, dim=-1)", "torch.cross(a, b[0])", "torch.cross(a, a.long())",
    "torch.cross(a.bool(), b.bool())", "torch.cross(a, 2)", "torch.linalg.cross(c, c)",
    "torch.linalg.cross(a, torch.ones(3, 1, 3))", "torch.linalg.cross(a, b, dim=2)", "torch.kron(a, 2)",
    "torch.cross(torch.ones(2, 2), torch.ones(2, 2))", "torch.cross(a, a, 1.5)", "torch.kron(a)",
    "torch.linalg.cross(a, torch.ones(4, 3))",
]


@pytest.mark.parametrize("expr", PRODUCT_ERRORS)
def test_product_errors_are_torchs(expr):
    _program_error(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\nb = a * 2\nc = torch.ones(3, 2)\n")


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
        _program_error(expr, "a = torch.tensor([[1.5, -2.0], [1.5, -2.0]], requires_grad=True)\n")
    x = np.array([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])
    compare_with_torch(torch, lambda t, a: t.msort(a), x)
    compare_with_torch(torch, lambda t, a: a.msort(), np.arange(6).reshape(3, 2)[::-1].copy(), grad=False)
    _program_error("torch.msort(a, 0)")


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
    _second_order_matches(torch, fn, [x])


@pytest.mark.parametrize("expr", ["F.elu_(a)", "F.elu_(a.long())", "F.elu_(x, 'x')", "F.elu_(x, 1, 2, 3, 4)",
                                  "F.elu_(3)", "F.selu_(a)", "F.celu_(x, 0)", "F.celu_(x.long())"])
def test_functional_in_place_activation_errors_are_torchs(expr):
    _program_error(expr, "import torch.nn.functional as F\nx = torch.tensor([1.5, -2.0])\n"
                         "a = torch.tensor([1.5, -2.0], requires_grad=True)\n")


# -- scatter, scatter_add, take_along_dim, masked_select ------------------------------------------

_SCATTER_SETUP = """a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
s = torch.tensor([[10., 20., 30.], [40., 50., 60.]], requires_grad=True)
idx = torch.tensor([[0, 1, 2], [2, 0, 1]])
i = torch.tensor([[3, -2, 0], [1, 5, -7]])
"""
def _calls(name):
    """One expression a line from tests/ops_more_cases/<name>.txt (run under gradcli and torch)."""
    from pathlib import Path
    text = (Path(__file__).parent / "ops_more_cases" / f"{name}.txt").read_text()
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


SCATTER_CALLS = _calls("scatter")


@pytest.mark.parametrize("expr", SCATTER_CALLS)
def test_scatter_family_matches_torch(expr):
    _same_output(expr, _SCATTER_SETUP)


@pytest.mark.parametrize("fn", [lambda t, x, y: t.scatter(x, 1, t.tensor([[0, 1, 2], [2, 0, 1]]), y),
                                lambda t, x, y: t.scatter_add(x, 0, t.tensor([[1, 1, 0], [0, 0, 0]]), y),
                                lambda t, x, y: x.scatter(1, t.tensor([[2, 1, 0], [0, 2, 1]]), 2.5) * y,
                                lambda t, x, y: t.take_along_dim(x, t.argsort(y, dim=1), dim=1),
                                lambda t, x, y: t.masked_select(x * y, y > 0)])
def test_scatter_family_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    _second_order_matches(torch, fn, [x, y])
    check_grads(lambda *xs: fn(gt, *xs), x, y)


# -- argument checks: in-place ops on a leaf that requires grad check the leaf first ----------------

_LEAF_SETUP = """g = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
g3 = torch.ones(2, 2, 2, requires_grad=True)
b = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])
"""


@pytest.mark.parametrize("expr", _calls("inplace_leaf_order"))
def test_in_place_ops_check_the_leaf_in_torchs_order(expr):
    _same_output(expr, _LEAF_SETUP)


# -- argument checks: a float argument takes a number or a 0-d tensor, not another tensor ----------

@pytest.mark.parametrize("expr", _calls("float_arguments"))
def test_float_arguments_as_torchs_parser_takes_them(expr):
    _same_output(expr, "b = torch.tensor([[0.5, 0.2, 0.0], [0.25, 0.9, 1.0]])\n")


@pytest.mark.parametrize("expr", _calls("dtype_instances"))
def test_torch_dtype_makes_no_instances(expr):
    _same_output(expr, "b = torch.ones(2)\n")


@pytest.mark.parametrize("expr", _calls("softmin_bool"))
def test_softmin_negates_before_its_dim_is_parsed(expr):
    _same_output(expr, "t = torch.tensor([True, False, True])\nb = torch.ones(2, 3)\n")


# -- meshgrid, cartesian_prod, broadcast_to/_tensors, atleast_nd -----------------------------------

_GRID_SETUP = """v = torch.tensor([1., 2, 3], requires_grad=True)
w = torch.tensor([4., 5], requires_grad=True)
a = torch.ones(2, 3, requires_grad=True)
s = torch.tensor(2., requires_grad=True)
i = torch.tensor([1, 2])
"""


@pytest.mark.parametrize("expr", _calls("grids"))
def test_grid_and_broadcast_composites_match_torch(expr):
    _same_output(expr, _GRID_SETUP)


@pytest.mark.parametrize("fn", [lambda t, x, y: t.meshgrid(x, y, indexing="xy")[0] * t.meshgrid(x, y, indexing="ij")[1].T,
                                lambda t, x, y: t.cartesian_prod(x, y).prod(1),
                                lambda t, x, y: t.broadcast_tensors(x[:, None], y)[0] * y,
                                lambda t, x, y: t.atleast_3d(x) * t.broadcast_to(y, (1, 3, 3))])
def test_grid_composites_gradients_and_graphs(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(3, seed=1)), np.asarray(rand(3, seed=2))
    compare_with_torch(torch, fn, x, y)
    _second_order_matches(torch, fn, [x, y])
    _same_graph(torch, fn, [x, y])


# -- diff, tensordot -------------------------------------------------------------------------------

@pytest.mark.parametrize("expr", _calls("diff"))
def test_diff_matches_torch(expr):
    _same_output(expr, "v = torch.tensor([1., 4, 9, 16], requires_grad=True)\n"
                       "a = torch.tensor([[1., 2, 4], [7, 11, 16]], requires_grad=True)\n")


@pytest.mark.parametrize("expr", _calls("tensordot"))
def test_tensordot_matches_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
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
    _second_order_matches(torch, fn, arrays)
    _same_graph(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


# -- argument checks: a float where torch's parser wants an int (dims of 0-d tensors too) -----------

_FLOAT_DIM_SETUP = """a = torch.tensor(2.5)
b = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])
g = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
t = torch.tensor([True, False, True])
"""


@pytest.mark.parametrize("expr", _calls("float_dims"))
def test_float_dims_are_refused_as_torchs_parser_does(expr):
    _same_output(expr, _FLOAT_DIM_SETUP)


@pytest.mark.parametrize("expr", _calls("inplace_cast_first"))
def test_in_place_division_refuses_the_cast_before_its_kernel(expr):
    _same_output(expr, "t = torch.tensor([True, False, True])\ni = torch.tensor([3, -2, 0])\n"
                       "f = torch.tensor([1.5, -2.0, 0.5])\n")


# -- addcmul, addcdiv, deg2rad, rad2deg ------------------------------------------------------------

_POINTWISE_SETUP = """a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)
b = torch.tensor([2.0, -0.75, 1.25], requires_grad=True)
c = torch.tensor([[0.5], [4.0]], requires_grad=True)
i = torch.tensor([[3, -2, 1], [1, 5, -7]])
"""


@pytest.mark.parametrize("expr", _calls("pointwise"))
def test_pointwise_ops_match_torch(expr):
    _same_output(expr, _POINTWISE_SETUP)


@pytest.mark.parametrize("fn", [lambda t, x, y, z: t.addcmul(x, y, z, value=0.3),
                                lambda t, x, y, z: t.addcdiv(x, y, z + 3, value=-1.5),
                                lambda t, x, y, z: t.deg2rad(x) * t.rad2deg(y) * z])
def test_pointwise_ops_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(2, 3, seed=1)), np.asarray(rand(3, seed=2)), np.asarray(rand(2, 1, seed=3))]
    compare_with_torch(torch, fn, *arrays)
    compare_with_torch(torch, fn, *arrays, dtype="float32")
    _second_order_matches(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


@pytest.mark.parametrize("expr", _calls("nan_reductions"))
def test_nansum_and_nanmean_match_torch(expr):
    _same_output(expr, "i = torch.tensor([[3, -2, 1], [1, 5, -7]])\n"
                       "n = torch.tensor([[1.5, float('nan'), 0.0], [float('nan'), 3.0, -0.5]], requires_grad=True)\n")


# -- det, inv, solve -------------------------------------------------------------------------------

_MATRIX_SETUP = """A = torch.tensor([[2.0, 1.0, 0.5], [1.0, 3.0, -1.0], [0.5, -1.0, 4.0]], requires_grad=True)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], requires_grad=True)
v = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
S = torch.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
Bt = torch.stack([A.detach(), A.detach() * 2]).requires_grad_()
"""


@pytest.mark.parametrize("expr", _calls("matrix_functions"))
def test_matrix_functions_match_torch(expr):
    _same_output(expr, _MATRIX_SETUP)


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
    _second_order_matches(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)


@pytest.mark.parametrize("expr", _calls("repeat_interleave"))
def test_repeat_interleave_matches_torch(expr):
    _same_output(expr, "v = torch.tensor([1., -2, 3], requires_grad=True)\nr = torch.tensor([1, 0, 2])\n"
                       "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n")


@pytest.mark.parametrize("fn", [lambda t, x: t.repeat_interleave(x, 2), lambda t, x: x.repeat_interleave(3, dim=1),
                                lambda t, x: t.repeat_interleave(x, t.tensor([2, 0, 1]), dim=1)])
def test_repeat_interleave_gradients_and_graphs(fn):
    torch = pytest.importorskip("torch")
    x = np.asarray(rand(2, 3, seed=1))
    compare_with_torch(torch, fn, x)
    _second_order_matches(torch, lambda t, a: fn(t, a) * fn(t, a), [x])
    _same_graph(torch, fn, [x])


@pytest.mark.parametrize("expr", _calls("cdist"))
def test_cdist_matches_torch(expr):
    _same_output(expr, "x = torch.tensor([[0., 1.], [2., 3.], [1., -1.]], requires_grad=True)\n"
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


# -- cummax, cummin, logcumsumexp ------------------------------------------------------------------

@pytest.mark.parametrize("expr", _calls("cumulative"))
def test_cumulative_ops_match_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0, 4.0], [0.25, 3.0, -0.5, 3.0]], requires_grad=True)\n"
                       "i = torch.tensor([[3, -2, 3, 1], [1, 5, -7, 5]])\n"
                       "n = torch.tensor([1.0, float('nan'), 0.5, 2.0], requires_grad=True)\n")


@pytest.mark.parametrize("fn", [lambda t, x: t.cummax(x, 1).values, lambda t, x: x.cummin(0)[0] * x,
                                lambda t, x: t.logcumsumexp(x, 1), lambda t, x: t.logcumsumexp(x * x, 0) * x])
def test_cumulative_ops_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    x = np.asarray(rand(3, 4, seed=1))
    compare_with_torch(torch, fn, x)
    _second_order_matches(torch, fn, [x])
    check_grads(lambda a: fn(gt, a), x)


# -- index_add, index_fill, index_copy -------------------------------------------------------------

@pytest.mark.parametrize("expr", _calls("index_ops"))
def test_index_ops_match_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5], [1., 1., 1.]], requires_grad=True)\n"
                       "s = torch.tensor([[10., 20., 30.], [40., 50., 60.]], requires_grad=True)\n"
                       "idx = torch.tensor([0, 2])\ni = torch.tensor([[3, -2, 0], [1, 5, -7], [0, 0, 1]])\n")


@pytest.mark.parametrize("fn", [lambda t, x, y: t.index_add(x, 0, t.tensor([2, 0]), y, alpha=-1.5) * x,
                                lambda t, x, y: x.index_fill(1, t.tensor([0, 2]), -1.0) * x,
                                lambda t, x, y: t.index_copy(x, 0, t.tensor([1, 0]), y) * x])
def test_index_ops_gradients_to_second_order(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(3, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    _second_order_matches(torch, fn, [x, y])
    check_grads(lambda *xs: fn(gt, *xs), x, y)


@pytest.mark.parametrize("expr", _calls("matrix_leftovers"))
def test_new_ops_odd_arguments_as_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\nz = torch.tensor(3)\n")


@pytest.mark.parametrize("expr", _calls("counting"))
def test_counting_and_bucketing_match_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5], [1., 1., 1.]], requires_grad=True)\n"
                       "i = torch.tensor([[3, -2, 0], [1, 5, -7], [0, 0, 1]])\n")


# -- rot90, block_diag, tensor_split ---------------------------------------------------------------

@pytest.mark.parametrize("expr", _calls("blocks"))
def test_block_ops_match_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
                       "c = torch.arange(24.).reshape(2, 3, 4).requires_grad_()\n")


@pytest.mark.parametrize("fn", [lambda t, x, y: t.rot90(x * y, 3, [1, 0]),
                                lambda t, x, y: t.block_diag(x, y[0], y[1][1]),
                                lambda t, x, y: t.tensor_split(x * y, [1], dim=1)[1]])
def test_block_ops_gradients_and_graphs(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    _second_order_matches(torch, lambda t, a, b: fn(t, a, b) * fn(t, a, b), [x, y])
    _same_graph(torch, fn, [x, y])


@pytest.mark.parametrize("expr", _calls("matrix_leftovers2"))
def test_new_ops_edge_arguments_as_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])\n"
                       "d = torch.tensor([1.5, -2.0, 0.0], dtype=torch.float64)\nz = torch.tensor(2.5)\n"
                       "e = torch.zeros(0, 3)\nzi = torch.tensor(3)\n")


@pytest.mark.parametrize("expr", _calls("stacks_splits"))
def test_directed_stacks_and_splits_match_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
                       "v = torch.tensor([1., 2, 3], requires_grad=True)\ns = torch.tensor(2., requires_grad=True)\n"
                       "c = torch.arange(24.).reshape(2, 3, 4).requires_grad_()\n")


@pytest.mark.parametrize("fn", [lambda t, x, y: t.dstack([x, y]), lambda t, x, y: t.column_stack([x.T, y[0]]),
                                lambda t, x, y: t.hsplit(x * y, [1])[1], lambda t, x, y: t.vsplit(x * y, 2)[0]])
def test_directed_stacks_and_splits_graphs(fn):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(2, 3, seed=2))
    compare_with_torch(torch, fn, x, y)
    _same_graph(torch, fn, [x, y])


@pytest.mark.parametrize("expr", _calls("float_power_dist"))
def test_float_power_and_dist_match_torch(expr):
    _same_output(expr, "a = torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)\n"
                       "b = torch.tensor([2.0, -0.75, 1.25], requires_grad=True)\ni = torch.tensor([[3, -2, 0], [1, 5, -7]])\n")


@pytest.mark.parametrize("p", [2, 1, 3, 1.5, float("inf")])
def test_dist_gradients_to_second_order(p):
    torch = pytest.importorskip("torch")
    x, y = np.asarray(rand(2, 3, seed=1)), np.asarray(rand(3, seed=2))
    fn = lambda t, a, b: t.dist(a, b, p)  # noqa: E731
    compare_with_torch(torch, fn, x, y)
    _second_order_matches(torch, fn, [x, y])
    check_grads(lambda a, b: gt.dist(a, b, p), x, y, order=1 if p == float("inf") else 2)


@pytest.mark.parametrize("expr", _calls("addmm"))
def test_addmm_matches_torch(expr):
    _same_output(expr, "b = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n"
                       "x = torch.tensor([[1.5, -2.0], [0.25, 3.0]], requires_grad=True)\n"
                       "w = torch.tensor([[1.0, 0.5, -1.0], [2.0, -0.25, 0.75]], requires_grad=True)\n"
                       "m = torch.ones(2, 3, requires_grad=True)\n")


@pytest.mark.parametrize("beta,alpha", [(1, 1), (0.5, 2), (0, -1.5)])
def test_addmm_gradients_to_second_order(beta, alpha):
    torch = pytest.importorskip("torch")
    arrays = [np.asarray(rand(3, seed=1)), np.asarray(rand(2, 4, seed=2)), np.asarray(rand(4, 3, seed=3))]
    fn = lambda t, s, a, b: t.addmm(s, a, b, beta=beta, alpha=alpha) ** 2  # noqa: E731
    compare_with_torch(torch, fn, *arrays)
    _second_order_matches(torch, fn, arrays)
    check_grads(lambda *xs: fn(gt, *xs), *arrays)
