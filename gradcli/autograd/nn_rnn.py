"""torch.nn.RNN, LSTM and GRU: multi-layer, bidirectional, batch_first, projections (LSTM),
dropout between layers, unbatched input, as torch's CPU implementation runs them: the input
projection of a whole layer at once (linear over the sequence, unbound per step), then the
cells of nn_rnn_cells step by step, outputs stacked (StackBackward0), directions concatenated.

NOTE: torch runs float32 LSTMs through oneDNN (one MkldnnRnnLayerBackward0 node per layer);
here the same layer is the step-by-step graph under a pass-through node of that name, so the
grad_fn prints as torch's and values agree to float32 rounding, not bit for bit.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from . import nn_init as init
from .creation import empty, zeros
from .nn_base import Module
from .nn_rnn_cells import GRUCell, LSTMCell, RNNCell, gru_step, lstm_step, rnn_step  # noqa: F401
from .ops import joins, pieces, shape as S
from .ops import nn_functional as F
from .ops.registry import defop, record
from .tensor import Parameter, Tensor

_ONEDNN_LAYER = defop("MkldnnRnnLayerBackward0", {"input": "grad (the layer's own graph lies below)"},
                      input=lambda grad: grad)


class RNNBase(Module):
    _mode = "RNN_TANH"
    _gates = 1

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                          UserWarning, stacklevel=3)
        if not isinstance(hidden_size, int) or isinstance(hidden_size, bool):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode = self._mode
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        directions = 2 if bidirectional else 1
        real_hidden = proj_size if proj_size > 0 else hidden_size
        gate = self._gates * hidden_size
        self._flat_weights_names = []
        for layer in range(num_layers):
            for direction in range(directions):
                size_in = input_size if layer == 0 else real_hidden * directions
                sfx = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                shapes = [("weight_ih", (gate, size_in)), ("weight_hh", (gate, real_hidden))]
                if bias:
                    shapes += [("bias_ih", (gate,)), ("bias_hh", (gate,))]
                if proj_size > 0:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                for name, shape in shapes:
                    setattr(self, name + sfx, Parameter(empty(*shape, dtype=dtype)))
                    self._flat_weights_names.append(name + sfx)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    @property
    def _flat_weights(self) -> list:
        return [self._parameters.get(name) for name in self._flat_weights_names]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # -- checks --------------------------------------------------------------------------------------
    def _check_input(self, input, batched):
        weight_dtype = self._flat_weights[0].dtype
        if input._data.dtype != self._flat_weights[0]._data.dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). Convert "
                             f"input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        expected = 3 if batched else 2
        if input._data.ndim != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input._data.ndim}")
        if input._data.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input._data.shape[-1]}")

    def _expected_hidden(self, input, size):
        batch = input._data.shape[0 if self.batch_first else 1]
        return (self.num_layers * (2 if self.bidirectional else 1), batch, size)

    def _check_hidden(self, hx, expected, message="Expected hidden size {}, got {}"):
        if tuple(hx._data.shape) != expected:
            raise RuntimeError(message.format(expected, list(hx._data.shape)))

    # -- running ------------------------------------------------------------------------------------
    def _weights(self, layer, direction):
        sfx = f"_l{layer}" + ("_reverse" if direction == 1 else "")
        p = self._parameters
        return (p["weight_ih" + sfx], p["weight_hh" + sfx], p.get("bias_ih" + sfx), p.get("bias_hh" + sfx),
                p.get("weight_hr" + sfx))

    def _run(self, x, h0, c0):
        """x: (T, N, I); h0/c0: (L·D, N, H). Returns the last layer's output and the final states."""
        directions = 2 if self.bidirectional else 1
        h_starts = pieces.unbind(h0, 0)
        c_starts = pieces.unbind(c0, 0) if c0 is not None else None
        finals_h, finals_c = [], []
        layer_input = x
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                w_ih, w_hh, b_ih, b_hh, w_hr = self._weights(layer, direction)
                steps = list(pieces.unbind(F.linear(layer_input, w_ih, b_ih), 0))
                if direction == 1:
                    steps.reverse()
                h = h_starts[k]
                c = c_starts[k] if c_starts is not None else None
                ys = []
                for x_proj in steps:
                    if self._mode == "LSTM":
                        h, c = lstm_step(x_proj, h, c, w_hh, b_hh, w_hr)
                    elif self._mode == "GRU":
                        h = gru_step(x_proj, h, w_hh, b_hh)
                    else:
                        h = rnn_step(x_proj, h, w_hh, b_hh, "tanh" if self._mode == "RNN_TANH" else "relu")
                    ys.append(h)
                if direction == 1:
                    ys.reverse()
                outputs.append(joins.stack(ys, 0))
                finals_h.append(h)
                finals_c.append(c)
            layer_output = outputs[0] if directions == 1 else joins.cat(outputs, -1)
            if self._onednn(x):
                layer_output = record(_ONEDNN_LAYER, layer_output._data, (layer_output,))
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_output = F.dropout(layer_output, self.dropout, True)
            layer_input = layer_output
        h_n = joins.stack(finals_h, 0)
        c_n = joins.stack(finals_c, 0) if c0 is not None else None
        return layer_input, h_n, c_n

    def _onednn(self, x) -> bool:
        return self._mode == "LSTM" and x._data.dtype == np.float32 and x._data.size > 0

    def _forward(self, input, hx, cx_given):
        """Shared by the three: unbatched input, batch_first, default states."""
        if not isinstance(input, Tensor):
            raise TypeError(f"{type(self).__name__}.forward() expects a Tensor input")
        d = input._data.ndim
        if d not in (2, 3):
            suffix = " tensor instead" if self._mode.startswith("RNN") else " instead"
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got {d}D{suffix}")
        batched = d == 3
        batch_dim = 0 if self.batch_first else 1
        x = input if batched else S.unsqueeze(input, batch_dim)
        return x, batched, batch_dim

    def _finish(self, out, batched, batch_dim):
        if self.batch_first:
            # torch: the LSTM's output is transposed, RNN's and GRU's in place (TransposeBackward1)
            out = S.transpose(out, 0, 1) if self._mode == "LSTM" else S.transpose_(out, 0, 1)
        return out if batched else S.squeeze(out, batch_dim)


