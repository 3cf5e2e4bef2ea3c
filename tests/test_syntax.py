"""The parser: every construct, positions, encodings and layout, and syntax error wording."""

from __future__ import annotations

import pytest

from gradcli.errors import ProgramSyntaxError
from gradcli.syntax import ast, parse


def body(source):
    return parse(source, "t.py").body


def test_every_statement_kind_parses():
    source = (
        "import torch\nimport torch.nn as nn\nfrom torch.autograd import Variable, grad\n"
        "x = torch.tensor([1., .5, 1e-3], requires_grad=True)\n"
        "g, = grad(x.sum(), x)\na, b = 1, 2\nx.grad = None\nw.data[0] = 999\n"
        "a += 1; b -= 1\nif a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n"
        "while a < 3:\n    a += 1\n    continue\nfor i in range(3):\n    break\n"
        "with torch.no_grad():\n    y = x * 2\n"
        "def f(p, q=1, *r, s, **t):\n    return lambda u: u + p\n"
        "assert a, 'msg'\ndel a\nh = x.register_hook(lambda g: g * 2)\n"
        "@torch.no_grad()\ndef k():\n    pass\n"
    )
    kinds = [type(s).__name__ for s in body(source)]
    assert kinds == ["Import", "Import", "ImportFrom", "Assign", "Assign", "Assign", "Assign", "Assign",
                     "AugAssign", "AugAssign", "If", "While", "For", "With", "FunctionDef", "Assert",
                     "Delete", "Assign", "FunctionDef"]


def test_expressions_keep_python_precedence():
    (stmt,) = body("y = -x ** 2 + a * b @ c - d / e // f % g\n")
    v = stmt.value
    assert (v.op, v.left.op) == ("-", "+")
    assert type(v.left.left) is ast.UnaryOp and v.left.left.operand.op == "**"
    (stmt,) = body("z = not a == b < c and d or e is not f and g not in h\n")
    assert stmt.value.op == "or" and stmt.value.values[0].values[0].op == "not"
    assert stmt.value.values[0].values[0].operand.ops == ["==", "<"]
    assert stmt.value.values[1].values[1].ops == ["not in"]


def test_positions_are_one_based_line_and_column():
    (_, stmt) = body("import torch\ny = torch.sin(x)  # 注释\n")
    call = stmt.value
    assert (call.pos[1], call.pos[2]) == (2, 5)
    assert call.span.file == "t.py"
    assert (call.args[0].pos[1], call.args[0].pos[2]) == (2, 15)


def test_encodings_and_line_endings():
    source = "# 中文注释 コメント\r\nx = 1\r\nif x:\r\n    y = 2  # 日本語\r\nprint(y)"
    for text in (source, source.encode("utf-8"), b"\xef\xbb\xbf" + source.encode("utf-8"), "\ufeff" + source):
        stmts = parse(text, "t.py").body
        assert [type(s).__name__ for s in stmts] == ["Assign", "If", "Expr"]
        assert stmts[2].pos[1] == 5


def test_continuation_inside_brackets_and_after_backslash():
    stmts = body("x = (1 +\n     2)\ny = [1,\n\n  # c\n     2]\nz = 1 + \\\n    2\nw = 3\n")
    assert [s.pos[1] for s in stmts] == [1, 3, 7, 9]


def test_fstring_fields_are_parsed_at_their_position():
    (stmt,) = body('print(f"{loss.item():.4f} and {x!r:>3} {y=}")\n')
    joined = stmt.value.args[0]
    fields = [v for v in joined.values if type(v) is ast.FormattedValue]
    assert type(fields[0].value) is ast.Call and fields[0].value.pos[1:3] == (1, 10)
    assert fields[1].conversion == "r" and fields[2].debug_text == "y="


