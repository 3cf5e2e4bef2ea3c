"""torch.nn.functional: linear, dropout, one_hot, normalize, the activations, and the
losses (loss.py), collected into one namespace.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..limits import check_shape
from ..tensor import Tensor, wrap
from . import elementwise as _e
from . import reduction as _r
from . import activation as _activation
from .activation import out_of_order, python_type_name, reads
from .activation import (celu, elu, gelu, hardsigmoid, hardswish, hardtanh, hardtanh_, leaky_relu,
                         leaky_relu_, logsigmoid, mish, relu, relu6, relu_, selu, silu, softplus,
                         softsign, tanhshrink, threshold_)
from .binary_cross_entropy import binary_cross_entropy, binary_cross_entropy_with_logits
from .loss import (cross_entropy, huber_loss, kl_div, l1_loss, mse_loss, nll_loss,  # noqa: F401
                   smooth_l1_loss)
from .blas_order import gemm_array
from .linalg import col_major, mm_mat1_backward, mm_mat2_backward
from .registry import defop, record

# -- layers as functions --------------------------------------------------------------------------

ADDMM = defop("AddmmBackward0", {"self": "1", "mat1": "grad @ mat2ᵀ", "mat2": "mat1ᵀ @ grad"},
              self=lambda grad: grad,
              mat1=lambda grad, mat2, col1, F: mm_mat1_backward(grad, mat2, col1, F),
              mat2=lambda grad, mat1, col2, F: mm_mat2_backward(grad, mat1, col2, F))


def _addmm(bias, mat1, mat2):
    a, b = mat1._data, mat2._data
    from ._dispatch import _torch_type_name
    from .shape import _expand_shape
    for name, d in (("self", bias._data), ("mat1", a)):  # addmm's meta checks, in its order
        if d.dtype != b.dtype:
            raise RuntimeError(f"{name} and mat2 must have the same dtype, but got {_torch_type_name(d.dtype)} "
                               f"and {_torch_type_name(b.dtype)}")
    _expand_shape(bias._data, (a.shape[0], b.shape[1]))  # addmm expands the bias: torch's errors
    return record(ADDMM, bias._data + gemm_array(a, b), (bias, mat1, mat2), {"col1": col_major(a), "col2": col_major(b)})


def linear(input, weight, bias=None):
    from . import linalg, shape
    x = input._data
    if x.ndim == 0 or weight._data.ndim == 0:  # torch's first check, with or without a bias
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and "
                           f"{weight._data.ndim}D")
    wt = shape.t(weight)
    if bias is None:
        return linalg.matmul(input, wt)
    if weight._data.ndim != 2:  # with a bias torch takes addmm's path, which wants a matrix
        raise RuntimeError(f"mat2 must be a matrix, got {weight._data.ndim}-D tensor")
    if x.shape[-1] != weight._data.shape[-1] if x.ndim else True:
        if x.ndim == 0:
            raise RuntimeError("both arguments to linear need to be at least 1D, but they are 0D and 2D")
        rows = x.size // x.shape[-1] if x.shape[-1] else 0
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and "
                           f"{weight._data.shape[-1]}x{weight._data.shape[0]})")
    if x.ndim == 2:
        return _addmm(bias, input, wt)
    if not x.flags.c_contiguous:  # torch: matmul, then the bias added (AddBackward0)
        return linalg.matmul(input, wt) + bias
    flat = shape.view(input, -1, x.shape[-1])
    out = _addmm(bias, flat, wt)
    return shape.view(out, *(x.shape[:-1] + (weight._data.shape[0],)))


from .bilinear import bilinear  # noqa: E402  (its own module: the op and its TrilinearBackward0)
from .glu import glu  # noqa: E402  (its own module: GluBackward0 and glu_backward)
from .normalization import batch_norm, layer_norm  # noqa: E402
from .padding import pad  # noqa: E402
from .convolution import conv1d, conv2d, conv3d  # noqa: E402
from .conv_transpose import conv_transpose1d, conv_transpose2d, conv_transpose3d  # noqa: E402
from .group_norm import group_norm, instance_norm  # noqa: E402
from .prelu import prelu  # noqa: E402
from .upsample import interpolate, upsample  # noqa: E402
from .rms_norm import rms_norm  # noqa: E402
from .im2col import fold, pixel_shuffle, pixel_unshuffle, unfold  # noqa: E402
from .adaptive_pooling import adaptive_max_pool1d, adaptive_max_pool2d  # noqa: E402
from .feature_dropout import dropout1d, dropout2d, dropout3d, feature_alpha_dropout  # noqa: E402
from .loss_more import (cosine_embedding_loss, gaussian_nll_loss, hinge_embedding_loss,  # noqa: E402
                        margin_ranking_loss, multilabel_soft_margin_loss, poisson_nll_loss, soft_margin_loss,
                        triplet_margin_loss)
from .pooling import (adaptive_avg_pool1d, adaptive_avg_pool2d, avg_pool1d, avg_pool2d, avg_pool3d,  # noqa: E402
                      max_pool1d, max_pool2d, max_pool3d)
from .shrink import hardshrink, softshrink  # noqa: E402
from .distance import pairwise_distance  # noqa: E402


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of ``weight`` picked by ``input`` (nn.Embedding's forward, shared)."""
    from ..nn_layers import embedding as _embedding
    if padding_idx is not None:
        rows = weight._data.shape[0]
        if padding_idx > 0 and padding_idx >= rows or padding_idx < -rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0:
            padding_idx += rows
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("F.embedding with max_norm, scale_grad_by_freq or sparse is not supported by "
                                  "gradcli")
    return _embedding(input, weight, padding_idx)


