"""Numbers as text: the shortest decimal that reads back as the same value in its dtype."""

from __future__ import annotations


def shortest(x) -> str:
    """``0.1`` for float32 0.1 (not 0.10000000149011612); ``nan``, ``inf``, ``-inf``; ints as ints."""
    import numpy as np

    if isinstance(x, (bool, np.bool_)):
        return "True" if x else "False"
    if isinstance(x, (np.float32, np.float16)):
        # numpy finds the shortest digits for the float32; Python's repr lays them out
        return repr(float(str(x)))
    if isinstance(x, (np.floating, float)):
        return repr(float(x))
    return str(int(x))


def flat_strings(arr) -> list[str]:
    import numpy as np

    return [shortest(v) for v in np.asarray(arr).ravel()]


def json_number(x):
    """A JSON-safe value: floats at full precision, non-finite as strings."""
    import math

    import numpy as np

    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    f = float(x)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    if isinstance(x, (np.float32, np.float16)):
        return float(str(x))  # the float32's shortest decimal, not its float64 expansion
    return f


def nested(arr):
    """A numpy array as nested lists of JSON-safe numbers (a bare number for 0-d)."""
    import numpy as np

    a = np.asarray(arr)
    if a.size == 0:
        return a.tolist()
    flat = [json_number(v) for v in a.ravel()]
    if a.ndim == 0:
        return flat[0]
    return _fold(flat, a.shape)


def _fold(flat: list, shape: tuple):
    for n in reversed(shape[1:]):
        flat = [flat[i:i + n] for i in range(0, len(flat), n)]
    return flat
