"""Leaves numbered in the order a run makes them, so that a re-run can perturb the same one.

A tensor becomes a leaf that requires grad at one moment: when its ``requires_grad``
flag turns on while it has no ``grad_fn`` (``torch.tensor(..., requires_grad=True)``,
``requires_grad_()``, ``nn.Parameter``, ``detach().requires_grad_()``, the inputs
``torch.autograd.functional`` makes).  While a :class:`LeafEvents` is active, that
flag's slot on ``Tensor`` is wrapped, and each such moment gets the next number
(0, 1, 2...).  A deterministic program re-run numbers the same leaves the same way,
whatever names they are bound to (``x = ...`` three times, a leaf made in a loop, a
model's parameters), so "leaf 3" names one tensor in every run: ``gradcli check``
perturbs it where it is made, not where a name is bound.

A leaf's *value* can change later, in place (an optimizer step, ``x -= lr * x.grad``
under ``no_grad``); each such change bumps its version counter, after the write.  The
counter of every numbered leaf is a :class:`_Versions` list that reports the bump, so
a re-run can perturb a leaf just after it took the value a backward call saw.  Writes
autograd does not track (through ``.data``) bump nothing; they are found by comparing
values (``LeafState.value``).

In every run the leaves of float32/float16 programs are widened to float64 where they
are made (``widen``), so that central differences are taken in float64.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np


@dataclass
class Perturbation:
    """Add ``delta`` to element ``index`` of leaf ``ordinal`` when it has version ``version``."""

    ordinal: int
    version: int
    index: int
    delta: float


@dataclass
class LeafState:
    """What a recording run knows of one numbered leaf."""

    ordinal: int
    ref: object                # weakref to the tensor
    site: object               # the source span current when it became a leaf
    version: int               # its version now
    seq: int                   # the node number current when it took its present value
    value: np.ndarray | None   # a copy of that value (recording runs only)
    watched: bool              # its version counter reports bumps (False: a view shared it before)
    dtype: str                 # its dtype before widening (torch.float32...)


class _Versions(list):
    """A leaf's version counter that tells ``events`` when a write bumps it."""

    __slots__ = ("events", "ordinal")

    def __setitem__(self, i, v):
        list.__setitem__(self, i, v)
        if self.events.active:  # the counter outlives the run on tensors that do
            self.events._bumped(self.ordinal, v)


class _FlagSlot:
    """Wraps the ``_requires_grad`` slot of Tensor (or a subclass's own ``_requires_grad``
    property): reads pass through, a write that makes a tensor without ``grad_fn``
    require grad is a leaf's birth."""

    def __init__(self, member, events):
        self.member = member
        self.events = events

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return self.member.__get__(obj, owner)

    def __set__(self, obj, value):
        member = self.member
        try:
            before = member.__get__(obj, type(obj))
        except AttributeError:
            before = False
        member.__set__(obj, value)
        if value and not before and self.events.active and getattr(obj, "grad_fn", None) is None:
            self.events._born(obj)

    def __delete__(self, obj):
        self.member.__delete__(obj)


class LeafEvents:
    """Number the leaves a run makes; optionally record their states, widen them to
    float64, and apply one :class:`Perturbation`."""

    def __init__(self, widen: bool = True, record: bool = False, perturbation: Perturbation | None = None):
        self.widen = widen
        self.record = record
        self.perturbation = perturbation
        self.perturbed = False
        self.states: list[LeafState] = []
        self._by_id: dict = {}
        self._wrapped: list = []  # (class, its own _requires_grad descriptor)
        self.active = False

    # -- lookups -------------------------------------------------------------------
    def ordinal(self, tensor) -> int | None:
        k = self._by_id.get(id(tensor))
        if k is None or self.states[k].ref() is not tensor:
            return None
        return k

    def tensor(self, ordinal: int):
        return self.states[ordinal].ref()

    # -- events --------------------------------------------------------------------
    def _born(self, t) -> None:
        from ..autograd import dtypes
        from ..autograd.function import next_seq
        k = len(self.states)
        try:
            dtype = str(dtypes.of_array(t._data))
        except TypeError:
            dtype = str(t._data.dtype)
        if self.widen and t._data.dtype.kind == "f" and t._data.dtype.itemsize < 8:
            t._data = t._data.astype(np.float64)
        watched = t._vc is None
        if watched:
            vc = _Versions([0])
            vc.events = self
            vc.ordinal = k
            t._vc = vc
        version = t._vc[0]
        state = LeafState(k, weakref.ref(t), _site(), version, next_seq(), None, watched, dtype)
        self.states.append(state)
        self._by_id[id(t)] = k
        p = self.perturbation
        if p is not None and p.ordinal == k and p.version == version:
            d = np.array(t._data, copy=True)  # a fresh array: nothing made before shares the change
            d.flat[p.index] += p.delta
            t._data = d
            self.perturbed = True
        if self.record:
            state.value = np.array(t._data, copy=True)

    def _bumped(self, k: int, version: int) -> None:
        from ..autograd.function import next_seq
        state = self.states[k]
        state.version = version
        state.seq = next_seq()
        t = state.ref()
        if t is None:
            return
        p = self.perturbation
        if p is not None and p.ordinal == k and p.version == version:
            t._data.flat[p.index] += p.delta  # in place: the leaf's views saw the write too
            self.perturbed = True
        if self.record:
            state.value = np.array(t._data, copy=True)

    # -- activation ----------------------------------------------------------------
    def __enter__(self):
        from ..autograd.namespace import build_torch_module
        from ..autograd.tensor import Tensor
        build_torch_module()  # every module that reads the slot at import time has read the real one
        classes, k = [Tensor], 0
        while k < len(classes):
            classes.extend(classes[k].__subclasses__())
            k += 1
        for cls in classes:  # Tensor's slot, and any subclass's own property over it (views)
            own = cls.__dict__.get("_requires_grad")
            if own is None:
                continue
            if isinstance(own, _FlagSlot):
                raise RuntimeError("LeafEvents cannot be nested")
            self._wrapped.append((cls, own))
        for cls, own in self._wrapped:
            setattr(cls, "_requires_grad", _FlagSlot(own, self))
        self.active = True
        return self

    def __exit__(self, *exc):
        self.active = False
        for cls, own in reversed(self._wrapped):
            setattr(cls, "_requires_grad", own)
        self._wrapped = []
        return False


def _site():
    from ..autograd.function import site
    return site.current
