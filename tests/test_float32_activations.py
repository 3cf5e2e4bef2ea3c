"""float32 activations and their backward kernels bit for bit against torch's CPU kernels
(ops/float32_activation.py): SLEEF on the vectorized run, glibc on the scalar tail, oneDNN for
gelu. Each class of layout: lengths 1-15 (scalar only), 16+ (vector + tail), transposed and
sliced views, 0-d; plus the special values. The SLEEF/glibc pieces are also pinned without torch."""

import numpy as np
import pytest

import gradcli.autograd  # noqa: F401
from gradcli.autograd.namespace import build_torch_module
from gradcli.autograd.ops import float32_activation as A
from gradcli.autograd.ops.float32_math import expf
from gradcli.autograd.ops.sleef_f32 import coshf_u10, expm1f_u10, log1pf_u10, sinhf_u10, tanhf_u10
from gradcli.autograd.tensor import wrap

G = build_torch_module()
GF = G.nn.functional

# name -> (call on a functional namespace and tensor)
CASES = {
    "silu": lambda F, x: F.silu(x),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
    "elu": lambda F, x: F.elu(x),
    "celu": lambda F, x: F.celu(x, 0.7),
    "selu": lambda F, x: F.selu(x),
    "softplus": lambda F, x: F.softplus(x),
    "softplus_beta": lambda F, x: F.softplus(x, 2.0, 5.0),
    "mish": lambda F, x: F.mish(x),
    "gelu_tanh": lambda F, x: F.gelu(x, approximate="tanh"),
    "gelu": lambda F, x: F.gelu(x),
    "sinh": lambda F, x: x.sinh(),
    "cosh": lambda F, x: x.cosh(),
}
# gelu's gradient of a contiguous input of 2+ elements is oneDNN's, which torch's differs from
# by an ulp in ~15% of values (tests/difftest_findings.md, Round 6): not compared there


def _layouts(rng):
    def a(*shape):
        return (rng.standard_normal(shape) * 4).astype(np.float32)
    yield "small", [a(n) for n in (1, 3, 7, 15)]
    yield "vec", [a(n) for n in (16, 17, 40, 100, 1000)]
    yield "vec2d", [a(5, 33), a(3, 4, 20)]
    yield "strided", [a(33, 20).T, a(8, 40)[:, ::2], a(40)[::3]]
    yield "0d", [np.array(v, np.float32) for v in a(40)]


