"""torch.autograd.functional: vjp, jvp, jacobian, hessian, vhp, hvp — built on ``engine.grad``.

Same signatures, checks, error texts and result nesting as torch's: a Tensor for a
Tensor, a tuple for a tuple, and a tuple of tuples (outputs x inputs) for jacobians
of tuple functions.  jvp uses the double-backward trick, as torch does.
"""

from __future__ import annotations

import numpy as np

from . import engine
from .grad_mode import state as grad_state
from .tensor import Tensor, wrap

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


class _Mode:
    """with _Mode(flag): grad mode set to ``flag`` for the block."""

    def __init__(self, flag):
        self.flag = flag

    def __enter__(self):
        self.prev = grad_state.enabled
        grad_state.enabled = self.flag

    def __exit__(self, *exc):
        grad_state.enabled = self.prev
        return False


def _as_tuple(inp, arg_name, fn_name):
    is_tuple = isinstance(inp, tuple)
    items = inp if is_tuple else (inp,)
    for i, el in enumerate(items):
        if not isinstance(el, Tensor):
            if is_tuple:
                raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of "
                                f"Tensors but the value at index {i} has type {type(el)}.")
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of "
                            f"Tensors but the given {arg_name} has type {_torch_type(el)}.")
    return is_tuple, items


def _torch_type(x):
    return "<class 'torch.Tensor'>" if isinstance(x, Tensor) else str(type(x))


def _unpack(res, to_unpack):
    """Undo _as_tuple: one flag (a tuple or not), or two (outer, inner) for nested results."""
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            res = tuple(el[0] for el in res)
        if not to_unpack[0]:
            res = res[0]
    elif not to_unpack:
        res = res[0]
    return res


def _preprocess(inputs, create_graph, need_graph):
    """Fresh leaves (or views that keep the graph under create_graph) for the inputs."""
    out = []
    for inp in inputs:
        if create_graph and inp.requires_grad:
            out.append(inp.view_as(inp) if hasattr(inp, "view_as") else inp * 1)
        else:
            t = inp.detach()
            if need_graph:
                t.requires_grad_(True)
            out.append(t)
    return tuple(out)


def _postprocess(x, create_graph):
    if isinstance(x, Tensor):
        return x if create_graph else x.detach()
    return tuple(_postprocess(el, create_graph) for el in x)


def _validate_v(v, other, is_other_tuple):
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.size() != el_other.size():
            prepend = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(f"{prepend}v has invalid size: should be {el_other.size()} but got "
                               f"{el_v.size()}.")


def _check_requires_grad(inputs, input_type, strict):
    if not strict:
        return
    for i, inp in enumerate(inputs):
        if inp is None:
            raise RuntimeError(f"The output of the user-provided function is independent of input {i}. "
                               "This is not allowed in strict mode.")
        if not inp.requires_grad:
            if input_type == "hessian":
                raise RuntimeError(f"The hessian of the user-provided function with respect to input {i} "
                                   "is independent of the input. This is not allowed in strict mode. You "
                                   "should ensure that your function is thrice differentiable and that the "
                                   "hessian depends on the inputs.")
            if input_type == "jacobian":
                raise RuntimeError("While computing the hessian, found that the jacobian of the "
                                   f"user-provided function with respect to input {i} is independent of "
                                   "the input. This is not allowed in strict mode. You should ensure that "
                                   "your function is twice differentiable and that the jacobian depends on "
                                   "the inputs (this would be violated by a linear function for example).")
            if input_type == "grad_inputs":
                raise RuntimeError(f"The gradient with respect to input {i} is independent of the inputs of "
                                   "the user-provided function. This is not allowed in strict mode.")
            raise RuntimeError(f"Output {i} of the user-provided function does not require gradients. The "
                               "outputs must be computed in a differentiable manner from the input when "
                               "running in strict mode.")


