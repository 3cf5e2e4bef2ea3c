"""The ``torch`` module as programs see it: torch, torch.nn, torch.nn.functional,
torch.autograd (and .functional), torch.optim — built from the op modules."""

from __future__ import annotations

import importlib
import types


class Module:
    """A module object of the language (``import torch.nn as nn`` binds one)."""

    def __init__(self, name: str, attrs: dict | None = None):
        self.__name__ = name
        if attrs:
            self.__dict__.update(attrs)

    def __repr__(self) -> str:
        return f"<module '{self.__name__}'>"


class LazyModule(Module):
    """A module whose attributes come from ``load()`` on first use: most programs never
    touch torch.nn or torch.optim, and importing their classes is start-up time."""

    def __init__(self, name: str, load, attrs: dict | None = None):
        super().__init__(name, attrs)
        self._load = load

    def __getattr__(self, name: str):
        if name.startswith("__") or not self.loaded():
            raise AttributeError(f"module '{self.__name__}' has no attribute '{name}'")
        return getattr(self, name)

    def loaded(self) -> bool:
        """Load the attributes if not done yet; False if there was nothing left to load."""
        load = self.__dict__.pop("_load", None)
        if load is None:
            return False
        for key, value in load().items():
            self.__dict__.setdefault(key, value)
        return True


_own_dict = vars(Module)["__dict__"].__get__  # the instance's own dict, past OpModule's __dict__


class OpModule(Module):
    """A module whose op functions are imported on first use: ``index`` (an op_index table)
    says which module holds each name; ``vars()`` and ``dir()`` list them all, as before."""

    def __init__(self, name: str, attrs: dict, index: dict):
        _own_dict(self).update(attrs, _index=index)
        self.__name__ = name

    def __getattr__(self, name: str):
        own = _own_dict(self)
        spec = own["_index"].get(name)
        if spec is None:
            raise AttributeError(f"module '{own['__name__']}' has no attribute '{name}'")
        from .methods import find
        value = own[name] = find(spec, "TORCH_EXPORTS", name)
        return value

    @property
    def __dict__(self) -> dict:
        own = _own_dict(self)
        for name in own["_index"]:
            if name not in own:
                self.__getattr__(name)
        return own


class PublicNames:
    """A module's public names as ``.get`` sees them (the bare names of -e expressions), each
    looked up when asked for: listing them all would import every op module first."""

    __slots__ = ("module",)

    def __init__(self, module: Module):
        self.module = module

    def get(self, name: str, default=None):
        if name.startswith("_"):
            return default
        return getattr(self.module, name, default)


def public_attributes(module: Module) -> dict:
    """What ``from module import *`` binds."""
    if isinstance(module, LazyModule):
        module.loaded()
    return {k: v for k, v in vars(module).items() if not k.startswith("_")}


def public_functions(module) -> dict:
    """The functions a module defines (not the helpers it imports), by public name."""
    out = {}
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, (types.FunctionType, type)) and getattr(value, "__module__", None) == module.__name__:
            out[name] = value
    return out


def _collect(*module_names: str) -> dict:
    attrs = {}
    for name in module_names:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:  # a family not written yet
            if e.name != name:
                raise
            continue
        attrs.update(module_exports(mod))
    return attrs


def module_exports(mod) -> dict:
    """What a module gives the namespace: its TORCH_EXPORTS, else the functions it defines."""
    exported = getattr(mod, "TORCH_EXPORTS", None)
    return exported if exported is not None else public_functions(mod)


_P = "gradcli.autograd."


