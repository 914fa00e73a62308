"""Every corpus document reads: its template's standard tables are all found (or declared empty)."""

from __future__ import annotations

import pytest

from engine.templates import all_templates
from tests.conftest import corpus_files, read

FILES = [p.name for p in corpus_files()]


@pytest.mark.parametrize("name", FILES)
def test_every_standard_table_is_found(name: str, corpus, capsys: pytest.CaptureFixture[str]) -> None:
    loaded = read(str(corpus / name))
    template = next(t for t in all_templates() if t.id == loaded.document.template)
    expected = list(dict.fromkeys(s.kind for s in template.tables))
    found = [t.kind for t in loaded.tables]
    rows = sum(len(t.rows) for t in loaded.tables)
    table_lines = [u for u in loaded.diagnostics if u.stage == "tables"]
    with capsys.disabled():
        print(f"\n{name}: tables {len(found)}/{len(expected)}, rows {rows}, unparsed table lines {len(table_lines)}")
        for u in table_lines:
            print(f"    {u.span}: {u.message}: {u.span.text}")
    assert [k for k in expected if k not in found] == []
    assert loaded.document.unit and loaded.document.year


def test_the_corpus_is_all_there(corpus) -> None:
    assert len(FILES) == 14
