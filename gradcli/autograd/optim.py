"""torch.optim: SGD and Adam, with torch's single-tensor (CPU) update formulas.

Updates run on the parameters' arrays in their own dtype, in torch's order of
operations, with Python-number hyperparameters rounded to that dtype first as
ATen's CPU kernels do, so results match torch element for element.  ``a + alpha*b``
(add with alpha, lerp) is fused in torch's vectorized kernels; for float32 it is
computed exactly in float64 and rounded once.
"""

from __future__ import annotations

import warnings

import numpy as np

from .tensor import Tensor, wrap

__all__ = ["Optimizer", "SGD", "Adam"]


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


def _cast_state(param: Tensor, key, value):
    """A loaded state entry in its parameter's dtype ('step' stays as saved), as torch's
    _process_value_according_to_param_policy."""
    if key == "step" or not isinstance(value, Tensor) or param._data.dtype.kind != "f":
        return value
    return value if value._data.dtype == param._data.dtype else value.to(param.dtype)


def _bump(t: Tensor) -> None:
    vc = t._vc
    if vc is None:
        t._vc = [1]
    else:
        vc[0] += 1


def _fma(a, alpha, b):
    """a + alpha * b rounded once, as torch's fused (AVX2 fmadd) kernels compute it, in a's dtype."""
    dt = a.dtype
    if dt == np.float32 or dt == np.float16:
        # the float32 product is exact in float64, so one rounding to float32 remains (up to rare ties)
        return (a.astype(np.float64) + np.float64(dt.type(alpha)) * b.astype(np.float64)).astype(dt)
    return _fma64(a, np.asarray(alpha, dtype=dt), b)


def _fma_arrays(a, x, y):
    """a + x*y (x, y arrays) rounded once, in a's dtype."""
    if a.dtype == np.float64:
        return _fma64(a, x, y)
    return (a.astype(np.float64) + x.astype(np.float64) * y.astype(np.float64)).astype(a.dtype)


_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitter for float64


def _fma64(a, x, y):
    """a + x*y in float64 with error-free transformations (TwoProduct, TwoSum): faithfully rounded."""
    p = x * y
    cx = _SPLIT * x
    xh = cx - (cx - x)
    xl = x - xh
    cy = _SPLIT * y
    yh = cy - (cy - y)
    yl = y - yh
    ep = ((xh * yh - p) + xh * yl + xl * yh) + xl * yl
    s = p + a
    bb = s - p
    es = (p - (s - bb)) + (a - bb)
    out = s + (es + ep)
    bad = ~np.isfinite(out)
    if np.any(bad):  # infinities and overflow of the split: the plain formula's answer
        out = np.where(bad, a + x * y, out)
    return out


class Optimizer:
    """Base class: param_groups (list of dicts), state (per parameter), zero_grad."""

    def __init__(self, params, defaults: dict):
        self.defaults = defaults
        self.state: dict = {}
        self.param_groups: list = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or "
                            f"dicts, but got {params.type()}")
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, param_group: dict) -> None:
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list instead.")
        else:
            param_group["params"] = list(params)
        for p in param_group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__module__}.{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization "
                                 f"parameter {name}")
            param_group.setdefault(name, default)
        ids = [id(p) for p in param_group["params"]]
        if len(ids) != len(set(ids)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this "
                          "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                          "information", UserWarning, stacklevel=3)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if seen & set(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    g = p._grad
                    if g.grad_fn is not None:
                        g.detach_()
                    else:
                        g.requires_grad_(False)
                    g._data[...] = 0
                    _bump(g)

    def state_dict(self) -> dict:
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: s for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """torch's: the saved groups' settings (deep-copied) over this optimizer's parameters, and
        the saved per-parameter state keyed back onto them, its floating tensors in each parameter's
        dtype (the same tensor objects when the dtypes agree, as torch's .to returns them)."""
        import copy
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        groups = self.param_groups
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = {old: p for g, s in zip(groups, saved_groups) for old, p in zip(s["params"], g["params"])}
        state: dict = {}
        for key, value in state_dict["state"].items():
            if key not in id_map:
                state[key] = value
                continue
            param = id_map[key]
            state[param] = {k: _cast_state(param, k, v) for k, v in value.items()} if isinstance(value, dict) \
                else value
        for g, s in zip(groups, saved_groups):
            s["params"] = g["params"]
        self.state = state
        self.param_groups = saved_groups

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            if i:
                lines.append("")  # torch's text has a blank line between groups
            lines.append(f"Parameter Group {i}")
            for key in sorted(group):
                if key != "params":
                    lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)

    def step(self, closure=None):
        loss = None
        if closure is not None:
            from .grad_mode import enable_grad
            with enable_grad():
                loss = closure()
        self._update()
        return loss

    def _update(self) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            momentum = group["momentum"]
            dampening = group["dampening"]
            wd = group["weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                grad = p._grad._data
                if group["maximize"]:
                    grad = -grad
                if wd != 0:
                    grad = _fma(grad, wd, param)
                if momentum != 0:
                    state = self.state.setdefault(p, {})
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = wrap(np.array(grad, copy=True))
                        state["momentum_buffer"] = buf
                    else:
                        b = buf._data
                        np.multiply(b, b.dtype.type(momentum), out=b)
                        b[...] = _fma(b, 1 - dampening, grad)
                    if group["nesterov"]:
                        grad = _fma(grad, momentum, buf._data)
                    else:
                        grad = buf._data
                elif p not in self.state:
                    self.state[p] = {"momentum_buffer": None}
                param[...] = _fma(param, -lr, grad)
                _bump(p)


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def _update(self) -> None:
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            wd = group["weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                dt = param.dtype.type
                grad = p._grad._data
                if group["maximize"]:
                    grad = -grad
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = wrap(np.array(0.0, dtype=np.float32))
                    state["exp_avg"] = wrap(np.zeros_like(param))
                    state["exp_avg_sq"] = wrap(np.zeros_like(param))
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = wrap(np.zeros_like(param))
                step_t = state["step"]
                step_t._data[...] = step_t._data + np.float32(1)
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        np.multiply(param, dt(1 - lr * wd), out=param)
                    else:
                        grad = _fma(grad, wd, param)
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                # lerp_(grad, 1 - beta1): torch's fused form, by the size of the weight
                w = 1 - beta1
                diff = grad - exp_avg
                if abs(dt(w)) < 0.5:
                    exp_avg[...] = _fma(exp_avg, w, diff)
                else:
                    exp_avg[...] = _fma(grad, dt(w) - dt(1), diff)
                np.multiply(exp_avg_sq, dt(beta2), out=exp_avg_sq)
                # addcmul_(grad, grad, value=1 - beta2): torch rounds value*grad, then fuses
                exp_avg_sq[...] = _fma_arrays(exp_avg_sq, dt(1 - beta2) * grad, grad)
                step = float(step_t._data)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                step_size = lr / bias_correction1
                bias_correction2_sqrt = bias_correction2 ** 0.5
                if group["amsgrad"]:
                    mx = state["max_exp_avg_sq"]._data
                    np.maximum(mx, exp_avg_sq, out=mx)
                    denom = np.sqrt(mx) / dt(bias_correction2_sqrt) + dt(eps)
                else:
                    denom = np.sqrt(exp_avg_sq) / dt(bias_correction2_sqrt) + dt(eps)
                param[...] = param + dt(-step_size) * exp_avg / denom
                _bump(p)
