"""``try``/``except``/``else``/``finally`` and ``raise`` to closures.

``except`` catches the program's own errors (ProgramRuntimeError) and nothing of
gradcli's: --max-steps, --timeout, the recursion and memory limits (LimitExceeded)
and Ctrl-C go through every handler and every ``finally``, since they stop the
program rather than fail it. A ``finally`` that ends in break, continue or return
replaces what the try was doing (an error included), as in Python.
"""

from __future__ import annotations

from gradcli.errors import ProgramRuntimeError, Span
from gradcli.interp.exceptions import is_exception_class, matches, program_exception, raised
from gradcli.interp.runtime import UNBOUND, error_at

NO_MATCH = object()  # what a handler returns when its class does not match


class TryCompiler:
    def s_Try(self, node, scope):
        body = self.block(node.body, scope)
        handlers = [self.handler(h, scope) for h in node.handlers]
        orelse = self.block(node.orelse, scope) if node.orelse else None
        final = self.block(node.finalbody, scope) if node.finalbody else None
        pos = node.pos
        attempt = _handled(body, handlers, orelse, pos) if handlers else body
        handling = self.ctx.handling
        if final is None:
            return attempt

        def run(f):
            try:
                r = attempt(f)
            except Exception as e:
                error = error_at(e, pos)  # (a place for --timeout's alarm, which has none)
                if not isinstance(error, ProgramRuntimeError):
                    raise error from None
                handling.append(error)  # a bare ``raise`` in the finally re-raises it
                try:
                    ending = final(f)
                finally:
                    handling.pop()
                if ending is not None:  # break, continue or return in finally: the error is dropped
                    return ending
                if error is e:
                    raise
                raise error from None
            ending = final(f)
            return r if ending is None else ending
        return run

    def handler(self, node, scope):
        kind = self.expr(node.type, scope) if node.type is not None else None
        body = self.block(node.body, scope)
        handling = self.ctx.handling
        kind_pos = node.type.pos if node.type is not None else node.pos
        bind = unbind = None
        if node.name is not None:
            bind, unbind = self.bind_exception(node.name, scope)

        def handle(f, error, exc):
            if kind is not None:
                expected = kind(f)
                try:
                    if not matches(exc, expected):
                        return NO_MATCH
                except TypeError as e:
                    raise error_at(e, kind_pos) from None
            if bind is not None:
                bind(f, exc)
            handling.append(error)
            try:
                return body(f)
            finally:
                handling.pop()
                if unbind is not None:
                    unbind(f)  # Python deletes the ``as`` name when the handler ends
        return handle

    def bind_exception(self, name: str, scope):
        where = scope.resolve(name)
        if where is not None:
            index = where[1]

            def bind_local(f, value):
                f[index] = value

            def unbind_local(f):
                f[index] = UNBOUND
            return bind_local, unbind_local
        env = self.ctx.env

        def bind_global(f, value):
            env[name] = value

        def unbind_global(f):
            env.pop(name, None)
        return bind_global, unbind_global

    def s_Raise(self, node, scope):
        pos = node.pos
        if node.exc is None:
            handling = self.ctx.handling

            def reraise(f):
                if not handling:
                    raise ProgramRuntimeError("RuntimeError: No active exception to reraise", Span(*pos))
                raise handling[-1]
            return reraise
        exc = self.expr(node.exc, scope)
        cause = self.expr(node.cause, scope) if node.cause is not None else None

        def run(f):
            value = _instance(exc(f), pos, "exceptions must derive from BaseException")
            if cause is not None:
                reason = cause(f)
                value.__cause__ = None if reason is None else _instance(
                    reason, pos, "exception causes must derive from BaseException")
            raise raised(value, pos)
        return run


def _handled(body, handlers, orelse, pos):
    def attempt(f):
        try:
            r = body(f)
        except Exception as e:
            error = error_at(e, pos)  # (a place for --timeout's alarm, which has none)
            if not isinstance(error, ProgramRuntimeError):  # gradcli's limits: never the program's to catch
                raise error from None
            exc = program_exception(error)
            for handle in handlers:
                r = handle(f, error, exc)
                if r is not NO_MATCH:
                    return r
            if error is e:
                raise
            raise error from None
        if r is None and orelse is not None:  # (not after a break, continue or return in the body)
            return orelse(f)
        return r
    return attempt


def _instance(value, pos: tuple, message: str) -> BaseException:
    """``raise X`` raises ``X()`` when X is a class; anything else must be an exception."""
    if is_exception_class(value):
        try:
            return value()
        except Exception as e:
            raise error_at(e, pos) from None
    if not isinstance(value, BaseException):
        raise error_at(TypeError(message), pos)
    return value
