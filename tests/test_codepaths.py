"""Classification paths printed in the narrative: found by looking only where a 类 marker is printed,
exactly as a search of the whole text finds them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.narrative.codepaths import _PRINTED_PATH_RE, _path_matches, printed_paths
from engine.source import Source


def test_a_printed_path_gives_its_codes() -> None:
    """类（款）（项） with fullwidth and ASCII brackets, after a sentence's punctuation."""
    text = "一、收支预算。（一）一般公共服务支出（类）商贸事务(款）行政运行（项）支出12.00万元，主要用于日常运行。"
    (path,) = printed_paths(Source(path="x.txt", text=text, encoding="utf-8"))
    assert (path.class_name, path.item_name, path.entry_name) == ("一般公共服务支出", "商贸事务", "行政运行")
    assert (path.class_code, path.item_code, path.entry_code) == ("201", "20113", "2011301")
    assert path.span.text == "一般公共服务支出（类）商贸事务(款）行政运行（项）"


NAMES = st.sampled_from(["一般公共服务支出", "商贸事务", "行政 运行", "其他", "支\n出", "1"])
SPACE = st.sampled_from(["", " ", "\n"])
OPEN, CLOSE = st.sampled_from(["（", "("]), st.sampled_from(["）", ")"])
PUNCTUATION = st.sampled_from(["，", "、", "。", "：", "；", "“", "”", '"', "（", ")", " ", "\n", "2024年"])


@st.composite
def printed(draw: st.DrawFn) -> str:
    """A path (类 and 款, maybe 项; markers with or without a number) or other printed text."""
    if draw(st.booleans()):
        return draw(PUNCTUATION)
    levels = "类款项"[: draw(st.integers(1, 3))]
    return "".join(
        f"{draw(SPACE)}{draw(NAMES)}{draw(OPEN)}{draw(st.sampled_from(['', '2']))}{level}{draw(CLOSE)}" for level in levels
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(printed(), max_size=12))
def test_paths_are_looked_for_where_a_class_marker_is_printed_with_the_same_result(pieces: list[str]) -> None:
    text = "".join(pieces)
    whole = [(m.span(), m.groupdict()) for m in _PRINTED_PATH_RE.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in _path_matches(text)] == whole
