"""Classification paths printed in the narrative (类/款/项 or 类-款-项) → function codes, by the code
lists' official names; fuzzy only as far as the corpus needs (其它/其他, obsolete names, a 项 printed
under the wrong 款)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from engine.codes import code_list
from engine.model import PrintedPath
from engine.resources import data_path
from engine.source import Source

GRAMMAR = data_path("grammar", "subject.lark")
_DIGITS_RE = re.compile(r"\d+")
_CLASS_MARK_RE = re.compile(r"（\d*类）")


def fold(name: str) -> str:
    """A name as compared: without spaces and quotes, 其它 read as 其他, ASCII brackets as fullwidth."""
    name = re.sub(r"[\s“”\"‘’'「」『』]", "", name).replace("其它", "其他")
    return name.translate(str.maketrans("(),:;", "（），：；"))


@dataclass(slots=True)
class _Index:
    """Function codes by folded name, level by level."""

    classes: dict[str, str] = field(default_factory=dict)  # name (current or obsolete) → 3-digit code
    children: dict[str, dict[str, str]] = field(default_factory=dict)  # parent code → name → code
    descendants: dict[str, dict[str, str]] = field(default_factory=dict)  # class code → name → code


@cache
def _index() -> _Index:
    codes = code_list("function")
    index = _Index()
    for code, name in codes.names.items():
        names = [fold(name)] + [fold(n) for n in codes.obsolete.get(code, [])]
        if len(code) == 3:
            for n in names:
                index.classes.setdefault(n, code)
            continue
        for n in names:
            index.children.setdefault(code[:-2], {}).setdefault(n, code)
            index.descendants.setdefault(code[:3], {}).setdefault(n, code)
    return index


@cache
def _parser() -> Lark:
    return Lark.open(str(GRAMMAR), parser="lalr")


def class_names() -> dict[str, str]:
    """Folded 类 name (current and obsolete) → code: the classes a plain phrase may name."""
    return dict(_index().classes)


def _names(tree: Tree) -> tuple[list[str], list[str]]:
    """The path's names and the digits printed in its markers ('' where none)."""
    names: list[str] = []
    digits: list[str] = []
    for child in tree.children:
        if isinstance(child, Tree):
            names.append("".join(str(t) for t in child.children))
        elif isinstance(child, Token) and child.type.endswith("_MARK"):
            m = _DIGITS_RE.search(child)
            digits.append(m.group(0) if m else "")
    return names, digits


def _class_at_end(name: str) -> str | None:
    """The class whose name the first segment ends with (words before it are not part of the path)."""
    classes = _index().classes
    for k in range(len(name)):
        if name[k:] in classes:
            return classes[name[k:]]
    return None


def _child(parent: str, name: str, table: dict[str, dict[str, str]]) -> str | None:
    """The code under `parent` whose name begins `name` (the longest: '行政运行科目' is 行政运行)."""
    names = table.get(parent, {})
    for k in range(len(name), 0, -1):
        if name[:k] in names:
            return names[name[:k]]
    return None


@lru_cache(maxsize=4096)  # the narrative asks for a heading's path again for every claim under it
def resolve_path(text: str, within: str | None = None) -> str | None:
    """'一般公共服务支出（类）群众团体事务（款）行政运行（项）：…' → '2012901'; None if the text
    is no path or names a code the lists do not have. A path printed without its 类 under an item
    of class `within` ('群众团体事务（款）行政运行（项）') is read in that class."""
    text = fold(text)
    if within and not _CLASS_MARK_RE.search(text):
        text = fold(code_list("function").names.get(within[:3], "")) + "（类）" + text
    try:
        tree = _parser().parse(text)
    except LarkError:
        return None
    names, digits = _names(tree)
    levels = len(digits) if tree.data == "marked" else len(names)
    if tree.data == "marked" and digits and all(digits) and len("".join(digits)) == 3 + 2 * (levels - 1):
        code = "".join(digits)
        return code if code in code_list("function").names else None
    first = _class_at_end(names[0])
    if first is None:
        return None
    code, index = first, _index()
    path = names[1:levels]
    for i, name in enumerate(path):
        found = _child(code, name, index.children)
        if found is None:
            # a name printed under a parent that is not its own: the name anywhere in the class
            found = _child(code[:3], name, index.descendants)
        if found is not None and len(found) > len(code):
            code = found
        elif i == len(path) - 1:
            return None  # the printed 项 (or 款) is not in the code lists
    tail = names[levels] if len(names) > levels else ""
    if len(tail) >= 2 and any(n.startswith(tail) for n in index.children.get(code, {})):
        return None  # the path breaks off inside the next level's name (text printed out of order)
    return code



# A path printed with its level markers: "一般公共服务支出（类）商贸事务（款）行政运行（项）" (ASCII brackets
# too, "（款)"), names wrapped over lines as printed; the 类 name is the end of the text before its marker.
_NAME = r"[^，。：；,;“”\"（）()、]"
_PRINTED_PATH_RE = re.compile(
    rf"(?P<cls>{_NAME}{{2,40}}?)[（(]\d*类[）)]\s*(?P<item>{_NAME}{{1,40}}?)[（(]\d*款[）)]"
    rf"(?:\s*(?P<entry>{_NAME}{{1,40}}?)[（(]\d*项[）)])?"
)


# Punctuation no path holds (neither its names nor its markers): a path lies within one stretch between them.
_NOT_IN_PATH = "，。：；,;“”\"、"
_NOT_IN_PATH_RE = re.compile(f"[{_NOT_IN_PATH}]")
_CLASS_MARKER_RE = re.compile(r"[（(]\d*类[）)]")


def _path_matches(text: str) -> list[re.Match[str]]:
    """What _PRINTED_PATH_RE finds in the text, looked for only in the stretches that print a 类 marker
    (the pattern, tried at every offset of the text, was the narrative's slowest step)."""
    out: list[re.Match[str]] = []
    end = 0
    for marker in _CLASS_MARKER_RE.finditer(text):
        if marker.start() < end:
            continue  # in the stretch just searched
        start = max(text.rfind(c, 0, marker.start()) for c in _NOT_IN_PATH) + 1
        after = _NOT_IN_PATH_RE.search(text, marker.end())
        end = after.start() if after else len(text)
        out.extend(_PRINTED_PATH_RE.finditer(text, start, end))
    return out


def printed_paths(source: Source) -> list[PrintedPath]:
    """Every 类（款）(项) path the text prints whose 类 is a class of the code lists, with the codes its
    names are: the 项 by its current or obsolete name under its 款, else anywhere in its class."""
    index, out = _index(), []
    for m in _path_matches(source.text):
        printed = fold(m.group("cls"))
        cls = next((printed[k:] for k in range(len(printed)) if printed[k:] in index.classes), None)
        if cls is None:
            continue
        code = index.classes[cls]
        item = fold(m.group("item"))
        item_code = index.children.get(code, {}).get(item)
        entry = fold(m.group("entry")) if m.group("entry") else None
        entry_code = None
        if entry is not None:
            under = index.children.get(item_code or "", {})
            entry_code = under.get(entry) or index.descendants.get(code, {}).get(entry)
        start = m.end("cls") - 1  # where the class name begins: its text folds to the name
        while start > m.start("cls") and fold(source.text[start : m.end("cls")]) != cls:
            start -= 1
        out.append(PrintedPath(source.span(start, m.end()), cls, item, entry, code, item_code, entry_code))
    return out
