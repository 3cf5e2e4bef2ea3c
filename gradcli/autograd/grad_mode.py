"""Grad mode: no_grad, enable_grad, set_grad_enabled, inference_mode, anomaly mode."""

from __future__ import annotations


class _State:
    __slots__ = ("enabled", "anomaly", "check_nan")

    def __init__(self):
        self.enabled = True
        self.anomaly = False
        self.check_nan = True


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


def is_anomaly_check_nan_enabled() -> bool:
    return state.check_nan


def set_anomaly_enabled(mode: bool, check_nan: bool = True) -> None:
    state.anomaly = bool(mode)
    state.check_nan = bool(check_nan)


class set_detect_anomaly:
    """Takes effect at construction (so it also works as a plain call), restores on exit: a
    class in torch, usable as ``with torch.autograd.set_detect_anomaly(True):``."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = state.anomaly
        self.prev_check_nan = state.check_nan
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class detect_anomaly:
    """Context manager (and decorator) turning anomaly detection on; warns as torch does."""

    def __init__(self, check_nan: bool = True) -> None:
        import warnings
        self.prev = state.anomaly
        self.check_nan = check_nan
        self.prev_check_nan = state.check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and "
                      "should only be enabled for debugging.", stacklevel=2)

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)

    def __call__(self, fn):
        def wrapped(*args, **kwargs):
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)
        return wrapped
