"""`budget-kg tables` output: the tables as a person checks them (text), or as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json

from engine.model import Loaded
from engine.views import tables_view


def render_json(loaded: Loaded) -> str:
    return json.dumps(tables_view(loaded.document, loaded.tables, loaded.diagnostics), ensure_ascii=False, indent=2)


def render_csv(loaded: Loaded) -> str:
    """One line per cell: table, row, code, name, column (or its candidates), value, line, page."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "kind", "unit", "side", "code", "name", "column", "value", "line", "page"])
    for table in tables_view(loaded.document, loaded.tables, loaded.diagnostics)["tables"]:
        for row in table["rows"]:
            prefix = [
                table["number"],
                table["kind"],
                table["unit"],
                row["side"] or "",
                row["code"] or "",
                row["name"] or "",
            ]
            if row.get("ambiguous"):
                cols = sorted({c for cand in row["candidates"] for c in cand})
                writer.writerow([*prefix, "?" + "|".join(cols), "", row["line"], row["page"]])
                continue
            for column, value in row["values"].items():
                writer.writerow([*prefix, column, value, row["line"], row["page"]])
    return out.getvalue()


def render_text(loaded: Loaded) -> str:
    """Rich tables, one per disclosure table; an ambiguous row shows its amounts under '?'."""
    from rich.console import Console
    from rich.table import Table as RichTable

    view = tables_view(loaded.document, loaded.tables, loaded.diagnostics)
    console = Console(record=True, width=200, file=io.StringIO())
    d = view["document"]
    console.print(f"{d['file']}: {d['unit']} {d['year']} {d['scope']}{d['kind']} ({d['template']})")
    for table in view["tables"]:
        grid = RichTable(
            title=f"表{table['number']} {table['title']} ({table['kind']}, {table['unit']})", show_lines=False
        )
        for head in ("line", "side", "code", "name", *table["columns"], "?"):
            grid.add_column(head, justify="right" if head not in ("side", "code", "name") else "left")
        for row in table["rows"]:
            values = row.get("values", {})
            ambiguous = ""
            if row.get("ambiguous"):
                amounts = sorted({v for cand in row["candidates"] for v in cand.values()})
                ambiguous = f"{' '.join(amounts)} ({len(row['candidates'])} readings)"
            grid.add_row(
                str(row["line"]),
                row["side"] or "",
                row["code"] or "",
                row["name"] or "",
                *(values.get(c, "") for c in table["columns"]),
                ambiguous,
            )
        if table["empty"]:
            grid.caption = "declared empty"
        console.print(grid)
    if view["unparsed"]:
        console.print("Not understood:")
        for item in view["unparsed"]:
            console.print(f"  {d['file']}:{item['line']}: {item['reason']}: {item['text']}")
    return console.export_text()
