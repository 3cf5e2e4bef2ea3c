"""torch.nn.functional: losses, linear, dropout, one_hot and activations against
finite differences (first and second order) and against PyTorch (values, dtypes,
grad_fn names, gradients, warnings and error texts)."""

import warnings

import numpy as np
import pytest

from gradcheck_util import check_grads, compare_with_torch, rand, same_error, torch as gt

F = gt.nn.functional
TARGET = np.array([0, 3, 4, 1])


def _probs(shape, seed):
    p = np.exp(rand(*shape, seed=seed))
    return p / p.sum(-1, keepdims=True)


GRAD_CASES = [
    ("mse", lambda x, y: F.mse_loss(x, y), [(4, 5), (4, 5)]),
    ("mse none", lambda x, y: F.mse_loss(x, y, reduction="none"), [(4, 5), (4, 5)]),
    ("l1 sum", lambda x, y: F.l1_loss(x, y, reduction="sum"), [(4, 5), (4, 5)]),
    ("smooth_l1", lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), [(4, 5), (4, 5)]),
    ("huber", lambda x, y: F.huber_loss(x, y, delta=0.7), [(4, 5), (4, 5)]),
    ("cross_entropy", lambda x: F.cross_entropy(x, gt.tensor(TARGET)), [(4, 5)]),
    ("cross_entropy none", lambda x: F.cross_entropy(x, gt.tensor(TARGET), reduction="none"), [(4, 5)]),
    ("cross_entropy smoothing", lambda x: F.cross_entropy(x, gt.tensor(TARGET), label_smoothing=0.1), [(4, 5)]),
    ("cross_entropy probs", lambda x, p: F.cross_entropy(x, p.softmax(1)), [(4, 5), (4, 5)]),
    ("nll", lambda x: F.nll_loss(x.log_softmax(1), gt.tensor(TARGET)), [(4, 5)]),
    ("bce", lambda x, y: F.binary_cross_entropy(x.sigmoid(), y.sigmoid()), [(4, 5), (4, 5)]),
    ("bce_with_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y.sigmoid()), [(4, 5), (4, 5)]),
    ("bce_with_logits pos_weight",
     lambda x, y: F.binary_cross_entropy_with_logits(x, y.sigmoid(), pos_weight=gt.arange(1.0, 6.0, dtype=gt.float64)),
     [(4, 5), (4, 5)]),
    ("linear", lambda x, w, b: F.linear(x, w, b), [(4, 5), (3, 5), (3,)]),
    ("linear no bias", lambda x, w: F.linear(x, w), [(4, 5), (3, 5)]),
    ("linear 3d", lambda x, w, b: F.linear(x, w, b), [(2, 2, 5), (3, 5), (3,)]),
    ("linear 1d", lambda x, w, b: F.linear(x, w, b), [(5,), (3, 5), (3,)]),
]


