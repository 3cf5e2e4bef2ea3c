"""torch.einsum, as ATen computes it: diagonals for repeated labels, unsqueeze and permute
every operand to one layout (output dims, then contracted dims), then contract left to right,
each pair as a permute-reshape-bmm-view-permute (or a mul when nothing is summed).

No formula of its own: the result's grad_fn and its gradients (to any order) are those of
the view and bmm ops it is made of, so ``einsum('ij,jk->ik', a, b).grad_fn`` is torch's
ViewBackward0 and ``einsum('ii->i', x)`` ends in DiagonalBackward0, as in torch.
"""

from __future__ import annotations

from collections import deque

from ..tensor import Tensor
from . import linalg, reduction, shape
from .arithmetic import mul

_LETTERS = 26
_ELLIPSIS = 2 * _LETTERS  # a label code beside the 52 letters
_USAGE = ("einsum(): must specify the equation string and at least one operand, "
          "or at least one operand and its subscripts list")


def _code(label: str) -> int:
    """A letter's place in torch's label order: A-Z, then a-z."""
    return ord(label) - ord("A") if label.isupper() else ord(label) - ord("a") + _LETTERS


def _letter(code: int) -> str:
    return chr(ord("A") + code) if code < _LETTERS else chr(ord("a") + code - _LETTERS)


def _is_label(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def einsum(*args):
    if len(args) < 2:
        raise ValueError(_USAGE)
    if isinstance(args[0], Tensor):
        equation, operands = _sublist_equation(args)
    else:
        equation, operands = args[0], args[1:]
        if not isinstance(equation, str):
            raise TypeError(f"einsum(): argument 'equation' (position 1) must be str, not {type(equation).__name__}")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got {type(op).__name__}")
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    return _einsum(equation, list(operands))


def _sublist_equation(args):
    """torch.einsum(op1, [0, 1], op2, [1, 2], [0, 2]): subscripts as numbers 0-51 and ``...``."""
    equation = ",".join(_subscripts(s) for s in args[1::2])
    if len(args) % 2:  # an odd count ends with the output's subscripts
        return equation + "->" + _subscripts(args[-1]), args[:-1:2]
    return equation, args[::2]


def _subscripts(sublist) -> str:
    if isinstance(sublist, Tensor) and sublist._data.ndim > 1:  # torch compares each row with ...
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    out = []
    for s in sublist:
        if isinstance(s, Tensor):  # a tensor's elements: torch takes them as indices
            if s._data.dtype.kind not in "iu" or s._data.size != 1:
                raise TypeError("only integer tensors of a single element can be converted to an index")
            s = int(s._data)
        if s is Ellipsis:
            out.append("...")
        elif not isinstance(s, (int, float)):  # torch compares it with 0
            raise TypeError(f"'>=' not supported between instances of '{type(s).__name__}' and 'int'")
        elif isinstance(s, int) and 0 <= s < 2 * _LETTERS:
            out.append(_letter(int(s)))
        else:
            raise ValueError("einsum(): subscript in subscript list is not within the valid range [0, 52)")
    return "".join(out)


def _parse_operands(lhs: str, num_ops: int) -> list:
    labels = [[] for _ in range(num_ops)]
    current, ellipsis_seen, i = 0, False, 0
    while i < len(lhs):
        c = lhs[i]
        if c == ".":
            if ellipsis_seen:
                raise RuntimeError(f"einsum(): found '.' for operand {current} for which an ellipsis was already found")
            if not (i + 2 < len(lhs) and lhs[i + 1] == "." and lhs[i + 2] == "."):
                raise RuntimeError(f"einsum(): found '.' for operand {current} that is not part of any ellipsis")
            i += 2
            labels[current].append(_ELLIPSIS)
            ellipsis_seen = True
        elif c == ",":
            current += 1
            if current >= num_ops:
                raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
            ellipsis_seen = False
        elif c != " ":
            if not _is_label(c):
                raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, "
                                   "subscripts must be in [a-zA-Z]")
            labels[current].append(_code(c))
        i += 1
    if current != num_ops - 1:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    return labels


