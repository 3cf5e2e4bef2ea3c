"""gradcli's autograd engine: PyTorch's semantics on numpy."""

import numpy as _np

# PyTorch computes 1/0 = inf and 0/0 = nan silently; so does the engine, in every op
# and formula, without paying for an errstate context per call.
_np.seterr(all="ignore")

from .tensor import Parameter, Size, Tensor  # noqa: E402,F401
from . import methods  # noqa: E402,F401  (puts the ops on Tensor; each module loads on first use)
from .namespace import build_torch_module  # noqa: E402,F401
