"""Lark callbacks that build the AST while the LALR parser reduces: one method per alias.

The parser calls these inline (no parse tree is built). A method receives the kept
children of its rule: AST nodes, Lark tokens, or None for a missing ``[optional]``.
"""

from __future__ import annotations

from gradcli.syntax import ast
from gradcli.syntax.checks import ASSIGNABLE, check_params, check_target, describe
from gradcli.syntax.lexer import Tok
from gradcli.syntax.messages import fail, fail_at
from gradcli.syntax.nesting import MAX_DEPTH, MESSAGE
from gradcli.syntax.precedence import Climb, unwrap_prefixes
from gradcli.syntax.strings import Field, decode_token

_BRACKETS = frozenset({"LPAR", "RPAR", "LSQB", "RSQB", "LBRACE", "RBRACE"})


def _start(x):
    if type(x) is Tok:
        return x.line, x.column
    p = x.pos
    return p[1], p[2]


def _end(x):
    if type(x) is Tok:
        return x.end_line, x.end_column
    p = x.pos
    return p[3], p[4]


class Builder:
    """Builds ``ast`` nodes; ``fstrings`` collects f-string fields to parse afterwards.

    Lark needs no Transformer base class: it looks the methods up by rule name (a
    rule with none would become a Tree; every rule has one), and so does driver.py.
    """

    def __init__(self) -> None:
        self.file = "<program>"
        self.fstrings: list[tuple[ast.FormattedValue, Field]] = []
        self.parenthesized: set[int] = set()  # ids of UnaryOp nodes written in parentheses

    def _pos(self, first, last=None) -> tuple:
        a = _start(first)
        b = _end(first if last is None else last)
        return (self.file, a[0], a[1], b[0], b[1])

    # ------------------------------------------------------------- statements

    def file_input(self, children):
        return ast.Module((self.file, 1, 1, 1, 1), children)

    def fstring_expr(self, children):
        return children[0]

    def suite(self, children):
        return children

    def expr_stmt(self, children):
        value = children[0]
        return ast.Expr(value.pos, value)

    def assign(self, children):
        *targets, value = children
        for target in targets:
            check_target(target, "=", len(targets) == 1)
        return ast.Assign(self._pos(targets[0], value), targets, value)

    def augassign(self, children):
        target, op, value = children
        if not isinstance(target, ASSIGNABLE):
            fail_at(f"SyntaxError: {describe(target, True)} is an illegal expression for augmented "
                    "assignment", target.span)
        return ast.AugAssign(self._pos(target, value), target, op.value[:-1], value)

    def pass_stmt(self, children):
        return ast.Pass(self._pos(children[0]))

    def break_stmt(self, children):
        return ast.Break(self._pos(children[0]))

    def continue_stmt(self, children):
        return ast.Continue(self._pos(children[0]))

    def return_stmt(self, children):
        keyword, value = children
        return ast.Return(self._pos(keyword, value or keyword), value)

    def del_stmt(self, children):
        keyword, target = children
        targets = target.elts if isinstance(target, ast.Tuple) else [target]
        for t in targets:
            check_target(t, "del", False)
        return ast.Delete(self._pos(keyword, target), targets)

    def assert_stmt(self, children):
        keyword, test, msg = children
        return ast.Assert(self._pos(keyword, msg or test), test, msg)

    def import_stmt(self, children):
        keyword, *names = children
        return ast.Import(self._pos(keyword, names[-1]), names)

    def dotted_name(self, children):
        return ast.Name(self._pos(children[0], children[-1]), ".".join(t.value for t in children))

    def dotted_as_name(self, children):
        name, asname = children
        return ast.Alias(self._pos(name, asname or name), name.id, asname and str(asname))

    def import_as_name(self, children):
        name, asname = children
        return ast.Alias(self._pos(name, asname or name), str(name), asname and str(asname))

    def import_star(self, children):
        return ast.Alias(self._pos(children[0]), "*", None)

    def from_stmt(self, children):
        keyword, module, *names = children
        names = [n for n in names if not isinstance(n, Tok)]
        return ast.ImportFrom(self._pos(keyword, names[-1]), module.id, names)

    def if_stmt(self, children):
        keyword, test, body, *clauses = children
        orelse = clauses.pop() or []
        if len(clauses) > MAX_DEPTH:  # each elif is an If nested in the one before (CPython: ~2,990)
            fail(MESSAGE, *clauses[MAX_DEPTH][0])
        for clause_pos, clause_test, clause_body in reversed(clauses):
            orelse = [ast.If(clause_pos, clause_test, clause_body, orelse)]
        return ast.If(self._pos(keyword, test), test, body, orelse)

    def elif_clause(self, children):
        keyword, test, body = children
        return (self._pos(keyword, test), test, body)

    def else_clause(self, children):
        return children[0]

    def while_stmt(self, children):
        keyword, test, body, orelse = children
        return ast.While(self._pos(keyword, test), test, body, orelse or [])

    def for_stmt(self, children):
        keyword, target, iterable, body, orelse = children
        check_target(target, "for", False)
        return ast.For(self._pos(keyword, iterable), target, iterable, body, orelse or [])

    def with_stmt(self, children):
        keyword, *items, body = children
        return ast.With(self._pos(keyword, items[-1]), items, body)

    def with_item(self, children):
        context, target = children
        if target is not None:
            check_target(target, "with", False)
        return ast.WithItem(self._pos(context, target or context), context, target)

    def try_stmt(self, children):
        keyword, body, *handlers, orelse, finalbody = children
        for handler in handlers[:-1]:
            if handler.type is None:
                fail("SyntaxError: default 'except:' must be last", *handler.pos[:3])
        return ast.Try(self._pos(keyword), body, handlers, orelse or [], finalbody or [])

    def try_finally(self, children):
        keyword, body, finalbody = children
        return ast.Try(self._pos(keyword), body, [], [], finalbody)

    def except_clause(self, children):
        keyword, kind, name, body = children
        return ast.ExceptHandler(self._pos(keyword, name or kind or keyword), kind, name and str(name), body)

    def finally_clause(self, children):
        return children[1]

    def raise_stmt(self, children):
        keyword, exc, cause = children
        return ast.Raise(self._pos(keyword, cause or exc or keyword), exc, cause)

    def decorated(self, children):
        *decorators, func = children
        func.decorators = decorators
        return func

    def decorator(self, children):
        return children[0]

    def funcdef(self, children):
        keyword, name, params, _returns, body = children
        return ast.FunctionDef(self._pos(keyword, name), str(name), params or [], body)

    def parameters(self, children):
        return check_params(children)

    def param(self, children):
        name, _annotation, default = children
        return ast.Param(self._pos(name, default or name), str(name), "positional", default)

    def star_param(self, children):
        return ast.Param(self._pos(children[0]), str(children[0]), "varargs")

    def kwargs_param(self, children):
        return ast.Param(self._pos(children[0]), str(children[0]), "varkw")

    def bare_star(self, children):
        return ast.Param(self._pos(children[0]), "*", "star")

    # ------------------------------------------------------------ expressions

    def tuple(self, children):
        return ast.Tuple(self._pos(children[0], children[-1]), children)

    def empty_tuple(self, children):
        return ast.Tuple(self._pos(children[0], children[-1]), [])

    def star_expr(self, children):
        return ast.Starred(children[0].pos, children[0])

    def ifexp(self, children):
        body, test, orelse = children
        return ast.IfExp(self._pos(body, orelse), test, body, orelse)

    def lambdef(self, children):
        keyword, params, body = children
        return ast.Lambda(self._pos(keyword, body), params or [], body)

    def lambda_params(self, children):
        return check_params(children)

    def lambda_param(self, children):
        name, default = children
        return ast.Param(self._pos(name, default or name), str(name), "positional", default)

    lambda_star = star_param  # the same token in a lambda's parameter list
    lambda_kwargs = kwargs_param

    def operators(self, children):
        """A flat ``operand op operand ...`` sequence; precedence is applied here."""
        items: list = []
        for child in children:
            if type(child) is ast.UnaryOp and id(child) not in self.parenthesized:
                unwrap_prefixes(child, items, self.parenthesized)
            else:
                items.append(child)
        return Climb(items, self).expression(0)

    def prefixed(self, children):
        op, operand = children
        if (op.value != "not" and type(operand) is ast.UnaryOp and operand.op == "not"
                and id(operand) not in self.parenthesized):
            fail("SyntaxError: invalid syntax: 'not' cannot follow an operator here (put the 'not' "
                 "expression in parentheses)", self.file, operand.pos[1], operand.pos[2])
        return ast.UnaryOp(self._pos(op, operand), op.value, operand)

    def paren(self, children):
        inner = children[1]
        self.parenthesized.add(id(inner))
        return inner

    def call(self, children):
        func = children[0]
        args, keywords = children[1] if len(children) == 3 else ([], [])
        return ast.Call(self._pos(func, children[-1]), func, args, keywords)

    def arguments(self, children):
        args, keywords = [], []
        seen = set()
        for arg in children:
            if isinstance(arg, ast.Keyword):
                if arg.arg is not None:
                    if arg.arg in seen:
                        fail_at(f"SyntaxError: keyword argument repeated: {arg.arg}", arg.span)
                    seen.add(arg.arg)
                keywords.append(arg)
            else:
                if keywords and not isinstance(arg, ast.Starred):
                    unpacking = any(k.arg is None for k in keywords)
                    fail_at("SyntaxError: positional argument follows keyword argument"
                            + (" unpacking" if unpacking else ""), arg.span)
                if keywords and any(k.arg is None for k in keywords):
                    fail_at("SyntaxError: iterable argument unpacking follows keyword argument "
                            "unpacking", arg.span)
                args.append(arg)
        return args, keywords

    def genexp_argument(self, children):
        key, elt, generators = children[0]
        return [ast.Comp(self._pos(elt, generators[-1]), "gen", key, elt, generators)], []

    def kwarg(self, children):
        name, value = children
        return ast.Keyword(self._pos(name, value), str(name), value)

    def star_arg(self, children):
        return ast.Starred(children[0].pos, children[0])

    def kwargs_arg(self, children):
        return ast.Keyword(children[0].pos, None, children[0])

    def subscript(self, children):
        value, index, close = children
        if isinstance(index, ast.Slice) and index.pos is None:
            index.pos = self._pos(value, close)
        return ast.Subscript(self._pos(value, close), value, index)

    def attribute(self, children):
        value, name = children
        return ast.Attribute(self._pos(value, name), value, str(name), self._pos(name))

    def slice(self, children):
        lower, colon, upper, _colon2, step = children
        return ast.Slice(self._pos(lower or colon, step or upper or _colon2 or colon), lower, upper, step)

    def genexp(self, children):
        return self._comp("gen", children)

    def listcomp(self, children):
        return self._comp("list", children)

    def setcomp(self, children):
        return self._comp("set", children)

    def dictcomp(self, children):
        return self._comp("dict", children)

    def _comp(self, kind, children):
        open_, (key, elt, generators), close = children
        return ast.Comp(self._pos(open_, close), kind, key, elt, generators)

    def comprehension(self, children):
        elt, *clauses = children
        return (None, elt, _generators(clauses))

    def dict_comprehension(self, children):
        key, value, *clauses = children
        return (key, value, _generators(clauses))

    def comp_for(self, children):
        target, iterable = children
        check_target(target, "for", False)
        return ast.Comprehension(self._pos(target, iterable), target, iterable, [])

    def comp_if(self, children):
        return ("if", children[0])

    def list(self, children):
        return ast.List(self._pos(children[0], children[-1]), children[1:-1])

    def set(self, children):
        return ast.Set(self._pos(children[0], children[-1]), children[1:-1])

    def dict(self, children):
        keys, values = [], []
        items = children[1:-1]
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, _DictUnpack):
                keys.append(None)
                values.append(item.value)
                i += 1
            else:
                keys.append(item)
                values.append(items[i + 1])
                i += 2
        return ast.Dict(self._pos(children[0], children[-1]), keys, values)

    def dict_unpack(self, children):
        return _DictUnpack(children[0])

    def name(self, children):
        tok = children[0]
        return ast.Name((self.file, tok.line, tok.column, tok.end_line, tok.end_column), tok.value)

    def number(self, children):
        tok = children[0]
        return ast.Constant(self._pos(tok), _number(tok, self.file))

    def strings(self, children):
        pieces: list = []
        for tok in children:
            lit = decode_token(str(tok), self.file, tok.line, tok.column)
            if lit.parts is None:
                pieces.append(lit.value)
            else:
                pieces.extend(self._fields(lit.parts))
        pos = self._pos(children[0], children[-1])
        if all(type(p) is str for p in pieces):
            return ast.Constant(pos, "".join(pieces))
        return ast.JoinedStr(pos, _merge_text(pieces, pos))

    def _fields(self, parts):
        out = []
        for part in parts:
            if type(part) is str:
                out.append(part)
                continue
            spec = None
            if part.spec is not None:
                spec_pos = (self.file, part.line, part.column, part.line, part.column)
                spec = ast.JoinedStr(spec_pos, _merge_text(self._fields(part.spec), spec_pos))
            value = ast.FormattedValue((self.file, part.line, part.column, part.line,
                                        part.column + len(part.text)), None, part.conversion,
                                       spec, part.debug_text)
            self.fstrings.append((value, part))
            if part.debug_text is not None:
                out.append(part.debug_text)
            out.append(value)
        return out

    def ellipsis(self, children):
        return ast.Constant(self._pos(children[0]), ...)

    def const_none(self, children):
        return ast.Constant(self._pos(children[0]), None)

    def const_true(self, children):
        return ast.Constant(self._pos(children[0]), True)

    def const_false(self, children):
        return ast.Constant(self._pos(children[0]), False)


