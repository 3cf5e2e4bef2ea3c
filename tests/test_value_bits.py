"""Last bits and signed zeros against torch's CPU kernels (difftest_findings.md, Round 7): the
exact float64 FMA, the kernels that fuse a multiply-add (log_softmax's backward, add/sub with
alpha, lerp), pow by a Python number, and where torch's sums give +0. Each compares a class of
inputs with torch, not one seed's numbers."""

from fractions import Fraction

import numpy as np
import pytest

import gradcli.autograd  # noqa: F401
from gradcli.autograd.namespace import build_torch_module
from gradcli.autograd.ops.sleef_f32 import fma64

G = build_torch_module()


def _bits(a):
    return np.asarray(a, np.float64).view(np.int64) if np.asarray(a).dtype == np.float64 else np.asarray(a).view(np.int32)


def _differ(got, want):
    """How many elements differ in their bits (nan equal to nan)."""
    got, want = np.asarray(got), np.asarray(want)
    both_nan = np.isnan(got) & np.isnan(want)
    return int(((_bits(got) != _bits(want)) & ~both_nan).sum())


def test_fma64_is_the_exact_sum_rounded_once():
    rng = np.random.default_rng(0)
    n = 4000
    a = rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5, n)
    b = rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5, n)
    c = -a * b * (1 + rng.standard_normal(n) * 10.0 ** rng.integers(-17, -1, n))  # cancellation
    c[::3] = rng.standard_normal(n)[::3]
    got = fma64(a, b, c)
    want = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)]
    assert _differ(got, want) == 0
    # the plain formula rounds twice: it is not what fma64 returns
    assert _differ(a * b + c, want) > n // 10


def test_fma64_signed_zeros_and_infinities():
    got = fma64(np.array([-1.0, 1.0, 0.0, np.inf, 1e308]), np.array([0.0, 0.0, -0.0, 1.0, 10.0]),
                np.array([0.0, -0.0, -0.0, 1.0, 0.0]))
    assert _differ(got, [0.0, 0.0, -0.0, np.inf, np.inf]) == 0


def _grad(lib, x, fn, g):
    t = lib.tensor(x, requires_grad=True)
    fn(lib, t).backward(lib.tensor(g))
    return t.grad.numpy() if hasattr(t.grad, "numpy") else np.asarray(t.grad._data)


@pytest.mark.parametrize("shape, dim", [((3,), 0), ((2, 5), 1), ((4, 7), -1), ((3, 9), 1), ((5, 3), 0),
                                        ((6, 2), 0), ((1, 16), 1)])
def test_log_softmax_float64_gradient_fuses_as_torch(shape, dim):
    """grad - exp(out)·Σgrad is one FMA in torch's double kernels (and Σ in their order): the
    exact zeros of equal inputs are torch's tiny residuals, e.g. 4.8e-18 (seed 20054)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(shape) * 10 + shape[-1])
    fn = lambda lib, t: lib.log_softmax(t, dim)  # noqa: E731
    differ = total = 0
    for rep in range(60):
        x = np.full(shape, 1.17) if rep % 3 == 0 else rng.standard_normal(shape) * 2
        g = np.full(shape, 0.42) if rep % 2 == 0 else rng.standard_normal(shape)
        differ += _differ(_grad(G, x, fn, g), _grad(torch, x, fn, g))
        total += x.size
    # what is left is torch's SLEEF exp (expd4_u10) where glibc's rounds the other way;
    # the unfused formula differed in ~25% of the values
    assert differ <= 0.04 * total


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(), (1,), (5,), (17,), (3, 4)])
def test_add_sub_rsub_with_alpha_fuse_as_torch(dtype, shape):
    """a + alpha·b is one FMA in torch's add kernel (sub: alpha negated; rsub: b - alpha·a),
    at every length; numpy's two roundings differed in 5-30% of values (seed 2000262's
    ``b.sub_(b.grad, alpha=0.05)``)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(shape) + 7)
    for alpha in (0.05, 0.3, -1.7, 3):
        a = (rng.standard_normal((40,) + shape) * 3).astype(dtype)
        b = (rng.standard_normal((40,) + shape) * 2).astype(dtype)
        for name in ("add", "sub", "rsub"):
            def run(lib):
                f = getattr(lib, name)
                return np.stack([np.asarray(f(lib.tensor(x), lib.tensor(y), alpha=alpha).tolist()) for x, y in zip(a, b)])
            assert _differ(run(G).astype(dtype), run(torch).astype(dtype)) == 0, (name, alpha)
        c = G.tensor(a)
        c.sub_(G.tensor(b), alpha=alpha)  # the in-place form, as an optimizer loop writes it
        t = torch.tensor(a)
        t.sub_(torch.tensor(b), alpha=alpha)
        assert _differ(np.asarray(c.tolist(), dtype), t.numpy()) == 0


