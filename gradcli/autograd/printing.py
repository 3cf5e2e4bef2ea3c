"""Render numpy arrays exactly as PyTorch (CPU, strided, real dtypes) prints tensors.

The rules reproduced here, observed from PyTorch's printing:

* One element formatter is chosen per tensor (from the shown elements only when
  the tensor is summarized), so every element gets the same width and columns
  line up.  Integer and bool elements are printed with ``str``.  Floating
  tensors look at their non-zero finite elements: if all are whole numbers the
  tensor is in "integer mode" (``1.``, ``-3.``); scientific notation is used
  when max/min of their magnitudes exceeds 1000, the max exceeds 1e8 or the min
  is below 1e-4 (or when forced with ``sci_mode``); otherwise fixed notation
  with ``precision`` digits.  Without any non-zero finite element the tensor
  stays in plain integer mode whatever ``sci_mode`` says.
* Tensors with more than ``threshold`` elements are summarized: every dimension
  longer than ``2 * edgeitems`` shows its first and last ``edgeitems`` entries
  around ``...``.
* 1-d rows wrap to fit ``linewidth``, nested rows are indented one column per
  level and separated by ``dim - 1`` newlines.
* Suffixes (``size=``, ``dtype=``, then the caller's such as ``grad_fn=<...>``)
  follow the value, each moved to its own line when it would pass
  ``linewidth``.
"""

from __future__ import annotations

import contextlib
import math
from typing import Iterator, Sequence

import numpy as np

__all__ = [
    "PrintOptions",
    "format_size",
    "format_tensor",
    "get_printoptions",
    "printoptions",
    "set_printoptions",
]


class PrintOptions:
    """The printing options of ``torch.set_printoptions`` (a plain class: a @dataclass costs
    ~1 ms of start-up to build)."""

    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self, precision: int = 4, threshold: float = 1000, edgeitems: int = 3, linewidth: int = 80,
                 sci_mode: bool | None = None):
        self.precision = precision
        self.threshold = threshold
        self.edgeitems = edgeitems
        self.linewidth = linewidth
        self.sci_mode = sci_mode

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


_OPTIONS = PrintOptions()

# profile name -> (precision, threshold, edgeitems, linewidth)
_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    sci_mode: bool | None = None,
    profile: str | None = None,
) -> None:
    """Change the module-wide print options like ``torch.set_printoptions``."""
    if profile is not None and profile in _PROFILES:
        (_OPTIONS.precision, _OPTIONS.threshold, _OPTIONS.edgeitems,
         _OPTIONS.linewidth) = _PROFILES[profile]
    if precision is not None:
        _OPTIONS.precision = precision
    if threshold is not None:
        _OPTIONS.threshold = threshold
    if edgeitems is not None:
        _OPTIONS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTIONS.linewidth = linewidth
    # Like torch, sci_mode is always overwritten: omitting it restores "auto".
    _OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """Return the current options as keyword arguments for set_printoptions."""
    return _OPTIONS.as_dict()


