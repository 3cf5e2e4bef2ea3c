"""torch.sort / topk / argsort: values, indices (ties and nan in torch's order), the
torch.return_types they come in, SortBackward0 / TopkBackward0 and their gradients."""

from __future__ import annotations

import contextlib
import io

import pytest

import difftest_gen as dg

CASES = [
    "a = torch.tensor([[3., 1., 2.], [0., 5., 4.], [2., 2., 1.]], requires_grad=True)\n"
    "r = torch.sort(a, 1)\nprint(r)\nprint(r.values.grad_fn, r.indices.requires_grad)\n"
    "print(torch.sort(a, 0, descending=True))\nprint(a.argsort(dim=0), a.sort(descending=True).indices)\n"
    "(r.values * torch.tensor([1., 2., 3.])).sum().backward()\nprint(a.grad)",
    "a = torch.tensor([[3., 1., 2.], [0., 5., 4.]], dtype=torch.float64, requires_grad=True)\n"
    "t = torch.topk(a, 2)\nprint(t, t.values.grad_fn)\nprint(a.topk(1, dim=0, largest=False))\n"
    "t.values.pow(2).sum().backward()\nprint(a.grad)",
    # ties keep input order both ways; nan sorts as the largest
    "x = torch.tensor([1., 2., 1., float('nan'), 2., 0.])\nprint(x.sort())\nprint(x.sort(descending=True))\n"
    "print(x.topk(3))",  # NOTE: torch's topk(largest=False) orders ties by its partial sort, not matched
    "x = torch.tensor(3., requires_grad=True)\nprint(torch.sort(x), torch.topk(x, 1))\nx.sort().values.backward()\nprint(x.grad)",
    # the indices are saved: a second pass fails; k out of range
    "x = torch.tensor([2., 1.], requires_grad=True)\ns = torch.sort(x * 1).values.sum()\ns.backward()\ns.backward()",
    "print(torch.topk(torch.tensor([1., 2.]), 3))",
    "x = torch.tensor([2., 1., 3.], requires_grad=True)\n"
    "g, = torch.autograd.grad((torch.sort(x * x).values * torch.tensor([1., 2., 3.])).sum(), x, create_graph=True)\n"
    "print(g)\ng.sum().backward()\nprint(x.grad)",
]


@pytest.mark.parametrize("body", CASES)
def test_sort_topk_match_torch(body):
    pytest.importorskip("torch")
    src = "import torch\n" + body + "\n"
    with contextlib.redirect_stderr(io.StringIO()):
        got, want = dg.run_gradcli(src), dg.run_torch(src)
    assert dg.classify(got, want) is None, dg.diff_text(got, want)