def _vf_arguments(name, input, p, train):
    """What torch's parser checks when F.dropout & co. call _VF.dropout(input, p, train)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {python_type_name(input)}")
    if isinstance(p, Tensor):
        if p._data.ndim:
            raise TypeError(f"{name}(): argument 'p' (position 2) must be float, not Tensor")
        p = float(p._data)  # a 0-d tensor is read as a float
    elif not isinstance(p, (int, float)):
        raise TypeError(f"{name}(): argument 'p' (position 2) must be float, not {type(p).__name__}")
    if type(train) is not bool:
        raise TypeError(f"{name}(): argument 'train' (position 3) must be bool, not {type(train).__name__}")
    return p


def _float_mask(input, p):
    """torch multiplies by a float mask in place: an integer or bool tensor cannot hold it (p = 1
    multiplies by zeros of input's own type)."""
    d = input._data
    if d.dtype.kind != "f" and p != 1.0:
        from ._dispatch import _torch_type_name
        raise RuntimeError(f"result type Float can't be cast to the desired output type {_torch_type_name(d.dtype)}")


def dropout(input, p=0.5, training=True, inplace=False):
    if out_of_order(p, "<", 0.0) or out_of_order(p, ">", 1.0):
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    p = _vf_arguments("dropout_" if inplace else "dropout", input, p, training)
    if not training or p == 0.0:
        return input
    _float_mask(input, p)
    from ..random import _rng
    keep = _rng(None).random(input._data.shape) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    mask = wrap((keep * scale).astype(input._data.dtype))
    if inplace:
        return _e.inplace(input, _e.mul, mask)
    return _e.mul(input, mask)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    if out_of_order(p, "<", 0.0) or out_of_order(p, ">", 1.0):
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    p = _vf_arguments("alpha_dropout_" if inplace else "alpha_dropout", input, p, training)
    if training and p != 0.0:
        _float_mask(input, p)
    if not training or p == 0.0:
        return input
    raise NotImplementedError("alpha_dropout in training mode is not supported by gradcli")


def _threshold(input, threshold, value, inplace=False):
    return _activation.threshold(input, threshold, value, inplace)


threshold = _threshold  # torch's Python function has this name: "_threshold() missing 1 required..."


def one_hot(tensor, num_classes=-1):
    import operator
    num_classes = operator.index(num_classes)  # torch's int: an int or a one-element integer tensor
    d = tensor._data
    if d.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if d.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(d.max()) + 1
    if d.size and d.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if d.size and d.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    check_shape(d.shape + (num_classes,), 8)
    return wrap((d[..., None] == np.arange(num_classes)).astype(np.int64))


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    from . import linalg, shape
    reads(input, "norm")
    norm = _e.clamp_min(linalg.vector_norm(input, p, dim, True), eps)
    return _e.div(input, shape.expand_as(norm, input))


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    from . import linalg
    if x1._data.dtype != x2._data.dtype or x1._data.dtype.kind != "f":  # torch: both in the common dtype
        from .. import dtypes
        from ._dispatch import _torch_type_name
        common = dtypes.result_type(x1, x2)
        if common.np.kind != "f":
            raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                               f"{_torch_type_name(common.np)}")
        x1, x2 = x1.to(common), x2.to(common)
    n1 = _e.clamp_min(linalg.vector_norm(x1, 2, dim, True), eps)
    n2 = _e.clamp_min(linalg.vector_norm(x2, 2, dim, True), eps)
    return _r.sum(_e.mul(_e.div(x1, n1), _e.div(x2, n2)), dim)


# -- activations that live elsewhere (softmax family in reduction, the rest in activation) -------

_SOFTMAX_WARNING = ("Implicit dimension choice for {} has been deprecated. Change the call to include "
                    "dim=X as an argument.")


