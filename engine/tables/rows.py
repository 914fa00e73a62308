"""Row assembly: token lines of a table body → rows (code, name, amounts), before columns are known.

Both text forms go through here: `pdftotext -layout` (one row a line, wrapped names on the
line before or after) and the wrapped form where cells flow over several lines and a name's
tail may be glued to the next row's code ('出208 社会保障和就业支出').
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.diagnostics import WARNING, Diagnostic
from engine.printed import FIRST_ORDINAL, NOTE_RE, SECOND_ORDINAL, UNIT_LINE_RE, names_total
from engine.source import Source
from engine.tables.tokens import Token, normalise, tokenize

# The row of column numbers under a header: '※ ※ ※ 1 2 3' or '1 2 3 4'.
_COLUMN_NUMBERS_RE = re.compile(r"^\s*(※[※\s\d]*|1(\s+\d{1,2})+)\s*$")
_CODE_PART_RE = re.compile(r"^\s*\d{1,2}\s*$")  # a 款 or 项 printed alone on its line
# The header cells over a classification code's parts.
_CODE_HEADER_WORDS = {"类", "款", "项", "类款", "类款项", "科目编码"}
# What begins a printed item label: an ordinal, or 其中： before a breakdown's parts.
_ITEM_LABEL_RE = re.compile(rf"^(?:{FIRST_ORDINAL}|{SECOND_ORDINAL}|其中[：:])")


@dataclass(slots=True)
class RawRow:
    """A row as printed, before its amounts are given columns."""

    tokens_name: list[Token] = field(default_factory=list)
    code: Token | None = None
    nums: list[Token] = field(default_factory=list)
    side: str | None = None
    line_start: int = 0  # offset of the row's first token
    page: int = 1

    @property
    def name(self) -> str:
        return "".join(t.text for t in self.tokens_name)


@dataclass(slots=True)
class Body:
    """What a table region holds: rows, notes and the lines that were not understood."""

    rows: list[RawRow] = field(default_factory=list)
    notes: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, text)
    unparsed: list[Diagnostic] = field(default_factory=list)
    header_words: set[str] = field(default_factory=set)
    header_tokens: list[Token] = field(default_factory=list)  # in printed order, with x


@dataclass(slots=True)
class _Line:
    start: int
    text: str
    tokens: list[Token]
    page_break: bool


def _lines(source: Source, start: int, end: int, integers: bool) -> list[_Line]:
    out: list[_Line] = []
    offset = start
    for text in source.text[start:end].split("\n"):
        if out and (code := _code_continued(out[-1], text, offset)):
            out[-1] = _Line(out[-1].start, out[-1].text, [code], out[-1].page_break)
        tokens = [] if _COLUMN_NUMBERS_RE.match(text.replace("\f", "")) else tokenize(text, offset, integers)
        if tokens:  # a line of bare digits (column numbers, a page number) carries no row
            out.append(_Line(offset, text, tokens, "\f" in text))
        offset += len(text) + 1
    return out


def _code_continued(previous: _Line, text: str, offset: int) -> Token | None:
    """Unaligned text prints each cell of a row as a paragraph, a code's 类, 款 and 项 too ('208',
    '05', '01'): a line of one or two digits after a line holding only a code of fewer than three
    parts continues that code."""
    if not _CODE_PART_RE.match(text) or len(previous.tokens) != 1:
        return None
    code = previous.tokens[0]
    if code.kind != "code" or len(code.text.split()) >= 3:
        return None
    return Token("code", f"{code.text} {text.strip()}", code.start, offset + len(text.rstrip()), code.x_start, code.x_end)


def _is_total(tok: Token) -> bool:
    return tok.kind == "text" and names_total(normalise(tok.text))


def _starts_body(line: _Line, layout: str, following: _Line | None = None) -> bool:
    """Amounts start the body; so does a code with its name, or a lone code or total word whose
    amounts follow on the next line (unaligned text prints each cell on a line of its own)."""
    first = line.tokens[0]
    if any(t.kind == "num" for t in line.tokens):
        return True
    alone = len(line.tokens) == 1 and following is not None and following.tokens[0].kind == "num"
    if layout == "coded":
        return first.kind == "code" and len(line.tokens) > 1 or alone and (first.kind == "code" or _is_total(first))
    return False


def _is_header_repeat(line: _Line, header_words: set[str], after_break: bool) -> bool:
    """A header printed again on a new page: every word of it is a header word."""
    if any(t.kind == "num" for t in line.tokens):
        return False  # (a line of column numbers never gets here: _lines drops it)
    words = [normalise(t.text) for t in line.tokens if t.kind != "num"]
    if any(t.kind == "code" for t in line.tokens) or not words:
        return False
    if set(words) <= _CODE_HEADER_WORDS:
        return True
    if all(w in header_words for w in words) and (after_break or len(words) > 1 or len(words[0]) >= 4):
        return True
    return bool(UNIT_LINE_RE.search(line.text))


def _header_then_amounts(line: _Line) -> bool:
    """Code header words (类 款 项) followed by amounts only."""
    words = [normalise(t.text) for t in line.tokens if t.kind == "text"]
    return bool(words) and set(words) <= _CODE_HEADER_WORDS and all(t.kind != "code" for t in line.tokens)


def _is_name_head(previous: _Line, line: _Line) -> bool:
    """A code line without its name, under a text-only line: that line is the name's head."""
    has_name = any(t.kind == "text" for t in line.tokens)
    return line.tokens[0].kind == "code" and not has_name and all(t.kind == "text" for t in previous.tokens)


