"""Program text to AST: the grammar (grammar/gradcli.lark), its postlexer, and the AST nodes."""

from gradcli.syntax.parser import parse

__all__ = ["parse"]
