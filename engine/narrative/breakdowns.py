"""Which whole a part figure belongs to: '政府采购预算38.20万元，其中：货物7.80万元、工程0万元、服务30.40万元'
prints a whole and its parts, and so does a 三公 paragraph over its numbered items. Each part (a measure
that ontology/measures.ttl says adds to or lies within another) is linked to the figure of its whole
printed last before it, so rules add the parts up instead of guessing by position."""

from __future__ import annotations

from engine.model import Claim, Section

_FIGURES = ("amount", "count")


def _chapter(claim: Claim, sections: list[Section]) -> int | None:
    """The start of the 一、 section the claim is printed in (None outside any)."""
    offset = claim.span.start
    tops = [s for s in sections if s.level == 1 and s.span.start <= offset < s.end]
    return max(s.start for s in tops) if tops else None


def link_parts(claims: list[Claim], sections: list[Section], wholes: dict[str, str]) -> None:
    """Set `counted_in` on each part figure: the last figure of its whole before it, of the same kind,
    basis and year, in the same 一、 section. Claims are in reading order."""
    last: dict[tuple[str, str, str | None, int | None, int | None], Claim] = {}
    for claim in claims:
        if claim.kind not in _FIGURES or claim.value is None:
            continue
        chapter = _chapter(claim, sections)
        whole = wholes.get(claim.subject)
        if whole is not None:
            claim.counted_in = last.get((whole, claim.kind, claim.basis, claim.period, chapter))
        last[(claim.subject, claim.kind, claim.basis, claim.period, chapter)] = claim
