"""One step of torch's recurrent cells, as torch's CPU code writes them (aten RNN.cpp), and the
cell modules RNNCell, LSTMCell, GRUCell.

A step adds the hidden projection to the input projection, so values, grad_fns (TanhBackward0,
MulBackward0, AddBackward0) and gradients are torch's; nn_rnn.py runs the same steps over a
sequence with the input projection taken for all steps at once, as torch does on the CPU.
"""

from __future__ import annotations

import math

from . import nn_init as init
from .creation import empty, zeros
from .nn_base import Module
from .ops import activation as A
from .ops import nn_functional as F
from .ops import pieces, shape as S
from .tensor import Parameter


def rnn_step(x_proj, h, w_hh, b_hh, nonlinearity):
    """h' = act(W_hh h + b_hh + x_proj)."""
    pre = F.linear(h, w_hh, b_hh) + x_proj
    return pre.tanh() if nonlinearity == "tanh" else A.relu(pre)


def lstm_step(x_proj, h, c, w_hh, b_hh, w_hr=None):
    """gates = W_hh h + b_hh + x_proj in (input, forget, cell, output) quarters;
    c' = f·c + i·g, h' = o·tanh(c') (projected by W_hr when given)."""
    gates = F.linear(h, w_hh, b_hh) + x_proj
    i, f, g, o = pieces.chunk(gates, 4, 1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h_next = o.sigmoid() * c_next.tanh()
    if w_hr is not None:
        h_next = F.linear(h_next, w_hr)
    return h_next, c_next


def gru_step(x_proj, h, w_hh, b_hh):
    """r, z from the sums of the first two thirds; n = tanh(x_n + r·(W_hn h + b_hn));
    h' = (h − n)·z + n."""
    xr, xz, xn = pieces.chunk(x_proj, 3, 1)
    hr, hz, hn = pieces.chunk(F.linear(h, w_hh, b_hh), 3, 1)
    reset = (hr + xr).sigmoid()
    update = (hz + xz).sigmoid()
    new = (xn + hn * reset).tanh()
    return (h - new) * update + new


# -- the cell modules ------------------------------------------------------------------------------

class _CellBase(Module):
    _gates = 1
    _name = "RNNCell"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        gate = self._gates * hidden_size
        self.weight_ih = Parameter(empty(gate, input_size, dtype=dtype))
        self.weight_hh = Parameter(empty(gate, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(gate, dtype=dtype))
            self.bias_hh = Parameter(empty(gate, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _batched(self, input):
        d = input._data.ndim
        if d not in (1, 2):
            raise ValueError(f"{self._name}: Expected input to be 1D or 2D, got {d}D instead")
        return d == 2

    def _check_hx(self, hx, batched, what="hx"):
        if hx is not None and hx._data.ndim != (2 if batched else 1):
            raise RuntimeError(f"{self._name}: Expected {what} to be {'2D' if batched else '1D'}, got "
                               f"{hx._data.ndim}D instead")

    def _zeros(self, input):
        return zeros(input._data.shape[0], self.hidden_size, dtype=input.dtype)

    def _projected(self, input):
        p = self._parameters
        return F.linear(input, p["weight_ih"], p["bias_ih"])


class RNNCell(_CellBase):
    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        batched = self._batched(input)
        self._check_hx(hx, batched)
        x = input if batched else S.unsqueeze(input, 0)
        h = self._zeros(x) if hx is None else (hx if batched else S.unsqueeze(hx, 0))
        p = self._parameters
        out = rnn_step(self._projected(x), h, p["weight_hh"], p["bias_hh"], self.nonlinearity)
        return out if batched else S.squeeze(out, 0)


class LSTMCell(_CellBase):
    _gates = 4
    _name = "LSTMCell"

    def forward(self, input, hx=None):
        batched = self._batched(input)
        if hx is not None:
            for t in hx:
                self._check_hx(t, batched, "hx[0]")
        x = input if batched else S.unsqueeze(input, 0)
        if hx is None:
            h = c = self._zeros(x)
        else:
            h, c = hx if batched else (S.unsqueeze(hx[0], 0), S.unsqueeze(hx[1], 0))
        p = self._parameters
        h, c = lstm_step(self._projected(x), h, c, p["weight_hh"], p["bias_hh"])
        return (h, c) if batched else (S.squeeze(h, 0), S.squeeze(c, 0))


class GRUCell(_CellBase):
    _gates = 3
    _name = "GRUCell"

    def forward(self, input, hx=None):
        batched = self._batched(input)
        self._check_hx(hx, batched)
        x = input if batched else S.unsqueeze(input, 0)
        h = self._zeros(x) if hx is None else (hx if batched else S.unsqueeze(hx, 0))
        p = self._parameters
        out = gru_step(self._projected(x), h, p["weight_hh"], p["bias_hh"])
        return out if batched else S.squeeze(out, 0)
