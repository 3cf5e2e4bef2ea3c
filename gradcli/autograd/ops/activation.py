"""Activation functions: relu and its family, gelu, silu, softplus, hardtanh...

Each is its forward (numpy) beside its ``defop`` entry, with torch.nn.functional's
signature (``inplace=`` runs the op through ``_dispatch.inplace``).  The ones
PyTorch also has at torch level (``torch.relu``, ``torch.selu``...) are exported
there by ``elementwise.TORCH_EXPORTS``; nn_functional re-exports all of them.
"""

from __future__ import annotations

import numpy as np

from . import float32_activation as F32
from ._dispatch import inplace
from .dtype_support import kernel_error
from .backends import erf_array, log1p_array, logsigmoid_array
from .backends import numpy_ as _F
from .arguments import _kernel_input, _number, _run, out_of_order, python_type_name, reads  # noqa: F401
from .float32_math import at_vector_nans
from .piecewise import _clamp_min_array, _clamp_max_array
from .registry import backward_op, defop, record
from .elu import celu, celu_, elu, selu, selu_  # noqa: F401  (the elu family: its own module)

_SQRT_HALF = 0.7071067811865476
_INV_SQRT_2PI = 0.3989422804014327
_TANH_K = 0.7978845608028654  # sqrt(2/pi)


# The derivatives torch computes as ops of their own (threshold_backward, elu_backward...):
# under create_graph each is one node (ThresholdBackwardBackward0...) over (grad, self),
# so even a piecewise-constant derivative still requires grad, as in torch.
THRESHOLD_BACKWARD = backward_op(
    "ThresholdBackwardBackward0",
    lambda grad, self, F, threshold: F.where(self <= threshold, 0.0, grad),
    grad_output=lambda grad, self, threshold: THRESHOLD_BACKWARD(grad, self, threshold=threshold),
    self=lambda grad, F: F.zeros_like(grad))
LEAKY_RELU_BACKWARD = backward_op(
    "LeakyReluBackwardBackward0",
    lambda grad, self, F, negative_slope: F.where(self > 0, grad, grad * negative_slope),
    grad_output=lambda grad, self, negative_slope: LEAKY_RELU_BACKWARD(grad, self, negative_slope=negative_slope),
    self=lambda grad, F: F.zeros_like(grad))
HARDTANH_BACKWARD = backward_op(
    "HardtanhBackwardBackward0",
    lambda grad, self, F, min_val, max_val: at_vector_nans(
        F.where((self <= min_val) | (self >= max_val), 0.0, grad), grad, self, 0.0, F),
    grad_output=lambda grad, self, min_val, max_val: HARDTANH_BACKWARD(grad, self, min_val=min_val,
                                                                       max_val=max_val),
    self=lambda grad, F: F.zeros_like(grad))
SOFTPLUS_BACKWARD = backward_op(
    "SoftplusBackwardBackward0",
    lambda grad, self, F, beta, threshold: _softplus_grad(grad, self, beta, threshold, F),
    grad_output=lambda grad, self, beta, threshold: SOFTPLUS_BACKWARD(grad, self, beta=beta, threshold=threshold),
    self=lambda grad, grad_output, self, beta, threshold, F: _softplus_second(grad * grad_output, self, beta,
                                                                             threshold, F))
GELU_BACKWARD = backward_op(
    "GeluBackwardBackward0",
    lambda grad, self, F, approximate: _gelu_grad(grad, self, approximate, F),
    grad_output=lambda grad, self, approximate: GELU_BACKWARD(grad, self, approximate=approximate),
    self=lambda grad, grad_output, self, approximate, F: grad * grad_output * _gelu_second(self, approximate, F))
LOGSIGMOID_BACKWARD = backward_op(
    "LogSigmoidBackwardBackward0",
    lambda grad, self, F: _logsigmoid_grad(grad, self, F),
    grad_output=lambda grad, self: LOGSIGMOID_BACKWARD(grad, self),
    self=lambda grad, grad_output, self, F: _logsigmoid_second(grad * grad_output, self, F))
