"""The float32 policy (ops/float32_math.py): below LARGE elements, float64 rounded once (torch's
bits); from LARGE on, numpy's float32 loop. Both sides of the line, every function that uses it."""

import numpy as np
import pytest

import gradcli.autograd  # noqa: F401  (the engine's error state: warnings off)
from gradcli.autograd.ops import elementwise as E
from gradcli.autograd.ops import float32_math
from gradcli.autograd.ops.float32_math import LARGE, one_minus_square, via_float64
from gradcli.autograd.tensor import wrap

FUNCTIONS = {"exp": np.exp, "tanh": np.tanh, "sin": np.sin, "cos": np.cos, "log1p": np.log1p}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("n", [1, 7, LARGE - 1, LARGE, LARGE + 5])
def test_each_side_of_the_line(name, n):
    fn = FUNCTIONS[name]
    a = np.abs(np.random.default_rng(n).standard_normal(n) * 2).astype(np.float32)
    got = getattr(E, name)(wrap(a))._data
    want = fn(a) if n >= LARGE else fn(a.astype(np.float64)).astype(np.float32)
    assert got.dtype == np.float32 and np.array_equal(got, want)
    assert np.array_equal(via_float64(fn, a), want)


@pytest.mark.parametrize("n", [5, LARGE])
def test_tanh_derivative_factor(n):
    y = np.tanh(np.random.default_rng(0).standard_normal(n)).astype(np.float32)
    got = one_minus_square(y)
    want = (np.float32(1) - y * y) if n >= LARGE else (1 - np.square(y.astype(np.float64))).astype(np.float32)
    assert got.dtype == np.float32 and np.array_equal(got, want)


# -- SLEEF's expf_u10 and torch's vectorized/scalar split (sigmoid) --------------------------

from gradcli.autograd.ops.float32_math import sigmoid, vectorized  # noqa: E402
from gradcli.autograd.ops.sleef_f32 import exp2f_u10, expf_u10, fma32, logf_u10  # noqa: E402


def _u32(a):
    return np.asarray(a, np.float32).view(np.uint32)


def test_fma32_rounds_once():
    # 1 + 2^-24 + 2^-60 (exact a*b+c) rounds up; a float64 sum would round to the midpoint 1 + 2^-24
    # and then to even (1.0): the double rounding fma32 avoids
    a, b = np.float32(1 + 2.0 ** -12), np.float32(2.0 ** -12 + 2.0 ** -23)
    c = np.float32(1) - np.float32(2.0 ** -12) - np.float32(2.0 ** -23)
    exact = (1 + 2.0 ** -12) * (2.0 ** -12 + 2.0 ** -23) + float(c)
    assert float(fma32(a, b, c)) == float(np.float32(np.nextafter(exact, 2)))
    assert fma32(np.float32(3), np.float32(5), np.float32(7)) == np.float32(22)


def test_expf_u10_pinned_bits():
    # SLEEF's expf_u10 as torch's AVX2 sigmoid runs it (values read from torch 2.13)
    x = np.array([0, -0.0, 1, -1, 0.5, 88.5, 89, -87.5, -103.5, -104.5, 100.5, np.inf, -np.inf, np.nan],
                 np.float32)
    e = expf_u10(x)
    assert e[0] == 1 and e[1] == 1 and e[9] == 0 and e[10] == np.inf and e[11] == np.inf and e[12] == 0
    assert np.isnan(e[13]) and e[5] < np.inf and e[6] == np.inf
    assert 0 < e[8] < np.finfo(np.float32).tiny  # a subnormal, through SLEEF's two-step ldexp
    assert _u32(e[2]) == _u32(np.float32(np.e))


@pytest.mark.parametrize("n", [1, 15, 16, 17, 31, 33, 100, 5000, 40024])
def test_sigmoid_vector_and_tail_as_torch(n, monkeypatch):
    torch = pytest.importorskip("torch")
    # past EXACT elements gradcli leaves the emulation out (its cost); the machinery itself,
    # torch's split of a big tensor between threads included, still holds there
    monkeypatch.setattr(float32_math, "EXACT", max(float32_math.EXACT, n + 1))
    rng = np.random.default_rng(n)
    for scale in (3, 40):
        x = (rng.standard_normal(n) * scale).astype(np.float32)
        want = torch.sigmoid(torch.from_numpy(x)).numpy()
        got = sigmoid(x)
        # the scalar tail takes glibc's expf, off the correctly rounded exp ~0.03% of the time
        assert (_u32(got[vectorized(x)]) == _u32(want[vectorized(x)])).all()
        assert (_u32(got) != _u32(want)).mean() <= 0.002