def _autograd_grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """engine.grad over the outputs that need a gradient; None for unreachable inputs."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    new_out, new_go = [], []
    for out, go in zip(outputs, grad_outputs):
        if out is not None and out.requires_grad:
            new_out.append(out)
            new_go.append(go)
    if not new_out:
        return (None,) * len(inputs)
    return engine.grad(new_out, inputs, new_go, allow_unused=True, create_graph=create_graph,
                       retain_graph=retain_graph)


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    res = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                if stage == "back":
                    raise RuntimeError("The output of the user-provided function is independent of "
                                       f"input {i}. This is not allowed in strict mode.")
                if stage == "back_trick":
                    raise RuntimeError(f"The gradient with respect to the input is independent of entry {i} "
                                       "in the grad_outputs when using the double backward trick to compute "
                                       "forward mode gradients. This is not allowed in strict mode.")
                if stage == "double_back":
                    raise RuntimeError("The jacobian of the user-provided function is independent of "
                                       f"input {i}. This is not allowed in strict mode.")
                raise RuntimeError("The hessian of the user-provided function is independent of entry "
                                   f"{i} in the grad_jacobian. This is not allowed in strict mode as it "
                                   "prevents from using the double backward trick to replace forward "
                                   "mode AD.")
            g = _zeros_like(ref)
        elif strict and create_graph and not g.requires_grad:
            if "double" not in stage:
                raise RuntimeError("The jacobian of the user-provided function is independent of "
                                   f"input {i}. This is not allowed in strict mode when create_graph=True.")
            raise RuntimeError("The hessian of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode when create_graph=True.")
        res.append(g)
    return tuple(res)


def _zeros_like(t, requires_grad=False):
    z = wrap(np.zeros_like(t._data))
    if requires_grad:
        z.requires_grad_(True)
    return z


def _inputs_and_v(inputs, v, create_graph, fn_name):
    """The inputs made ready to differentiate, and ``v`` checked against them (jvp, vhp, hvp)."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _preprocess(inputs, create_graph, need_graph=True)
    if v is not None:
        _, v = _as_tuple(v, "v", fn_name)
        v = _preprocess(v, create_graph, need_graph=False)
        _validate_v(v, inputs, is_inputs_tuple)
    elif len(inputs) != 1 or inputs[0].nelement() != 1:
        raise RuntimeError("The vector v can only be None if the input to the user-provided function "
                           "is a single Tensor with a single element.")
    return is_inputs_tuple, inputs, v


def _single_scalar_output(func, inputs, strict, fn_name):
    """``func(*inputs)``, which must be one single-element Tensor (hessian, vhp, hvp)."""
    outputs = func(*inputs)
    is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict)
    if is_outputs_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should contain a "
                           "single element")
    return is_outputs_tuple, outputs


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T · J)."""
    with _Mode(True):
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict)
        if v is not None:
            _, v = _as_tuple(v, "v", "vjp")
            v = _preprocess(v, create_graph, need_graph=False)
            _validate_v(v, outputs, is_outputs_tuple)
        elif len(outputs) != 1 or outputs[0].nelement() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function returns a "
                               "single Tensor with a single element.")
    with _Mode(True if create_graph else grad_state.enabled):
        grad_res = _autograd_grad(outputs, inputs, v, create_graph=create_graph)
        result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "back")
    outputs = _postprocess(outputs, create_graph)
    result = _postprocess(result, create_graph)
    return _unpack(outputs, is_outputs_tuple), _unpack(result, is_inputs_tuple)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J · v), by the double-backward trick."""
    with _Mode(True):
        is_inputs_tuple, inputs, v = _inputs_and_v(inputs, v, create_graph, "jvp")
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict)
        # backward is linear in grad_outputs, so their value does not matter (only finite)
        grad_outputs = tuple(_zeros_like(out, requires_grad=True) for out in outputs)
        grad_inputs = _autograd_grad(outputs, inputs, grad_outputs, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with _Mode(True if create_graph else grad_state.enabled):
        grad_res = _autograd_grad(grad_inputs, grad_outputs, v, create_graph=create_graph)
        result = _fill_in_zeros(grad_res, outputs, strict, create_graph, "back_trick")
    outputs = _postprocess(outputs, create_graph)
    result = _postprocess(result, create_graph)
    return _unpack(outputs, is_outputs_tuple), _unpack(result, is_outputs_tuple)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The Jacobian, one reverse pass per output element (``vectorize`` only batches them in torch)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more '
                             'performant. Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError("torch.autograd.functional.jacobian: `create_graph=True` and "
                                      "`strategy=\"forward-mode\"` are not supported together (yet). Please "
                                      "either set `create_graph=False` or `strategy=\"reverse-mode\"`.")
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is "
                                      "only implemented for `vectorize=True`.")
    if vectorize and strict:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                           "supported together. Please either set `strict=False` or `vectorize=False`.")
    with _Mode(True):
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict)
        if strategy == "forward-mode":
            jac = _unpack(_postprocess(_forward_jacobian(outputs, inputs), False),
                          (is_outputs_tuple, is_inputs_tuple))
            return _as_lists(jac) if is_inputs_tuple else jac  # torch's forward mode nests in lists
        jac = []
        for i, out in enumerate(outputs):
            rows = [[] for _ in inputs]
            n = out.nelement()
            for j in range(n):
                onehot = np.zeros(n, dtype=out._data.dtype)
                onehot[j] = 1
                vj = _autograd_grad((out,), inputs, (wrap(onehot.reshape(out._data.shape)),),
                                    create_graph=create_graph, retain_graph=True)
                for k, (g, inp) in enumerate(zip(vj, inputs)):
                    if g is not None:
                        if strict and create_graph and not g.requires_grad:
                            raise RuntimeError("The jacobian of the user-provided function is independent "
                                               f"of input {i}. This is not allowed in strict mode when "
                                               "create_graph=True.")
                        rows[k].append(g)
                    else:
                        if strict:
                            raise RuntimeError(f"Output {i} of the user-provided function is independent "
                                               f"of input {k}. This is not allowed in strict mode.")
                        rows[k].append(_zeros_like(inp))
            jac.append(tuple(_stack(r, tuple(out.shape) + tuple(inp.shape), out, inp)
                             for r, inp in zip(rows, inputs)))
        jac = _postprocess(tuple(jac), create_graph)
        return _unpack(jac, (is_outputs_tuple, is_inputs_tuple))


