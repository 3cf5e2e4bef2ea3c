"""The LALR loop: Lark's parse table and our AST builder, driven by a tighter loop.

Lark builds the LALR(1) table from grammar/gradcli.lark; this loop only shifts and
reduces. A reduction does what Lark's tree builder would (drop filtered tokens,
splice inlined ``_rule`` children, add None for a missing ``[optional]``, pass a
``?rule``'s single child through) from a plan made once per rule, then calls the
builder's method directly: no Tree for an inlined rule, no wrapper calls, and a
unit rule costs no call at all. parser.py falls back to ``Lark.parse`` if this Lark
version lays out its internals differently.
"""

from __future__ import annotations

from functools import partial
from itertools import chain


class ParseError(Exception):
    """The token no action accepts, and the terminals that would have been accepted."""

    def __init__(self, token, expected: set[str]):
        super().__init__(token)
        self.token = token
        self.expected = expected


class TooDeep(ParseError):
    """The parser's stack passed MAX_STACK: right-recursive nesting such as ``not not ...``."""


# States on the stack: 200 brackets and 100 blocks, at their deepest, take a couple of
# thousand; a level of ``lambda: a if b else ...`` takes six, and CPython compiles 2,990
# levels of nesting, so this bounds the stack, not the depth (nesting.py does that).
MAX_STACK = 4 * 3000


class Driver:
    def __init__(self, states: dict, start_states: dict, end_states: dict) -> None:
        self.states = states
        self.start_states = start_states
        self.end_states = end_states
        self.units: dict[tuple, object] = {}  # (state below, top state, terminal) -> top state
        self.table: tuple | None = None  # the same, as plain data (see ``from_table``)

    @classmethod
    def from_lark(cls, lark_parser) -> Driver:
        inner = lark_parser.parser.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        table = inner.parse_table
        builder = lark_parser.options.transformer
        placeholders = lark_parser.options.maybe_placeholders
        prepared = {rule: _plan(rule, builder, placeholders) for rule in inner.callbacks
                    if hasattr(rule, "expansion")}
        shift = "Shift"
        driver = cls({
            state: {term: (True, arg) if action.name == shift else (False, prepared[arg])
                    for term, (action, arg) in row.items()}
            for state, row in table.states.items()
        }, dict(table.start_states), dict(table.end_states))
        # Plain data for the tables cache: a plan's callback by its builder method's name.
        plans, index = [], {}
        for rule, plan in prepared.items():
            if isinstance(plan[4], partial):  # a rule the builder has no method for: no cache
                return driver
            index[id(plan)] = len(plans)
            name = None if plan[4] is None else rule.alias or plan[5]
            plans.append(plan[:1] + (None if plan[1] is None else tuple(plan[1]),) + plan[2:4]
                         + (name,) + plan[5:])
        states = {state: {term: action if action[0] else (False, index[id(action[1])])
                          for term, action in row.items()}
                  for state, row in driver.states.items()}
        driver.table = (tuple(plans), states, driver.start_states, driver.end_states)
        return driver

    @classmethod
    def from_table(cls, table: tuple, builder) -> Driver:
        """The driver ``from_lark`` built, from its ``table`` data: no Lark needed."""
        plans, states, start_states, end_states = table
        plans = [plan[:4] + (None if plan[4] is None else getattr(builder, plan[4]),) + plan[5:]
                 for plan in plans]
        driver = cls({state: {term: action if action[0] else (False, plans[action[1]])
                              for term, action in row.items()}
                      for state, row in states.items()}, start_states, end_states)
        driver.table = table
        return driver

    def parse(self, tokens, start: str, end_token):  # noqa: C901 - one loop: it runs per token
        states = self.states
        state_stack = [self.start_states[start]]
        value_stack: list = []
        end_state = self.end_states[start]
        units = self.units
        for tok in chain(tokens, (end_token,)):
            kind = tok.type
            while True:
                try:
                    is_shift, arg = states[state_stack[-1]][kind]
                except KeyError:
                    raise ParseError(tok, _expected(states[state_stack[-1]])) from None
                if is_shift:
                    state_stack.append(arg)
                    value_stack.append(tok)
                    if len(state_stack) > MAX_STACK:
                        raise TooDeep(tok, set())
                    break
                size, kept, nones_after, single, callback, origin = arg
                if size < 0:  # unit rules: the value stays; only the top state changes
                    key = (state_stack[-2], state_stack[-1], kind)
                    top = units.get(key)
                    if top is None:
                        top = units[key] = self._after_units(state_stack[-2], state_stack[-1], kind, end_state)
                    state_stack[-1] = top
                    if kind == "$END" and top == end_state:
                        return value_stack[-1]
                    continue
                else:
                    if size == 1:
                        children = [value_stack.pop()]
                        state_stack.pop()
                    elif size:
                        children = value_stack[-size:]
                        del value_stack[-size:]
                        del state_stack[-size:]
                    else:
                        children = []
                    if kept is not None:
                        filtered = []
                        for i, splice, nones in kept:
                            if nones:
                                filtered += [None] * nones
                            if not splice:
                                filtered.append(children[i])
                            elif filtered:
                                filtered += children[i]
                            else:
                                filtered = children[i]
                        if nones_after:
                            filtered += [None] * nones_after
                        children = filtered
                    if single and len(children) == 1:
                        value_stack.append(children[0])
                    elif callback is None:
                        value_stack.append(children)
                    else:
                        value_stack.append(callback(children))
                state_stack.append(states[state_stack[-1]][origin][1])
                if kind == "$END" and state_stack[-1] == end_state:
                    return value_stack[-1]

    def _after_units(self, below, top, kind: str, end_state):
        """The top state after every unit reduction that ``kind`` triggers above state ``below``.

        A unit reduction pops one state and pushes goto(below, rule), so a run of them
        depends only on these three values; the loop looks the result up once per run.
        """
        states = self.states
        while top != end_state or kind != "$END":
            action = states[top].get(kind)
            if action is None or action[0] or action[1][0] >= 0:
                break
            top = states[below][action[1][5]][1]
        return top


