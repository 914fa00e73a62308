"""`budget-kg load` into a store, in-process and through the real CLI: reloading replaces a
document's graphs, a bad file is one line and the others load, the summary table, SIGKILL midway."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from engine.store import open_store
from engine.storing import load_into_store
from engine.vocab import BK
from tests.conftest import CORPUS
from tests.test_queries import THREE_PUBLIC, by_file, cli_rows

DOC = CORPUS / "wanli-street-2025-dept-budget.txt"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
CLI = Path(sys.executable).with_name("budget-kg")
SH = "http://www.w3.org/ns/shacl#"

# Unit, year and kind as each file's first lines print them:
#   commerce-2025-dept-budget.txt  "上海市普陀区2025年区级部门预算" / "预算主管部门：上海市普陀区商务委员会"
#   justice-2026-unit-budget.txt   "上海市普陀区2026年区级单位预算" / "预算单位：上海市普陀区司法局"
#   welfare-home-2024-unit-budget.txt (the fourth file of the SIGKILL test; header not asserted)
HEADERS = {
    "commerce-2025-dept-budget.txt": ("上海市普陀区商务委员会", "2025", "部门预算"),
    "justice-2026-unit-budget.txt": ("上海市普陀区司法局", "2026", "单位预算"),
}
# Sorts between the two good files, so the load goes on after it. Its error line is longer than
# 80 columns and its name holds `[draft]` (rich markup): the line must still be one line, verbatim.
BAD = "d-scan [draft] of the 2025 department budget, without its text layer.txt"
BAD_BYTES = b"%PDF-1.7\n\x00\x00\x01\x02 scanned pages only\n"


def triples(location: str) -> int:
    """Triples in all named graphs of the store."""
    with open_store(location) as st:
        return int(st.query(COUNT).rows[0][0])


def test_reload_keeps_triple_count(tmp_path: Path) -> None:
    """Loading the same document twice leaves the store as one load left it."""
    location = str(tmp_path / "store")
    assert load_into_store([DOC], location, None) == 0
    once = triples(location)
    assert once > 0
    assert load_into_store([DOC], location, None) == 0
    assert triples(location) == once


def inputs(folder: Path, names: list[str]) -> Path:
    """A folder holding the named corpus documents (and BAD, if named), as a user would give it."""
    folder.mkdir()
    for name in names:
        if name == BAD:
            (folder / name).write_bytes(BAD_BYTES)
        else:
            shutil.copy(CORPUS / name, folder / name)
    return folder


def cli_env() -> dict[str, str]:
    """A terminal 80 columns wide, as on most CI runners, and unbuffered output."""
    return {**os.environ, "COLUMNS": "80", "PYTHONUNBUFFERED": "1"}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.split("\n") if line.startswith("budget-kg:")]


def table_rows(stdout: str) -> dict[str, tuple[str, ...]]:
    """The summary table's body rows, by file: the cells between `│` separators."""
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in stdout.split("\n") if line.startswith("│")]
    return {row[0]: tuple(row[1:]) for row in rows}


def three_public(location: str) -> dict[str, Decimal]:
    """Each stored document's 三公 total in 元, by `budget-kg query -f three-public-by-unit.rq`."""
    return by_file(location, cli_rows(location, "three-public-by-unit.rq"), "three_public_yuan")


def iri_of(location: str, file: str) -> str:
    """The IRI of the stored document read from `file`."""
    with open_store(location) as st:
        (iri,) = (d.iri for d in st.documents() if d.meta["file"] == file)
    return iri


def severities(location: str, doc_iri: str) -> Counter[str]:
    """How many defects of each severity the document's stored SHACL report holds: its results, less
    those that follow from another (bk:consequenceOf, one defect one error)."""
    with open_store(location) as st:
        rows = st.query(
            f"SELECT ?sev {{ GRAPH <{doc_iri}/report> {{ ?r a <{SH}ValidationResult> ; <{SH}resultSeverity> ?sev "
            f"FILTER NOT EXISTS {{ ?r <{BK.consequenceOf}> ?cause }} }} }}"
        ).rows
    return Counter(str(sev).removeprefix(SH) for (sev,) in rows)


