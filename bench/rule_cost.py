"""Cost against size: the sample repeated 1×, 4× and 16×, timed per stage and per rule.

Every stage and rule should grow linearly (or n log n) with the document: a rule that compares every
claim with every cell grows 16× the input into 256× the time. Prints seconds per stage and per rule
and the growth factor from 1× to 16×; rules are listed slowest first.
Run: `.venv/bin/python bench/rule_cost.py [--sizes 1 4 16]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from engine.pipeline import Audit, Settings, run  # noqa: E402
from engine.validate import SHAPES_DIR, TOLERANCES, _context_ntriples, _declared_prefixes, rules  # noqa: E402
from engine.vocab import BK  # noqa: E402

SAMPLE = ROOT / "examples" / "shuimogou-union-2025.txt"


def repeated(times: int, directory: Path) -> Path:
    """The sample's text `times` times over, as one file."""
    path = directory / f"sample-x{times}.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8") * times, encoding="utf-8")
    return path


def rule_seconds(audit: Audit) -> dict[str, float]:
    """Seconds each rule's query takes on the document's graph (as the fast validator runs it)."""
    store = ox.Store()
    store.load(audit.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    store.load(_context_ntriples(TOLERANCES), format=ox.RdfFormat.N_TRIPLES)
    doc = next(iter(audit.graph.subjects(predicate=None, object=BK.Document)))
    seconds = {}
    for rule in rules(SHAPES_DIR):
        started = time.perf_counter()
        list(
            store.query(
                rule.select,
                prefixes=_declared_prefixes(SHAPES_DIR),
                substitutions={ox.Variable("this"): ox.NamedNode(str(doc))},
            )
        )
        seconds[rule.id] = time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    stages: dict[int, dict[str, float]] = {}
    per_rule: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        run(SAMPLE)  # warm caches (templates, code lists, shapes) once
        for times in args.sizes:
            started = time.perf_counter()
            audit = run(repeated(times, Path(tmp)), Settings(through="graph"))
            assert isinstance(audit, Audit), f"the {times}× sample did not read: {audit}"
            stages[times] = {**audit.seconds, "total": time.perf_counter() - started}
            per_rule[times] = rule_seconds(audit)
            stages[times]["rules"] = sum(per_rule[times].values())
            print(f"{times}×: {len(audit.graph)} triples, {stages[times]['total']:.2f} s to graph", flush=True)
    first, last = args.sizes[0], args.sizes[-1]
    head = "".join(f"{f'{t}×':>9}" for t in args.sizes)
    print(f"\n{'stage':16}{head}  growth {first}×→{last}×")
    for stage in stages[first]:
        row = "".join(f"{stages[t].get(stage, 0):9.3f}" for t in args.sizes)
        print(f"{stage:16}{row}  {stages[last].get(stage, 0) / max(stages[first].get(stage, 0), 1e-4):6.1f}×")
    print(f"\n{'rule':16}{head}  growth {first}×→{last}×")
    for rule in sorted(per_rule[last], key=per_rule[last].get, reverse=True):  # type: ignore[arg-type]
        row = "".join(f"{per_rule[t][rule]:9.3f}" for t in args.sizes)
        print(f"{rule:16}{row}  {per_rule[last][rule] / max(per_rule[first][rule], 1e-4):6.1f}×")


if __name__ == "__main__":
    main()
