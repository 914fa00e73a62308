"""Rows read from real documents equal the rows a person read from them (tests/expected/*.rows.json)."""

from __future__ import annotations

import json

import pytest

from engine.output.views import table_view
from tests.conftest import CORPUS, EXPECTED, read

DOCUMENTS = sorted(p.name.removesuffix(".rows.json") for p in EXPECTED.glob("*.rows.json"))


def _comparable(row: dict) -> dict:
    out = {k: row.get(k) for k in ("side", "code", "name", "line")}
    out["name"] = out["name"] or None
    if row.get("ambiguous"):
        out["ambiguous"] = True
    else:
        out["values"] = row.get("values", {})
    if row.get("texts"):
        out["texts"] = row["texts"]
    return out


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_rows_match_hand_reading(stem: str) -> None:
    expected = json.loads((EXPECTED / f"{stem}.rows.json").read_text(encoding="utf-8"))
    result = read(str(CORPUS / expected["document"]))
    got = {t.number: table_view(t) for t in result.tables}
    differences = []
    for table in expected["tables"]:
        mine = got.get(table["number"])
        if mine is None:
            differences.append(f"table {table['number']} ({table['kind']}) not found")
            continue
        assert mine["kind"] == table["kind"], f"table {table['number']}"
        assert mine["unit"] == table["unit"], f"table {table['number']} unit"
        want = [_comparable(r) for r in table["rows"]]
        have = [_comparable(r) for r in mine["rows"]]
        for w in want:
            if w not in have:
                differences.append(f"table {table['number']}: missing {w}")
        for h in have:
            if h not in want:
                differences.append(f"table {table['number']}: unexpected {h}")
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_ambiguous_rows_keep_the_reading_a_person_finds(stem: str) -> None:
    """Where a person could not decide a row's columns either, the candidates include theirs."""
    expected = json.loads((EXPECTED / f"{stem}.rows.json").read_text(encoding="utf-8"))
    result = read(str(CORPUS / expected["document"]))
    got = {t.number: table_view(t) for t in result.tables}
    for table in expected["tables"]:
        for row in table["rows"]:
            if not row.get("ambiguous"):
                continue
            mine = next(
                r for r in got[table["number"]]["rows"] if r["line"] == row["line"] and r["code"] == row["code"]
            )
            assert mine.get("ambiguous"), row
            assert row["candidates"][0] in mine["candidates"]
