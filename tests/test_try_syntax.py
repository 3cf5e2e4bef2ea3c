"""The syntax of try/except/else/finally and raise: CPython's errors for a malformed try
(message, line and column, compared with CPython's own ``compile``) and the AST's nodes.
"""

from __future__ import annotations

import pytest

from gradcli.errors import ProgramSyntaxError
from gradcli.syntax import parse

SYNTAX_ERRORS = [
    "try:\n    x = 1\nprint(x)\n",
    "try:\n    x = 1\n",
    "try: x = 1\n",
    "if x:\n    try:\n        pass\nx = 2\n",
    "try:\n    x = 1\nelse:\n    pass\n",
    "try:\n    x = 1\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
    "try:\n    x = 1\nexcept ValueError, TypeError:\n    pass\n",
    "try:\n    x = 1\nexcept ValueError, TypeError as e:\n    pass\n",
    "except ValueError:\n    pass\n",
    "finally:\n    pass\n",
    "try:\n    x = 1\nfinally:\n    pass\nexcept:\n    pass\n",
    "try:\n    x = 1\nexcept:\n    pass\nelse:\n    pass\nelse:\n    pass\n",
    "try:\n    x = 1\nexcept ValueError as e.y:\n    pass\n",
    "try:\n    x = 1\nexcept (ValueError, TypeError) as e, f:\n    pass\n",
    "raise ValueError from\n",
    "raise X, Y\n",
    "try:\nx = 1\n",
    "try:\n    x = 1\nexcept:\npass\n",
    "try:\n    pass\nfinally:\npass\n",
    "try:\n    pass\nexcept:\n    pass\nelse:\npass\n",
]


@pytest.mark.parametrize("source", SYNTAX_ERRORS)
def test_malformed_try_is_cpythons_syntax_error(source):
    with pytest.raises(SyntaxError) as expected:
        compile(source, "t.py", "exec")
    with pytest.raises(ProgramSyntaxError) as got:
        parse(source, "t.py")
    kind = type(expected.value).__name__
    message = got.value.message
    if expected.value.msg == "invalid syntax":  # gradcli adds what it found and what would fit
        assert message.startswith(f"{kind}: invalid syntax")
    else:
        assert message == f"{kind}: {expected.value.msg}"
    assert got.value.span.line == expected.value.lineno
    assert got.value.span.column == max(expected.value.offset, 1)  # (CPython: 0 at a dedent)


@pytest.mark.parametrize("source,message", [
    ("try\n    x = 1\nexcept:\n    pass\n", "SyntaxError: missing ':' after 'try'"),
    ("try:\n    x = 1\nexcept ValueError\n    pass\n", "SyntaxError: missing ':' after 'except' clause"),
    ("try:\n    x = 1\nfinally\n    pass\n", "SyntaxError: missing ':' after 'finally'"),
    ("try:\n    x = 1\nexcept* ValueError:\n    pass\n",
     "SyntaxError: 'except*' (exception groups) is not supported by gradcli"),
])
def test_malformed_try_in_gradclis_words(source, message):
    with pytest.raises(ProgramSyntaxError) as got:
        parse(source, "t.py")
    assert got.value.message == message
    try:
        compile(source, "t.py", "exec")
    except SyntaxError as e:  # where CPython also refuses it, the same place
        assert (got.value.span.line, got.value.span.column) == (e.lineno, e.offset)


def test_try_nodes_are_pythons_and_every_node_has_a_span():
    from gradcli.syntax import ast

    source = ("try:\n    x = 1\nexcept (ValueError, KeyError) as e:\n    raise TypeError('t') from e\n"
              "except:\n    raise\nelse:\n    y = 2\nfinally:\n    z = 3\n")
    module = parse(source, "t.py")
    node = module.body[0]
    assert type(node).__name__ == "Try"
    assert [type(h).__name__ for h in node.handlers] == ["ExceptHandler", "ExceptHandler"]
    assert (node.handlers[0].name, node.handlers[1].type, node.handlers[1].name) == ("e", None, None)
    assert [type(s).__name__ for s in node.handlers[0].body + node.handlers[1].body] == ["Raise", "Raise"]
    names = [n.id for n in ast.walk(module) if type(n) is ast.Name]
    assert names == ["x", "ValueError", "KeyError", "TypeError", "e", "y", "z"]
    for n in ast.walk(module):
        assert n.span.file == "t.py" and n.span.line >= 1 and n.span.column >= 1
    assert (node.handlers[1].span.line, node.body[0].span.line, node.finalbody[0].span.line) == (5, 2, 10)
