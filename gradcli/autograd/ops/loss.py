"""Loss functions of torch.nn.functional: mse, l1, smooth_l1, huber, nll, cross_entropy,
kl_div (binary_cross_entropy and its logits form are in binary_cross_entropy.py).

Losses with their own grad_fn in PyTorch (mse, nll, smooth_l1, huber, bce...) are
one entry each; the ones PyTorch composes (l1_loss, probability-target
cross_entropy, label smoothing) are composed here from the same public ops, so
their graphs carry the same node names.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..tensor import Size, Tensor, wrap
from . import elementwise as _e
from . import reduction as _r
from ._dispatch import _torch_type_name, operands
from .dtype_support import kernel_error
from .arithmetic import div_scalar, mul_scalar
from .registry import backward_op, defop, record
from .summation import torch_mean, torch_sum

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(reduction, size_average=None, reduce=None):
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        warnings.warn("size_average and reduce args will be deprecated, please use reduction='"
                      f"{'none' if not reduce else 'mean' if size_average else 'sum'}' instead.",
                      UserWarning, stacklevel=3)
        return "none" if not reduce else "mean" if size_average else "sum"
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(out, reduction):
    # torch reduces a loss with its own sum/mean kernels: same order, same last digits
    if reduction == "mean":
        return np.asarray(torch_mean(out))
    if reduction == "sum":
        return np.asarray(torch_sum(out))
    return out


def _scale(grad, reduction, n):
    """The incoming gradient as seen by each element before the reduction."""
    return grad / n if reduction == "mean" else grad


def _sizes_read(input, target):
    """torch's loss functions begin with target.size() == input.size()."""
    from .activation import reads
    reads(target, "size")
    reads(input, "size")