def split_body(source: Source, start: int, end: int, layout: str) -> tuple[list[_Line], Body]:
    """Separate header lines, notes and body lines of a table region."""
    body = Body()
    lines = _lines(source, start, end, integers=layout == "items")
    body_lines: list[_Line] = []
    in_header = True
    after_break = False
    in_note = False
    first_header: str | None = None
    last_header: _Line | None = None
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        if NOTE_RE.match(line.text.replace("\f", "")) or in_note and not _starts_body(line, layout):
            in_note = True
            body.notes.append((line.start, line.start + len(line.text), line.text.strip()))
            continue
        in_note = False
        if line.page_break:
            after_break = True
        if in_header and not _starts_body(line, layout, following):
            body.header_words.update(normalise(t.text) for t in line.tokens)
            body.header_tokens.extend(line.tokens)
            last_header = line
            if not UNIT_LINE_RE.search(line.text):
                first_header = first_header or normalise(line.text)
            continue
        if normalise(line.text) == first_header:
            in_header = True  # the header printed again on the next page
            continue
        if in_header and _header_then_amounts(line):
            # The first row's amounts printed higher than its name, level with the header's last
            # line ('类 款 项 … 2,336.91 603.14' over '合计 2,940.05'): the words are header, the amounts the row's.
            body.header_tokens.extend(t for t in line.tokens if t.kind == "text")
            line = _Line(line.start, line.text, [t for t in line.tokens if t.kind == "num"], line.page_break)
        if in_header and last_header is not None and _is_name_head(last_header, line):
            body_lines.append(last_header)  # the first row's name printed above its code
        in_header = False
        if _is_header_repeat(line, body.header_words, after_break):
            continue
        if any(t.kind in ("num", "code") for t in line.tokens) or _is_total(line.tokens[0]):
            after_break = False
        body_lines.append(line)
    return body_lines, body


def header_centres(body: Body, headers: dict[str, tuple[str, ...]], columns: tuple[str, ...]) -> dict[int, float]:
    """Column index → x-centre of its header word in the (first) header: a word equal to the
    cell's text wins over one that only starts it, which wins over one inside it."""
    if all("." in c for c in columns):
        return _subcolumn_centres(body, headers, columns)
    centres: dict[int, float] = {}
    texts = [(normalise(t.text), t) for t in body.header_tokens]
    for idx, column in enumerate(columns):
        for word in (normalise(w) for w in headers.get(column, ())):
            hit = (
                next((t for s, t in texts if s == word), None)
                or next((t for s, t in texts if s.startswith(word)), None)
                or next((t for s, t in texts if word in s), None)
            )
            if hit is not None:
                centres[idx] = (hit.x_start + hit.x_end) / 2
                break
    return centres


def _subcolumn_centres(body: Body, headers: dict[str, tuple[str, ...]], columns: tuple[str, ...]) -> dict[int, float]:
    """Columns printed as sub-columns ('total.budget_initial', 'total.final', …): the sub-column words
    of the header line (预算数 决算数 预算数 …), one per column in order. Only when the header prints one
    word per column in the columns' order of sub-columns (not 预算数 {六项} 决算数 {六项}): else none."""
    subs = [c.split(".", 1)[1] for c in columns]
    words = {normalise(w): sub for sub in set(subs) for w in headers.get(sub, ())}
    found = [t for t in body.header_tokens if normalise(t.text) in words][: len(columns)]
    if [words[normalise(t.text)] for t in found] != subs:
        return {}
    return {i: (t.x_start + t.x_end) / 2 for i, t in enumerate(found)}


NameOf = Callable[[str], "str | None"]


def _text_after(toks: list[Token], i: int) -> str:
    """The row's own name printed on its code's line."""
    out = []
    for tok in toks[i + 1 :]:
        if tok.kind == "code":
            break
        if tok.kind == "text":
            out.append(tok.text)
    return "".join(out)


