"""The narrative grammar: known sentences and the claims they yield; it never raises on arbitrary
text; a sentence generated from each supported pattern yields exactly the claims it was made from;
and a run of plain text never swallows the start of a keyword."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lark import Token

from engine.codes import code_list
from engine.narrative import parser, read_text, subject_index
from engine.narrative.sentences import split_sentences
from engine.narrative.text import narrative_text
from engine.numbers import parse_figure
from engine.printed import change_words
from engine.vocab import subject_name
from tests.conftest import corpus_files, read


def claims(text: str, year: int = 2025) -> list[tuple]:
    """(kind, subject, value, unit, basis, basis_year, direction) of each claim the text yields."""
    return [
        (
            c.kind,
            subject_name(c.subject),
            str(c.value.value) if c.value else None,
            c.unit,
            c.basis,
            c.basis_year,
            c.direction,
        )
        for c in read_text(text, year).claims
    ]


# (pattern, sentence as printed, the claims it must yield)
EXAMPLES = [
    ("total", "收支总预算 136.30 万元。", [("amount", "measure:budget_total", "136.30", "万元", None, None, None)]),
    (
        "enumeration",
        "支出预算包括：一般公共服务支出 112.98 万元、社会保障和就业支出 23.33 万元。",
        [
            ("amount", "code:201", "112.98", "万元", None, None, None),
            ("amount", "code:208", "23.33", "万元", None, None, None),
        ],
    ),
    (
        "share, change, rate",
        "基本支出 126.55 万元，占 92.85%，比上年预算增加 3.99 万元，增长 3.26%，主要原因是有新增职工。",
        [
            ("amount", "measure:basic", "126.55", "万元", None, None, None),
            ("share", "measure:basic", "92.85", "%", None, None, None),
            ("change", "measure:basic", "3.99", "万元", "prior_budget", None, "增加"),
            ("rate", "measure:basic", "3.26", "%", "prior_budget", None, "增长"),
        ],
    ),
    (
        "year basis, executed, flat",
        "财政拨款收入9,101.68万元，比2024年预算执行数减少2,389.52万元；政府性基金拨款支出预算0万元，比2024年预算持平。",
        [
            ("amount", "measure:fiscal", "9101.68", "万元", None, None, None),
            ("change", "measure:fiscal", "2389.52", "万元", "prior_actual", 2024, "减少"),
            ("amount", "measure:gov_fund", "0", "万元", None, None, None),
            ("change", "measure:gov_fund", None, None, "prior_budget", 2024, "持平"),
        ],
    ),
    (
        "template slip",
        "公用经费 8.68 万元，比上年预算增加增加 0.44 万元。",
        [
            ("amount", "measure:public", "8.68", "万元", None, None, None),
            ("change", "measure:public", "0.44", "万元", "prior_budget", None, "增加"),
        ],
    ),
    (
        "item path",
        "1.一般公共服务支出（类）群众团体事务（款）行政运行（项）：2025 年预算数为 51.71万元，比上年预算减少 12.47万元。",
        [
            ("amount", "code:2012901", "51.71", "万元", None, None, None),
            ("change", "code:2012901", "12.47", "万元", "prior_budget", None, "减少"),
        ],
    ),
    (
        "dashed path",
        "1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，主要用于行政单位的基本支出。",
        [("amount", "code:2010301", "1202.95", "万元", None, None, None)],
    ),
    (
        "digits in the markers, obsolete class name",
        "11、医疗卫生与计划生育支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）98.27万元。",
        [("amount", "code:2101101", "98.27", "万元", None, None, None)],
    ),
    (
        "not arranged",
        "上级一般公共预算安排的转移支付资金未安排。",
        [("not_arranged", "measure:general_transfer", None, None, None, None, None)],
    ),
    (
        "none of two, empty table",
        "收入全部为一般公共预算拨款，无政府性基金预算拨款和国有资本经营预算。政府性基金预算支出情况表为空表。",
        [
            ("not_arranged", "measure:gov_fund", None, None, None, None, None),
            ("not_arranged", "measure:state_capital", None, None, None, None, None),
            ("empty_table", "measure:gov_fund", None, None, None, None, None),
        ],
    ),
    (
        "决算 figures",
        "一般公共预算财政拨款支出年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元，完成年初预算的 95.89%。",
        [
            ("amount", "measure:general_budget", "0", "万元", "initial_budget", None, None),
            ("amount", "measure:general_budget", "321.02", "万元", "full_year_budget", None, None),
            ("amount", "measure:general_budget", "307.82", "万元", None, None, None),
            ("rate", "measure:general_budget", "95.89", "%", "initial_budget", None, None),
        ],
    ),
    (
        "counts, context, a measure named with 价值",
        "车辆 1 辆，价值 10.52万元；其中：一般公务用车 1 辆，价值 10.52 万元。",
        [
            ("count", "measure:vehicles", "1", "辆", None, None, None),
            ("amount", "measure:vehicles_value", "10.52", "万元", None, None, None),
            ("count", "measure:vehicles_official", "1", "辆", None, None, None),
            ("amount", "measure:vehicles_official_value", "10.52", "万元", None, None, None),
        ],
    ),
    (
        "threshold inside a name, classifier before its noun",
        "安排购置 50 万元以上大型设备 0 台（套）。下属1家机关和1家事业单位财政拨款的机关运行经费预算为213.28万元。",
        [
            ("count", "measure:large_equipment_50_planned", "0", "台（套）", None, None, None),
            ("count", "measure:units_admin", "1", "家", None, None, None),
            ("count", "measure:units_institution", "1", "家", None, None, None),
            ("amount", "measure:operation_cost", "213.28", "万元", None, None, None),
        ],
    ),
    (
        "a year is no amount, an amount is no year",
        "2023年当年预算执行数为2083.68万元，2024年预算安排1759.10万元，比2023年预算执行数减少15.58%。",
        [],  # no subject in the sentence: nothing is claimed, and neither 2023 nor 2083.68 is taken for the other
    ),
    (
        "performance table with a declared unit",
        "资金总额（万元）上级资金 0本级资金 136.3其他资金（万元） 其他 0合计： 136.30",
        [
            ("amount", "measure:perf_funds_superior", "0", "万元", None, None, None),
            ("amount", "measure:perf_funds_own", "136.3", "万元", None, None, None),
            ("amount", "measure:perf_funds_other", "0", "万元", None, None, None),
            ("amount", "measure:perf_overall_amount", "136.30", "万元", None, None, None),
        ],
    ),
    ("indicator targets are no claims", "工会驿站建设数量=50 个 困难职工帮扶资金覆盖率=100%", []),
]


@pytest.mark.parametrize(("label", "sentence", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_known_sentences(label, sentence, expected):
    assert claims(sentence) == expected


def test_a_years_digits_are_never_an_amount():
    """2083.68万元 is an amount, 2023年 a year: the item's code gives the figures their subject."""
    text = "25. “城乡社区支出（类）城乡社区管理事务（款）一般行政管理事务（项）”1759.10万元。2023年当年预算执行数为2083.68万元。"
    got = claims(text, 2024)
    assert ("amount", "code:2120102", "2083.68", "万元", "prior_actual", 2023, None) in got
    assert all(c[2] not in ("2023", "2024") for c in got)


