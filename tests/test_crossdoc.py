"""Cross-document rules (ontology/crossdoc-shapes/) on a store: the corpus and planted mismatches (their
golden cases are in tests/cases/BK-XDOC-00N.toml, run by tests/test_rules_golden.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.crossdoc import SHAPES_DIR, crossdoc
from engine.store import open_store
from engine.storing import load_into_store
from engine.validate import Finding, rules
from tests.conftest import CORPUS, ROOT, assert_valid_output

WANLI = [f"wanli-street-{year}-dept-budget" for year in (2023, 2024, 2025)]
TWINS = [f"{unit}-2025-{scope}-budget" for unit in ("district-office", "commerce") for scope in ("dept", "unit")]


def load(tmp: Path, paths: list[Path]) -> str:
    store = str(tmp / "store")
    assert load_into_store(paths, store, None) == 0
    return store


def findings(store: str, engine: str = "fast") -> list[Finding]:
    with open_store(store) as st:
        return crossdoc(st, engine=engine)[1]


def places(finding: Finding) -> set[str]:
    return {f"{e.source.file}:{e.source.line}" for e in finding.evidence if e.source}


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seven documents the cross-document rules compare: three consecutive years, two pairs of twins."""
    return load(tmp_path_factory.mktemp("corpus"), [CORPUS / f"{stem}.txt" for stem in WANLI + TWINS])


def test_corpus_has_no_cross_document_finding(corpus_store: str) -> None:
    """Checked by hand in the documents (万元, each figure ± 0.005万元):

    BK-XDOC-001, wanli-street (部门, 预算), every 比上年预算 sentence whose prior year is in the store:
    - 2024:73-76  财政拨款收入/支出, 一般公共预算 15621.11 减少 876.75 → 15621.11 + 876.75 = 16497.86;
      2023:69-71 prints 16497.86 (and 164,978,6xx元 in its tables). 政府性基金, 国有资本 0 持平 → 0; 2023:71-72 print 0.
    - 2024:798-803 三公 47.91 增加 25 → 22.91 (2023:796 22.91); 公务用车购置及运行 46.56 增加 25 → 21.56
      (2023:798 21.56); 购置 25 增加 25 → 0 (2023:798 0); 运行 21.56 持平, 接待 1.35 持平, 出国 0 持平
      (2023:797-800 21.56, 1.35, 0).
    - 2025:73-76  18976.76 增加 3355.65 → 18976.76 − 3355.65 = 15621.11 (2024:73-75 15621.11); 政府性基金, 国有资本 0 持平.
    - 2025:755-760 三公 37.91 减少 10 → 47.91 (2024:798 47.91, its table 2024:791 too, although the note 2024:794 calls that table empty);
      公务用车 36.56 减少 10 → 46.56 (2024:800); 购置 15 减少 10 → 25 (2024:800); 运行 21.56, 接待 1.35, 出国 0 持平.
    - 2023's changes are against 2022 (no document); every item's "比20XX年预算执行数" is a 执行数
      (prior_actual), not the prior budget, and is not compared: 2024:141 其他社会保障和就业支出 2023年执行数
      1410.22 while 2023:145 budgeted 1331.27, which is no error. The twins are 2025 documents with no 2024 document.
    BK-XDOC-002, district-office and commerce 2025: the 单位 copy prints the same narrative amounts as the
    部门 copy (district-office-unit:86-140 vs -dept:71-107; commerce-unit:96-134 vs -dept:100-138), and both
    copies' tables print the same figures (收入总计 91,016,775.35元 and 371,514,655.00元 in both; the 单位
    tables only add the 人员经费/公用经费 split): no figure fits the twin's tables without fitting its own.
    """
    assert [(f.rule, f.message) for f in findings(corpus_store)] == []


