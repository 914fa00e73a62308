"""The example queries of examples/queries answer the corpus as read by hand, via the CLI and engine.store."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine.store import open_store
from engine.storing import load_into_store
from tests.conftest import CORPUS, ROOT

QUERIES = ROOT / "examples" / "queries"
CLI = Path(sys.executable).with_name("budget-kg")

# 三公经费 合计 per document, 万元 × 10000, read from each file's 三公经费 table (e.g.
# wanli-street-2023-dept-budget.txt:792 "22.91"); social-work-2024-dept-final prints no total cell.
THREE_PUBLIC = {
    "commerce-2025-dept-budget": Decimal(10000),
    "commerce-2025-unit-budget": Decimal(10000),
    "district-office-2025-dept-budget": Decimal(8675000),
    "district-office-2025-unit-budget": Decimal(8675000),
    # finance-bureau-2024-dept-final: its 决算数 sub-columns are blank (:491 prints 0.95 under two 预算数 only)
    "finance-bureau-2025-dept-budget": Decimal(9500),
    "justice-2026-unit-budget": Decimal(107100),
    "shanghai-finance-2025-unit-budget": Decimal(3463000),
    "shuimogou-union-2025": Decimal(34800),
    "wanli-street-2023-dept-budget": Decimal(229100),
    "wanli-street-2024-dept-budget": Decimal(479100),
    "wanli-street-2025-dept-budget": Decimal(379100),
    "welfare-home-2024-unit-budget": Decimal(64000),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The corpus loaded once into an embedded store."""
    location = str(tmp_path_factory.mktemp("store"))
    assert load_into_store(sorted(CORPUS.glob("*.txt")), location, None) == 0
    return location


