"""graph: names, positions, leaves, AccumulateGrad edges; stable ids; DOT/Mermaid; -o."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from gradcli.autograd import build_torch_module
from gradcli.report.graph import Namer, build_graph
from why_util import call, golden

torch = build_torch_module()


def _fanout():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    u = x * x
    s = (torch.sin(u) + x).sum()
    return dict(x=x, u=u, s=s)


def test_nodes_edges_and_leaves():
    env = _fanout()
    g = build_graph([env["s"]], Namer(env))
    names = {n.name: n for n in g.nodes}
    assert names["s"].is_root and names["s"].grad_fn == "SumBackward0"
    assert names["x"].kind == "leaf" and names["x"].grad_fn == "AccumulateGrad"
    assert names["u"].shape == [2] and np.allclose(names["u"].value, [1.0, 4.0])
    into_x = [e for e in g.edges if e.source == names["x"].id]
    assert len(into_x) == 3 and all(e.accumulate for e in into_x)  # x*x (twice) and + x


def test_ids_are_stable_across_runs():
    a = build_graph([_fanout()["s"]], Namer(_fanout()))
    env = _fanout()
    b = build_graph([env["s"]], Namer(env))
    assert [(n.id, n.grad_fn) for n in a.nodes] == [(n.id, n.grad_fn) for n in b.nodes]


@pytest.mark.parametrize("fmt", ["tree", "dot", "mermaid", "json"])
def test_golden_lesson6(capsys, monkeypatch, update_golden, fmt):
    code, out, _ = call(capsys, monkeypatch, "graph", "lesson6.py", "-f", fmt)
    assert code == 0
    golden(f"graph_lesson6.{fmt}", out, update_golden)


def test_gradients_after_backward(capsys, monkeypatch):
    code, out, _ = call(capsys, monkeypatch, "graph", "fanout.py", "-f", "json")
    doc = json.loads(out)
    nodes = {n["name"]: n for n in doc["nodes"]}
    assert doc["after_backward"] and nodes["x"]["grad"] is not None
    real = pytest.importorskip("torch")
    x = real.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x + (real.sin(x) + 0.5) * x).sum().backward()
    np.testing.assert_allclose(nodes["x"]["grad"], x.grad.numpy(), rtol=1e-6)
    assert nodes["u"]["grad"] == [1.0, 1.0, 1.0]  # d s / d u, which PyTorch does not keep


def test_image_without_graphviz_says_how_to_get_it(capsys, monkeypatch, tmp_path):
    import shutil
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, out, err = call(capsys, monkeypatch, "graph", "lesson6.py", "-o", str(tmp_path / "g.svg"))
    assert code == 2 and "Graphviz" in err and "apt install graphviz" in err


def test_dot_file_output(capsys, monkeypatch, tmp_path):
    code, _, _ = call(capsys, monkeypatch, "graph", "lesson6.py", "-o", str(tmp_path / "g.dot"))
    assert code == 0 and (tmp_path / "g.dot").read_text().startswith("digraph gradcli {")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG")])
def test_image_output_with_graphviz(capsys, monkeypatch, tmp_path, suffix, magic):
    out = tmp_path / ("g" + suffix)
    code, _, err = call(capsys, monkeypatch, "graph", "lesson6.py", "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(magic)