@pytest.mark.parametrize("name,fn,shapes", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients(name, fn, shapes):
    check_grads(fn, *[rand(*s, seed=i + 20) for i, s in enumerate(shapes)])


RED = ["mean", "sum", "none"]
W5 = np.arange(1.0, 6.0)

LOSS_CASES = [
    ("mse", lambda T, x, y, r: T.nn.functional.mse_loss(x, y, reduction=r)),
    ("l1", lambda T, x, y, r: T.nn.functional.l1_loss(x, y, reduction=r)),
    ("smooth_l1", lambda T, x, y, r: T.nn.functional.smooth_l1_loss(x, y, reduction=r, beta=0.5)),
    ("huber", lambda T, x, y, r: T.nn.functional.huber_loss(x, y, reduction=r, delta=0.7)),
    ("cross_entropy", lambda T, x, y, r: T.nn.functional.cross_entropy(x, T.tensor(TARGET), reduction=r)),
    ("cross_entropy weight ignore", lambda T, x, y, r: T.nn.functional.cross_entropy(
        x, T.tensor(TARGET), weight=T.tensor(W5), ignore_index=3, reduction=r)),
    ("cross_entropy smoothing", lambda T, x, y, r: T.nn.functional.cross_entropy(
        x, T.tensor(TARGET), label_smoothing=0.2, reduction=r)),
    ("cross_entropy smoothing weight ignore", lambda T, x, y, r: T.nn.functional.cross_entropy(
        x, T.tensor(TARGET), weight=T.tensor(W5), ignore_index=3, label_smoothing=0.2, reduction=r)),
    ("cross_entropy probs", lambda T, x, y, r: T.nn.functional.cross_entropy(x, y.softmax(1), reduction=r)),
    ("cross_entropy probs smoothing", lambda T, x, y, r: T.nn.functional.cross_entropy(
        x, y.softmax(1), label_smoothing=0.1, reduction=r)),
    ("nll", lambda T, x, y, r: T.nn.functional.nll_loss(x, T.tensor(TARGET), reduction=r)),
    ("bce", lambda T, x, y, r: T.nn.functional.binary_cross_entropy(x.sigmoid(), y.sigmoid(), reduction=r)),
    ("bce weight", lambda T, x, y, r: T.nn.functional.binary_cross_entropy(
        x.sigmoid(), y.sigmoid(), weight=T.tensor(W5), reduction=r)),
    ("bce_with_logits", lambda T, x, y, r: T.nn.functional.binary_cross_entropy_with_logits(
        x, y.sigmoid(), reduction=r)),
    ("bce_with_logits weights", lambda T, x, y, r: T.nn.functional.binary_cross_entropy_with_logits(
        x, y.sigmoid(), weight=T.tensor(W5), pos_weight=T.tensor(W5 - 1), reduction=r)),
]


@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("name,fn", LOSS_CASES, ids=[c[0] for c in LOSS_CASES])
def test_losses_against_torch(name, fn, reduction):
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda T, x, y: fn(T, x, y, reduction), rand(4, 5, seed=1), rand(4, 5, seed=2))


OTHER_CASES = [
    ("cross_entropy 3d", lambda T, x: T.nn.functional.cross_entropy(x.reshape(2, 5, 2), T.tensor([[0, 4], [2, 1]]))),
    ("cross_entropy 1d", lambda T, x: T.nn.functional.cross_entropy(x[0], T.tensor(2))),
    ("cross_entropy all ignored", lambda T, x: T.nn.functional.cross_entropy(x, T.tensor([-100] * 4))),
    ("bce at the edges", lambda T, x: T.nn.functional.binary_cross_entropy(
        T.tensor([0.0, 1.0, 0.5], dtype=T.float64), T.tensor([1.0, 0.0, 0.5], dtype=T.float64))),
    ("linear", lambda T, x: T.nn.functional.linear(x, x[:3] * 2, x[0, :3])),
    ("linear no bias", lambda T, x: T.nn.functional.linear(x, x[:3] * 2)),
    ("linear 3d", lambda T, x: T.nn.functional.linear(x.reshape(2, 2, 5), x[:3] * 2, x[0, :3])),
    ("linear 1d", lambda T, x: T.nn.functional.linear(x[1], x[:3] * 2, x[0, :3])),
    ("softmax", lambda T, x: T.nn.functional.softmax(x, dim=1)),
    ("log_softmax", lambda T, x: T.nn.functional.log_softmax(x, 0)),
    ("softmin", lambda T, x: T.nn.functional.softmin(x, 1)),
    ("dropout eval", lambda T, x: T.nn.functional.dropout(x, 0.5, training=False)),
    ("dropout p=0", lambda T, x: T.nn.functional.dropout(x, 0.0)),
    ("normalize", lambda T, x: T.nn.functional.normalize(x)),
    ("cosine_similarity", lambda T, x: T.nn.functional.cosine_similarity(x, x.flip(0))),
    ("kl_div batchmean", lambda T, x: T.nn.functional.kl_div(x.log_softmax(1), x.flip(0).softmax(1),
                                                             reduction="batchmean")),
]


@pytest.mark.parametrize("name,fn", OTHER_CASES, ids=[c[0] for c in OTHER_CASES])
def test_other_functions_against_torch(name, fn):
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, fn, rand(4, 5, seed=3))


def test_dropout_training_scales_kept_elements_and_is_seeded():
    x = gt.ones(1000, dtype=gt.float64, requires_grad=True)
    gt.manual_seed(0)
    y = F.dropout(x, 0.25)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    kept = y._data != 0
    assert np.allclose(y._data[kept], 1 / 0.75) and 0.7 < kept.mean() < 0.8
    gt.manual_seed(0)
    assert gt.equal(F.dropout(x, 0.25), y)
    y.sum().backward()
    assert np.allclose(x.grad._data, y._data)
    assert gt.equal(F.dropout(x, 1.0), gt.zeros(1000, dtype=gt.float64))