def _as_lists(x):
    return [_as_lists(v) for v in x] if isinstance(x, tuple) else x


def _forward_jacobian(outputs, inputs):
    """Forward mode's Jacobian, one Jacobian-vector product per input element through the
    double-backward trick (as jvp): its products are forward mode's, so zeros keep their signs."""
    from .ops.shape import stack
    jac = []
    for out in outputs:
        u = wrap(np.zeros(out._data.shape, out._data.dtype)).requires_grad_()
        grads = _autograd_grad((out,), inputs, (u,), create_graph=True)
        blocks = []
        for g, inp in zip(grads, inputs):
            cols = []
            for j in range(inp.nelement()):
                basis = np.zeros(inp._data.size, inp._data.dtype)
                basis[j] = 1
                d = None if g is None or not g.requires_grad else _autograd_grad(
                    (g,), (u,), (wrap(basis.reshape(inp._data.shape)),), retain_graph=True)[0]
                cols.append(d if d is not None else _zeros_like(out))
            shape = tuple(out.shape) + tuple(inp.shape)
            blocks.append(stack(cols, -1).reshape(shape) if cols else _stack([], shape, out, inp))
        jac.append(tuple(blocks))
    return tuple(jac)


def _stack(rows, shape, out, inp):
    """torch.stack(rows).view(shape); an empty output or input gives zeros of that shape."""
    if not rows:
        return wrap(np.zeros(shape, dtype=np.result_type(out._data.dtype, inp._data.dtype)))
    if any(r.requires_grad for r in rows):
        from .ops.shape import stack
        return stack(rows, 0).reshape(shape)
    return wrap(np.stack([r._data for r in rows]).reshape(shape))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar function: the jacobian of its gradient."""
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")

    def ensure_single_output_function(*inp):
        return _single_scalar_output(func, inp, strict, "hessian")[1][0].squeeze()

    def jac_func(*inp):
        if outer_jacobian_strategy == "forward-mode":
            inp = tuple(t.requires_grad_(True) for t in inp)
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _unpack(res, (is_inputs_tuple, is_inputs_tuple))


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T · H)."""
    with _Mode(True):
        is_inputs_tuple, inputs, v = _inputs_and_v(inputs, v, create_graph, "vhp")
        is_outputs_tuple, outputs = _single_scalar_output(func, inputs, strict, "vhp")
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
    with _Mode(True if create_graph else grad_state.enabled):
        grad_res = _autograd_grad(jac, inputs, v, create_graph=create_graph)
        result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back")
    outputs = _postprocess(outputs, create_graph)
    result = _postprocess(result, create_graph)
    return _unpack(outputs, is_outputs_tuple), _unpack(result, is_inputs_tuple)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H · v), by double backward through v^T · grad."""
    with _Mode(True):
        is_inputs_tuple, inputs, v = _inputs_and_v(inputs, v, create_graph, "hvp")
        is_outputs_tuple, outputs = _single_scalar_output(func, inputs, strict, "hvp")
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        grad_jac = tuple(_zeros_like(inp, requires_grad=True) for inp in inputs)
        double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    with _Mode(True if create_graph else grad_state.enabled):
        grad_res = _autograd_grad(double_back, grad_jac, v, create_graph=create_graph)
        result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back_trick")
    outputs = _postprocess(outputs, create_graph)
    result = _postprocess(result, create_graph)
    return _unpack(outputs, is_outputs_tuple), _unpack(result, is_inputs_tuple)