def cli_rows(store: str, name: str, *options: str) -> list[dict[str, str]]:
    """A query file's rows through `budget-kg query --store STORE [options] --format json`, as {variable: value}."""
    out = subprocess.run(
        [str(CLI), "query", "--store", store, *options, "--file", str(QUERIES / name), "--format", "json"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(out)["results"]["bindings"]]


def by_file(store: str, rows: list[dict[str, str]], column: str) -> dict[str, Decimal]:
    """Each row's `column` by the stem of its document's file name (a document IRI names no file)."""
    with open_store(store) as st:
        stems = {d.iri: Path(d.meta["file"]).stem for d in st.documents()}
    return {stems[r["doc"]]: Decimal(r[column]) for r in rows}


def test_three_public_by_unit(store: str) -> None:
    """Each document's 三公 total, in 元, from both the CLI and the store API."""
    rows = cli_rows(store, "three-public-by-unit.rq")
    assert by_file(store, rows, "three_public_yuan") == THREE_PUBLIC
    with open_store(store) as st:
        result = st.query((QUERIES / "three-public-by-unit.rq").read_text(encoding="utf-8"))
    col = result.variables.index("three_public_yuan")
    assert sorted(Decimal(str(r[col])) for r in result.rows) == sorted(THREE_PUBLIC.values())


def store_rows(store: str, sparql: str) -> list[dict[str, str]]:
    """A query text's rows through the store API, as {variable: lexical value}."""
    with open_store(store) as st:
        result = st.query(sparql)
    return [{v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.terms]


def adapted(name: str, old: str, new: str) -> str:
    """A query file with one edit, as its comment block tells a reader to make it."""
    text = (QUERIES / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name}: {old!r} is not printed exactly once"
    return text.replace(old, new)


def test_findings_of_a_rule(store: str) -> None:
    """BK-TAB-001 fires twice, both in justice-2026-unit-budget.txt: tables 3 and 5 print
    "204 06 01 行政运行 14,348,853.34 14,348,853.34 64,840,547.00" (lines 162 and 211), so
    合计 14,348,853.34 ≠ 基本 + 项目 = 79,189,400.34, off by 64,840,547."""
    rows = cli_rows(store, "findings-of-a-rule.rq")
    assert [(r["unit"], r["year"], r["file"], r["line"], r["rule_id"]) for r in rows] == [
        ("上海市普陀区司法局", "2026", "justice-2026-unit-budget.txt", "162", "BK-TAB-001"),
        ("上海市普陀区司法局", "2026", "justice-2026-unit-budget.txt", "211", "BK-TAB-001"),
    ]
    for row, table in zip(rows, ("3", "5"), strict=True):
        message = row["message"]
        assert message.startswith(f"表{table}「行政运行」第{row['line']}行"), message
        assert {"14348853.34", "79189400.34", "64840547"} <= set(re.findall(r"\d+(?:\.\d+)?", message)), message


def test_findings_of_another_rule(store: str) -> None:
    """The same query for BK-EMP-001: wanli-street-2024-dept-budget.txt's 三公 table (title at
    line 778) prints 47.91, 1.35, 46.56, 25, 21.56, 443.18 万元 above its note (line 794)
    "注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。"."""
    rows = store_rows(store, adapted("findings-of-a-rule.rq", '{ "BK-TAB-001" }', '{ "BK-EMP-001" }'))
    assert [(r["file"], r["line"], r["rule_id"]) for r in rows] == [
        ("wanli-street-2024-dept-budget.txt", "778", "BK-EMP-001")
    ]
    assert rows[0]["message"].startswith("表9声明为空表（第794行）")


# 支出预算总表 合计 row (合计 | 基本支出 | 项目支出, 元) of the three 万里街道 budgets:
#   wanli-street-2023-dept-budget.txt:498 "合计 164,978,640 99,406,297 65,572,343"
#   wanli-street-2024-dept-budget.txt:488 "合计 156,211,123 99,706,020 56,505,103"
#   wanli-street-2025-dept-budget.txt:447 "合计 189,767,551 101,341,746 88,425,805"
# 2023→2024: 56,505,103 / 65,572,343 − 1 = −13.8278%; 2024→2025: 88,425,805 / 56,505,103 − 1 = +56.4917%.
WANLI = "上海市普陀区人民政府万里街道办事处"
WANLI_2023_2024 = (WANLI, "2023", "2024", Decimal(65572343), Decimal(56505103), Decimal("-13.83"))
WANLI_2024_2025 = (WANLI, "2024", "2025", Decimal(56505103), Decimal(88425805), Decimal("56.49"))
# 上海市普陀区财政局: 2024 决算 支出决算表 项目支出 603.14 万元 (finance-bureau-2024-dept-final.txt:213),
# 2025 预算 支出预算总表 合计 row 项目支出 6,093,114.80 元 (finance-bureau-2025-dept-budget.txt:232): +1.0232%.
FINANCE_2024_2025 = ("上海市普陀区财政局", "2024", "2025", Decimal(6031400), Decimal("6093114.8"), Decimal("1.02"))


def _growth(rows: list[dict[str, str]]) -> list[tuple[object, ...]]:
    return [
        (
            r["unit"],
            r["year_from"],
            r["year_to"],
            Decimal(r["project_from_yuan"]),
            Decimal(r["project_to_yuan"]),
            Decimal(r["growth_percent"]),
        )
        for r in rows
    ]


def test_project_growth(store: str) -> None:
    """Above 10%: only 万里街道 2024→2025; a threshold of −100% lists its fall 2023→2024 too, and
    the 财政局's 2024 决算 → 2025 预算 pair appears only when kind and scope may differ."""
    assert _growth(cli_rows(store, "project-growth.rq")) == [WANLI_2024_2025]
    every = adapted("project-growth.rq", "BIND(10 AS ?min_growth_percent)", "BIND(-100 AS ?min_growth_percent)")
    assert _growth(store_rows(store, every)) == [WANLI_2023_2024, WANLI_2024_2025]
    any_kind = every.replace("bk:documentKind ?kind ; bk:scope ?scope ;", "")
    assert sorted(_growth(store_rows(store, any_kind))) == sorted([WANLI_2023_2024, WANLI_2024_2025, FINANCE_2024_2025])


# "合同" is printed in three causes, all of finance-bureau-2024-dept-final.txt, all the same text
# "基本支出中人员进出及退休变化，以及项目支出中合同支付进度条款等原因减少支付":
#   :530-532 "…收入支出总计减少56.95万元，下降1.87%。主要原因：…"
#   :548-552 "…财政拨款收入支出总计持平。主要原因：" then, after blank lines, the cause
#   :558-560 "…一般公共预算财政拨款支出减少63.14万元，下降2.10%。主要原因：…"
CONTRACT_CAUSE = "基本支出中人员进出及退休变化，以及项目支出中合同支付进度条款等原因减少支付"


def test_causes_mentioning(store: str) -> None:
    """Each changed amount and each rate of those three sentences, with its cause."""
    rows = cli_rows(store, "causes-mentioning.rq")
    got = [
        (r["file"], r["line"], r["kind"], r.get("direction"), r.get("value") and Decimal(r["value"]), r["cause"])
        for r in rows
    ]
    file = "finance-bureau-2024-dept-final.txt"
    assert got == [
        (file, "531", "change", "减少", Decimal("56.95"), CONTRACT_CAUSE),
        (file, "531", "rate", "下降", Decimal("1.87"), CONTRACT_CAUSE),
        (file, "549", "change", "持平", None, CONTRACT_CAUSE),
        (file, "559", "change", "减少", Decimal("63.14"), CONTRACT_CAUSE),
        (file, "559", "rate", "下降", Decimal("2.10"), CONTRACT_CAUSE),
    ]


# Narrative amounts (万元) of three documents that no table cell of the document matches within the
# two rounding radii, each grepped in its file (no cell of any table prints the figure):
#   commerce-2025-dept-budget.txt:381 政府采购预算38.20万元 … 服务预算30.40万元 (货物 7.80 is 资本性支出
#     78,000.00 at :355); :384 绩效目标 项目预算资金11381.60万元; the project texts' totals printed with
#     "万" alone: :424-425 1170.00万, :446-447 1410.00万, :467-468 2921.00万 (项目总预算 … 合计; no table
#     prints 11,700,000, 14,100,000 or 29,210,000; :407 1720.00万 is 206 科学技术支出 17,200,000.00 at :172)
#   justice-2026-unit-budget.txt:88 行政单位离退休 "预算安排57.8万元" (its tables: 561,240.00, line 141);
#     :102 购房补贴 "预算安排170.03万元" (tables: 2,070,000.00, line 151); :327 政府采购预算1484.2万元,
#     工程36.44万元, 服务1446.32万元 (货物 1.44 matches a 14,400 cell)
#   welfare-home-2024-unit-budget.txt:69-70 社会福利事业单位 738.66万元 twice (tables: 6,964,796 at :226)
NO_TABLE_FIGURE = {
    "commerce-2025-dept-budget.txt": [
        ("381", "38.20"), ("381", "30.40"), ("384", "11381.60"), ("424", "1170.00"), ("425", "1170.00"),
        ("446", "1410.00"), ("447", "1410.00"), ("467", "2921.00"), ("468", "2921.00"),
    ],
    "justice-2026-unit-budget.txt": [
        ("88", "57.8"),
        ("102", "170.03"),
        ("327", "1484.2"),
        ("327", "36.44"),
        ("327", "1446.32"),
    ],
    "welfare-home-2024-unit-budget.txt": [("69", "738.66"), ("70", "738.66")],
}


def test_amounts_without_table_figure(store: str) -> None:
    """Three documents checked claim by claim."""
    rows = cli_rows(store, "amounts-without-table-figure.rq")
    for file, expected in NO_TABLE_FIGURE.items():
        assert [(r["line"], r["printed"]) for r in rows if r["file"] == file] == expected, file
    assert all(r["unit"] in ("元", "万元", "万") and Decimal(r["yuan"]) >= 0 for r in rows)


# Rate claims whose rate the amounts of their own sentence refute; every other rate of the corpus
# was recomputed from its printed amounts and agrees within rounding, or stands on a zero or
# near-zero base (the BK-ZERO rules' business). Key: file and line of the rate; value: the
# direction and rate as printed, the rate the amounts give (by hand: (1434.89 − 1690.69) / 1690.69
# = −15.13%, …), and the sentence as printed (line breaks removed).
DISAGREEING_RATES = {
    ("justice-2026-unit-budget.txt", "75"): (
        "减少",
        "1.10",
        "-15.13",
        "2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少1.10%。",
    ),
    ("justice-2026-unit-budget.txt", "88"): (
        "减少",
        "2.27",
        "0.64",
        "2025年当年预算执行数为57.43万元，2026年预算安排57.8万元，比2025年预算执行数减少2.27%。",
    ),
    ("justice-2026-unit-budget.txt", "102"): (
        "增加",
        "21.74",
        "-29.67",
        "2025年当年预算执行数为241.76万元，2026年预算安排170.03万元，比2025年预算执行数增加21.74%。",
    ),
    ("wanli-street-2023-dept-budget.txt", "84"): (
        "增加",
        "314.82",
        "289.12",
        "2022年当年预算执行数为11.67万元，2023年预算安排45.41万元，比2022年预算执行数增加314.82%。",
    ),
    ("wanli-street-2023-dept-budget.txt", "129"): (
        "增加",
        "60.54",
        "232.79",
        "2022年当年预算执行数为132.59万元，2023年预算安排441.25万元，比2022年预算执行数增加60.54%。",
    ),
    ("wanli-street-2024-dept-budget.txt", "176"): (
        "增加",
        "0.53",
        "1.19",
        "2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加0.53%。",
    ),
}


def test_rate_claims_disagreeing(store: str) -> None:
    """Each disagreeing rate once, with its sentence and the rule that compared it (BK-ARI-002),
    whose message gives the rate computed by hand above."""
    rows = cli_rows(store, "rate-claims-disagreeing.rq")
    assert [(r["file"], r["line"]) for r in rows] == list(DISAGREEING_RATES)
    for row in rows:
        direction, rate, computed, sentence = DISAGREEING_RATES[row["file"], row["line"]]
        assert (row["direction"], Decimal(row["rate"])) == (direction, Decimal(rate)), row
        assert re.sub(r"\s+", "", row["sentence"]) == sentence, row
        assert "BK-ARI-002" in row["rules"].split(), row
        assert f"推得 {computed}%" in row["messages"], row