SYNTAX_ERRORS = [
    ("while x < 3\n    x += 1\n", 1, 12, "SyntaxError: missing ':' after 'while' condition"),
    ("if x == 1\n    pass\n", 1, 10, "SyntaxError: missing ':' after 'if' condition"),
    ("def f(x)\n    return x\n", 1, 9, "SyntaxError: missing ':' after function signature"),
    ("x = foo(1,\n        2\ny = 3\n", 1, 8, "SyntaxError: '(' opened at 1:8 was never closed"),
    ("x = [1, 2\n", 1, 5, "SyntaxError: '[' opened at 1:5 was never closed"),
    ("x = (1]\n", 1, 7, "SyntaxError: closing parenthesis ']' does not match opening parenthesis '('"),
    ("x = 1)\n", 1, 6, "SyntaxError: unmatched ')'"),
    ("if x:\npass\n", 2, 1, "IndentationError: expected an indented block after 'if' statement on line 1"),
    ("  x = 1\n", 1, 3, "IndentationError: unexpected indent"),
    ("x = 1\n    y = 2\n", 2, 5, "IndentationError: unexpected indent"),
    ("if x:\n    a\n  b\n", 3, 3, "IndentationError: unindent does not match any outer indentation level"),
    ("if x:\n\tx = 1\n        y = 2\n", 3, 9, "TabError: inconsistent use of tabs and spaces in indentation"),
    ("s = 'abc\n", 1, 5, "SyntaxError: unterminated string literal (detected at line 1)"),
    ('s = """abc\n\n', 1, 5, "SyntaxError: unterminated triple-quoted string literal (detected at line 2)"),
    ("z=4xx\n", 1, 3, "SyntaxError: invalid decimal literal"),
    ("x = = 2\n", 1, 5, "SyntaxError: invalid syntax: unexpected '=' (expected an expression)"),
    ("f(a b)\n", 1, 5, "SyntaxError: invalid syntax. Perhaps you forgot a comma?"),
    ("if x = 3:\n    pass\n", 1, 6, "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?"),
    ("print 'hi'\n", 1, 1, "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?"),
    ("x = y，z\n", 1, 6, "SyntaxError: invalid character '，' (U+FF0C)"),
    ("f() = 3\n", 1, 1, "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?"),
    ("def f(a=1, b):\n    pass\n", 1, 12, "SyntaxError: non-default argument follows default argument"),
    ("f(x=1, 2)\n", 1, 8, "SyntaxError: positional argument follows keyword argument"),
    ("x = 007\n", 1, 5, "SyntaxError: leading zeros in decimal integer literals are not permitted; "
                        "use an 0o prefix for octal integers"),
]


@pytest.mark.parametrize("source,line,column,message", SYNTAX_ERRORS)
def test_syntax_error_wording_and_position(source, line, column, message):
    with pytest.raises(ProgramSyntaxError) as info:
        parse(source, "t.py")
    assert info.value.message == message
    assert (info.value.span.line, info.value.span.column) == (line, column)
    assert info.value.span.file == "t.py"


@pytest.mark.parametrize("word", ["class", "global", "yield", "nonlocal"])
def test_unsupported_constructs_say_so(word):
    with pytest.raises(ProgramSyntaxError) as info:
        parse(f"x = 1\n{word} A:\n    pass\n", "t.py")
    assert info.value.message.startswith(f"SyntaxError: '{word}' is not supported by gradcli (supported: ")
    assert info.value.span.line == 2


@pytest.mark.parametrize("source", [
    b"\xff\xfe\x00junk", b"x = 1\n\xc3(\n", "(" * 10_000, "[" * 10_000 + "]" * 10_000,
    "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "".join(" " * i + "if x:\n" for i in range(0, 10_000, 1)),
    "x = 1\n" + "y = '" + "a" * 10_000_000, "\t x = 1\n", "if x:\n \ty\n\t z\n", "x = 1\0\n",
    "\x00", "'''", "f'{'", "f'{x!z}'", "f'}'", "@\n", "def f(:\n", "lambda: (yield)\n",
])
def test_broken_input_ends_in_a_syntax_error(source):
    with pytest.raises(ProgramSyntaxError) as info:
        parse(source, "t.py")
    assert info.value.span is not None and info.value.span.line >= 1


def test_deeply_nested_blocks_are_refused_not_crashed():
    source = "".join("    " * i + "if x:\n" for i in range(150)) + "    " * 150 + "pass\n"
    with pytest.raises(ProgramSyntaxError) as info:
        parse(source, "t.py")
    assert "too many levels of indentation" in info.value.message


def test_long_operator_chains_parse():
    # CPython compiles a chain of up to 2,992 '+' and refuses 2,993 (too deep to compile)
    module = parse("y = " + " + ".join(["x"] * 2990) + "\n", "t.py")
    assert type(module.body[0].value) is ast.BinOp
