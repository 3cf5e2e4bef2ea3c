"""The first derivative under create_graph=True is torch's graph: the grad_fn names two
levels down (torch names a formula's tensor-and-number arithmetic MulBackward1,
DivBackward1..., and some derivatives are one op: SoftmaxBackwardDataBackward0...), the
first derivative's values bit for bit, and the second derivative's values."""

import math

import numpy as np
import pytest

from gradcheck_util import torch as gt

X = [[0.5, -1.25, 2.0], [0.0, 3.0, -0.75]]
POSITIVE = [[0.5, 1.25, 2.0], [0.1, 3.0, 0.75]]
SMALL = [[0.05, -0.125, 0.2], [0.0, 0.3, -0.075]]
Y = [[1.5, 0.25, -2.0], [0.5, -1.0, 0.75]]
W = [[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]]

# name -> (f(lib, x, y), data for x, whether the second derivatives match bit for bit); the
# first derivatives match bit for bit but where INEXACT_FIRST says why not
CASES = {
    "mean": (lambda T, x, y: x.mean(), X, False),
    "mean dim": (lambda T, x, y: x.mean(1), X, True),
    "mean keepdim": (lambda T, x, y: x.mean(0, keepdim=True), X, True),
    "sub alpha": (lambda T, x, y: T.sub(x * x, y * y, alpha=2), X, True),
    "add alpha": (lambda T, x, y: T.add(x * x, y * y, alpha=2), X, True),
    "rsub alpha": (lambda T, x, y: T.rsub(x, 2.0, alpha=3), X, True),
    "pow 3": (lambda T, x, y: x ** 3, X, True),
    "pow 0": (lambda T, x, y: x ** 0, X, True),
    "pow tensor": (lambda T, x, y: x ** y, POSITIVE, False),
    "rpow": (lambda T, x, y: 2 ** x, X, True),
    "div": (lambda T, x, y: x / y, X, False),
    "log2": (lambda T, x, y: x.log2(), POSITIVE, True),
    "log10": (lambda T, x, y: x.log10(), POSITIVE, True),
    "log1p": (lambda T, x, y: x.log1p(), POSITIVE, True),
    "expm1": (lambda T, x, y: x.expm1(), X, True),
    "sqrt": (lambda T, x, y: x.sqrt(), POSITIVE, True),
    "rsqrt": (lambda T, x, y: x.rsqrt(), POSITIVE, True),
    "tan": (lambda T, x, y: x.tan(), SMALL, False),
    "reciprocal": (lambda T, x, y: x.reciprocal(), POSITIVE, True),
    "asin": (lambda T, x, y: x.asin(), SMALL, True),
    "acos": (lambda T, x, y: x.acos(), SMALL, True),
    "atan": (lambda T, x, y: x.atan(), X, True),
    "erf": (lambda T, x, y: x.erf(), X, True),
    "sigmoid": (lambda T, x, y: x.sigmoid(), X, True),
    "tanh": (lambda T, x, y: x.tanh(), X, False),
    "std": (lambda T, x, y: x.std(), X, False),
    "std dim": (lambda T, x, y: x.std(1), X, True),
    "var": (lambda T, x, y: x.var(), X, False),
    "var dim": (lambda T, x, y: x.var(0), X, True),
    "std_mean": (lambda T, x, y: T.std_mean(x)[0] + T.std_mean(x)[1], X, False),
    "var_mean dim": (lambda T, x, y: T.var_mean(x, 1)[0] * T.var_mean(x, 1)[1], X, True),
    "softmax": (lambda T, x, y: x.softmax(1), X, False),
    "log_softmax": (lambda T, x, y: x.log_softmax(1), X, False),
    "max": (lambda T, x, y: T.cat([x, x[:1]]).max(), X, True),
    "max dim": (lambda T, x, y: x.max(1).values, X, True),
    "min dim keepdim": (lambda T, x, y: x.min(0, keepdim=True).values, X, True),
    "median": (lambda T, x, y: x.median(), X, True),
    "amax": (lambda T, x, y: T.cat([x, x]).amax(0), X, True),
    "amin all": (lambda T, x, y: x.amin(), X, True),
    "aminmax": (lambda T, x, y: T.aminmax(x)[0] + T.aminmax(x)[1] * 2, X, True),
    "aminmax dim": (lambda T, x, y: T.aminmax(x, dim=1)[1], X, True),
    "prod": (lambda T, x, y: x.prod(), POSITIVE, False),
    "prod dim zeros": (lambda T, x, y: x.prod(1), X, False),
    "cumsum": (lambda T, x, y: x.cumsum(1), X, True),
    "bce": (lambda T, x, y: T.nn.functional.binary_cross_entropy(x.sigmoid(), y.sigmoid()), X, False),
    "bce weight sum": (lambda T, x, y: T.nn.functional.binary_cross_entropy(
        x.sigmoid(), y.sigmoid(), weight=T.tensor([1.0, 2.0, 0.5], dtype=x.dtype), reduction="sum"), X, False),
    "bce logits": (lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(x, y.sigmoid()), X, False),
    "bce logits pos_weight": (lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(
        x, y.sigmoid(), pos_weight=T.tensor([1.0, 2.0, 0.5], dtype=x.dtype)), X, True),
    "logsigmoid": (lambda T, x, y: T.nn.functional.logsigmoid(x), X, True),
    "maximum tie": (lambda T, x, y: T.maximum(x, T.cat([y[:1], x[1:]])), X, True),
    "minimum": (lambda T, x, y: T.minimum(x, y), X, True),
    "fmax": (lambda T, x, y: T.fmax(x, y), X, True),
    "fmin": (lambda T, x, y: T.fmin(x, y), X, True),
    "lerp": (lambda T, x, y: T.lerp(x, y, 0.3), X, True),
    "lerp tensor weight": (lambda T, x, y: T.lerp(x, y, y.sigmoid()), X, False),
    "xlogy": (lambda T, x, y: T.xlogy(x, y.abs()), X, True),
    "nan_to_num": (lambda T, x, y: T.nan_to_num(x / y), X, False),
    "bmm of expanded": (lambda T, x, y: T.bmm(x.unsqueeze(0).expand(2, 2, 3), y.t().unsqueeze(0).expand(2, 3, 2)),
                        X, True),
    "mm of a transpose": (lambda T, x, y: x.t() @ y, X, False),
    "linear": (lambda T, x, y: T.nn.functional.linear(x, y, T.tensor([0.5, -1.0], dtype=x.dtype)), X, False),
    "norm": (lambda T, x, y: x.norm(), X, True),
    "norm of zeros": (lambda T, x, y: (x * 0).norm(), X, True),
    "norm p=3 dim": (lambda T, x, y: x.norm(3, dim=1), X, False),
    "norm p=1.5": (lambda T, x, y: x.norm(1.5), POSITIVE, False),
    "norm p=0.5": (lambda T, x, y: x.norm(0.5), POSITIVE, False),
    "repeat": (lambda T, x, y: x.repeat(2, 1), X, True),
    "repeat new dims": (lambda T, x, y: x.repeat(3, 1, 2), X, True),
    "repeat zero": (lambda T, x, y: x.repeat(0, 1).sum() + x.sum(), X, True),
    "squeeze": (lambda T, x, y: x.unsqueeze(0).unsqueeze(2).squeeze(), X, True),
    "squeeze dim": (lambda T, x, y: x.unsqueeze(0).unsqueeze(-1).squeeze(0), X, True),
    "nll_loss": (lambda T, x, y: T.nn.functional.nll_loss(x.log_softmax(1), T.tensor([0, 2])), X, False),
    "cross_entropy": (lambda T, x, y: T.nn.functional.cross_entropy(x, T.tensor([2, 1])), X, False),
}