def _fullwidth(text: str) -> str:
    """The text as typed with a full-width keyboard: digits, and the point between two digits."""
    text = re.sub(r"(?<=\d)\.(?=\d)", "．", text)
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


@pytest.mark.parametrize(("label", "sentence", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_figures_typed_in_fullwidth_digits_read_as_ascii_ones(label, sentence, expected):
    """１２６．５５万元 is 126.55万元; the claim's span still prints what the document printed."""
    typed = _fullwidth(sentence)
    assert claims(typed) == expected
    for claim in read_text(typed, 2025).claims:
        assert claim.span.text in typed and not re.search(r"[0-9]", claim.span.text)


# ---- arbitrary text
# fragments of the known sentences, reassembled in any order and mixed with any text
_PIECES = sorted(
    {piece for _, sentence, _ in EXAMPLES for piece in re.findall(r"\d[\d,.]*|[^\d，。；]{1,4}|[，。；]", sentence)}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=30).map("".join))
def test_never_raises_on_arbitrary_text(text):
    """The parser accepts any text, and no sentence fails inside the reader (which would report it
    as 'not read: <exception>' rather than raise, so the test looks for that report)."""
    parser().parse(text)
    failed = [u.message for u in read_text(text, 2025).unparsed if u.message.startswith("not read:")]
    assert not failed, failed


# ---- generated sentences
def _labels() -> list[tuple[str, str]]:
    """Every label that names exactly one subject: measures' altLabels and function class names."""
    index = subject_index()
    return sorted((label, subject_name(subs[0])) for label, subs in index.labels.items() if len(subs) == 1)


LABELS = _labels()
CHANGE_WORDS = [*change_words()["RISE"], *change_words()["FALL"]]
_ITEM_CODES = sorted(c for c in code_list("function").names if len(c) == 7)


@st.composite
def amounts(draw) -> tuple[str, str]:
    """(as printed, as Decimal text): 0–2 decimals, thousands separators on some."""
    whole = draw(st.integers(min_value=0, max_value=99_999_999))
    decimals = draw(st.integers(min_value=0, max_value=2))
    fraction = draw(st.integers(min_value=0, max_value=10**decimals - 1)) if decimals else 0
    tail = f".{fraction:0{decimals}d}" if decimals else ""
    grouped = draw(st.booleans()) and whole >= 1000
    return (f"{whole:,}" if grouped else str(whole)) + tail, str(Decimal(f"{whole}{tail}"))


def _claim(kind, subject, value, unit, basis=None, year=None, direction=None) -> tuple:
    return (kind, subject, value, unit, basis, year, direction)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(LABELS),
    amounts(),
    amounts(),
    st.sampled_from(CHANGE_WORDS),
    st.sampled_from(CHANGE_WORDS),
    st.integers(min_value=2015, max_value=2030),
    st.booleans(),
    amounts(),
)
def test_generated_statement_yields_its_claims(label, amount, change, word, rate_word, year, executed, rate):
    """'{subject}{amount}万元，占{p}%，比{year}年预算(执行数){word}{change}万元，{word}{rate}%。'"""
    name, subject = label
    basis, basis_word = ("prior_actual", "预算执行数") if executed else ("prior_budget", "预算")
    text = f"{name}{amount[0]}万元，占{rate[0]}%，比{year}年{basis_word}{word}{change[0]}万元，{rate_word}{rate[0]}%。"
    assert claims(text) == [
        _claim("amount", subject, amount[1], "万元"),
        _claim("share", subject, rate[1], "%"),
        _claim("change", subject, change[1], "万元", basis, year, word),
        _claim("rate", subject, rate[1], "%", basis, year, rate_word),
    ]


