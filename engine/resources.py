"""Where the package's data lives: `ontology/` and `grammar/`, the one place that knows.

The repository keeps them at its top level; a wheel carries them inside the package as
`engine/ontology` and `engine/grammar` (pyproject.toml maps them), read with importlib.resources.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

DATA_DIRS = ("ontology", "grammar")


@cache
def _installed_root() -> Path | None:
    """The package directory when it carries the data (an installed wheel), else None."""
    package = Path(str(files("engine")))
    return package if all((package / d).is_dir() for d in DATA_DIRS) else None


def checkout() -> Path | None:
    """The source checkout this package runs from, None when it runs from an installed wheel."""
    root = Path(str(files("engine"))).parent
    return root if _installed_root() is None and (root / "pyproject.toml").is_file() else None


def data_path(*parts: str) -> Path:
    """A file or directory under ontology/ or grammar/, e.g. data_path("ontology", "shapes")."""
    if parts[0] not in DATA_DIRS:
        raise ValueError(f"{parts[0]!r} is not a data directory of the package")
    base = _installed_root() or Path(str(files("engine"))).parent
    return base.joinpath(*parts)
