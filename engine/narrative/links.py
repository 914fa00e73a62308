"""Which amount a change, rate or share qualifies: '基本支出 126.55 万元，占 92.85%，比上年预算增加
3.99 万元，增长 3.26%' states one amount and three facts about it. Rules compare a change with its
amount, so the reader links them instead of leaving rules to guess by position."""

from __future__ import annotations

from engine.model import Claim

QUALIFIERS = ("change", "rate", "share")


def _is_current_amount(claim: Claim) -> bool:
    return claim.kind == "amount" and claim.basis is None and claim.value is not None


def _start(claim: Claim) -> int | None:
    return claim.section.start if claim.section else None


def link_amounts(claims: list[Claim]) -> None:
    """Set `current` on each change, rate and share: the amount of the same subject printed in its
    sentence (the last before it, else the first after), else the last one printed before it in
    the same section. Claims are in reading order."""
    by_sentence: dict[int, list[Claim]] = {}
    for claim in claims:
        by_sentence.setdefault(claim.sentence.start, []).append(claim)
    last: dict[tuple[str, int | None], Claim] = {}
    for claim in claims:
        if _is_current_amount(claim):
            last[(claim.subject, _start(claim))] = claim
        elif claim.kind in QUALIFIERS:
            same = [c for c in by_sentence[claim.sentence.start] if c.subject == claim.subject and _is_current_amount(c)]
            before = [c for c in same if c.span.start < claim.span.start]
            claim.current = before[-1] if before else same[0] if same else last.get((claim.subject, _start(claim)))
