"""Binds the ops to Tensor as methods and operators, as torch.Tensor has them.

Each op module lists its methods in ``TENSOR_METHODS`` (name -> function) and its
in-place variants in ``TENSOR_INPLACE`` (name -> the out-of-place op); this module
binds them all, so adding an op never means editing the Tensor class.
"""

from __future__ import annotations

import importlib

from .ops._dispatch import inplace as _run_inplace
from .tensor import Tensor

FAMILIES = ("ops.elementwise", "ops.reduction", "ops.shape", "ops.linalg", "ops.indexing", "ops.sorting",
            "ops.compare", "ops.nn_functional", "creation", "random")


def _inplace(op):
    def method(self, *args, **kwargs):
        return _run_inplace(self, op, *args, **kwargs)

    method.__name__ = getattr(op, "__name__", "op") + "_"
    return method


def bind_module(mod) -> None:
    for name, fn in getattr(mod, "TENSOR_METHODS", {}).items():
        setattr(Tensor, name, fn)
    for name, fn in getattr(mod, "TENSOR_INPLACE", {}).items():
        setattr(Tensor, name, _inplace(fn))


for _family in FAMILIES:
    try:
        bind_module(importlib.import_module(f"{__package__}.{_family}"))
    except ModuleNotFoundError as _e:  # a family not written yet
        if not _e.name.endswith(_family):
            raise
