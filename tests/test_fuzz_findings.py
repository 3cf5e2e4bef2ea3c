"""What the op fuzzer found, each checked against PyTorch: the same value or the same error.

Every call here once ended with numpy's words or an error from gradcli's own code.
"""

from __future__ import annotations

import io

import pytest

from gradcli.errors import SourceError
from gradcli.interp import run
from gradcli.syntax import parse

SETUP = "import torch\nimport torch.nn.functional as F\n"

CALLS = [
    "torch.nonzero(torch.tensor(0))", "torch.tensor(2).nonzero()", "torch.where(torch.tensor(0))",
    "torch.nonzero(torch.tensor(3), as_tuple=True)",
    "F.glu(torch.tensor(0))", "F.glu(torch.tensor([1., 2.]), 3)", "F.glu(torch.tensor([1., 2.]), -1)",
    "torch.set_rng_state(torch.zeros(5))", "torch.set_rng_state(5)",
    "torch.set_rng_state(torch.get_rng_state())",
    "torch.range(torch.tensor(0), 0.5)", "torch.range(torch.tensor([0, 1]), 0.5)",
    "torch.arange(torch.tensor(0), 3)",
    "F.one_hot(torch.tensor(0), torch.tensor(0))", "F.one_hot(torch.tensor([1]), torch.tensor(3))",
    "F.one_hot(torch.tensor([1]), 1.5)", "torch.randperm(torch.tensor(3)).shape",
    "torch.multinomial(torch.ones(2, 2, 2), 1)",
    "F.linear(torch.randn(3), torch.randn(3), torch.randn(3))", "F.linear(torch.ones(2, 3), torch.ones(3))",
    "torch.sign(torch.tensor([True, False]))", "torch.tensor([True]).sgn()",
    "torch.nan_to_num(torch.tensor([float('nan'), 1.]), nan=None)",
    "torch.ones(2).repeat(-1, 2)", "torch.ones(2).repeat(3, -2)", "torch.ones(2, 1).repeat(2, 3)",
    # a max with no identity over an empty dim: softmax & co. give an empty result, norms refuse
    "F.softmax(torch.zeros(3, 0, requires_grad=True), 1)", "F.softmax(torch.zeros(1, 0), 1, 0)",
    "F.log_softmax(torch.arange(0, dtype=torch.float64), -1)", "F.softmin(torch.zeros(3, 0), 1)",
    "F.log_softmax(torch.zeros(3, 0, requires_grad=True), 0)", "torch.logsumexp(torch.zeros(3, 0), 1)",
    "(lambda x: torch.autograd.grad(F.softmax(x, 1).sum(), x))(torch.zeros(3, 0, requires_grad=True))",
    "(lambda x: torch.autograd.grad(F.log_softmax(x, 1).sum(), x, create_graph=True))"
    "(torch.zeros(3, 0, requires_grad=True))",
    "F.cross_entropy(torch.zeros(2, 0, requires_grad=True), torch.zeros(2, dtype=torch.long))",
    "F.cross_entropy(torch.zeros(0, 3, requires_grad=True), torch.zeros(0, 3))",
    "F.cross_entropy(torch.zeros(2, 0, requires_grad=True), torch.zeros(2, 0))",
    "F.cross_entropy(torch.zeros(2, 0), torch.zeros(2, 0), label_smoothing=0.5)",
    "F.cross_entropy(torch.zeros(2, 0), torch.zeros(2, 0), reduction='none')",
    "(lambda x: torch.autograd.grad(F.cross_entropy(x, torch.zeros(0, 3)), x))(torch.zeros(0, 3, requires_grad=True))",
    "torch.zeros(0).median()", "torch.zeros(2, 0, dtype=torch.long).median()",
    "torch.zeros(0, dtype=torch.int16).median()", "torch.zeros(0, dtype=torch.bool).median()",
    "(lambda x: torch.autograd.grad(x.median(), x))(torch.zeros(2, 0, requires_grad=True))",
    "torch.linalg.vector_norm(torch.zeros(3, 0), float('inf'))", "torch.zeros(3, 0).norm(-1.5, 1)",
    "torch.linalg.vector_norm(torch.zeros(3, 0), float('-inf'), (0, -1))",
    "torch.linalg.vector_norm(torch.zeros(3, 0), -2, 0)", "F.normalize(torch.zeros(3, 0), float('inf'))",
    # a dim named twice; an empty dim list reduces every dim
    "torch.ones(2, 3).flip(0, 0)", "torch.flip(torch.ones(2, 3), [0, -2])", "torch.ones(()).flip(0, 0)",
    "torch.ones(2, 3).amax((1, -1))", "torch.ones(2, 3).amin((0, 1, -1))", "torch.ones(()).amax((0, 0))",
    "torch.ones(2, 3).sum((0, 0))", "torch.ones(2, 3, requires_grad=True).sum([1, -1], keepdim=True)",
    "torch.ones(2, 3, dtype=torch.long).sum((0, 0))", "torch.ones(()).sum((0, -1))",
    "torch.ones(2, 3).mean((1, 1), True)", "torch.ones(2, 3).prod((0, 0))", "torch.ones(2, 3).std((0, 0))",
    "torch.var_mean(torch.ones(2, 3), (0, 0))", "torch.ones(2, 3).logsumexp((0, -2))",
    "torch.ones(2, 3).norm(2, (0, 0))", "torch.linalg.vector_norm(torch.ones(2, 3), 3, (0, -2))",
    "torch.ones(2, 3).count_nonzero((1, -1))", "torch.ones(2, 3).any((0, 0))", "torch.ones(()).all((0, 0))",
    "torch.ones(2, 3).squeeze((0, 0))", "torch.ones(2, 3).unsqueeze(0).squeeze((0, -3))",
    "torch.ones(2, 3).permute(1, -1)", "torch.ones(2, 3).movedim((0, 0), (1, 0))",
    "torch.ones(2, 3).movedim((0, 1), (1, -1))",
    "torch.ones(2, 3).sum(())", "torch.ones(2, 3, requires_grad=True).mean((), True)", "torch.ones(2, 3).std(())",
    "torch.ones(2, 3, dtype=torch.bool).sum([])", "torch.ones(2, 3).count_nonzero(())", "torch.ones(2, 3).any(())",
    "torch.ones(2, 3).logsumexp(())", "torch.ones(2, 3).logsumexp((), True)", "torch.ones(()).count_nonzero(0)",
    "torch.ones(()).all((0,))",
    # dims and shifts as torch's parser reads them: one-element integer tensors are ints
    "torch.ones(2, 3).roll(torch.tensor(True))", "torch.arange(6).reshape(2, 3).roll(torch.tensor(1), 1)",
    "torch.roll(torch.arange(6), torch.tensor(1))", "torch.arange(6).roll(torch.tensor([[1]]))",
    "torch.arange(6).reshape(2, 3).roll(1, torch.tensor(1))", "torch.arange(6).roll(torch.tensor([1, 2]))",
    "torch.arange(6).roll(True)", "torch.arange(6).roll((True,), (0,))", "torch.arange(6).reshape(2, 3).roll(1, True)",
    "torch.arange(6).reshape(2, 3).roll((1, True), (0, 1))", "torch.arange(6).reshape(2, 3).roll(1, [])",
    "torch.arange(6).reshape(2, 3).roll([])", "torch.arange(6).reshape(2, 3).roll((1, 2))",
    "torch.ones(2, 3).sum(torch.tensor([1]))", "torch.ones(2, 3).sum(torch.tensor(True))",
    "torch.ones(2, 3).sum((0, torch.tensor([1, 0])))", "torch.ones(2, 3).flip(torch.tensor([1, 0]))",
    "torch.ones(2, 3).flip((True, 0))", "torch.ones(2, 3).flip()", "torch.ones(2, 3).any(torch.tensor(1))",
    "torch.ones(3, 4).view(3, 4.0)", "torch.ones(3, 4).view(3.0, 4)", "torch.ones(3, 4).view(True, 12)",
    "torch.ones(3, 4).reshape(3, torch.tensor(4.))", "torch.ones(3, 4).reshape((3, torch.tensor([4])))",
    "torch.ones(3, 4).expand(2, 3, 4.0)", "torch.ones(3, 4).repeat(True, 1)", "torch.ones(3, 4).permute((True, 0))",
    "torch.ones(3, 4).permute(1, 0.0)", "torch.ones(3, 4).permute(torch.tensor(1), 0)",
    # losses of bool and integer tensors: torch's kernel dtypes, its casts, its sub_check
    "torch.tensor([True]) - torch.tensor([1])", "1 - torch.tensor([True])", "torch.tensor([1.]) - True",
    "torch.tensor([True]) - True", "torch.rsub(torch.tensor([True]), 1)", "torch.tensor([1.]).sub_(torch.tensor([True]))",
]
_B, _I, _F = "torch.tensor([True, False])", "torch.tensor([1, 0])", "torch.tensor([0.25, 0.5])"
_U8, _F64 = "torch.tensor([1, 0], dtype=torch.uint8)", "torch.tensor([0.25, 0.5], dtype=torch.float64)"
CALLS += [f"F.{loss}({a}, {b})" for loss in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div",
                                             "binary_cross_entropy", "binary_cross_entropy_with_logits")
          for a, b in ((_B, _B), (_B, _I), (_B, _F), (_I, _B), (_I, _I), (_I, _F), (_F, _B), (_F, _I), (_U8, _U8),
                       (_F, _F64), (_F64, _F))]
