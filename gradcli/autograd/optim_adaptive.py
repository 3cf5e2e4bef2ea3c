"""torch.optim: AdamW, RMSprop and Adagrad (and, exported from here, optim_more's Adadelta, Adamax, NAdam, RAdam), with
torch's single-tensor (CPU) update formulas
in torch's order of operations (the same roundings as optim.py's SGD and Adam)."""

from __future__ import annotations

import numpy as np

from .optim import Adam, Optimizer, _bump, _fma, _fma_arrays
from .tensor import Tensor, wrap

__all__ = ["AdamW", "RMSprop", "Adagrad"]


def _check_lr(lr) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def _check(name: str, value, what: str = "value") -> None:
    if not 0.0 <= value:
        raise ValueError(f"Invalid {name} {what}: {value}")


def _scalar_step() -> Tensor:
    return wrap(np.array(0.0, dtype=np.float32))


def _advance(step_t: Tensor) -> float:
    step_t._data[...] = step_t._data + np.float32(1)
    return float(step_t._data)


def _grad_of(p, group):
    grad = p._grad._data
    return -grad if group["maximize"] else grad


class AdamW(Adam):
    """Adam with decoupled weight decay (param *= 1 - lr·weight_decay before the update)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check_lr(lr)
        _check("epsilon", eps)
        _check("momentum", momentum)
        _check("weight_decay", weight_decay)
        _check("alpha", alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            alpha, eps, wd, momentum = group["alpha"], group["eps"], group["weight_decay"], group["momentum"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                dt = param.dtype.type
                grad = _grad_of(p, group)
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = _scalar_step()
                    state["square_avg"] = wrap(np.zeros_like(param))
                    if momentum > 0:
                        state["momentum_buffer"] = wrap(np.zeros_like(param))
                    if group["centered"]:
                        state["grad_avg"] = wrap(np.zeros_like(param))
                _advance(state["step"])
                if wd != 0:
                    grad = _fma(grad, wd, param)
                square_avg = state["square_avg"]._data
                np.multiply(square_avg, dt(alpha), out=square_avg)
                square_avg[...] = _fma_arrays(square_avg, dt(1 - alpha) * grad, grad)
                if group["centered"]:
                    grad_avg = state["grad_avg"]._data
                    _lerp(grad_avg, grad, 1 - alpha)
                    avg = np.sqrt(_fma_arrays(square_avg, -grad_avg, grad_avg))
                else:
                    avg = np.sqrt(square_avg)
                avg = avg + dt(eps)
                if momentum > 0:
                    buf = state["momentum_buffer"]._data
                    np.multiply(buf, dt(momentum), out=buf)
                    buf[...] = buf + grad / avg
                    param[...] = _fma(param, -lr, buf)
                else:
                    param[...] = param + dt(-lr) * grad / avg
                _bump(p)


def _lerp(start, end, weight) -> None:
    """start.lerp_(end, weight) in place, torch's fused form chosen by the size of the weight."""
    dt = start.dtype.type
    diff = end - start
    if abs(dt(weight)) < 0.5:
        start[...] = _fma(start, weight, diff)
    else:
        start[...] = _fma(end, dt(weight) - dt(1), diff)


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check_lr(lr)
        _check("lr_decay", lr_decay)
        _check("weight_decay", weight_decay)
        _check("initial_accumulator_value", initial_accumulator_value)
        _check("epsilon", eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:  # torch makes Adagrad's state up front
            for p in group["params"]:
                self.state[p] = {"step": _scalar_step(),
                                 "sum": wrap(np.full_like(p._data, initial_accumulator_value))}

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            wd, eps, lr_decay = group["weight_decay"], group["eps"], group["lr_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                dt = param.dtype.type
                state = self.state[p]
                step = _advance(state["step"])
                grad = _grad_of(p, group)
                if wd != 0:
                    grad = _fma(grad, wd, param)
                clr = lr / (1 + (step - 1) * lr_decay)
                total = state["sum"]._data
                total[...] = _fma_arrays(total, grad, grad)
                std = np.sqrt(total) + dt(eps)
                param[...] = param + dt(-clr) * grad / std
                _bump(p)


from .optim_more import Adadelta, Adamax, NAdam, RAdam  # noqa: E402  (torch.optim's names gathered here)

TORCH_EXPORTS = {cls.__name__: cls for cls in (AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam)}
