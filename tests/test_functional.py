"""torch.autograd.functional on gradcli: results, nesting and errors as torch 2.13's,
with pinned values for the common cases."""

import warnings

import numpy as np
import pytest

from gradcli.autograd.namespace import build_torch_module

gt = build_torch_module()
F = gt.autograd.functional


def _plain(x):
    if isinstance(x, tuple):
        return ("tuple", [_plain(v) for v in x])
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if hasattr(x, "detach") and hasattr(x, "dtype"):
        return ("T", list(x.shape), np.asarray(x.detach().tolist()).round(4).tolist(), str(x.dtype),
                x.requires_grad)
    return x


def _outcome(lib, scenario):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", _plain(scenario(lib)))
        except Exception as e:  # noqa: BLE001
            return ("raise", type(e).__name__, str(e))


def _x(lib):
    return lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64)


def _y(lib):
    return lib.tensor([[1.0, 2.0], [3.0, 0.5]], dtype=lib.float64)


def s_vjp(lib):
    return lib.autograd.functional.vjp(lambda x: x.sin() * x, _x(lib), lib.ones(3, dtype=lib.float64))


def s_vjp_scalar_default_v(lib):
    return lib.autograd.functional.vjp(lambda x: (x * x).sum(), _x(lib))


def s_vjp_tuple(lib):
    return lib.autograd.functional.vjp(lambda x, y: (x * 2, y.exp()), (_x(lib), _y(lib)),
                                       (lib.ones(3, dtype=lib.float64), lib.ones(2, 2, dtype=lib.float64)))


def s_vjp_v_none_error(lib):
    return lib.autograd.functional.vjp(lambda x: x * 2, _x(lib))


def s_vjp_v_size_error(lib):
    return lib.autograd.functional.vjp(lambda x: x * 2, _x(lib), lib.ones(2, dtype=lib.float64))


def s_vjp_bad_input(lib):
    return lib.autograd.functional.vjp(lambda x: x * 2, [1.0])


def s_vjp_unused_input(lib):
    return lib.autograd.functional.vjp(lambda x, y: x * 2, (_x(lib), _y(lib)), lib.ones(3, dtype=lib.float64))


def s_vjp_strict(lib):
    return lib.autograd.functional.vjp(lambda x, y: x * 2, (_x(lib), _y(lib)), lib.ones(3, dtype=lib.float64),
                                       strict=True)


def s_vjp_create_graph(lib):
    x = _x(lib).requires_grad_()
    out, g = lib.autograd.functional.vjp(lambda t: t ** 3, x, lib.ones(3, dtype=lib.float64), create_graph=True)
    g2, = lib.autograd.grad(g.sum(), x)
    return [out.requires_grad, g.requires_grad, g2]


def s_jvp(lib):
    return lib.autograd.functional.jvp(lambda x: x.sin() * x, _x(lib), lib.ones(3, dtype=lib.float64))


def s_jvp_tuple(lib):
    return lib.autograd.functional.jvp(lambda x, y: (x * 3, (y * y).sum() + x.sum()), (_x(lib), _y(lib)),
                                       (lib.ones(3, dtype=lib.float64), lib.ones(2, 2, dtype=lib.float64)))


def s_jvp_v_none_error(lib):
    return lib.autograd.functional.jvp(lambda x: x * 2, _x(lib))


def s_jacobian(lib):
    return lib.autograd.functional.jacobian(lambda x: x.sin() * x, _x(lib))


def s_jacobian_scalar_in(lib):
    return lib.autograd.functional.jacobian(lambda x: x * lib.tensor([1.0, 2.0]), lib.tensor(3.0))


def s_jacobian_matrix(lib):
    return lib.autograd.functional.jacobian(lambda y: y.exp() * 2, _y(lib))


def s_jacobian_tuple_in(lib):
    return lib.autograd.functional.jacobian(lambda x, y: x.sum() * y, (_x(lib), _y(lib)))


def s_jacobian_tuple_out(lib):
    return lib.autograd.functional.jacobian(lambda x: (x * 2, x.sum()), _x(lib))


def s_jacobian_tuple_both(lib):
    return lib.autograd.functional.jacobian(lambda x, y: (x * 2, y.sum() * x), (_x(lib), _y(lib)))


def s_jacobian_unused(lib):
    return lib.autograd.functional.jacobian(lambda x, y: x * 2, (_x(lib), _y(lib)))


def s_jacobian_strict(lib):
    return lib.autograd.functional.jacobian(lambda x, y: x * 2, (_x(lib), _y(lib)), strict=True)


def s_jacobian_vectorize(lib):
    return lib.autograd.functional.jacobian(lambda x: x ** 2, _x(lib), vectorize=True)


def s_jacobian_bad_output(lib):
    return lib.autograd.functional.jacobian(lambda x: [x], _x(lib))


