"""gradcli: a command-line gradient calculator with PyTorch autograd semantics."""

__version__ = "0.1.0"
