"""Ingest: encodings, line and page counting, and one-line errors for what is not a disclosure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.compare import isomorphic

from engine.pipeline import Settings, Stopped, run
from engine.readers.text import read as read_text
from engine.source import CharBoxes, Source
from engine.vocab import BK
from tests.conftest import ROOT, audit

SAMPLE = ROOT / "examples" / "shuimogou-union-2025.txt"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_lines_count_newlines_only_and_a_form_feed_starts_a_page() -> None:
    src = Source(path="x.txt", text="第一行\n\f第二页 12.30\n第三行", encoding="utf-8")
    offset = src.text.index("12.30")
    span = src.span(offset, offset + 5)
    assert (span.line, span.page, span.column, span.text) == (2, 2, 5, "12.30")
    assert src.line_of(src.text.index("第三行")) == 3


def test_a_page_break_inside_a_line_also_ends_it(tmp_path: Path) -> None:
    """Pages joined by a bare form feed (pypdfium2's page texts joined so) glue a page's last line to the
    next page's first; the reader breaks the line there, as pdftotext prints it. A blank page's form feed
    after another stays as it is."""
    path = tmp_path / "glued.txt"
    path.write_text("单位职能见下表。" * 4 + "\f名词解释\n财政拨款收入：……\f\f其他相关情况说明\n", encoding="utf-8")
    src = read_text(path)
    assert src.text.count("\f") == 3
    heading = src.text.index("名词解释")
    assert (src.line_of(heading), src.page_of(heading), src.column_of(heading)) == (2, 2, 1)
    other = src.text.index("其他相关情况说明")
    assert (src.line_of(other), src.page_of(other), src.column_of(other)) == (4, 4, 1)


def test_gbk_copy_gives_the_same_graph(tmp_path: Path) -> None:
    copy = tmp_path / SAMPLE.name
    copy.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    assert audit(copy, Settings(through="narrative")).loaded.source.encoding == "gb18030"
    gbk, utf8 = (audit(p, Settings(through="graph")).graph for p in (copy, SAMPLE))
    # Only the recorded encoding differs.
    assert set(gbk.objects(None, BK.encoding)) == {Literal("gb18030")}
    gbk.remove((None, BK.encoding, None))
    utf8.remove((None, BK.encoding, None))
    assert isomorphic(gbk, utf8)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (SAMPLE.read_bytes()[:5000] + "预".encode()[:2], "truncated file"),
        ("这是一段与预算无关的中文文字。".encode() * 5, "not a budget disclosure"),
    ],
    ids=["empty", "binary", "truncated-mid-character", "not-a-disclosure"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    stopped = run(bad)
    assert isinstance(stopped, Stopped) and stopped.exit_code == 2
    assert [(d.severity, d.file) for d in stopped.diagnostics] == [("error", "bad.txt")]
    assert reason in str(stopped) and str(stopped).startswith("bad.txt: ")
    result = _cli("parse", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "bad.txt" in result.stderr and reason in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = _cli("tables", str(tmp_path / "nowhere.txt"))
    assert result.returncode == 2 and "nowhere.txt: cannot read" in result.stderr


def test_a_reader_is_chosen_by_magic_bytes_before_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF named .txt goes to the PDF reader; a file no reader claims is read as text."""
    import engine.readers as readers

    pdf = readers.Reader("pdf", "engine.readers.pdf", magic=(b"%PDF-",), suffixes=(".pdf",))
    monkeypatch.setattr(readers, "READERS", (readers.TEXT, pdf))
    (named_txt := tmp_path / "a.txt").write_bytes(b"%PDF-1.7\n")
    (named_pdf := tmp_path / "b.pdf").write_bytes(b"not yet written")
    (other := tmp_path / "c.md").write_text("预算", encoding="utf-8")
    assert [readers.reader_for(p).name for p in (named_txt, named_pdf, other, tmp_path / "missing.pdf")] == [
        "pdf",
        "pdf",
        "text",
        "pdf",
    ]


def test_a_span_from_a_pdf_carries_the_box_of_its_characters() -> None:
    """Characters the reader inserted (the space) have no box; the span's box covers the printed ones."""
    boxes = [(10.0, 700.0, 20.0, 712.0), (20.0, 700.0, 30.0, 712.0), None, (50.0, 698.0, 58.0, 710.0)]
    src = Source(path="x.pdf", text="合计 5", encoding="pdf", boxes=CharBoxes.of(boxes))
    assert src.span(0, 4).box == (10.0, 698.0, 58.0, 712.0)
    assert src.span(2, 3).box is None
    assert Source(path="x.txt", text="合计 5", encoding="utf-8").span(0, 4).box is None


def test_a_diagnostic_prints_its_place_one_way() -> None:
    """`file:line:col` for text, `file:p.PAGE` for a PDF, the file alone when no place is meant."""
    from engine.diagnostics import WARNING, Diagnostic

    text = Source(path="a.txt", text="第一行\n\f合计 5", encoding="utf-8")
    pdf = Source(path="a.pdf", text="第一行\n\f合计 5", encoding="pdf", boxes=CharBoxes.of([(1.0, 2.0, 3.0, 4.0)] * 9))
    at = text.text.index("5")
    assert str(Diagnostic("tables", WARNING, text.span(at, at + 1), "no row")) == "a.txt:2:4: no row"
    assert str(Diagnostic("tables", WARNING, pdf.span(at, at + 1), "no row")) == "a.pdf:p.2: no row"
    assert str(Diagnostic("read", "error", "a.txt", "empty file")) == "a.txt: empty file"
