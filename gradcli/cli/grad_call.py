"""``gradcli grad``: torch.autograd.grad from the command line, ``--order N`` included."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from .session import Session, Target, _jacobian_hint, default_inputs, find_targets, grad_tensor, runtime_error


@dataclass
class GradOutcome:
    targets: list[Target]
    inputs: list[Target]
    grads: list                   # numpy arrays, or None for an unused input (--allow-unused)
    order: int = 1


def split_names(specs: list[str]) -> list[str]:
    names = [n.strip() for spec in specs for n in spec.split(",") if n.strip()]
    for n in names:
        if not n.isidentifier():
            raise UsageError(f"--wrt {n!r}: not a name")
    return names


def grad(session: Session, of: list[str], wrt: list[str], grad_specs: list[str],
         allow_unused: bool = False, create_graph: bool = False, retain_graph: bool = False,
         order: int = 1) -> GradOutcome:
    import numpy as np

    from ..autograd import engine
    targets = find_targets(session, of)
    names = split_names(wrt) or default_inputs(session)
    if not names:
        raise UsageError("nothing to differentiate with respect to: name inputs with --wrt X[,Z...]")
    inputs = find_targets(session, names, option="--wrt")
    if grad_specs and len(grad_specs) != len(targets):
        raise UsageError(f"got {len(grad_specs)} --grad-outputs for {len(targets)} output(s)")
    if order < 1:
        raise UsageError(f"--order {order}: must be 1 or more")
    if order > 1 and (len(inputs) != 1 or len(targets) != 1):
        raise UsageError("--order N differentiates one output with respect to one input")
    env = dict(session.result.env)
    grad_outputs = [grad_tensor(s, t, env, "--grad-outputs") for s, t in zip(grad_specs, targets)]
    outputs = [t.tensor for t in targets]
    xs = [t.tensor for t in inputs]
    try:
        for k in range(order):
            last = k == order - 1
            result = engine.grad(outputs, xs, grad_outputs or None,
                                 retain_graph=True if not last else (retain_graph or None),
                                 create_graph=create_graph or not last,
                                 allow_unused=allow_unused or k > 0)
            if last:
                break
            g = result[0]
            if g is None or not g.requires_grad:  # the rest of the derivatives are zero
                result = (None,)
                break
            outputs, grad_outputs = [g.sum() if g.numel() != 1 else g], []
    except RuntimeError as e:
        hint = None
        if "not have been used in the graph" in str(e):
            hint = "pass --allow-unused to get None for inputs the output does not depend on"
        elif "implicitly created only for scalar" in str(e):
            hint = _jacobian_hint(targets[0]).replace("--grad-tensors", "--grad-outputs")
        raise runtime_error(e, targets[0], hint) from None
    grads = [None if g is None else np.asarray(g._data) for g in result]
    if order > 1 and grads[0] is None:
        grads = [np.zeros_like(xs[0]._data)]
    return GradOutcome(targets, inputs, grads, order)