CALLS += [
    # dropout's p may be a 0-d tensor; its arguments are those torch parses for _VF.dropout
    "F.dropout(torch.ones(3), torch.tensor(1))", "F.dropout(torch.ones(3), torch.tensor(0.))",
    "F.dropout(torch.tensor(0), torch.ones((), dtype=torch.int64))", "F.dropout(torch.ones(3), torch.tensor([0.5, 0.5]))",
    "F.dropout(torch.ones(3), torch.tensor(1.5))", "F.dropout(torch.ones(3), 0.5, 1)", "F.dropout(torch.ones(3), 0.5, 'a')",
    "F.dropout(torch.ones(3), 0.0, None)", "F.dropout(torch.ones(3), 0.5, training=1)", "F.dropout(1, 0.5, False)",
    "F.dropout(torch.ones(3), 'a')", "F.alpha_dropout((0, 1))", "F.alpha_dropout(torch.ones(3), 0.5, 1)",
    "F.alpha_dropout(torch.ones(3), 'a')", "F.alpha_dropout(torch.ones(3), torch.tensor(0.5))",
    # torch.threshold/relu/celu/selu are not F's: each call is checked against its own signature
    "F.threshold(torch.ones(3), 'a', 0)", "F.threshold(torch.ones(3), 0.5, 'a')", "torch.threshold(torch.ones(3), 'a', 0)",
    "torch.threshold(torch.ones(3), 0.5, 'a')", "F.threshold(torch.ones(3), None, 0)", "F.threshold(torch.ones(3), 0.5)",
    "F.threshold_(torch.ones(3), 'a', 0)", "torch.threshold_(torch.ones(3), 1, None)",
    "F.threshold(torch.ones(3), 1, None, True)", "F.threshold(torch.ones(3), threshold='a', value=1)",
    "torch.nn.Threshold(0.5, 'a')(torch.ones(3))", "torch.relu(torch.ones(3), True)", "torch.selu(torch.ones(3), 'a')",
    "F.celu(torch.ones(3), 'a')", "torch.celu(torch.ones(3), 'a')", "F.celu(torch.ones(3), alpha='a')",
    "F.relu(torch.ones(3), 'a')", "F.selu(torch.ones(3), True)", "F.logsigmoid(torch.ones(3), 'a')", "F.logsigmoid('a')",
    "F.leaky_relu(torch.ones(3), negative_slope='a')", "F.elu(torch.ones(3), alpha='a', inplace=True)",
    # a list, None or str beside a tensor is no operand: Python's own words, as for torch's Tensor
    "torch.ones(2) + [1]", "[1] + torch.ones(2)", "torch.ones(2) * [2]", "[2] * torch.ones(2)", "torch.ones(2) + None",
    "None - torch.ones(2)", "torch.ones(2) ** None", "torch.ones(2) // [1]", "torch.ones(2) % (1,)",
    "torch.ones(2) / 'a'", "torch.ones(2) == [1]", "torch.ones(2) != [1]", "torch.ones(2) < [1]",
    "torch.tensor(1.5).size(0)", "torch.tensor(1.5).size(-1)", "torch.tensor(1.5).size(1)",
    "torch.tensor(1.5).size(torch.tensor(0))", "torch.tensor(1.5).size('a')",
    # torch's Python functions compare their arguments: Python's words, torch's type names
    "F.dropout(1, torch.ones(2).shape)", "F.dropout(torch.ones(2), torch.float64)", "F.alpha_dropout(torch.ones(2), [1, 2])",
    "F.dropout(torch.ones(2), None)", "F.hardtanh(torch.ones(2), None)", "F.hardtanh(torch.ones(2), torch.ones(2).shape, 1.0)",
    "F.hardtanh(torch.ones(2), 1, [1, 2])", "torch.relu_(torch.ones(2), (0, 1))", "torch.celu_([1, 2], (0, 1), 10**9)",
    "torch.relu_(torch.ones(2), dim=-1)", "torch.selu_(torch.ones(2), 1)", "torch.threshold_(torch.ones(2), 1)",
    "torch.celu_(-torch.ones(2), 2.)", "torch.selu_(-torch.ones(2))", "torch.threshold_(torch.ones(2), 2., 3)",
    "F.glu(torch.ones(2), 'mean')", "torch.norm(torch.ones(2), torch.float64)", "torch.norm(torch.ones(2), [1])",
    "torch.linalg.vector_norm(torch.tensor([1, 2]), 'a')", "torch.ones(2).norm(torch.tensor(2.))",
    "torch.zeros(2).bernoulli_(torch.ones(2, 2))",
    "F.glu(torch.tensor([1, 2]))", "F.glu(torch.tensor([True, False]))", "F.glu(torch.zeros(0, 2), 1)",
    "(lambda x: torch.autograd.grad(F.glu(x).sum(), x))(torch.zeros(2, 0, requires_grad=True))", "F.glu(torch.zeros(0))",
    "F.celu(0.5, 'mean', torch.arange(4))", "F.celu(torch.ones(2), 'mean', True)", "torch.celu(-torch.ones(2), 0)",
    "F.celu(-torch.ones(2), 0.0, True)",
    "torch.scalar_tensor(1)", "torch.scalar_tensor(True)", "torch.scalar_tensor(1, 0)", "torch.scalar_tensor(1j)",
    "torch.scalar_tensor(1., requires_grad=True)", "torch.scalar_tensor(1, like=2)", "torch.is_tensor(1, 0)",
    "1 - torch.tensor([1, 2])", "F.cross_entropy(0.5, 1, 0)", "F.cross_entropy(torch.ones(2, 2), torch.tensor([0, 1]), 'a')",
    "F.threshold(torch.ones(2).shape, 'mean')", "F.logsigmoid()",
    # activations and rounding kernels dispatch on floating types (or refuse bools) as torch's
    *[f"F.{a}({x})" for a in ("relu", "relu6", "elu", "selu", "celu", "gelu", "silu", "mish", "softplus", "hardtanh",
                              "hardsigmoid", "hardswish", "leaky_relu", "logsigmoid")
      for x in ("torch.tensor([True, False])", "torch.tensor([1, -2])", "torch.tensor([1, 2], dtype=torch.uint8)")],
    "torch.relu(torch.tensor([True]))", "torch.relu_(torch.tensor([True]))", "torch.selu(torch.tensor([1]))",
    "F.threshold(torch.tensor([True, False]), 0.5, 1.0)", "F.threshold(torch.tensor([1, 2]), 1, 0)",
    "F.hardtanh(torch.tensor([1, 2], dtype=torch.uint8), 0, 1)", "F.relu6(torch.tensor([1, 9], dtype=torch.uint8))",
    "torch.ceil(torch.tensor([True]))", "torch.round(torch.tensor([True]))", "torch.round(torch.tensor([True]), decimals=1)",
    "torch.round(torch.tensor([1, 2]), decimals=1)", "torch.floor(torch.tensor([1, 2]))", "torch.frac(torch.tensor([1]))",
    "torch.trunc(torch.tensor([True]))", "torch.tensor([True]).floor_()",
    # torch's Python functions read an attribute of their input first: Python's AttributeError
    "F.mse_loss(1, 0.5)", "F.mse_loss(torch.ones(2), [1])", "F.l1_loss(0.5, 1, 0)", "F.smooth_l1_loss((0, 1), 2)",
    "F.huber_loss(None, (0, 1), 2)", "F.huber_loss([1, 2], torch.ones(2), 0)", "F.binary_cross_entropy(-1, -1, 2)",
    "F.binary_cross_entropy(torch.ones(2).shape, 1, 0)", "F.binary_cross_entropy_with_logits(2, 'mean')",
    "F.normalize('mean')", "F.glu(0)", "F.glu(torch.ones(2), 'mean')", "F.glu()", "F.glu(x=1)", "F.softmax(1)",
    "F.softmax('mean', 2)", "F.log_softmax(0.5, 0)", "F.softmin(10**9, float('nan'))", "F.softmin(torch.float64, 1)",
    "F.softmin(True)", "F.sigmoid(1)", "F.tanh(1)", "F.softsign([1, 2])", "F.softsign(torch.tensor([True]))",
    "F.tanhshrink(0.5)", "F.nll_loss([1, 2], float('nan'))", "F.nll_loss([1, 2], torch.ones(2) > 0, -1)",
    "F.dropout(torch.float64)", "torch.var_mean(torch.tensor([1, 2]))", "torch.std_mean(torch.tensor([True]), 0)",
    "torch.tensor([1, 2]).var()",
    "torch.ones(2).relu((0, 1))", "torch.ones(2).relu_(1)", "torch.ones(2).contiguous(1)", "torch.ones(2).long(1)",
    "torch.flip(torch.tensor(0), 0)", "torch.flip(torch.ones(2), torch.tensor(0))", "torch.flip(torch.ones(2), [0])",
    "torch.ones(2).flip(torch.tensor(0))", "torch.ones(6).view(2, torch.tensor(3))", "torch.rand_like(torch.ones(2) > 0)",
    "torch.randn_like(torch.ones(2, dtype=torch.long))", "torch.randn_like(torch.ones(2), dtype=torch.float64).dtype",
    "torch.bernoulli(torch.tensor(0))", "torch.arange(end=3)", "torch.ones(2, 2).diagonal(torch.ones(2) > 0)",
    "torch.tensor([True]).exponential_(2)", "torch.ones(1).fliplr()", "torch.ones(()).flipud()",
    "torch.positive(torch.ones(2).shape)", "torch.positive(torch.tensor([True]))", "+torch.tensor([True])",
    "torch.abs(torch.tensor([True]))", "torch.tensor([True]).abs_()", "abs(torch.tensor([True]))",
    "torch.less_equal(2, torch.ones(2))", "torch.eq(2, torch.ones(2))", "(2 == torch.ones(2))", "(2 < torch.ones(2))",
    "torch.topk(torch.ones(2), 1, 0, torch.float64)", "torch.topk(torch.ones(2), 1, 0, True, 1)",
    "torch.tensor([1, 2]).multinomial(1)", "torch.bitwise_not(torch.ones(2))", "torch.ones(2).bitwise_not()",
    "~torch.ones(2)", "~torch.tensor([1, 2])", "torch.ones(2, dtype=torch.int16).normal_()",
    "torch.ones(2, dtype=torch.bool).uniform_()",
    "torch.bitwise_or(float('nan'), torch.tensor(0))", "torch.bitwise_or(torch.tensor(0), float('nan'))",
    "torch.tensor([1]) | 1.5", "1.5 | torch.tensor([1])", "torch.tensor([1]) ^ [1]", "None | torch.tensor([1])",
    "3 & torch.tensor([5])", "torch.bitwise_xor(True, torch.tensor([1]))",
    "torch.ones(2).norm(0.5, 'mean')", "torch.ones(2, 2).norm(2, (0, 1.5))", "torch.ones(2, 2).norm(2, (1.5, 0))",
    "torch.ones(2, 2).norm(2, (True, 0))",
    "F.dropout(torch.tensor([1, 2]))", "F.dropout(torch.tensor([1, 2]), 1.0)", "F.dropout(torch.tensor([True]))",
    "F.dropout(torch.tensor([1, 2]), 0.5, True, True)", "F.alpha_dropout(torch.tensor([1, 2]), 0.5, True)",
    "F.dropout(1, 0, 1, 1)", "F.alpha_dropout(1, 0, torch.float64, torch.float64)",
    "torch.full_like(torch.ones(2), (0, 1))", "torch.full_like(torch.ones(2), torch.tensor(2.))",
    "F.cross_entropy(torch.tensor([[1, 2]]), torch.tensor([[1, 2]]) > 0)",
    "torch.ones(2).roll(1, torch.ones(2).shape)", "torch.tensor(1.).roll((1, 2), (0,))", "F.kl_div(torch.ones(2) > 0, 1)",
    "F.kl_div(1, torch.ones(2))", "F.hardtanh(1, 0, float('nan'), [1, 2])", "F.hardtanh(torch.ones(2).shape)",
    "F.hardtanh(torch.ones(2), 'a', 'b')", "F.hardtanh(torch.ones(2), 'a', 'b', True)",
    "F.hardtanh(torch.ones(2), torch.tensor(0.), 1)",
    # a Python int beside an integer tensor is cast to its type, wrapping around
    "torch.tensor([1], dtype=torch.uint8) + 300", "torch.tensor([1], dtype=torch.uint8) | 300",
    "torch.tensor([1], dtype=torch.int32) * 10**10", "torch.tensor([1]) + 10**20", "torch.tensor([1], dtype=torch.int8) - 200",
    "torch.tensor([1], dtype=torch.uint8).add_(300)", "300 + torch.tensor([1], dtype=torch.uint8)",
    "torch.tensor([1]) + 2**63", "torch.tensor([1]) + 2**64", "torch.tensor([1], dtype=torch.uint8) == 300",
    "torch.tensor([1]) - (-2**63 - 1)",
    "torch.zeros(4, 0).softmax(0.5)", "F.log_softmax(torch.zeros(4, 0), 0.5)", "F.softmin(torch.zeros(4, 0), 0.5)",
    "torch.zeros(4, 0).softmax(torch.tensor(0)).shape", "F.softmax(torch.zeros(4, 0), dim=True)",
    # the legacy constructors
    "torch.FloatTensor(2, device='cpu').shape",
    "torch.DoubleTensor(1, 0, -1)", "torch.LongTensor(True)", "torch.LongTensor(1.5)", "torch.LongTensor(None)",
    "torch.FloatTensor(-2)", "torch.FloatTensor('a')", "torch.Tensor(2, 1.5)", "torch.Tensor((2, 3))",
    "torch.Tensor(torch.Size([2, 3])).shape", "torch.Tensor(torch.Size([])).shape", "torch.Tensor(torch.tensor(2))",
    "torch.Tensor(torch.tensor([2.], dtype=torch.float64))", "torch.FloatTensor(torch.tensor(2), 2).shape",
    "torch.LongTensor(torch.tensor([2.]))", "torch.FloatTensor(torch.tensor(3))", "torch.FloatTensor(2, None)",
    "torch.Tensor()", "torch.LongTensor([1, 2])",
    "F.smooth_l1_loss(torch.tensor([True, False]), torch.tensor([1, 0]), beta=0)",
    "F.mse_loss(torch.tensor([1, 0]), torch.tensor([1, 0]), reduction='none')",
    f"F.binary_cross_entropy_with_logits({_F}, {_F}, pos_weight=torch.tensor([True, False]))",
    f"F.binary_cross_entropy_with_logits({_F}, {_I}, pos_weight={_F})",
    f"F.binary_cross_entropy_with_logits({_F}, {_B}, weight={_F})", f"F.binary_cross_entropy_with_logits({_F}, {_F}, weight={_B})",
    f"F.binary_cross_entropy({_F}, {_F}, weight={_I})",
    "F.nll_loss(torch.tensor([[True, False]]), torch.tensor([0]))", "F.nll_loss(torch.tensor([[1, 0]]), torch.tensor([5]))",
    "F.nll_loss(torch.ones(1, 2, 3, dtype=torch.long), torch.zeros(1, 3, dtype=torch.long))",
    "F.cross_entropy(torch.tensor([[0.5, 0.5]]), torch.tensor([[True, False]]))",
    "F.cross_entropy(torch.tensor([[0.5, 0.5]]), torch.tensor([[1, 0]], dtype=torch.uint8), label_smoothing=0.1)",
    f"(lambda x: torch.autograd.grad(F.huber_loss(x, {_F64}), x))({_F}.requires_grad_())",
    f"(lambda x: torch.autograd.grad(F.huber_loss(x, {_B}), x))({_F}.requires_grad_())",
    f"(lambda x: torch.autograd.grad(F.mse_loss(x, {_I}), x))({_F}.requires_grad_())",
    f"(lambda x: torch.autograd.grad(F.binary_cross_entropy_with_logits(x, {_F64}), x))({_F}.requires_grad_())",
    f"(lambda x: F.binary_cross_entropy_with_logits(x, {_F64}))({_F}.requires_grad_())",
]