def _implicit_dim(name, input, dim):
    if dim is not None:
        if name == "softmin" and not hasattr(input, "_data"):  # torch: (-input).softmax(dim)
            try:
                input = -input
            except TypeError:
                raise TypeError(f"bad operand type for unary -: '{python_type_name(input)}'") from None
        reads(input, "softmax" if name == "softmin" else name)
        return dim
    reads(input, "dim")
    warnings.warn(_SOFTMAX_WARNING.format(name), UserWarning, stacklevel=3)
    return 0 if input._data.ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _r.softmax(input, _implicit_dim("softmax", input, dim), dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _r.log_softmax(input, _implicit_dim("log_softmax", input, dim), dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    return _r.softmin(input, _implicit_dim("softmin", input, dim), dtype)


def sigmoid(input):
    reads(input, "sigmoid")
    return _e.sigmoid(input)


def tanh(input):
    reads(input, "tanh")
    return _e.tanh(input)


TORCH_EXPORTS = {
    name: fn for name, fn in dict(
        mse_loss=mse_loss, l1_loss=l1_loss, smooth_l1_loss=smooth_l1_loss, huber_loss=huber_loss,
        nll_loss=nll_loss, cross_entropy=cross_entropy, binary_cross_entropy=binary_cross_entropy,
        binary_cross_entropy_with_logits=binary_cross_entropy_with_logits, kl_div=kl_div,
        linear=linear, bilinear=bilinear, dropout=dropout, alpha_dropout=alpha_dropout,
        one_hot=one_hot, normalize=normalize, cosine_similarity=cosine_similarity,
        softmax=softmax, log_softmax=log_softmax, softmin=softmin, sigmoid=sigmoid, tanh=tanh,
        glu=glu, relu=relu, relu_=relu_, relu6=relu6, leaky_relu=leaky_relu, leaky_relu_=leaky_relu_,
        gelu=gelu, elu=elu, selu=selu, celu=celu, silu=silu, mish=mish, softplus=softplus,
        hardtanh=hardtanh, hardtanh_=hardtanh_, hardsigmoid=hardsigmoid, hardswish=hardswish,
        logsigmoid=logsigmoid, softsign=softsign, tanhshrink=tanhshrink, threshold=threshold,
        threshold_=threshold_, layer_norm=layer_norm, batch_norm=batch_norm, pad=pad, softshrink=softshrink,
        hardshrink=hardshrink, pairwise_distance=pairwise_distance, embedding=embedding,
        conv1d=conv1d, conv2d=conv2d, conv3d=conv3d, max_pool1d=max_pool1d, max_pool2d=max_pool2d,
        max_pool3d=max_pool3d, avg_pool1d=avg_pool1d, avg_pool2d=avg_pool2d, avg_pool3d=avg_pool3d,
        adaptive_avg_pool1d=adaptive_avg_pool1d, adaptive_avg_pool2d=adaptive_avg_pool2d,
        group_norm=group_norm, instance_norm=instance_norm, prelu=prelu, dropout1d=dropout1d, dropout2d=dropout2d,
        dropout3d=dropout3d, feature_alpha_dropout=feature_alpha_dropout, margin_ranking_loss=margin_ranking_loss,
        hinge_embedding_loss=hinge_embedding_loss, soft_margin_loss=soft_margin_loss,
        cosine_embedding_loss=cosine_embedding_loss, triplet_margin_loss=triplet_margin_loss,
        poisson_nll_loss=poisson_nll_loss, gaussian_nll_loss=gaussian_nll_loss,
        multilabel_soft_margin_loss=multilabel_soft_margin_loss, interpolate=interpolate, upsample=upsample,
        rms_norm=rms_norm, unfold=unfold, fold=fold, pixel_shuffle=pixel_shuffle, pixel_unshuffle=pixel_unshuffle,
        adaptive_max_pool1d=adaptive_max_pool1d, adaptive_max_pool2d=adaptive_max_pool2d,
        conv_transpose1d=conv_transpose1d, conv_transpose2d=conv_transpose2d, conv_transpose3d=conv_transpose3d,
    ).items()
}


def elu_(input, alpha=1.0, scale=1.0, input_scale=1.0):
    """F.elu_ is torch's C++ elu_ itself: scale and input_scale too, no inplace flag."""
    from .arguments import _number
    from .elu import ELU_INPLACE, _elu
    from ._dispatch import inplace
    return inplace(input, _elu, _number(alpha), _number(scale), _number(input_scale), ELU_INPLACE)


def _in_place_activations():
    from .activation import TORCH_LEVEL

    # F.selu_ and F.celu_ are torch.selu_ and torch.celu_; objects of their own here, so the
    # interpreter finds each one's parser signature (it says nothing for one object in two places)
    def selu_(input):
        return TORCH_LEVEL["selu_"](input)

    def celu_(input, alpha=1.0):
        return TORCH_LEVEL["celu_"](input, alpha)

    return {"elu_": elu_, "selu_": selu_, "celu_": celu_}


TORCH_EXPORTS.update(_in_place_activations())