HARDSWISH_BACKWARD = backward_op(
    "HardswishBackwardBackward0",
    lambda grad, self, F: at_vector_nans(F.where(self <= -3.0, 0.0, F.where(self < 3.0, grad * (self / 3.0 + 0.5),
                                                                             grad)), grad, self, float("nan"), F),
    grad_output=lambda grad, self: HARDSWISH_BACKWARD(grad, self),
    self=lambda grad, grad_output, self, F: F.where((self > -3.0) & (self < 3.0), grad * grad_output / 3.0,
                                                    F.zeros_like(grad)))

RELU = defop("ReluBackward0", {"self": "1 if result > 0 else 0"},
             self=lambda grad, result: THRESHOLD_BACKWARD(grad, result, threshold=0.0))
LEAKY_RELU = defop("LeakyReluBackward0", {"self": "1 if self > 0 else negative_slope"},
                   self=lambda grad, self, negative_slope: LEAKY_RELU_BACKWARD(grad, self,
                                                                               negative_slope=negative_slope))
LEAKY_RELU_INPLACE = defop("LeakyReluBackward1", {"self": "1 if result > 0 else negative_slope"},
                           self=lambda grad, result, negative_slope: _leaky_of_result(grad, result, negative_slope))


def _leaky_of_result(grad, result, negative_slope):
    if negative_slope < 0:  # torch's leaky_relu_backward(self_is_result=true) refuses it
        raise RuntimeError(
            "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. "
            "This is caused by calling in-place forward function with a negative slope, please call out-of-place "
            "version instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting "
            "in-place leakRelu backward calculation with negative slope")
    return LEAKY_RELU_BACKWARD(grad, result, negative_slope=negative_slope)


GELU = defop("GeluBackward0", {"self": "Φ(self) + self·φ(self)"},
             self=lambda grad, self, approximate: GELU_BACKWARD(grad, self, approximate=approximate))
SILU = defop("SiluBackward0", {"self": "σ(self)(1 + self(1-σ(self)))"},
             self=lambda grad, self, F: F32.silu_backward(grad, self) if F32.applies(grad, self)
             else grad * _silu_derivative(self, F))
MISH = defop("MishBackward0", {"self": "tanh(softplus(self)) + self·σ(self)·(1-tanh²(softplus(self)))"},
             self=lambda grad, self, F: F32.mish_backward(grad, self) if F32.applies(grad, self)
             else grad * _mish_derivative(self, F))
SOFTPLUS = defop("SoftplusBackward0", {"self": "σ(beta·self) (self below threshold)"},
                 self=lambda grad, self, beta, threshold: SOFTPLUS_BACKWARD(grad, self, beta=beta,
                                                                            threshold=threshold))
HARDTANH = defop("HardtanhBackward0", {"self": "1 inside (min_val, max_val) else 0"},
                 self=lambda grad, self, min_val, max_val: HARDTANH_BACKWARD(grad, self, min_val=min_val,
                                                                             max_val=max_val))
THRESHOLD = defop("ThresholdBackward0", {"self": "1 if self > threshold else 0"},
                  self=lambda grad, self, threshold: THRESHOLD_BACKWARD(grad, self, threshold=threshold))
THRESHOLD_INPLACE = defop("ThresholdBackward1", {"self": "1 if self > threshold else 0"},
                          self=lambda grad, self, threshold: THRESHOLD_BACKWARD(grad, self, threshold=threshold))
LOGSIGMOID = defop("LogSigmoidBackward0", {"self": "1 - σ(self)"},
                   self=lambda grad, self: LOGSIGMOID_BACKWARD(grad, self))
# torch's hardsigmoid_backward has no derivative formula: under create_graph it is a node
# that fails when a backward pass reaches it; its kernel multiplies by float(1/6) in any dtype
_ONE_SIXTH = float(np.float32(1.0) / np.float32(6.0))
HARDSIGMOID_BACKWARD = backward_op(
    "NotImplemented",
    lambda grad, self, F: F.where((self > -3.0) & (self < 3.0), grad * _ONE_SIXTH, 0.0),
    grad_output=lambda grad: _not_implemented("hardsigmoid_backward"),
    self=lambda grad: _not_implemented("hardsigmoid_backward"))
