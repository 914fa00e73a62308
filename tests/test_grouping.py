"""One defect, one error (engine/grouping.py): a misprinted figure that several rules use is
reported once, the other errors listed under it as its consequences."""

from pathlib import Path

from rdflib import URIRef

from engine.output.text import audit as render_text
from engine.output.views import audit_view
from engine.pipeline import Audit
from engine.vocab import BK
from tests.conftest import ROOT, audit

SAMPLE = ROOT / "examples" / "shuimogou-union-2025.txt"
# 三、支出预算情况说明 of the sample, as printed: 基本支出 126.55 of a total of 136.30 (92.85%), +3.99 (3.26%).
PRINTED = "基本支出 126.55 万元，占 92.85%，比上年预算增加 3.99 万元，"
MISPRINTED = "基本支出 128.55 万元，占 92.85%，比上年预算增加 3.99 万元，"


def _planted(tmp_path: Path) -> Audit:
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(PRINTED) == 1
    planted = tmp_path / SAMPLE.name
    planted.write_text(text.replace(PRINTED, MISPRINTED), encoding="utf-8")
    return audit(planted)


def _roots(a: Audit) -> list:
    return [f for f in a.findings if f.severity == "error" and f.cause is None]


def test_one_misprinted_figure_is_one_error_with_its_consequences(tmp_path: Path) -> None:
    clean, planted = audit(SAMPLE), _planted(tmp_path)
    assert planted.count("error") == clean.count("error") + 1
    new = [f for f in _roots(planted) if any(e.source is not None and e.source.text == "128.55" for e in f.evidence)]
    assert len(new) == 1, [(f.rule, f.message) for f in _roots(planted)]
    root = new[0]
    assert root.rule == "BK-NAR-001"  # the narrative amount against the table's 126.55
    consequences = [f for f in planted.findings if f.cause is root]
    # The share 128.55 / 136.30 = 94.31% ≠ 92.85% and the rate 3.99 / 124.56 = 3.20% ≠ 3.26% rest on it.
    assert {"BK-ARI-001", "BK-ARI-002"} <= {f.rule for f in consequences}
    assert all(any(e.source is not None and e.source.text == "128.55" for e in f.evidence) for f in consequences)

    view = audit_view(planted)
    index = next(i for i, f in enumerate(planted.findings) if f is root)
    assert sorted(f["rule"] for f in view["findings"] if f.get("consequence_of") == index) == sorted(
        f.rule for f in consequences
    )
    text = render_text([planted])
    at = text.index(root.message)
    for f in consequences:
        assert f"↳ consequence: {f.rule} {f.message}" in text[at:]
    assert (URIRef(str(consequences[0].result)), BK.consequenceOf, URIRef(str(root.result))) in planted.report