def build_torch_module() -> Module:
    from . import dtypes, engine, grad_mode, methods, op_index  # noqa: F401  (methods binds Tensor)
    from .creation import Variable
    from .tensor import Parameter, Size, Tensor

    # ``type(x)`` prints as torch's does: <class 'torch.Tensor'>
    Tensor.__module__ = Size.__module__ = dtypes.dtype.__module__ = "torch"
    Parameter.__module__ = "torch.nn.parameter"
    own = {**dtypes.ALIASES}
    own.update(
        Tensor=Tensor, Size=Size, dtype=dtypes.dtype,
        get_default_dtype=dtypes.get_default_dtype, set_default_dtype=dtypes.set_default_dtype,
        promote_types=dtypes.promote_types,
        no_grad=grad_mode.no_grad, enable_grad=grad_mode.enable_grad,
        set_grad_enabled=grad_mode.set_grad_enabled, is_grad_enabled=grad_mode.is_grad_enabled,
        inference_mode=grad_mode.inference_mode, is_tensor=is_tensor,
    )
    from . import printing
    own["set_printoptions"] = printing.set_printoptions

    functional = OpModule("torch.nn.functional", {}, op_index.FUNCTIONAL)
    nn = LazyModule("torch.nn", lambda: _collect(_P + "nn_modules"), {
        "functional": functional, "Parameter": Parameter,
        "init": LazyModule("torch.nn.init", lambda: _collect(_P + "nn_init")),
        "utils": LazyModule("torch.nn.utils", lambda: _collect(_P + "nn_utils"))})
    autograd_functional = LazyModule("torch.autograd.functional", lambda: _collect(_P + "functional"))
    autograd = LazyModule("torch.autograd", lambda: _collect(_P + "gradcheck"), {
        "grad": engine.grad, "backward": engine.backward, "Variable": Variable,
        "functional": autograd_functional, "no_grad": grad_mode.no_grad,
        "enable_grad": grad_mode.enable_grad, "set_grad_enabled": grad_mode.set_grad_enabled,
        "set_detect_anomaly": grad_mode.set_detect_anomaly, "detect_anomaly": grad_mode.detect_anomaly,
    })
    lr_scheduler = LazyModule("torch.optim.lr_scheduler", lambda: _collect(_P + "lr_scheduler"))
    optim = LazyModule("torch.optim", lambda: _collect(_P + "optim", _P + "optim_adaptive"),
                       {"lr_scheduler": lr_scheduler})
    utils = Module("torch.utils", {"data": LazyModule("torch.utils.data", lambda: _collect(_P + "data"))})
    func = LazyModule("torch.func", lambda: _collect(_P + "func"))
    own.update(nn=nn, autograd=autograd, optim=optim, utils=utils, func=func, **_devices())
    torch = OpModule("torch", own, op_index.TORCH)
    _own_dict(torch)["special"] = LazyModule("torch.special", lambda: {
        name: getattr(torch, op) for name, op in _SPECIAL.items()})
    return torch


# torch.special's names for ops torch also has under another name (same grad_fn names)
_SPECIAL = {"expit": "sigmoid", "erf": "erf", "erfc": "erfc", "logit": "logit", "xlogy": "xlogy",
            "expm1": "expm1", "exp2": "exp2", "log1p": "log1p", "logsumexp": "logsumexp",
            "softmax": "softmax", "log_softmax": "log_softmax"}


def _devices() -> dict:
    """torch.device and the device queries of tutorials' boilerplate: no accelerator here."""
    from .tensor import _Device

    def is_available() -> bool:
        return False

    def device_count() -> int:
        return 0

    def current_accelerator(check_available=False):
        return None

    backends = Module("torch.backends", {"mps": Module("torch.backends.mps", {"is_available": is_available,
                                                                             "is_built": is_available}),
                                         "cuda": Module("torch.backends.cuda", {"is_built": is_available})})
    return {"device": _Device, "cuda": Module("torch.cuda", {"is_available": is_available, "device_count": device_count}),
            "backends": backends, "accelerator": Module("torch.accelerator", {
                "is_available": is_available, "device_count": device_count, "current_accelerator": current_accelerator})}


def is_tensor(obj) -> bool:
    from .tensor import Tensor
    return isinstance(obj, Tensor)


# Functions the op modules define for Tensor methods or for each other: torch has no such names
# (a program reaching them got gradcli's own argument errors, not AttributeError); op_index
# leaves them out of TORCH.
_NOT_TORCH = ("Variable", "add_scalar", "sub_scalar", "rsub_scalar", "div_scalar", "legacy_tensor", "scalar_like",
              "nonzero_tuple", "new_empty", "new_full", "new_ones", "new_tensor", "new_zeros", "softmin",
              "bernoulli_", "exponential_", "normal_", "random_", "uniform_")
