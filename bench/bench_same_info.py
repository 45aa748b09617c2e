"""Grouping an agency's applications by the information asked for (《条例》第四十四条): how long for thousands of cases.

    .venv/bin/python bench/bench_same_info.py                 # 1,000 / 5,000 / 20,000 cases
    BENCH_SIZES=50000 .venv/bin/python bench/bench_same_info.py

Builds synthetic cases the way applicants write them: a topic (what is asked for, with a
year) wrapped in one of many phrasings, some with a 文号 in one of its look-alike forms,
applicants drawn so that popular topics have several of them; then times
`gongkai.law.sameinfo.group_cases` (the prefix-filtered similarity join), counts the pairs
it compared, and for the smaller sizes checks it against comparing every pair. The
database part of the board (`selectors.same_info_groups`) adds one query of id, applicant
hash, 文号 and text per case. Not a test.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkai.law import sameinfo  # noqa: E402

SUBJECTS = ["退役军人优抚资金发放汇总表", "优待证申领工作通知", "退役士兵安置暂行办法", "部门预算", "部门决算", "烈士褒扬金发放名单",
            "就业创业培训补助标准", "光荣之家评选结果", "军休干部医疗费报销规定", "伤残军人抚恤金调整文件", "双拥模范城创建方案",
            "退役军人服务站建设验收结果", "政府采购项目目录", "行政处罚决定书", "信访事项办理情况", "公务用车购置经费"]
PLACES = ["西工区", "老城区", "涧西区", "洛龙区", "偃师区", "孟津区", "新安县", "宜阳县", "嵩县", "栾川县"]
WRAP = ["申请公开{y}年度{p}{s}", "请提供{y}年{p}{s}的复印件", "我想获取贵局{y}年{p}{s}", "依申请公开：{p}{y}年{s}全文",
        "要求公开本局{y}年{s}（{p}）", "{y}年度{p}{s}"]


def cases(n: int, seed: int = 1) -> list[sameinfo.Case]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        subject, year, place = rng.choice(SUBJECTS), rng.choice(range(2019, 2027)), rng.choice(PLACES)
        text = rng.choice(WRAP).format(y=year, p=place, s=subject)
        number = ""
        if rng.random() < 0.2:  # the document's own number: one per subject and year
            serial = SUBJECTS.index(subject) + 1
            number = rng.choice(["洛退役发〔{}〕{}号", "洛退役发[{}]{}号", "洛退役发（{}）第{}号"]).format(year, serial)
        out.append(sameinfo.Case(id=i + 1, applicant=f"p{rng.randint(1, n // 2)}", doc_number=number, text=text))
    return out


def naive_pairs(texts, threshold):
    return {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if sameinfo.dice(texts[i], texts[j]) >= threshold}


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,5000,20000").split(",")]
    print(f"{'cases':>8} {'groups':>7} {'grouped':>8} {'pairs≥t':>8} {'group_cases':>12} {'all pairs':>10}")
    for n in sizes:
        data = cases(n)
        started = time.perf_counter()
        groups = sameinfo.group_cases(data)
        elapsed = time.perf_counter() - started
        texts = [sameinfo.content_bigrams(c.text) for c in data]
        tags = [sameinfo.years(c.text) for c in data]
        pairs = sum(1 for _ in sameinfo.similar_pairs(texts, sameinfo.GROUP_THRESHOLD, tags))
        naive = ""
        if n <= 5000:
            started = time.perf_counter()
            slow = {(i, j) for i, j in naive_pairs(texts, sameinfo.GROUP_THRESHOLD)
                    if not (tags[i] and tags[j] and not tags[i] & tags[j])}
            naive = f"{time.perf_counter() - started:9.2f}s"
            fast = {(min(i, j), max(i, j)) for i, j, _ in sameinfo.similar_pairs(texts, sameinfo.GROUP_THRESHOLD, tags)}
            assert fast == slow, "the prefix filter missed or invented a pair"
        grouped = sum(len(g.ids) for g in groups)
        print(f"{n:>8} {len(groups):>7} {grouped:>8} {pairs:>8} {elapsed * 1000:>10.0f}ms {naive:>10}")


if __name__ == "__main__":
    main()
