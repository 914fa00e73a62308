"""Every corpus document audited by all rules: the findings equal these lists, each entry checked
by hand against the document (tests/expected/audit/<stem>.json: family, lines, arithmetic).
Entries are (rule id, first line of the evidence), one per finding."""


import pytest

from engine.validate import Finding
from tests.conftest import CORPUS, audit

EXPECTED_ERRORS: dict[str, list[tuple[str, int]]] = {
    "commerce-2025-dept-budget": [],
    "commerce-2025-unit-budget": [],
    "district-office-2025-dept-budget": [],
    "district-office-2025-unit-budget": [],
    "finance-bureau-2024-dept-final": [
        # family 3, :548 财政拨款收入支出总计 0.3万元 vs the tables' 2,940.05 (first evidence: table :175)
        ("BK-NAR-001", 175),
        # family 4, :565 一般公共服务支出 71.73%: 2106.66 / 2940.05 = 71.65%
        ("BK-ARI-001", 564),
    ],
    "finance-bureau-2025-dept-budget": [
        # family 3, :103 and :112 职业年金 887.36万元 vs 873,617元 = 87.36万元
        ("BK-NAR-001", 103), ("BK-NAR-001", 112),
    ],
    "justice-2026-unit-budget": [
        # family 1, lines 161-165 and 210-214: 行政运行 prints the 款 project total
        ("BK-TAB-001", 162), ("BK-TAB-001", 211), ("BK-TAB-002", 161), ("BK-TAB-002", 210),
        # family 4, :74-75 1690.69 → 1434.89 stated 减少1.10%: −15.13%; :88 57.43 → 57.8 stated 减少2.27%:
        # +0.64%; :102 241.76 → 170.03 stated 增加21.74%: −29.67%
        ("BK-ARI-002", 75), ("BK-ARI-002", 88), ("BK-ARI-002", 102),
        # family 5, item 7 heading 56.12 vs 57.8 (:87/:88); item 13 heading 207 vs 170.03 (:101/:102)
        ("BK-NVN-001", 87), ("BK-NVN-001", 101),
        # family 3, 57.8 vs 561,240元; 170.03 vs 2,070,000元
        ("BK-NAR-001", 88), ("BK-NAR-001", 102),
        # family 2, :122 vs :302: summary 人员 20,374,181 / 公用 1,744,680 vs 20,272,981.00 / 1,845,880.34
        ("BK-XTB-001", 122), ("BK-XTB-001", 122),
    ],
    "shanghai-finance-2025-unit-budget": [],
    "shuimogou-union-2025": [
        # family 5, :900 vs :944 项目支出 9.75: 增加 9.65 vs 增加 9.75
        ("BK-NVN-002", 900),
        # family 5, :862 total +14.99 vs 基本 +3.99 and 项目 +9.65 (三、) or +9.75 (（一）), and vs the six 项
        # of （三） −12.47 + 14.28 + 1.35 + 0.84 + 7.58 + 2.17 = 13.75
        ("BK-NVN-003", 862), ("BK-NVN-003", 862), ("BK-NVN-003", 862),
    ],
    "social-work-2024-dept-final": [],
    "wanli-street-2023-dept-budget": [
        # family 4, :71 政府性基金 0万元 but 增加1421.25万元: prior −1421.25
        ("BK-ARI-004", 71),
        # family 4, :84 11.67 → 45.41 stated 314.82%: 289.12%
        ("BK-ARI-002", 84),
        # family 3, :128-129 职业年金 heading 220.63 (= 2,206,272元) vs 441.25, and 132.59 → 441.25 is not 60.54%
        ("BK-ARI-002", 129), ("BK-NAR-001", 129), ("BK-NVN-001", 128),
        # family 3, :810-811 5 projects with 3328.13万元, but the five target tables (:860, :911, :952, :997,
        # :1106) add to 410 + 635.1 + 456.38 + 759.55 + 1090.3043 = 3351.3343万元
        ("BK-NVN-006", 810),
    ],
    "wanli-street-2024-dept-budget": [
        # family 8, lines 791-805: 三公 table declared empty but printing figures
        ("BK-EMP-001", 778),
        # family 3, :175-176 住房公积金 heading 350.35 (= 3,503,499元) vs 352.67; 348.52 → 352.67 is 1.19%, not 0.53%
        ("BK-ARI-002", 176), ("BK-NAR-001", 176), ("BK-NVN-001", 175),
    ],
    "wanli-street-2025-dept-budget": [],
    # family 3, :69 and :70 社会福利事业单位 738.66万元 vs 6,964,796元 / 9,584,796元
    "welfare-home-2024-unit-budget": [("BK-NAR-001", 69), ("BK-NAR-001", 70)],
}