def _pending_is_prefix(pending: str, own: str, code: str, current: RawRow | None, name_of: NameOf) -> bool:
    """A text-only line between two rows: head of the next row's name or tail of the last one's?
    The official names decide where they can; else a row printing its own name on its code's
    line takes no head."""
    official = name_of(code)
    if official and normalise(official).startswith(normalise(pending + own)):
        return True
    if current is not None and current.code is not None:
        previous = name_of(current.code.code_digits)
        if previous and normalise(previous).startswith(normalise(current.name + pending)):
            return False
    return not own or current is None


def assemble_coded(source: Source, lines: list[_Line], name_of: NameOf) -> tuple[list[RawRow], list[Diagnostic]]:
    """Rows that begin with a classification code or a total word; names may wrap before or after.
    In layout text a cell's amount may be printed on the line above its row (a cell vertically
    centred over a wrapped neighbour): a line of amounts alone, after a row that has its own,
    belongs to the next row."""
    rows: list[RawRow] = []
    unparsed: list[Diagnostic] = []
    current: RawRow | None = None
    pending: list[Token] = []  # a text-only line that may be the next row's name head
    early: list[Token] = []  # amounts printed above the row they belong to
    layout = source.is_layout
    for line in lines:
        toks = line.tokens
        if all(t.kind == "text" for t in toks) and not _is_total(toks[0]):
            if pending and current is not None:
                current.tokens_name.extend(pending)
            pending = list(toks)
            continue
        if all(t.kind == "num" for t in toks) and layout and (current is None or current.nums and not pending):
            early.extend(toks)
            continue
        for i, tok in enumerate(toks):
            starts_row = tok.kind == "code" or (_is_total(tok) and (i == 0 or toks[i - 1].kind == "num"))
            if starts_row:
                row = RawRow(line_start=tok.start, page=source.page_of(tok.start))
                if tok.kind == "code":
                    row.code = tok
                else:
                    row.tokens_name.append(tok)
                if pending:
                    head = "".join(t.text for t in pending)
                    own = _text_after(toks, i)
                    if tok.kind == "code" and _pending_is_prefix(head, own, tok.code_digits, current, name_of):
                        row.tokens_name.extend(pending)
                    elif current is not None:
                        current.tokens_name.extend(pending)
                    else:
                        row.tokens_name[:0] = pending
                    pending = []
                row.nums.extend(early)
                early = []
                current = row
                rows.append(row)
            elif current is None:
                unparsed.append(
                    Diagnostic("tables", WARNING, source.span(tok.start, tok.end), "amount before any row of the table")
                )
            elif tok.kind == "num":
                if pending:  # a name wrapped over lines, its amounts on the next line
                    current.tokens_name.extend(pending)
                    pending = []
                current.nums.append(tok)
            else:
                if pending:
                    current.tokens_name.extend(pending)
                    pending = []
                current.tokens_name.append(tok)
        if current is not None and layout:
            current.nums.sort(key=lambda t: t.x_end)
    if pending and current is not None:
        current.tokens_name.extend(pending)
    for tok in early:
        unparsed.append(
            Diagnostic("tables", WARNING, source.span(tok.start, tok.end), "amount after the last row of the table")
        )
    return rows, unparsed


def _items_of_line(line: _Line, previous: list[RawRow]) -> list[RawRow]:
    """Split one printed line into its items: a new item starts at a code, at text after
    amounts, or at text far (over three characters) from the name before it."""
    items: list[RawRow] = []
    toks = line.tokens
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        glued = nxt is not None and nxt.kind == "code" and nxt.start == tok.end
        if i == 0 and tok.kind == "text" and len(tok.text) <= 2 and glued and previous:
            previous[-1].tokens_name.append(tok)  # a wrapped name's tail glued to the next code
            continue
        prev = items[-1] if items else None
        if prev is None:
            new = True
        elif tok.kind == "code":
            new = bool(prev.tokens_name or prev.nums or prev.code)
        elif tok.kind == "text":
            new = bool(prev.nums) or bool(prev.tokens_name) and tok.start - prev.tokens_name[-1].end > 3
        else:
            new = False
        if new:
            items.append(RawRow(line_start=tok.start))
        item = items[-1]
        if tok.kind == "code":
            item.code = tok
        elif tok.kind == "text":
            item.tokens_name.append(tok)
        else:
            item.nums.append(tok)
    return items