@pytest.mark.parametrize("n", [1, 7, 15, 16, 40])
def test_float32_pow_by_a_python_number_as_torch(n):
    """torch's scalar loop is std::pow(float, double): the exponent is not rounded to float
    (seeds 22075, 23742: ``x ** 0.3`` was an ulp off in 10-40% of values); the vectorized run
    (16+ contiguous) is SLEEF's powf, here correctly rounded: ~2% off (5% allowed). Gradients too."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(n)
    for e in (0.3, 1.7, -0.7, 2.5):
        x = (rng.random((30, n)) * 3 + 0.05).astype(np.float32)
        want, got, want_g, got_g = [], [], [], []
        for row in x:
            t = torch.tensor(row, requires_grad=True)
            y = torch.pow(t, e)
            y.backward(torch.ones(n))
            want.append(y.detach().numpy())
            want_g.append(t.grad.numpy())
            g = G.tensor(row, requires_grad=True)
            y = G.pow(g, e)
            y.backward(G.ones(n))
            got.append(np.asarray(y.tolist(), np.float32))
            got_g.append(np.asarray(g.grad.tolist(), np.float32))
        limit = 0 if n < 16 else 0.05 * x.size
        assert _differ(np.stack(got), np.stack(want)) <= limit, e
        assert _differ(np.stack(got_g), np.stack(want_g)) <= limit, e


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(), (3,), (17,)])
def test_lerp_fuses_as_torch(dtype, shape):
    """torch's lerp: x + w·(y - x) for |w| < 0.5, else y - (y - x)·(1 - w), each one FMA (seed
    22519, float64); the two roundings differed in 15-30% of values. Scalar and tensor weights."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(shape) + 3)
    for rep in range(20):
        a = rng.standard_normal(shape).astype(dtype)
        b = rng.standard_normal(shape).astype(dtype)
        w = (rng.random(shape) * 2 - 0.5).astype(dtype)
        for weight in (0.3, 0.7, -0.2, 1.5, w):
            def run(lib):
                wt = lib.tensor(weight) if isinstance(weight, np.ndarray) else weight
                return np.asarray(lib.lerp(lib.tensor(a), lib.tensor(b), wt).tolist(), dtype)
            assert _differ(run(G), run(torch)) == 0


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sums_of_negative_zeros_are_positive_zero_as_torch(dtype):
    """torch's dot (BLAS) and cumsum (its scan) add to a +0, so products or leading elements
    that are all -0. sum to +0. (seeds 21685, 23049: ``matmul`` of vectors); mm with one
    term keeps the -0. (no addition), both as torch."""
    torch = pytest.importorskip("torch")
    cases = [
        lambda t, x: t.dot(x([1.0, -1.0, 2.0]), x([-0.0, 0.0, -0.0])),
        lambda t, x: t.dot(x([1.0]), x([-0.0])),
        lambda t, x: t.matmul(x([-1.0, 2.0]), x([0.0, -0.0])),
        lambda t, x: t.cumsum(x([-0.0, -0.0, 1.5, -0.0]), 0),
        lambda t, x: t.cumsum(x([[-0.0, 2.0], [-0.0, -0.0]]), 1),
        lambda t, x: t.cumsum(x([[-0.0, 2.0], [-0.0, -0.0]]), 0),
        lambda t, x: t.mm(x([[1.0], [1.0]]), x([[0.5, -0.0]])),
        lambda t, x: t.mv(x([[1.0, 1.0]]), x([-0.0, -0.0])),
        lambda t, x: x([-0.0, -0.0]).sum(),
    ]
    for case in cases:
        got = case(G, lambda v: G.tensor(v, dtype=getattr(G, dtype)))
        want = case(torch, lambda v: torch.tensor(v, dtype=getattr(torch, dtype)))
        assert _differ(np.asarray(got.tolist(), dtype), want.numpy()) == 0
    # and in a gradient: cumsum's backward is a cumsum of the flipped gradient
    for lib in (G, torch):
        x = lib.tensor([1.0, 2.0, 3.0], dtype=getattr(lib, dtype), requires_grad=True)
        lib.cumsum(x, 0).backward(lib.tensor([-0.0, -0.0, -0.0], dtype=getattr(lib, dtype)))
        if lib is G:
            got = np.asarray(x.grad.tolist(), dtype)
        else:
            assert _differ(got, x.grad.numpy()) == 0


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mm_gradients_with_one_term_keep_negative_zeros(dtype):
    """mm's derivatives are mms: an inner size of 1 is one product per element in torch's BLAS,
    in the backward too, so a -0. input gives a -0. weight gradient (seed 20854, F.linear)."""
    torch = pytest.importorskip("torch")
    for rows in (1, 2, 3):
        grads = []
        for lib in (G, torch):
            dt = getattr(lib, dtype)
            w = lib.tensor([[-2.5, 1.9], [-1.0, 1.5]], dtype=dt, requires_grad=True)
            x = lib.tensor([[0.5, -0.0], [-0.0, 0.0], [2.0, -0.0]][:rows], dtype=dt, requires_grad=True)
            y = lib.nn.functional.linear(x, w, lib.tensor([0.1, -0.2], dtype=dt))
            y.backward(lib.tensor([[1.0, -1.0], [0.0, 2.0], [-0.0, 1.0]][:rows], dtype=dt))
            grads.append([np.asarray(w.grad.tolist(), dtype), np.asarray(x.grad.tolist(), dtype)])
        for got, want in zip(*grads):
            assert _differ(got, want) == 0, rows


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_small_matrix_products_sum_in_order_as_torch(dtype):
    """torch's BLAS and its own small bmm/mv kernels give the in-order sum of rounded products for
    short inner sizes (measured table in blas_order._mm_in_order); numpy's BLAS ordered them
    otherwise, an ulp off in 10-25% of values of an nn.Linear's forward and gradients (seeds
    2000227, 2000280, 1000051...). Here: F.linear forward and backward for batches 1-6 and 1-3
    features in and out, bmm and mv, bit for bit."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)

    def run(lib, fn, arrays, grad):
        ts = [lib.tensor(a, requires_grad=True) for a in arrays]
        y = fn(lib, *ts)
        y.backward(lib.tensor(grad))
        return [np.asarray(v.tolist(), dtype) for v in [y] + [t.grad for t in ts]]

    cases = []
    for batch in range(1, 7):
        for fin in (1, 2, 3):
            for fout in (1, 2, 3):
                cases.append((lambda lib, x, w, b: lib.nn.functional.linear(x, w, b),
                              [(batch, fin), (fout, fin), (fout,)], (batch, fout)))
    for bn, m, k, n in ((2, 2, 3, 2), (1, 3, 4, 2), (3, 2, 5, 3), (2, 4, 4, 4), (2, 6, 6, 6)):
        cases.append((lambda lib, a, b: lib.bmm(a, b), [(bn, m, k), (bn, k, n)], (bn, m, n)))
    for k in (2, 3, 5, 8):
        cases.append((lambda lib, a, v: lib.mv(a, v), [(3, k), (k,)], (3,)))
    for fn, shapes, gshape in cases:
        for rep in range(3):
            arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
            grad = rng.standard_normal(gshape).astype(dtype)
            for got, want in zip(run(G, fn, arrays, grad), run(torch, fn, arrays, grad)):
                assert _differ(got, want) == 0, shapes


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_row_times_matrix_sums_in_order_for_long_inner_sizes(dtype):
    """One row times a row-major matrix is MKL's gemv down the rows: the in-order sum for any
    inner size. An nn.Linear(3, 1) fit on 2000 points ("Learning PyTorch with examples") takes
    its weight gradient so (grad_output.t() @ input); numpy's BLAS was an ulp off."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(12)
    for k, n in ((9, 3), (100, 1), (2000, 3), (517, 20)):
        arrays = [rng.standard_normal((k, 1)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)]
        got, want = [np.asarray(lib.tensor(arrays[0]).t().mm(lib.tensor(arrays[1])).tolist(), dtype)
                     for lib in (G, torch)]
        assert _differ(got, want) == 0, (k, n)
        vec = [np.asarray((lib.tensor(arrays[0][:, 0]) @ lib.tensor(arrays[1])).tolist(), dtype)
               for lib in (G, torch)]
        assert _differ(*vec) == 0, (k, n)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cumprod_along_a_size_one_dim_passes_the_gradient_through(dtype):
    """torch's cumprod_backward returns grad for a size-1 dim: no division, no zero handling,
    so second derivatives keep torch's zeros and their signs (seed 22097)."""
    torch = pytest.importorskip("torch")
    x0 = np.array([[[2.0, 0.5, 2.0], [-1.0, 0.605, 1.0]]], dtype)
    c = np.array([[[-2.41, 2.0, 1.0], [-1.2, 0.0, 2.2]]], dtype)
    results = []
    for lib in (G, torch):
        x = lib.tensor(x0, requires_grad=True)
        y = lib.cumprod(lib.tanh(x) * lib.tensor(c), dim=0) * lib.tensor(c)
        (g,) = lib.autograd.grad(y.mean(), [x], create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), [x])
        results.append([np.asarray(v.tolist(), dtype) for v in (g, h)])
    for got, want in zip(*results):
        assert _differ(got, want) == 0


