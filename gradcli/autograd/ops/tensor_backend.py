"""The ``F`` of formulas under ``create_graph=True``: the public ops, on Tensors.

Same names and meanings as ``backends._Numpy``; each call records its own node.
"""

from __future__ import annotations

from .. import creation
from . import elementwise as _e
from . import reduction as _r

sin, cos, tan, exp, log, sqrt, tanh, sigmoid, abs = _e.sin, _e.cos, _e.tan, _e.exp, _e.log, _e.sqrt, _e.tanh, _e.sigmoid, _e.abs
sinh, cosh = _e.sinh, _e.cosh
sum, mean = _r.sum, _r.mean
zeros_like, ones_like, full_like = creation.zeros_like, creation.ones_like, creation.full_like


def pow(x, e):
    return _e.pow(x, e)


# -- elementwise / reduction helpers (ops/elementwise.py, activation.py, reduction.py) --------
where, sign, erf = _e.where, _e.sign, _e.erf
cumsum, prod, amax = _r.cumsum, _r.prod, _r.amax
