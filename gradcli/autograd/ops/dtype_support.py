"""The dtypes torch's CPU kernels refuse, as one table of facts (observed from PyTorch 2.13).

gradcli's numpy computes any dtype; torch's kernels are compiled for some only, and a
program that reaches a kernel with another dtype ends with that kernel's error. Each op
family calls ``refuse`` where it computes, and only for a tensor that is not floating
(every kernel here takes float32/float64), so the float path pays nothing.
"""

from __future__ import annotations

from ._dispatch import _torch_type_name

_BOOL, _INTEGER = "b", "biu"


def kernel_error(kernel: str, dtype) -> NotImplementedError:
    """AT_DISPATCH's error: torch's ``kernel`` has no instance for ``dtype`` (a numpy dtype)."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{_torch_type_name(dtype)}\'')


def _kernel(name):
    return None, name  # kernel_error's, for kernel ``name``


# op (as its family names it) -> (numpy dtype kinds refused, (exception, message))
REFUSED = {
    "argmax": (_BOOL, (RuntimeError, "argmax(): does not support bool input")),
    "argmin": (_BOOL, (RuntimeError, "argmin(): does not support bool input")),
    "topk": (_BOOL, (RuntimeError, "topk does not support bool dtypes on CPU")),
    "median": (_BOOL, _kernel("median_cpu")),            # the whole tensor
    "median_dim": (_BOOL, _kernel("median_out")),        # along a dim
    "dot": (_BOOL, _kernel("dot")),                      # dot, vdot, 1-D @ 1-D
    "mm": (_BOOL, _kernel("addmm_impl_cpu_")),           # mm, inner, linear, matmul via mm
    "mv": (_BOOL, _kernel("addmv_impl_cpu")),
    "bmm": (_BOOL, _kernel("bmm")),
    "trace": (_BOOL, _kernel("trace")),
    "cumsum": (_BOOL, _kernel("cumsum_out_cpu")),        # a bool result dtype (cumsum_, dtype=)
    "cumprod": (_BOOL, _kernel("cumprod_out_cpu")),
    "pow": (_BOOL, _kernel("pow")),                      # a bool tensor to a bool tensor's power
    "remainder": (_BOOL, _kernel("remainder_cpu")),      # of two bool operands
    "div_floor": (_BOOL, _kernel("div_floor_cpu")),      # floor_divide, //, rounding_mode="floor"
    "div_trunc": (_BOOL, _kernel("div_trunc_cpu")),
    "lerp_scalar": (_INTEGER, _kernel("lerp_kernel_scalar")),  # a Number weight
    "lerp_tensor": (_INTEGER, _kernel("lerp_kernel_tensor")),  # a tensor weight
    "clamp": (_BOOL, _kernel("clamp_cpu")),              # both bounds tensors
    "clamp_scalar": (_BOOL, _kernel("clamp_scalar_cpu")),  # both bounds Numbers (bool ones: no promotion)
    "clamp_min_scalar": (_BOOL, _kernel("clamp_min_scalar_cpu")),
    "clamp_max_scalar": (_BOOL, _kernel("clamp_max_scalar_cpu")),
}


def refuse(op: str, dtype) -> None:
    """torch's error when its kernel for ``op`` has no ``dtype`` (a numpy dtype) instance.
    Callers test ``dtype.kind != "f"`` first."""
    kinds, (error, message) = REFUSED[op]
    if dtype.kind in kinds:
        raise kernel_error(message, dtype) if error is None else error(message)