class _DictUnpack:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _generators(clauses) -> list[ast.Comprehension]:
    generators: list[ast.Comprehension] = []
    for clause in clauses:
        if isinstance(clause, tuple):
            generators[-1].ifs.append(clause[1])
        else:
            generators.append(clause)
    return generators


def _merge_text(pieces: list, pos: tuple) -> list[ast.Node]:
    """Adjacent literal texts become one Constant; fields stay as they are."""
    out: list[ast.Node] = []
    text: list[str] = []
    for piece in pieces:
        if type(piece) is str:
            text.append(piece)
            continue
        if text:
            out.append(ast.Constant(pos, "".join(text)))
            text = []
        out.append(piece)
    if text:
        out.append(ast.Constant(pos, "".join(text)))
    return out


def _number(tok: Tok, file: str):
    text = str(tok).replace("_", "")
    if text[-1] in "jJ":
        return complex(0, float(text[:-1]))
    if text[:2].lower() in ("0x", "0o", "0b"):
        return int(text, 0)
    if "." in text or "e" in text or "E" in text:
        return float(text)
    if len(text) > 1 and text[0] == "0" and text.strip("0"):
        fail("SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o "
             "prefix for octal integers", file, tok.line, tok.column)
    if len(text) > 4300:
        fail("SyntaxError: integer literal too long", file, tok.line, tok.column)
    return int(text)