def test_mish_derivative_under_create_graph_is_torchs_math_mish_backward():
    """Under create_graph torch runs math_mish_backward: tanh(softplus(x)) with the softplus op
    (its SLEEF/glibc kernel), not log(1 + exp(x)): float32 first derivatives were off in ~40% of
    values, now only where torch's MKL tanh rounds otherwise (seed 20122)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    differ = total = 0
    for rep in range(40):
        x0 = (rng.standard_normal(12) * 3).astype(np.float32)
        grads = []
        for lib in (G, torch):
            x = lib.tensor(x0, requires_grad=True)
            (g,) = lib.autograd.grad(lib.nn.functional.mish(x).sum(), [x], create_graph=True)
            grads.append(np.asarray(g.tolist(), np.float32))
        differ += _differ(*grads)
        total += x0.size
    assert differ <= 0.08 * total


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape, dim", [((3,), None), ((1, 2), -1), ((4, 5), -1), ((3, 7), 1), ((2, 3), None),
                                        ((2, 3), (0, 1)), ((3, 4), 0), ((2, 3, 2), 1), ((5, 3), 0)])
def test_vector_norm_adds_squares_as_torchs_kernel(dtype, shape, dim):
    """torch's p=2 norm: rows in FMA'd vector lanes added in order, other dims squares in order
    (numpy's pairwise sum was an ulp off in ~10% of short rows; cosine_similarity, seeds 22551,
    22721). Values and gradients, keepdim or not."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(sum(shape))
    for rep in range(20):
        x0 = rng.standard_normal(shape).astype(dtype)
        for keepdim in (False, True):
            res = []
            for lib in (G, torch):
                x = lib.tensor(x0, requires_grad=True)
                y = lib.linalg.vector_norm(x, 2, dim, keepdim)
                y.sum().backward()
                res.append([np.asarray(y.tolist(), dtype), np.asarray(x.grad.tolist(), dtype)])
            for got, want in zip(*res):
                assert _differ(got, want) == 0
        a, b = rng.standard_normal((2,) + shape[-1:]).astype(dtype)
        sims = [np.asarray(lib.nn.functional.cosine_similarity(lib.tensor(a), lib.tensor(b), dim=0).tolist(), dtype)
                for lib in (G, torch)]
        assert _differ(*sims) == 0


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dot_sums_in_mkls_order(dtype):
    """torch's dot is MKL's: double in 4 lanes folded in halves up to 4 terms, even/odd up to 8;
    float in 16 lanes (in order for 3, 4 lanes for 16) at the measured lengths (seeds 24743,
    21685); numpy's dot differed in ~30% of them. Values and gradients, matmul of vectors too."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    lengths = (1, 2, 3, 4, 5, 6, 7, 8) if dtype == "float64" else (1, 2, 3, 4, 5, 8, 9, 12, 16)
    for k in lengths:
        for rep in range(25):
            a, b = rng.standard_normal((2, k)).astype(dtype)
            got, want = (np.asarray([lib.dot(lib.tensor(a), lib.tensor(b)).item(),
                                     lib.matmul(lib.tensor(a), lib.tensor(b)).item()], dtype) for lib in (G, torch))
            assert _differ(got, want) == 0, k


@pytest.mark.parametrize("shape, dim", [((5, 3), 0), ((2, 3, 3), 1), ((4, 2), 0), ((3, 2, 2), 0)])
def test_softmax_float64_gradient_over_other_dims_chains_fmas(shape, dim):
    """softmax's backward over a dim that is not the last sums grad·output as a chain of FMAs in
    double as in float (26% of float64 values were an ulp off). Inner runs shorter than 4 doubles:
    longer ones take SLEEF's double exp in the forward, not emulated."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(shape) + dim)
    for rep in range(30):
        x0, g = rng.standard_normal((2,) + shape) * 2
        grads = []
        for lib in (G, torch):
            x = lib.tensor(x0, requires_grad=True)
            lib.softmax(x, dim).backward(lib.tensor(g))
            grads.append(np.asarray(x.grad.tolist()))
        assert _differ(*grads) == 0