INEXACT_FIRST = {
    # torch's vectorized log_softmax backward takes SLEEF's exp (not correctly rounded)
    "log_softmax": ("float32",), "nll_loss": ("float32",), "cross_entropy": ("float32", "float64"),
    "pow tensor": ("float32",),  # torch's float32 pow of two tensors
}


def _names(fn, depth=2):
    if fn is None:
        return None
    name = fn.name().replace("torch::autograd::", "")
    if depth == 0:
        return name
    return [name, [_names(n, depth - 1) for n, _ in fn.next_functions]]


def _run(lib, case, data, dtype, vgrad):
    dt = getattr(lib, dtype)
    x = lib.tensor(data, dtype=dt, requires_grad=True)
    y = lib.tensor(Y, dtype=dt, requires_grad=True)
    out = case(lib, x, y)
    v = lib.ones_like(out) * 1.5
    if vgrad:
        v.requires_grad_()
    gs = lib.autograd.grad(out, [x, y], v, create_graph=True, allow_unused=True)
    first = [None if g is None else (_names(g.grad_fn), g.detach().tolist()) for g in gs]
    live = [g for g in gs if g is not None and g.requires_grad]
    second = None
    if live:
        s = sum((g * lib.tensor(W, dtype=dt)).sum() for g in live)
        second = [None if h is None else h.tolist()
                  for h in lib.autograd.grad(s, [x, y] + ([v] if vgrad else []), allow_unused=True)]
    return first, second


def _flat(v):
    if isinstance(v, (list, tuple)):
        return [z for e in v for z in _flat(e)]
    return [v]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("vgrad", [False, True], ids=["ones", "grad_outputs"])
@pytest.mark.parametrize("name", list(CASES))
def test_create_graph_derivative_matches_torch(name, vgrad, dtype):
    torch = pytest.importorskip("torch")
    case, data, exact = CASES[name]
    got_first, got_second = _run(gt, case, data, dtype, vgrad)
    want_first, want_second = _run(torch, case, data, dtype, vgrad)
    for got, want in zip(got_first, want_first):
        assert (got is None) == (want is None)
        if got is not None:
            assert got[0] == want[0]  # names
            if dtype in INEXACT_FIRST.get(name, ()):
                np.testing.assert_allclose(_flat(got[1]), _flat(want[1]), rtol=1e-6)
            else:
                np.testing.assert_array_equal(got[1], want[1])
    assert (got_second is None) == (want_second is None)
    if got_second is None:
        return
    for g, w in zip(got_second, want_second):
        assert (g is None) == (w is None)
        if g is None:
            continue
        if exact:
            np.testing.assert_array_equal(g, w)
        else:
            np.testing.assert_allclose(_flat(g), _flat(w), rtol=1e-5 if dtype == "float32" else 1e-12,
                                       atol=1e-15)


def test_pow_zero_derivative_is_a_constant():
    # torch's pow_backward returns zeros_like(self) for exponent 0: no graph, no grad
    x = gt.tensor([1.5, -2.0], requires_grad=True)
    g, = gt.autograd.grad((x ** 0).sum(), x, create_graph=True)
    assert not g.requires_grad and g.grad_fn is None and g.tolist() == [0.0, 0.0]


def test_rpow_of_zero_base_is_torchs_limit():
    torch = pytest.importorskip("torch")
    out = []
    for lib in (gt, torch):
        e = lib.tensor([-1.0, 0.0, 2.0], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad((0.0 ** e).sum(), e)
        out.append(g.tolist())
    assert str(out[0]) == str(out[1]) and math.isinf(out[0][0])
