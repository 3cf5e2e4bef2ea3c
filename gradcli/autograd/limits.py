"""--max-elements: tensors are refused before they are allocated, not by the OOM killer."""

from __future__ import annotations

DEFAULT_MAX_ELEMENTS = 1_000_000_000  # 4 GB of float32; the machine gradcli targets has 24 GiB


class ElementLimitError(MemoryError):
    """A tensor would be larger than --max-elements allows."""


class _Limits:
    __slots__ = ("max_elements",)

    def __init__(self):
        self.max_elements = DEFAULT_MAX_ELEMENTS


limits = _Limits()


def set_max_elements(n: int | None) -> None:
    limits.max_elements = DEFAULT_MAX_ELEMENTS if n is None else int(n)


def check_shape(shape, itemsize: int = 4) -> None:
    """Refuse a tensor of ``shape`` when it holds more elements than the limit."""
    n = 1
    for s in shape:
        n *= int(s)
    if n > limits.max_elements:
        raise ElementLimitError(
            f"a tensor of shape {list(shape)} would hold {n:,} elements ({_bytes(n * itemsize)}), "
            f"more than the limit of {limits.max_elements:,} (raise it with --max-elements)")


def check_broadcast(shapes, itemsize: int = 4) -> None:
    """Refuse the broadcast of ``shapes`` (an op's result) when it holds more elements than the
    limit. Shapes that do not broadcast pass: the op raises torch's error for them."""
    n = 1
    for shape in shapes:
        for s in shape:
            n *= s
    if n <= limits.max_elements:  # a broadcast holds at most the product of its operands' sizes
        return
    ndim = max(len(shape) for shape in shapes)
    out = []
    for i in range(-ndim, 0):
        size = 1
        for shape in shapes:
            s = shape[i] if len(shape) >= -i else 1
            if s != 1:
                if size != 1 and s != size:
                    return
                size = s
        out.append(size)
    check_shape(out, itemsize)


def _bytes(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "bytes" else f"{n} bytes"
        n /= 1000
    return f"{n} bytes"  # pragma: no cover
