"""Elementwise ops and activations: gradients against finite differences (first and
second order) over a matrix of shapes, and values, dtypes, grad_fn names, gradients
and error texts against PyTorch."""

import warnings

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt

SHAPES = [(), (3,), (2, 3)]
PAIRS = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((2, 1), (1, 3)), ((3,), (2, 3)), ((), (2, 3))]

UNARY = [
    ("relu", lambda x: gt.relu(x)),
    ("leaky_relu", lambda x: gt.nn.functional.leaky_relu(x, 0.2)),
    ("gelu", lambda x: gt.nn.functional.gelu(x)),
    ("gelu tanh", lambda x: gt.nn.functional.gelu(x, approximate="tanh")),
    ("elu", lambda x: gt.nn.functional.elu(x, alpha=0.7)),
    ("selu", lambda x: gt.selu(x)),
    ("celu", lambda x: gt.celu(x, alpha=1.3)),
    ("silu", lambda x: gt.nn.functional.silu(x)),
    ("mish", lambda x: gt.nn.functional.mish(x)),
    ("softplus", lambda x: gt.nn.functional.softplus(x, beta=2.0, threshold=1.5)),
    ("hardtanh", lambda x: gt.nn.functional.hardtanh(x, -0.5, 0.5)),
    ("logsigmoid", lambda x: gt.nn.functional.logsigmoid(x)),
    ("hardswish", lambda x: gt.nn.functional.hardswish(x * 4)),
    ("hardsigmoid", lambda x: gt.nn.functional.hardsigmoid(x * 4)),
    ("softsign", lambda x: gt.nn.functional.softsign(x)),
    ("clamp", lambda x: x.clamp(-0.5, 0.5)),
    ("clamp min", lambda x: x.clamp(min=0.1)),
    ("clamp_max", lambda x: gt.clamp_max(x, 0.2)),
    ("square", lambda x: x.square()),
    ("erf", lambda x: gt.erf(x)),
    ("erfc", lambda x: x.erfc()),
    ("logit", lambda x: (x.sigmoid()).logit()),
    ("frac", lambda x: (x * 3).frac()),
    ("where", lambda x: gt.where(x > 0, x * x, -x)),
    ("nan_to_num", lambda x: x.nan_to_num()),
]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name,fn", UNARY, ids=[n for n, _ in UNARY])
def test_unary_gradients(name, fn, shape):
    # torch's hardsigmoid_backward has no derivative (NotImplemented): first order only
    check_grads(fn, rand(*shape, seed=len(name)) + 0.05, order=1 if name == "hardsigmoid" else 2)


BINARY = [
    ("maximum", lambda x, y: gt.maximum(x, y)),
    ("minimum", lambda x, y: gt.minimum(x, y)),
    ("fmax", lambda x, y: gt.fmax(x, y)),
    ("fmin", lambda x, y: gt.fmin(x, y)),
    ("where xy", lambda x, y: gt.where(x > y, x, y * y)),
    ("clamp tensors", lambda x, y: x.clamp(min=y - 0.5, max=y + 0.5)),
    ("clamp_min tensor", lambda x, y: gt.clamp_min(x, y)),
    ("clamp_max tensor", lambda x, y: x.clamp_max(y)),
    ("lerp", lambda x, y: gt.lerp(x, y, 0.3)),
    ("lerp tensor weight", lambda x, y: gt.lerp(x, y, y.sigmoid())),
    ("xlogy", lambda x, y: gt.xlogy(x, y.exp())),
]


@pytest.mark.parametrize("shapes", PAIRS, ids=str)
@pytest.mark.parametrize("name,fn", BINARY, ids=[n for n, _ in BINARY])
def test_binary_gradients(name, fn, shapes):
    a, b = shapes
    check_grads(fn, rand(*a, seed=1), rand(*b, seed=2))


# -- against torch ------------------------------------------------------------------------------

