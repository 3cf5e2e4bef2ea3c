"""Calls, user functions (``def`` and ``lambda``) and comprehensions, as closures.

A user function is a plain Python function object (so the engine can call it as a
hook, or through ``jacobian``), named as CPython names it, that binds its arguments
with CPython's error messages, counts a step and a level of depth, and runs its
compiled body in a fresh frame whose slot 0 is the frame it was defined in.
"""

from __future__ import annotations

from gradcli.errors import Span
from gradcli.interp.runtime import UNBOUND, call_error, error_at
from gradcli.interp.scope import Scope, bound_names, target_names
from gradcli.syntax import ast


class FunctionCompiler:
    """Mixed into the compiler: the parts that create frames."""

    # ------------------------------------------------------------------ calls

    def e_Call(self, node, scope):
        func = self.expr(node.func, scope)
        site, where, pos = self.ctx.site, Span(*node.pos), node.pos
        called = _site_name(node.func)
        simple = not node.keywords and not any(type(a) is ast.Starred for a in node.args)
        if simple:
            args = [self.expr(a, scope) for a in node.args]
            n = len(args)
            if n == 0:
                def ev0(f):
                    fn = func(f)
                    site.current = where
                    try:
                        return fn()
                    except Exception as e:
                        raise call_error(e, pos, fn, (), None, called) from None
                return ev0
            if n == 1:
                (a0,) = args

                def ev1(f):
                    fn = func(f)
                    x = a0(f)
                    site.current = where
                    try:
                        return fn(x)
                    except Exception as e:
                        raise call_error(e, pos, fn, (x,), None, called) from None
                return ev1
            if n == 2:
                a0, a1 = args

                def ev2(f):
                    fn = func(f)
                    x = a0(f)
                    y = a1(f)
                    site.current = where
                    try:
                        return fn(x, y)
                    except Exception as e:
                        raise call_error(e, pos, fn, (x, y), None, called) from None
                return ev2

            def evn(f):
                fn = func(f)
                values = [a(f) for a in args]
                site.current = where
                try:
                    return fn(*values)
                except Exception as e:
                    raise call_error(e, pos, fn, values, None, called) from None
            return evn
        build_args = self.sequence(node.args, scope)
        keywords = [(k.arg, self.expr(k.value, scope), k.pos) for k in node.keywords]

        def ev(f):
            fn = func(f)
            values = build_args(f)
            kwargs = {}
            for name, value, kpos in keywords:
                v = value(f)
                if name is not None:
                    kwargs[name] = v
                    continue
                try:
                    items = v.keys()
                except AttributeError:
                    raise error_at(TypeError(f"{_callable_name(fn)} argument after ** must be a "
                                             f"mapping, not {type(v).__name__}"), kpos) from None
                for key in items:
                    if key in kwargs:
                        raise error_at(TypeError(f"{_callable_name(fn)} got multiple values for "
                                                 f"keyword argument '{key}'"), kpos)
                    kwargs[key] = v[key]
            site.current = where
            try:
                return fn(*values, **kwargs)
            except Exception as e:
                raise call_error(e, pos, fn, values, kwargs, called) from None
        return ev

    # -------------------------------------------------------------- functions

    def function_factory(self, name: str, params: list[ast.Param], body: list[ast.Node] | None,
                         expression: ast.Node | None, scope: Scope, pos: tuple):
        """Compile a def or lambda; return ``make(f) -> function`` to run where it is defined."""
        qualname = name if scope.kind == "module" else f"{scope.qualname}.<locals>.{name}"
        names = [p.name for p in params if p.kind != "star"]
        inner = Scope("function", scope, names, qualname)
        if body is not None:
            for bound in bound_names(body):
                inner.slot(bound)
            run_body = self.block(body, inner)
        else:
            value = self.expr(expression, inner)

            def run_body(frame):
                return (value(frame),)
        defaults = [(p, self.expr(p.default, scope)) for p in params if p.default is not None]
        signature = _Signature(qualname, params, inner)
        st = self.ctx.state

        def make(f):
            default_values = {p.name: ev(f) for p, ev in defaults}
            bind = signature.binder(default_values)

            def function(*args, **kwargs):
                frame = bind(f, args, kwargs)
                st.steps += 1
                if st.steps > st.check_at:
                    st.check(pos)
                st.depth += 1
                try:
                    if st.depth > st.max_depth:
                        raise st.too_deep(pos)
                    result = run_body(frame)
                finally:
                    st.depth -= 1
                return None if result is None else result[0]

            function.__name__ = name
            function.__qualname__ = qualname
            return function
        return make

    def e_Lambda(self, node, scope):
        make = self.function_factory("<lambda>", node.params, None, node.body, scope, node.pos)
        return make

    # --------------------------------------------------------- comprehensions

    def e_Comp(self, node, scope):
        names: dict = {}
        for gen in node.generators:
            target_names(gen.target, names)
        inner = Scope("comprehension", scope, list(names), scope.qualname)
        first_iter = self.expr(node.generators[0].iter, scope)  # evaluated where the comp is
        loops = []
        for i, gen in enumerate(node.generators):
            store = self.store(gen.target, inner)
            iterable = None if i == 0 else self.expr(gen.iter, inner)
            tests = [(self.expr(t, inner), t.pos) for t in gen.ifs]
            loops.append((iterable, store, tests, gen.iter.pos))
        elt = self.expr(node.elt, inner)
        key = self.expr(node.key, inner) if node.key is not None else None
        size, st, pos, kind = inner.size, self.ctx.state, node.pos, node.kind

        def produce(frame, level, iterable_value):
            iterable, store, tests, ipos = loops[level]
            try:
                iterator = iter(iterable_value)
            except Exception as e:
                raise error_at(e, ipos) from None
            last = level + 1 == len(loops)
            for item in iterator:
                st.steps += 1
                if st.steps > st.check_at:
                    st.check(pos)
                store(frame, item)
                for test, tpos in tests:
                    value = test(frame)
                    try:
                        if not value:
                            break
                    except Exception as e:
                        raise error_at(e, tpos) from None
                else:
                    if last:
                        yield frame
                    else:
                        yield from produce(frame, level + 1, loops[level + 1][0](frame))

        if kind == "gen":
            def ev_gen(f):
                source = first_iter(f)
                frame = [f] + [UNBOUND] * (size - 1)
                return (elt(fr) for fr in produce(frame, 0, source))
            return ev_gen

        def ev(f):
            source = first_iter(f)
            frame = [f] + [UNBOUND] * (size - 1)
            try:
                if kind == "list":
                    return [elt(fr) for fr in produce(frame, 0, source)]
                if kind == "set":
                    return {elt(fr) for fr in produce(frame, 0, source)}
                return {key(fr): elt(fr) for fr in produce(frame, 0, source)}
            except TypeError as e:  # unhashable set members or dict keys
                raise error_at(e, pos) from None
        return ev


