"""One defect, one error: errors that rest on a common printed figure are one group.

A misprinted figure (or a misread cell) feeds every rule that uses it: the row's identity, its
parent's sum, the other table that restates it, the narrative amount, the share computed from it.
Errors that share a fact are grouped (transitively); the group's root is the error about the fact
most of them share, taken in rule-family order (the table before what restates it), and the other
errors are listed under it as its consequences. Warnings and infos stand alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import Graph

from engine.validate import Finding, rules
from engine.vocab import BK

# Where a defect shows first: a table's own arithmetic, then what restates a table, then the narrative.
FAMILY_ORDER = (
    "table-arithmetic",
    "empty-table",
    "cross-table",
    "narrative-vs-tables",
    "narrative-arithmetic",
    "narrative-vs-narrative",
)


def _facts(finding: Finding) -> set[str]:
    return {e.fact for e in finding.evidence}


def _rank(finding: Finding, families: dict[str, str]) -> tuple[int, str, str]:
    family = families.get(finding.rule, "")
    order = FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
    return order, finding.rule, finding.message


def group(findings: list[Finding], report: Graph) -> None:
    """Mark each error of a group but its root as that root's consequence (`Finding.cause`, and
    `bk:consequenceOf` in the SHACL report)."""
    families = {rule.id: rule.family for rule in rules()}
    errors = sorted((f for f in findings if f.severity == "error"), key=lambda f: _rank(f, families))
    parent = list(range(len(errors)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holders: dict[str, list[int]] = defaultdict(list)
    for i, finding in enumerate(errors):
        for fact in _facts(finding):
            holders[fact].append(i)
    for indices in holders.values():
        for i in indices[1:]:
            a, b = root(indices[0]), root(i)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(errors)):
        groups[root(i)].append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        shared = Counter(fact for i in members for fact in _facts(errors[i]))
        suspect = max(shared, key=lambda fact: (shared[fact], -min(i for i in members if fact in _facts(errors[i]))))
        head = errors[min(i for i in members if suspect in _facts(errors[i]))]
        for i in members:
            if errors[i] is not head:
                errors[i].cause = head
                if errors[i].result is not None and head.result is not None:
                    report.add((errors[i].result, BK.consequenceOf, head.result))  # type: ignore[arg-type]
