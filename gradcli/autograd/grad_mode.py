"""Grad mode: no_grad, enable_grad, set_grad_enabled, inference_mode, anomaly mode."""

from __future__ import annotations


class _State:
    __slots__ = ("enabled", "anomaly")

    def __init__(self):
        self.enabled = True
        self.anomaly = False


state = _State()


def is_grad_enabled() -> bool:
    return state.enabled


class _GradModeContext:
    """Both a context manager and a decorator, as torch's are."""

    _mode = True

    def __enter__(self):
        self._prev = state.enabled
        state.enabled = self._mode
        return None

    def __exit__(self, *exc):
        state.enabled = self._prev
        return False

    def __call__(self, fn):
        mode = self._mode

        def wrapped(*args, **kwargs):
            prev = state.enabled
            state.enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                state.enabled = prev

        return wrapped


class no_grad(_GradModeContext):
    _mode = False

    def __repr__(self):
        return "<torch.autograd.grad_mode.no_grad object>"


class enable_grad(_GradModeContext):
    _mode = True


class inference_mode(_GradModeContext):
    def __init__(self, mode: bool = True):
        self._mode = not mode


class set_grad_enabled(_GradModeContext):
    """Takes effect at construction, as torch's does, and restores on exit."""

    def __init__(self, mode: bool):
        self._prev = state.enabled
        self._mode = bool(mode)
        state.enabled = self._mode

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        state.enabled = self._prev
        return False


def is_anomaly_enabled() -> bool:
    return state.anomaly


def set_detect_anomaly(mode: bool, check_nan: bool = True) -> None:
    state.anomaly = bool(mode)


class detect_anomaly:
    def __init__(self, check_nan: bool = True):
        self._prev = state.anomaly

    def __enter__(self):
        state.anomaly = True

    def __exit__(self, *exc):
        state.anomaly = self._prev
        return False
