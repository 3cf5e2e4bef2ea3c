"""The checks CPython's parser makes on a well-formed program: assignment targets and
parameter lists.  The builder calls them as it reduces, so they point at the source.
"""

from __future__ import annotations

from gradcli.syntax import ast
from gradcli.syntax.messages import fail_at

ASSIGNABLE = (ast.Name, ast.Attribute, ast.Subscript)


def check_target(target, context: str, single: bool) -> None:
    """CPython's errors for what cannot be assigned (``=``, ``for``, ``with``) or deleted."""
    if isinstance(target, ASSIGNABLE):
        return
    if isinstance(target, (ast.Tuple, ast.List)):
        starred = [e for e in target.elts if isinstance(e, ast.Starred)]
        if len(starred) > 1:
            fail_at("SyntaxError: multiple starred expressions in assignment", starred[1].span)
        for elt in target.elts:
            check_target(elt.value if isinstance(elt, ast.Starred) else elt, context, False)
        return
    if isinstance(target, ast.Starred) and context != "del":
        fail_at("SyntaxError: starred assignment target must be in a list or tuple", target.span)
    what = describe(target, False)
    if context == "del":
        fail_at(f"SyntaxError: cannot delete {what}", target.span)
    hint = " here. Maybe you meant '==' instead of '='?" if single and context == "=" and not \
        isinstance(target, (ast.BinOp, ast.Compare, ast.BoolOp)) else ""
    fail_at(f"SyntaxError: cannot assign to {what}{hint}", target.span)


def check_params(params: list[ast.Param]) -> list[ast.Param]:
    """Python's rules on parameter order; marks keyword-only parameters."""
    seen: set[str] = set()
    keyword_only = False
    default_seen = False
    for i, p in enumerate(params):
        if p.kind != "star":
            if p.name in seen:
                fail_at(f"SyntaxError: duplicate argument '{p.name}' in function definition", p.span)
            seen.add(p.name)
        if p.kind in ("star", "varargs"):
            if keyword_only:
                fail_at("SyntaxError: * argument may appear only once", p.span)
            keyword_only = True
            if p.kind == "star" and (i + 1 == len(params) or params[i + 1].kind == "varkw"):
                fail_at("SyntaxError: named arguments must follow bare *", p.span)
        elif p.kind == "varkw":
            if i + 1 != len(params):
                fail_at("SyntaxError: arguments cannot follow var-keyword argument", params[i + 1].span)
        elif keyword_only:
            p.kind = "keyword_only"
        elif p.default is not None:
            default_seen = True
        elif default_seen:
            fail_at("SyntaxError: non-default argument follows default argument", p.span)
    return params


def describe(node, augmented: bool) -> str:
    """How CPython names an expression it cannot assign to."""
    if isinstance(node, ast.Call):
        return "function call"
    if isinstance(node, ast.Constant):
        if node.value is None or node.value is True or node.value is False or node.value is ...:
            return repr(node.value)
        return "literal"
    if isinstance(node, ast.JoinedStr):
        return "f-string expression"
    if isinstance(node, ast.Lambda):
        return "lambda"
    if isinstance(node, ast.IfExp):
        return "conditional expression"
    if isinstance(node, ast.Compare):
        return "comparison"
    if isinstance(node, ast.Comp):
        return {"list": "list comprehension", "gen": "generator expression",
                "set": "set comprehension", "dict": "dict comprehension"}[node.kind]
    if isinstance(node, ast.Dict):
        return "dict literal"
    if isinstance(node, ast.Set):
        return "set display"
    if augmented and isinstance(node, ast.Tuple):
        return "'tuple'"
    if augmented and isinstance(node, ast.List):
        return "'list'"
    if augmented:
        return "'expression'"
    return "expression"
