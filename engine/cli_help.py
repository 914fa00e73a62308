"""Help text that reads like a Unix tool's: a choice shows its choices, a value a word (PATH, TEXT, N),
a flag nothing; never a Python type name such as `<list[Path]>` or `--help <bool>`."""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption

_WORDS = {"path": "PATH", "str": "TEXT", "int": "N", "float": "NUMBER"}


def _placeholder(param: Any, ctx: Any) -> str | None:  # noqa: ANN401 - typer's parameter and context
    """What help prints after a parameter's name."""
    if param.metavar:
        return str(param.metavar)
    if isinstance(param, TyperArgument) or getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None  # an argument is shown by its name, a flag by itself
    label = param.display_type(ctx).strip("<>").removeprefix("list[").removesuffix("]")  # a repeatable option
    return f"[{label}]" if "|" in label else _WORDS.get(label, label.upper())


def plain_placeholders() -> None:
    """Make every command's help print `_placeholder` in place of typer's type labels."""
    TyperArgument.display_type_rich = _placeholder  # type: ignore[method-assign, assignment]
    TyperOption.display_type_rich = _placeholder  # type: ignore[method-assign, assignment]
