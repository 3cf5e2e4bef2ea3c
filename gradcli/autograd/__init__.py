"""gradcli's autograd engine: PyTorch's semantics on numpy."""

from .tensor import Parameter, Size, Tensor  # noqa: F401
from . import methods  # noqa: F401  (binds ops to Tensor)
from .namespace import build_torch_module  # noqa: F401
