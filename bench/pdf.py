"""Benchmark of the PDF reader: pages per second on the corpus (reading alone, and PDF to graph), and
peak memory reading a 500-page PDF against a 20-page one, both made here from a corpus PDF's pages.

Run with `make bench`; prints the figures. Each memory figure comes from a fresh process.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from engine.pipeline import Audit, Settings, run  # noqa: E402
from engine.readers.pdf import read  # noqa: E402

ROUNDS = 3
# Peak resident memory of this process image (ru_maxrss would carry the forking parent's peak over).
_HWM = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"


def pages_per_second(pdfs: list[Path]) -> tuple[int, float, float, dict[str, float]]:
    """Pages, seconds reading the text layer with boxes, seconds from PDF to graph (one core), and
    the seconds each stage of the latter took (where the time goes)."""
    pages = sum(len(pdfium.PdfDocument(p)) for p in pdfs)
    t0 = time.process_time()
    for p in pdfs:
        read(p)
    t1 = time.process_time()
    stages: dict[str, float] = {}
    for p in pdfs:
        audit = run(p, Settings(through="graph"))
        assert isinstance(audit, Audit), f"{p.name}: {audit}"
        for stage, seconds in audit.seconds.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    t2 = time.process_time()
    return pages, t1 - t0, t2 - t1, stages


def make_pdf(source: Path, pages: int, path: Path) -> Path:
    """A PDF of `pages` pages: the source's pages over and over."""
    src = pdfium.PdfDocument(source)
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        take = min(len(src), pages - len(out))
        out.import_pages(src, list(range(take)))
    out.save(path)
    return path


def peak_memory(path: Path) -> int:
    """Peak resident memory (KiB) of a fresh process that reads the PDF into text and boxes."""
    code = f"import sys; from pathlib import Path; from engine.readers.pdf import read; read(Path(sys.argv[1])); {_HWM}"
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT, check=True)
    return int(done.stdout.strip())


def baseline_memory() -> int:
    """Peak resident memory (KiB) of a process that only imports the reader."""
    code = f"import engine.readers.pdf; {_HWM}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return int(done.stdout.strip())


def main() -> None:
    pdfs = sorted(CORPUS.glob("*.pdf"))
    # The fastest of a few rounds: on a shared machine a round's CPU seconds also count the
    # caches other processes took.
    rounds = [pages_per_second(pdfs) for _ in range(ROUNDS)]
    pages, _, graph_s, stages = min(rounds, key=lambda r: r[2])
    read_s = min(r[1] for r in rounds)
    print(f"corpus: {len(pdfs)} PDFs, {pages} pages (CPU seconds, one core, fastest of {ROUNDS} rounds)")
    print(f"  read text layer + boxes: {read_s:6.2f} s  {pages / read_s:7.1f} pages/s")
    print(f"  PDF to graph:            {graph_s:6.2f} s  {pages / graph_s:7.1f} pages/s")
    total = sum(stages.values())
    print("  by stage (wall seconds): " + ", ".join(f"{k} {v:.2f} ({v / total:.0%})" for k, v in stages.items()))
    with tempfile.TemporaryDirectory() as tmp:
        source = CORPUS / "wanli-street-2025-dept-budget.pdf"
        small = make_pdf(source, 20, Path(tmp) / "p20.pdf")
        large = make_pdf(source, 500, Path(tmp) / "p500.pdf")
        base, m20, m500 = baseline_memory(), peak_memory(small), peak_memory(large)
    print(f"peak memory reading (KiB): imports only {base}, 20 pages {m20}, 500 pages {m500}")
    print(
        f"  500 pages / 20 pages: {m500 / m20:.2f} (the reader's own share: {(m500 - base) / max(m20 - base, 1):.1f}x)"
    )


if __name__ == "__main__":
    main()