TORCH_UNARY = [
    ("relu", lambda T, x: T.relu(x)), ("relu method", lambda T, x: x.relu()),
    ("relu inplace", lambda T, x: T.nn.functional.relu(x * 1, inplace=True)),
    ("relu_", lambda T, x: (x * 1).relu_()),
    ("leaky_relu", lambda T, x: T.nn.functional.leaky_relu(x)),
    ("gelu", lambda T, x: T.nn.functional.gelu(x)),
    ("gelu tanh", lambda T, x: T.nn.functional.gelu(x, approximate="tanh")),
    ("elu", lambda T, x: T.nn.functional.elu(x)), ("selu", lambda T, x: T.selu(x)),
    ("celu", lambda T, x: T.celu(x)), ("silu", lambda T, x: T.nn.functional.silu(x)),
    ("mish", lambda T, x: T.nn.functional.mish(x)),
    ("softplus", lambda T, x: T.nn.functional.softplus(x)),
    ("hardtanh", lambda T, x: T.nn.functional.hardtanh(x)),
    ("relu6", lambda T, x: T.nn.functional.relu6(x * 4)),
    ("threshold", lambda T, x: T.threshold(x, 0.1, 20.0)),
    ("sigmoid", lambda T, x: T.nn.functional.sigmoid(x)), ("tanh", lambda T, x: T.nn.functional.tanh(x)),
    ("sign", lambda T, x: T.sign(x)), ("sgn", lambda T, x: x.sgn() * x),
    ("clamp", lambda T, x: T.clamp(x, -0.5, 0.5)), ("clip", lambda T, x: x.clip(max=0.0)),
    ("clamp ties", lambda T, x: T.clamp(x.round(), -1.0, 1.0)),
    ("clamp_min", lambda T, x: T.clamp_min(x, 0.0)), ("clamp_max", lambda T, x: x.clamp_max(0.0)),
    ("clamp_", lambda T, x: (x * 1).clamp_(min=0.0)),
    ("square", lambda T, x: T.square(x)),
    ("floor", lambda T, x: x.floor()), ("ceil", lambda T, x: T.ceil(x)), ("trunc", lambda T, x: x.trunc()),
    ("round", lambda T, x: T.round(x * 3)), ("round decimals", lambda T, x: x.round(decimals=1)),
    ("frac", lambda T, x: x.frac()), ("erf", lambda T, x: T.erf(x)), ("erfc", lambda T, x: x.erfc()),
    ("logit", lambda T, x: T.logit(x.sigmoid())), ("logit eps", lambda T, x: x.sigmoid().logit(eps=0.3)),
    ("float", lambda T, x: x.float()), ("double", lambda T, x: x.double()),
    ("half", lambda T, x: x.half()), ("long", lambda T, x: x.long()),
    ("int", lambda T, x: x.int()), ("bool", lambda T, x: x.bool()),
    ("to dtype", lambda T, x: x.to(T.float32)), ("to cpu", lambda T, x: x.to("cpu")),
    ("to device dtype", lambda T, x: x.to("cpu", T.float32)), ("type", lambda T, x: x.type(T.float32)),
    ("type str", lambda T, x: x.type("torch.FloatTensor")),
    ("zero_", lambda T, x: (x * 1).zero_()), ("fill_", lambda T, x: (x * 1).fill_(2.5)),
    ("fill_ tensor", lambda T, x: (x * 1).fill_(x[0, 0])),
    ("copy_", lambda T, x: T.zeros(2, 3, dtype=T.float64).copy_(x)),
    ("copy_ cast", lambda T, x: T.zeros(2, 3).copy_(x * 2)),
    ("copy_ broadcast", lambda T, x: T.zeros(2, 3, dtype=T.float64).copy_(x[0])),
    ("nan_to_num", lambda T, x: T.nan_to_num(x / 0.0)),
]


@pytest.mark.parametrize("name,fn", TORCH_UNARY, ids=[n for n, _ in TORCH_UNARY])
def test_unary_against_torch(name, fn):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare_with_torch(torch, fn, rand(2, 3, seed=3))


