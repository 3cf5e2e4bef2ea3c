"""How deep the expression on a very long line nests, watched token by token.

CPython refuses an expression nested much past 3,000 levels (``RecursionError:
maximum recursion depth exceeded during compilation`` for ``1 + 1 + ...`` with 2,993
operators), and gradcli's interpreter compiles the AST recursively too. A chain of
operators or of trailers (``a.b.c``, ``f()()``, ``a[0][0]``) is flat for the LALR
parser, so only the tree built at the end was too deep: a 10 MB line ``x = 1 + 1 + ...``
was lexed, parsed and built in full (half a minute) before being refused. The lexer
hands the tokens of any logical line longer than ``WATCH_FROM`` characters to
``Nesting``, which refuses at the token that takes a chain past ``MAX_DEPTH``.
Right-recursive nesting (``not not ...``, ``lambda: lambda: ...``) grows the parser's
stack instead, and driver.py bounds that.

The count is a lower bound of the tree's depth, so a valid program is never refused:
within one bracket level, operators of one binding power that no weaker operator or
separator (``,``, ``:``, ``=``, ``if``...) comes between build one left-deep chain
(right-deep for ``**``); comparisons, ``and`` and ``or`` build one flat node.
"""

from __future__ import annotations

from gradcli.syntax.messages import fail
from gradcli.syntax.precedence import BINARY_POWER, FLAT_POWERS

MAX_DEPTH = 3000  # operators in one chain, or trailers on one operand (CPython: ~2,990)
WATCH_FROM = 4000  # characters: a shorter line cannot hold a chain of MAX_DEPTH

MESSAGE = "SyntaxError: too many nested expressions"

_ATOMS = frozenset({"NAME", "NUMBER", "STRING", "LONG_STRING", "NONE", "TRUE", "FALSE", "ELLIPSIS"})
_OPEN = frozenset({"(", "[", "{"})
_CLOSE = frozenset({")", "]", "}"})
_PREFIX_ONLY = frozenset({"not", "~"})
_WORD_OPERATORS = {"NOT_IN": "not in", "IS_NOT": "is not"}  # their text varies in spacing


class Nesting:
    """The open operator chains and the trailer count at each bracket level of one line."""

    __slots__ = ("file", "outer", "chain", "trail", "operand", "after_dot")

    def __init__(self, file: str) -> None:
        self.file = file
        self.outer: list[tuple] = []  # the enclosing bracket levels' (chain, trail)
        self.chain: list[list[int]] = []  # [power, operators] with rising power: open chains
        self.trail = 0  # trailers on the operand being read
        self.operand = False  # the last token ended an operand
        self.after_dot = False

    def see(self, kind: str, value: str, line: int, column: int) -> None:
        if kind in _ATOMS:
            if self.after_dot:  # the NAME of ``.name``: the trailer goes on
                self.after_dot = False
            elif self.operand:  # two operands in a row: another expression (or an error)
                self.chain = []
                self.trail = 0
            else:
                self.trail = 0
            self.operand = True
            return
        self.after_dot = False
        power = BINARY_POWER.get(_WORD_OPERATORS.get(kind, value))
        if power is not None and self.operand:
            self._operator(power, line, column)
        elif value == ".":
            self.trail += 1
            self._check(self.trail, line, column)
            self.after_dot = True
            self.operand = False
        elif value in _OPEN:
            if self.operand and value != "{":  # a call or a subscript
                self.trail += 1
                self._check(self.trail, line, column)
            else:
                self.trail = 0
            self.outer.append((self.chain, self.trail))
            self.chain, self.trail, self.operand = [], 0, False
        elif value in _CLOSE:
            self.chain, self.trail = self.outer.pop() if self.outer else ([], 0)
            self.operand = True
        else:  # a prefix operator, or a separator: ``,`` ``:`` ``=`` ``if`` ``for`` ``lambda``...
            if power is None and value not in _PREFIX_ONLY:
                self.chain = []
            self.trail = 0
            self.operand = False

    def _operator(self, power: int, line: int, column: int) -> None:
        chain = self.chain
        while chain and chain[-1][0] > power:
            chain.pop()
        if power in FLAT_POWERS:
            if not chain or chain[-1][0] != power:
                chain.append([power, 0])
        elif chain and chain[-1][0] == power:
            chain[-1][1] += 1
            self._check(chain[-1][1], line, column)
        else:
            chain.append([power, 1])
        self.trail = 0
        self.operand = False

    def _check(self, depth: int, line: int, column: int) -> None:
        if depth > MAX_DEPTH:
            fail(MESSAGE, self.file, line, column)
