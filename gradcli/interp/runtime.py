"""What compiled closures share at run time: limits state, error conversion, sentinels.

A compiled statement returns None to go on, BREAK or CONTINUE, or a 1-tuple holding
the value of a ``return``; expressions return their value. A frame of a function
call is a list: slot 0 is the frame the function was defined in, then its locals.
"""

from __future__ import annotations

import re

import time
import types

from gradcli.errors import LimitExceeded, ProgramRuntimeError, SourceError, Span


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNBOUND = _Marker("<unbound>")  # a local slot before assignment or after ``del``
MISSING = _Marker("<missing>")
BREAK = _Marker("<break>")
CONTINUE = _Marker("<continue>")
RETURN_NONE = (None,)

# Objects a program must never hold: they lead back to Python's internals.
BLOCKED_TYPES = frozenset({types.FrameType, types.CodeType, types.ModuleType, types.TracebackType})


def python_message(e: BaseException) -> str:
    """The last line of the traceback CPython would print for ``e``."""
    cls = type(e)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    text = str(e)
    if isinstance(e, (TypeError, AttributeError)):
        text = re.sub(_TORCH_TYPE, lambda m: f"'{_TORCH_TYPES[m.group(m.lastindex)]}'", text)
    return f"{name}: {text}" if text else name


# torch's C types name themselves in full in Python's messages ("'torch.Size' object is not
# callable"); gradcli's classes of the same names are Python classes
_TORCH_TYPES = {"Size": "torch.Size", "dtype": "torch.dtype", "_Device": "torch.device"}
# (patterns as text: re compiles and caches one when an error first needs it, not at start-up)
_TORCH_TYPE = (  # a type as Python's messages quote it: "'Size' object", "of 'Size'", ": 'Size' and"
    r"(?:^|(?<=: )|(?<= and )|(?<=of )|(?<=type ))'(Size|dtype|_Device)'|'(Size|dtype|_Device)'(?= object\b)")


def error_at(e: BaseException, pos: tuple) -> BaseException:
    """The exception to raise for ``e`` raised while evaluating the node at ``pos``."""
    if isinstance(e, SourceError):
        if e.span is None:  # raised without a place (--timeout's alarm): the innermost node running
            e.span = Span(*pos)
        return e
    if isinstance(e, BrokenPipeError):  # print() into a closed pipe: the CLI ends quietly
        return e
    if isinstance(e, RecursionError):
        return LimitExceeded("RecursionError: maximum recursion depth exceeded (the program nests "
                             "calls or expressions too deeply)", Span(*pos))
    if isinstance(e, MemoryError):
        from gradcli.autograd.limits import ElementLimitError
        if isinstance(e, ElementLimitError):
            return LimitExceeded(f"MemoryError: {e}", Span(*pos))
        return ProgramRuntimeError("MemoryError: not enough memory: the result does not fit in this "
                                   "machine's memory (lower --max-elements to refuse it sooner)", Span(*pos))
    if isinstance(e, (ValueError, IndexError)) and (m := re.search(_TOO_MANY_DIMS, str(e))):
        return LimitExceeded(f"RuntimeError: gradcli's tensors have at most 64 dimensions, this one would "
                             f"have {m.group(1) or m.group(2)} (PyTorch allows more)", Span(*pos))
    if isinstance(e, AttributeError) and re.search(_LEAK, str(e)):
        # a non-tensor reached an engine op that reads tensor internals: say it as torch would
        kind = re.search(_LEAK, str(e)).group(1)
        return ProgramRuntimeError(f"TypeError: expected Tensor as argument, but got {kind}", Span(*pos))
    return ProgramRuntimeError(python_message(e), Span(*pos))


_LEAK = r"^'(\w+)' object has no attribute '_\w+'"
# the array library's dimension limit, as its two messages put it
_TOO_MANY_DIMS = (r"^maximum supported dimension for an ndarray is currently 64, found (\d+)|"
                            r"^number of dimensions must be within \[0, 64\], indexing result would have (\d+)")