TORCH_BINARY = [
    ("maximum", lambda T, x, y: T.maximum(x, y)), ("minimum", lambda T, x, y: x.minimum(y)),
    ("maximum ties", lambda T, x, y: T.maximum(x.round(), y.round())),
    ("minimum ties", lambda T, x, y: T.minimum(x.round(), y.round())),
    ("max binary", lambda T, x, y: T.max(x, y)),
    ("fmax ties", lambda T, x, y: T.fmax(x.round(), y.round())),
    ("fmin", lambda T, x, y: T.fmin(x, y)),
    ("where", lambda T, x, y: T.where(x > 0, x, y)), ("where scalar", lambda T, x, y: T.where(x > y, x, 0.0)),
    ("where method", lambda T, x, y: x.where(x > y, y)),
    ("clamp tensors", lambda T, x, y: x.clamp(y - 0.3, y + 0.3)),
    ("clamp crossed", lambda T, x, y: x.clamp(y + 0.3, y - 0.3)),
    ("clamp tensor ties", lambda T, x, y: x.round().clamp(min=y.round())),
    ("clamp_min tensor", lambda T, x, y: T.clamp_min(x, y)),
    ("lerp", lambda T, x, y: T.lerp(x, y, 0.7)), ("lerp tensor", lambda T, x, y: x.lerp(y, y.sigmoid())),
    ("xlogy", lambda T, x, y: T.xlogy(x, y.exp())),
]


@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((2, 1), (3,))], ids=str)
@pytest.mark.parametrize("name,fn", TORCH_BINARY, ids=[n for n, _ in TORCH_BINARY])
def test_binary_against_torch(name, fn, shapes):
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, fn, rand(*shapes[0], seed=4), rand(*shapes[1], seed=5))


DTYPE_CASES = [
    ("clamp int float", lambda T: T.clamp(T.tensor([1, 2, 3]), 0.5)),
    ("clamp int int", lambda T: T.tensor([1, 2, 3]).clamp(2)),
    ("relu int", lambda T: T.relu(T.tensor([-1, 2]))),
    ("sign int", lambda T: T.tensor([-3, 0, 2]).sign()),
    ("floor int", lambda T: T.tensor([-3, 2]).floor()),
    ("square int", lambda T: T.square(T.tensor([2, 3]))),
    ("where int float", lambda T: T.where(T.tensor([True, False]), T.tensor([1, 2]), 0.5)),
    ("where scalars", lambda T: T.where(T.tensor([True, False]), 1.0, 0)),
    ("where f32 f64 0d", lambda T: T.where(T.tensor([True, False]), T.ones(2), T.tensor(2.0, dtype=T.float64))),
    ("maximum int float", lambda T: T.maximum(T.tensor([1, 5]), T.tensor([2.0, 3.0]))),
    ("erf int", lambda T: T.erf(T.tensor([0, 1]))),
    ("float of int", lambda T: T.tensor([1, 2]).float()),
    ("long of float", lambda T: T.tensor([1.7, -2.7]).long()),
    ("bool", lambda T: T.tensor([0.0, 2.0]).bool()),
    ("fill int", lambda T: T.zeros(2, dtype=T.int64).fill_(2.7)),
    ("zero_ plain", lambda T: T.ones(2).zero_()),
    ("heaviside", lambda T: T.heaviside(T.tensor([-1.0, 0.0, 2.0]), T.tensor([0.5]))),
    ("signbit", lambda T: T.signbit(T.tensor([-1.0, 0.0, 2.0]))),
]


@pytest.mark.parametrize("name,fn", DTYPE_CASES, ids=[n for n, _ in DTYPE_CASES])
def test_dtypes_against_torch(name, fn):
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda T: fn(T), grad=False)


ERRORS = [
    ("clamp none", lambda T: T.clamp(T.ones(2))),
    ("clamp mixed", lambda T: T.ones(3).clamp(min=0.0, max=T.ones(3))),
    ("maximum scalar", lambda T: T.maximum(T.ones(2), 2.0)),
    ("maximum shapes", lambda T: T.maximum(T.ones(2), T.ones(3))),
    ("where not bool", lambda T: T.where(T.ones(2), T.ones(2), T.ones(2))),
    ("where shapes", lambda T: T.where(T.ones(3) > 0, T.ones(3), T.zeros(2))),
    ("fill_ 1d", lambda T: T.ones(3).fill_(T.zeros(2))),
    ("copy_ shapes", lambda T: T.zeros(3).copy_(T.zeros(2))),
    ("to cuda", lambda T: T.ones(2).to("cuda")),
    ("zero_ leaf", lambda T: T.ones(2, requires_grad=True).zero_()),
    ("relu_ leaf", lambda T: T.ones(2, requires_grad=True).relu_()),
    ("long requires grad", lambda T: T.ones(2).long().requires_grad_()),
]


