"""JUnit XML, the test report every CI shows: each document a test suite, each rule a test case that
fails when the rule found an error not accepted; warnings, infos and accepted findings are printed with
the case, so nothing found is hidden."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from engine.output.text import evidence_lines
from engine.validate import Finding, rules

if TYPE_CHECKING:
    from engine.pipeline import Audit


def _describe(finding: Finding) -> str:
    """The finding and every fact it compared, with where it was printed."""
    mark = f" [accepted: {finding.accepted}]" if finding.accepted is not None else ""
    return "\n".join([f"{finding.severity.upper()} {finding.rule} {finding.message}{mark}", *evidence_lines(finding)])


def _suite(audit: Audit) -> ET.Element:
    name = audit.loaded.source.name
    catalogue = rules()
    suite = ET.Element("testsuite", name=name, tests=str(len(catalogue)))
    failures = 0
    for rule in catalogue:
        case = ET.SubElement(suite, "testcase", classname=name, name=f"{rule.id} {rule.label}")
        found = [f for f in audit.findings if f.rule == rule.id]
        errors = [f for f in found if f.severity == "error" and f.accepted is None and f.cause is None]
        if errors:
            failures += 1
            failure = ET.SubElement(case, "failure", type="error", message=errors[0].message)
            failure.text = "\n\n".join(_describe(f) for f in errors)
        if others := [f for f in found if f not in errors]:
            ET.SubElement(case, "system-out").text = "\n\n".join(_describe(f) for f in others)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return suite


def audit(audits: list[Audit]) -> str:
    """`<testsuites>` with one `<testsuite>` per document."""
    root = ET.Element("testsuites", name="budget-kg")
    suites = [_suite(a) for a in audits]
    root.extend(suites)
    root.set("tests", str(sum(int(s.get("tests", 0)) for s in suites)))
    root.set("failures", str(sum(int(s.get("failures", 0)) for s in suites)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
