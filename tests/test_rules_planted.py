"""Planted copies of corpus documents: each copy, made here from the real file, carries one defect of
one family at one line; the audit finds it there with the right rule and nothing else new. A blank
template made from a corpus document gives one notice and exit 0. The checks added for labels, final
accounts and procurement raise nothing on the corpus read as plain unaligned text (pdftotext) either."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.validate import Finding
from tests.conftest import CORPUS, ROOT, audit

# (document, rule, line of the finding, edits): each edit (line, printed text, planted text) replaces text printed on that line.
PLANTS = [
    # 年初预算为135.90万元，支出决算为135.25万元。决算数小于预算数 → 大于
    ("finance-bureau-2024-dept-final", "BK-FIN-001", 585, ((585, "决算数小于", "决算数大于"),)),
    # the municipal bureau's name in a district bureau's table header
    (
        "finance-bureau-2025-dept-budget",
        "BK-LBL-003",
        146,
        ((146, "编制部门：上海市普陀区财政局", "编制部门：上海市财政局"),),
    ),
    # a placeholder left where the unit's name belongs, in a filled-in document
    ("welfare-home-2024-unit-budget", "BK-LBL-004", 365, ((365, "上海市普陀区社会福利院共有", "XX单位共有"),)),
    # part three titled with the year before
    ("finance-bureau-2024-dept-final", "BK-LBL-006", 524, ((524, "2024年度部门决算情况", "2023年度部门决算情况"),)),
    # the vehicle statement as of the year before
    ("finance-bureau-2024-dept-final", "BK-LBL-007", 697, ((697, "截至2024年12月31日", "截至2023年12月31日"),)),
    # a project's 实施周期 copied from the year before
    ("commerce-2025-dept-budget", "BK-LBL-008", 405, ((405, "2025.1.1-2025.12.31", "2024.1.1-2024.12.31"),)),
    # 政府采购预算1484.2万元 = 货物1.44 + 工程36.44 + 服务1446.32; 货物 planted as 2.44
    ("justice-2026-unit-budget", "BK-NVN-007", 327, ((327, "政府采购货物预算1.44万元", "政府采购货物预算2.44万元"),)),
    # 共有车辆0辆, every one of the eight kinds 0辆; the total planted as 2
    ("finance-bureau-2024-dept-final", "BK-NVN-007", 697, ((697, "共有车辆0辆", "共有车辆2辆"),)),
    # item 1's path with its 类 name in the 款's place (商贸事务 → 一般公共服务支出)
    ("commerce-2025-dept-budget", "BK-LBL-009", 108, ((108, "（类）商贸事务（款）", "（类）一般公共服务支出（款）"),)),
    # item 4's 项 其他商贸事务支出 renamed to a name no code and no table row has
    ("commerce-2025-dept-budget", "BK-LBL-010", 114, ((114, "其他商贸事务支出（项）", "其他商贸事务费用（项）"),)),
    # 政府采购预算34万元 (:383); 面向中小企业预留 planted as 36万元 (34万元 printed whole means 33.5–34.5)
    ("district-office-2025-dept-budget", "BK-NVN-008", 384, ((384, "预算金额34万元", "预算金额36万元"),)),
    # the “三公” table's 公务接待费 lowered from 28.50 to 15.50万元 with its total, and so in the narrative (:402,
    # :406): the basic-expenditure table's 30217 公务接待费 185,000.00元 (:367) alone is more
    (
        "district-office-2025-unit-budget",
        "BK-XTB-002",
        367,
        (
            (398, "    867.50       839.00      28.50 ", "    854.50       839.00      15.50 "),
            (402, "867.50万元", "854.50万元"),
            (406, "28.50万元", "15.50万元"),
        ),
    ),
    # a final account's “三公” 年初预算 (the table's 预算数 sub-column, :491) restated otherwise
    ("finance-bureau-2024-dept-final", "BK-NAR-001", 639, ((639, "年初预算为0.95万元", "年初预算为0.85万元"),)),
]


def _findings(path: Path) -> list[Finding]:
    return audit(path).findings


def _key(f: Finding) -> tuple[str, tuple[int, ...]]:
    return f.rule, tuple(sorted({e.source.line for e in f.evidence if e.source and e.source.line}))


def _plant(tmp_path: Path, stem: str, edits: tuple[tuple[int, str, str], ...]) -> Path:
    lines = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
    for line, printed, planted in edits:
        assert printed in lines[line - 1], f"{stem}.txt:{line} no longer prints {printed}"
        lines[line - 1] = lines[line - 1].replace(printed, planted, 1)
    copy = tmp_path / f"{stem}.txt"
    copy.write_text("\n".join(lines), encoding="utf-8")
    return copy


@pytest.mark.parametrize(("stem", "rule", "line", "edits"), PLANTS, ids=[f"{p[1]}-{p[0]}" for p in PLANTS])
def test_planted_defect_is_found_by_its_rule_at_its_line(
    corpus: Path, tmp_path: Path, stem: str, rule: str, line: int, edits: tuple[tuple[int, str, str], ...]
) -> None:
    before = {_key(f) for f in _findings(CORPUS / f"{stem}.txt")}
    new = [f for f in _findings(_plant(tmp_path, stem, edits)) if _key(f) not in before]
    assert [(f.rule, line in _key(f)[1]) for f in new] == [(rule, True)], [(f.rule, f.message) for f in new]


def test_a_table_its_contents_list_promises_is_missing(corpus: Path, tmp_path: Path) -> None:
    """justice-2026-unit-budget without its 表7 (title :250 to its note :264, blanked so lines keep their
    numbers): the 目录 lists it at :18 ("7．2026年预算单位国有资本经营预算支出功能分类预算表")."""
    stem = "justice-2026-unit-budget"
    lines = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
    assert "国有资本经营预算支出功能分类预算表" in lines[249] and "故本表为空表" in lines[263]
    copy = tmp_path / f"{stem}.txt"
    copy.write_text("\n".join(lines[:249] + [""] * 15 + lines[264:]), encoding="utf-8")
    before = {_key(f) for f in _findings(CORPUS / f"{stem}.txt")}
    new = [f for f in _findings(copy) if _key(f) not in before]
    assert [(f.rule, _key(f)[1]) for f in new] == [("BK-CMP-003", (18,))], [(f.rule, f.message) for f in new]
    assert "目录列出的「2026年预算单位国有资本经营预算支出功能分类预算表」未印出" in new[0].message


def test_a_header_only_table_whose_figures_the_narrative_gives(corpus: Path, tmp_path: Path) -> None:
    """justice-2026-unit-budget :70 '政府性基金拨款支出预算0万元' planted as 5万元, while 表6 (政府性基金, :235)
    prints its header only. One defect: the 5万元 also differs from 表4's 0.00 (BK-NAR-001), which it is
    listed under."""
    stem = "justice-2026-unit-budget"
    before = {_key(f) for f in _findings(CORPUS / f"{stem}.txt")}
    planted = _plant(tmp_path, stem, ((70, "政府性基金拨款支出预算0万元", "政府性基金拨款支出预算5万元"),))
    new = [f for f in _findings(planted) if _key(f) not in before]
    assert sorted(_key(f) for f in new) == [("BK-CMP-004", (70, 235)), ("BK-NAR-001", (70, 201))]
    assert len([f for f in new if f.cause is None]) == 1


def test_blank_template_gives_one_notice_and_exit_0(corpus: Path, tmp_path: Path) -> None:
    """The unit's name and every figure of a real document replaced by XX (years kept)."""
    text = (CORPUS / "welfare-home-2024-unit-budget.txt").read_text(encoding="utf-8")
    text = text.replace("上海市普陀区社会福利院", "XX局")
    text = re.sub(r"(?<![\d年])\d[\d,]*(?:\.\d+)?(?!\s*[\d年])", "XX", text)
    blank = tmp_path / "blank-template.txt"
    blank.write_text(text, encoding="utf-8")
    findings = _findings(blank)
    assert [(f.rule, f.severity) for f in findings] == [("BK-LBL-005", "info")]
    assert "XX局" in findings[0].message
    run = subprocess.run(
        [sys.executable, "-m", "engine.cli", "audit", str(blank)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stdout + run.stderr


NEW_RULES = {
    "BK-CMP-001",
    "BK-CMP-002",
    "BK-CMP-003",
    "BK-CMP-004",
    "BK-FIN-001",
    "BK-NVN-007",
    "BK-NVN-008",
    "BK-LBL-003",
    "BK-LBL-004",
    "BK-LBL-005",
    "BK-LBL-006",
    "BK-LBL-007",
    "BK-LBL-008",
    "BK-LBL-010",
}  # BK-LBL-009 fires on wanli-street-2025-dept-budget in every form, as in its -layout text (tests/test_rules_corpus.py)


def _plain_text(pdf: Path) -> str:
    """The PDF's plain text as `pdftotext` gives it without -layout (one space between cells, blank
    cells gone); poppler-utils is installed by make."""
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("pdf", sorted(CORPUS.glob("*.pdf")), ids=lambda p: p.stem)
def test_new_checks_raise_nothing_on_plain_text(corpus: Path, tmp_path: Path, pdf: Path) -> None:
    plain = tmp_path / f"{pdf.stem}.txt"
    plain.write_text(_plain_text(pdf), encoding="utf-8")
    mine = [(f.rule, f.message) for f in _findings(plain) if f.rule in NEW_RULES]
    assert mine == []