@pytest.mark.parametrize("name,fn", ERRORS, ids=[n for n, _ in ERRORS])
def test_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


def test_double_on_double_is_identity_and_conversions_keep_graph():
    x = gt.ones(2, dtype=gt.float64, requires_grad=True)
    assert x.double() is x
    y = x.float()
    assert type(y.grad_fn).__name__ == "ToCopyBackward0"
    y.sum().backward()
    assert x.grad.dtype == gt.float64 and x.grad.tolist() == [1.0, 1.0]
    assert not x.long().requires_grad


def test_inplace_on_view_of_saved_tensor_is_detected():
    x = gt.tensor([1.0, -2.0], requires_grad=True)
    y = x.relu()
    y.zero_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_zero_grad_under_no_grad_keeps_buffer():
    w = gt.ones(3, requires_grad=True)
    (w * 2).sum().backward()
    g = w.grad
    with gt.no_grad():
        w.grad.zero_()
    assert w.grad is g and g.tolist() == [0.0, 0.0, 0.0]


def test_scalar_divided_by_tensor_is_reciprocal_times_scalar():
    # torch's __rtruediv__ is x.reciprocal() * other: its grad_fn chain, and float32
    # values rounded twice, are what programs print
    torch = pytest.importorskip("torch")
    data = [0.3, 0.7, 0.29, 0.0]
    for lib in (gt, torch):
        x = lib.tensor(data, requires_grad=True)
        y = 2.0 / x
        assert type(y.grad_fn).__name__ == "MulBackward0"
        assert type(y.grad_fn.next_functions[0][0]).__name__ == "ReciprocalBackward0"
    assert (2.0 / gt.tensor(data)).tolist() == (2.0 / torch.tensor(data)).tolist()
    assert (2 / gt.tensor([1, 2, 0])).tolist() == [2.0, 1.0, float("inf")]


DOUBLE_BACKWARD = [
    ("tanh", lambda F, x: x.tanh(), "TanhBackwardBackward0"),
    ("sigmoid", lambda F, x: x.sigmoid(), "SigmoidBackwardBackward0"),
    ("relu", lambda F, x: F.relu(x), "ThresholdBackwardBackward0"),
    ("threshold", lambda F, x: F.threshold(x, 0.1, 20.0), "ThresholdBackwardBackward0"),
    ("leaky_relu", lambda F, x: F.leaky_relu(x, 0.1), "LeakyReluBackwardBackward0"),
    ("hardtanh", lambda F, x: F.hardtanh(x), "HardtanhBackwardBackward0"),
    ("relu6", lambda F, x: F.relu6(x), "HardtanhBackwardBackward0"),
    ("elu", lambda F, x: F.elu(x, alpha=0.5), "EluBackwardBackward0"),
    ("selu", lambda F, x: F.selu(x), "EluBackwardBackward0"),
    ("softplus", lambda F, x: F.softplus(x, beta=2, threshold=1.5), "SoftplusBackwardBackward0"),
    ("gelu", lambda F, x: F.gelu(x), "GeluBackwardBackward0"),
    ("gelu tanh", lambda F, x: F.gelu(x, approximate="tanh"), "GeluBackwardBackward0"),
    ("logsigmoid", lambda F, x: F.logsigmoid(x), "LogSigmoidBackwardBackward0"),
    ("hardswish", lambda F, x: F.hardswish(x), "HardswishBackwardBackward0"),
    ("exp2", lambda F, x: x.exp2(), "MulBackward1"),
]


