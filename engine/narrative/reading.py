"""Reading one parsed sentence into Claims: each figure's subject comes from the words before it
(across commas if need be), from the noun after a classifier, or else from the sentence's subject so
far, or from the heading of the numbered item it is in; never from another sentence's words."""

from __future__ import annotations

from lark import Token

from engine.model import Claim, Section
from engine.narrative.codepaths import fold, resolve_path
from engine.narrative.phrases import QUALIFIER_BASIS, Basis, Phrase, Printed, Reading, Scope
from engine.narrative.sentences import Sentence
from engine.numbers import parse_figure
from engine.printed import change_word_in
from engine.vocab import code_concept, code_of

# Words that are no part of a subject phrase: they date it, number it or declare its unit.
_NOT_WORDS = {"YEAR", "DATE", "MONTH", "ORDINAL", "DOCNO", "PHONE", "QUOTED", "TABLE_LABEL", "UNIT_DECL", "GRID_PRIOR"}
_BOUNDARIES = {"SEP", "SEMI"}
_PATH_MARKS = {"CLASS_MARK", "KUAN_MARK", "XIANG_MARK"}
_WORDLIKE = {"qualified", "completion", "share", "change"}  # phrases that are words when they print no figure
_COMPARED_MARKERS = {"INITIAL", "FULL_YEAR", "FINAL"}  # the amounts a 决算's verdict compares
_UNIT_REACH = 120  # narrative characters within which a table's （万元） governs its bare figures


def _text(words: list[Token]) -> str:
    """The folded subject phrase the words print. A trailing 决算数/执行数 says which figure of the
    subject is meant ("“三公”经费财政拨款支出决算数与2023年度持平"), not which subject."""
    kept = [t for t in words if t.type not in _NOT_WORDS]
    while kept and kept[-1].type == "ACTUAL_WORD":
        kept.pop()
    return fold("".join(kept))


def _own_budget(words: list[Token]) -> tuple[list[Token], str] | None:
    """For words ending in 预算(数)(为) ("…支出预算为" + figure): the words before it and the budget it is,
    the 全年 (adjusted) one after 调整/调整后, else the 年初 one (the 决算 templates' 预算数 is the 年初预算数)."""
    end = len(words)
    while end and words[end - 1].type in ("TEXT", "COLON") and str(words[end - 1]).strip() in ("为", "是", "：", ":", ""):
        end -= 1
    if not end or words[end - 1].type != "BUDGET_WORD":
        return None
    before = words[: end - 1]
    adjusted = bool(before) and str(before[-1]).endswith(("调整", "调整后"))
    return before, "full_year_budget" if adjusted else "initial_budget"


def _after(pieces: list, i: int) -> list[Token]:
    """The words after piece i, up to the next comma or phrase."""
    out: list[Token] = []
    for piece in pieces[i + 1 :]:
        if not isinstance(piece, Token) or piece.type in _BOUNDARIES:
            break
        out.append(piece)
    return out