# Read by hand and found consistent, so these rules raise nothing on the corpus (the lists above are exact):
# BK-FIN-001: the verdicts of finance-bureau-2024-dept-final :574 (2993.92 → 2940.05 小于), :578, :582 (10.00 =
#   10.00 基本持平), :585, :597, :608, :613, :616, :620, :624 and of social-work-2024-dept-final :499, :508, :517
#   (202.24 = 202.24 持平), :525, :533, :543, :552, :559, :567; social-work :492 小于预算数 holds against 全年
#   321.02 (307.82), not against 年初 0, and names neither, so it is not an error.
# BK-NVN-007: every 政府采购 sentence adds up (wanli-street-2024-dept-budget 93.98 + 815.87 + 752.59 = 1662.44;
#   shanghai-finance-2025-unit-budget 42.50 + 0.00 + 1,665.53 = 1,708.03; finance-bureau-2024-dept-final :686-687
#   4.79 + 0 + 246.47 = 251.26 against 251.25, within rounding); vehicles by kind add to 车辆 (justice-2026 :332-333).
# BK-NVN-008: 中小企业预留 ≤ 政府采购 and 小微 ≤ 中小企业 (district-office-2025 :383-384, finance-bureau-2024 :689-692).
# BK-LBL-003/006/007/008: every 编制单位/编制部门 names the document's unit, every heading with a year and the
#   document's kind names its year, every 截至 date of the asset statement is the year before a budget's (its
#   8月31日 or 12月31日) or a final account's own year end, every dated 实施周期 covers the budget year.
# BK-CMP-001..004: every corpus document prints its template's parts (the 第二部分 heading of
#   social-work-2024-dept-final is not printed above its tables, so the tables stand for it), every table
#   its 目录 lists, a 合计/总计 row in every table with amounts (the 三公 tables of the Shanghai templates
#   print 合计 as a column), and the header-only tables (表6/7 政府性基金/国有资本经营 of the Shanghai
#   budgets, 表8/9 of the 决算s, 表8/9/11 of the sample) have no amount in their narratives: 0万元, or
#   机关运行经费 10.23万元 in social-work-2024 :627, which the 决算's 三公 table has no column for.
# BK-LBL-010: every 项 of a 类（款）项 path in the narratives is a code's name under its 款 or 类.

# Every warning and info, each in the hand audit.
EXPECTED_NOTICES: dict[str, list[tuple[str, int]]] = {
    # family 5: 财政拨款 37,151.47 增加 24,558.18 against 2024 执行数, 增加 24,491.71 against 2024 预算
    "commerce-2025-dept-budget": [("BK-NVN-004", 100)],
    "commerce-2025-unit-budget": [("BK-NVN-004", 96)],
    # family 3 info: items 5, 9, 10, 11 truncated (each stated twice except item 5)
    "finance-bureau-2025-dept-budget": [
        ("BK-NAR-002", line) for line in (99, 107, 109, 111, 116, 118, 120)
    ],
    # family 7: 210 named 医疗卫生与计划生育支出 in item 11
    "justice-2026-unit-budget": [("BK-LBL-001", 97)],
    # family 2: 公务用车运行费 32.20万元 (:318) while the unit has 车辆0辆 (:328)
    "shanghai-finance-2025-unit-budget": [("BK-NVN-005", 318)],
    # family 6: zero bases :944, :982, :998, :1006, 三公 :1078/:1080; near-zero :900 (prior 0.10)
    "shuimogou-union-2025": [
        ("BK-ZERO-001", 944), ("BK-ZERO-001", 982), ("BK-ZERO-001", 998), ("BK-ZERO-001", 1006),
        ("BK-ZERO-001", 1078), ("BK-ZERO-001", 1080), ("BK-ZERO-002", 900),
    ],
    # family 6: unit founded in 2024, every 增长100.00% rests on a 2023 base of 0;
    # family 4 warning :484 9.55% (truncated, not rounded)
    "social-work-2024-dept-final": [
        ("BK-ZERO-001", 441), ("BK-ZERO-001", 463), ("BK-ZERO-001", 471), ("BK-ZERO-001", 627),
        ("BK-ARI-005", 478),
        # family 6: '完成年初预算的95.89%' while 年初预算 is 0万元 (:488-490)
        ("BK-ZERO-003", 488),
    ],
    # family 6: 2022 执行数 0 for 专项普查活动 :81 and 其他行政事业单位养老支出 :132
    "wanli-street-2023-dept-budget": [("BK-ZERO-001", 81), ("BK-ZERO-001", 132)],
    # family 6: 其他教育支出 2023 执行数 0.00 :104
    "wanli-street-2024-dept-budget": [("BK-ZERO-001", 104)],
    # family 7: item 21 (:120) prints “卫生健康支出（类）卫生健康支出（款）计划生育事务（项）”: the 类 in the 款's
    # place (计划生育事务 is the 款 210 07, as the tables print it at :264)
    "wanli-street-2025-dept-budget": [("BK-LBL-009", 120)],
    # family 7: 210 医疗卫生与计划生育支出 in item 5 (:73), 财务收支预算总表 (:94), 财政拨款收支预算总表 (:195)
    "welfare-home-2024-unit-budget": [("BK-LBL-001", 73), ("BK-LBL-001", 94), ("BK-LBL-001", 195)],
}


def first_line(f: Finding) -> int:
    return min((e.source.line for e in f.evidence if e.source and e.source.line), default=0)


@pytest.mark.parametrize("stem", sorted(EXPECTED_ERRORS))
def test_corpus_findings(stem: str) -> None:
    findings = audit(CORPUS / f"{stem}.txt").findings
    for f in findings:
        lines = sorted({e.source.line for e in f.evidence if e.source and e.source.line})
        print(stem, f.rule, f.severity, lines[:6], f.message)
    errors = sorted((f.rule, first_line(f)) for f in findings if f.severity == "error")
    assert errors == sorted(EXPECTED_ERRORS[stem])
    notices = sorted((f.rule, first_line(f)) for f in findings if f.severity != "error")
    assert notices == sorted(EXPECTED_NOTICES.get(stem, []))