@pytest.fixture(scope="module")
def cli_load(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], str]:
    """`budget-kg load DIR --store STORE` once, DIR holding two good documents and one bad file."""
    tmp = tmp_path_factory.mktemp("cli-load")
    folder = inputs(tmp / "in", [*HEADERS, BAD])
    location = str(tmp / "store")
    start = time.monotonic()
    done = subprocess.run(
        [str(CLI), "load", str(folder), "--store", location],
        capture_output=True,
        text=True,
        timeout=300,
        env=cli_env(),
    )
    print(f"CLI load of 2 documents + 1 bad file: {time.monotonic() - start:.1f} s")
    return done, location


def test_bad_file_is_one_line_and_the_others_load(cli_load: tuple[subprocess.CompletedProcess[str], str]) -> None:
    done, location = cli_load
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = error_lines(done.stderr)  # the whole line: cut at 80 columns, the name would end early
    assert len(lines) == 1 and lines[0].startswith(f"budget-kg: {BAD}: corrupt or truncated PDF"), done.stderr
    with open_store(location) as st:
        docs = st.documents()
    assert [d.meta["file"] for d in docs] == list(HEADERS)
    assert all(d.triples > 1000 for d in docs)
    assert three_public(location) == {
        name: THREE_PUBLIC[name] for name in ("commerce-2025-dept-budget", "justice-2026-unit-budget")
    }


def test_summary_table_lists_each_document(cli_load: tuple[subprocess.CompletedProcess[str], str]) -> None:
    """Unit, year and kind as the headers print them; errors and warnings as the stored reports hold them."""
    done, location = cli_load
    assert "2 documents loaded into" in done.stdout
    expected = {}
    for name, header in HEADERS.items():
        counts = severities(location, iri_of(location, name))
        expected[name] = (*header, str(counts["Violation"]), str(counts["Warning"]))
    assert table_rows(done.stdout) == expected


def test_sigkill_midway_leaves_finished_documents_intact(
    tmp_path: Path, cli_load: tuple[subprocess.CompletedProcess[str], str]
) -> None:
    """SIGKILL of a CLI load once the first document has been committed (its successor's error line
    is printed) leaves it whole and queryable; each later document is whole or absent."""
    folder = inputs(tmp_path / "in", [*HEADERS, BAD, "welfare-home-2024-unit-budget.txt"])
    location = str(tmp_path / "store")
    loader = subprocess.Popen(
        [str(CLI), "load", str(folder), "--store", location],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    watchdog = threading.Timer(300, loader.kill)  # a hung loader fails the test instead of hanging it
    watchdog.start()
    try:
        assert loader.stderr is not None
        # Documents load in name order: commerce…, then BAD (one line), then justice…, welfare….
        line = loader.stderr.readline()
        while line and BAD not in line:
            line = loader.stderr.readline()
        loader.kill()
        loader.wait(30)
    finally:
        watchdog.cancel()
        if loader.poll() is None:
            loader.kill()
            loader.wait()
        loader.stderr.close()
    assert BAD in line and loader.returncode == -9

    _, reference = cli_load  # the same files, loaded without interruption
    with open_store(reference) as st:
        whole = {d.iri: d for d in st.documents()}
    with open_store(location) as st:
        docs = st.documents()
        default = int(st.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0][0])
        assert st.triple_count() == default + sum(d.triples + d.report_triples for d in docs)  # no stray triples
    order = ["commerce-2025-dept-budget", "justice-2026-unit-budget", "welfare-home-2024-unit-budget"]
    loaded = sorted((d.meta["file"].removesuffix(".txt") for d in docs), key=order.index)
    assert loaded == order[: len(docs)] and docs  # a prefix, commerce first
    assert all(d == whole[d.iri] for d in docs if d.iri in whole)
    assert all(d.triples > 1000 for d in docs)
    assert three_public(location) == {name: THREE_PUBLIC[name] for name in order[: len(docs)]}