def test_planted_cross_year_mismatch(tmp_path: Path) -> None:
    """wanli-street-2024:798 「2024年“三公”经费预算数为47.91万元，比2023年预算增加25万元」 with 25 changed
    to 35: 47.91 − 35 = 12.91 ± 0.505万元 for 2023, whose document prints 22.91 (2023:796)."""
    planted = tmp_path / "wanli-street-2024-dept-budget.txt"
    lines = (CORPUS / planted.name).read_text(encoding="utf-8").split("\n")
    assert "比2023年预算增加25万元" in lines[797]
    lines[797] = lines[797].replace("比2023年预算增加25万元", "比2023年预算增加35万元")
    planted.write_text("\n".join(lines), encoding="utf-8")
    store = load(tmp_path, [CORPUS / "wanli-street-2023-dept-budget.txt", planted])
    (f,) = findings(store)
    assert f.rule == "BK-XDOC-001" and f.severity == "error"
    assert "12.91" in f.message and "22.91" in f.message
    assert {"wanli-street-2024-dept-budget.txt:798", "wanli-street-2023-dept-budget.txt:796"} <= places(f)


def test_planted_twin_figure(tmp_path: Path) -> None:
    """district-office-2025-unit:94 「…行政运行”科目1,202.95万元」 is the 部门 copy's sentence (dept:79); the 单位's
    行政运行 rows (unit:166, 208, 268) changed from 12,029,501.84元 to 10,029,501.84元: 1,202.95万元 fits the 部门's
    12,029,501.84元 (dept:140) but none of the 单位's own cells for 行政运行 (10,029,501.84, 11,919,501.84,
    110,000.00): the 单位 narrative kept the 部门 figure."""
    planted = tmp_path / "district-office-2025-unit-budget.txt"
    text = (CORPUS / planted.name).read_text(encoding="utf-8")
    assert text.count("12,029,501.84") == 4  # twice on line 166 (合计, 财政拨款收入), once on 208 and 268
    planted.write_text(text.replace("12,029,501.84", "10,029,501.84"), encoding="utf-8")
    store = load(tmp_path, [CORPUS / "district-office-2025-dept-budget.txt", planted])
    (f,) = findings(store)
    assert f.rule == "BK-XDOC-002" and "1,202.95" in f.message
    with open_store(store) as st:
        assert [d.meta["file"] for d in st.documents() if d.iri == f.focus] == [planted.name]
    assert {"district-office-2025-unit-budget.txt:94", "district-office-2025-dept-budget.txt:79"} <= places(f)
    assert "district-office-2025-dept-budget.txt:140" in places(f)


def test_crossdoc_rules_are_separate_from_document_rules() -> None:
    assert {r.id for r in rules(SHAPES_DIR)} == {"BK-XDOC-001", "BK-XDOC-002"}
    assert not any(r.id.startswith("BK-XDOC") for r in rules())


def test_cli_crossdoc(tmp_path: Path) -> None:
    """`budget-kg crossdoc --store` exits 1 on an error and prints file:line of both documents; json too."""
    planted = tmp_path / "wanli-street-2025-dept-budget.txt"
    text = (CORPUS / planted.name).read_text(encoding="utf-8")
    planted.write_text(text.replace("比2024年预算减少10万元。其中", "比2024年预算减少20万元。其中"), encoding="utf-8")
    store = load(tmp_path, [CORPUS / "wanli-street-2024-dept-budget.txt", planted])

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "engine.cli", "crossdoc", "--store", store, *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)

    text_run = run()
    assert text_run.returncode == 1, text_run.stderr
    assert "BK-XDOC-001" in text_run.stdout
    assert "wanli-street-2025-dept-budget.txt:755" in text_run.stdout
    assert "wanli-street-2024-dept-budget.txt:798" in text_run.stdout
    view = assert_valid_output(run("--format", "json").stdout, "crossdoc")
    assert len(view["documents"]) == 2 and [f["rule"] for f in view["findings"]] == ["BK-XDOC-001"]
    missing = subprocess.run(
        [sys.executable, "-m", "engine.cli", "crossdoc", "--store", "http://127.0.0.1:9/none"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 2 and missing.stderr.startswith("budget-kg:")
