"""Expressions to closures: each AST node becomes ``ev(f) -> value`` once, before the run.

Names are resolved here (frame slot, enclosing frame, module dict or built-in), and
operators are picked here, so running a closure does no lookups by node type. Each
closure that can fail converts the exception once, with its own node's position;
those that may create a graph node first tell the engine where they are (its site).
"""

from __future__ import annotations

import operator

from gradcli.errors import ProgramRuntimeError, ProgramSyntaxError, Span
from gradcli.interp import builtins as bi
from gradcli.interp import bounded
from gradcli.interp.runtime import BLOCKED_TYPES, MISSING, UNBOUND, error_at
from gradcli.interp.scope import Scope
from gradcli.syntax import ast

BINARY = {
    "+": operator.add, "-": operator.sub, "*": bounded.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": bounded.pow_, "@": operator.matmul,
    "<<": bounded.lshift, ">>": operator.rshift, "&": operator.and_, "|": operator.or_,
    "^": operator.xor,
}
INPLACE = {
    "+": operator.iadd, "-": operator.isub, "*": bounded.imul, "/": operator.itruediv,
    "//": operator.ifloordiv, "%": operator.imod, "**": bounded.ipow, "@": operator.imatmul,
    "<<": bounded.ilshift, ">>": operator.irshift, "&": operator.iand, "|": operator.ior,
    "^": operator.ixor,
}
UNARY = {"-": operator.neg, "+": operator.pos, "~": operator.invert, "not": operator.not_}
COMPARE = {
    "<": operator.lt, ">": operator.gt, "==": operator.eq, ">=": operator.ge, "<=": operator.le,
    "!=": operator.ne, "is": operator.is_, "is not": operator.is_not,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}
# Attribute names that lead to Python's internals or to files, though they have no '_'.
DENIED_ATTRIBUTES = frozenset({
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "ag_frame", "ag_code",
    "tb_frame", "tb_next", "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "mro",
    "tofile", "dump", "ctypes", "fromfile", "load", "save",
})
# underscore names a program may read, never assign or delete: torch.Tensor's version counter and a
# view's base (tutorials on in-place ops print them), and ``__name__`` (``type(e).__name__``)
READ_ONLY_PRIVATE = frozenset({"_version", "_base", "__name__"})


def binary(op, left, right, site, where, pos):
    """The closure for ``left op right`` (arithmetic and single comparisons alike)."""
    def ev(f):
        a = left(f)
        b = right(f)
        site.current = where
        try:
            return op(a, b)
        except Exception as e:
            raise error_at(e, pos) from None
    return ev


def span(node: ast.Node) -> Span:
    return Span(*node.pos)