class RNN(RNNBase):
    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self_nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self_nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self_nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self_nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self_nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.__dict__["_mode"] = mode
        super().__init__(*args, **kwargs)
        self.nonlinearity = self_nonlinearity

    def forward(self, input, hx=None):
        x, batched, batch_dim = self._forward(input, hx, False)
        if hx is not None:
            if hx._data.ndim != (3 if batched else 2):
                raise RuntimeError(f"For {'batched 3-D' if batched else 'unbatched 2-D'} input, hx should also be "
                                   f"{'3-D' if batched else '2-D'} but got {hx._data.ndim}-D tensor")
            if not batched:
                hx = S.unsqueeze(hx, 1)
        self._check_input(x, True)
        expected = self._expected_hidden(x, self.hidden_size)
        if hx is None:
            hx = zeros(*expected, dtype=x.dtype)
        self._check_hidden(hx, expected)
        if self.batch_first:
            x = S.transpose(x, 0, 1)
        out, h_n, _ = self._run(x, hx, None)
        out = self._finish(out, batched, batch_dim)
        return out, (h_n if batched else S.squeeze(h_n, 1))


class GRU(RNNBase):
    _mode = "GRU"
    _gates = 3

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__(*args, **kwargs)

    forward = RNN.forward


class LSTM(RNNBase):
    _mode = "LSTM"
    _gates = 4

    def forward(self, input, hx=None):
        x, batched, batch_dim = self._forward(input, hx, True)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if hx is not None:
            h0, c0 = hx
            want = 3 if batched else 2
            if h0._data.ndim != want or c0._data.ndim != want:
                raise RuntimeError(f"For {'batched 3-D' if batched else 'unbatched 2-D'} input, hx and cx should "
                                   f"also be {want}-D but got ({h0._data.ndim}-D, {c0._data.ndim}-D) tensors")
            if not batched:
                h0, c0 = S.unsqueeze(h0, 1), S.unsqueeze(c0, 1)
        self._check_input(x, True)
        expected_h = self._expected_hidden(x, real_hidden)
        expected_c = self._expected_hidden(x, self.hidden_size)
        if hx is None:
            h0 = zeros(*expected_h, dtype=x.dtype)
            c0 = zeros(*expected_c, dtype=x.dtype)
        self._check_hidden(h0, expected_h, "Expected hidden[0] size {}, got {}")
        self._check_hidden(c0, expected_c, "Expected hidden[1] size {}, got {}")
        if self.batch_first:
            x = S.transpose(x, 0, 1)
        out, h_n, c_n = self._run(x, h0, c0)
        out = self._finish(out, batched, batch_dim)
        if not batched:
            h_n, c_n = S.squeeze(h_n, 1), S.squeeze(c_n, 1)
        return out, (h_n, c_n)
