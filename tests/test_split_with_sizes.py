"""Tensor.split_with_sizes / torch.split_with_sizes (SplitWithSizesBackward0) against torch:
pieces, gradients and errors over dims and size lists."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")


def same_as_torch(body: str) -> None:
    problem = dg.mismatch("import torch\n" + body.strip("\n") + "\n")
    assert problem is None, problem


@pytest.mark.parametrize("call", ["x.split_with_sizes([1, 2])", "x.split_with_sizes((3, 0), dim=0)",
                                  "x.split_with_sizes([1, 3], 1)", "x.split_with_sizes([2, 2], dim=-1)",
                                  "torch.split_with_sizes(x, [2, 1])", "torch.split(x, [1, 1, 2], 1)",
                                  "x.split_with_sizes([3, 1], 1)"])
def test_pieces_and_gradients(call):
    same_as_torch(f"""
x = torch.arange(12.0).reshape(3, 4).requires_grad_()
pieces = {call}
print(pieces)
sum((p * p).sum() * (i + 1) for i, p in enumerate(pieces)).backward()
print(x.grad)
""")


@pytest.mark.parametrize("call", ["x.split_with_sizes([3, 8])", "x.split_with_sizes([3, -1, 8])",
                                  "x.split_with_sizes(3)", "torch.split(x, [3, -1, 8])",
                                  "x.split_with_sizes([3, 7], 1)", "torch.tensor(1.0).split_with_sizes([1])"])
def test_errors(call):
    same_as_torch(f"""
x = torch.arange(10.0)
try:
    print({call})
except Exception as e:
    print(type(e).__name__, e)
""")