@pytest.mark.parametrize("name,fn,node", DOUBLE_BACKWARD, ids=[n for n, _, _ in DOUBLE_BACKWARD])
def test_create_graph_derivative_is_torchs_own_node(name, fn, node):
    # torch computes these derivatives as ops of their own (sigmoid_backward...): under
    # create_graph the first derivative's grad_fn is that op's node, it requires grad even
    # where it is piecewise constant, and its own derivatives are torch's
    torch = pytest.importorskip("torch")
    data = [-1.3, -0.2, 0.0, 0.3, 0.9, 1.7, 3.5]
    weights = [0.5, -1.0, 2.0, 1.5, -0.5, 1.0, 0.25]

    def orders(lib):
        x = lib.tensor(data, dtype=lib.float64, requires_grad=True)
        w = lib.tensor(weights, dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad((fn(lib.nn.functional, x) * w).sum(), x, create_graph=True)
        gx, gw = lib.autograd.grad((g * g).sum(), [x, w], create_graph=True)
        h = lib.autograd.grad(gx.sum(), x, allow_unused=True)[0] if gx.requires_grad else None
        return (type(g.grad_fn).__name__, g.requires_grad, type(gx.grad_fn).__name__,
                [np.round(t.tolist(), 6).tolist() if t is not None else None for t in (g, gx, gw, h)])

    ours = orders(gt)
    assert ours[0] == node and ours[1]
    assert ours == orders(torch)


def test_remainder_and_rounded_division_have_torchs_gradients():
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor([0.36, -2.5, 3.0], requires_grad=True)
        y = lib.tensor([0.5, 0.7, -2.0], requires_grad=True)
        out = []
        for r in (lib.remainder(x, y), x % 0.3, lib.div(x, y, rounding_mode="floor"),
                  lib.div(x, 2.0, rounding_mode="trunc")):
            gx, gy = lib.autograd.grad(r.sum(), [x, y], allow_unused=True)
            out.append((r.tolist(), type(r.grad_fn).__name__, len(r.grad_fn.next_functions),
                        gx.tolist(), None if gy is None else gy.tolist()))
        with pytest.raises(RuntimeError, match="derivative for aten::floor_divide is not implemented"):
            (x // y).sum().backward()
        return out

    assert run(gt) == run(torch)


def test_rsub_of_two_tensors_is_rsub_backward0():
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = lib.tensor([0.5, -1.0], requires_grad=True)
        r = lib.rsub(x, y, alpha=2)
        gx, gy = lib.autograd.grad(r.sum(), [x, y])
        return r.tolist(), type(r.grad_fn).__name__, gx.tolist(), gy.tolist()

    assert run(gt) == run(torch)
    assert run(gt)[1] == "RsubBackward0"


@pytest.mark.parametrize("make,view", [
    (lambda lib: lib.arange(4.0).reshape(2, 2), True), (lambda lib: lib.zeros(3, 2)[0], True),
    (lambda lib: lib.ones(2, 2), False), (lambda lib: lib.linspace(0, 1, 4), False),
    (lambda lib: lib.tensor([1.0, 2.0]), False)])
def test_inplace_on_a_leaf_made_from_a_view_names_the_view(make, view):
    x = make(gt).requires_grad_()
    message = ("a view of " if view else "") + "a leaf Variable that requires grad is being used"
    with pytest.raises(RuntimeError, match="^" + message):
        x.add_(1)


def test_erfc_keeps_its_tail_and_lerp_checks_dtypes_as_torch():
    torch = pytest.importorskip("torch")
    x = np.array([0.5, 8.0, 26.0])
    np.testing.assert_allclose(gt.erfc(gt.tensor(x))._data, torch.erfc(torch.from_numpy(x)).numpy(), rtol=1e-14)
    same_error(torch, lambda T: T.lerp(T.ones(2, dtype=T.float64), T.ones(2), 0.3))
    same_error(torch, lambda T: T.lerp(T.ones(2), T.ones(2), T.ones(2, dtype=T.float64)))


@pytest.mark.parametrize("fn", [lambda x: x.sgn(), lambda x: gt.where(x > 0, x, x * 2)])
def test_ops_saving_tensors_refuse_a_second_backward(fn):
    # torch's sgn saves self and its result, where its condition
    x = gt.tensor([1.0, -2.0], requires_grad=True)
    y = fn(x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
