"""jacobian/hessian: J against torch; v·J equals what backward(v) puts in X.grad."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from gradcli.autograd import build_torch_module
from gradcli.report.jacobian import jacobian, hessian
from why_util import call, golden

torch = build_torch_module()

OPS = [lambda t, x: t.sin(x), lambda t, x: x * x, lambda t, x: t.exp(x * 0.3), lambda t, x: x * 2 + 1,
       lambda t, x: t.tanh(x), lambda t, x: x / (x * x + 1)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(range(len(OPS))), min_size=1, max_size=4),
       st.lists(st.floats(-2, 2), min_size=3, max_size=3),
       st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_vjp_equals_backward_on_random_programs(ops, xs, vs):
    x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    y = x
    for k in ops:
        y = OPS[k](torch, y)
    y = y * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    j = jacobian(y, x, "y", "x", v=np.array(vs))
    assert j.matches
    np.testing.assert_allclose(j.vjp, j.backward_grad, rtol=1e-10, atol=1e-12)
    assert x.grad is None  # backward(v) ran on the side; the program's .grad is untouched


def test_jacobian_and_hessian_match_torch():
    real = pytest.importorskip("torch")
    f = lambda t, x: t.sin(x) * x.sum()  # noqa: E731
    x = torch.tensor([0.1, 0.7, -1.2], dtype=torch.float64, requires_grad=True)
    J = jacobian(f(torch, x), x, "y", "x").matrix
    xr = real.tensor(x._data)  # the same float64 values
    np.testing.assert_allclose(J, real.autograd.functional.jacobian(lambda a: f(real, a), xr).numpy(), rtol=1e-10)
    H = hessian(f(torch, x).sum(), x, "s", "x").matrix
    np.testing.assert_allclose(H, real.autograd.functional.hessian(lambda a: f(real, a).sum(), xr).numpy(),
                               rtol=1e-10, atol=1e-12)


def test_seed_grad_tensors_example(capsys, monkeypatch, update_golden):
    args = ("jacobian", "grad_tensors.py", "--of", "z", "--wrt", "x", "--grad-tensors", "[1.0, 0.1, 0.01]")
    code, out, _ = call(capsys, monkeypatch, *args)
    assert code == 0 and "equal" in out
    golden("jacobian_grad_tensors.table", out, update_golden)
    code, out, _ = call(capsys, monkeypatch, *args, "-f", "json")
    doc = json.loads(out)
    assert doc["matrix"] == [[5.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 7.0]]
    assert doc["matches"] is True and doc["vjp"] == doc["backward_grad"]
    golden("jacobian_grad_tensors.json", out, update_golden)


def test_hessian_command(capsys, monkeypatch, update_golden):
    code, out, _ = call(capsys, monkeypatch, "hessian", "fanout.py", "--of", "s", "--wrt", "x", "-f", "plain")
    assert code == 0
    golden("hessian_fanout.plain", out, update_golden)


def test_hessian_needs_a_scalar(capsys, monkeypatch):
    code, _, err = call(capsys, monkeypatch, "hessian", "grad_tensors.py", "--of", "z", "--wrt", "x")
    assert code == 2 and "scalar" in err


def test_the_graph_a_program_freed_is_given_back_after_it_ran(capsys, monkeypatch, tmp_path):
    # z.sum().backward() freed z's graph (no retain_graph): jacobian and hessian still see it whole
    real = pytest.importorskip("torch")
    path = tmp_path / "freed.py"
    path.write_text("import torch\nx = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)\n"
                    "z = x.sin() * x\ns = z.sum()\ns.backward()\n")
    xr = real.tensor([0.5, 2.0], dtype=real.float64)
    code, out, err = call(capsys, monkeypatch, "jacobian", str(path), "--of", "z", "--wrt", "x", "-f", "json")
    assert code == 0, err
    want = real.autograd.functional.jacobian(lambda a: a.sin() * a, xr).numpy()
    np.testing.assert_allclose(json.loads(out)["matrix"], want, rtol=1e-12)
    code, out, err = call(capsys, monkeypatch, "hessian", str(path), "--of", "s", "--wrt", "x", "-f", "json")
    assert code == 0, err
    want = real.autograd.functional.hessian(lambda a: (a.sin() * a).sum(), xr).numpy()
    np.testing.assert_allclose(json.loads(out)["matrix"], want, rtol=1e-12, atol=1e-15)


def test_a_program_that_relies_on_the_freed_graph_error_still_gets_it(capsys, monkeypatch, tmp_path):
    path = tmp_path / "twice.py"
    path.write_text("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\n"
                    "y.backward()\ny.backward()\n")
    for command in ("jacobian", "hessian"):
        code, _, err = call(capsys, monkeypatch, command, str(path), "--of", "y", "--wrt", "x")
        assert code == 1 and "Trying to backward through the graph a second time" in err
