"""Sums and means add in torch's CPU order (summation.py), so float results match to the last bit.

Pinned cases need no torch (numpy's pairwise order gives different last digits for them);
the oracle matrix compares with torch over random sizes, shapes, layouts and dims.
"""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.autograd.ops.summation import torch_mean, torch_sum


def _data(n, dtype):
    i = np.arange(n)
    return (i % 7 * 0.1 + i * 1e-3 + 1000 * (i % 3 == 0)).astype(dtype)


@pytest.mark.parametrize("n, dtype, want", [
    (5, np.float32, 2001.010009765625),
    (37, np.float32, 13011.2646484375),        # numpy: 13011.265625
    (1000, np.float32, 334799.25),             # numpy: 334799.1875
    (100, np.float64, 34034.45),
    (40000, np.float32, 14145979.0),           # split between two threads; numpy: 14145980.0
])
def test_pinned_whole_sums(n, dtype, want):
    got = torch_sum(_data(n, dtype))
    assert got.dtype == dtype and float(got) == want


def test_pinned_column_sums():
    x = (np.arange(60) * 0.37 % 5).astype(np.float32).reshape(6, 10) * np.float32(100.1)
    assert torch_sum(x, 0).tolist() == [
        1551.5499267578125, 1273.27197265625, 1495.493896484375, 1717.7158203125, 1439.43798828125,
        1161.1600341796875, 1383.382080078125, 1605.6038818359375, 1327.3260498046875, 1549.5479736328125]


def test_zero_sums_are_positive_and_empty_mean_is_nan():
    assert not np.signbit(torch_sum(np.array([-0.0, -0.0], np.float32)))
    assert not np.signbit(torch_sum(np.array(-0.0)))
    with np.errstate(invalid="ignore"):
        assert np.isnan(torch_mean(np.zeros(0, np.float32)))


def test_tensor_sum_uses_torch_order():
    from gradcli.autograd.tensor import wrap
    assert wrap(_data(37, np.float32)).sum().item() == 13011.2646484375
    assert wrap(_data(37, np.float32)).mean().item() == np.float32(13011.2646484375) / np.float32(37)


# -- torch as the oracle -------------------------------------------------------------------------


def _same(got, want):
    got = np.asarray(got)
    return (got.shape == want.shape and got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True)
            and np.array_equal(np.signbit(got), np.signbit(want)))


def _random(rng, shape, dtype):
    kind = rng.integers(3)
    x = rng.standard_normal(shape)
    if kind == 1:
        x = x * 10.0 ** rng.integers(-3, 6, size=shape)
    elif kind == 2:
        x = x + 100
    return x.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_torch_on_random_vectors(dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    sizes = list(range(1, 70)) + [int(n) for n in rng.integers(70, 5001, size=150)] + [32768, 40001, 300_000]
    for n in sizes:
        x = _random(rng, (n,), dtype)
        t = torch.from_numpy(x)
        assert _same(torch_sum(x), t.sum().numpy()), n
        assert _same(torch_mean(x), t.mean().numpy()), n
        assert _same(torch_sum(x[::2]), t[::2].sum().numpy()), n


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_torch_on_random_shapes_dims_and_layouts(dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    for _ in range(250):
        nd = int(rng.integers(2, 4))
        x = _random(rng, tuple(int(s) for s in rng.integers(1, 70 if nd == 2 else 18, size=nd)), dtype)
        layout = rng.integers(3)
        if layout == 1:
            x = x.transpose(rng.permutation(nd))
        elif layout == 2:
            x = x[tuple(slice(None, None, int(rng.integers(1, 3))) for _ in range(nd))]
        t = torch.from_numpy(x)
        keepdim = bool(rng.integers(2))
        assert _same(torch_sum(x), t.sum().numpy())
        for d in range(-1, nd):
            assert _same(torch_sum(x, d, keepdim), t.sum(d, keepdim=keepdim).numpy()), (x.shape, x.strides, d)
            assert _same(torch_mean(x, d, keepdim), t.mean(d, keepdim=keepdim).numpy()), (x.shape, x.strides, d)
        if nd == 3:
            dims = tuple(sorted(int(d) for d in rng.choice(3, 2, replace=False)))
            assert _same(torch_sum(x, dims, keepdim), t.sum(dims, keepdim=keepdim).numpy())


@pytest.mark.parametrize("shape, dims", [((300, 200), 0), ((200, 300), 1), ((70000, 3), 0), ((3, 70000), 1),
                                         ((1024, 1024), None), ((64, 64, 64), (0, 2)), ((129, 257), 0)])
def test_matches_torch_when_threads_split_the_work(shape, dims):
    torch = pytest.importorskip("torch")
    x = _random(np.random.default_rng(3), shape, np.float32)
    want = torch.from_numpy(x).sum() if dims is None else torch.from_numpy(x).sum(dims)
    assert _same(torch_sum(x, dims), want.numpy())
    y = x[:, ::2]
    assert _same(torch_sum(y), torch.from_numpy(y).sum().numpy())


def test_losses_reduce_like_torch():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F
    from gradcli.autograd.ops import nn_functional as G
    from gradcli.autograd.tensor import wrap
    rng = np.random.default_rng(4)
    for _ in range(60):
        for dtype in (np.float32, np.float64):
            shape = tuple(int(s) for s in rng.integers(1, 40, size=int(rng.integers(1, 3))))
            a, b = _random(rng, shape, dtype) * 30, _random(rng, shape, dtype) * 30
            for name in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"):
                want = getattr(F, name)(torch.from_numpy(a), torch.from_numpy(b)).numpy()
                assert _same(getattr(G, name)(wrap(a), wrap(b))._data, want), name
