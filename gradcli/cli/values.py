"""Values from the command line: ``--set NAME=VALUE``, ``--grad-tensors SPEC``, ``@file``.

A SPEC is a number or list literal (``3``, ``[0.1, 1.0, 0.0001]``), an expression
of the language (``ones_like(z)``, evaluated by the caller), or ``@path`` to a
``.npy`` file, a ``.npz`` member (``@w.npz:name``, or the only member) or a ``.csv``
file.  Files are read with numpy's loaders and pickles are refused.  Every mistake
here is a :class:`UsageError`: one line on stderr, exit 2.
"""

from __future__ import annotations

import ast
import os

from ..errors import UsageError

_NOT_LITERAL = object()


def split_assignment(spec: str, option: str = "--set") -> tuple[str, str]:
    """``"x=3"`` -> ``("x", "3")``, with the name checked to be an identifier."""
    name, sep, value = spec.partition("=")
    name = name.strip()
    if not sep or not value.strip():
        raise UsageError(f"{option} {spec!r}: expected NAME=VALUE, e.g. {option} x=3")
    if not name.isidentifier():
        raise UsageError(f"{option} {spec!r}: {name!r} is not a valid name")
    return name, value.strip()


def literal(text: str):
    """A number, bool or (nested) list of them written in ``text``; ``_NOT_LITERAL`` otherwise.

    The language is a Python subset, so Python's literal rules are its rules here.
    """
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return _NOT_LITERAL
    if not _is_numeric_literal(node):
        return _NOT_LITERAL
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _is_numeric_literal(node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.List, ast.Tuple)):
            stack.extend(n.elts)
        elif isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            stack.append(n.operand)
        elif isinstance(n, ast.Constant):
            if type(n.value) not in (int, float, bool):
                return False
        else:
            return False
    return True


def is_literal(value) -> bool:
    return value is not _NOT_LITERAL


def load_array(spec: str, option: str):
    """The numpy array named by ``@path`` (``spec`` without the ``@``)."""
    import numpy as np

    path, member = spec, None
    if not os.path.exists(path) and ":" in path:
        # @weights.npz:w  (a path containing ':' itself still works when it exists)
        path, _, member = path.rpartition(":")
    where = f"{option} @{spec}"
    if not os.path.exists(path):
        raise UsageError(f"{where}: no such file: {path}")
    if os.path.isdir(path):
        raise UsageError(f"{where}: {path} is a directory")
    lower = path.lower()
    try:
        if lower.endswith(".npz"):
            return _npz_member(path, member, where)
        if member is not None:
            raise UsageError(f"{where}: only .npz files have members")
        if lower.endswith(".npy"):
            return np.load(path, allow_pickle=False)
        if lower.endswith(".csv") or lower.endswith(".txt"):
            return np.loadtxt(path, delimiter="," if lower.endswith(".csv") else None,
                              dtype=np.float64, ndmin=1, comments="#")
    except UsageError:
        raise
    except (OSError, ValueError, EOFError) as e:
        raise UsageError(f"{where}: cannot read {path}: {_one_line(e)}") from None
    raise UsageError(f"{where}: unknown file type (expected .npy, .npz or .csv)")


def _npz_member(path, member, where):
    import numpy as np

    with np.load(path, allow_pickle=False) as archive:
        names = list(archive.files)
        if member is None:
            if len(names) != 1:
                raise UsageError(f"{where}: the archive holds {len(names)} arrays "
                                 f"({', '.join(names) or 'none'}); name one as @{path}:NAME")
            member = names[0]
        if member not in names:
            raise UsageError(f"{where}: no array {member!r} in {path} (it has {', '.join(names)})")
        return archive[member]


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__