def _einsum(equation: str, operands: list):
    num_ops = len(operands)
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    op_labels = _parse_operands(lhs, num_ops)

    count = [0] * (2 * _LETTERS)
    ell_num_dim = 0
    for i, (op, labels) in enumerate(zip(operands, op_labels)):
        ndim = op._data.ndim
        n = len(labels)
        has_ellipsis = _ELLIPSIS in labels
        for s in labels:
            if s == _ELLIPSIS:
                n -= 1
            else:
                count[s] += 1
        if has_ellipsis:
            ell_num_dim = max(ell_num_dim, ndim - n)
        if (n > ndim) if has_ellipsis else (n != ndim):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) "
                + ("is more than" if has_ellipsis else "does not match") + f" the number of dimensions ({ndim}) "
                f"for operand {i}" + ("" if has_ellipsis else " and no ellipsis was given"))

    # each label's place in the common layout: output dims first, then contracted ones
    place = [-1] * (2 * _LETTERS)
    perm_index = ell_index = 0
    ell_in_output = False
    if arrow < 0:  # implicit output: the ellipsis, then the labels seen once, in label order
        perm_index, ell_in_output = ell_num_dim, True
        for s in range(2 * _LETTERS):
            if count[s] == 1:
                place[s] = perm_index
                perm_index += 1
    else:
        rhs = equation[arrow + 2:]
        i = 0
        while i < len(rhs):
            c = rhs[i]
            if c == ".":
                if ell_in_output:
                    raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) was already found")
                if not (i + 2 < len(rhs) and rhs[i + 1] == "." and rhs[i + 2] == "."):
                    raise RuntimeError("einsum(): found '.' for output that is not part of any ellipsis (...)")
                i += 2
                ell_index, ell_in_output = perm_index, True
                perm_index += ell_num_dim
            elif c != " ":
                if not _is_label(c):
                    raise RuntimeError(f"einsum(): invalid subscript given at index {len(lhs) + 2 + i} in the "
                                       "equation string, subscripts must be in [a-zA-Z]")
                s = _code(c)
                if count[s] == 0 or place[s] != -1:
                    why = " appears more than once in the output" if place[s] > -1 else \
                        " does not appear in the equation for any input operand"
                    raise RuntimeError(f"einsum(): output subscript {c}{why}")
                place[s] = perm_index
                perm_index += 1
            i += 1
    out_num_dim = perm_index
    if not ell_in_output:
        ell_index = perm_index
        perm_index += ell_num_dim
    for s in range(2 * _LETTERS):
        if count[s] and place[s] == -1:
            place[s] = perm_index
            perm_index += 1

    ops = deque(_align(operands, op_labels, place, ell_index, ell_num_dim, perm_index))
    dim_counts = ops.pop()
    while len(ops) > 1:
        a, b = ops.popleft(), ops.popleft()
        sum_dims, a_sum, b_sum = [], [], []
        for dim in range(out_num_dim, perm_index):
            sa, sb = a._data.shape[dim], b._data.shape[dim]
            if sa != 1 and sb != 1:
                dim_counts[dim] -= 1
                if dim_counts[dim] == 1:
                    sum_dims.append(dim)
                    dim_counts[dim] = 0
            elif dim_counts[dim] == 1:
                if sa != 1:
                    a_sum.append(dim)
                    dim_counts[dim] = 0
                elif sb != 1:
                    b_sum.append(dim)
                    dim_counts[dim] = 0
        if a_sum:
            a = reduction.sum(a, a_sum, True)
        if b_sum:
            b = reduction.sum(b, b_sum, True)
        ops.appendleft(_sumproduct_pair(a, b, sum_dims))
    result = ops[0]
    if perm_index > out_num_dim:
        if num_ops > 1:  # contracted dims are all 1 by now
            return shape.view(result, result._data.shape[:out_num_dim])
        return reduction.sum(result, list(range(out_num_dim, perm_index)))
    return result


