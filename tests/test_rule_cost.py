"""Every rule grows linearly with the document: on the sample repeated 16 times, each takes at most 20 times
what it takes on the sample once, and so do all of them together (the Oxigraph fast path, as
bench/rule_cost.py times it; pySHACL gives the same findings, tests/test_validators.py).

The repeated sample states each subject 16 times as often, so a rule that pairs the statements of one
subject (or one table kind) across the document would grow 256-fold: rules join on keys that stay bounded
(the sentence, the section, the table, the row) or pair a subject's distinct statements first."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.rule_cost import repeated, rule_seconds
from engine.pipeline import Audit, Settings, run

FLOOR_S = 0.05  # below this a rule's time on the sample is mostly the query's fixed cost


@pytest.mark.slow
def test_every_rule_grows_linearly(tmp_path: Path) -> None:
    seconds = {}
    for times in (1, 16):
        audit = run(repeated(times, tmp_path), Settings(through="graph"))
        assert isinstance(audit, Audit)
        seconds[times] = rule_seconds(audit)
    slow = {
        rule: (round(seconds[1][rule], 3), round(seconds[16][rule], 3))
        for rule in seconds[1]
        if seconds[16][rule] > 20 * max(seconds[1][rule], FLOOR_S)
    }
    assert not slow, f"rules more than 20× slower on the 16× sample (1×, 16× seconds): {slow}"
    total = {times: sum(s.values()) for times, s in seconds.items()}
    assert total[16] <= 20 * total[1], f"all rules: {total[1]:.2f} s on the sample, {total[16]:.2f} s on it 16×"
