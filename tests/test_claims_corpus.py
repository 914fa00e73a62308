"""Over the whole corpus, at least 95% of the narrative sentences that print a figure yield claims;
the figures per document and every sentence left over (file:line and why) are printed."""

from __future__ import annotations

import time

from engine.narrative import read_narrative
from tests.conftest import corpus_files, read

COVERAGE = 0.95


def test_most_number_bearing_sentences_yield_claims(corpus, capsys):
    rows, leftovers = [], []
    total_sentences = total_unparsed = 0
    for path in corpus_files():
        loaded = read(str(path))
        doc = loaded.document
        start = time.perf_counter()
        narrated = read_narrative(loaded.source, loaded.regions, doc.year, doc.kind)
        elapsed = (time.perf_counter() - start) * 1000
        total_sentences += narrated.figure_sentences
        total_unparsed += len(narrated.unparsed)
        rows.append(
            f"{path.name:40} {len(narrated.claims):4} claims {narrated.figure_sentences:4} number-bearing sentences "
            f"{len(narrated.unparsed):3} left over  {elapsed:5.1f} ms"
        )
        leftovers += [f"  {u.span}: {u.message}: {u.span.text.replace(chr(10), '')[:80]}" for u in narrated.unparsed]
    coverage = 1 - total_unparsed / total_sentences
    with capsys.disabled():
        print("\n" + "\n".join(rows))
        print(f"coverage {coverage:.1%} ({total_sentences - total_unparsed}/{total_sentences}); left over:")
        print("\n".join(leftovers))
    assert coverage >= COVERAGE, f"only {coverage:.1%} of number-bearing sentences yield claims"
