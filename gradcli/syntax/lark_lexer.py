"""GradLexer as Lark wants it: a subclass of Lark's Lexer (its own module so Lark's
tables cache can name it, and so ``lexer`` itself never imports Lark)."""

from __future__ import annotations

from lark.lexer import Lexer

from gradcli.syntax.lexer import GradLexer


class LarkGradLexer(GradLexer, Lexer):
    pass