def test_every_label_names_its_subject():
    """Each label, first in its sentence, gives its own subject to the figures after it."""
    wrong = []
    for name, subject in LABELS:
        text = f"{name}1,234.50万元，比上年预算减少 3.99 万元，下降 0.32%。"
        expected = [
            _claim("amount", subject, "1234.50", "万元"),
            _claim("change", subject, "3.99", "万元", "prior_budget", None, "减少"),
            _claim("rate", subject, "0.32", "%", "prior_budget", None, "下降"),
        ]
        if claims(text) != expected:
            wrong.append(f"{name} ({subject}): {claims(text)}")
    assert not wrong, "\n".join(wrong)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(LABELS), amounts(), st.integers(min_value=2015, max_value=2030))
# a label with a comma in it: its 未安排 clause names only the label's tail (found by this test)
@example(("在其他政府采购项目中，由中小企业供应商中标或成交的", "measure:other_sme_awarded"), ("0", "0"), 2015)
def test_generated_flat_and_absence_yield_their_claims(label, amount, year):
    """'{subject}{amount}万元，与{year}年预算持平。{subject}未安排。'"""
    name, subject = label
    text = f"{name}{amount[0]}万元，与{year}年预算持平。{name}未安排。"
    assert claims(text) == [
        _claim("amount", subject, amount[1], "万元"),
        _claim("change", subject, None, None, "prior_budget", year, "持平"),
        _claim("not_arranged", subject, None, None),
    ]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_ITEM_CODES), amounts(), amounts(), st.sampled_from(CHANGE_WORDS), st.booleans())
def test_generated_item_path_yields_its_code(code, amount, change, word, dashed):
    """'1.{类}（类）{款}（款）{项}（项）：2025 年预算数为…' and '1. “{类}-{款}-{项}”科目…'"""
    names = code_list("function").names
    parts = [names[code[:3]], names[code[:5]], names[code]]
    head = (
        f"1. “{'-'.join(parts)}”科目"
        if dashed
        else f"1.{parts[0]}（类）{parts[1]}（款）{parts[2]}（项）：2025 年预算数为"
    )
    text = f"{head}{amount[0]}万元，比上年预算{word}{change[0]}万元。"
    assert claims(text) == [
        _claim("amount", f"code:{code}", amount[1], "万元"),
        _claim("change", f"code:{code}", change[1], "万元", "prior_budget", None, word),
    ]


def test_spans_are_the_printed_numbers(corpus):
    """Every claim's span is the printed number in the file (a number wrapped over a line break
    spans the break), and the marker for a claim without a figure."""
    wrong = []
    for path in corpus_files():
        loaded = read(str(path))
        for c in loaded.claims:
            printed = re.sub(r"\s", "", c.span.text)
            if (
                c.value is not None
                and parse_figure(printed) != c.value
                or loaded.source.text[c.span.start : c.span.end] != c.span.text
            ):
                wrong.append(f"{c.span}: {c.span.text!r} for {c.value}")
    assert not wrong, "\n".join(wrong[:20])


# ---- the lexer
def test_text_runs_never_swallow_a_keyword(corpus):
    """TEXT stops before every character that may begin another terminal, so no keyword, figure or
    marker can start inside a TEXT token of any corpus sentence."""
    lark = parser()
    contextual = {"TEXT", "CHAR", "MONEY", "PERCENT", "COUNTER", "CLASSIFIER", "WS"}
    starts = re.compile("|".join(f"(?:{t.pattern.to_regexp()})" for t in lark.terminals if t.name not in contextual))
    swallowed = []
    for path in corpus_files():
        loaded = read(str(path))
        narrative = narrative_text(loaded.source, loaded.regions)
        for s in split_sentences(narrative):
            text = narrative.text[s.start : s.end]
            for token in lark.parse(text).scan_values(lambda v: isinstance(v, Token) and v.type == "TEXT"):
                for k in range(token.start_pos + 1, token.end_pos):
                    if m := starts.match(text, k):
                        swallowed.append(f"{path.name}: {token!r} hides {m.group(0)!r}")
    assert not swallowed, "\n".join(swallowed[:20])
