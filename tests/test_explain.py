"""explain: the ledger's contributions add up to what backward puts in .grad."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gradcli.autograd import build_torch_module
from gradcli.report.explain import Ledger
from gradcli.report.graph import Namer
from why_util import call, golden

torch = build_torch_module()


def _check_ledger(ledger, leaves):
    """Per pass, the paths into each leaf sum to what it received; over passes, to .grad."""
    from gradcli.autograd.function import AccumulateGrad
    ex = ledger.explanation(leaves)
    per_leaf: dict = {}
    for s in ex.steps:
        if s.kind == "edge" and s.input_kind == "leaf":
            key = (s.backward_pass, s.input)
            per_leaf[key] = per_leaf.get(key, 0) + s.contribution
            assert 1 <= s.path <= s.paths
            if s.path == s.paths:  # the running total ends at the sum of the paths
                np.testing.assert_allclose(s.total, per_leaf[key], rtol=1e-6)
    received: dict = {}
    for s in ex.steps:
        if s.kind == "accumulate":
            np.testing.assert_allclose(s.value, per_leaf[(s.backward_pass, s.node)], rtol=1e-6)
            received[s.node] = received.get(s.node, 0) + s.value
    for name, t in leaves.items():
        np.testing.assert_allclose(received[name], t.grad._data, rtol=1e-6)
    return ex


def test_fanout_paths_add_up():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with Ledger() as ledger:
        u = x * x
        v = torch.sin(x) + 1
        s = (u + v * x).sum()
        s.backward()
    ledger.namer = Namer(dict(x=x, u=u, v=v, s=s))
    ex = _check_ledger(ledger, {"x": x})
    into_x = [st for st in ex.steps if st.kind == "edge" and st.input == "x"]
    assert [st.paths for st in into_x] == [4, 4, 4, 4]  # v*x, sin(x), and x*x twice
    rules = {st.rule for st in into_x}
    assert "d sin(x)/dx = cos(x)" in rules and "d x·x/dx = x" in rules


def test_broadcasting_reduces_before_the_leaf():
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = torch.tensor([0.5, -1.0], requires_grad=True)
    c = torch.tensor(2.0, requires_grad=True)
    with Ledger() as ledger:
        y = ((w * b + c) ** 2).mean()
        y.backward()
    ledger.namer = Namer(dict(w=w, b=b, c=c, y=y))
    ex = _check_ledger(ledger, {"w": w, "b": b, "c": c})
    shapes = {st.input: np.shape(st.contribution) for st in ex.steps if st.kind == "edge"}
    assert shapes["b"] == (2,) and shapes["c"] == ()


def test_accumulation_across_calls_5_10_15_20():
    w = torch.tensor([1.0], requires_grad=True)
    x = torch.tensor([2.0], requires_grad=True)
    with Ledger() as ledger:
        for _ in range(4):
            a = torch.add(w, x)
            b = torch.add(w, 1)
            y = torch.mul(a, b)
            y.backward()
    ledger.namer = Namer(dict(w=w, x=x, a=a, b=b, y=y))
    ex = _check_ledger(ledger, {"w": w, "x": x})
    acc = [st for st in ex.steps if st.kind == "accumulate" and st.node == "w"]
    assert [None if st.before is None else float(st.before[0]) for st in acc] == [None, 5, 10, 15]
    assert [float(st.after[0]) for st in acc] == [5, 10, 15, 20]
    assert ex.passes == 4


def test_matches_torch_on_fanout():
    real = pytest.importorskip("torch")
    xr = real.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (xr * xr + real.sin(xr) * xr).sum().backward()
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with Ledger() as ledger:
        (x * x + torch.sin(x) * x).sum().backward()
    ex = ledger.explanation({"x": x})
    got = sum(st.contribution for st in ex.steps if st.kind == "edge" and st.input_kind == "leaf")
    np.testing.assert_allclose(got, xr.grad.numpy(), rtol=1e-6)


def test_a_hook_is_flagged():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 2)
    with Ledger() as ledger:
        (x * 3).sum().backward()
    ex = ledger.explanation({"x": x})
    assert any(st.hooked for st in ex.steps) and ex.notes


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_golden_lesson6(capsys, monkeypatch, update_golden, fmt):
    code, out, err = call(capsys, monkeypatch, "explain", "lesson6.py", "-f", fmt)
    assert code == 0
    golden(f"explain_lesson6.{fmt}", out, update_golden)


def test_golden_accumulate(capsys, monkeypatch, update_golden):
    code, out, _ = call(capsys, monkeypatch, "explain", "accumulate.py")
    assert code == 0 and "[15.] + [5.] =" in out and "[20.]" in out
    golden("explain_accumulate.table", out, update_golden)


def test_json_ledger_adds_up(capsys, monkeypatch):
    code, out, _ = call(capsys, monkeypatch, "explain", "fanout.py", "-f", "json")
    doc = json.loads(out)
    assert doc["command"] == "explain"
    into_x = [s for s in doc["steps"] if s["kind"] == "edge" and s["input"] == "x"]
    total = np.sum([s["contribution"] for s in into_x], axis=0)
    np.testing.assert_allclose(total, doc["leaves"]["x"], rtol=1e-6)
    np.testing.assert_allclose(into_x[-1]["total"], doc["leaves"]["x"], rtol=1e-6)
