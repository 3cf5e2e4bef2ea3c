"""nn.MultiheadAttention against torch: repr and parameters, self- and cross-attention, masks
(bool and float, attn_mask and key_padding_mask), per-head weights, need_weights=False,
batch_first, unbatched input, gradients of every parameter (float64 values; float32 printed)."""

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
x = ((torch.arange(24.0) * 29 % 17) / 17 - 0.5).reshape(3, 2, 4)
y = ((torch.arange(16.0) * 7 % 5) / 5).reshape(2, 2, 4)
"""


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


CALLS = ["m(q, q, q)", "m(q, k, k)", "m(q, k, k * 2)", "m(q, q, q, average_attn_weights=False)",
         "m(q, q, q, need_weights=False)",
         "m(q, q, q, attn_mask=torch.tensor([[False, True, False], [False, False, True], [True, False, False]]))",
         "m(q, q, q, attn_mask=torch.tensor([[0.0, -1.0, 0.5], [0.0, 0.0, -2.0], [1.0, 0.0, 0.0]], dtype=q.dtype))",
         "m(q, q, q, key_padding_mask=torch.tensor([[False, False, True], [False, False, False]]))",
         "m(q[:, 0], q[:, 0], q[:, 0])", "m(q[:, 0], k[:, 1], k[:, 1])"]


@pytest.mark.parametrize("make", ["nn.MultiheadAttention(4, 2)", "nn.MultiheadAttention(4, 1, bias=False)",
                                  "nn.MultiheadAttention(4, 4, batch_first=True)"])
@pytest.mark.parametrize("call", CALLS)
def test_attention(make, call):
    same_as_torch(f"m = {make}\n" + f"""
print(m)
print([(n, tuple(p.shape)) for n, p in m.named_parameters()])
fill(m)
m = m.double()
q = x.double().requires_grad_()
k = y.double()
if m.batch_first and {"'[:, 0]'" not in repr(call)}:
    q, k = q.transpose(0, 1), k.transpose(0, 1)
out, w = {call}
print(out, out.grad_fn)
print(w, None if w is None else w.grad_fn)
(out.sum() + (0 if w is None else (w * w).sum())).backward()
print(x.grad if False else q.grad if q.is_leaf else None)
for n, p in m.named_parameters():  # the key bias' true gradient is 0: both sides print rounding noise there
    print(n, torch.where(p.grad.abs() < 1e-12, torch.zeros_like(p.grad), p.grad))
""")


def test_float32_and_eval():
    same_as_torch("""
m = nn.MultiheadAttention(4, 2, dropout=0.5)
fill(m)
m.eval()
out, w = m(x, x, x)
print(out, w, out.grad_fn)
print(nn.MultiheadAttention(4, 2).in_proj_bias, nn.MultiheadAttention(4, 2).out_proj.bias)
""")


@pytest.mark.parametrize("expr", ["nn.MultiheadAttention(5, 2)", "nn.MultiheadAttention(0, 2)",
                                  "nn.MultiheadAttention(4, 2)(x, x, x, attn_mask=torch.ones(2, 2, dtype=torch.bool))"])
def test_errors(expr):
    same_as_torch(f"try:\n    print({expr})\nexcept Exception as e:\n    print(type(e).__name__, e)\n")


@pytest.mark.parametrize("make", ["nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8, dropout=0.0)",
                                  "nn.TransformerEncoderLayer(4, 2, 8, 0.0, activation='gelu', norm_first=True)",
                                  "nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, 0.0, batch_first=True), "
                                  "num_layers=2, norm=nn.LayerNorm(4))",
                                  "nn.TransformerEncoderLayer(4, 1, 6, 0.0, bias=False, layer_norm_eps=1e-3)"])
@pytest.mark.parametrize("mask", ["", ", src_key_padding_mask=torch.tensor([[False, False, True], [False, False, False]])"])
def test_transformer_encoder(make, mask):
    same_as_torch(f"m = {make}\n" + f"""
print(m)
print([n for n, _ in m.named_parameters()])
fill(m)
m = m.double()
q = x.double().requires_grad_()
first = m.layers[0] if isinstance(m, nn.TransformerEncoder) else m
src = q.transpose(0, 1) if first.self_attn.batch_first else q
out = m(src{mask})
print(out, out.grad_fn)
out.pow(2).sum().backward()
print(q.grad)
for n, p in m.named_parameters():
    print(n, torch.where(p.grad.abs() < 1e-12, torch.zeros_like(p.grad), p.grad))
""")
