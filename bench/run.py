"""Benchmark: time per pipeline stage on the sample and every corpus document, and peak memory.

Run with `make bench`; prints a table and writes bench/results/latest.json.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.pipeline import run  # noqa: E402

READ_STAGES = ("read", "structure", "tables", "narrative")


def measure(path: Path) -> dict[str, float | int | str]:
    """Seconds for read+tables+narrative, graph build and validation of one document."""
    a = run(path)
    return {
        "file": path.name,
        "read_s": round(sum(a.seconds[s] for s in READ_STAGES), 4),
        "graph_s": round(a.seconds["graph"], 4),
        "validate_s": round(a.seconds["validate"] + a.seconds["accept"], 4),
        "triples": len(a.graph),
        "claims": len(a.loaded.claims),
        "findings": len(a.findings),
    }


def main() -> None:
    corpus = ROOT.parent / "shared" / "corpus"
    paths = [ROOT / "examples" / "shuimogou-union-2025.txt", *sorted(corpus.glob("*.txt"))]
    measure(paths[0])  # warm caches (templates, code lists, shapes) once
    results = [measure(p) for p in paths]
    print(f"{'file':42} {'read':>7} {'graph':>7} {'valid.':>7} {'triples':>8} {'claims':>6} {'finds':>5}")
    for r in results:
        print(
            f"{r['file']:42} {r['read_s']:7.3f} {r['graph_s']:7.3f} {r['validate_s']:7.3f} {r['triples']:8} {r['claims']:6} {r['findings']:5}"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(float(r["read_s"]) + float(r["graph_s"]) + float(r["validate_s"]) for r in results)
    print(
        f"{len(results)} documents in {total:.2f} s ({len(results) / total:.1f} docs/s), peak RSS {peak_mib:.0f} MiB, {os.cpu_count()} cores"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"cores": os.cpu_count(), "peak_rss_mib": round(peak_mib), "documents": results}, indent=2),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