def test_sigmoid_layouts_as_torch():
    torch = pytest.importorskip("torch")
    b = np.random.default_rng(1).normal(0, 6, (6, 10, 50)).astype(np.float32)
    t = torch.from_numpy(b)
    for tv, a in [(t.permute(2, 0, 1), b.transpose(2, 0, 1)), (t[:, :7], b[:, :7]), (t[:, :, ::2], b[:, :, ::2]),
                  (t[:, :1].expand(6, 9, 50), np.broadcast_to(b[:, :1], (6, 9, 50))),
                  (t[:, :, :1].expand(6, 10, 33), np.broadcast_to(b[:, :, :1], (6, 10, 33))), (t[0, 0, 0], b[0, 0, 0])]:
        assert np.array_equal(_u32(E.sigmoid(wrap(np.asarray(a)))._data), _u32(torch.sigmoid(tv).numpy()))


def test_sigmoid_large_random_sample_as_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.standard_normal(40000) * 4, rng.uniform(-110, 110, 40000),
                        np.frombuffer(rng.bytes(4 * 40000), np.float32).astype(np.float64)]).astype(np.float32)
    x = x[: x.size // 16 * 16]
    x = x[np.isfinite(x) | np.isinf(x)]
    for i in range(0, x.size - 16, 16000):  # runs below the thread grain and EXACT
        chunk = x[i:i + 16000][: min(16000, x.size - i) // 16 * 16]
        assert np.array_equal(_u32(sigmoid(chunk)), _u32(torch.sigmoid(torch.from_numpy(chunk)).numpy()))


def test_vectorized_split():
    assert not vectorized(np.zeros(15, np.float32)).any()
    assert vectorized(np.zeros(33, np.float32)).tolist() == [True] * 32 + [False]
    m = vectorized(np.zeros((3, 20), np.float32)[:, :18])  # rows of 18: 16 vector + 2 scalar each
    assert m.sum() == 48 and not m[:, 16:].any()
    assert not vectorized(np.zeros(40, np.float32)[::2]).any()
    assert vectorized(np.zeros((4, 8), np.float32)).all()  # coalesced: one run of 32


def test_sigmoid_pinned_bits_of_torchs_vector_path():
    # four inputs where torch's 16-wide sigmoid (SLEEF exp) is an ulp off the once-rounded
    # exp route, which the same inputs still take in a 3-element tensor (torch 2.13, AVX2)
    x = np.array([0xbeeaadf8, 0xc00dd902, 0x3f83a7ad, 0xc0283e04] * 4, np.uint32).view(np.float32)
    vec = [0x3ec6560e, 0x3dc94c4c, 0x3f3c9425, 0x3d89d921]
    sca = [0x3ec6560f, 0x3dc94c4b, 0x3f3c9426, 0x3d89d922]
    assert _u32(E.sigmoid(wrap(x))._data).tolist() == vec * 4
    assert _u32(E.sigmoid(wrap(x[:3].copy()))._data).tolist() == sca[:3]


def test_exp2f_u10_pinned():
    x = np.array([0, -0.0, 0.5, 127.9, 128, -149.5, -150, -150.5, -126.3, np.inf, -np.inf, np.nan, 3e38, -3e38],
                 np.float32)
    e = exp2f_u10(x)
    assert e[0] == 1 and e[1] == 1 and e[2] == np.float32(np.sqrt(2)) and e[4] == np.inf and e[6] == 0
    assert _u32(e[5]) == 1 and e[7] == 0 and 0 < e[8] < np.finfo(np.float32).tiny  # subnormals
    assert e[9] == np.inf and e[10] == 0 and np.isnan(e[11]) and e[12] == np.inf and e[13] == 0


@pytest.mark.parametrize("n", [1, 16, 17, 100, 16000])
def test_exp2_vector_and_tail_as_torch(n):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(n)
    for x in (rng.standard_normal(n) * 4, rng.uniform(-160, 140, n), rng.uniform(-1, 1, n)):
        x = x.astype(np.float32)
        assert np.array_equal(_u32(E.exp2(wrap(x))._data), _u32(torch.exp2(torch.from_numpy(x)).numpy()))


# -- softmax / log_softmax over the last dim: SLEEF's exp, vec::reduce_all's sums, one FMA ------

@pytest.mark.parametrize("shape", [(3,), (2, 3), (4, 5), (3, 20), (2, 70)])
def test_last_dim_softmax_and_gradients_as_torch(shape):
    torch = pytest.importorskip("torch")
    from gradcli.autograd import engine
    from gradcli.autograd.ops import softmax as S

    rng = np.random.default_rng(len(shape) * 100 + shape[-1])
    for _ in range(60):
        x = (rng.standard_normal(shape) * 2).astype(np.float32)
        w = rng.standard_normal(shape).astype(np.float32)
        for name in ("softmax", "log_softmax"):
            t = torch.tensor(x, requires_grad=True)
            out = getattr(torch, name)(t, -1)
            (out * torch.from_numpy(w)).sum().backward()
            g = wrap(x.copy())
            g.requires_grad_()
            ours = getattr(S, name)(g, -1)
            engine.backward(E.mul(ours, wrap(w)).sum())
            assert np.array_equal(_u32(ours._data), _u32(out.detach().numpy())), name
            assert np.array_equal(_u32(g.grad._data), _u32(t.grad.numpy())), name


def test_logf_u10_pinned():
    x = np.array([1, 2, 0.75, 1.5, 3, 1e-45, 1e-40, np.inf, 0, -0.0, -1, np.nan, 3e38], np.float32)
    r = logf_u10(x)
    assert r[0] == 0 and r[7] == np.inf and r[8] == -np.inf and r[9] == -np.inf
    assert np.isnan(r[10]) and np.isnan(r[11])
    assert _u32(r[1]) == _u32(np.float32(np.log(2.0)))
    assert abs(float(r[5]) - np.log(1.401298464324817e-45)) < 1e-4  # a subnormal, scaled by 2^64 first
    # where SLEEF's u10 log and the correctly rounded one part (sums of a log_softmax row)
    s = np.array([0x3fb82ed2, 0x3f8b8de8, 0x3f8d0bcc, 0x3fbf895f], np.uint32).view(np.float32)
    cr = np.log(s.astype(np.float64)).astype(np.float32)
    assert (_u32(logf_u10(s)) != _u32(cr)).all()


@pytest.mark.parametrize("shape,dim", [((2, 3), 0), ((3, 4, 5), 1), ((40, 8), 0), ((5, 16), 0), ((4, 3, 20), 1),
                                       ((3, 4, 12), 1), ((2, 3, 4, 5), 0), ((1, 3, 33), 1)])
def test_other_dim_softmax_and_gradients_as_torch(shape, dim):
    torch = pytest.importorskip("torch")
    from gradcli.autograd import engine
    from gradcli.autograd.ops import softmax as S

    rng = np.random.default_rng(shape[-1] * 10 + dim)
    bad = total = 0
    for _ in range(40):
        x = (rng.standard_normal(shape) * 2).astype(np.float32)
        w = rng.standard_normal(shape).astype(np.float32)
        for name in ("softmax", "log_softmax"):
            t = torch.tensor(x, requires_grad=True)
            want = getattr(torch, name)(t, dim)
            (want * torch.from_numpy(w)).sum().backward()
            g = wrap(x.copy())
            g.requires_grad_()
            got = getattr(S, name)(g, dim)
            engine.backward(E.mul(got, wrap(w)).sum())
            bad += int((got._data != want.detach().numpy()).sum()) + int((g.grad._data != t.grad.numpy()).sum())
            total += 2 * x.size
    assert bad / total <= 0.003  # the scalar tails' exp is glibc's, correctly rounded but ~0.05%


def test_past_exact_every_element_takes_the_scalar_route():
    # the SLEEF emulations cost 20-60x numpy's loops: a bigger tensor gets libm's route throughout
    n = float32_math.EXACT
    x = (np.random.default_rng(0).standard_normal(n) * 5).astype(np.float32)
    assert float32_math.vectorized(x).any()
    assert np.array_equal(_u32(float32_math.sigmoid(x)), _u32(float32_math._sigmoid_scalar(x)))
    assert not np.array_equal(_u32(float32_math.sigmoid(x[:-1])), _u32(float32_math._sigmoid_scalar(x[:-1])))