def test_one_hot_against_torch():
    torch = pytest.importorskip("torch")
    compare_with_torch(torch, lambda T: T.nn.functional.one_hot(T.tensor([0, 2, 1])), grad=False)
    compare_with_torch(torch, lambda T: T.nn.functional.one_hot(T.tensor([[0], [2]]), 4), grad=False)


def test_implicit_softmax_dim_warns_like_torch():
    torch = pytest.importorskip("torch")
    for name in ("softmax", "log_softmax"):
        with warnings.catch_warnings(record=True) as ours:
            warnings.simplefilter("always")
            a = getattr(F, name)(gt.tensor([[1.0, 2.0], [3.0, 5.0]]))
        with warnings.catch_warnings(record=True) as theirs:
            warnings.simplefilter("always")
            b = getattr(torch.nn.functional, name)(torch.tensor([[1.0, 2.0], [3.0, 5.0]]))
        assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
        assert np.allclose(a._data, b.numpy())


def test_target_size_warning_like_torch():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        F.mse_loss(gt.zeros(3, 1), gt.zeros(3))
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.nn.functional.mse_loss(torch.zeros(3, 1), torch.zeros(3))
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


ERRORS = [
    ("target out of bounds", lambda T: T.nn.functional.nll_loss(T.zeros(3, 5), T.tensor([0, 1, 7]))),
    ("negative target", lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.tensor([-1, 1, 2]))),
    ("batch mismatch", lambda T: T.nn.functional.nll_loss(T.zeros(3, 5), T.tensor([0, 1]))),
    ("target int32", lambda T: T.nn.functional.nll_loss(T.zeros(3, 5), T.tensor([0, 1, 2], dtype=T.int32))),
    ("float target shape", lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.tensor([0.0, 1.0, 2.0]))),
    ("weight size", lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.tensor([0, 1, 2]), weight=T.ones(4))),
    ("bce range", lambda T: T.nn.functional.binary_cross_entropy(T.tensor([0.5, 1.5]), T.tensor([0.0, 1.0]))),
    ("bce sizes", lambda T: T.nn.functional.binary_cross_entropy(T.tensor([0.5, 1.0]), T.tensor([0.0, 1.0, 1.0]))),
    ("reduction", lambda T: T.nn.functional.mse_loss(T.zeros(2), T.zeros(2), reduction="foo")),
    ("one_hot classes", lambda T: T.nn.functional.one_hot(T.tensor([0, 3]), 3)),
    ("one_hot float", lambda T: T.nn.functional.one_hot(T.tensor([0.0, 1.0]))),
    ("dropout p", lambda T: T.nn.functional.dropout(T.zeros(2), 1.5)),
    ("linear shapes", lambda T: T.nn.functional.linear(T.zeros(2, 3), T.zeros(4, 5), T.zeros(4))),
]


@pytest.mark.parametrize("name,fn", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn):
    torch = pytest.importorskip("torch")
    same_error(torch, fn)