@contextlib.contextmanager
def printoptions(**kwargs) -> Iterator[None]:
    """Temporarily change the print options inside a ``with`` block."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


def format_size(shape: Sequence[int]) -> str:
    """Return the repr of ``torch.Size`` for a shape, e.g. ``torch.Size([2, 2])``."""
    return f"torch.Size({[int(d) for d in shape]})"


class _ElementFormatter:
    """Formats single elements of one tensor to a common width."""

    def __init__(self, shown: np.ndarray, opts: PrintOptions) -> None:
        self.floating = shown.dtype.kind == "f"
        self.precision = opts.precision
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = shown.reshape(-1)
        if not self.floating:
            self.width = max([1] + [len(str(v)) for v in flat.tolist()])
            return
        finite = flat[np.isfinite(flat) & (flat != 0)]
        if finite.size == 0:
            return
        magnitudes = np.abs(finite).astype(np.float64)
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(np.ceil(finite) == finite))
        if opts.sci_mode is None:
            with np.errstate(over="ignore"):
                ratio = largest / smallest
            self.sci_mode = bool(ratio > 1000.0 or largest > 1e8 or smallest < 1e-4)
        else:
            self.sci_mode = opts.sci_mode
        self.width = max(self._measure(v) for v in finite.tolist())

    def _measure(self, value: float) -> int:
        """Width one non-zero finite value needs (a trailing '.' in integer mode)."""
        if self.sci_mode:
            return len(f"{value:.{self.precision}e}")
        if self.int_mode:
            return len(f"{value:.0f}") + 1
        return len(f"{value:.{self.precision}f}")

    def __call__(self, value) -> str:
        """Format one Python scalar, right-aligned to the common width."""
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{self.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{self.precision}f}"
        return text.rjust(self.width)


def _shown_elements(arr: np.ndarray, edge: int) -> np.ndarray:
    """The elements a summarized print actually shows (they choose the format)."""
    if arr.ndim == 0:
        return arr
    if arr.ndim >= 2 and edge == 0:
        return arr[(slice(0, 0),) * arr.ndim]
    for axis, size in enumerate(arr.shape):
        if size > 2 * edge:
            keep = np.r_[0:edge, size - edge:size] if edge else np.arange(size)
            arr = np.take(arr, keep, axis=axis)
    return arr


def _format_row(row: np.ndarray, indent: int, summarize: bool,
                fmt: _ElementFormatter, opts: PrintOptions) -> str:
    """Format a 1-d array, wrapping lines so they fit the line width."""
    edge = opts.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and row.shape[0] > 2 * edge:
        items = ([fmt(v) for v in row[:edge].tolist()] + [" ..."]
                 + [fmt(v) for v in row[-edge:].tolist()])
    else:
        items = [fmt(v) for v in row.tolist()]
    per_line = max(1, math.floor((opts.linewidth - indent) / (fmt.width + 2)))
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _format_nested(arr: np.ndarray, indent: int, summarize: bool,
                   fmt: _ElementFormatter, opts: PrintOptions) -> str:
    """Format an array of any rank, recursing over its first dimension."""
    if arr.ndim == 0:
        return fmt(arr.item())
    if arr.ndim == 1:
        return _format_row(arr, indent, summarize, fmt, opts)
    size, edge = arr.shape[0], opts.edgeitems

    def sub(i: int) -> str:
        return _format_nested(arr[i], indent + 1, summarize, fmt, opts)

    if summarize and size > 2 * edge:
        parts = ([sub(i) for i in range(edge)] + ["..."]
                 + [sub(i) for i in range(size - edge, size)])
    else:
        parts = [sub(i) for i in range(size)]
    separator = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _attach_suffixes(head: str, suffixes: Sequence[str], indent: int,
                     linewidth: int) -> str:
    """Append ``, suffix`` parts and the closing parenthesis, wrapping like torch."""
    out = [head]
    # torch measures the last line as its length plus 2 (one more than the
    # ", " it then adds); reproduce that so wrapping happens at the same place.
    line_len = len(head) - head.rfind("\n") + 1
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > linewidth:
            out.append(",\n" + " " * indent + suffix)
            line_len = indent + len(suffix)
        else:
            out.append(", " + suffix)
            line_len += len(suffix) + 2
    out.append(")")
    return "".join(out)


def _as_named_dtype(data, dtype_name: str) -> np.ndarray:
    """The data as an array of the dtype torch would hold (when numpy has it)."""
    arr = np.asarray(data)
    try:
        wanted = np.dtype(dtype_name)
    except TypeError:  # e.g. bfloat16: keep what the caller gave
        return arr
    if arr.dtype.kind not in "biuf" or wanted.kind not in "biuf":
        raise TypeError(f"cannot print tensors of dtype {dtype_name!r}")
    return arr if arr.dtype == wanted else arr.astype(wanted)


def format_tensor(
    data: np.ndarray,
    *,
    dtype_name: str,
    suffixes: Sequence[str] = (),
    prefix: str = "tensor(",
    default_float: str = "float32",
) -> str:
    """Return what ``repr(tensor)`` prints for a CPU tensor holding ``data``."""
    dtype_name = dtype_name.replace("torch.", "")
    arr = _as_named_dtype(data, dtype_name)
    opts = PrintOptions(**_OPTIONS.as_dict())
    indent = len(prefix)
    size_suffix = f"size={tuple(int(d) for d in arr.shape)}"
    dtype_suffix = f"dtype=torch.{dtype_name}"
    extra = []
    if arr.size == 0:
        # Nothing to show the dtype by, so anything but the default float says so.
        if arr.ndim != 1:
            extra.append(size_suffix)
        if dtype_name != default_float:
            extra.append(dtype_suffix)
        body = "[]"
    else:
        if not opts.edgeitems:
            extra.append(size_suffix)
        default_complex = "complex128" if default_float == "float64" else "complex64"
        if dtype_name not in (default_float, default_complex, "int64", "bool"):
            extra.append(dtype_suffix)
        summarize = arr.size > opts.threshold
        shown = _shown_elements(arr, opts.edgeitems) if summarize else arr
        fmt = _ElementFormatter(shown, opts)
        body = _format_nested(arr, indent, summarize, fmt, opts)
    return _attach_suffixes(prefix + body, extra + list(suffixes), indent,
                            opts.linewidth)
