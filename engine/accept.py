"""Accept stage: findings an auditor has accepted (a YAML list of {rule, fact, reason}) stay
listed, marked with the reason, and no longer count."""

from __future__ import annotations

from pathlib import Path

import yaml

from engine.validate import Finding


def read_acceptances(path: Path) -> list[dict[str, str]]:
    """A YAML list of {rule, fact, reason}; a malformed file is an error naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ValueError(f"{path.name}: cannot read acceptances: {err}") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) and "rule" in e and "fact" in e for e in data):
        raise ValueError(f"{path.name}: acceptances must be a list of {{rule, fact, reason}}")
    return data


def accept(findings: list[Finding], accepted: list[dict[str, str]], file: str) -> None:
    """Mark each finding an acceptance names with the acceptance's reason."""
    for finding in findings:
        for entry in accepted:
            if _accepts(entry, finding, file):
                finding.accepted = str(entry.get("reason", ""))


def _accepts(entry: dict[str, str], finding: Finding, file: str) -> bool:
    """An acceptance names a rule and a fact: its IRI, or `file:line` of any evidence."""
    if entry.get("rule") != finding.rule:
        return False
    fact = str(entry.get("fact", ""))
    places = {f"{e.source.file}:{e.source.line}" for e in finding.evidence if e.source is not None}
    return fact in {finding.value, *(e.fact for e in finding.evidence)} or fact in places or fact == f"{file}:*"