def _warn_size(input, target):
    if input._data.shape != target._data.shape:
        warnings.warn(f"Using a target size ({Size(target._data.shape)!r}) that is different to the input "
                      f"size ({Size(input._data.shape)!r}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning, stacklevel=3)


# -- regression losses ------------------------------------------------------------------------

# torch computes each first derivative as one op (mse_loss_backward...): under create_graph
# it is one node with torch's name; ``target``'s is the same op with self and target swapped
def _in_band(diff, width, F):
    """1 where |diff| < width: torch's second derivatives are 0 on the band's edge."""
    return F.float_like(F.abs(diff) < width, diff)


MSE_BACKWARD = backward_op(
    "MseLossBackwardBackward0",
    lambda grad, self, target, F, reduction, n: _scale(grad, reduction, n) * 2 * (self - target),
    grad_output=lambda grad, self, target, reduction, n: _scale(grad * 2 * (self - target), reduction, n),
    self=lambda grad, grad_output, reduction, n: _scale(grad * grad_output * 2, reduction, n),
    target=lambda grad, grad_output, reduction, n: -_scale(grad * grad_output * 2, reduction, n))
SMOOTH_L1_BACKWARD = backward_op(
    "SmoothL1LossBackwardBackward0",
    lambda grad, self, target, F, reduction, n, beta: _scale(grad, reduction, n) * _smooth_l1_slope(self - target, beta, F),
    grad_output=lambda grad, self, target, reduction, n, beta, F: _scale(
        grad * _smooth_l1_slope(self - target, beta, F), reduction, n),
    self=lambda grad, grad_output, self, target, reduction, n, beta, F: _scale(grad * grad_output, reduction, n)
    * _in_band(self - target, beta, F) / beta,
    target=lambda grad, grad_output, self, target, reduction, n, beta, F: -_scale(grad * grad_output, reduction, n)
    * _in_band(self - target, beta, F) / beta)
HUBER_BACKWARD = backward_op(
    "HuberLossBackwardBackward0",
    lambda grad, self, target, F, reduction, n, delta: _scale(grad, reduction, n) * _huber_slope(self - target, delta, F),
    grad_output=lambda grad, self, target, reduction, n, delta, F: _scale(
        grad * _huber_slope(self - target, delta, F), reduction, n),
    self=lambda grad, grad_output, self, target, reduction, n, delta, F: _scale(grad * grad_output, reduction, n)
    * _in_band(self - target, delta, F),
    target=lambda grad, grad_output, self, target, reduction, n, delta, F: -_scale(grad * grad_output, reduction, n)
    * _in_band(self - target, delta, F))

MSE = defop("MseLossBackward0", {"self": "2(self - target)", "target": "-2(self - target)"},
            self=lambda grad, self, target, reduction, n: MSE_BACKWARD(grad, self, target, reduction=reduction, n=n),
            target=lambda grad, self, target, reduction, n: MSE_BACKWARD(grad, target, self, reduction=reduction, n=n))
SMOOTH_L1 = defop("SmoothL1LossBackward0", {"self": "(self-target)/beta inside beta, sign outside",
                                            "target": "the negation"},
                  self=lambda grad, self, target, reduction, n, beta: SMOOTH_L1_BACKWARD(
                      grad, self, target, reduction=reduction, n=n, beta=beta),
                  target=lambda grad, self, target, reduction, n, beta: SMOOTH_L1_BACKWARD(
                      grad, target, self, reduction=reduction, n=n, beta=beta))
HUBER = defop("HuberLossBackward0", {"self": "self-target inside delta, delta·sign outside",
                                     "target": "the negation"},
              self=lambda grad, self, target, reduction, n, delta: _huber_backward(
                  grad, self, target, reduction, n, delta),
              target=lambda grad, self, target, reduction, n, delta: _huber_backward(
                  grad, target, self, reduction, n, delta))


def _huber_backward(grad, self, target, reduction, n, delta):
    # torch's huber_loss_backward kernel takes one dtype: a target of another one fails there
    a, b = (x._data.dtype if isinstance(x, Tensor) else x.dtype for x in (self, target))
    if a != b:
        raise RuntimeError(f"Found dtype {_torch_type_name(b)} but expected {_torch_type_name(a)}")
    return HUBER_BACKWARD(grad, self, target, reduction=reduction, n=n, delta=delta)


def _smooth_l1_slope(diff, beta, F):
    if beta == 0:
        return F.sign(diff)
    return F.where(F.abs(diff) < beta, diff / beta, F.sign(diff))


def _huber_slope(diff, delta, F):
    return F.where(F.abs(diff) <= delta, diff, delta * F.sign(diff))


def _floating_kernel(kernel, dtype):
    """torch's kernels dispatch on floating types only."""
    if dtype.kind != "f":
        raise kernel_error(kernel, dtype)


def _check_cast(result, output):
    if not np.can_cast(result, output, casting="same_kind"):
        raise RuntimeError(f"result type {_torch_type_name(result)} can't be cast to the desired output type "
                           f"{_torch_type_name(output)}")


def _pointwise_loss(spec, input, target, reduction, forward, params=None, kernel=None):
    _warn_size(input, target)
    a, b = operands(input, target)
    common = np.result_type(a, b)
    if kernel == "huber_cpu":  # the result in input's dtype: the common type must cast to it
        _check_cast(common, input._data.dtype)
        common = input._data.dtype
    _floating_kernel(kernel, common)
    try:
        diff = np.subtract(a, b)
    except ValueError:
        from ._dispatch import broadcast_error
        raise broadcast_error(np.asarray(a), np.asarray(b)) from None
    p = {"reduction": reduction, "n": max(diff.size, 1)}
    if params:
        p.update(params)
    return record(spec, _reduce(forward(diff), reduction).astype(common, copy=False), (input, target), p)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    _sizes_read(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    return _pointwise_loss(MSE, input, target, reduction, lambda d: d * d, kernel="mse_cpu")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    _sizes_read(input, target)
    # NOTE: composite in torch too: abs(input - target), then the reduction
    reduction = _reduction(reduction, size_average, reduce)
    _warn_size(input, target)
    loss = _e.abs(_e.sub(input, target))
    return _r.mean(loss) if reduction == "mean" else _r.sum(loss) if reduction == "sum" else loss


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    _sizes_read(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:  # torch: l1_loss, so its graph (AbsBackward0...) too
        return l1_loss(input, target, reduction=reduction)

    def forward(d):
        ad = np.abs(d)
        if beta == 0:
            return ad
        return np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta)

    return _pointwise_loss(SMOOTH_L1, input, target, reduction, forward, {"beta": beta}, "smooth_l1_cpu")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    _sizes_read(input, target)
    reduction = _reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")

    def forward(d):
        ad = np.abs(d)
        return np.where(ad <= delta, 0.5 * d * d, delta * (ad - 0.5 * delta))

    return _pointwise_loss(HUBER, input, target, reduction, forward, {"delta": delta}, "huber_cpu")


# -- classification losses ---------------------------------------------------------------------

def _nll_backward(grad, self, F, target, weight, total, keep, reduction, class_dim, **_):
    """nll_loss_backward on arrays: w[t]·(-(grad / total)) at each target (-w·grad per row
    without reduction), +0 elsewhere, as torch's kernel writes it."""
    g = np.asarray(grad)
    x = np.asarray(self)
    if reduction == "none":
        scale = -g if weight is None else -weight * g
    else:
        scale = -(g / total) if reduction == "mean" else -g
        if weight is not None:
            scale = weight * scale
    out = np.zeros(x.shape, dtype=x.dtype)
    xc = out[None] if class_dim is None else np.moveaxis(out, 1, -1)
    vals = np.broadcast_to(np.asarray(scale, dtype=x.dtype), keep.shape)
    rows = np.nonzero(keep)
    xc[rows + (target[rows],)] = vals[rows]
    return out


def _nll_of_grad(grad, p):
    """The first derivative's derivative in grad_output: nll_loss of grad itself."""
    target, weight, keep, reduction, class_dim = p["target"], p["weight"], p["keep"], p["reduction"], p["class_dim"]
    if isinstance(grad, Tensor):
        w = None if p["class_weight"] is None else wrap(p["class_weight"])
        return nll_loss(grad, wrap(np.where(keep, target, p["ignore_index"])), w, ignore_index=p["ignore_index"],
                        reduction=reduction)
    picked = np.take_along_axis(np.asarray(grad)[None] if class_dim is None else np.moveaxis(grad, 1, -1),
                                target[..., None], axis=-1)[..., 0]
    return _nll_reduce(picked, target, weight, keep, reduction)[0]


# torch's nll_loss_backward is one op: under create_graph, one node with its own derivatives
NLL_BACKWARD = backward_op(
    "NllLossBackwardBackward0", _nll_backward,
    grad_output=lambda grad, params: _nll_of_grad(grad, params), self=lambda grad, F: F.zeros_like(grad))
NLL2D_BACKWARD = backward_op(
    "NllLoss2DBackwardBackward0", _nll_backward,
    grad_output=lambda grad, params: _nll_of_grad(grad, params), self=lambda grad, F: F.zeros_like(grad))


def _nll_formula(backward):
    return lambda grad, self, params: backward(grad, self, params=params, **params)


NLL = defop("NllLossBackward0", {"self": "-weight[target]/total weight at the target class"},
            self=_nll_formula(NLL_BACKWARD))
NLL2D = defop("NllLoss2DBackward0", {"self": "-weight[target]/total weight at the target class"},
              self=_nll_formula(NLL2D_BACKWARD))


def _cascade8(values, positions):
    """nll_loss's sum: level 0 takes each value in turn and is carried up one of 8 levels of 16
    whenever the (unignored) position's low bits are all zero; the levels are added last."""
    zero = values.dtype.type(0)
    partial = [zero] * 8
    f64 = values.dtype == np.float64
    vals = values.tolist() if f64 else values
    if f64:
        zero = 0.0
        partial = [0.0] * 8
    for b, v in zip(positions, vals):
        partial[0] = partial[0] + v
        for j in range(7):
            if b & (15 << (4 * j)):
                break
            partial[j + 1] = partial[j + 1] + partial[j]
            partial[j] = zero
    total = zero
    for p in partial:
        total = total + p
    return values.dtype.type(total)


def _nll_reduce(picked, target, weight, keep, reduction):
    """(loss, total weight) from the picked log-probabilities, in torch's order."""
    dt = picked.dtype
    terms = -picked if weight is None else -(picked * weight)
    if reduction == "none":
        return np.where(keep, terms, 0).astype(dt), None
    if picked.ndim > 1:  # the 2-d loss: numpy's sums (its own kernel order is not replayed)
        total = dt.type(np.sum(np.where(keep, 1 if weight is None else weight, 0)))
        out = dt.type(np.sum(np.where(keep, terms, 0)))
    else:
        positions = np.nonzero(keep.reshape(-1))[0].tolist()
        terms = terms.reshape(-1)[positions]
        out = _cascade8(terms, positions)
        if weight is None:
            total = dt.type(len(positions))
        else:
            total = _cascade8(weight.reshape(-1)[positions], positions)
    if reduction == "mean":
        with np.errstate(divide="ignore", invalid="ignore"):
            out = out / total
    return np.asarray(out, dtype=dt), total


def _check_target(target):
    if not isinstance(target, Tensor):
        raise TypeError(f"nll_loss(): argument 'target' (position 2) must be Tensor, not {type(target).__name__}")


def _check_target_dtype(target):
    """The kernel's check, after nll_loss_nd's and nll_loss_forward's shape checks."""
    if target._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_torch_type_name(target._data.dtype)}")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    from .binary_cross_entropy import _not_differentiable
    reduction = _reduction(reduction, size_average, reduce)
    _check_target(target)
    x = input._data
    t = target._data.astype(np.int64)
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim == 1:
        _not_differentiable("nll_loss_forward", weight=weight)
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        _check_target_dtype(target)
        if t.ndim != 0:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        xc, tc, class_dim = x[None, :], t[None], None
    else:
        if x.shape[0] != t.shape[0] if t.ndim else True:
            raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                             f"({t.shape[0] if t.ndim else 0}).")
        _not_differentiable("nll_loss_forward" if x.ndim == 2 else "nll_loss2d_forward", weight=weight)
        if x.ndim == 2 and t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        _check_target_dtype(target)
        if x.shape[2:] != t.shape[1:]:
            raise RuntimeError(f"size mismatch (got input: {_dims_text(x.shape)}, target: {_dims_text(t.shape)})")
        xc, tc, class_dim = np.moveaxis(x, 1, -1), t, 1
    n_classes = xc.shape[-1]
    w = None if weight is None else weight._data.astype(x.dtype)
    if w is not None and w.shape != (n_classes,):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: {_dims_text(w.shape)}")
    _floating_kernel("nll_loss2d_forward_out_frame" if x.ndim >= 3 else "nll_loss_out_frame", x.dtype)
    keep = tc != ignore_index
    bad = keep & ((tc < 0) | (tc >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(tc[bad].flat[0])} is out of bounds.")
    safe_t = np.where(keep, tc, 0)
    picked = np.take_along_axis(xc, safe_t[..., None], axis=-1)[..., 0]
    wt = None if w is None else np.where(keep, w[safe_t], 0).astype(x.dtype)
    out, total = _nll_reduce(picked, safe_t, wt, keep, reduction)
    spec = NLL2D if x.ndim >= 3 else NLL
    if x.ndim == 1 and reduction == "none":
        out = out.reshape(())
    params = {"target": safe_t, "weight": wt, "total": total, "keep": keep, "reduction": reduction,
              "class_dim": class_dim, "class_weight": w, "ignore_index": ignore_index}
    return record(spec, out.astype(x.dtype, copy=False), (input,), {"params": params})


def _dims_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


# cross_entropy's numbers are Scalars in torch's C++ (MulBackward1, DivBackward1)
_mul_scalar, _div_scalar = mul_scalar, div_scalar


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    reduction = _reduction(reduction, size_average, reduce)
    class_dim = 0 if input._data.ndim == 1 else 1
    if target._data.shape == input._data.shape and target._data.dtype.kind != "f":
        raise RuntimeError("Expected floating point type for target with class probabilities, got "
                           + _torch_type_name(target._data.dtype))
    if input._data.ndim == 0:  # torch's log_softmax over dim 1 of a 0-d tensor
        raise IndexError("Dimension specified as 1 but tensor has no dimensions")
    lsm = _r.log_softmax(input, class_dim)
    if target._data.shape == input._data.shape:
        return _cross_entropy_probs(lsm, target, weight, reduction, label_smoothing, class_dim)
    nll = nll_loss(lsm, target, weight, None, ignore_index, None, reduction)
    if label_smoothing <= 0.0:
        return nll
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    return _smoothed(lsm, target, weight, ignore_index, reduction, label_smoothing, class_dim, nll)


def _smoothed(lsm, target, weight, ignore_index, reduction, eps, class_dim, nll):
    n_classes = lsm._data.shape[class_dim]
    x = lsm
    if weight is not None:
        shape = [1] * lsm._data.ndim
        shape[class_dim] = n_classes
        x = _e.mul(lsm, wrap(weight._data.reshape(shape)))
    smooth = _e.neg(_r.sum(x, class_dim))
    ignore = target._data == ignore_index
    smooth = _e.where(wrap(~ignore), smooth, 0.0)
    if reduction == "mean":
        if weight is not None:
            denom = weight._data[np.where(ignore, 0, target._data)][~ignore].sum()
        else:
            denom = (~ignore).sum()
        smooth = _e.div(_r.sum(smooth), wrap(np.asarray(denom, dtype=lsm._data.dtype)))
    elif reduction == "sum":
        smooth = _r.sum(smooth)
    return _e.add(_mul_scalar(nll, 1 - eps), _mul_scalar(smooth, eps / n_classes))


def _cross_entropy_probs(lsm, target, weight, reduction, eps, class_dim):
    n_classes = lsm._data.shape[class_dim]
    if weight is not None and weight._data.shape != (n_classes,):
        raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all {n_classes} classes or "
                           f"no classes but got weight tensor of shape: {_dims_text(weight._data.shape)}")
    if eps > 0:
        # no classes: C++'s eps / 0 is inf, added to an empty target
        target = _e.add(_mul_scalar(target, 1 - eps), eps / n_classes if n_classes else float("inf"))
    prod = _e.mul(lsm, target)
    if weight is not None:
        shape = [1] * lsm._data.ndim
        shape[class_dim] = n_classes
        prod = _e.mul(prod, wrap(weight._data.reshape(shape).astype(lsm._data.dtype)))
    if reduction == "none":
        return _e.neg(_r.sum(prod, class_dim))
    loss = _e.neg(_r.sum(prod))
    if reduction == "sum":
        return loss
    if lsm._data.size == 0:  # torch: the sum filled with nan, then negated
        return _e.neg(_mul_scalar(_r.sum(prod), float("nan")))
    batch = lsm._data.size // n_classes if lsm._data.ndim > 1 else 1
    return _div_scalar(loss, batch)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    if reduction != "batchmean":
        reduction = _reduction(reduction, size_average, reduce)
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      UserWarning, stacklevel=2)
    for i, (name, x) in enumerate((("input", input), ("target", target)), 1):  # torch.kl_div's parser
        if not isinstance(x, Tensor):
            from .activation import python_type_name
            raise TypeError(f"kl_div(): argument '{name}' (position {i}) must be Tensor, not {python_type_name(x)}")
    if input._data.dtype.kind in "biu" or target._data.dtype.kind in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = _e.mul(_e.exp(target), _e.sub(target, input))
    else:
        loss = _e.sub(_e.xlogy(target, target), _e.mul(target, input))
    if reduction == "batchmean":
        return _e.div(_r.sum(loss), input._data.shape[0] if input._data.ndim else 1)
    return _r.mean(loss) if reduction == "mean" else _r.sum(loss) if reduction == "sum" else loss
