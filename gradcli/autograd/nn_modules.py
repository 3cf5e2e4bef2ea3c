"""torch.nn's module classes, gathered from nn_base (Module), nn_containers (Sequential,
ModuleList...), nn_layers (Linear, Bilinear, Embedding, Dropout...), nn_activations
(ReLU, Tanh, Softmax...), nn_losses (MSELoss, CrossEntropyLoss...) and nn_norm (LayerNorm,
BatchNorm1d...)."""

from __future__ import annotations

from . import nn_activations, nn_base, nn_containers, nn_conv, nn_layers, nn_losses, nn_norm
from .namespace import public_functions

TORCH_EXPORTS = {name: cls for mod in (nn_base, nn_containers, nn_layers, nn_conv, nn_activations, nn_losses, nn_norm)
                 for name, cls in public_functions(mod).items() if isinstance(cls, type)}
