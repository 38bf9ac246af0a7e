"""Control-relation grammar: a safe parser (Python ``ast``, never ``eval``) and its Polars form.

A check is ``<sum> <op> <sum>`` (see docs/architecture.md): a sum is ``+``/``-`` of terms, a
term is a line code, ``votes_total``, a number, ``number * term`` or ``max(a, b)``/``min(a, b)``.
The left side is the *actual* figure, the right side the *expected* one. ``parse`` turns the
text into a small tree of tuples; ``evaluate`` folds that tree with caller-given primitives, so
the same tree gives a ``pl.Expr`` here and a pandas Series in the benchmark reference.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl

VOTES_TOTAL = "votes_total"
OPERATORS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.LtE: "<=",
    ast.GtE: ">=",
    ast.Lt: "<",
    ast.Gt: ">",
}
FUNCTIONS = ("max", "min")

# A parsed side: ("line", code) | ("num", value) | ("add"|"sub", a, b) | ("mul", number, a)
# | ("max"|"min", a, b).
Node = tuple[Any, ...]
T = TypeVar("T")


class RelationSyntaxError(ValueError):
    """A control relation does not follow the grammar."""


@dataclass(frozen=True)
class Comparison:
    """A parsed relation: ``actual <op> expected`` and the protocol lines it reads."""

    op: str
    actual: Node
    expected: Node
    lines: frozenset[str]


def _side(node: ast.expr, options: Sequence[str]) -> Node:
    """Translate one side of the comparison, refusing anything outside the grammar."""
    if isinstance(node, ast.Name):
        if node.id == VOTES_TOTAL:
            if not options:
                raise RelationSyntaxError("votes_total needs the election's options")
            tree: Node = ("line", options[0])
            for line in options[1:]:
                tree = ("add", tree, ("line", line))
            return tree
        return ("line", node.id)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return ("num", float(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return ("mul", -1.0, _side(node.operand, options))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        name = "add" if isinstance(node.op, ast.Add) else "sub"
        return (name, _side(node.left, options), _side(node.right, options))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = _side(node.left, options), _side(node.right, options)
        if left[0] == "num":
            return ("mul", left[1], right)
        if right[0] == "num":
            return ("mul", right[1], left)
        raise RelationSyntaxError("'*' needs a number on one side")
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and len(node.args) == 2
        and not node.keywords
    ):
        return (node.func.id, _side(node.args[0], options), _side(node.args[1], options))
    raise RelationSyntaxError(f"not allowed in a control relation: {ast.dump(node)[:60]}")


def _lines(tree: Node) -> set[str]:
    """Return the protocol lines a tree reads."""
    if tree[0] == "line":
        return {tree[1]}
    if tree[0] == "num":
        return set()
    return set().union(*(_lines(child) for child in tree[1:] if isinstance(child, tuple)))


def parse(check: str, options: Sequence[str] = ()) -> Comparison:
    """Parse a relation text; ``votes_total`` expands to the sum of ``options``."""
    try:
        body = ast.parse(check.strip(), mode="eval").body
    except SyntaxError as exc:
        raise RelationSyntaxError(f"cannot parse {check!r}") from exc
    if not isinstance(body, ast.Compare) or len(body.ops) != 1 or type(body.ops[0]) not in OPERATORS:
        raise RelationSyntaxError(f"{check!r} is not one comparison with == <= >= < >")
    actual, expected = _side(body.left, options), _side(body.comparators[0], options)
    return Comparison(OPERATORS[type(body.ops[0])], actual, expected, frozenset(_lines(actual) | _lines(expected)))


def evaluate(
    tree: Node,
    column: Callable[[str], T],
    number: Callable[[float], T],
    maximum: Callable[[T, T], T],
    minimum: Callable[[T, T], T],
) -> T:
    """Fold a parsed side with backend primitives (columns, literals, max, min)."""

    def fold(node: Node) -> Any:
        kind = node[0]
        if kind == "line":
            return column(node[1])
        if kind == "num":
            return number(node[1])
        if kind == "mul":
            return node[1] * fold(node[2])
        left, right = fold(node[1]), fold(node[2])
        return {"add": lambda: left + right, "sub": lambda: left - right,
                "max": lambda: maximum(left, right), "min": lambda: minimum(left, right)}[kind]()

    return fold(tree)


def to_polars(tree: Node) -> pl.Expr:
    """Return a parsed side as a Float64 ``pl.Expr`` over a frame with one column per line."""
    return evaluate(
        tree,
        column=lambda name: pl.col(name).cast(pl.Float64),
        number=lambda value: pl.lit(value, dtype=pl.Float64),
        maximum=lambda a, b: pl.max_horizontal(a, b),
        minimum=lambda a, b: pl.min_horizontal(a, b),
    )


def compare(op: str, actual: Any, expected: Any) -> Any:
    """Apply a comparison operator to two operands (Polars expressions or Series)."""
    return {
        "==": lambda: actual == expected,
        "<=": lambda: actual <= expected,
        ">=": lambda: actual >= expected,
        "<": lambda: actual < expected,
        ">": lambda: actual > expected,
    }[op]()