class ExprCompiler:
    def __init__(self, ctx) -> None:
        self.ctx = ctx  # the run's shared things: env, builtins, state, site, torch...

    # -------------------------------------------------------------- dispatch

    def expr(self, node: ast.Node, scope: Scope):
        method = getattr(self, "e_" + type(node).__name__, None)
        if method is None:
            raise ProgramSyntaxError(f"SyntaxError: {type(node).__name__} is not supported here",
                                     span(node))
        return method(node, scope)

    def e_Constant(self, node, scope):
        value = node.value

        def ev(f):
            return value

        ev.constant = value
        return ev

    def e_Name(self, node, scope):
        where = scope.resolve(node.id)
        if where is None:
            return self.global_load(node, scope)
        depth, index = where
        name, pos = node.id, node.pos
        if depth == 0:
            def ev(f):
                value = f[index]
                if value is UNBOUND:
                    raise ProgramRuntimeError(
                        f"UnboundLocalError: cannot access local variable '{name}' where it is not "
                        "associated with a value", Span(*pos))
                return value
            return ev

        def ev_outer(f):
            for _ in range(depth):
                f = f[0]
            value = f[index]
            if value is UNBOUND:
                raise ProgramRuntimeError(
                    f"NameError: cannot access free variable '{name}' where it is not associated with "
                    "a value in enclosing scope", Span(*pos))
            return value
        return ev_outer

    def global_load(self, node, scope):
        ctx = self.ctx
        name, pos = node.id, node.pos
        env = ctx.env
        fallback = ctx.builtins.get(name, MISSING)
        if fallback is MISSING and ctx.expr_mode:
            fallback = ctx.torch_names.get(name, MISSING)
        if fallback is not MISSING and name not in ctx.module_names and name not in env:
            def ev_builtin(f):
                return fallback
            return ev_builtin
        if fallback is MISSING and name in bi.WITHHELD and name not in ctx.module_names \
                and name not in env:
            raise ProgramSyntaxError(
                f"SyntaxError: '{name}' is not available in gradcli (built-ins: "
                f"{', '.join(bi.AVAILABLE)})", span(node))
        get = env.get

        def ev(f):
            value = get(name, fallback)
            if value is MISSING:
                raise ProgramRuntimeError(f"NameError: name '{name}' is not defined", Span(*pos),
                                          hint=ctx.suggest(name))
            return value
        return ev

    def e_BinOp(self, node, scope):
        op = BINARY[node.op]
        site, where, pos = self.ctx.site, span(node), node.pos
        left = self.expr(node.left, scope)
        right = self.expr(node.right, scope)
        if hasattr(right, "constant"):
            constant = right.constant

            def ev_const(f):
                a = left(f)
                site.current = where
                try:
                    return op(a, constant)
                except Exception as e:
                    raise error_at(e, pos) from None
            return ev_const
        return binary(op, left, right, site, where, pos)

    def e_UnaryOp(self, node, scope):
        operand_node = node.operand
        if node.op in "-+" and type(operand_node) is ast.Constant and type(operand_node.value) in (
                int, float, complex):  # fold -1 as Python does
            return self.e_Constant(ast.Constant(node.pos, UNARY[node.op](operand_node.value)), scope)
        op = UNARY[node.op]
        site, where, pos = self.ctx.site, span(node), node.pos
        operand = self.expr(operand_node, scope)

        def ev(f):
            a = operand(f)
            site.current = where
            try:
                return op(a)
            except Exception as e:
                raise error_at(e, pos) from None
        return ev

    def e_BoolOp(self, node, scope):
        parts = [(self.expr(v, scope), v.pos) for v in node.values]
        last = parts.pop()[0]
        is_and = node.op == "and"

        def ev(f):
            for part, pos in parts:
                value = part(f)
                try:
                    truth = not value
                except Exception as e:
                    raise error_at(e, pos) from None
                if truth == is_and:  # 'and' stops at a false value, 'or' at a true one
                    return value
            return last(f)
        return ev

    def e_Compare(self, node, scope):
        site, where, pos = self.ctx.site, span(node), node.pos
        left = self.expr(node.left, scope)
        if len(node.ops) == 1:
            op = COMPARE[node.ops[0]]
            return binary(op, left, self.expr(node.comparators[0], scope), site, where, pos)
        chain = [(COMPARE[op], self.expr(c, scope)) for op, c in zip(node.ops, node.comparators)]

        def ev_chain(f):
            a = left(f)
            result = True
            for op, right in chain:
                b = right(f)
                site.current = where
                try:
                    result = op(a, b)
                    if not result:
                        return result
                except Exception as e:
                    raise error_at(e, pos) from None
                a = b
            return result
        return ev_chain

    def e_IfExp(self, node, scope):
        test, body, orelse = (self.expr(n, scope) for n in (node.test, node.body, node.orelse))
        pos = node.test.pos

        def ev(f):
            value = test(f)
            try:
                truth = bool(value)
            except Exception as e:
                raise error_at(e, pos) from None
            return body(f) if truth else orelse(f)
        return ev

    def e_Attribute(self, node, scope):
        name = node.attr
        self.check_attribute(name, node.attr_pos, read=True)
        value = self.expr(node.value, scope)
        site, where, pos = self.ctx.site, span(node), node.pos
        module_type = self.ctx.module_type
        if name in ("format", "format_map"):
            make = bi.safe_format if name == "format" else bi.safe_format_map

            def ev_format(f):
                obj = value(f)
                if type(obj) is str:
                    return make(obj)
                try:
                    return getattr(obj, name)
                except Exception as e:
                    raise error_at(e, pos) from None
            return ev_format

        def ev(f):
            obj = value(f)
            site.current = where
            try:
                result = getattr(obj, name)
            except AttributeError as e:
                if type(obj) is module_type:
                    e = AttributeError(f"module '{obj.__name__}' has no attribute '{name}'")
                raise error_at(e, pos) from None
            except Exception as e:
                raise error_at(e, pos) from None
            if type(result) in BLOCKED_TYPES:
                raise ProgramRuntimeError(f"AttributeError: '{name}' is not available in gradcli",
                                          Span(*pos))
            return result
        return ev

    def check_attribute(self, name: str, pos: tuple, read: bool = False) -> None:
        if (name.startswith("_") and not (read and name in READ_ONLY_PRIVATE)) or name in DENIED_ATTRIBUTES:
            raise ProgramSyntaxError(
                f"SyntaxError: attribute '{name}' is not available in gradcli (names starting with "
                "'_' and a few others that reach Python's internals or files are withheld)", Span(*pos))

    def e_Subscript(self, node, scope):
        value = self.expr(node.value, scope)
        index = self.expr(node.index, scope)
        site, where, pos = self.ctx.site, span(node), node.pos

        def ev(f):
            obj = value(f)
            key = index(f)
            site.current = where
            try:
                return obj[key]
            except Exception as e:
                raise error_at(e, pos) from None
        return ev

    def e_Slice(self, node, scope):
        lower, upper, step = (self.expr(n, scope) if n is not None else None
                              for n in (node.lower, node.upper, node.step))

        def ev(f):
            return slice(lower(f) if lower else None, upper(f) if upper else None,
                         step(f) if step else None)
        return ev

    # -------------------------------------------------------------- displays

    def sequence(self, elts, scope):
        """A closure building a list from elements, expanding ``*starred`` ones."""
        parts = [(type(e) is ast.Starred, self.expr(e.value if type(e) is ast.Starred else e, scope),
                  e.pos) for e in elts]
        if not any(starred for starred, _, _ in parts):
            evs = [ev for _, ev, _ in parts]
            if len(evs) == 2:
                a, b = evs
                return lambda f: [a(f), b(f)]
            return lambda f: [ev(f) for ev in evs]

        def ev_starred(f):
            out = []
            for starred, ev, pos in parts:
                if starred:
                    value = ev(f)
                    try:
                        out.extend(value)
                    except TypeError as e:
                        raise error_at(TypeError(
                            f"Value after * must be an iterable, not {type(value).__name__}"), pos) from e
                else:
                    out.append(ev(f))
            return out
        return ev_starred

    def e_List(self, node, scope):
        return self.sequence(node.elts, scope)

    def e_Tuple(self, node, scope):
        build = self.sequence(node.elts, scope)
        return lambda f: tuple(build(f))

    def e_Set(self, node, scope):
        build = self.sequence(node.elts, scope)
        pos = node.pos

        def ev(f):
            try:
                return set(build(f))
            except TypeError as e:
                raise error_at(e, pos) from None
        return ev

    def e_Dict(self, node, scope):
        items = [(self.expr(k, scope) if k is not None else None, self.expr(v, scope), v.pos)
                 for k, v in zip(node.keys, node.values)]
        pos = node.pos

        def ev(f):
            out = {}
            for key, value, vpos in items:
                try:
                    if key is None:
                        out.update(value(f))
                    else:
                        out[key(f)] = value(f)
                except TypeError as e:
                    raise error_at(e, pos) from None
            return out
        return ev

    def e_Starred(self, node, scope):
        raise ProgramSyntaxError("SyntaxError: can't use starred expression here", span(node))

    # ------------------------------------------------------------- f-strings

    def e_JoinedStr(self, node, scope):
        parts = [self.expr(v, scope) for v in node.values]
        if len(parts) == 1:
            return parts[0]
        return lambda f: "".join([part(f) for part in parts])

    def e_FormattedValue(self, node, scope):
        value = self.expr(node.value, scope)
        spec = self.expr(node.format_spec, scope) if node.format_spec is not None else None
        convert = {"r": repr, "s": str, "a": ascii, None: None}[node.conversion]
        pos = node.value.pos

        def ev(f):
            v = value(f)
            try:
                if convert is not None:
                    v = convert(v)
                return format(v, spec(f) if spec is not None else "")
            except Exception as e:
                raise error_at(e, pos) from None
        return ev
