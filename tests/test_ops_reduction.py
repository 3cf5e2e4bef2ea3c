"""Reductions and comparisons: gradients against finite differences (first and second
order), and values, dtypes, grad_fn names, gradients, printing and errors against PyTorch."""

import warnings

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt

GRAD_CASES = [
    ("sum", lambda x: x.sum(), [(2, 3)]),
    ("sum dims", lambda x: x.sum((0, 2), keepdim=True), [(2, 3, 2)]),
    ("mean dim", lambda x: x.mean(-1), [(2, 3)]),
    ("prod", lambda x: x.prod(), [(2, 3)]),
    ("prod dim", lambda x: x.prod(1), [(2, 3)]),
    ("prod keepdim", lambda x: x.prod(0, keepdim=True), [(3, 2)]),
    ("prod 0d", lambda x: x.prod(), [()]),
    ("max", lambda x: x.max(), [(2, 3)]),
    ("min dim", lambda x: x.min(1).values, [(2, 3)]),
    ("max dim keepdim", lambda x: x.max(0, keepdim=True)[0], [(2, 3)]),
    ("amax", lambda x: x.amax(1), [(2, 3)]),
    ("amin dims", lambda x: x.amin((0, 1)), [(2, 3)]),
    ("median", lambda x: x.median(), [(5,)]),
    ("median dim", lambda x: x.median(1).values, [(2, 5)]),
    ("var", lambda x: x.var(), [(2, 3)]),
    ("var dim", lambda x: x.var(1, keepdim=True), [(2, 3)]),
    ("var correction 0", lambda x: x.var(0, correction=0), [(3, 2)]),
    ("std", lambda x: x.std(), [(2, 3)]),
    ("std dim unbiased false", lambda x: x.std(1, False), [(2, 3)]),
    ("logsumexp", lambda x: x.logsumexp(1), [(2, 3)]),
    ("logsumexp keepdim", lambda x: gt.logsumexp(x, (0, 1), keepdim=True), [(2, 3)]),
    ("cumsum", lambda x: x.cumsum(1), [(2, 3)]),
    ("cumsum 0", lambda x: x.cumsum(0), [(4,)]),
    ("cumprod", lambda x: x.cumprod(1), [(2, 3)]),
    ("softmax", lambda x: x.softmax(1), [(2, 3)]),
    ("softmax 0", lambda x: gt.softmax(x, 0), [(2, 3)]),
    ("log_softmax", lambda x: x.log_softmax(-1), [(2, 3)]),
    ("softmax 0d", lambda x: x.softmax(0) * x, [()]),
]


@pytest.mark.parametrize("name,fn,shapes", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients(name, fn, shapes):
    check_grads(fn, *[rand(*s, seed=i + 7) for i, s in enumerate(shapes)])


def test_prod_gradient_with_zeros():
    check_grads(lambda x: x.prod(1), np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.5], [1.0, 2.0, 0.5]]), order=1)
    check_grads(lambda x: x.prod(), np.array([1.5, 0.0, 3.0]), order=2)


def test_cumprod_gradient_with_zeros():
    check_grads(lambda x: x.cumprod(0), np.array([1.5, 0.0, 3.0, -2.0]), order=1)


TORCH_CASES = [
    ("sum", lambda T, x: x.sum()), ("sum dim list", lambda T, x: T.sum(x, [0, 1])),
    ("sum dtype", lambda T, x: x.sum(dtype=T.float32)), ("mean dtype", lambda T, x: x.mean(1, dtype=T.float32)),
    ("prod", lambda T, x: x.prod()), ("prod dim", lambda T, x: T.prod(x, 1, keepdim=True)),
    ("prod zeros", lambda T, x: (x.round()).prod(1)),
    ("max", lambda T, x: x.max()), ("min", lambda T, x: T.min(x)),
    ("max ties", lambda T, x: x.round().max()),
    ("max dim", lambda T, x: x.max(1)), ("min dim keepdim", lambda T, x: T.min(x, 0, keepdim=True)),
    ("max dim ties", lambda T, x: x.round().max(dim=1)),
    ("amax", lambda T, x: x.amax(1)), ("amax ties", lambda T, x: x.round().amax(0)),
    ("amin all", lambda T, x: T.amin(x)),
    ("argmax", lambda T, x: x.argmax()), ("argmax dim", lambda T, x: T.argmax(x, 1, keepdim=True)),
    ("argmin dim", lambda T, x: x.argmin(0)),
    ("median", lambda T, x: x.median()), ("median dim", lambda T, x: x.median(1)),
    ("var", lambda T, x: x.var()), ("var dim", lambda T, x: T.var(x, 1)),
    ("var unbiased", lambda T, x: T.var(x, 0, False, True)), ("var correction", lambda T, x: x.var(correction=2)),
    ("var positional unbiased", lambda T, x: x.var(False)),
    ("std", lambda T, x: x.std()), ("std dim", lambda T, x: T.std(x, dim=1, keepdim=True)),
    ("logsumexp", lambda T, x: T.logsumexp(x, 1)), ("logsumexp big", lambda T, x: (x * 1000).logsumexp(0)),
    ("cumsum", lambda T, x: T.cumsum(x, 1)), ("cumprod", lambda T, x: x.cumprod(0)),
    ("softmax", lambda T, x: T.softmax(x, 1)), ("log_softmax", lambda T, x: x.log_softmax(0)),
    ("softmax dtype", lambda T, x: x.float().softmax(1, dtype=T.float64)),
    ("count_nonzero", lambda T, x: T.count_nonzero(x.round())),
    ("count_nonzero dim", lambda T, x: x.round().count_nonzero(1)),
]


