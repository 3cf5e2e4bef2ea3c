"""Elementwise work on big arrays, split across the machine's cores.

PyTorch runs an elementwise kernel on several threads once a tensor passes a grain
size (32,768 elements); numpy's ufuncs run on one. Where gradcli computes a float32
function through float64 to round like torch (exp, tanh, ...), that one thread is the
slowest part of a big-tensor program, so large contiguous inputs are cut into one
slice per core and each slice is converted, computed and rounded on its own thread
(numpy releases the GIL inside those loops). The result is bit-for-bit the same as
the single-threaded computation: every element is computed the same way.
"""

from __future__ import annotations

import os

import numpy as np

GRAIN = 1 << 16  # elements per thread below which threads cost more than they save

_pool = None
_workers = 0


def _executor():
    global _pool, _workers
    if _pool is None:
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
        _workers = max(1, min(cores, 8))
        if _workers > 1:
            from concurrent.futures import ThreadPoolExecutor
            state = np.geterr()
            # numpy's error state is per thread: the workers take the caller's (the engine
            # ignores floating-point warnings, as torch never raises them)
            _pool = ThreadPoolExecutor(_workers, thread_name_prefix="gradcli-elementwise",
                                       initializer=lambda: np.seterr(**state))
    return _pool


def via_float64(fn, d: np.ndarray) -> np.ndarray:
    """``fn(d)`` for a float32 ``d``, computed in float64 and rounded once to float32."""
    n = d.size
    if n < 2 * GRAIN or not d.flags.c_contiguous or _executor() is None:
        return fn(d.astype(np.float64)).astype(np.float32)
    flat = d.reshape(-1)
    out = np.empty(n, dtype=np.float32)
    pieces = min(_workers, n // GRAIN)
    step = -(-n // pieces)

    def work(start: int) -> None:
        stop = min(start + step, n)
        out[start:stop] = fn(flat[start:stop].astype(np.float64))

    for f in [_pool.submit(work, start) for start in range(0, n, step)]:
        f.result()
    return out.reshape(d.shape)