HARDSIGMOID = defop("HardsigmoidBackward0", {"self": "1/6 inside (-3, 3) else 0"},
                    self=lambda grad, self: HARDSIGMOID_BACKWARD(grad, self))
HARDSWISH = defop("HardswishBackward0", {"self": "0 to -3, self/3 + 1/2 between, 1 from 3"},
                  self=lambda grad, self: HARDSWISH_BACKWARD(grad, self))


def _not_implemented(op):
    raise RuntimeError(f"derivative for aten::{op} is not implemented")


def _softplus_grad(grad, x, beta, threshold, F):
    if F32.applies(grad, x):
        return F32.softplus_backward(grad, x, beta, threshold)
    # torch: z = exp(x·beta); x·beta > threshold ? grad : grad·z/(z+1)
    bx = x * beta
    with np.errstate(over="ignore", invalid="ignore"):
        z = F.exp(bx)
        return F.where(bx > threshold, grad, grad * z / (z + 1))


def _softplus_second(gg, x, beta, threshold, F):
    from .elementwise import SIGMOID_BACKWARD, mul_scalar
    bx = x * beta
    return mul_scalar(SIGMOID_BACKWARD(gg, F.sigmoid(bx)) * (bx < threshold), beta)


def _logsigmoid_grad(grad, x, F):
    if F32.applies(grad, x):
        return F32.log_sigmoid_backward(grad, x)
    # torch: z = exp(-|x|); grad·(max_deriv - sign·z/(1+z)) with (1, 1) below 0, (0, -1) above
    z = F.exp(-F.abs(x))
    return F.where(x < 0, grad * (1 - z / (1 + z)), grad * (z / (1 + z)))


def _logsigmoid_second(gg, x, F):
    z = F.sigmoid(x)
    return gg * (z - 1) * z


def _gelu_grad(grad, x, approximate, F):
    if F32.applies(grad, x) and approximate == "tanh":
        return F32.gelu_tanh_backward(grad, x)
    if F32.applies(grad, x) and approximate == "none":
        return grad * F32.onednn_gelu_derivative(x) if F32.onednn_applies(x) else F32.gelu_backward(grad, x)
    return grad * _gelu_derivative(x, approximate, F)


def _gelu_second(x, approximate, F):
    if approximate == "tanh":
        u1 = _TANH_K * (1 + 3 * 0.044715 * x * x)
        t = F.tanh(_TANH_K * (x + 0.044715 * x * x * x))
        return (1 - t * t) * (u1 - x * t * u1 * u1 + 3 * _TANH_K * 0.044715 * x * x)
    return _INV_SQRT_2PI * F.exp(-0.5 * x * x) * (2 - x * x)

def _gelu_derivative(x, approximate, F):
    if approximate == "tanh":
        inner = _TANH_K * (x + 0.044715 * x * x * x)
        t = F.tanh(inner)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * (_TANH_K * (1 + 3 * 0.044715 * x * x))
    cdf = 0.5 * (1 + F.erf(x * _SQRT_HALF))
    return cdf + x * (_INV_SQRT_2PI * F.exp(-0.5 * x * x))


def _silu_derivative(x, F):
    s = F.sigmoid(x)
    return s * (1 + x * (1 - s))


def _softplus_array(d, beta=1.0):
    # torch's kernel: log1p(exp(x·beta)) / beta, each function rounded once in d's dtype
    with np.errstate(over="ignore"):
        return log1p_array(_F.exp(d * beta)) / beta


