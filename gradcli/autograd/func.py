"""torch.func's grad, grad_and_value, jacrev, jacfwd, hessian and vmap, on the tape engine.

``grad(f)(x)`` differentiates ``f`` at a private copy of ``x`` with ``create_graph=True``, so
``grad(grad(f))`` nests. As in torch, the result keeps no history through that copy: it is
detached unless it also depends on tensors outside (an ``x`` that requires grad, or a
weight ``f`` closes over), whose history it keeps. ``vmap`` runs ``f`` on each slice along
the mapped dims and stacks the results: the same values as torch's batched kernels.
"""

from __future__ import annotations

from .function import AccumulateGrad
from .grad_mode import enable_grad
from .tensor import Tensor


def _argnums(argnums, n: int) -> tuple:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not isinstance(i, int) or not -n <= i < n:
            raise RuntimeError(f"Got argnums={argnums} but only {n} positional inputs")
    return tuple(i % n for i in nums)


def _reaches_other_leaves(t: Tensor, own: set) -> bool:
    """Whether ``t``'s history reaches a leaf that requires grad other than ``own``'s."""
    if t.grad_fn is None:
        return False
    seen, stack = set(), [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if type(node) is AccumulateGrad:
            if id(node.variable) not in own:
                return True
            continue
        stack.extend(nxt for nxt, _ in node.next_functions)
    return False


def _unwrap(x, own: set):
    """A result of the transformed function without its history through the private inputs."""
    if isinstance(x, Tensor):
        return x if _reaches_other_leaves(x, own) else x.detach()
    if isinstance(x, (tuple, list)):
        return type(x)(_unwrap(v, own) for v in x)
    if isinstance(x, dict):
        return {k: _unwrap(v, own) for k, v in x.items()}
    return x


def grad_and_value(func, argnums=0, has_aux=False):
    """``func``'s gradient with respect to the ``argnums`` inputs, and its value."""
    def wrapper(*args, **kwargs):
        from .creation import zeros_like
        from .engine import grad as autograd_grad
        nums = _argnums(argnums, len(args))
        args, inputs = _private(args, nums)
        with enable_grad():
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: "
                                       "(output, aux) if has_aux is True")
                out, aux = out
            if not isinstance(out, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, "
                                   f"got {type(out)}")
            if out.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, "
                                   f"got tensor with {out.dim()} dims. Maybe you wanted to use the vjp or "
                                   "jacrev APIs instead?")
            grads = autograd_grad(out, inputs, create_graph=True, allow_unused=True) if out.requires_grad \
                else (None,) * len(inputs)
        own = {id(x) for x in inputs if x.grad_fn is None}  # the private leaves: results do not keep them
        grads = [zeros_like(x) if g is None else g for g, x in zip(grads, inputs)]
        grads = [_unwrap(g, own) for g in grads]
        value = _unwrap(out, own)
        aux = _unwrap(aux, own)
        g = grads[0] if isinstance(argnums, int) else tuple(grads)
        return (g, (value, aux)) if has_aux else (g, value)

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """``func``'s gradient with respect to its ``argnums`` inputs (func returns a scalar)."""
    both = grad_and_value(func, argnums, has_aux)

    def wrapper(*args, **kwargs):
        g, value = both(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return wrapper


def _private(args, nums):
    """The inputs at ``nums`` replaced by private tensors that require grad: a view of an input
    that requires grad already (an outer transform's, whose history the results keep), else a
    detached copy."""
    args = list(args)
    inputs = []
    for i in nums:
        a = args[i]
        if not isinstance(a, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(a)}")
        args[i] = a.view_as(a) if a.requires_grad else a.detach().requires_grad_()
        inputs.append(args[i])
    return args, inputs


def _jacobian_of(func, argnums, args, columns):
    """Each input's Jacobian block (out.shape + input.shape), by rows (reverse mode) or by
    columns (forward mode: the double-backward trick, whose products are forward mode's)."""
    from .creation import zeros_like
    from .engine import grad as autograd_grad
    from .ops.joins import stack
    nums = _argnums(argnums, len(args))
    args, inputs = _private(args, nums)
    own = {id(x) for x in inputs if x.grad_fn is None}
    with enable_grad():
        out = func(*args)
        if not isinstance(out, Tensor):
            raise RuntimeError(f"jacrev(f)(*args): Expected f(*args) to return a Tensor, got {type(out)}")
        blocks = []
        if columns:
            u = zeros_like(out).requires_grad_()
            gs = autograd_grad(out, inputs, grad_outputs=u, create_graph=True, allow_unused=True) \
                if out.requires_grad else (None,) * len(inputs)
            for x, g in zip(inputs, gs):
                cols = []
                for j in range(x.numel()):
                    basis = zeros_like(x).reshape(-1)
                    basis[j] = 1.0
                    d = None if g is None or not g.requires_grad else autograd_grad(
                        g, u, grad_outputs=basis.reshape(x.shape), retain_graph=True, create_graph=True,
                        allow_unused=True)[0]
                    cols.append(zeros_like(out) if d is None else d)
                block = stack(cols, -1) if cols else zeros_like(out).unsqueeze(-1)[..., :0]
                blocks.append(block.reshape(tuple(out.shape) + tuple(x.shape)))
        else:
            flat = out.reshape(-1)
            rows = [autograd_grad(flat[k], inputs, retain_graph=True, create_graph=True, allow_unused=True)
                    if out.requires_grad else (None,) * len(inputs) for k in range(flat.numel())]
            for i, x in enumerate(inputs):
                parts = [zeros_like(x) if r[i] is None else r[i] for r in rows]
                block = stack(parts, 0) if parts else zeros_like(x).unsqueeze(0)[:0]
                blocks.append(block.reshape(tuple(out.shape) + tuple(x.shape)))
    blocks = [_unwrap(b, own) for b in blocks]
    return blocks[0] if isinstance(argnums, int) else tuple(blocks)


def jacrev(func, argnums=0, has_aux=False):
    """The Jacobian of ``func`` by reverse mode (one vector-Jacobian product per output)."""
    if has_aux:
        raise NotImplementedError("jacrev(has_aux=True) is not supported by gradcli")
    return lambda *args: _jacobian_of(func, argnums, args, columns=False)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian of ``func`` by forward mode (one Jacobian-vector product per input element)."""
    if has_aux:
        raise NotImplementedError("jacfwd(has_aux=True) is not supported by gradcli")
    return lambda *args: _jacobian_of(func, argnums, args, columns=True)


def hessian(func, argnums=0):
    """jacfwd(jacrev(func)), as torch.func builds it."""
    return jacfwd(jacrev(func, argnums), argnums)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """``func`` mapped over dim ``in_dims`` of its inputs (None: not mapped), the results
    stacked along ``out_dims``."""
    def wrapper(*args):
        from .ops.joins import stack
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap(f, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                             f"structure of `inputs`. in_dims has structure {len(dims)} but inputs has {len(args)}")
        sizes = {a.shape[d] for a, d in zip(args, dims) if d is not None and isinstance(a, Tensor)}
        if not sizes:
            raise ValueError("vmap(f, in_dims=..., ...)(<inputs>): at least one input must be mapped over")
        if len(sizes) > 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, "
                             f"got sizes {sorted(sizes)} for the mapped dimension")
        n = sizes.pop()
        results = [func(*[a if d is None else a.select(d, k) for a, d in zip(args, dims)]) for k in range(n)]
        first = results[0]
        if isinstance(first, tuple):
            outs = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(first)
            return tuple(stack([r[j] for r in results], outs[j]) for j in range(len(first)))
        return stack(results, out_dims)

    return wrapper
