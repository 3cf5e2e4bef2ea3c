"""torch.nn channel dropout layers (Dropout1d/2d/3d), AlphaDropout and FeatureAlphaDropout: the
functional forms with the module's p, training mode and inplace flag, and torch's reprs."""

from __future__ import annotations

from .nn_base import Module
from .ops import feature_dropout as D
from .ops import nn_functional as F


class _DropoutNd(Module):
    _fn = None

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return type(self)._fn(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    _fn = staticmethod(D.dropout1d)


class Dropout2d(_DropoutNd):
    _fn = staticmethod(D.dropout2d)


class Dropout3d(_DropoutNd):
    _fn = staticmethod(D.dropout3d)


class AlphaDropout(_DropoutNd):
    _fn = staticmethod(F.alpha_dropout)


class FeatureAlphaDropout(_DropoutNd):
    _fn = staticmethod(D.feature_alpha_dropout)
