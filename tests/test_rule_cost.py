"""Rules that join on keys (table, row, section, subject) grow linearly with the document: on the sample
repeated 16 times, each takes at most 20 times what it takes on the sample once (the Oxigraph fast path,
as bench/rule_cost.py times it; pySHACL gives the same findings, tests/test_validators.py).

Rules that pair the statements of one subject across the whole document (one change stated twice, a
figure said not to be arranged) still grow with the square of how often a subject is stated, which the
repeated sample raises 16-fold; bench/rule_cost.py prints every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.rule_cost import repeated, rule_seconds
from engine.pipeline import Audit, Settings, run

LINEAR = [
    "BK-ARI-002",
    "BK-EMP-002",
    "BK-LBL-010",
    "BK-NAR-001",
    "BK-NAR-002",
    "BK-NVN-001",
    "BK-NVN-002",
    "BK-NVN-004",
    "BK-TAB-001",
    "BK-TAB-002",
    "BK-TAB-003",
    "BK-TAB-006",
    "BK-ZERO-001",
    "BK-ZERO-002",
]
FLOOR_S = 0.05  # below this a rule's time on the sample is mostly the query's fixed cost


@pytest.mark.slow
def test_key_joined_rules_grow_linearly(tmp_path: Path) -> None:
    seconds = {}
    for times in (1, 16):
        audit = run(repeated(times, tmp_path), Settings(through="graph"))
        assert isinstance(audit, Audit)
        seconds[times] = rule_seconds(audit)
    slow = {
        rule: (round(seconds[1][rule], 3), round(seconds[16][rule], 3))
        for rule in LINEAR
        if seconds[16][rule] > 20 * max(seconds[1][rule], FLOOR_S)
    }
    assert not slow, f"rules more than 20× slower on the 16× sample (1×, 16× seconds): {slow}"
