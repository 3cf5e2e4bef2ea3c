"""The entry points of a backward pass: ``torch.autograd.backward`` (and so
``Tensor.backward``) and ``torch.autograd.grad``.

Their arguments are checked and completed as torch/autograd/__init__.py does it (the
implicit gradient of a scalar output, shapes of grad_outputs, retain_graph defaulting to
create_graph, inputs, allow_unused, materialize_grads, is_grads_batched), then the pass
itself is ``engine.run``, looked up on the module at each call so that an observer of the
passes (gradcli check) can wrap it.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import engine
from .tensor import Size, Tensor, wrap

_CYCLE = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter "
    "and its gradient which can cause a memory leak. We recommend using autograd.grad when "
    "creating the graph to avoid this. If you have to use this function, make sure to reset the "
    ".grad fields of your parameters to None after use to break the cycle and avoid the leak. "
    "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)"
)
_warned_cycle = False


def _as_tuple(x, length):
    """torch's _tensor_or_tensors_to_tuple."""
    if x is None:
        return (None,) * length
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _inputs_tuple(inputs, where):
    if isinstance(inputs, Tensor):
        return (inputs,)
    if type(inputs) is dict:
        return tuple(inputs.values())
    if isinstance(inputs, dict):
        raise TypeError(f"`inputs` argument to `{where}()` must be a dict, not {type(inputs).__name__}. "
                        "Other Mapping types are not supported.")
    return tuple(inputs)


def _make_grads(outputs, grads, is_grads_batched=False):
    """Check or create the gradient of each output, as torch's _make_grads does."""
    result = []
    for i, (out, g) in enumerate(zip(outputs, grads)):
        if isinstance(g, Tensor):
            gshape = g._data.shape[1:] if is_grads_batched else g._data.shape
            if gshape != out._data.shape:
                if is_grads_batched:
                    raise RuntimeError(
                        "If `is_grads_batched=True`, we interpret the first dimension of each "
                        "grad_output as the batch dimension. The sizes of the remaining dimensions "
                        "are expected to match the shape of corresponding output, but a mismatch "
                        f"was detected: grad_output[{i}] has a shape of {Size(gshape)!r} and "
                        f"output[{i}] has a shape of {Size(out._data.shape)!r}. If you only want "
                        "some tensors in `grad_output` to be considered batched, consider using vmap.")
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {Size(g._data.shape)!r} and "
                    f"output[{i}] has a shape of {Size(out._data.shape)!r}.")
            if (g._data.dtype.kind == "c") != (out._data.dtype.kind == "c"):
                raise RuntimeError(
                    "For complex Tensors, both grad_output and output are required to have the same "
                    f"dtype. Mismatch in dtype: grad_output[{i}] has a dtype of {g.dtype} and "
                    f"output[{i}] has a dtype of {out.dtype}.")
            result.append(g)
        elif g is None:
            if out._requires_grad:
                if out._data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if out._data.dtype.kind != "f":
                    raise RuntimeError(
                        f"grad can be implicitly created only for real scalar outputs but got {out.dtype}")
                result.append(wrap(np.ones_like(out._data)))
            else:
                result.append(None)
        else:
            raise TypeError("gradients can be either Tensors or None, but got " + type(g).__name__)
    return result


def _check_roots(tensors, grads):
    if len(tensors) != len(grads):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grads)} gradients")
    for i, t in enumerate(tensors):
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None) -> None:
    """torch.autograd.backward."""
    global _warned_cycle
    if grad_variables is not None:
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", FutureWarning,
                      stacklevel=2)
        if grad_tensors is None:
            grad_tensors = grad_variables
        else:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both passed "
                               "to `backward()`. Please only use `grad_tensors`.")
    inputs_t = () if inputs is None else _inputs_tuple(inputs, "backward")
    if inputs is not None and not inputs_t:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    grads = _make_grads(tensors, _as_tuple(grad_tensors, len(tensors)))
    if retain_graph is None:
        retain_graph = create_graph
    _check_roots(tensors, grads)
    for t in inputs_t:
        # torch makes every non-leaf input retain its grad (and rejects inputs without grad)
        t.retain_grad()
    if create_graph and not _warned_cycle:
        _warned_cycle = True
        warnings.warn(_CYCLE, UserWarning, stacklevel=3)
    engine.run(tensors, grads, bool(retain_graph), bool(create_graph), inputs_t or None, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """torch.autograd.grad."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    inputs_t = _inputs_tuple(inputs, "grad")
    if not inputs_t:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To "
                      "accumulate gradient for other parts of the graph, please use "
                      "torch.autograd.backward.", FutureWarning, stacklevel=2)
    grads = _make_grads(outputs, _as_tuple(grad_outputs, len(outputs)), is_grads_batched)
    if retain_graph is None:
        retain_graph = create_graph
    _check_roots(outputs, grads)
    for t in inputs_t:
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element of inputs, but got {type(t).__name__}")
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    if is_grads_batched:
        result = _batched(outputs, grads, inputs_t, retain_graph, create_graph)
    else:
        result = engine.run(outputs, grads, bool(retain_graph), bool(create_graph), inputs_t, accumulate=False)
    for i, g in enumerate(result):
        if g is None and not allow_unused:
            raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used "
                               f"in the graph. Set allow_unused=True if this is the desired behavior.")
    if materialize_grads:
        from .creation import zeros_like
        result = [g if g is not None else zeros_like(t, requires_grad=create_graph)
                  for g, t in zip(result, inputs_t)]
    result = tuple(result)
    if type(inputs) is dict:
        return dict(zip(inputs.keys(), result))
    return result


def _batched(outputs, grads, inputs, retain_graph, create_graph):
    """is_grads_batched: one pass per row of the grad_outputs, stacked (torch uses vmap)."""
    n = next(g._data.shape[0] for g in grads if g is not None)
    rows = []
    for k in range(n):
        gk = [None if g is None else wrap(g._data[k]) for g in grads]
        rows.append(engine.run(outputs, gk, True if k < n - 1 else bool(retain_graph), bool(create_graph),
                        inputs, accumulate=False))
    out = []
    for j in range(len(inputs)):
        col = [r[j] for r in rows]
        out.append(None if col[0] is None else wrap(np.stack([c._data for c in col])))
    return out
