"""The output registry: every renderer it lists exists, and every format module is listed."""

from __future__ import annotations

from engine.output import RENDERERS, renderer
from tests.conftest import ROOT


def test_every_registered_renderer_is_a_function() -> None:
    assert all(callable(renderer(what, fmt)) for what, by_format in RENDERERS.items() for fmt in by_format)


def test_every_format_module_is_registered() -> None:
    listed = {target.partition(":")[0] for by_format in RENDERERS.values() for target in by_format.values()}
    modules = {f"engine.output.{p.stem}" for p in (ROOT / "engine" / "output").glob("*.py")}
    assert modules - {"engine.output.__init__", "engine.output.views"} == listed