def _align(operands, op_labels, place, ell_index, ell_num_dim, perm_index):
    """Each operand with its repeated labels' diagonals taken, missing dims unsqueezed and
    permuted to the common layout; and per layout dim, how many operands have it not 1."""
    label_size = [1] * (2 * _LETTERS)
    ell_sizes = [1] * ell_num_dim
    dim_counts = [0] * perm_index
    aligned = []
    for i, (op, labels) in enumerate(zip(operands, op_labels)):
        permutation = [-1] * perm_index
        dim = 0
        for s in labels:
            size = op._data.shape
            if s == _ELLIPSIS:
                ndim = operands[i]._data.ndim - (len(labels) - 1)
                for j in range(ell_num_dim - ndim, ell_num_dim):
                    if size[dim] != 1:
                        if ell_sizes[j] not in (1, size[dim]):
                            raise RuntimeError(
                                f"einsum(): dimension {dim} covered by ellipsis in operand {i}has size {size[dim]} "
                                f"which does not broadcast with previously seen ellipsis with size {ell_sizes[j]} "
                                "for the respective dimension")
                        ell_sizes[j] = size[dim]
                        dim_counts[ell_index + j] += 1
                    permutation[ell_index + j] = dim
                    dim += 1
            elif permutation[place[s]] == -1:
                if size[dim] != 1:
                    if label_size[s] not in (1, size[dim]):
                        raise RuntimeError(
                            f"einsum(): subscript {_letter(s)} has size {size[dim]} for operand {i} which does not "
                            f"broadcast with previously seen size {label_size[s]}")
                    label_size[s] = size[dim]
                    dim_counts[place[s]] += 1
                permutation[place[s]] = dim
                dim += 1
            else:  # a repeated label: its diagonal, moved to the first one's place
                prev = permutation[place[s]]
                if size[dim] != size[prev]:
                    raise RuntimeError(
                        f"einsum(): subscript {_letter(s)} is repeated for operand {i} but the sizes don't match, "
                        f"{size[dim]} != {size[prev]}")
                op = shape.movedim(linalg.diagonal(op, 0, prev, dim), -1, prev)
        for k, v in enumerate(permutation):
            if v == -1:
                op = shape.unsqueeze(op, dim)
                permutation[k] = dim
                dim += 1
        aligned.append(shape.permute(op, permutation))
    return aligned + [dim_counts]


def _sumproduct_pair(left, right, sum_dims):
    """(left * right) summed over ``sum_dims`` (kept as size 1), through one bmm."""
    if not sum_dims:
        return mul(left, right)
    lro, lo, ro = [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(left._data.ndim):
        sl, sr = left._data.shape[i] != 1, right._data.shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                if left._data.shape[i] != right._data.shape[i]:
                    raise RuntimeError("non-broadcast dimensions must match")
                sum_size *= left._data.shape[i]
            elif sl:
                left = reduction.sum(left, i, True)
            elif sr:
                right = reduction.sum(right, i, True)
        elif sl and sr:
            if left._data.shape[i] != right._data.shape[i]:
                raise RuntimeError("non-broadcast dimensions must match")
            lro.append(i)
            lro_size *= left._data.shape[i]
        elif sl:
            lo.append(i)
            lo_size *= left._data.shape[i]
        else:
            ro.append(i)
            ro_size *= right._data.shape[i]
    out_size = ([left._data.shape[d] for d in lro] + [left._data.shape[d] for d in lo] + [1] * len(sum_dims)
                + [right._data.shape[d] for d in ro])
    lperm = lro + lo + sum_dims + ro
    rperm = lro + sum_dims + ro + lo
    operm = [0] * len(lperm)
    for k, d in enumerate(lro + lo + sum_dims + ro):
        operm[d] = k
    left = shape.reshape(shape.permute(left, lperm), (lro_size, lo_size, sum_size))
    right = shape.reshape(shape.permute(right, rperm), (lro_size, sum_size, ro_size))
    result = linalg.bmm(left, right)
    return shape.permute(shape.view(result, tuple(out_size)), operm)


TORCH_EXPORTS = {"einsum": einsum}