class SentenceReader:
    """The claims of one sentence, read in order; what it leaves for later sentences goes in the Scope."""

    def __init__(self, scope: Scope, sentence: Sentence) -> None:
        self.scope = scope
        self.index = scope.subjects
        self.sentence = sentence
        self.subject: str | None = None  # the sentence's subject so far
        self.head: str | None = None  # its first subject
        self.phrase = ""  # the folded words it was read from
        self.counter = ""  # the counter they were read with (长期投资 + 项), if any
        self.period = scope.year
        self.pending: Basis | None = None  # the last comparison, for changes that print none
        self.in_cause = False
        self.grid_prior = False  # an indicator grid with a 上年完成值 column
        self.breakdown = False  # after 其中, each part names its own subject
        self.targets: set[int] = set()  # ids of claims read from indicator targets
        self.out = Reading()

    def read(self, pieces: list) -> Reading:
        words: list[Token] = []  # since the last comma or phrase
        run: list[Token] = []  # since the last figure, across commas
        for i, piece in enumerate(pieces):
            if isinstance(piece, Token):
                self._word(piece)
                if piece.type in _BOUNDARIES:
                    words = []
                else:
                    words.append(piece)
                run.append(piece)
                continue
            if isinstance(piece, Basis):
                self.pending = piece
                continue
            phrase = Phrase("figure", piece.number, piece) if isinstance(piece, Printed) else piece
            if phrase.figure is None and phrase.rule in _WORDLIKE:
                # 预算安排 without an amount is a word of a subject ("当年预算安排项目共 1 个")
                self.pending = phrase.basis or self.pending
                words.append(phrase.marker)
                run.append(phrase.marker)
                continue
            if phrase.rule == "cause":
                self._cause(pieces, i)
                words = []
                continue
            if self._phrase(phrase, words, run, _after(pieces, i)) or phrase.figure is not None:
                words, run = [], []
            else:  # a marker that named nothing is a word: 无 of 无形资产
                words.append(phrase.marker)
                run.append(phrase.marker)
        self._close(pieces)
        return self.out

    def _word(self, token: Token) -> None:
        if token.type in ("YEAR", "DATE") and not self.in_cause:
            self.period = int(token[:4])
        elif token.type == "GRID_PRIOR":
            self.grid_prior = True
        elif token.type == "BREAKDOWN":
            self.breakdown = True
        elif token.type == "SEMI":
            self.in_cause = False

    # ---- phrases
    def _phrase(self, phrase: Phrase, words: list[Token], run: list[Token], after: list[Token]) -> bool:
        """Claims of one phrase; whether it made any."""
        rule, figure = phrase.rule, phrase.figure
        if rule == "verdict":
            return self._verdict(phrase)
        if rule in ("not_arranged", "empty_table"):
            # inside a cause, 无 explains a change ("主要原因是无公务用车购置需求"): no statement of its own
            return not self.in_cause and self._absence(phrase, words, run, after)
        if phrase.basis is not None and rule in ("change", "flat"):
            self.pending = phrase.basis
        if figure is None:
            return rule == "flat" and self._add("change", phrase, words, run, after, direction=str(phrase.marker))
        if rule == "target" and figure.form != "amount":
            return False  # an indicator's target value ("=50 个"): not a budget figure
        if figure.form == "bare" and self._declared_unit(self._at(figure.number)) is None:
            return False  # a bare integer outside a performance table (a row number, a name): no figure
        self.out.figures += 1
        if rule in ("change", "flat"):
            kind = "rate" if figure.form == "percent" else "change"
            return self._add(kind, phrase, words, run, after, direction=str(phrase.marker))
        if rule == "share":
            whole = self.index.last(fold(str(phrase.marker)))
            return self._add("share", phrase, words, run, after, whole=self._one(whole.subjects) if whole else None)
        if rule == "completion":
            return self._add("rate", phrase, words, run, after)
        if figure.form == "percent":
            return self._miss(f"percentage {figure.number}% of nothing named")
        kind = "count" if figure.form in ("count", "tally") else "amount"
        if rule == "qualified":
            basis = QUALIFIER_BASIS.get(phrase.marker.type)
            if phrase.marker.type in ("INITIAL", "FULL_YEAR"):
                self.scope.qualifier_basis = basis
            year = next((int(t[:4]) for t in reversed(words) if t.type == "YEAR"), None)
            added = self._add(kind, phrase, words, run, after, basis=basis, basis_year=year if basis else None)
            if added and phrase.marker.type in _COMPARED_MARKERS:
                self.scope.qualified.append((phrase.marker.type, self.out.claims[-1]))
            return added
        if self.scope.final and kind == "amount" and (own := _own_budget(words)) is not None:
            # A 决算 stating its own budget without 年初/全年 ("支出预算为0.95万元，支出决算为0.00万元"):
            # the word names which figure of the subject it is, not the subject.
            named, basis = own
            if not self._add(kind, phrase, named, run, after, basis=basis):
                return False
            self.scope.qualifier_basis = basis
            self.scope.qualified.append(("BUDGET_WORD", self.out.claims[-1]))
            return True
        return self._add(kind, phrase, words, run, after)

    def _add(
        self, kind: str, phrase: Phrase, words: list[Token], run: list[Token], after: list[Token], **fields
    ) -> bool:
        """Add the claim of a phrase once its subject is known; a figure without one is a miss."""
        subject, own = self._subject(phrase, words, run, after)
        if subject is None:
            figure = phrase.figure
            printed = f"{figure.number}{figure.unit or ''}" if figure else str(phrase.marker)
            return self._miss(f"no subject for {printed}")
        if kind in ("change", "rate") and "basis" not in fields:
            fields["basis"], fields["basis_year"] = self._basis(phrase.basis or self.pending)
        if phrase.rule == "target" and not own and self.grid_prior and self._repeats_target(subject):
            fields["basis"] = "prior_actual"  # the indicator's 上年完成值, printed after its target
        claim = self._claim(kind, subject, phrase, **fields)
        if phrase.rule == "target":
            self.targets.add(id(claim))
        return True

    def _verdict(self, phrase: Phrase) -> bool:
        """'决算数小于(全年)预算数': the section's last 决算 amount set against the budgets printed with it
        (those of the named basis, when it names one); without both, no claim."""
        word = str(phrase.marker)
        section = self._section(self.scope.narrative.origin[self._at(phrase.marker)])
        window = [(marker, c) for marker, c in self.scope.qualified if c.section is section]
        finals = [i for i, (marker, _) in enumerate(window) if marker == "FINAL"]
        if not finals:
            return False
        named = "INITIAL" if "年初" in word else "FULL_YEAR" if "全年" in word else None
        since = finals[-2] + 1 if len(finals) > 1 else 0
        budgets = [c for marker, c in window[since:] if marker != "FINAL" and named in (None, marker)]
        if not budgets:
            return False
        final = window[finals[-1]][1]
        direction = change_word_in(word)
        claim = self._claim(
            "verdict", final.subject, phrase, direction=direction, basis=QUALIFIER_BASIS.get(named or "")
        )
        claim.current, claim.compared = final, budgets
        return True

    def _repeats_target(self, subject: str) -> bool:
        last = self.out.claims[-1] if self.out.claims else None
        return last is not None and id(last) in self.targets and last.subject == subject

    def _absence(self, phrase: Phrase, words: list[Token], run: list[Token], after: list[Token]) -> bool:
        """未安排/没有/无 name what follows them ("无政府性基金预算拨款和国有资本经营预算") or, failing
        that, what precedes ("…资金未安排", in its clause or, for a label with a comma in it, the run
        of clauses before it); 空表 names the table before it."""
        found = self.index.leading(_text(after)) if phrase.rule == "not_arranged" else []
        for before in (words, run) if not found else ():
            last = self.index.last(_text(before))
            if last:
                found = [last]
                break
        for match in found:
            self._claim(phrase.rule, self._one(match.subjects), phrase)
        return bool(found)

    # ---- subjects
    def _subject(
        self, phrase: Phrase, words: list[Token], run: list[Token], after: list[Token]
    ) -> tuple[str | None, bool]:
        """The phrase's subject (None if it has none) and whether the phrase printed it itself."""
        figure = phrase.figure
        counter = str(figure.unit) if figure is not None and figure.form in ("count", "tally") else ""
        text = _text(words)
        if phrase.rule == "qualified":
            # the qualifier may end the subject's own name: "年度预算安排" + 12.5万元
            named = self.index.across(text, fold(str(phrase.marker)), at_join=False)
            if named:
                return self._take(self._one(named.subjects), text, ""), True
        path = self._path(words)
        if path == "":
            return None, False
        if path:
            return self._take(path, text, ""), True
        if {t.type for t in words} - _NOT_WORDS - {"COLON"} == {"TOTAL"}:
            # 合计 of a breakdown: the whole its parts belong to, or the sentence's first subject
            whole = self.index.broader.get(self.scope.last_subject or "") or self.head
            if whole:
                return self._take(whole, text, ""), True
        if self._counted(text, counter):
            found = self._label(text + counter)
            if found:
                return self._take(found, text + counter, counter), True
        found = self._label(text)
        if found:
            return self._take(found, text, ""), True
        if figure is not None and figure.form == "tally":
            noun = self.index.across(text, fold(counter) + _text(after)) or self.index.across(text, _text(after))
            if noun:
                return self._take(self._one(noun.subjects), text, ""), True
        if figure is not None and figure.form == "bare":
            return None, False
        if len(run) > len(words):
            path = self._path(run)
            if path is not None:  # a path before the comma names the figure, or (unknown) nothing
                return (self._take(path, _text(run), ""), True) if path else (None, False)
            found = self._label(_text(run))
            if found:
                return self._take(found, _text(run), ""), True
        if text and (self.breakdown or figure is not None and figure.form in ("count", "tally")):
            # a part after 其中, or a count, of something not known ("支持企业创新化发展70.00万",
            # "参公单位 1 家"): not the sentence's subject
            return None, False
        return self._inherited(figure), False

    def _counted(self, text: str, counter: str) -> bool:
        """Whether the words name their subject together with the counter (长期投资 + 项 is
        长期投资项), which holds when that label is longer than the one the words name alone."""
        if not counter:
            return False
        with_counter, alone = self.index.last(text + counter), self.index.last(text)
        return (
            with_counter is not None
            and with_counter.end == len(text) + len(counter)
            and (alone is None or with_counter.start <= alone.start)
        )

    def _label(self, text: str) -> str | None:
        """The subject the folded words name: their last label, or one the sentence's subject qualifies."""
        if not text:
            return None
        match = self.index.last(text)
        qualified = self.index.qualified(match.label if match else text, self.subject)
        return qualified or (self._one(match.subjects) if match else None)

    def _inherited(self, figure: Printed | None) -> str | None:
        """The sentence's subject (re-read without its counter for an amount: 长期投资0项0万元), or the item's."""
        if self.subject is None:
            return self.scope.item
        if self.counter and figure is not None and figure.form in ("amount", "bare"):
            return self._label(self.phrase[: -len(self.counter)]) or self.subject
        return self.subject

    def _take(self, subject: str, text: str, counter: str) -> str:
        self.subject, self.phrase, self.counter = subject, text, counter
        self.head = self.head or subject
        return subject

    def _one(self, subjects: tuple[str, ...]) -> str:
        return self.index.choose(subjects, self.scope.last_subject)

    def _path(self, words: list[Token]) -> str | None:
        """The concept of the function class the words print a path of; '' for a path not in the code lists.
        A path without its 类 ('行政运行（项）') is read in the class of the item it is in, if any."""
        marked = any(t.type in _PATH_MARKS for t in words)
        if not marked and "-" not in "".join(words):
            return None
        code = resolve_path("".join(str(t) for t in words if t.type not in _NOT_WORDS), self._class_around())
        if code:
            return str(code_concept(code, "function"))
        if marked:
            self._miss(f"classification path not in the code lists: {''.join(words)}")
            return ""
        return None

    # ---- bases, causes, claims
    def _basis(self, basis: Basis | None) -> tuple[str | None, int | None]:
        if basis is None:
            return None, None
        if basis.kind == "budget":
            return self.scope.qualifier_basis, None
        if basis.kind is None:
            return ("prior_actual" if self.scope.final else "prior_budget"), basis.year
        return basis.kind, basis.year

    def _cause(self, pieces: list, i: int) -> None:
        """'主要原因是…' up to the next semicolon explains the changes before it in the sentence, or
        else those of the sentence before (in the same paragraph)."""
        self.in_cause = True
        self.pending = None  # a change inside the cause ("人数增加 1 人") compares with nothing printed
        marker = pieces[i].marker
        start = self._at(marker)
        ends = (self._at(p) for p in pieces[i + 1 :] if isinstance(p, Token) and p.type == "SEMI")
        end = next(ends, self.sentence.end)
        reason = self.scope.narrative.text[start + len(marker) : end].rstrip("。！？!? ")
        if not reason:
            return
        mine = [c for c in self.out.claims if c.kind in ("change", "rate") and c.cause is None]
        for claim in mine or [c for c in self.scope.open_changes if c.cause is None]:
            claim.cause = reason
            claim.cause_span = self.scope.narrative.span(start, end)

    def _claim(self, kind: str, subject: str, phrase: Phrase, **fields) -> Claim:
        """A Claim for the phrase's figure (or its marker when it has none)."""
        figure = phrase.figure if kind not in ("not_arranged", "empty_table") else None
        token = figure.number if figure is not None else phrase.marker
        start = self._at(token)
        narrative = self.scope.narrative
        unit = str(figure.unit) if figure is not None and figure.unit is not None else None
        if figure is not None and figure.form == "bare":
            unit = self._declared_unit(start)
        claim = Claim(
            kind=kind,
            subject=subject,
            value=parse_figure(str(figure.number)) if figure is not None else None,
            unit=unit,
            span=narrative.span(start, start + len(token)),
            sentence=narrative.span(self.sentence.start, self.sentence.end),
            period=self.period,
            section=self._section(narrative.origin[start]),
            topic=self._section(narrative.origin[start], deepest=2),
            **fields,
        )
        self.out.claims.append(claim)
        self.scope.last_subject = subject
        return claim

    def _declared_unit(self, at: int) -> str | None:
        """The unit a performance table declares near a bare figure ("资金总额（万元）")."""
        near = [(abs(at - pos) + (pos > at), unit) for pos, unit in self.scope.units if abs(at - pos) <= _UNIT_REACH]
        return min(near)[1] if near else None

    def _section(self, offset: int, deepest: int = 3) -> Section | None:
        """The innermost section (of level ≤ deepest: 1 一、 2 （一） 3 1.) holding the offset."""
        inner = [s for s in self.scope.sections if s.start <= offset < s.end and s.level <= deepest]
        return max(inner, key=lambda s: (s.level, s.start)) if inner else None

    def _class_around(self) -> str | None:
        """The classification the sentence is under: its paragraph's item, else the innermost
        heading above it that prints a path ("（一）一般公共服务支出（类）")."""
        item = code_of(self.scope.item) if self.scope.item else None
        if item is not None:
            return item[1]
        offset = self.scope.narrative.origin[self.sentence.start]
        for section in sorted(self.scope.sections, key=lambda s: -s.level):
            if section.span.end <= offset < section.end:
                code = resolve_path(section.title)
                if code:
                    return code
        return None

    def _heading(self, offset: int) -> Section | None:
        """The section whose heading line holds the source offset, if any."""
        return next((s for s in self.scope.sections if s.span.start <= offset < s.span.end), None)

    def _at(self, token: Token) -> int:
        """The narrative offset of a token of this sentence (lexed tokens always carry a position)."""
        return self.sentence.start + (token.start_pos or 0)

    def _miss(self, reason: str) -> bool:
        if self.out.missed is None:
            self.out.missed = reason
        return False

    def _close(self, pieces: list) -> None:
        """Leave the sentence's uncaused changes to the next. A numbered sentence begins an item, in
        its paragraph or amid one: its path or first subject names the item, else nothing does, so
        no later sentence takes the subject of the item before. A heading that prints only a path
        names the item of its whole section ("1.“…（类）…（项）”" above the item's paragraphs)."""
        self.scope.open_changes = [c for c in self.out.claims if c.kind in ("change", "rate") and c.cause is None]
        numbered = pieces and isinstance(pieces[0], Token) and pieces[0].type in ("ORDINAL", "PAREN")
        if not numbered:
            return
        self.scope.item_end = -1
        if self.out.claims:
            self.scope.item = self.out.claims[0].subject
            return
        self.scope.item = None  # the path of this item is read on its own, not in the item before's class
        self.scope.item = self._path([p for p in pieces if isinstance(p, Token)]) or None
        heading = self._heading(self.scope.narrative.origin[self.sentence.start])
        if self.scope.item and heading is not None:
            self.scope.item_end = heading.end
