"""Python's scoping, decided at compile time: which names are locals, and in which frame.

A name bound anywhere in a function body (assignment, ``for``, ``with ... as``, ``except ... as``,
``def``, ``import``, ``del``, parameters) is local to that function; other names
come from enclosing functions (closures) or the module. Comprehensions have their
own scope for their targets, as in Python 3.
"""

from __future__ import annotations

from gradcli.syntax import ast


class Scope:
    """``kind`` is 'module', 'function' or 'comprehension'; function-like scopes own slots."""

    def __init__(self, kind: str, parent: Scope | None, names: list[str] | None = None,
                 qualname: str = ""):
        self.kind = kind
        self.parent = parent
        self.slots: dict[str, int] = {}
        self.qualname = qualname
        for name in names or ():
            self.slot(name)

    def slot(self, name: str) -> int:
        index = self.slots.get(name)
        if index is None:
            index = self.slots[name] = len(self.slots) + 1  # slot 0 is the parent frame
        return index

    @property
    def size(self) -> int:
        return len(self.slots) + 1

    def resolve(self, name: str):
        """(depth, slot) for a local of this or an enclosing function, or None for a global."""
        depth, scope = 0, self
        while scope is not None and scope.kind != "module":
            if name in scope.slots:
                return depth, scope.slots[name]
            depth += 1
            scope = scope.parent
        return None

    def in_function(self) -> bool:
        scope = self
        while scope is not None:
            if scope.kind == "function":
                return True
            scope = scope.parent
        return False


def bound_names(body: list[ast.Node]) -> list[str]:
    """Names a block binds, in order of first appearance, not looking into nested scopes."""
    names: dict[str, None] = {}
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Assign:
            for target in node.targets:
                target_names(target, names)
        elif kind is ast.AugAssign:
            target_names(node.target, names)
        elif kind is ast.For:
            target_names(node.target, names)
            stack.extend(reversed(node.body + node.orelse))
        elif kind is ast.While:
            stack.extend(reversed(node.body + node.orelse))
        elif kind is ast.If:
            stack.extend(reversed(node.body + node.orelse))
        elif kind is ast.With:
            for item in node.items:
                if item.target is not None:
                    target_names(item.target, names)
            stack.extend(reversed(node.body))
        elif kind is ast.Try:
            for handler in node.handlers:
                if handler.name is not None:
                    names[handler.name] = None
            stack.extend(reversed(node.body + [s for h in node.handlers for s in h.body] + node.orelse
                                  + node.finalbody))
        elif kind is ast.FunctionDef:
            names[node.name] = None
        elif kind is ast.Delete:
            for target in node.targets:
                target_names(target, names)
        elif kind is ast.Import:
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = None
        elif kind is ast.ImportFrom:
            for alias in node.names:
                if alias.name != "*":
                    names[alias.asname or alias.name] = None
    return list(names)


def target_names(target: ast.Node, names: dict) -> None:
    kind = type(target)
    if kind is ast.Name:
        names[target.id] = None
    elif kind in (ast.Tuple, ast.List):
        for elt in target.elts:
            target_names(elt, names)
    elif kind is ast.Starred:
        target_names(target.value, names)
