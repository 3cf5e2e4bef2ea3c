"""Programs drawn from grammar/gradcli.lark with Hypothesis' ``from_lark``.

``from_lark`` concatenates terminals drawn from their regexes and knows nothing of our
layout postlexer (gradcli/syntax/lexer.py), which turns indentation into the declared
_INDENT/_DEDENT terminals. So generation runs on the same grammar with:

* _NEWLINE, _INDENT, _DEDENT drawn as the markers \\x03, \\x01, \\x02, which
  ``layout`` turns back into a newline and the indentation of the current depth;
* word terminals (keywords, NAME, NUMBER) followed by a space, so ``if`` and ``x``
  do not fuse into ``ifx``; NAME and NUMBER drawn mostly from a torch vocabulary,
  so programs reach the engine rather than stopping at the first NameError;
* strings drawn from a few literals (the regexes alone give mostly noise).
"""

from __future__ import annotations

import re

from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from gradcli.syntax.parser import grammar_text

NEWLINE, INDENT, DEDENT = "\x03", "\x01", "\x02"

NAMES = ["x", "y", "z", "w", "b", "i", "n", "f", "g", "h", "loss", "torch", "nn", "F", "ones",
         "zeros", "randn", "rand", "tensor", "arange", "sum", "mean", "backward", "grad",
         "requires_grad", "requires_grad_", "shape", "print", "len", "range", "float", "int",
         "exp", "log", "sin", "relu", "matmul", "mm", "view", "reshape", "T", "item", "detach",
         "functional", "autograd", "no_grad", "abs", "max", "min", "zero_", "retain_grad", "is_leaf",
         "grad_fn", "dtype", "float64", "cat", "stack", "softmax", "dim", "keepdim", "tolist",
         "register_hook", "clone", "sqrt", "pow", "linear", "mse_loss", "Parameter", "optim", "SGD",
         "step", "zip", "enumerate", "list", "dict", "isinstance", "str", "expand", "unsqueeze"]
NUMBERS = ["0", "1", "2", "3", "-1", "0.5", "1.0", "1e-3", "2.5", "10", "100", "0x10", "1e308",
           "3j", "1_000", "0.0", "4"]
STRINGS = ["'a'", '"x"', "'{}'", "f'{x}'", "''", "'sum'", "b'x'", "'''t'''", "r'\\n'", "f'{x=}'",
           "f'{x!r:>10}'", "'%d'"]


def _word(strategy):
    return strategy.map(lambda s: s + " ")


def _grammar() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="basic", start="file_input")


def program_strategy() -> st.SearchStrategy[str]:
    grammar = _grammar()
    terminals, _rules, _ignore = grammar.grammar.compile(["file_input"], ())
    explicit = {"_NEWLINE": st.just(NEWLINE), "_INDENT": st.just(INDENT), "_DEDENT": st.just(DEDENT),
                "NAME": _word(st.one_of(st.sampled_from(NAMES), st.from_regex(r"[a-z_][a-z0-9_]{0,6}",
                                                                            fullmatch=True))),
                "NUMBER": _word(st.sampled_from(NUMBERS)),
                "STRING": _word(st.sampled_from(STRINGS)),
                "LONG_STRING": _word(st.sampled_from(["'''a\nb'''", '"""doc"""'])),
                }
    for t in terminals:
        if t.name in explicit:
            continue
        if t.name in _ignore:  # spaces mostly; sometimes a tab, form feed or line continuation
            explicit[t.name] = (st.sampled_from([" ", " ", " ", "\t", "\f"]) if "\\" not in t.pattern.value
                                else st.just("\\\n"))
            continue
        if t.pattern.type == "str" and re.fullmatch(r"[A-Za-z]+", t.pattern.value):
            explicit[t.name] = st.just(t.pattern.value + " ")
        elif t.name in ("NOT_IN", "IS_NOT"):
            explicit[t.name] = st.just("not in " if t.name == "NOT_IN" else "is not ")
    return from_lark(grammar, start="file_input", explicit=explicit,
                     alphabet=st.characters(codec="ascii", exclude_characters="\x01\x02\x03")
                     ).map(layout)


def layout(drawn: str) -> str:
    """Markers to text: each \\x03 starts a line at the current depth (4 spaces a level)."""
    out: list[str] = []
    depth = 0
    at_line_start = True
    for ch in drawn:
        if ch == INDENT:
            depth += 1
        elif ch == DEDENT:
            depth = max(depth - 1, 0)
        elif ch == NEWLINE:
            out.append("\n")
            at_line_start = True
        elif at_line_start and ch in " \t\f":
            continue
        else:
            if at_line_start:
                out.append("    " * depth)
                at_line_start = False
            out.append(ch)
    return "".join(out) + "\n"
