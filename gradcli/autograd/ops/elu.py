"""The elu family: elu, selu and celu, scale·(x if x > 0 else alpha·(exp(x·input_scale) - 1)),
their in-place forms (which save the result) and torch's elu_backward as a node of its own.
float32 inputs take torch's float32 kernels (float32_activation); activation re-exports these."""

from __future__ import annotations

import numpy as np

from . import float32_activation as F32
from .arguments import _kernel_input, _number, _run
from .float32_math import at_vector_nans
from .registry import backward_op, defop, record

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946

ELU_BACKWARD = backward_op(
    "EluBackwardBackward0",
    lambda grad, self, F, alpha, scale, input_scale: at_vector_nans(
        F32.elu_backward(grad, self, alpha, scale, input_scale) if F32.applies(grad, self) else F.where(
            self <= 0, grad * input_scale * (alpha * scale) * F.exp(self * input_scale), grad * scale),
        grad, self, float("nan"), F),
    grad_output=lambda grad, self, alpha, scale, input_scale: ELU_BACKWARD(
        grad, self, alpha=alpha, scale=scale, input_scale=input_scale),
    # torch's elu_double_backward: elu_backward(grad·grad_output·input_scale, ...)·(self < 0), so
    # inf and nan inputs give 0 (not 0·inf), rounded as that kernel rounds
    self=lambda grad, grad_output, self, alpha, scale, input_scale: ELU_BACKWARD(
        grad * grad_output * input_scale, self, alpha=alpha, scale=scale, input_scale=input_scale) * (self < 0))

# elu/selu/celu: scale * (x if x > 0 else alpha * (exp(x * input_scale) - 1))
_elu_grad = (lambda grad, self, alpha, scale, input_scale: ELU_BACKWARD(
    grad, self, alpha=alpha, scale=scale, input_scale=input_scale))
ELU = defop("EluBackward0", {"self": "scale if self > 0 else scale·alpha·input_scale·exp(self·input_scale)"},
            self=_elu_grad)
# torch's celu formulas take input_scale = 1.0/alpha.toFloat(): alpha rounded to float32 first
_celu_grad = (lambda grad, self, alpha, scale, input_scale: ELU_BACKWARD(
    grad, self, alpha=alpha, scale=scale, input_scale=1.0 / float(np.float32(alpha))))
CELU = defop("CeluBackward0", {"self": "1 if self > 0 else exp(self/alpha)"}, self=_celu_grad)
# the in-place forms save the result: elu_backward(is_result=true) = grad·input_scale·(result + alpha·scale)
ELU_BACKWARD_OF_RESULT = backward_op(
    "EluBackwardBackward0",
    lambda grad, self, F, alpha, scale, input_scale: at_vector_nans(F32.elu_backward_of_result(
        grad, self, alpha, scale, input_scale, F), grad, self, float("nan"), F),
    grad_output=lambda grad, self, alpha, scale, input_scale: ELU_BACKWARD_OF_RESULT(
        grad, self, alpha=alpha, scale=scale, input_scale=input_scale),
    self=lambda grad, grad_output, self, input_scale, F: grad * grad_output * input_scale * (self < 0))
_elu_grad_result = (lambda grad, result, alpha, scale, input_scale: ELU_BACKWARD_OF_RESULT(
    grad, result, alpha=alpha, scale=scale, input_scale=input_scale))
ELU_INPLACE = defop("EluBackward1", {"self": "scale if result > 0 else input_scale·(result + alpha·scale)"},
                    self=_elu_grad_result)
CELU_INPLACE = defop("CeluBackward1", {"self": "1 if result > 0 else result/alpha + 1"},
                    self=lambda grad, result, alpha, scale, input_scale: ELU_BACKWARD_OF_RESULT(
                        grad, result, alpha=alpha, scale=scale, input_scale=1.0 / float(np.float32(alpha))))


def _elu(input, alpha, scale, input_scale, spec):
    d = _kernel_input("elu_cpu", input)
    if d.dtype == np.float32:
        out = F32.elu(d, alpha, scale, input_scale)
        return record(spec, out, (input,), {"alpha": alpha, "scale": scale, "input_scale": input_scale})
    with np.errstate(over="ignore"):
        neg = np.expm1(np.minimum(d, 0) * input_scale) * (alpha * scale)
    # torch's kernel takes x·scale at ±0 too (elu(0., alpha=-1) is +0., elu(-0.) is -0.)
    out = np.where(d < 0, neg, d * scale).astype(d.dtype, copy=False)
    return record(spec, out, (input,), {"alpha": alpha, "scale": scale, "input_scale": input_scale})


def elu(input, alpha=1.0, inplace=False):
    inplace = bool(inplace)  # torch's F.elu tests it first
    return _run(_elu, input, inplace, _number(alpha), 1.0, 1.0, ELU_INPLACE if inplace else ELU)


def selu(input, inplace=False):
    return _run(_elu, input, inplace, _SELU_ALPHA, _SELU_SCALE, 1.0, ELU_INPLACE if inplace else ELU)


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    inplace = bool(inplace)  # torch's F.celu tests it first: a tensor's truth is its own error
    alpha = _number(alpha)
    if alpha == 0:
        if inplace and input._requires_grad:  # torch's celu_ checks the leaf first
            from ._dispatch import check_inplace
            check_inplace(input, True)
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _run(_elu, input, inplace, alpha, 1.0, 1.0 / alpha, CELU_INPLACE if inplace else CELU)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)
