"""docs/rules.md, the rule catalogue, generated from the shapes (a test fails when it is stale)."""

from __future__ import annotations

from pathlib import Path

from engine.crossdoc import SHAPES_DIR as CROSSDOC_SHAPES
from engine.resources import checkout
from engine.validate import rules


def catalogue_path() -> Path | None:
    """docs/rules.md of the source checkout this package runs from; None from an installed wheel."""
    root = checkout()
    return None if root is None else root / "docs" / "rules.md"


def render() -> str:
    """Markdown: one section per rule with id, severity, family, what it checks and an example."""
    out = [
        "# Rule catalogue",
        "",
        "Generated from `ontology/shapes/*.ttl` and `ontology/crossdoc-shapes/*.ttl` by `budget-kg rules --write`;",
        "do not edit by hand. An auditor adds a rule by adding a shape file (see `ontology/shapes/BK-TAB-001.ttl`).",
        "The cross-document rules (family cross-document) compare the documents of a store with each other and run",
        "with `budget-kg crossdoc --store PATH`; the others check one document at a time.",
        "",
        "| id | severity | family | checks |",
        "|---|---|---|---|",
    ]
    catalogue = rules() + rules(CROSSDOC_SHAPES)
    out += [f"| {r.id} | {r.severity} | {r.family} | {r.label} |" for r in catalogue]
    for r in catalogue:
        out += ["", f"## {r.id} — {r.label}", "", f"Severity: {r.severity}. Family: {r.family}.", "", r.comment.strip()]
        if r.example:
            out += ["", f"Example: {r.example.strip()}"]
        out += ["", f"Message: `{r.message.strip()}`"]
    return "\n".join(out) + "\n"