def assemble_two_sided(
    source: Source, lines: list[_Line], body: Body, sides: tuple[str, str], name_of: NameOf, class_code: NameOf
) -> None:
    """Each printed line holds a left item and a right item, either may be missing. Each side is
    then read on its own: as coded rows (names wrapping around their codes) where it prints
    codes, else one row per item."""
    per_line: list[tuple[_Line, list[RawRow]]] = []
    for line in lines:
        items = _items_of_line(line, per_line[-1][1] if per_line else [])
        per_line.append((line, items))
    # The x where right-hand items begin, from lines that print both sides' items.
    xs = sorted(_first(items[1]).x_start for _, items in per_line if len(items) >= 2)
    threshold = int(xs[len(xs) // 2] * 0.75) if xs else 10**6
    # In the wrapped text form positions mean little: a lone item with a code goes to the side
    # whose items print codes.
    coded = [sum(1 for _, items in per_line if len(items) >= 2 and items[k].code) for k in (0, 1)]
    code_side = sides[0] if coded[0] > coded[1] else sides[1] if coded[1] > coded[0] else None
    side_lines: dict[str, list[_Line]] = {sides[0]: [], sides[1]: []}
    for line, items in per_line:
        if len(items) == 1 and not items[0].tokens_name and items[0].code is None and source.is_layout:
            # A line of amounts alone: each goes to the side under which it is printed.
            by_side: dict[str, list[Token]] = {}
            for tok in items[0].nums:
                by_side.setdefault(sides[1] if tok.x_start >= threshold else sides[0], []).append(tok)
            for side, toks in by_side.items():
                side_lines[side].append(_Line(toks[0].start, line.text, toks, line.page_break))
            continue
        for idx, item in enumerate(items[:2]):
            if len(items) == 2:
                side = sides[idx]
            elif item.code is not None and code_side is not None and not source.is_layout:
                side = code_side
            else:
                side = sides[1] if _first(item).x_start >= threshold else sides[0]
            toks = sorted([*([item.code] if item.code else []), *item.tokens_name, *item.nums], key=lambda t: t.start)
            side_lines[side].append(_Line(toks[0].start, line.text, toks, line.page_break))
        for extra in items[2:]:
            first = _first(extra)
            body.unparsed.append(
                Diagnostic(
                    "tables", WARNING, source.span(first.start, line.start + len(line.text)), "a third item on a two-sided line"
                )
            )
    for side, pseudo in side_lines.items():
        if any(t.kind == "code" for ln in pseudo for t in ln.tokens):
            rows, missed = assemble_coded(source, pseudo, name_of)
            body.unparsed.extend(missed)
        else:
            rows = []
            early: list[Token] = []
            for ln in pseudo:
                only_nums = all(t.kind == "num" for t in ln.tokens)
                if only_nums and rows and not rows[-1].nums and not early and not class_code(rows[-1].name):
                    rows[-1].nums.extend(ln.tokens)  # an unfinished name printed above its amounts
                    continue
                if only_nums:
                    early.extend(ln.tokens)  # amounts printed above their item
                    continue
                text = "".join(t.text for t in ln.tokens)
                tail = len(text) <= 2 and not is_ordinal_label(text)
                if (
                    rows
                    and not only_nums
                    and all(t.kind == "text" for t in ln.tokens)
                    and (tail or class_code(rows[-1].name + text))
                ):
                    rows[-1].tokens_name.extend(ln.tokens)  # the name's tail printed below its amounts
                    continue
                row = RawRow(line_start=ln.tokens[0].start, page=source.page_of(ln.tokens[0].start))
                row.nums.extend(early)
                early = []
                for tok in ln.tokens:
                    (row.nums if tok.kind == "num" else row.tokens_name).append(tok)
                if not row.tokens_name:
                    body.unparsed.append(
                        Diagnostic(
                            "tables", WARNING, source.span(row.nums[0].start, row.nums[-1].end), "amounts without an item name"
                        )
                    )
                    continue
                rows.append(row)
            for tok in early:
                body.unparsed.append(
                    Diagnostic("tables", WARNING, source.span(tok.start, tok.end), "amount after the last item of its side")
                )
        for row in rows:
            row.side = side
        body.rows.extend(rows)
    body.rows.sort(key=lambda r: r.line_start)


def _first(item: RawRow) -> Token:
    return min([*([item.code] if item.code else []), *item.tokens_name, *item.nums], key=lambda t: t.start)


def assemble_items(source: Source, lines: list[_Line], body: Body) -> None:
    """Named rows without codes (三公经费 …): a name and its amounts; a name may wrap onto the next line."""
    current: RawRow | None = None
    for line in lines:
        toks = line.tokens
        if toks[0].kind == "num" and current is not None and not current.nums:
            current.nums.extend(t for t in toks if t.kind == "num")
            continue
        current = RawRow(line_start=toks[0].start, page=source.page_of(toks[0].start))
        for tok in toks:
            (current.nums if tok.kind == "num" else current.tokens_name).append(tok)
        body.rows.append(current)


def is_ordinal_label(name: str) -> bool:
    """'一、财政拨款收入', '1、一般公共预算资金', '其中：' begin a printed item label."""
    return bool(_ITEM_LABEL_RE.match(name))
