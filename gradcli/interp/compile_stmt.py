"""Statements to closures: ``run(f) -> None | BREAK | CONTINUE | (return value,)``.

Checks that Python makes when it compiles (``break`` outside a loop, ``return``
outside a function, unsupported imports) happen here, so they are reported before
the program prints anything.
"""

from __future__ import annotations

from gradcli.autograd.namespace import public_attributes
from gradcli.errors import ProgramRuntimeError, ProgramSyntaxError, Span
from gradcli.interp.compile_assign import AssignCompiler
from gradcli.interp.compile_expr import ExprCompiler
from gradcli.interp.compile_try import TryCompiler
from gradcli.interp.functions import FunctionCompiler
from gradcli.interp.runtime import BREAK, CONTINUE, RETURN_NONE, error_at
from gradcli.interp.scope import Scope
from gradcli.syntax import ast

SUPPORTED_MODULES = ("torch", "torch.nn", "torch.nn.functional", "torch.autograd",
                     "torch.autograd.functional", "torch.optim", "torch.nn.init", "torch.optim.lr_scheduler",
                     "torch.nn.utils", "torch.utils.data", "torch.func")


class Compiler(TryCompiler, AssignCompiler, FunctionCompiler, ExprCompiler):
    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.loops = 0  # how many loops enclose the statement being compiled, in this function
        self.loops_of: Scope | None = None  # the function scope ``loops`` counts in

    def block(self, body: list[ast.Node], scope: Scope):
        if scope.kind != "function" or scope is self.loops_of:  # a block of the same function
            return _sequence([self.stmt(s, scope) for s in body])
        outer = self.loops, self.loops_of  # a function's body: loops around its def do not count
        self.loops, self.loops_of = 0, scope
        try:
            stmts = [self.stmt(s, scope) for s in body]
        finally:
            self.loops, self.loops_of = outer
        return _sequence(stmts)

    def stmt(self, node: ast.Node, scope: Scope):
        method = getattr(self, "s_" + type(node).__name__)
        return method(node, scope)

    # ------------------------------------------------------------ simple ones

    def s_Expr(self, node, scope):
        value = self.expr(node.value, scope)
        if scope.kind == "module":
            result = self.ctx.result

            def run_top(f):
                result.last_value = value(f)
            return run_top

        def run(f):
            value(f)
        return run

    def s_Pass(self, node, scope):
        return _nothing

    def s_Break(self, node, scope):
        if not self.loops:
            raise ProgramSyntaxError("SyntaxError: 'break' outside loop", Span(*node.pos))
        return lambda f: BREAK

    def s_Continue(self, node, scope):
        if not self.loops:
            raise ProgramSyntaxError("SyntaxError: 'continue' not properly in loop", Span(*node.pos))
        return lambda f: CONTINUE

    def s_Return(self, node, scope):
        if not scope.in_function():
            raise ProgramSyntaxError("SyntaxError: 'return' outside function", Span(*node.pos))
        if node.value is None:
            return lambda f: RETURN_NONE
        value = self.expr(node.value, scope)
        return lambda f: (value(f),)

    def s_Assert(self, node, scope):
        test = self.expr(node.test, scope)
        msg = self.expr(node.msg, scope) if node.msg is not None else None
        pos = node.pos

        def run(f):
            value = test(f)
            try:
                ok = True if value else False
            except Exception as e:
                raise error_at(e, pos) from None
            if not ok:
                error = AssertionError(msg(f)) if msg is not None else AssertionError()
                raise error_at(error, pos)
        return run

    # ---------------------------------------------------------- control flow

    def s_If(self, node, scope):
        test = self.expr(node.test, scope)
        body = self.block(node.body, scope)
        orelse = self.block(node.orelse, scope) if node.orelse else None
        pos = node.test.pos

        def run(f):
            value = test(f)
            try:
                truth = True if value else False
            except Exception as e:
                raise error_at(e, pos) from None
            if truth:
                return body(f)
            if orelse is not None:
                return orelse(f)
        return run

    def loop_body(self, body, scope):
        self.loops += 1
        try:
            return _sequence([self.stmt(s, scope) for s in body])
        finally:
            self.loops -= 1

    def s_While(self, node, scope):
        test = self.expr(node.test, scope)
        body = self.loop_body(node.body, scope)
        orelse = self.block(node.orelse, scope) if node.orelse else None
        st, pos, tpos = self.ctx.state, node.pos, node.test.pos

        def run(f):
            while True:
                value = test(f)
                try:
                    truth = True if value else False
                except Exception as e:
                    raise error_at(e, tpos) from None
                if not truth:
                    break
                st.steps += 1
                if st.steps > st.check_at:
                    st.check(pos)
                r = body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is CONTINUE:
                        continue
                    return r
            if orelse is not None:
                return orelse(f)
        return run

    def s_For(self, node, scope):
        iterable = self.expr(node.iter, scope)
        store = self.store(node.target, scope)
        body = self.loop_body(node.body, scope)
        orelse = self.block(node.orelse, scope) if node.orelse else None
        st, pos, ipos = self.ctx.state, node.pos, node.iter.pos

        def run(f):
            value = iterable(f)
            try:
                iterator = iter(value)
            except Exception as e:
                raise error_at(e, ipos) from None
            for item in iterator:
                st.steps += 1
                if st.steps > st.check_at:
                    st.check(pos)
                store(f, item)
                r = body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is CONTINUE:
                        continue
                    return r
            if orelse is not None:
                return orelse(f)
        return run

    def s_With(self, node, scope):
        run = self.block(node.body, scope)
        for item in reversed(node.items):
            run = self.with_item(item, run, scope)
        return run

    def with_item(self, item, body, scope):
        context = self.expr(item.context, scope)
        store = self.store(item.target, scope) if item.target is not None else None
        pos = item.context.pos

        def run(f):
            manager = context(f)
            kind = type(manager)
            try:
                enter, exit_ = kind.__enter__, kind.__exit__
            except AttributeError:
                raise error_at(TypeError(f"'{kind.__name__}' object does not support the context "
                                         "manager protocol"), pos) from None
            try:
                entered = enter(manager)
            except Exception as e:
                raise error_at(e, pos) from None
            if store is not None:
                store(f, entered)
            try:
                r = body(f)
            except BaseException as e:
                if not exit_(manager, type(e), e, None):
                    raise
                return None
            try:
                exit_(manager, None, None, None)
            except Exception as e:
                raise error_at(e, pos) from None
            return r
        return run

    # ------------------------------------------------------------ definitions

    def s_FunctionDef(self, node, scope):
        decorators = [self.expr(d, scope) for d in node.decorators]
        make = self.function_factory(node.name, node.params, node.body, None, scope, node.pos)
        store = self.store_name(node.name, scope, node.pos)
        decorator_pos = [d.pos for d in node.decorators]

        def run(f):
            applied = [d(f) for d in decorators]
            fn = make(f)
            for decorator, dpos in zip(reversed(applied), reversed(decorator_pos)):
                try:
                    fn = decorator(fn)
                except Exception as e:
                    raise error_at(e, dpos) from None
            store(f, fn)
        return run

    def s_Import(self, node, scope):
        actions = []
        for alias in node.names:
            self.check_module(alias.name, alias.pos)
            if alias.asname:
                path = alias.name.split(".")
                actions.append((self.store_name(alias.asname, scope, alias.pos), path))
            else:
                actions.append((self.store_name("torch", scope, alias.pos), ["torch"]))
        ctx = self.ctx

        def run(f):
            for store, path in actions:
                store(f, ctx.resolve_module(path))
        return run

    def s_ImportFrom(self, node, scope):
        self.check_module(node.module, node.pos)
        path = node.module.split(".")
        ctx = self.ctx
        if node.names[0].name == "*":
            if scope.kind != "module":
                raise ProgramSyntaxError("SyntaxError: import * only allowed at module level",
                                         Span(*node.pos))
            env = ctx.env

            def run_star(f):
                module = ctx.resolve_module(path)
                env.update(public_attributes(module))
            return run_star
        actions = [(self.store_name(a.asname or a.name, scope, a.pos), a.name, a.pos) for a in node.names]
        for _, name, apos in actions:
            self.check_attribute(name, apos)

        def run(f):
            module = ctx.resolve_module(path)
            for store, name, apos in actions:
                try:
                    value = getattr(module, name)
                except AttributeError:
                    raise ProgramRuntimeError(f"ImportError: cannot import name '{name}' from "
                                              f"'{node.module}' (gradcli's torch has no such name)",
                                              Span(*apos)) from None
                store(f, value)
        return run

    def check_module(self, name: str, pos: tuple) -> None:
        if name not in SUPPORTED_MODULES:
            raise ProgramSyntaxError(
                f"SyntaxError: import of '{name}' is not supported by gradcli (supported: "
                f"{', '.join(SUPPORTED_MODULES)})", Span(*pos))


def _nothing(f):
    return None


def _sequence(stmts):
    if not stmts:
        return _nothing
    if len(stmts) == 1:
        return stmts[0]
    if len(stmts) == 2:
        first, second = stmts

        def run_two(f):
            r = first(f)
            if r is not None:
                return r
            return second(f)
        return run_two

    def run(f):
        for s in stmts:
            r = s(f)
            if r is not None:
                return r
    return run
