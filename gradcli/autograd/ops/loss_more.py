"""More of torch.nn.functional's losses, built as torch builds them (aten Loss.cpp and
torch/nn/functional.py composites) so grad_fns and roundings follow the same ops:
margin_ranking_loss, hinge_embedding_loss, soft_margin_loss (its own SoftMarginLossBackward0),
cosine_embedding_loss, triplet_margin_loss, poisson_nll_loss, gaussian_nll_loss and
multilabel_soft_margin_loss."""

from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor
from .activation import logsigmoid, python_type_name
from .loss import _reduction
from .piecewise import where
from .registry import defop, record


def _apply(out, reduction):
    if reduction == "mean":
        return out.mean()
    if reduction == "sum":
        return out.sum()
    return out


def _tensors(fn, **named):
    for i, (name, value) in enumerate(named.items()):
        if not isinstance(value, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' (position {i + 1}) must be Tensor, not "
                            f"{python_type_name(value)}")


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(reduction, size_average, reduce)
    for t in (input1, input2, target):  # torch's Python reads .dim() first
        if not isinstance(t, Tensor):
            raise AttributeError(f"'{python_type_name(t)}' object has no attribute 'dim'")
    if not (input1.dim() == input2.dim() == target.dim()):
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    out = ((-target) * (input1 - input2) + margin).clamp_min(0)
    return _apply(out, reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(reduction, size_average, reduce)
    _tensors("hinge_embedding_loss", input=input, target=target)
    zeros = _zeros_like(input)
    margin_clamp = (margin - input).clamp_min(0)
    output_margin = where(target != 1, margin_clamp, zeros)
    output_self = where(target != -1, input, zeros)
    return _apply(output_margin + output_self, reduction)


def _soft_margin_backward(grad, self, target, norm, F):
    """torch's: (target·z)·(−norm) / (z + 1) · grad, z = exp(−target·self)."""
    z = F.exp(-target * self)
    return (target * z) * (-norm) / (z + 1) * grad


SOFT_MARGIN = defop("SoftMarginLossBackward0", {"self": "−y·e^(−y·x)/(1 + e^(−y·x)) · grad (/N for mean)"},
                    self=lambda grad, self, target, norm, F: _soft_margin_backward(grad, self, target, norm, F))


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    from . import elementwise as E
    from ..tensor import wrap
    from .summation import torch_mean, torch_sum
    reduction = _reduction(reduction, size_average, reduce)
    _tensors("soft_margin_loss", input=input, target=target)
    per = E.log1p(E.exp(wrap(-input._data * target._data)))._data
    out = np.asarray(torch_mean(per)) if reduction == "mean" else np.asarray(torch_sum(per)) \
        if reduction == "sum" else per
    norm = 1.0 / input._data.size if reduction == "mean" else 1.0
    return record(SOFT_MARGIN, out, (input, target), {"norm": norm})


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(reduction, size_average, reduce)
    _tensors("cosine_embedding_loss", input1=input1, input2=input2, target=target)
    d = target.dim()
    if d > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if d == 1 and (input1.dim() != 2 or input2.dim() != 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if d == 0 and (input1.dim() != 1 or input2.dim() != 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    prod_sum = (input1 * input2).sum(d)
    mag1 = (input1 * input1).sum(d) + 1e-12
    mag2 = (input2 * input2).sum(d) + 1e-12
    cos = prod_sum / (mag1 * mag2).sqrt()
    zeros = _zeros_like(cos)
    pos = 1 - cos
    neg = (cos - margin).clamp_min(0)
    out = where(target == 1, pos, zeros) + where(target == -1, neg, zeros)
    return _apply(out, reduction)


def _zeros_like(t):
    from ..creation import zeros_like
    return zeros_like(t)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    from .distance import pairwise_distance
    from .piecewise import minimum
    reduction = _reduction(reduction, size_average, reduce)
    _tensors("triplet_margin_loss", anchor=anchor, positive=positive, negative=negative)
    a, pos, neg = anchor.dim(), positive.dim(), negative.dim()
    if not (a == pos == neg):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {pos}D, and negative {neg}D inputs")
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    return _apply((dist_pos + margin - dist_neg).clamp_min(0), reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    reduction = _reduction(reduction, size_average, reduce)
    _tensors("poisson_nll_loss", input=input, target=target)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + (target * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _apply(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    from ..grad_mode import no_grad
    if not isinstance(var, (Tensor, int, float)):
        raise TypeError(f"'<' not supported between instances of '{python_type_name(var)}' and 'int'")
    if isinstance(var, (int, float)):
        from ..creation import full_like
        var = full_like(input, float(var))
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif not (input.shape[:-1] == var.shape[:-1] and var.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _apply(loss, reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(reduction, size_average, reduce)
    if not isinstance(input, Tensor):
        raise TypeError(f"log_sigmoid(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.shape[class_dim]
    return _apply(loss, reduction)