def _plan(rule, builder, placeholders: bool) -> tuple:
    """How to reduce ``rule``: what Lark's tree builder would do, without its chain of wrappers.

    (size, kept, nones_after, single, callback, origin). ``kept`` lists (index, splice,
    Nones before) for the children Lark keeps, or is None when it keeps them all;
    ``splice`` marks an inlined ``_rule``, whose value is the plain list of its
    children. ``single`` is ``?rule``: one kept child is the value. ``callback`` is the
    builder's method, or None for an inlined rule. Size -1: a unit rule, nothing to do.
    Anything this does not model raises TypeError, and parser.py uses Lark's own loop.
    """
    expansion = rule.expansion
    options = rule.options
    origin = str(rule.origin.name)  # a lark Token compares in Python; a str in C
    if options.template_source:
        raise TypeError("template rule")
    if _passes_through(rule):
        return (-1, None, 0, True, None, origin)
    empty = options.empty_indices if placeholders else None
    if empty:
        runs = "".join(str(int(b)) for b in empty).split("0")
        before = [len(ones) for ones in runs]
    else:
        before = [0] * (len(expansion) + 1)
    kept, nones = [], 0
    for i, symbol in enumerate(expansion):
        nones += before[i]
        if options.keep_all_tokens or not (symbol.is_term and symbol.filter_out):
            kept.append((i, not symbol.is_term and symbol.name.startswith("_"), nones))
            nones = 0
    nones += before[len(expansion)]
    filters = bool(empty) or len(kept) < len(expansion) or any(splice for _, splice, _ in kept)
    single = bool(options.expand1 and not rule.alias)
    name = rule.alias or origin
    callback = getattr(builder, name, None)
    if getattr(callback, "visit_wrapper", None) is not None:
        raise TypeError("v_args callbacks")
    if origin.startswith("_"):  # inlined into its parents: its value is its children
        if callback is not None or single:
            raise TypeError("an inlined rule with its own callback")
    elif callback is None:
        default = builder.__default__
        callback = partial(_tree, default, name)
    return (len(expansion), kept if filters else None, nones if filters else 0, single, callback, origin)


def _tree(default, name, children):
    return default(name, children, None)


def _expected(row: dict) -> set[str]:
    return {name for name in row if name == "$END" or name.lstrip("_")[:1].isupper()}


def _passes_through(rule) -> bool:
    """True for ``?rule: x`` where Lark's callback would return the single child unchanged."""
    if not rule.options.expand1 or len(rule.expansion) != 1 or rule.alias:
        return False
    if rule.options.empty_indices:
        return False
    from lark.grammar import Terminal

    symbol = rule.expansion[0]
    if isinstance(symbol, Terminal):
        return not symbol.filter_out or rule.options.keep_all_tokens
    return not symbol.name.startswith("_")
