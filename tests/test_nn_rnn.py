"""nn.RNN / LSTM / GRU and RNNCell / LSTMCell / GRUCell against torch: outputs, final states,
grad_fns, gradients of every parameter, reprs, parameter names, unbatched input, batch_first,
bidirectional and multi-layer stacks, projections, argument errors.  float64 everywhere values
are compared (torch's float32 LSTM runs in oneDNN: see nn_rnn.py), float32 for the rest."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = """import torch
import torch.nn as nn
def fill(m):
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(((torch.arange(float(p.numel())) * 37 + i * 11) % 19 / 19 - 0.5).reshape(p.shape))
"""


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


MODELS = ["nn.RNN(3, 4)", "nn.RNN(3, 4, 2, 'relu')", "nn.RNN(3, 4, nonlinearity='relu', bias=False)",
          "nn.GRU(3, 4)", "nn.LSTM(3, 4)", "nn.RNN(3, 4, bidirectional=True)",
          "nn.GRU(3, 4, num_layers=2, bidirectional=True)", "nn.LSTM(3, 4, num_layers=2)",
          "nn.LSTM(3, 4, proj_size=2)", "nn.LSTM(3, 4, 2, bidirectional=True, proj_size=3)",
          "nn.RNN(3, 4, batch_first=True)", "nn.GRU(3, 4, batch_first=True)",
          "nn.LSTM(3, 4, batch_first=True, bias=False)", "nn.GRU(3, 4, 3, dropout=0.5)"]


@pytest.mark.parametrize("make", MODELS)
@pytest.mark.parametrize("given", [False, True])
def test_sequence_models(make, given):
    lstm = "LSTM" in make
    proj = 2 if "proj_size=2" in make else 3 if "proj_size=3" in make else 4
    layers = 3 if ", 3," in make else 2 if ("2," in make.replace("(3, 4, 2", "(3, 4, 2,") and "num_layers=2" in make
                                           or "(3, 4, 2" in make) else 1
    dirs = 2 if "bidirectional" in make else 1
    state = ""
    if given:
        h = f"torch.linspace(-0.5, 0.5, {layers * dirs * 2 * proj}, dtype=torch.float64).reshape({layers * dirs}, 2, {proj})"
        c = f"torch.linspace(0.3, -0.2, {layers * dirs * 2 * 4}, dtype=torch.float64).reshape({layers * dirs}, 2, 4)"
        state = f", ({h}, {c})" if lstm else f", {h}"
    same_as_torch(f"m = {make}\n" + f"""
print(m)
print([(n, tuple(p.shape)) for n, p in m.named_parameters()])
fill(m)
m = m.double()
m.eval()
x = ((torch.arange(30.0) * 29 % 17) / 17 - 0.5).double().reshape(5, 2, 3)
if m.batch_first:
    x = x.transpose(0, 1).contiguous()
x.requires_grad_()
out, hidden = m(x{state})
print(out, out.grad_fn)
print(hidden)
loss = (out * out).sum() + (hidden[0] * 2 if {lstm} else hidden).sum() + (hidden[1].sum() if {lstm} else 0)
loss.backward()
print(x.grad)
for n, p in m.named_parameters():
    print(n, p.grad)
""")


@pytest.mark.parametrize("make", ["nn.RNN(3, 4)", "nn.GRU(3, 4, bidirectional=True)", "nn.LSTM(3, 4)",
                                  "nn.LSTM(3, 4, batch_first=True)"])
def test_unbatched_and_float32(make):
    same_as_torch(f"m = {make}\nfill(m)\n" + """
x = ((torch.arange(15.0) * 29 % 17) / 17 - 0.5).reshape(5, 3).requires_grad_()
out, hidden = m(x)
print(out.shape, out.grad_fn, out.dtype)
print([t.shape for t in hidden] if isinstance(hidden, tuple) else hidden.shape)
xb = x.reshape(5, 1, 3)
out, hidden = m(xb)
print(out.shape, out.grad_fn)
with torch.no_grad():
    out, hidden = m(xb)
print(out.grad_fn)
""")


@pytest.mark.parametrize("make", ["nn.RNNCell(3, 4)", "nn.RNNCell(3, 4, nonlinearity='relu')",
                                  "nn.RNNCell(3, 4, bias=False)", "nn.LSTMCell(3, 4)", "nn.GRUCell(3, 4)"])
@pytest.mark.parametrize("batched", [True, False])
def test_cells(make, batched):
    lstm = "LSTM" in make
    same_as_torch(f"m = {make}\n" + f"""
print(m, [n for n, _ in m.named_parameters()])
fill(m)
m = m.double()
x = ((torch.arange(6.0) * 29 % 17) / 17 - 0.5).double().reshape(2, 3)
if not {batched}:
    x = x[0]
x.requires_grad_()
h = m(x)
h = m(x, h)
out = h[0] * h[1] if {lstm} else h
print(h, out.grad_fn)
out.sum().backward()
print(x.grad, [p.grad for p in m.parameters()])
""")


ERRORS = ["nn.RNN(3, 4)(torch.ones(2, 3, 5))", "nn.RNN(3, 4)(torch.ones(5, 3))[0].shape",
          "nn.RNN(3, 4)(torch.ones(4, 5, 2, 3))", "nn.LSTM(3, 4)(torch.ones(4, 5, 2, 3))",
          "nn.RNN(3, 4)(torch.ones(5, 2, 3), torch.ones(1, 3, 4))",
          "nn.LSTM(3, 4)(torch.ones(5, 2, 3), (torch.ones(1, 2, 4), torch.ones(1, 3, 4)))",
          "nn.LSTM(3, 4)(torch.ones(5, 2, 3), (torch.ones(2, 4), torch.ones(2, 4)))",
          "nn.RNN(3, 4)(torch.ones(5, 2, 3), torch.ones(2, 4))", "nn.RNN(3, 4)(torch.ones(5, 2, 3).double())",
          "nn.RNN(3, 4, nonlinearity='sigmoid')", "nn.GRU(3, 4, proj_size=2)", "nn.LSTM(3, 4, proj_size=4)",
          "nn.LSTM(3, 0)", "nn.LSTM(3, 4, num_layers=0)", "nn.LSTM(3, 4, dropout=2)", "nn.LSTMCell(3, 4)(torch.ones(1, 2, 3))"]


@pytest.mark.parametrize("expr", ERRORS)
def test_errors(expr):
    same_as_torch(f"try:\n    print({expr})\nexcept Exception as e:\n    print(type(e).__name__, e)\n")


def test_lstm_tutorial_snippet():
    """The official "Sequence Models and LSTM Networks" tutorial's first lines (float32)."""
    same_as_torch("""
torch.manual_seed(1)
lstm = nn.LSTM(3, 3)
fill(lstm)
inputs = [torch.linspace(-1, 1, 3) * (i + 1) / 5 for i in range(5)]
hidden = (torch.zeros(1, 1, 3), torch.zeros(1, 1, 3))
for i in inputs:
    out, hidden = lstm(i.view(1, 1, -1), hidden)
inputs = torch.cat(inputs).view(len(inputs), 1, -1)
hidden = (torch.zeros(1, 1, 3), torch.zeros(1, 1, 3))
out, hidden = lstm(inputs, hidden)
print(out.grad_fn, out.shape, hidden[0].grad_fn)
print(torch.allclose(out[-1], hidden[0][0]))
""")
