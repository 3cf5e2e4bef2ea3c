"""torch.optim.Adadelta, Adamax, NAdam and RAdam with torch's single-tensor (CPU) update formulas in torch's
order of operations and roundings (as optim_adaptive.py: addcmul as one fused step, addcdiv as
value·t1/t2 added, lerp's fused forms)."""

from __future__ import annotations

import numpy as np

from .optim import Optimizer, _bump, _fma, _fma_arrays
from .optim_adaptive import _advance, _check, _check_lr, _grad_of, _lerp, _scalar_step
from .tensor import wrap

__all__ = ["Adadelta", "Adamax", "NAdam", "RAdam"]


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check("epsilon", eps)
        _check("weight_decay", weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            rho, eps, wd = group["rho"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                dt = param.dtype.type
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = _scalar_step()
                    state["square_avg"] = wrap(np.zeros_like(param))
                    state["acc_delta"] = wrap(np.zeros_like(param))
                _advance(state["step"])
                grad = _grad_of(p, group)
                if wd != 0:
                    grad = _fma(grad, wd, param)
                square_avg = state["square_avg"]._data
                np.multiply(square_avg, dt(rho), out=square_avg)
                square_avg[...] = _fma_arrays(square_avg, dt(1 - rho) * grad, grad)
                std = np.sqrt(square_avg + dt(eps))
                acc_delta = state["acc_delta"]._data
                delta = np.sqrt(acc_delta + dt(eps)) / std * grad
                np.multiply(acc_delta, dt(rho), out=acc_delta)
                acc_delta[...] = _fma_arrays(acc_delta, dt(1 - rho) * delta, delta)
                param[...] = _fma(param, -lr, delta)
                _bump(p)


class Adamax(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        _check_lr(lr)
        _check("epsilon", eps)
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        _check("weight_decay", weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            (beta1, beta2), eps, wd = group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                dt = param.dtype.type
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = _scalar_step()
                    state["exp_avg"] = wrap(np.zeros_like(param))
                    state["exp_inf"] = wrap(np.zeros_like(param))
                step = _advance(state["step"])
                grad = _grad_of(p, group)
                if wd != 0:
                    grad = _fma(grad, wd, param)
                exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
                _lerp(exp_avg, grad, 1 - beta1)
                np.maximum(exp_inf * dt(beta2), np.abs(grad) + dt(eps), out=exp_inf)
                clr = lr / (1 - beta1 ** step)
                param[...] = param + dt(-clr) * exp_avg / exp_inf
                _bump(p)


def _adam_family_checks(lr, betas, eps, weight_decay):
    _check_lr(lr)
    _check("epsilon", eps)
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    _check("weight_decay", weight_decay)


def _moments(p, group, state, beta1, beta2):
    """Shared first steps: weight decay (L2 or decoupled), exp_avg.lerp_, exp_avg_sq update."""
    param = p._data
    dt = param.dtype.type
    lr, wd = float(group["lr"]), group["weight_decay"]
    grad = _grad_of(p, group)
    if wd != 0:
        if group["decoupled_weight_decay"]:
            param[...] = param * dt(1 - lr * wd)
        else:
            grad = _fma(grad, wd, param)
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    _lerp(exp_avg, grad, 1 - beta1)
    np.multiply(exp_avg_sq, dt(beta2), out=exp_avg_sq)
    exp_avg_sq[...] = _fma_arrays(exp_avg_sq, dt(1 - beta2) * grad, grad)
    return grad, exp_avg, exp_avg_sq


class NAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _adam_family_checks(lr, betas, eps, weight_decay)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            (beta1, beta2), eps, decay = group["betas"], group["eps"], group["momentum_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = _scalar_step()
                    state["mu_product"] = wrap(np.array(1.0, dtype=np.float32))
                    state["exp_avg"] = wrap(np.zeros_like(p._data))
                    state["exp_avg_sq"] = wrap(np.zeros_like(p._data))
                step = _advance(state["step"])
                param = p._data
                dt = param.dtype.type
                bias_correction2 = 1 - beta2 ** step
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * decay)))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * decay)))
                mp = state["mu_product"]._data
                mp[...] = np.float32(mp * np.float32(mu))  # a float32 scalar tensor in torch
                grad, exp_avg, exp_avg_sq = _moments(p, group, state, beta1, beta2)
                denom = np.sqrt(exp_avg_sq / dt(bias_correction2)) + dt(eps)
                product = float(mp)
                product_next = product * mu_next
                param[...] = param + dt(-lr * (1.0 - mu) / (1.0 - product)) * grad / denom
                param[...] = param + dt((-lr * mu_next) / (1.0 - product_next)) * exp_avg / denom
                _bump(p)


class RAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
                 *, foreach=None, maximize=False, capturable=False, differentiable=False):
        _adam_family_checks(lr, betas, eps, weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            (beta1, beta2), eps = group["betas"], group["eps"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = _scalar_step()
                    state["exp_avg"] = wrap(np.zeros_like(p._data))
                    state["exp_avg_sq"] = wrap(np.zeros_like(p._data))
                step = _advance(state["step"])
                param = p._data
                dt = param.dtype.type
                _, exp_avg, exp_avg_sq = _moments(p, group, state, beta1, beta2)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                corrected = exp_avg / dt(bias_correction1)
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
                if rho_t > 5.0:
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    adaptive = dt(bias_correction2 ** 0.5) / (np.sqrt(exp_avg_sq) + dt(eps))
                    param[...] = param - corrected * dt(lr) * adaptive * dt(rect)
                else:
                    param[...] = param - corrected * dt(lr)
                _bump(p)