def s_jacobian_float32(lib):
    return lib.autograd.functional.jacobian(lambda x: x * x, lib.tensor([1.0, 2.0]))


def s_hessian(lib):
    return lib.autograd.functional.hessian(lambda x: (x ** 3).sum(), _x(lib))


def s_hessian_tuple(lib):
    return lib.autograd.functional.hessian(lambda x, y: (x * x).sum() * y.sum(), (_x(lib), _y(lib)))


def s_hessian_non_scalar(lib):
    return lib.autograd.functional.hessian(lambda x: x * 2, _x(lib))


def s_hessian_create_graph(lib):
    x = _x(lib).requires_grad_()
    h = lib.autograd.functional.hessian(lambda t: (t ** 3).sum(), x, create_graph=True)
    g, = lib.autograd.grad(h.sum(), x)
    return [h.requires_grad, g]


def s_vhp(lib):
    return lib.autograd.functional.vhp(lambda x: (x ** 3).sum(), _x(lib), lib.ones(3, dtype=lib.float64))


def s_hvp(lib):
    return lib.autograd.functional.hvp(lambda x: (x.sin() * x).sum(), _x(lib),
                                       lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64))


def s_hvp_tuple(lib):
    return lib.autograd.functional.hvp(lambda x, y: (x * x).sum() * y.sum(), (_x(lib), _y(lib)),
                                       (lib.ones(3, dtype=lib.float64), lib.ones(2, 2, dtype=lib.float64)))


def s_hvp_non_scalar(lib):
    return lib.autograd.functional.hvp(lambda x: x * 2, _x(lib), lib.ones(3, dtype=lib.float64))


SCENARIOS = [
    s_vjp, s_vjp_scalar_default_v, s_vjp_tuple, s_vjp_v_none_error, s_vjp_v_size_error, s_vjp_bad_input,
    s_vjp_unused_input, s_vjp_strict, s_vjp_create_graph, s_jvp, s_jvp_tuple, s_jvp_v_none_error,
    s_jacobian, s_jacobian_scalar_in, s_jacobian_matrix, s_jacobian_tuple_in, s_jacobian_tuple_out,
    s_jacobian_tuple_both, s_jacobian_unused, s_jacobian_strict, s_jacobian_vectorize,
    s_jacobian_bad_output, s_jacobian_float32, s_hessian, s_hessian_tuple, s_hessian_non_scalar,
    s_hessian_create_graph, s_vhp, s_hvp, s_hvp_tuple, s_hvp_non_scalar,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_agrees_with_torch(scenario):
    ours = _outcome(gt, scenario)
    torch = pytest.importorskip("torch")
    assert ours == _outcome(torch, scenario)


def test_pinned_jacobian_and_hessian():
    x = gt.tensor([0.5, -1.0, 2.0], dtype=gt.float64)
    jac = F.jacobian(lambda t: t * t, x)
    assert jac.shape == (3, 3) and jac.tolist() == [[1.0, 0, 0], [0, -2.0, 0], [0, 0, 4.0]]
    h = F.hessian(lambda t: (t ** 3).sum(), x)
    assert h.tolist() == [[3.0, 0, 0], [0, -6.0, 0], [0, 0, 12.0]]
    out, v = F.vjp(lambda t: t * t, x, gt.ones(3, dtype=gt.float64))
    assert v.tolist() == [1.0, -2.0, 4.0] and not out.requires_grad
    out, v = F.jvp(lambda t: t * t, x, gt.ones(3, dtype=gt.float64))
    assert v.tolist() == [1.0, -2.0, 4.0]
    out, v = F.hvp(lambda t: (t ** 3).sum(), x, gt.ones(3, dtype=gt.float64))
    assert v.tolist() == [3.0, -6.0, 12.0] and out.item() == 7.125
    nested = F.jacobian(lambda a, b: (a * b, a + b), (x, x))
    assert isinstance(nested, tuple) and len(nested) == 2 and all(len(row) == 2 for row in nested)
    with pytest.raises(RuntimeError, match="^The vector v can only be None if the user-provided function "
                                           "returns a single Tensor with a single element.$"):
        F.vjp(lambda t: t * 2, x)


def test_jacobian_matches_finite_differences():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 3))

    def f(t):
        return (t.sin() * t).exp()

    x = gt.tensor(a)
    jac = F.jacobian(f, x)._data
    eps = 1e-6
    num = np.zeros((2, 3, 2, 3))
    for idx in np.ndindex(2, 3):
        hi, lo = a.copy(), a.copy()
        hi[idx] += eps
        lo[idx] -= eps
        num[(slice(None), slice(None)) + idx] = (np.exp(np.sin(hi) * hi) - np.exp(np.sin(lo) * lo)) / (2 * eps)
    np.testing.assert_allclose(jac, num, rtol=1e-6, atol=1e-8)