@pytest.mark.parametrize("name,fn", TORCH_CASES, ids=[c[0] for c in TORCH_CASES])
def test_against_torch(name, fn):
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, fn, rand(3, 4, seed=11))


INT_CASES = [
    ("sum int", lambda T: T.tensor([[1, 2], [3, 4]]).sum(0)),
    ("sum bool", lambda T: T.tensor([True, False, True]).sum()),
    ("sum int32", lambda T: T.tensor([1, 2], dtype=T.int32).sum()),
    ("mean int dtype", lambda T: T.tensor([1, 2]).mean(dtype=T.float64)),
    ("prod int", lambda T: T.tensor([2, 3]).prod()),
    ("max int", lambda T: T.tensor([2, 3]).max()),
    ("cumsum int32", lambda T: T.tensor([1, 2], dtype=T.int32).cumsum(0)),
    ("amax int", lambda T: T.tensor([[2, 3], [5, 1]]).amax(1)),
]


@pytest.mark.parametrize("name,fn", INT_CASES, ids=[c[0] for c in INT_CASES])
def test_integer_dtypes_against_torch(name, fn):
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda T: fn(T), grad=False)


def test_max_dim_prints_like_torch():
    torch = pytest.importorskip("torch")
    data = [[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]
    for kw in ({}, {"keepdim": True}):
        ours = gt.tensor(data, requires_grad=True).max(1, **kw)
        theirs = torch.tensor(data, requires_grad=True).max(1, **kw)
        assert repr(ours) == repr(theirs)
    assert repr(gt.tensor(data).min(0)) == repr(torch.tensor(data).min(0))
    v, i = gt.tensor(data).max(1)
    assert gt.tensor(data).max(dim=1).indices.tolist() == i.tolist() == [1, 0]


ERRORS = [
    ("max empty", lambda T: T.tensor([]).max()),
    ("max dim out of range", lambda T: T.ones(2, 3).max(5)),
    ("var int", lambda T: T.tensor([1, 2]).var()),
    ("mean int", lambda T: T.tensor([1, 2]).mean()),
    ("softmax int", lambda T: T.tensor([1, 2]).softmax(0)),
]


@pytest.mark.parametrize("name,fn", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


def test_var_degrees_of_freedom_warning():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        v = gt.tensor([1.0]).var()
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.tensor([1.0]).var()
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert np.isnan(v.item())


# -- comparisons and logic -------------------------------------------------------------------------

COMPARE_CASES = [
    ("eq", lambda T, x, y: x == y), ("ne", lambda T, x, y: T.ne(x, y)), ("lt", lambda T, x, y: x < y),
    ("le", lambda T, x, y: x.le(y)), ("gt", lambda T, x, y: T.gt(x, y)), ("ge", lambda T, x, y: x >= y),
    ("gt scalar", lambda T, x, y: x > 0), ("reflected", lambda T, x, y: 0 < x),
    ("eq int float", lambda T, x, y: T.tensor([1, 2]) == 1.0),
    ("and", lambda T, x, y: (x > 0) & (y > 0)), ("or", lambda T, x, y: (x > 0) | (y > 0)),
    ("xor", lambda T, x, y: (x > 0) ^ (y > 0)), ("invert", lambda T, x, y: ~(x > 0)),
    ("and int", lambda T, x, y: T.tensor([6, 3]) & 5),
    ("logical_and", lambda T, x, y: T.logical_and(x, y)), ("logical_or", lambda T, x, y: x.logical_or(y)),
    ("logical_not", lambda T, x, y: T.logical_not(x)), ("logical_xor", lambda T, x, y: T.logical_xor(x > 0, y)),
    ("isnan", lambda T, x, y: T.isnan(x / 0.0 * 0)), ("isinf", lambda T, x, y: (x / 0.0).isinf()),
    ("isfinite", lambda T, x, y: T.isfinite(x / x.round())),
    ("any", lambda T, x, y: (x > 1).any()), ("all dim", lambda T, x, y: T.all(x > -1, 1)),
    ("any keepdim", lambda T, x, y: (x > 0).any(0, keepdim=True)),
    ("any float", lambda T, x, y: x.any()),
    ("isclose", lambda T, x, y: T.isclose(x, x + 1e-9)),
    ("where nonzero", lambda T, x, y: T.where(x > 0)),
    ("nonzero", lambda T, x, y: (x > 0).nonzero()),
]


@pytest.mark.parametrize("name,fn", COMPARE_CASES, ids=[c[0] for c in COMPARE_CASES])
def test_comparisons_against_torch(name, fn):
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, fn, rand(3, 4, seed=12), rand(3, 4, seed=13))


def test_equal_allclose_and_identity_fallbacks():
    a = gt.tensor([1.0, 2.0])
    assert gt.equal(a, gt.tensor([1.0, 2.0])) and not gt.equal(a, gt.tensor([1.0]))
    assert gt.allclose(a, a + 1e-9) and not a.allclose(a + 1)
    assert (a == None) is False and (a != None) is True  # noqa: E711
    assert (a > 1).grad_fn is None and not (gt.ones(2, requires_grad=True) > 0).requires_grad


COMPARE_ERRORS = [
    ("and float", lambda T: T.ones(2) & T.ones(2)),
    ("invert float", lambda T: ~T.ones(2)),
    ("compare shapes", lambda T: T.tensor([1, 2]) < T.zeros(3)),
    ("allclose dtypes", lambda T: T.allclose(T.ones(2), T.ones(2, dtype=T.float64))),
    ("eq none", lambda T: T.eq(T.ones(2), None)),
]


@pytest.mark.parametrize("name,fn", COMPARE_ERRORS, ids=[c[0] for c in COMPARE_ERRORS])
def test_comparison_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


SELECTING = [lambda x: x.amax(), lambda x: x.max(), lambda x: x.median(), lambda x: x.amin(dim=0),
             lambda x: x.max(dim=0)[0], lambda x: x.min(0).values, lambda x: x.median(0).values]


@pytest.mark.parametrize("fn", SELECTING)
def test_selecting_reductions_refuse_a_second_backward(fn):
    # torch saves self/result or the indices for these, so the second pass finds them freed
    x = gt.tensor([1.0, 3.0, 3.0], requires_grad=True)
    y = fn(x)
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


@pytest.mark.parametrize("fn", SELECTING[:3])
def test_selecting_reduction_of_0d_float32_keeps_the_dtype(fn):
    x = gt.tensor(2.0, requires_grad=True)
    g, = gt.autograd.grad(fn(x), x)
    assert g.dtype == gt.float32 and g.item() == 1.0


ZERO_D = [lambda x: x.sum(0), lambda x: x.mean(-1), lambda x: x.prod(0), lambda x: x.amax(0),
          lambda x: x.amin(-1, keepdim=True), lambda x: x.logsumexp(0), lambda x: x.var(0),
          lambda x: x.std(0, keepdim=True), lambda x: x.sum(dim=(0,)), lambda x: x.flip(0),
          lambda x: x[:1].var()]


@pytest.mark.parametrize("i", range(len(ZERO_D)))
def test_0d_input_takes_dim_0_and_reduces_nothing(i):
    # torch wraps dims of a 0-d tensor as if it had one dim; numpy's axis 0 does not exist
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor(0.5, requires_grad=True) if i < len(ZERO_D) - 1 else lib.tensor([0.5], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = ZERO_D[i](x)
        g, = lib.autograd.grad(y.sum(), x)
        return str(y.detach()), type(y.grad_fn).__name__, str(g)

    assert run(gt) == run(torch)


@pytest.mark.parametrize("fn", SELECTING[:3])
def test_selecting_reduction_of_0d_under_create_graph(fn):
    # the saved weights must stay an array: an np.float32 scalar is no operand of Tensor ops
    x = gt.tensor(0.7, requires_grad=True)
    g, = gt.autograd.grad(fn(x.sigmoid()) * 1.3, x, create_graph=True)
    assert g.requires_grad
    h, = gt.autograd.grad(g, x)
    assert h.dtype == gt.float32


@pytest.mark.parametrize("fused", [False, True], ids=["var/std", "var_mean/std_mean"])
def test_var_std_values_are_torchs_bit_for_bit(fused):
    # torch: one-element results sum squared deviations from its mean in double; the rest
    # (and the fused ops always) run Welford's update in double per slice
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    for _ in range(150):
        shape = tuple(int(s) for s in rng.integers(1, 7, size=int(rng.integers(1, 4))))
        for dtype in (np.float32, np.float64):
            d = (rng.standard_normal(shape) * rng.uniform(0.1, 50)).astype(dtype)
            dim = None if rng.random() < 0.4 else int(rng.integers(0, len(shape)))
            keepdim = bool(rng.random() < 0.3)
            correction = int(rng.integers(0, 2))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for name in ("var", "std"):
                    if fused:
                        got = getattr(gt, name + "_mean")(gt.tensor(d), dim, keepdim=keepdim, correction=correction)
                        want = getattr(torch, name + "_mean")(torch.from_numpy(d), dim, keepdim=keepdim,
                                                              correction=correction)
                        pairs = zip(got, want)
                    else:
                        got = getattr(gt, name)(gt.tensor(d), dim, keepdim=keepdim, correction=correction)
                        want = getattr(torch, name)(torch.from_numpy(d), dim, keepdim=keepdim, correction=correction)
                        pairs = [(got, want)]
                    for g, w in pairs:
                        np.testing.assert_array_equal(g._data, w.numpy(), err_msg=f"{name} {shape} {dim}")


@pytest.mark.parametrize("name", ["std_mean", "var_mean", "aminmax"])
def test_fused_reductions_have_torchs_node(name):
    torch = pytest.importorskip("torch")
    for lib in (gt, torch):
        x = lib.tensor([[1.0, 3.0, 3.0], [2.0, 0.5, 2.0]], dtype=lib.float64, requires_grad=True)
        a, b = getattr(lib, name)(x)
        g, = lib.autograd.grad(a * 2 + b * 3, x)
        if lib is gt:
            got = (a.grad_fn.name(), b.grad_fn.name(), g.tolist())
        else:
            want = (a.grad_fn.name(), b.grad_fn.name(), g.tolist())
    assert got == want


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_float32_scans_accumulate_in_double_as_torch(name):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    d = (1 + rng.standard_normal((6, 40)) * 0.3).astype(np.float32)
    for dim in (0, 1):
        np.testing.assert_array_equal(getattr(gt.tensor(d), name)(dim)._data,
                                      getattr(torch.from_numpy(d), name)(dim).numpy())


def test_unbroadcast_gradients_sum_in_torchs_order():
    # the engine's sum_to reduces with torch's kernel order (a bias gradient over a batch)
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    for dtype in (np.float32, np.float64):
        for shape, bshape in [((5, 3), (3,)), ((17, 9), (9,)), ((4, 6), (4, 1)), ((2, 3, 4), (3, 1)), ((7,), ())]:
            a = (rng.standard_normal(shape) * 10).astype(dtype)
            b = rng.standard_normal(bshape).astype(dtype)
            got = []
            for lib in (gt, torch):
                x = lib.tensor(b, requires_grad=True)
                (lib.tensor(a) * x).sum().backward()
                got.append(np.asarray(x.grad.tolist()))
            np.testing.assert_array_equal(got[0], got[1], err_msg=f"{shape} {bshape} {dtype}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_family_rounds_as_torchs_kernels(dtype):
    # last dim: torch's vectorized sum (lanes, then the lanes folded) and times 1/sum; other
    # dims: a sum along the dim and a division; logsumexp: its sum kernel. What still differs
    # is torch's SLEEF exp wherever its kernels run a full vector (rows of 8+ floats).
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    rates = {}
    for n in (3, 5, 10, 17, 40):
        for dim in (1, 0):
            d = (rng.standard_normal((6, n)) * 3).astype(dtype)
            for name in ("softmax", "log_softmax", "logsumexp"):
                got = getattr(gt, name)(gt.tensor(d), dim)._data
                want = getattr(torch, name)(torch.from_numpy(d), dim).numpy()
                rates.setdefault((name, dim), []).append(np.mean(got == want))
    assert min(np.mean(rates[("softmax", 1)]), np.mean(rates[("log_softmax", 1)])) >= 0.85
    assert min(np.mean(rates[("softmax", 0)]), np.mean(rates[("log_softmax", 0)])) >= 0.9
    assert np.mean(rates[("logsumexp", 0)] + rates[("logsumexp", 1)]) >= 0.95