# Sizes a program's text does not show: refused with the size, before numpy allocates them.
TOO_BIG = ["torch.ones(2).repeat(10**9, 2)", "torch.arange(10**10)", "torch.range(0, 10**10)", "torch.linspace(0, 1, 10**10)",
           "torch.logspace(0, 1, 10**10)", "torch.eye(10**5)", "torch.randperm(10**10)",
           "torch.FloatTensor(10**5, 10**5)", "torch.multinomial(torch.ones(2), 10**10, True)",
           "F.one_hot(torch.tensor(0), 10**10)"]


@pytest.mark.parametrize("call", TOO_BIG)
def test_sizes_past_max_elements_are_refused_before_allocation(call):
    message = _outcome_gradcli(call)
    assert message.startswith("MemoryError: a tensor of shape [") and "more than the limit of" in message


def _outcome_gradcli(call: str) -> str:
    out = io.StringIO()
    try:
        run(parse(SETUP + f"r = {call}\nprint(r)\n", "t.py"), stdout=out)
    except SourceError as e:
        return e.message
    return out.getvalue().strip()


def _outcome_torch(torch, call: str) -> str:
    env = {"torch": torch, "F": torch.nn.functional}
    try:
        return str(eval(call, env))  # noqa: S307 - the test's own fixed expressions, run under PyTorch
    except Exception as e:  # noqa: BLE001 - any error: compared below
        return f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("call", CALLS)