def _mish_derivative(x, F):
    """torch's math_mish_backward (what create_graph runs): tanh(softplus(x)) from the softplus op."""
    if isinstance(x, np.ndarray):
        with np.errstate(over="ignore"):
            sp = F32.softplus(x, 1.0, 20.0) if x.dtype == np.float32 else np.where(
                x > 20.0, x, _softplus_array(x, 1.0)).astype(x.dtype, copy=False)
    else:
        sp = softplus(x)
    t = F.tanh(sp)
    return t + x * F.sigmoid(x) * (1 - t * t)



def _relu(input):
    d = input._data
    if d.dtype == np.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    return record(RELU, _clamp_min_array(d, 0), (input,))  # -0. stays -0., as torch's clamp_min


def relu(input, inplace=False):
    if inplace:
        return relu_(input)
    return _relu(input)


def relu_(input):
    return inplace(input, _relu)



def _leaky(input, negative_slope, spec=LEAKY_RELU):
    negative_slope = _number(negative_slope)
    d = _kernel_input("leaky_relu_cpu", input)
    return record(spec, np.where(d > 0, d, d * negative_slope).astype(d.dtype, copy=False),
                  (input,), {"negative_slope": negative_slope})


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return leaky_relu_(input, negative_slope)
    return _leaky(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return inplace(input, _leaky, negative_slope, LEAKY_RELU_INPLACE)



def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    d = _kernel_input("GeluKernelImpl", input)
    if approximate == "tanh" and d.dtype == np.float32:
        out = F32.gelu_tanh(d)
    elif approximate == "tanh":
        out = 0.5 * d * (1 + np.tanh(_TANH_K * (d + 0.044715 * d * d * d)))
    elif d.dtype == np.float32:
        out = F32.gelu(d)
    else:
        out = 0.5 * d * (1 + erf_array(d * _SQRT_HALF))
    return record(GELU, out.astype(d.dtype, copy=False), (input,), {"approximate": approximate})


def _silu(input):
    d = _kernel_input("silu_cpu", input)
    with np.errstate(over="ignore"):
        out = F32.silu(d) if d.dtype == np.float32 else d / (1 + np.exp(-d))
    return record(SILU, out, (input,))


def silu(input, inplace=False):
    return _run(_silu, input, inplace)


def _mish(input):
    d = _kernel_input("mish_cpu", input)
    # torch's kernel: x·tanh(log1p(exp(x))), each function rounded once in d's dtype
    out = F32.mish(d) if d.dtype == np.float32 else d * _F.tanh(_softplus_array(d))
    return record(MISH, out.astype(d.dtype, copy=False), (input,))


def mish(input, inplace=False):
    return _run(_mish, input, inplace)


def softplus(input, beta=1.0, threshold=20.0):
    beta, threshold = _number(beta), _number(threshold)
    d = _kernel_input("softplus_cpu", input)
    if d.dtype == np.float32:
        return record(SOFTPLUS, F32.softplus(d, beta, threshold), (input,), {"beta": beta, "threshold": threshold})
    with np.errstate(over="ignore"):
        out = np.where(d * beta > threshold, d, _softplus_array(d, beta)).astype(d.dtype, copy=False)
    return record(SOFTPLUS, out, (input,), {"beta": beta, "threshold": threshold})


def _hardtanh(input, min_val, max_val):
    min_val, max_val = _number(min_val), _number(max_val)
    d = input._data
    if d.dtype == np.bool_:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if d.dtype.kind == "u" and (min_val < 0 or max_val < 0):
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    out = _clamp_max_array(_clamp_min_array(d, min_val), max_val).astype(d.dtype, copy=False)
    return record(HARDTANH, out, (input,), {"min_val": min_val, "max_val": max_val})


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if out_of_order(min_val, ">", max_val):
        raise ValueError("min_val cannot be greater than max_val")
    for i, (name, x) in enumerate((("min_val", min_val), ("max_val", max_val)), 2):
        if not isinstance(x, (int, float)) and not (hasattr(x, "_data") and x._data.ndim == 0):
            raise TypeError(f"{'hardtanh_' if inplace else 'hardtanh'}(): argument '{name}' (position {i}) must be "
                            f"Number, not {python_type_name(x)}")
    return _run(_hardtanh, input, inplace, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    # torch's F.hardtanh_ is the C++ op itself: no min_val > max_val check (every value is max_val)
    return _run(_hardtanh, input, True, min_val, max_val)


def relu6(input, inplace=False):
    return _run(_hardtanh, input, inplace, 0.0, 6.0)


def _threshold(input, threshold, value, spec=THRESHOLD):
    if input._data.dtype == np.bool_:
        raise kernel_error("threshold_cpu", input._data.dtype)
    for i, (name, x) in enumerate((("threshold", threshold), ("value", value)), 2):
        # torch's Numbers (a str would reach numpy); a call site's parser check words threshold_
        if not isinstance(x, (int, float)) and not (hasattr(x, "_data") and x._data.ndim == 0):
            raise TypeError(f"threshold(): argument '{name}' (position {i}) must be Number, not {type(x).__name__}")
    d = input._data
    with np.errstate(invalid="ignore"):  # torch's kernel: x <= threshold ? value : x (nan stays nan)
        out = np.where(d <= threshold, value, d).astype(d.dtype, copy=False)
    return record(spec, out, (input,), {"threshold": threshold})


def threshold(input, threshold, value, inplace=False):
    if inplace:
        return threshold_(input, threshold, value)
    return _threshold(input, threshold, value)


def threshold_(input, threshold, value):
    return inplace(input, _threshold, threshold, value, THRESHOLD_INPLACE)


def logsigmoid(input):
    d = _kernel_input("log_sigmoid_cpu", input)
    out = F32.log_sigmoid(d) if d.dtype == np.float32 else logsigmoid_array(d)
    return record(LOGSIGMOID, out, (input,))


def _hardsigmoid(input):
    d = _kernel_input("hardsigmoid_cpu", input)
    out = (np.minimum(np.maximum(d + 3.0, 0), 6.0) / 6.0).astype(d.dtype, copy=False)
    return record(HARDSIGMOID, out, (input,))


def hardsigmoid(input, inplace=False):
    return _run(_hardsigmoid, input, inplace)


def _hardswish(input):
    d = _kernel_input("hardswish_cpu", input)
    out = (d * np.minimum(np.maximum(d + 3.0, 0), 6.0) / 6.0).astype(d.dtype, copy=False)
    return record(HARDSWISH, out, (input,))


def hardswish(input, inplace=False):
    return _run(_hardswish, input, inplace)


def softsign(input):
    # NOTE: composite, as in torch (its grad_fn is DivBackward0): input / (input.abs() + 1)
    from .elementwise import abs, div
    reads(input, "abs")
    if input._data.dtype == np.bool_:
        raise kernel_error("abs_cpu", input._data.dtype)
    return div(input, abs(input) + 1)


def tanhshrink(input):
    from .elementwise import sub, tanh
    reads(input, "tanh")
    return sub(input, tanh(input))


# torch.relu/selu/celu/threshold (and their _ forms) are C++ ops without F's ``inplace``: their
# own function objects, so a failed call is checked against the signature it was made with
def _torch_relu(input):
    return relu(input)


def _torch_relu_(input):
    return relu_(input)


def _torch_selu(input):
    return selu(input)


def _torch_selu_(input):
    return selu(input, inplace=True)


def _torch_celu(input, alpha=1.0):
    return celu(input, alpha)


def _torch_celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def _torch_threshold(input, threshold, value):
    return _threshold(input, threshold, value)


def _torch_threshold_(input, threshold, value):
    return inplace(input, _threshold, threshold, value)


TORCH_LEVEL = {}
for _fn in (_torch_relu, _torch_relu_, _torch_selu, _torch_selu_, _torch_celu, _torch_celu_,
            _torch_threshold, _torch_threshold_):
    _fn.__name__ = _fn.__qualname__ = _fn.__name__[len("_torch_"):]
    TORCH_LEVEL[_fn.__name__] = _fn
TENSOR_METHODS = {"relu": _torch_relu, "relu_": _torch_relu_}  # x.relu(True) is no inplace flag
