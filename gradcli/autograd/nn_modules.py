"""torch.nn's module classes, gathered from nn_base (Module, containers), nn_layers
(Linear, Embedding, activations, Dropout...) and nn_losses (MSELoss, CrossEntropyLoss...)."""

from __future__ import annotations

from . import nn_base, nn_layers, nn_losses
from .namespace import public_functions

TORCH_EXPORTS = {name: cls for mod in (nn_base, nn_layers, nn_losses)
                 for name, cls in public_functions(mod).items() if isinstance(cls, type)}
