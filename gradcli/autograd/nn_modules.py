"""torch.nn's module classes, gathered from nn_base (Module), nn_containers (Sequential,
ModuleList...), nn_layers (Linear, Bilinear, Embedding, Dropout...), nn_activations
(ReLU, Tanh, Softmax...), nn_losses (MSELoss, CrossEntropyLoss...), nn_norm (LayerNorm,
BatchNorm1d...), nn_conv (Conv1d/2d/3d), nn_pooling (MaxPool2d, AvgPool2d...), nn_rnn and nn_rnn_cells
(LSTM, GRUCell...), nn_padding (ZeroPad2d...), nn_dropout (Dropout2d...) and nn_attention
(MultiheadAttention), nn_transformer (TransformerEncoderLayer, TransformerEncoder)."""

from __future__ import annotations

from . import (nn_activations, nn_attention, nn_base, nn_containers, nn_conv, nn_dropout, nn_layers, nn_losses,
               nn_norm, nn_padding, nn_pooling, nn_rnn, nn_rnn_cells, nn_transformer)
from .namespace import public_functions

_FAMILIES = (nn_base, nn_containers, nn_layers, nn_conv, nn_pooling, nn_rnn, nn_rnn_cells, nn_padding, nn_dropout,
             nn_activations, nn_losses, nn_norm, nn_attention, nn_transformer)
TORCH_EXPORTS = {name: cls for mod in _FAMILIES
                 for name, cls in public_functions(mod).items() if isinstance(cls, type)}
