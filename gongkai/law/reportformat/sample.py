"""Generate consistent sample reports (all rules hold) for tests, benchmarks and demos.

Why: round-trip tests and the 10,000-report batch benchmark need many realistic reports
whose every cell is known; they are built from a seed so a failure can be replayed.
"""

from __future__ import annotations

import random

from . import spec
from .model import ReportDocument
from .totals import with_totals

AGENCIES = ["洛阳市退役军人事务局", "沭阳县发展和改革局", "平潭综合实验区管委会", "上海市人民政府办公厅",
            "某某县自然资源和规划局", "某某市市场监督管理局", "某某区教育局", "某某镇人民政府"]
SENTENCES = [
    "本年度我局深入贯彻《中华人民共和国政府信息公开条例》，持续推进政务公开标准化规范化建设。",
    "主动公开方面，全年通过门户网站发布各类政府信息，及时更新机构职能、政策文件和财政预决算信息。",
    "依申请公开方面，严格按照法定时限办理，规范答复文书，做到件件有回复。",
    "政府信息管理方面，落实公开属性源头认定和保密审查制度，动态更新主动公开目录。",
    "平台建设方面，优化门户网站栏目设置，加强政务新媒体日常监管。",
    "监督保障方面，将政务公开纳入年度绩效考核，开展业务培训两次。",
    "一是政策解读形式还不够丰富；二是信息更新频率有待提高。",
    "下一步将丰富解读形式，加强队伍建设，提升公开质量。",
    "本年度未收取信息处理费。",
    "无其他需要报告的事项。",
]


def _small(rng: random.Random, big: bool = False) -> int:
    r = rng.random()
    if r < 0.55:
        return 0
    if r < 0.85 or not big:
        return rng.randint(1, 9)
    return rng.randint(10, 5000)


def sample_cells(fmt: spec.ReportFormat, rng: random.Random) -> dict[str, int | float]:
    """Cells of one report in which R1–R5 hold."""
    cells: dict[str, int | float] = {}
    for key in fmt.section2_keys:
        kind = spec.key_kind(key)
        if kind == "money":
            cells[key] = rng.choice([0, round(rng.uniform(0, 50000), rng.randint(0, 4))])
        elif kind == "signed":
            cells[key] = rng.randint(-30, 30)
        else:
            cells[key] = _small(rng, big=True)
    results = fmt.result_rows()
    for col in fmt.columns[:-1]:
        vals = {r: _small(rng, big=col == "natural_person") for r in results}
        decided = sum(vals.values())
        carried_forward = _small(rng)
        carried_over = min(_small(rng), decided + carried_forward)
        vals["carried_forward"] = carried_forward
        vals["carried_over"] = carried_over
        vals["new"] = decided + carried_forward - carried_over  # R1 holds by construction
        for row, v in vals.items():
            cells[fmt.cell_key(row, col)] = v
    for group in spec.section4_groups():
        for part in spec.SECTION4_PARTS:
            cells[f"{group}.{part}"] = _small(rng)
    return with_totals(fmt, cells)


def sample_document(rng: random.Random, fmt_id: str | None = None,
                    year: int | None = None) -> ReportDocument:
    """A complete, consistent report document with prose for 一, 五 and 六."""
    fmt_id = fmt_id or rng.choice([spec.GOV2021, spec.GOV2019])
    if year is None:
        year = rng.randint(2021, 2025) if fmt_id == spec.GOV2021 else rng.choice([2019, 2020])
    fmt = spec.get_format(fmt_id)
    prose = {name: "\n".join(rng.sample(SENTENCES, rng.randint(1, 4)))
             for name in spec.PROSE_SECTIONS}
    return ReportDocument(format=fmt_id, year=year, agency=rng.choice(AGENCIES),
                          cells=sample_cells(fmt, rng), sections=prose)
