"""Each shape file stands alone: it declares the prefixes its query uses, so either validator runs it
without the other files (validated alone, a shape that leaned on another file's bk:prefixes failed
on the fast path with "Prefix not found")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.validate import SHAPES_DIR, validate
from tests.conftest import ROOT
from tests.golden import case_graph

CROSSDOC_SHAPES = ROOT / "ontology" / "crossdoc-shapes"
SHAPES = sorted([*SHAPES_DIR.glob("*.ttl"), *CROSSDOC_SHAPES.glob("*.ttl")])


@pytest.mark.parametrize("shape", SHAPES, ids=lambda p: p.stem)
def test_a_shape_alone_runs_on_both_validators(shape: Path, tmp_path: Path) -> None:
    alone = tmp_path / "shapes"
    alone.mkdir()
    shutil.copy(shape, alone / shape.name)
    data = case_graph(shape.stem, "breaks")
    fast = validate(data, engine="fast", shapes=alone)[1]
    slow = validate(data, engine="pyshacl", shapes=alone)[1]
    # the same results (messages may print a computed decimal differently: 136.3 / 136.30)
    assert [(f.rule, f.value) for f in fast] == [(f.rule, f.value) for f in slow]
    assert {f.rule for f in fast} <= {shape.stem}