def test_two_units_under_one_file_name_both_stay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A document's IRI comes from what it says it is, never its file name: the 商务委 and the 财政局 budgets,
    each saved as budget.txt in its own folder, are two documents, each answering its own 三公 total
    (10,000 元 and 9,500 元, read from their 三公经费 tables), loaded at once or one after the other."""
    first, second = tmp_path / "商务委" / "budget.txt", tmp_path / "财政局" / "budget.txt"
    for copy, name in ((first, "commerce-2025-dept-budget.txt"), (second, "finance-bureau-2025-dept-budget.txt")):
        copy.parent.mkdir()
        shutil.copy(CORPUS / name, copy)
    for location, batches in (("together", [[first, second]]), ("apart", [[first], [second]])):
        for batch in batches:
            assert load_into_store(batch, str(tmp_path / location), None) == 0
        assert error_lines(capsys.readouterr().err) == []
        with open_store(str(tmp_path / location)) as st:
            docs = st.documents()
        assert sorted((d.meta["unit"], d.meta["file"]) for d in docs) == [
            ("上海市普陀区商务委员会", "budget.txt"),
            ("上海市普陀区财政局", "budget.txt"),
        ]
        rows = cli_rows(str(tmp_path / location), "three-public-by-unit.rq")
        assert {r["unit"]: Decimal(r["three_public_yuan"]) for r in rows} == {
            "上海市普陀区商务委员会": Decimal(10000),
            "上海市普陀区财政局": Decimal(9500),
        }


def test_one_document_under_two_file_names_is_stored_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same text under another name is the same document: stored once, and said so in one line."""
    first, second = tmp_path / "商务委 2025.txt", tmp_path / "copy.txt"
    shutil.copy(CORPUS / "commerce-2025-dept-budget.txt", first)
    shutil.copy(first, second)
    location = str(tmp_path / "store")
    assert load_into_store([first, second], location, None) == 0
    assert error_lines(capsys.readouterr().err) == [
        "budget-kg: copy.txt: the same document as 商务委 2025.txt (identical text): stored once"
    ]
    once = triples(location)
    assert load_into_store([second], location, None) == 0  # loaded again: it replaces itself
    assert triples(location) == once
    with open_store(location) as st:
        assert [d.meta["file"] for d in st.documents()] == ["copy.txt"]


def test_internal_error_in_one_document_loses_no_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug hit by one document is one line (exit 3, as the other commands) and the load goes on."""
    import engine.pipeline

    real = engine.pipeline.run
    broken = tmp_path / "broken.txt"
    shutil.copy(CORPUS / "justice-2026-unit-budget.txt", broken)

    def run(path: str | Path, settings: engine.pipeline.Settings) -> engine.pipeline.Audit:
        if Path(path) == broken:
            raise KeyError("a bug")
        return real(path, settings)

    monkeypatch.setattr(engine.pipeline, "run", run)
    monkeypatch.delenv("BUDGET_KG_DEBUG", raising=False)
    location = str(tmp_path / "store")
    assert load_into_store([broken, CORPUS / "justice-2026-unit-budget.txt"], location, None) == 3
    assert error_lines(capsys.readouterr().err) == [
        "budget-kg: broken.txt: internal error while loading: KeyError: 'a bug'"
    ]
    with open_store(location) as st:
        assert [d.meta["file"] for d in st.documents()] == ["justice-2026-unit-budget.txt"]


def test_malformed_acceptances_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    accept = tmp_path / "accept.yaml"
    accept.write_text("- rule: BK-TAB-001\n  reason: no fact named\n", encoding="utf-8")
    assert load_into_store([DOC], str(tmp_path / "store"), accept) == 2
    assert error_lines(capsys.readouterr().err) == [
        "budget-kg: accept.yaml: acceptances must be a list of {rule, fact, reason}"
    ]