def _site_name(func: ast.Node) -> str | None:
    """The name a call spells (``sin`` in ``torch.sin(x)`` and ``x.sin()``): torch's messages use it."""
    if type(func) is ast.Attribute:
        return func.attr
    return func.id if type(func) is ast.Name else None


def _callable_name(fn) -> str:
    name = getattr(fn, "__qualname__", None) or type(fn).__name__
    return f"{name}()"


class _Signature:
    """Binds call arguments to a frame, with CPython's TypeError messages."""

    def __init__(self, qualname: str, params: list[ast.Param], scope: Scope):
        self.qualname = qualname
        self.size = scope.size
        self.positional = [p.name for p in params if p.kind == "positional"]
        self.keyword_only = [p.name for p in params if p.kind == "keyword_only"]
        varargs = [p.name for p in params if p.kind == "varargs"]
        varkw = [p.name for p in params if p.kind == "varkw"]
        self.varargs = scope.slots[varargs[0]] if varargs else None
        self.varkw = scope.slots[varkw[0]] if varkw else None
        self.slot = {name: scope.slots[name] for name in self.positional + self.keyword_only}
        # fast path: only positional parameters, called with exactly that many
        self.simple = not self.keyword_only and self.varargs is None and self.varkw is None

    def binder(self, defaults: dict):
        size, positional = self.size, self.positional
        n = len(positional)
        if self.simple and not defaults:
            slots = [self.slot[name] for name in positional]
            contiguous = slots == list(range(1, n + 1))

            def bind_simple(parent, args, kwargs):
                if not kwargs and len(args) == n:
                    if contiguous:
                        frame = [parent, *args]
                        if len(frame) < size:
                            frame.extend([UNBOUND] * (size - len(frame)))
                        return frame
                return self.bind(parent, args, kwargs, defaults)
            return bind_simple
        return lambda parent, args, kwargs: self.bind(parent, args, kwargs, defaults)

    def bind(self, parent, args, kwargs, defaults):
        frame = [parent] + [UNBOUND] * (self.size - 1)
        name = self.qualname
        positional, slot = self.positional, self.slot
        n = len(positional)
        if len(args) > n:
            if self.varargs is None:
                given = len(args)
                least = n - sum(1 for p in positional if p in defaults)
                takes = f"{n}" if least == n else f"from {least} to {n}"
                plural = "argument" if n == 1 and least == n else "arguments"
                raise TypeError(f"{name}() takes {takes} positional {plural} but {given} "
                                f"{'was' if given == 1 else 'were'} given")
            frame[self.varargs] = tuple(args[n:])
        elif self.varargs is not None:
            frame[self.varargs] = ()
        for param, value in zip(positional, args):
            frame[slot[param]] = value
        extra = {}
        for key, value in kwargs.items():
            index = slot.get(key)
            if index is None:
                if self.varkw is None:
                    raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
                extra[key] = value
                continue
            if frame[index] is not UNBOUND:
                raise TypeError(f"{name}() got multiple values for argument '{key}'")
            frame[index] = value
        if self.varkw is not None:
            frame[self.varkw] = extra
        missing = []
        for param in positional:
            if frame[slot[param]] is UNBOUND:
                if param in defaults:
                    frame[slot[param]] = defaults[param]
                else:
                    missing.append(param)
        if missing:
            raise TypeError(_missing(name, missing, "positional"))
        missing = []
        for param in self.keyword_only:
            if frame[slot[param]] is UNBOUND:
                if param in defaults:
                    frame[slot[param]] = defaults[param]
                else:
                    missing.append(param)
        if missing:
            raise TypeError(_missing(name, missing, "keyword-only"))
        return frame


def _missing(name: str, missing: list[str], kind: str) -> str:
    quoted = [f"'{m}'" for m in missing]
    if len(quoted) == 1:
        listed = quoted[0]
    elif len(quoted) == 2:
        listed = f"{quoted[0]} and {quoted[1]}"
    else:
        listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    plural = "argument" if len(missing) == 1 else "arguments"
    return f"{name}() missing {len(missing)} required {kind} {plural}: {listed}"
