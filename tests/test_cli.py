"""Every command has help text and runs on the sample; audit output formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from engine.rules_doc import catalogue_path, render
from tests.conftest import CORPUS, ROOT

SAMPLE = str(ROOT / "examples" / "shuimogou-union-2025.txt")
JUSTICE = str(CORPUS / "justice-2026-unit-budget.txt")
COMMANDS = ["parse", "tables", "claims", "audit", "load", "query", "serve", "rules", "crossdoc"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout and len(result.stdout) > 200


def test_parse_writes_turtle_and_ntriples() -> None:
    ttl = run("parse", SAMPLE)
    assert ttl.returncode == 0
    graph = Graph().parse(data=ttl.stdout, format="turtle")
    nt = run("parse", SAMPLE, "--format", "nt")
    assert len(Graph().parse(data=nt.stdout, format="nt")) == len(graph) > 5000


def test_tables_json_has_the_documented_shape() -> None:
    data = json.loads(run("tables", SAMPLE, "--format", "json").stdout)
    assert set(data) == {"document", "tables", "unparsed"}
    first = data["tables"][0]
    assert {"number", "title", "unit", "columns", "rows"} <= set(first)
    row = next(r for r in data["tables"][2]["rows"] if r["code"] == "2080506")
    assert row["values"] == {"total": "7.58", "project": "7.58"} and row["line"] == 400


def test_tables_text_and_csv() -> None:
    text = run("tables", SAMPLE).stdout
    assert "单位支出总体情况表" in text and "2080506" in text
    rows = list(csv.DictReader(io.StringIO(run("tables", SAMPLE, "--format", "csv").stdout)))
    assert {"table": "3", "code": "2080506", "column": "project", "value": "7.58"}.items() <= next(
        r for r in rows if r["code"] == "2080506" and r["table"] == "3" and r["column"] == "project"
    ).items()


def test_audit_of_a_document_with_errors_exits_1_and_cites_lines() -> None:
    result = run("audit", JUSTICE, "--format", "json")
    assert result.returncode == 1
    (data,) = json.loads(result.stdout)["documents"]
    assert set(data["summary"]) >= {"errors", "warnings", "infos", "tables", "rows", "claims", "unparsed"}
    row_rule = [f for f in data["findings"] if f["rule"] == "BK-TAB-001"]
    lines = sorted({e["source"]["line"] for f in row_rule for e in f["evidence"]})
    assert lines == [162, 211]  # 行政运行: 合计 14,348,853.34 but 项目支出 64,840,547.00 (tables 3 and 5)


def test_audit_ttl_is_the_shacl_report() -> None:
    report = Graph().parse(data=run("audit", JUSTICE, "--format", "ttl").stdout, format="turtle")
    assert len(set(report.subjects(None, SH.ValidationResult))) >= 2


def test_audit_html_lists_every_finding_with_its_evidence() -> None:
    from html.parser import HTMLParser

    result = run("audit", JUSTICE, "--format", "html")
    assert result.returncode == 1
    (data,) = json.loads(run("audit", JUSTICE, "--format", "json").stdout)["documents"]
    findings = data["findings"]

    class Cells(HTMLParser):
        """Text of every table cell and of the rule ids (strong)."""

        def __init__(self) -> None:
            super().__init__()
            self.texts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.texts.append(data.strip())

    page = Cells()
    page.feed(result.stdout)
    assert page.texts.count("BK-TAB-001") == len([f for f in findings if f["rule"] == "BK-TAB-001"]) == 2
    assert "justice-2026-unit-budget.txt:162:" in result.stdout  # the 行政运行 row's 项目支出 cell
    assert len([t for t in page.texts if t.startswith("BK-")]) == len(findings)


def test_accepted_findings_are_listed_not_hidden(tmp_path: Path) -> None:
    accept = tmp_path / "accept.yaml"
    accept.write_text(
        "- rule: BK-TAB-001\n  fact: justice-2026-unit-budget.txt:162\n  reason: 已与单位核实，打印错误\n"
        "- rule: BK-TAB-001\n  fact: justice-2026-unit-budget.txt:211\n  reason: 同上\n",
        encoding="utf-8",
    )
    result = run("audit", JUSTICE, "--accept", str(accept), "--format", "json")
    (data,) = json.loads(result.stdout)["documents"]
    accepted = [f for f in data["findings"] if f.get("accepted")]
    assert len(accepted) == 2 and accepted[0]["accepted"] in ("已与单位核实，打印错误", "同上")
    assert data["summary"]["accepted"] == 2
    assert result.returncode == (1 if data["summary"]["errors"] else 0)


def test_a_directory_without_disclosures_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "x.txt").mkdir()  # a directory named like a disclosure is not one
    for command in (["audit", str(tmp_path)], ["load", str(tmp_path), "--store", str(tmp_path / "store")]):
        result = run(*command)
        assert result.returncode == 2
        assert result.stderr.strip() == f"budget-kg: {tmp_path}: no disclosure (*.txt, *.pdf) in this directory"


def test_audit_of_a_directory_adds_a_summary_table(tmp_path: Path) -> None:
    for name in ("justice-2026-unit-budget.txt", "district-office-2025-unit-budget.txt"):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    (tmp_path / "broken.txt").write_bytes(b"")
    result = run("audit", str(tmp_path))
    assert result.returncode == 2  # bad input wins over errors
    assert "broken.txt: empty file" in result.stderr
    header, *rows = result.stdout.splitlines()[-3:]
    assert header.split()[:2] == ["file", "unit"]
    assert [row.split()[:2] for row in rows] == [
        ["district-office-2025-unit-budget.txt", "上海市普陀区人民政府办公室"],
        ["justice-2026-unit-budget.txt", "上海市普陀区司法局"],
    ]


def test_rule_catalogue_is_current() -> None:
    assert catalogue_path() == ROOT / "docs" / "rules.md"
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render(), "run `budget-kg rules --write`"


def test_version_and_module_entry_point() -> None:
    from engine import __version__

    assert run("--version").stdout == f"budget-kg {__version__}\n"
    module = subprocess.run([sys.executable, "-m", "engine", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert module.stdout == f"budget-kg {__version__}\n"


def test_claims_join_a_figure_wrapped_over_two_lines() -> None:
    """The sample prints 职业年金 …‘=7 / .58 / 万元 over lines 1489-1491: one value, 7.58, in every output."""
    claims = json.loads(run("claims", SAMPLE, "--format", "json").stdout)["claims"]
    wrapped = [c for c in claims if c["line"] == 1489]
    assert [(c["value"], c["text"]) for c in wrapped] == [("7.58", "7\n.58")]
    assert not any(line.startswith(".58") for line in run("claims", SAMPLE).stdout.splitlines())


def test_dash_reads_standard_input() -> None:
    """`-` is standard input, cited as `stdin`, with the same findings as the file itself."""
    sample = Path(SAMPLE).read_bytes()
    piped = subprocess.run(
        [sys.executable, "-m", "engine.cli", "audit", "-", "--format", "json"], input=sample, capture_output=True, cwd=ROOT
    )
    (document,) = json.loads(piped.stdout)["documents"]
    (by_name,) = json.loads(run("audit", SAMPLE, "--format", "json").stdout)["documents"]
    assert document["document"]["file"] == "stdin"
    assert [(f["rule"], f["message"]) for f in document["findings"]] == [
        (f["rule"], f["message"]) for f in by_name["findings"]
    ] != []
    assert {e["source"]["file"] for f in document["findings"] for e in f["evidence"]} == {"stdin"}


def _commands() -> dict[str, list]:
    import typer.main

    from engine.cli import app

    group = typer.main.get_command(app)
    return {name: command.params for name, command in group.commands.items()}  # type: ignore[attr-defined]


def test_each_short_option_means_one_thing_across_commands() -> None:
    meanings: dict[str, set[str]] = {}
    for params in _commands().values():
        for param in params:
            longs = [o for o in param.opts if o.startswith("--")]
            for short in (o for o in param.opts if len(o) == 2 and o.startswith("-")):
                meanings.setdefault(short, set()).update(longs)
    assert meanings["-f"] == {"--format"} and meanings["-o"] == {"--output"}
    assert all(len(longs) == 1 for longs in meanings.values()), meanings


def test_every_command_that_prints_can_write_a_file_instead() -> None:
    writes = {name for name, params in _commands().items() if any("--output" in p.opts for p in params)}
    assert writes == {"parse", "tables", "audit", "claims", "query", "crossdoc", "rules"}


@pytest.mark.parametrize("command", [*COMMANDS, ""])
def test_help_shows_no_python_type_placeholders(command: str) -> None:
    text = run(*([command] if command else []), "--help").stdout
    assert not re.search(r"<(list\[|bool|str|path|int|float)", text), text
    assert "--help" in text


def test_claims_text_names_subjects_by_their_chinese_labels() -> None:
    """Sample line 998: 职业年金 7.58万元 under 2080506; an auditor reads the name, not `code:2080506`."""
    text = run("claims", SAMPLE).stdout
    line = next(t for t in text.splitlines() if t.startswith("shuimogou-union-2025.txt:998:"))
    assert "7.58万元" in line and "机关事业单位职业年金缴费支出（2080506）" in line
    assert "measure:" not in text and "code:" not in text
