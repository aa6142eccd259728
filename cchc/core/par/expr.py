"""A safe arithmetic evaluator for the formulas printed in criteria sets.

    compile_expression("(b/a)*1.00 + (c/a)*0.50")  -> Expression (names {"a", "b", "c"})
    expression.evaluate({"a": Decimal(4), "b": Decimal(2), "c": Decimal(2)}) -> Decimal("0.75")

Parsed with `ast`; only numbers, names, + - * / (binary and unary) and parentheses are allowed,
everything is computed in Decimal. Division by zero raises `ZeroDivision` naming the divisor.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Expression", "ExpressionError", "ZeroDivision", "compile_expression"]


class ExpressionError(ValueError):
    """An expression that is not plain arithmetic over names; the message is Vietnamese."""


class ZeroDivision(ArithmeticError):
    """A divisor evaluated to 0; `divisor` is its source text."""

    def __init__(self, divisor: str):
        super().__init__(divisor)
        self.divisor = divisor


_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def _check(node: ast.AST, text: str) -> None:
    if isinstance(node, ast.Expression):
        _check(node.body, text)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, _BINARY):
        _check(node.left, text)
        _check(node.right, text)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        _check(node.operand, text)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name):
        pass
    else:
        raise ExpressionError(
            f"Công thức «{text}» chỉ được dùng số, tên biến, + - * / và dấu ngoặc "
            f"(gặp «{ast.unparse(node) if not isinstance(node, ast.Expression) else text}»)."
        )


@dataclass(frozen=True)
class Expression:
    text: str
    tree: ast.Expression
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal:
        """The value; a missing name raises KeyError(name), a zero divisor ZeroDivision."""
        return _eval(self.tree.body, values, self.text)


def compile_expression(text: str) -> Expression:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("Công thức trống.")
    if len(text) > 500:
        raise ExpressionError("Công thức dài quá 500 ký tự.")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"Công thức «{text}» viết sai cú pháp.") from exc
    _check(tree, text)
    names = frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))
    return Expression(text.strip(), tree, names)


def _eval(node: ast.AST, values: Mapping[str, Decimal], text: str) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return Decimal(values[node.id])
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, values, text)
        return -value if isinstance(node.op, ast.USub) else value
    assert isinstance(node, ast.BinOp)
    left = _eval(node.left, values, text)
    right = _eval(node.right, values, text)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if right == 0:
        raise ZeroDivision(ast.unparse(node.right))
    try:
        return left / right
    except InvalidOperation as exc:  # pragma: no cover - guarded above
        raise ZeroDivision(ast.unparse(node.right)) from exc
