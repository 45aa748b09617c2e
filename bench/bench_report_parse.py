"""Benchmark report parsing and checking; prints figures (not a test).

Usage: python bench/bench_report_parse.py [--batch 10000] [--pdf 20] [--n 400]

Targets: parse + check >= 200 text/HTML reports per second on one core; a directory of
10,000 reports checked in under a minute (``gongkai report check DIR``); PDF >= 5 per second.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.law import reportformat as rf  # noqa: E402
from gongkai.law.reportformat.htmlparse import html_to_text  # noqa: E402
from gongkai.law.reportformat.sample import sample_document  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"


def rate(label: str, items: list, parse) -> float:
    """Parse + check every item; prints wall-clock and CPU rates (the machine may be shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    for item in items:
        rf.check(parse(item))
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    per_s = len(items) / took
    print(f"{label:<40} {len(items):>5} reports {took:6.2f} s wall {per_s:6.0f} /s"
          f" | {len(items) / max(cpu, 1e-9):6.0f} /s per CPU-second")
    return per_s


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the batch's worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=400, help="reports per in-process measurement")
    ap.add_argument("--batch", type=int, default=10_000, help="reports in the directory batch")
    ap.add_argument("--pdf", type=int, default=20, help="PDF reports to parse")
    args = ap.parse_args()
    rng = random.Random(2024)
    docs = [sample_document(rng) for _ in range(args.n)]
    htmls = [rf.render_html(d) for d in docs]
    texts = [html_to_text(h) for h in htmls]
    rf.parse_text(texts[0])  # load the format data once
    print("one core, parse + check:")
    rate("generated text reports (tab-separated)", texts, rf.parse_text)
    rate("generated HTML reports", htmls, rf.parse_html)
    if EXAMPLES.is_dir():
        files = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))
        rate("shared/examples (x50)", files * 50, rf.parse_file)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(args.batch):
            doc = sample_document(rng)
            html = rf.render_html(doc)
            if i % 2:
                (root / f"r{i:05d}.html").write_text(html, encoding="utf-8")
            else:
                (root / f"r{i:05d}.txt").write_text(html_to_text(html), encoding="utf-8")
        from gongkai.cli.report import check_directory

        start, cpu = time.perf_counter(), cpu_seconds()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            check_directory(str(root))
        took, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        summary = out.getvalue().strip().splitlines()[-1]
        print(f"directory of {args.batch} reports (gongkai report check DIR): {took:.1f} s wall "
              f"({args.batch / took:.0f} /s), {cpu:.1f} CPU-seconds in all — {summary}")

        pdfs = []
        for i in range(args.pdf):
            path = root / f"p{i}.pdf"
            rf.render_pdf(sample_document(rng), path)
            pdfs.append(path)
        rate("PDF reports (rendered by WeasyPrint)", pdfs, rf.parse_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