def call_error(e: BaseException, pos: tuple, fn, args, kwargs: dict | None = None,
               name: str | None = None) -> BaseException:
    """``error_at`` for ``e`` raised by the call ``fn(*args, **kwargs)`` (``name`` as the call
    site spells it): arguments torch's parser would have refused before computing anything
    get the parser's message; a non-tensor that reached an engine op is named by argument."""
    if not isinstance(e, _NOT_ABOUT_ARGUMENTS):
        from gradcli.interp import arguments
        try:
            op = arguments.resolve(fn, name)
            message = op and arguments.parser_error(op[0], op[1], args, kwargs or {})
        except Exception:  # noqa: BLE001 - a gap in the parser's table: the op's own error stands
            message = None
        if message:
            return ProgramRuntimeError(f"TypeError: {message}", Span(*pos))
    if isinstance(e, (AttributeError, TypeError)):
        message = _argument_message(str(e), fn, args, kwargs or {})
        if message is not None:
            return ProgramRuntimeError(f"TypeError: {message}", Span(*pos))
    return error_at(e, pos)


_NOT_ABOUT_ARGUMENTS = (SourceError, MemoryError, RecursionError, BrokenPipeError)
_NOT_A_TENSOR = r"^'(\w+)' object has no attribute '_\w+'|^unsupported operand type: '(\w+)'$"


def _argument_message(text: str, fn, args, kwargs: dict) -> str | None:
    match = re.search(_NOT_A_TENSOR, text)
    func = getattr(fn, "__func__", fn)
    code = getattr(func, "__code__", None)
    if match is None or code is None or not getattr(func, "__module__", "").startswith("gradcli.autograd"):
        return None
    kind = match.group(1) or match.group(2)
    params = code.co_varnames[:code.co_argcount]
    if func is not fn:  # a Tensor method: torch counts positions after the tensor itself
        params = params[1:]
    params = ["input" if p == "self" else p for p in params]
    named = list(enumerate(args)) + [(params.index(k) if k in params else None, v) for k, v in kwargs.items()]
    for i, value in named:
        if type(value).__name__ == kind:
            if i is None or i >= len(params):
                return None
            where = f" (position {i + 1})" if i < len(args) else ""
            return f"{fn.__name__}(): argument '{params[i]}'{where} must be Tensor, not {kind}"
        if type(value) in (list, tuple) and i is not None:
            for j, element in enumerate(value):
                if type(element).__name__ == kind:
                    return f"expected Tensor as element {j} in argument {i}, but got {kind}"
    return None


class State:
    """Counters shared by every closure of one run: steps, call depth, deadline."""

    __slots__ = ("steps", "check_at", "max_steps", "deadline", "timeout", "depth", "max_depth",
                 "pos")

    def __init__(self, max_steps: int, max_depth: int, timeout: float | None):
        self.steps = 0
        self.max_steps = max_steps
        self.max_depth = max_depth
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout if timeout else None
        self.depth = 0
        self.check_at = 0
        self.pos = None
        self.plan_next_check()

    def plan_next_check(self) -> None:
        self.check_at = self.max_steps if self.deadline is None else min(self.max_steps, self.steps + 256)

    def check(self, pos: tuple) -> None:
        """Called when ``steps`` passes ``check_at``: over the limit, or time to look at the clock."""
        if self.steps > self.max_steps:
            raise LimitExceeded(f"step limit of {self.max_steps} exceeded (raise it with --max-steps)",
                                Span(*pos))
        if self.deadline is not None and time.monotonic() > self.deadline:
            # the same words as the CLI's alarm, which may be the one to notice first
            raise LimitExceeded(f"TimeoutError: gave up after --timeout {self.timeout:g} seconds", Span(*pos),
                                hint="raise --timeout, or make the program do less")
        self.plan_next_check()

    def too_deep(self, pos: tuple) -> LimitExceeded:
        return LimitExceeded(f"recursion deeper than {self.max_depth} calls (the program's functions "
                             "call themselves too deeply)", Span(*pos))