def test_ends_as_under_pytorch(call):
    torch = pytest.importorskip("torch")
    assert _outcome_gradcli(call) == _outcome_torch(torch, call)


def test_a_tensor_p_drops_as_the_same_float_p():
    # gradcli's generator is not torch's, so the masks are compared with gradcli's own
    seeded = "(torch.manual_seed(0), F.dropout(torch.ones(64), {}))[1]"
    assert _outcome_gradcli(seeded.format("torch.tensor(0.25)")) == _outcome_gradcli(seeded.format("0.25"))


def test_a_foreign_rng_state_is_refused_with_the_size_expected():
    # torch's state is 5056 bytes, gradcli's is its own: the message says which it wanted
    message = _outcome_gradcli("torch.set_rng_state(torch.zeros(5, dtype=torch.uint8))")
    assert message.startswith("RuntimeError: Expected a CPUGeneratorImplState of size ")
    assert message.endswith(" but found the input RNG state size to be 5")


def test_every_name_the_torch_module_offers_is_pytorchs():
    # helpers of the op modules (add_scalar, new_zeros, nonzero_tuple...) once leaked into torch.*
    torch = pytest.importorskip("torch")
    from gradcli.autograd import namespace
    ours = namespace.build_torch_module()
    assert [k for k in vars(ours) if not k.startswith("_") and not hasattr(torch, k)] == []
    functional = namespace.public_attributes(ours.nn.functional)
    assert [k for k in functional if not hasattr(torch.nn.functional, k)] == []
