"""margin_ranking, hinge_embedding, soft_margin, cosine_embedding, triplet_margin, poisson_nll,
gaussian_nll and multilabel_soft_margin losses (functions and modules) against torch: every
reduction, values, grad_fns, gradients, module reprs."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = """import torch
import torch.nn as nn
import torch.nn.functional as F
a = torch.tensor([0.5, -1.0, 2.0, 0.25], dtype=DT, requires_grad=True)
b = torch.tensor([1.0, 0.5, -0.5, 0.75], dtype=DT, requires_grad=True)
y = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=DT)
X = torch.tensor([[0.5, -1.0, 2.0], [1.0, 2.0, 0.125]], dtype=DT, requires_grad=True)
P = torch.tensor([[1.0, 0.5, -0.5], [0.375, 0.25, 0.125]], dtype=DT, requires_grad=True)
N = torch.tensor([[0.0, 1.5, -0.5], [2.25, 0.25, -1.125]], dtype=DT, requires_grad=True)
"""

CALLS = ["F.margin_ranking_loss(a, b, y, margin=0.2, reduction=R)", "F.margin_ranking_loss(a, b, y, reduction=R)",
         "F.hinge_embedding_loss(a, y, reduction=R)", "F.hinge_embedding_loss(a, y, margin=0.5, reduction=R)",
         "F.soft_margin_loss(a, y, reduction=R)",
         "F.cosine_embedding_loss(X, P, torch.tensor([1.0, -1.0], dtype=DT), margin=0.1, reduction=R)",
         "F.cosine_embedding_loss(X[0], P[1], torch.tensor(-1.0, dtype=DT), reduction=R)",
         "F.triplet_margin_loss(X, P, N, reduction=R)", "F.triplet_margin_loss(X, P, N, margin=2.0, p=1, reduction=R)",
         "F.triplet_margin_loss(X, P, N, swap=True, reduction=R)", "F.poisson_nll_loss(a, b.abs(), reduction=R)",
         "F.poisson_nll_loss(a.abs(), b.abs() * 3, log_input=False, full=True, reduction=R)",
         "F.gaussian_nll_loss(a, b, torch.tensor([1.0, 0.5, 2.0, 0.25], dtype=DT), reduction=R)",
         "F.gaussian_nll_loss(X, P, torch.ones(2, 1, dtype=DT), full=True, reduction=R)",
         "F.multilabel_soft_margin_loss(X, torch.tensor([[1.0, 0, 1], [0, 1, 0]], dtype=DT), reduction=R)",
         "F.multilabel_soft_margin_loss(X, torch.tensor([[1.0, 0, 1], [0, 1, 0]], dtype=DT), "
         "weight=torch.tensor([1.0, 2.0, 0.5], dtype=DT), reduction=R)"]


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(body.strip("\n") + "\n")
    assert problem is None, problem


@pytest.mark.parametrize("dt", ["torch.float32", "torch.float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("call", CALLS)
def test_losses(call, reduction, dt):
    same_as_torch(f"DT = {dt}\nR = {reduction!r}\n" + HEAD + f"loss = {call}\n" + """
print(loss, loss.grad_fn)
(loss * loss).sum().backward()
print(a.grad, b.grad, X.grad, P.grad, N.grad)
""")


MODULES = ["nn.MarginRankingLoss(margin=0.5)(a, b, y)", "nn.HingeEmbeddingLoss()(a, y)", "nn.SoftMarginLoss()(a, y)",
           "nn.CosineEmbeddingLoss(reduction='sum')(X, P, torch.tensor([1.0, -1.0]))",
           "nn.TripletMarginLoss(margin=0.5, swap=True)(X, P, N)", "nn.PoissonNLLLoss()(a, b.abs())",
           "nn.GaussianNLLLoss()(a, b, torch.ones(4))", "nn.MultiLabelSoftMarginLoss()(X, (P > 0).float())"]


@pytest.mark.parametrize("call", MODULES)
def test_modules(call):
    module = call[:call.index(")(") + 1]
    same_as_torch("DT = torch.float32\n" + HEAD + f"print({module})\nloss = {call}\n" + """
print(loss, loss.grad_fn)
loss.backward()
print(a.grad, b.grad, X.grad, P.grad, N.grad)
""")


@pytest.mark.parametrize("expr", ["nn.TripletMarginLoss(margin=0)", "F.margin_ranking_loss(a, b[:2].reshape(1, 2), y)",
                                  "F.cosine_embedding_loss(X, P, torch.ones(2, 1))",
                                  "F.cosine_embedding_loss(X, P, torch.tensor(1.0))",
                                  "F.gaussian_nll_loss(a, b, -torch.ones(4))", "F.gaussian_nll_loss(a, b, torch.ones(3))",
                                  "F.triplet_margin_loss(X, P, N[0])", "F.soft_margin_loss(a, y, reduction='x')"])
def test_errors(expr):
    same_as_torch("DT = torch.float32\n" + HEAD + f"try:\n    print({expr})\nexcept Exception as e:\n"
                  "    print(type(e).__name__, e)\n")
