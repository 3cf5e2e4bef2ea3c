"""Module full backward hooks (register_full_backward_hook / _pre_hook), as torch's
torch.utils.hooks.BackwardHook sets them up: the module's tensor inputs and outputs pass through
identity nodes (BackwardHookFunctionBackward); the output node sees grad_output (pre-hooks may
replace it), the input node sees grad_input, calls the hooks, and passes on what they return.
"""

from __future__ import annotations

import warnings

from .grad_mode import state as grad_state
from .ops.registry import defop, record
from .tensor import Tensor, wrap


def _as_tensor(g):
    return g if g is None or isinstance(g, Tensor) else wrap(g)


def _like(new, old):
    """A hook's replacement gradient in the form the engine passed the old one."""
    if new is None or isinstance(old, Tensor):
        return new
    return new._data if isinstance(new, Tensor) else new


INPUT_NODE = defop("BackwardHookFunctionBackward", {"self": "grad, after the module's backward hooks"},
                   self=lambda grad, hook, index: hook.input_grad(grad, index))
OUTPUT_NODE = defop("BackwardHookFunctionBackward", {"self": "grad, after the module's backward pre-hooks"},
                    self=lambda grad, hook, index: hook.output_grad(grad, index))


class BackwardHook:
    """One module call's hook state."""

    def __init__(self, module, hooks, pre_hooks):
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.n_args = 0
        self.inputs = []  # positions of the arguments that got an input node
        self.n_outputs = 0
        self.grad_inputs: dict = {}
        self.grad_outputs = None

    def _through(self, spec, t, index):
        return record(spec, t._data, (t,), {"hook": self, "index": index})

    def setup_input_hook(self, args: tuple) -> tuple:
        self.n_args = len(args)
        if not grad_state.enabled:
            return args
        out = []
        for i, a in enumerate(args):
            if isinstance(a, Tensor) and a._requires_grad:
                self.inputs.append(i)
                a = self._through(INPUT_NODE, a, i)
            out.append(a)
        return tuple(out)

    def setup_output_hook(self, result):
        if not grad_state.enabled:
            return result
        many = isinstance(result, tuple)
        items = list(result) if many else [result]
        self.n_outputs = len(items)
        self.grad_outputs = [None] * len(items)
        for i, t in enumerate(items):
            if isinstance(t, Tensor) and t._requires_grad:
                items[i] = self._through(OUTPUT_NODE, t, i)
        return tuple(items) if many else items[0]

    def output_grad(self, grad, index):
        self.grad_outputs[index] = _as_tensor(grad)
        outputs = tuple(self.grad_outputs)
        for hook in list(self.pre_hooks.values()):
            new = hook(self.module, outputs)
            if new is not None:
                outputs = tuple(new) if isinstance(new, (tuple, list)) else (new,)
        self.grad_outputs = list(outputs)
        if not self.inputs:  # nothing below needs a gradient: the hooks fire here, grad_input all None
            warnings.warn("Full backward hook is firing when gradients are computed with respect to module outputs "
                          "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
                          "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.",
                          UserWarning, stacklevel=2)
            for hook in list(self.hooks.values()):
                if hook(self.module, (None,) * self.n_args, outputs) is not None:
                    raise RuntimeError("Backward hook for Modules where no input requires gradient should always "
                                       "return None or None for all gradients.")
        return _like(outputs[index], grad)

    def input_grad(self, grad, index):
        self.grad_inputs[index] = _as_tensor(grad)
        if len(self.grad_inputs) < len(self.inputs):
            return grad
        inputs = tuple(self.grad_inputs.get(i) for i in range(self.n_args))
        outputs = tuple(self.grad_outputs or ())
        self.grad_inputs = {}
        for hook in list(self.hooks.values()):
            new = hook(self.module, inputs, outputs)
            if new is not None:
                new = tuple(new) if isinstance(new, (tuple, list)) else (new,)
                if len(new) != len(inputs):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got {len(new)}, but "
                                       f"expected {len(inputs)}")
                inputs = new
        return _like(inputs[index], grad)
