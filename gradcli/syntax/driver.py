"""The LALR loop: Lark's parse table and Lark's callbacks, driven by a tighter loop.

Lark builds the LALR(1) table from grammar/gradcli.lark and the callbacks that build
our AST; this loop only shifts and reduces. It differs from Lark's own loop in one
way: a unit rule that Lark would pass through (``?rule: other``) is reduced without
calling anything. Those are most of the reductions in an expression, and skipping
their call makes long programs parse several times faster. parse.py falls back to
``Lark.parse`` if this Lark version lays out its internals differently.
"""

from __future__ import annotations

from lark.grammar import Terminal


class ParseError(Exception):
    """The token no action accepts, and the terminals that would have been accepted."""

    def __init__(self, token, expected: set[str]):
        super().__init__(token)
        self.token = token
        self.expected = expected


class Driver:
    def __init__(self, lark_parser) -> None:
        inner = lark_parser.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        table = inner.parse_table
        callbacks = inner.callbacks
        prepared = {}
        for rule, callback in callbacks.items():
            if not hasattr(rule, "expansion"):
                continue
            prepared[rule] = (len(rule.expansion), None if _passes_through(rule) else callback,
                              rule.origin.name)
        shift = "Shift"
        self.states = {
            state: {term: (True, arg) if action.name == shift else (False, prepared[arg])
                    for term, (action, arg) in row.items()}
            for state, row in table.states.items()
        }
        self.start_states = table.start_states
        self.end_states = table.end_states

    def parse(self, tokens, start: str, end_token):
        states = self.states
        state_stack = [self.start_states[start]]
        value_stack: list = []
        end_state = self.end_states[start]
        for tok in tokens:
            kind = tok.type
            while True:
                try:
                    is_shift, arg = states[state_stack[-1]][kind]
                except KeyError:
                    raise ParseError(tok, _expected(states[state_stack[-1]])) from None
                if is_shift:
                    state_stack.append(arg)
                    value_stack.append(tok)
                    break
                size, callback, origin = arg
                if callback is None:  # a unit rule: the value stays as it is
                    state_stack.pop()
                else:
                    if size:
                        children = value_stack[-size:]
                        del value_stack[-size:]
                        del state_stack[-size:]
                    else:
                        children = []
                    value_stack.append(callback(children))
                state_stack.append(states[state_stack[-1]][origin][1])
        tok = end_token
        while True:
            try:
                is_shift, arg = states[state_stack[-1]]["$END"]
            except KeyError:
                raise ParseError(tok, _expected(states[state_stack[-1]])) from None
            size, callback, origin = arg
            if callback is None:
                state_stack.pop()
            else:
                if size:
                    children = value_stack[-size:]
                    del value_stack[-size:]
                    del state_stack[-size:]
                else:
                    children = []
                value_stack.append(callback(children))
            state_stack.append(states[state_stack[-1]][origin][1])
            if state_stack[-1] == end_state:
                return value_stack[-1]


def _expected(row: dict) -> set[str]:
    return {name for name in row if name == "$END" or name.lstrip("_")[:1].isupper()}


def _passes_through(rule) -> bool:
    """True for ``?rule: x`` where Lark's callback would return the single child unchanged."""
    if not rule.options.expand1 or len(rule.expansion) != 1 or rule.alias:
        return False
    if rule.options.empty_indices:
        return False
    symbol = rule.expansion[0]
    if isinstance(symbol, Terminal):
        return not symbol.filter_out or rule.options.keep_all_tokens
    return not symbol.name.startswith("_")