def test_functional_bilinear_matches_torch():
    torch = pytest.importorskip("torch")
    from gradcli.autograd import build_torch_module
    g = build_torch_module()
    rng = np.random.default_rng(3)
    a, b, w, bias = (rng.standard_normal(s) for s in [(2, 3), (2, 4), (5, 3, 4), (5,)])
    mine = [g.tensor(v, requires_grad=True) for v in (a, b, w, bias)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (a, b, w, bias)]
    y, t = g.nn.functional.bilinear(*mine), torch.nn.functional.bilinear(*theirs)
    assert type(y.grad_fn).__name__ == type(t.grad_fn).__name__
    np.testing.assert_allclose(y._data, t.detach().numpy(), rtol=1e-12)
    y.sum().backward()
    t.sum().backward()
    for m, th in zip(mine, theirs):
        np.testing.assert_allclose(m.grad._data, th.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("loss", ["mse_loss", "smooth_l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("tshape", [(2, 3), (3,)])
def test_create_graph_derivative_of_regression_losses_is_torchs_op(loss, reduction, tshape):
    # torch's first derivative is one op (MseLossBackwardBackward0...) with its own second derivatives
    torch = pytest.importorskip("torch")
    xs = [[0.5, -1.5, 2.0], [0.1, 3.0, -1.0]]  # |x - t| = 1 is the edge of the band
    ts = [[0.0, 1.0, 0.3], [0.2, -1.0, 0.0]] if len(tshape) == 2 else [0.0, 1.0, 0.3]
    out = []
    for lib in (gt, torch):
        F = lib.nn.functional
        x = lib.tensor(xs, dtype=lib.float64, requires_grad=True)
        t = lib.tensor(ts, dtype=lib.float64, requires_grad=True)
        y = getattr(F, loss)(x, t, reduction=reduction)
        go = (lib.ones_like(y) * 1.5).requires_grad_()
        gx, gtt = lib.autograd.grad(y, [x, t], go, create_graph=True)
        h = lib.autograd.grad((gx * gx * gx).sum() + (gtt * gtt).sum(), [x, t, go])
        out.append((gx.grad_fn.name(), gtt.grad_fn.name(), gx.tolist(), gtt.tolist(), [v.tolist() for v in h]))
    assert out[0][:2] == out[1][:2]
    for a, b in zip([*out[0][2:4], *out[0][4]], [*out[1][2:4], *out[1][4]]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("bad", [float("nan"), 1.5, -0.25])
@pytest.mark.parametrize("which", ["input", "target"])
def test_binary_cross_entropy_refuses_values_outside_0_1_as_torch(bad, which):
    # torch's kernel checks (x >= 0) && (x <= 1) per element, so nan fails too
    torch = pytest.importorskip("torch")
    good = [0.25, 0.5, 0.75]
    vals = {"input": good[:2] + [bad], "target": good}
    if which == "target":
        vals = {"input": good, "target": good[:2] + [bad]}
    same_error(torch, lambda T: T.nn.functional.binary_cross_entropy(T.tensor(vals["input"]),
                                                                     T.tensor(vals["target"])))


def test_binary_cross_entropy_values_are_torchs_bit_for_bit():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    for dtype in (np.float32, np.float64):
        x = rng.uniform(0.001, 0.999, (7, 5)).astype(dtype)
        t = rng.uniform(0, 1, (7, 5)).astype(dtype)
        for reduction in ("none", "sum", "mean"):
            for name in ("binary_cross_entropy", "binary_cross_entropy_with_logits"):
                got = getattr(F, name)(gt.tensor(x), gt.tensor(t), reduction=reduction)
                want = getattr(torch.nn.functional, name)(torch.from_numpy(x), torch.from_numpy(t), reduction=reduction)
                if name.endswith("logits"):  # torch's vectorized log_sigmoid takes SLEEF's exp/log1p
                    assert np.mean(got._data == want.numpy()) >= 0.8
                else:
                    np.testing.assert_array_equal(got._data, want.numpy(), err_msg=f"{name} {reduction} {dtype}")


def test_hardsigmoid_derivative_is_torchs():
    # torch multiplies by float(1/6) in any dtype; under create_graph its first derivative is a
    # NotImplemented node that fails once a backward pass reaches it
    torch = pytest.importorskip("torch")
    out = []
    for lib in (gt, torch):
        x = lib.tensor([0.5, -4.0, 1.0, 3.0], dtype=lib.float64, requires_grad=True)
        g, = lib.autograd.grad(lib.nn.functional.hardsigmoid(x).sum(), x, create_graph=True)
        with pytest.raises(RuntimeError) as err:
            g.sum().backward()
        out.append((g.tolist(), g.grad_fn.name().replace("torch::autograd::", ""), str(err.value)))
    assert out[0] == out[1]


def test_softplus_values_are_torchs_bit_for_bit():
    # torch's kernel: log1p(exp(x·beta)) / beta past nothing but the threshold
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    for dtype in (np.float32, np.float64):
        x = (rng.standard_normal(7) * 4).astype(dtype)  # fewer than a vector: torch's scalar loop
        for kw in ({}, {"beta": 2.0}, {"beta": 0.5, "threshold": 3.0}):
            np.testing.assert_array_equal(F.softplus(gt.tensor(x), **kw)._data,
                                          torch.nn.functional.softplus(torch.from_numpy(x), **kw).numpy())