def _torch_pair(torch, x):
    base = x.base if x.base is not None else x
    t = torch.from_numpy(np.array(base))
    t = torch.as_strided(t, x.shape, [s // 4 for s in x.strides],
                         (x.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // 4)
    assert np.array_equal(t.numpy(), x)
    return t


def _bits_equal(a, b):
    return np.array_equal(np.asarray(a).view(np.uint32), np.asarray(b).view(np.uint32)) or (
        np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(a[~np.isnan(a)].view(np.uint32),
                                                                      b[~np.isnan(b)].view(np.uint32)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_forward_and_backward_bits_match_torch(name):
    torch = pytest.importorskip("torch")
    fn = CASES[name]
    rng = np.random.default_rng(sorted(CASES).index(name))
    for kind, arrays in _layouts(rng):
        for x in arrays:
            g = rng.standard_normal(x.shape).astype(np.float32)
            t = _torch_pair(torch, x).requires_grad_()
            ty = fn(torch.nn.functional, t)
            ty.backward(torch.from_numpy(g))
            gx = wrap(x).requires_grad_()
            gy = fn(GF, gx)
            gy.backward(wrap(g))
            assert _bits_equal(gy._data, ty.detach().numpy()), (name, kind, x.shape)
            if name != "gelu" or not (x.size > 1 and x.flags.c_contiguous):
                assert _bits_equal(gx.grad._data, t.grad.numpy()), (name, kind, x.shape, "grad")


SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, -1e-30, 1e-40, 88.7, 89.5, -89.5, 100, -100,
                    -104.5, 20, 20.5, -16.7, 8.7, -8.7, 1e38, 3e38, -1, 30] * 2, np.float32)


@pytest.mark.parametrize("name", sorted(CASES))
def test_special_values_match_torch(name):
    torch = pytest.importorskip("torch")
    fn = CASES[name]
    for x in (SPECIAL, SPECIAL[:7]):  # vectorized and scalar paths
        want = fn(torch.nn.functional, torch.from_numpy(x.copy())).numpy()
        got = fn(GF, wrap(x.copy()))._data
        assert _bits_equal(got, want), (name, x.size, x[got.view(np.uint32) != want.view(np.uint32)])


def _hex(a):
    return [hex(v) for v in np.asarray(a, np.float32).view(np.uint32)]


def test_glibc_erff_pinned_bits():
    # glibc 2.36's erff (fdlibm's), where it is not the correctly rounded erf (bits via ctypes)
    x = np.array([0x3da9456e, 0x3f52c13d, 0x3f36fa91, 0xbfa96557], np.uint32).view(np.float32)
    assert _hex(A._erf(x)) == ['0x3dbe916c', '0x3f417484', '0x3f301a30', '0xbf7050ee']
    assert A._erf(np.array([np.inf, -np.inf, 7.0, -0.0], np.float32)).tolist() == [1.0, -1.0, 1.0, -0.0]


def test_glibc_expf_pinned_bits():
    # inputs where glibc 2.36's expf (torch's scalar std::exp) is not the correctly rounded exp;
    # the bits are glibc's (read through ctypes)
    x = np.array([0xc00f2617, 0x3efcafee, 0xbfa17dc7, 0x410a7508], np.uint32).view(np.float32)
    assert _hex(expf(x)) == ['0x3ddabf6c', '0x3fd1acdf', '0x3e90fdc6', '0x45b314a4']
    assert _hex(expf(x)) != _hex(np.exp(x.astype(np.float64)).astype(np.float32))
    assert expf(np.array([0.0, -np.inf, np.inf, 89.0, -104.0], np.float32)).tolist() == [1.0, 0.0, np.inf, np.inf, 0.0]


def test_sleef_u10_functions_pinned_bits():
    # bits of torch 2.13's Vectorized<float> sinh/cosh/expm1/log1p/tanh (AVX2 SLEEF u10), as
    # checked against torch's kernels; no torch needed
    x = np.array([0.5, -1.25, 3.0, 10.0, -0.001, 20.0, 1e-5, -7.5], np.float32)
    assert _hex(sinhf_u10(x)) == ['0x3f056680', '0xbfcd0baf', '0x41204937', '0x462c14ee', '0xba831270',
                                  '0x4d675844', '0x3727c5ac', '0xc4620157']
    assert _hex(coshf_u10(x)) == ['0x3f90560c', '0x3ff1b7e0', '0x41211525', '0x462c14ef', '0x3f800004',
                                  '0x4d675844', '0x3f800000', '0x44620160']
    assert _hex(expm1f_u10(x)) == ['0x3f261299', '0xbf36a79f', '0x4198af2e', '0x46ac12ee', '0xba8301a9',
                                   '0x4de75844', '0x3727c5e3', '0xbf7fdbc1']
    assert _hex(log1pf_u10(x)) == ['0x3ecf991f', '0x7fc00000', '0x3fb17218', '0x4019771e', '0xba832339',
                                   '0x4042d975', '0x3727c575', '0x7fc00000']
    assert _hex(tanhf_u10(x)) == ['0x3eec9a9f', '0xbf59291e', '0x3f7ebbe9', '0x3f800000', '0xba83126c',
                                  '0x3f800000', '0x3727c5ac', '0xbf7ffff6']
    assert log1pf_u10(np.array([-1.0], np.float32))[0] == -np.inf
    assert np.signbit(expm1f_u10(np.array([-0.0], np.float32)))[0]


@pytest.mark.parametrize("n", [16, 64])
def test_onednn_gelu_differs_from_torch_vectorized_kernel(n):
    # a contiguous gelu goes through oneDNN (its own exp, S + S·erf fused), not torch's kernel:
    # the two give different bits on some inputs, and torch agrees with the first
    x = (np.random.default_rng(n).standard_normal(n) * 3).astype(np.float32)
    vec = x * A._HALF * (A.ONE + A.erf_vec(x * A._SQRT_HALF))
    assert not np.array_equal(A.onednn_gelu(x), vec)
    assert np.array_equal(A.gelu(x), A.onednn_gelu(x))


INPLACE = {
    "elu": (lambda F, y: F.elu(y, alpha=0.7, inplace=True), "EluBackward1"),
    "selu_": (lambda F, y: F.selu(y, inplace=True), "EluBackward1"),
    "celu": (lambda F, y: F.celu(y, 0.5, inplace=True), "CeluBackward1"),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inplace_elu_family_saves_the_result_as_torch(name, dtype):
    # elu_/selu_/celu_ run elu_backward(is_result=True): grad·input_scale·(result + alpha·scale)
    torch = pytest.importorskip("torch")
    fn, node = INPLACE[name]
    x = ((np.arange(7) * 7919 % 97) / 13.0 - 3.7).astype(dtype)
    results = []
    for T, F, mk in ((torch, torch.nn.functional, torch.from_numpy), (G, GF, wrap)):
        leaf = mk(x.copy()).requires_grad_(True)
        y = leaf * 1.0
        fn(F, y)
        name_of = y.grad_fn.name() if T is torch else type(y.grad_fn).__name__
        (g,) = T.autograd.grad((y * y).sum(), leaf, create_graph=True)
        g.sum().backward()
        results.append((name_of, np.asarray(g.detach().numpy() if T is torch else g._data), leaf.grad.numpy()
                        if T is torch else leaf.grad._data))
    (tn, tg, tgg), (gn, gg, ggg) = results
    assert tn == gn == node
    assert _bits_equal(gg, tg) and _bits_equal(ggg, tgg)
