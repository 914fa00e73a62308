"""Sentences of the joined narrative: split at 。！？ and at hard breaks, grouped in paragraphs so that a
numbered item's heading ("1.一般公共服务支出（类）…（项）") can govern the sentences of its item."""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.narrative.text import BREAK, Narrative

_END_RE = re.compile(r"[。！？!?]")


@dataclass(frozen=True, slots=True)
class Sentence:
    """text[start:end] of the narrative, the paragraph it is in, and whether it opens that paragraph."""

    start: int
    end: int
    paragraph: int
    opens_paragraph: bool


def split_sentences(narrative: Narrative) -> list[Sentence]:
    """Every non-blank sentence, in order, with its terminator; a paragraph ends at each hard break."""
    out: list[Sentence] = []
    text = narrative.text
    paragraph_start = 0
    for paragraph, block in enumerate(text.split(BREAK)):
        start = paragraph_start
        first = True
        for m in _END_RE.finditer(block):
            first = _add(out, text, start, paragraph_start + m.end(), paragraph, first)
            start = paragraph_start + m.end()
        _add(out, text, start, paragraph_start + len(block), paragraph, first)
        paragraph_start += len(block) + 1
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int, first: bool) -> bool:
    """Append text[start:end] trimmed, if anything is left; returns whether the paragraph is still unopened."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return first
    out.append(Sentence(start, end, paragraph, first))
    return False
