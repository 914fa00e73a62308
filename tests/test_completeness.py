"""A document cut short is an error, never a silent pass: the sample cut at ten points names the part
it lost (BK-CMP-001), a table whose lower half (its 合计 row included) was cut away is named as cut
short (BK-CMP-002), in -layout text, in the sample's wrapped form and in a PDF that lost its last pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from engine.pipeline import Audit
from tests.conftest import CORPUS, ROOT, audit

SAMPLE = CORPUS / "shuimogou-union-2025.txt"
NARRATIVE, GLOSSARY = "「第三部分 预算情况说明」", "「第四部分 名词解释」"
# Where the sample is cut (the first line dropped) and the part it then lacks, read from the sample:
# tables from line 85 (表1 at 87), 第三部分 预算情况说明 at line 840, 第四部分 名词解释 at line 1580.
CUTS = [
    (120, NARRATIVE),  # inside 表1, above its 总计 row (153)
    (250, NARRATIVE),  # between 表2 and 表3
    (400, NARRATIVE),  # inside 表3's rows
    (560, NARRATIVE),  # inside 表6, across its page break
    (700, NARRATIVE),  # inside 表7
    (800, NARRATIVE),  # inside 表10 (三公)
    (840, NARRATIVE),  # just before 第三部分
    (1000, GLOSSARY),  # inside the narrative's 三、
    (1300, GLOSSARY),  # inside 十二、其他重要事项
    (1579, GLOSSARY),  # just before 第四部分 名词解释
]


def _cut(path: Path, tmp_path: Path, keep: list[str]) -> Path:
    out = tmp_path / f"cut-{path.name}"
    out.write_text("\n".join(keep), encoding="utf-8")
    return out


def _cmp(result: Audit, rule: str) -> list[str]:
    return [f.message for f in result.findings if f.rule == rule]


@pytest.mark.parametrize(("line", "missing"), CUTS, ids=[str(c[0]) for c in CUTS])
def test_the_sample_cut_short_names_the_part_it_lost(tmp_path: Path, line: int, missing: str) -> None:
    """The sample cut before line `line`: an error naming the missing part and the last line, exit 1."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    last = max(i for i in range(line - 1) if lines[i].strip()) + 1  # the last printed line kept
    result = audit(_cut(SAMPLE, tmp_path, lines[: line - 1]))
    assert result.exit_code == 1
    assert f"文件不完整：缺少模板要求的{missing}（文本止于第{last}行）" in _cmp(result, "BK-CMP-001")


def test_the_whole_sample_lacks_nothing() -> None:
    result = audit(SAMPLE)
    assert not [f for f in result.findings if f.rule.startswith("BK-CMP")]


def test_a_cut_file_exits_1_on_the_command_line(tmp_path: Path) -> None:
    cut = _cut(SAMPLE, tmp_path, SAMPLE.read_text(encoding="utf-8").split("\n")[:839])
    done = subprocess.run(
        [sys.executable, "-m", "engine", "audit", str(cut)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 1, done.stderr
    assert "BK-CMP-001" in done.stdout and "第三部分 预算情况说明" in done.stdout


# 表1 (收支总表) of these documents prints its 总计 row(s) last, in the lower half of its lines: (document,
# the table's title as printed), read from each -layout text.
HALVES = [
    ("commerce-2025-dept-budget", "2025年部门财务收支预算总表"),
    ("district-office-2025-unit-budget", "2025年预算单位财务收支预算总表"),
    ("finance-bureau-2024-dept-final", "收入支出决算总表"),
    ("justice-2026-unit-budget", "2026年预算单位财务收支预算总表"),
    ("shuimogou-union-2025", "单位收支总体情况表"),
    ("social-work-2024-dept-final", "收入支出决算总表"),
    ("wanli-street-2023-dept-budget", "2023年部门财务收支预算总表"),
    ("welfare-home-2024-unit-budget", "2024年预算单位财务收支预算总表"),
]


def _plain(stem: str, tmp_path: Path) -> Path:
    """The corpus PDF as plain `pdftotext` text: no column alignment, a row's cells in reading order."""
    out = tmp_path / f"{stem}.txt"
    subprocess.run(["pdftotext", str(CORPUS / f"{stem}.pdf"), str(out)], check=True, capture_output=True)
    return out


@pytest.mark.parametrize("form", ["layout", "plain"])
@pytest.mark.parametrize(("stem", "title"), HALVES, ids=[h[0] for h in HALVES])
def test_a_table_cut_in_half_is_named_cut_short(tmp_path: Path, stem: str, title: str, form: str) -> None:
    """表1 loses the lower half of its lines, its 总计 row among them; the rest of the document is intact.
    In plain text the 总计 label follows its amounts ("171,915,169 … 收入总计"): it goes with them."""
    if form == "plain" and not (CORPUS / f"{stem}.pdf").exists():
        pytest.skip("the sample has no PDF")
    path = CORPUS / f"{stem}.txt" if form == "layout" else _plain(stem, tmp_path)
    whole = audit(path)
    table = whole.loaded.tables[0]
    assert (table.number, table.title) == (1, title)
    first, last = table.title_span.line, whole.loaded.source.line_of(whole.loaded.regions[0].end - 1)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert not _cmp(whole, "BK-CMP-002")
    middle = (first + last) // 2
    cut = audit(_cut(path, tmp_path, lines[: middle - 1] + lines[last:]))
    (message,) = _cmp(cut, "BK-CMP-002")
    assert message.startswith(f"表1「{title}」被截断")
    assert cut.exit_code == 1
    assert not _cmp(cut, "BK-CMP-001")  # every part is still there


@pytest.mark.slow
def test_a_pdf_that_lost_its_last_pages_names_the_missing_part(tmp_path: Path) -> None:
    """finance-bureau-2024-dept-final.pdf without its last 8 pages (the narrative's end and 第四部分 名词解释)."""
    whole = pdfium.PdfDocument(CORPUS / "finance-bureau-2024-dept-final.pdf")
    kept = pdfium.PdfDocument.new()
    kept.import_pages(whole, list(range(len(whole) - 8)))
    cut = tmp_path / "cut.pdf"
    kept.save(cut)
    result = audit(cut)
    assert result.exit_code == 1
    assert any("缺少模板要求的「第四部分 名词解释」" in m for m in _cmp(result, "BK-CMP-001"))
