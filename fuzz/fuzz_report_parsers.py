"""Fuzz the report text and HTML parsers for N seconds: no crash, no hang.

Usage: python fuzz/fuzz_report_parsers.py SECONDS [--parser text|html|both] [--seed N]

Inputs are random mutations of generated reports (cut, duplicate, swap, glue, insert noise
and markup) and purely random text. Every input must parse (or raise ReportError) within a
second of CPU time per 100 KB (CPU time, so a machine shared with other work does not count). Failing inputs are saved under fuzz/crashes/ and the script exits 1.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.law import reportformat as rf  # noqa: E402
from gongkai.law.reportformat.htmlparse import html_to_text  # noqa: E402
from gongkai.law.reportformat.sample import sample_document  # noqa: E402

NOISE = ["\t", "\n", "|", " ", "0", "9", "123", "-", "—", "/", "（", "）", "、", "总计", "其他",
         "第 2 页", "— 3 —", "<td>", "</td>", "<tr>", "<table>", "</table>", "<br>", "&nbsp;",
         "<span>1</span><span>2</span>", "三、本年度办理结果", "一、本年新收政府信息公开申请数量",
         "四、政府信息公开行政复议、行政诉讼情况", "\x00", "\ufeff", "𠀀", "1.属于国家秘密",
         "9" * 40, "rowspan=\"99999\"", "colspan=\"0\"", "<td rowspan=3>", "<!--", "<![CDATA["]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 12)):
        if not text:
            text = rng.choice(NOISE)
        op = rng.randrange(6)
        a = rng.randrange(len(text) + 1)
        b = min(len(text), a + rng.randint(0, 300))
        if op == 0:
            text = text[:a] + text[b:]
        elif op == 1:
            text = text[:a] + text[a:b] * rng.randint(2, 5) + text[b:]
        elif op == 2:
            text = text[:a] + rng.choice(NOISE) * rng.randint(1, 20) + text[a:]
        elif op == 3:
            text = text[:a] + text[a:b].replace("\t", "").replace(" ", "") + text[b:]
        elif op == 4:
            c = rng.randrange(len(text) + 1)
            text = text[:a] + text[c:c + (b - a)] + text[b:]
        else:
            text = text[:a] + "".join(chr(rng.randint(1, 0x9fff)) for _ in range(b - a)) + text[b:]
    return text


def one_input(rng: random.Random, kind: str) -> str:
    doc = sample_document(rng)
    if rng.random() < 0.1:
        return "".join(rng.choice(NOISE) for _ in range(rng.randint(0, 3000)))
    base = rf.render_html(doc) if kind == "html" else html_to_text(rf.render_html(doc))
    return mutate(base, rng)


def run(seconds: float, parsers: list[str], seed: int) -> int:
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    counts = {p: 0 for p in parsers}
    slowest = 0.0
    crashes = Path(__file__).resolve().parent / "crashes"
    while time.monotonic() < deadline:
        for kind in parsers:
            data = one_input(rng, kind)
            start = time.process_time()
            try:
                report = rf.parse_html(data) if kind == "html" else rf.parse_text(data)
                rf.check(report)
                report.to_json_dict()
            except rf.ReportError:
                pass
            except Exception:
                crashes.mkdir(exist_ok=True)
                path = crashes / f"{kind}-{seed}-{counts[kind]}.txt"
                path.write_text(data, encoding="utf-8", errors="surrogatepass")
                print(f"CRASH ({kind}) saved to {path}\n{traceback.format_exc()}", flush=True)
                return 1
            took = time.process_time() - start
            limit = max(1.0, len(data.encode("utf-8", "surrogatepass")) / 100_000)
            if took > limit:  # time once more: a GC pause is not a hang
                start = time.process_time()
                try:
                    rf.check(rf.parse_html(data) if kind == "html" else rf.parse_text(data))
                except rf.ReportError:
                    pass
                took = min(took, time.process_time() - start)
            slowest = max(slowest, took / limit)
            if took > limit:
                crashes.mkdir(exist_ok=True)
                path = crashes / f"{kind}-slow-{seed}-{counts[kind]}.txt"
                path.write_text(data, encoding="utf-8", errors="surrogatepass")
                print(f"TOO SLOW ({kind}): {took:.2f}s for {len(data)} chars, saved to {path}")
                return 1
            counts[kind] += 1
    total = ", ".join(f"{k}: {v} inputs" for k, v in counts.items())
    print(f"fuzzed {seconds:.0f}s, {total}; no crash; slowest input used "
          f"{slowest * 100:.1f}% of its time limit (1 s per 100 KB)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("seconds", type=float)
    ap.add_argument("--parser", choices=["text", "html", "both"], default="both")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    parsers = ["text", "html"] if args.parser == "both" else [args.parser]
    print(f"seed {args.seed}", flush=True)
    return run(args.seconds, parsers, args.seed)


if __name__ == "__main__":
    sys.exit(main())
