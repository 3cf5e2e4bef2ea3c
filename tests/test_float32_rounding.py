"""float32 exp/log/tanh/sigmoid/sin/cos round as torch's kernels do: bit for bit on values
tutorials use (numpy's float32 loops are an ulp off about a third of the time, which shows
through .item(), .tolist() and 4-digit prints after a multiply)."""

from __future__ import annotations

import numpy as np
import pytest

from gradcli.autograd.ops import elementwise as E
from gradcli.autograd.tensor import wrap

X = np.round(np.random.RandomState(7).uniform(-3, 3, 3000), 2).astype(np.float32)
EXACT = ["tanh", "sigmoid", "log1p", "log10"]  # torch: correctly rounded here
CLOSE = {"exp": 0.02, "expm1": 0.01, "sin": 0.1, "cos": 0.1, "log": 0.1}  # torch's SLEEF differs now and then


def _domain(name):
    return np.abs(X) + np.float32(0.05) if name.startswith("log") else X


@pytest.mark.parametrize("name", EXACT + list(CLOSE))
def test_float32_forward_rounds_as_torch(name):
    torch = pytest.importorskip("torch")
    x = _domain(name)
    want = np.concatenate([getattr(torch, name)(torch.from_numpy(x[i:i + 3])).numpy() for i in range(0, x.size, 3)])
    # the same 3-element tensors on both sides: torch's vectorized path (16+ floats) differs
    got = np.concatenate([getattr(E, name)(wrap(x[i:i + 3]))._data for i in range(0, x.size, 3)])
    assert got.dtype == np.float32
    assert (got != want).mean() <= CLOSE.get(name, 0.0)


@pytest.mark.parametrize("name", ["sin", "cos", "exp", "tanh", "sigmoid"])
def test_float32_backward_rounds_as_torch(name):
    torch = pytest.importorskip("torch")
    from gradcli.autograd import engine

    bad = 0
    for i in range(0, 300, 3):  # small tensors, as programs have (torch's long-vector path differs)
        t = torch.tensor(X[i:i + 3], requires_grad=True)
        getattr(torch, name)(t).sum().backward()
        x = wrap(X[i:i + 3].copy())
        x.requires_grad_()
        engine.backward(getattr(E, name)(x).sum())
        bad += int((x.grad._data != t.grad.numpy()).sum())
    assert bad / 300 <= CLOSE.get(name, 0.0)


def test_float32_sigmoid_of_minus_one_is_torchs():
    # the value behind a 4-digit print flipping 0.5971 -> 0.5970 after .data.mul_(2.22)
    assert float(E.sigmoid(wrap(np.array([-1.0], np.float32)))._data[0]) == 0.2689414322376251


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1])
def test_float32_softmax_rounds_as_torch(name, dim):
    torch = pytest.importorskip("torch")
    from gradcli.autograd.ops import reduction as R

    rs = np.random.RandomState(3)
    bad = total = 0
    for _ in range(300):
        d = np.round(rs.uniform(-4, 4, (2, 3)), 2).astype(np.float32)
        want = getattr(torch, name)(torch.from_numpy(d), dim).numpy()
        bad += int((getattr(R, name)(wrap(d), dim)._data != want).sum())
        total += d.size
    assert bad / total <= 0.15  # with numpy's float32 exp/log: 0.2-0.3
