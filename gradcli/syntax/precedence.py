"""Operator precedence for the builder's flat ``operand op operand ...`` sequences.

The grammar gives every binary operator one rule (``operators``) so the LALR tables stay
small; precedence climbing here builds the BinOp/Compare/BoolOp tree, as Python binds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradcli.syntax import ast
from gradcli.syntax.messages import fail

if TYPE_CHECKING:  # the lexer imports this module's operator table (through nesting.py)
    from gradcli.syntax.lexer import Tok


class _Prefix:
    """A prefix operator waiting in an operator sequence."""

    __slots__ = ("op", "line", "column")

    def __init__(self, op, line, column):
        self.op = op
        self.line = line
        self.column = column


def unwrap_prefixes(node: ast.UnaryOp, items: list, parenthesized: set) -> None:
    while type(node) is ast.UnaryOp and id(node) not in parenthesized:
        items.append(_Prefix(node.op, node.pos[1], node.pos[2]))
        node = node.operand
    items.append(node)


# Binding power of binary operators (higher binds tighter), as in Python's grammar.
BINARY_POWER = {
    "or": 1, "and": 2,
    "<": 4, ">": 4, "==": 4, ">=": 4, "<=": 4, "!=": 4, "in": 4, "not in": 4, "is": 4, "is not": 4,
    "|": 5, "^": 6, "&": 7, "<<": 8, ">>": 8, "+": 9, "-": 9,
    "*": 10, "@": 10, "/": 10, "//": 10, "%": 10, "**": 12,
}
FLAT_POWERS = frozenset({1, 2, 4})  # or, and, comparisons: one BoolOp/Compare for the whole run
_NOT_POWER = 3
_UNARY_POWER = 11


class Climb:
    """Precedence climbing over [operand, op, operand, ...] where operands may carry prefixes."""

    __slots__ = ("items", "i", "builder")

    def __init__(self, items, builder):
        self.items = items
        self.i = 0
        self.builder = builder

    def expression(self, min_power: int):
        items = self.items
        first = items[self.i]
        self.i += 1
        if type(first) is _Prefix:
            if first.op == "not":
                if min_power >= _NOT_POWER:
                    fail("SyntaxError: invalid syntax: 'not' cannot follow an operator here "
                         "(put the 'not' expression in parentheses)", self.builder.file,
                         first.line, first.column)
                operand = self.expression(_NOT_POWER)
            else:
                operand = self.expression(_UNARY_POWER)
            end = operand.pos
            left = ast.UnaryOp((end[0], first.line, first.column, end[3], end[4]), first.op, operand)
        else:
            left = first
        n = len(items)
        while self.i < n:
            tok = items[self.i]
            op = _op_text(tok)
            power = BINARY_POWER[op]
            if power <= min_power:
                break
            if power == 4:
                left = self._compare(left)
            elif power <= 2:
                left = self._boolean(left, op, power)
            else:
                self.i += 1
                right = self.expression(_UNARY_POWER if op == "**" else power)
                left = ast.BinOp(self.builder._pos(left, right), left, op, right)
        return left

    def _compare(self, left):
        ops, comparators = [], []
        items = self.items
        while self.i < len(items):
            tok = items[self.i]
            op = _op_text(tok)
            if BINARY_POWER[op] != 4:
                break
            self.i += 1
            ops.append(op)
            comparators.append(self.expression(4))
        return ast.Compare(self.builder._pos(left, comparators[-1]), left, ops, comparators)

    def _boolean(self, left, op: str, power: int):
        values = [left]
        items = self.items
        while self.i < len(items) and items[self.i].value == op:
            self.i += 1
            values.append(self.expression(power))
        return ast.BoolOp(self.builder._pos(left, values[-1]), op, values)


def _op_text(tok: Tok) -> str:
    return " ".join(tok.value.split()) if tok.type in ("NOT_IN", "IS_NOT") else tok.value
