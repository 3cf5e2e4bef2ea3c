"""Binds the ops to Tensor as methods and operators, as torch.Tensor has them.

Each op module lists its methods in ``TENSOR_METHODS`` (name -> function) and its
in-place variants in ``TENSOR_INPLACE`` (name -> the out-of-place op); op_index.py,
generated from those tables, says which module holds each name. Importing this module
puts a placeholder on Tensor for every name; the first lookup of a name imports its
module and puts the real method in the placeholder's place. A program pays at start-up
only for the op modules it uses, and once bound a method costs what it always did.
"""

from __future__ import annotations

import importlib

from . import op_index
from .ops import _dispatch  # also views, which reads Tensor's slots at import (report/leaf_events.py)
from .tensor import Tensor


def find(spec: str, table: str, name: str):
    """The object ``spec`` (an op_index entry) names: "module:attribute", or the module's ``table``."""
    module, _, attr = spec.partition(":")
    mod = importlib.import_module(f"{__package__}.{module}")  # module names come from op_index only
    return getattr(mod, attr) if attr else getattr(mod, table)[name]


def _inplace(op):
    def method(self, *args, **kwargs):
        return _dispatch.inplace(self, op, *args, **kwargs)

    method.__name__ = getattr(op, "__name__", "op") + "_"
    return method


def bind(name: str):
    """Tensor's attribute ``name`` for real: import its module, put it on Tensor, return it."""
    spec = op_index.INPLACE.get(name)
    if spec is not None:
        value = _inplace(find(spec, "TENSOR_INPLACE", name))
    else:
        value = find(op_index.METHODS.get(name) or op_index.PROPERTIES[name], "TENSOR_METHODS", name)
    setattr(Tensor, name, value)
    return value


def bind_all() -> None:
    """Bind every op method now (what importing this module once did)."""
    for name in (*op_index.METHODS, *op_index.PROPERTIES, *op_index.INPLACE):
        if isinstance(Tensor.__dict__.get(name), _Unbound):
            bind(name)


class _Unbound:
    """A Tensor method whose module is not imported yet; Python's operators find it too."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __get__(self, obj, cls=None):
        return bind(self.name).__get__(obj, cls)


class _UnboundProperty(_Unbound):
    """The same for a property (x.T): assigning to it fails as assigning to the property does."""

    __slots__ = ()

    def __set__(self, obj, value):
        bind(self.name).__set__(obj, value)

    def __delete__(self, obj):
        bind(self.name).__delete__(obj)


for _name in (*op_index.METHODS, *op_index.INPLACE):
    setattr(Tensor, _name, _Unbound(_name))
for _name in op_index.PROPERTIES:
    setattr(Tensor, _name, _UnboundProperty(_name))
