"""Assignment targets to closures: ``=``, augmented assignment, ``del`` and unpacking.

``store(target)`` gives a closure ``store(f, value)``; ``for``, ``with``, ``def`` and
``import`` bind their names through it too.
"""

from __future__ import annotations

from itertools import islice

from gradcli.errors import ProgramRuntimeError, ProgramSyntaxError, Span
from gradcli.interp.compile_expr import INPLACE
from gradcli.interp.runtime import UNBOUND, error_at
from gradcli.interp.scope import Scope
from gradcli.syntax import ast


class AssignCompiler:
    """Mixed into the Compiler, next to ExprCompiler (``expr``, ``check_attribute``)."""

    def s_Assign(self, node, scope):
        value = self.expr(node.value, scope)
        stores = [self.store(t, scope) for t in node.targets]
        if len(stores) == 1:
            store = stores[0]
            target = node.targets[0]
            if type(target) is ast.Name and scope.kind == "module" and target.id not in self.ctx.skip:
                env, append, entry = self.ctx.env, self.ctx.assigned.append, (target.id, Span(*target.pos))
                name = target.id

                def run_global(f):
                    env[name] = value(f)
                    append(entry)
                return run_global

            def run(f):
                store(f, value(f))
            return run

        def run_many(f):
            v = value(f)
            for store in stores:
                store(f, v)
        return run_many

    def store(self, target: ast.Node, scope: Scope):
        """A closure ``store(f, value)`` binding ``value`` to the target."""
        kind = type(target)
        pos = target.pos
        if kind is ast.Name:
            return self.store_name(target.id, scope, pos)
        site = self.ctx.site
        if kind is ast.Attribute:
            self.check_attribute(target.attr, target.attr_pos)
            obj, name = self.expr(target.value, scope), target.attr
            where = Span(*pos)

            def store_attribute(f, value):
                o = obj(f)
                site.current = where
                try:
                    setattr(o, name, value)
                except Exception as e:
                    raise error_at(e, pos) from None
            return store_attribute
        if kind is ast.Subscript:
            obj, index = self.expr(target.value, scope), self.expr(target.index, scope)
            where = Span(*pos)

            def store_item(f, value):
                o = obj(f)
                key = index(f)
                site.current = where
                try:
                    o[key] = value
                except Exception as e:
                    raise error_at(e, pos) from None
            return store_item
        if kind in (ast.Tuple, ast.List):
            return self.store_unpack(target, scope)
        raise ProgramSyntaxError("SyntaxError: cannot assign to expression", Span(*pos))

    def store_name(self, name: str, scope: Scope, pos: tuple):
        where = scope.resolve(name)
        if where is not None:
            depth, index = where
            if depth != 0:  # not reachable: assignment makes a name local
                raise ProgramSyntaxError(f"SyntaxError: cannot assign to '{name}' here", Span(*pos))

            def store_local(f, value):
                f[index] = value
            return store_local
        ctx = self.ctx
        env, append, entry = ctx.env, ctx.assigned.append, (name, Span(*pos))
        if scope.kind != "module":
            def store_global_quiet(f, value):  # a comprehension at module level never gets here
                env[name] = value
            return store_global_quiet
        if name in ctx.skip:
            skip = ctx.skip

            def store_skippable(f, value):
                if name in skip:  # given by --set: the program's first assignment is skipped
                    skip.discard(name)
                    return
                env[name] = value
                append(entry)
            return store_skippable

        def store_global(f, value):
            env[name] = value
            append(entry)
        return store_global

    def store_unpack(self, target, scope):
        elts = target.elts
        stores = [self.store(e.value if type(e) is ast.Starred else e, scope) for e in elts]
        star = next((i for i, e in enumerate(elts) if type(e) is ast.Starred), None)
        n, pos = len(elts), target.pos

        def store_all(f, value):
            try:
                items = _unpack(value, n, star)
            except Exception as e:
                raise error_at(e, pos) from None
            for store, item in zip(stores, items):
                store(f, item)
        return store_all

    def s_AugAssign(self, node, scope):
        op = INPLACE[node.op]
        value = self.expr(node.value, scope)
        target = node.target
        site, where, pos = self.ctx.site, Span(*node.pos), node.pos
        if type(target) is ast.Name:
            load = self.expr(target, scope)
            store = self.store_name(target.id, scope, target.pos)

            def run_name(f):
                current = load(f)
                operand = value(f)
                site.current = where
                try:
                    result = op(current, operand)
                except Exception as e:
                    raise error_at(e, pos) from None
                store(f, result)
            return run_name
        obj = self.expr(target.value, scope)
        if type(target) is ast.Attribute:
            self.check_attribute(target.attr, target.attr_pos)
            name = target.attr

            def get(o, f):
                return getattr(o, name), name

            def put(o, key, v):
                setattr(o, key, v)
        else:
            index = self.expr(target.index, scope)

            def get(o, f):
                key = index(f)
                return o[key], key

            def put(o, key, v):
                o[key] = v

        def run_item(f):
            o = obj(f)
            try:
                current, key = get(o, f)
            except Exception as e:
                raise error_at(e, target.pos) from None
            operand = value(f)
            site.current = where
            try:
                put(o, key, op(current, operand))
            except Exception as e:
                raise error_at(e, pos) from None
        return run_item

    def s_Delete(self, node, scope):
        deletes = [self.delete(t, scope) for t in node.targets]

        def run(f):
            for delete in deletes:
                delete(f)
        return run

    def delete(self, target, scope):
        kind, pos = type(target), target.pos
        if kind is ast.Name:
            name = target.id
            where = scope.resolve(name)
            if where is not None:
                index = where[1]

                def delete_local(f):
                    if f[index] is UNBOUND:
                        raise ProgramRuntimeError(
                            f"UnboundLocalError: cannot access local variable '{name}' where it is "
                            "not associated with a value", Span(*pos))
                    f[index] = UNBOUND
                return delete_local
            env = self.ctx.env

            def delete_global(f):
                if env.pop(name, UNBOUND) is UNBOUND:
                    raise ProgramRuntimeError(f"NameError: name '{name}' is not defined", Span(*pos))
            return delete_global
        if kind in (ast.Tuple, ast.List):
            parts = [self.delete(e, scope) for e in target.elts]

            def delete_all(f):
                for part in parts:
                    part(f)
            return delete_all
        obj = self.expr(target.value, scope)
        if kind is ast.Attribute:
            self.check_attribute(target.attr, target.attr_pos)
            name = target.attr

            def delete_attribute(f):
                o = obj(f)
                try:
                    delattr(o, name)
                except Exception as e:
                    raise error_at(e, pos) from None
            return delete_attribute
        index = self.expr(target.index, scope)

        def delete_item(f):
            o = obj(f)
            key = index(f)
            try:
                del o[key]
            except Exception as e:
                raise error_at(e, pos) from None
        return delete_item


def _unpack(value, n: int, star: int | None) -> list:
    """Python's unpacking of ``value`` into n targets, one of them maybe starred, with its errors."""
    try:
        iterator = iter(value)
    except TypeError:
        raise TypeError(f"cannot unpack non-iterable {type(value).__name__} object") from None
    if star is None:
        items = list(islice(iterator, n + 1))
        if len(items) < n:
            raise ValueError(f"not enough values to unpack (expected {n}, got {len(items)})")
        if len(items) > n:
            raise ValueError(f"too many values to unpack (expected {n})")
        return items
    items = list(iterator)
    least = n - 1
    if len(items) < least:
        raise ValueError(f"not enough values to unpack (expected at least {least}, got {len(items)})")
    after = n - 1 - star
    return items[:star] + [items[star:len(items) - after]] + items[len(items) - after:]
