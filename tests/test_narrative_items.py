"""Numbered narrative items take their subject from their own classification path or their own
sentence, never from another item of their group: the item forms of the family (quoted or not,
with or without codes, the path cut by a line break, ordinals 1. （一） 1、 （1）) in the layout,
plain and wrapped text forms."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.narrative import read_text
from engine.vocab import subject_name


def subjects(text: str, year: int = 2025) -> list[tuple[str, str, str | None]]:
    """(kind, subject, value) of each claim the text yields, in order."""
    return [
        (c.kind, subject_name(c.subject), str(c.value.value) if c.value else None) for c in read_text(text, year).claims
    ]


def test_items_whose_path_is_a_sentence_of_its_own_in_one_paragraph():
    """Lines too long to be headings run the items into one paragraph: the figures of item 3 follow
    its own path, not item 2's (the path is a sentence of its own, the figures come after)."""
    text = """四、财政拨款支出预算情况说明
1.“一般公共服务支出（类）商贸事务（款）行政运行（项）”。主要用于机关运行和机关人员经费支出。2025年预算数为938.99万元，比上年预算增加12.00万元。
2.“一般公共服务支出（类）商贸事务（款）一般行政管理事务（项）”。主要用于商贸事务支出。2025年预算数为454.50万元，比上年预算增加3.50万元。
3.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”。主要用于缴费。2025年预算数为141.09万元，比上年预算增加0.84万元。
"""
    assert subjects(text) == [
        ("amount", "code:2011301", "938.99"),
        ("change", "code:2011301", "12.00"),
        ("amount", "code:2011302", "454.50"),
        ("change", "code:2011302", "3.50"),
        ("amount", "code:2080505", "141.09"),
        ("change", "code:2080505", "0.84"),
    ]


def test_a_path_heading_names_the_paragraphs_of_its_item():
    """A heading that prints only the path ("1.“…（项）”" on a line of its own) names the figures
    of the paragraph below it, and no further than the next item."""
    text = """（三）一般公共预算当年拨款具体使用情况
1.“一般公共服务支出（类）群众团体事务（款）行政运行（项）”
2025 年预算数为 51.71万元，比上年预算减少 12.47万元。
2.“一般公共服务支出（类）群众团体事务（款）事业运行（项）”
2025 年预算数为 61.27万元，比上年预算增加 14.28万元。
3.本部门其他支出
2025 年预算数为 3.00万元。
"""
    assert subjects(text) == [
        ("amount", "code:2012901", "51.71"),
        ("change", "code:2012901", "12.47"),
        ("amount", "code:2012950", "61.27"),
        ("change", "code:2012950", "14.28"),
    ]


def test_a_path_before_a_comma_names_the_figure_after_it():
    """ "…（项）”，年初预算为…": the figure is the 项's, not its class's (一般公共服务支出) nor a
    measure whose name is inside the path (事业单位 in 行政事业单位养老支出)."""
    text = """1、一般公共服务支出（类）财政事务（款）行政运行（项），年初预算为 1560.05 万元，支出决算为1511.89万元。
2、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项），年初预算为 85.55 万元，支出决算为84.65万元。
"""
    assert [s for s in subjects(text, 2024) if s[0] == "amount"] == [
        ("amount", "code:2010601", "1560.05"),
        ("amount", "code:2010601", "1511.89"),
        ("amount", "code:2080501", "85.55"),
        ("amount", "code:2080501", "84.65"),
    ]


def test_a_path_without_its_class_is_read_in_its_items_class():
    """Items listed under a 类 heading print only 款 and 项: each is its own 项, never the class."""
    text = """（一）一般公共服务支出（类）500.00万元。
1.政府办公厅（室）及相关机构事务（款）行政运行（项）120.00万元，主要用于机关运行。
2.政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）30.00万元，主要用于会议。
"""
    assert subjects(text) == [
        ("amount", "code:201", "500.00"),
        ("amount", "code:2010301", "120.00"),
        ("amount", "code:2010302", "30.00"),
    ]


def test_a_path_not_in_the_code_lists_names_nothing():
    """An item whose path the code lists do not have gives no claim: its figure is not the item's before."""
    text = """1.“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元。
2.“一般公共服务支出（类）商贸事务（款）不存在的事务（项）”。2025年预算数为454.50万元。
"""
    assert subjects(text) == [("amount", "code:2011301", "938.99")]


# ---- the family's item forms, generated
ITEMS = [  # (类, 款, 项 names), their codes, amount, change: as the corpus prints them
    (("一般公共服务支出", "商贸事务", "行政运行"), ("201", "13", "01"), "938.99", "12.00"),
    (("一般公共服务支出", "商贸事务", "一般行政管理事务"), ("201", "13", "02"), "454.50", "3.50"),
    (
        ("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"),
        ("208", "05", "05"),
        "141.09",
        "0.84",
    ),
    (("卫生健康支出", "行政事业单位医疗", "行政单位医疗"), ("210", "11", "01"), "63.19", "1.35"),
]
ORDINALS = ["{}.", "{}、", "{}．", "（{}）", "({})", "（{cjk}）"]
QUOTES = [("“", "”"), ("", ""), ('"', '"'), ("「", "」")]
TAILS = [  # how the item's figures follow its path
    "{a}万元，比上年预算增加{d}万元，主要用于机关运行。",
    "：2025年预算数为{a}万元，比上年预算增加{d}万元。",
    "。主要用于机关运行。2025年预算数为{a}万元，比上年预算增加{d}万元。",
    "\n2025年预算数为{a}万元，比上年预算增加{d}万元。",
]


def _document(ordinal: str, quote: tuple[str, str], coded: bool, tail: str, width: int, form: str) -> str:
    """The items as one form prints them: lines cut at `width` characters (a path may be cut),
    indented (layout), plain, or each line followed by a blank one (the sample's wrapped form)."""
    items = []
    for i, (names, codes, amount, change) in enumerate(ITEMS, 1):
        path = "".join(f"{n}（{c if coded else ''}{m}）" for n, c, m in zip(names, codes, "类款项", strict=True))
        number = ordinal.format(i, cjk="一二三四"[i - 1])
        items.append(f"{number}{quote[0]}{path}{quote[1]}{tail.format(a=amount, d=change)}")
    lines = [p[k : k + width] for p in "\n".join(items).split("\n") for k in range(0, len(p), width)]
    lines = ["四、财政拨款支出预算情况说明", *lines]
    if form == "layout":
        return "\n".join("    " + line for line in lines)
    return ("\n\n" if form == "wrapped" else "\n").join(lines)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(ORDINALS),
    st.sampled_from(QUOTES),
    st.booleans(),
    st.sampled_from(TAILS),
    st.sampled_from([200, 38, 23]),
    st.sampled_from(["layout", "plain", "wrapped"]),
)
def test_every_item_form_gives_each_figure_its_own_path(ordinal, quote, coded, tail, width, form):
    """Whatever the ordinal, quotes, codes, line width and text form, each amount and change is
    read, and read as its own item's 项."""
    expected = []
    for _names, codes, amount, change in ITEMS:
        expected += [("amount", "code:" + "".join(codes), amount), ("change", "code:" + "".join(codes), change)]
    assert subjects(_document(ordinal, quote, coded, tail, width, form)) == expected
