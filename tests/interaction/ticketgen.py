"""Generate realistic ticket files (110联动 / 12345) for import tests."""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta

HEADER = ["工单编号", "来源", "受理时间", "诉求人", "联系电话", "诉求内容", "办理部门"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国志强秀英桂兰海燕明华军红丽伟芳勇静"
TOPICS = [
    "反映退役后社保接续办理缓慢", "询问优待证申领进度", "反映伤残抚恤金未按时发放", "咨询自主就业一次性经济补助标准",
    "反映烈士陵园周边环境脏乱", "咨询退役士兵职业技能培训报名", "反映光荣牌悬挂遗漏", "咨询军休干部医疗待遇",
]
DEPARTMENTS = ["优抚科", "安置科", "就业创业科", "权益维护科", "褒扬纪念科", ""]


def make_rows(n: int, *, seed: int = 7, start: datetime = datetime(2025, 1, 2, 8, 30), step_hours: float = 7) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        source = "110联动" if i % 4 == 0 else "12345"
        prefix = "LY110" if source == "110联动" else "LY12345"
        when = start + timedelta(hours=step_hours * i + rng.randint(0, 5), minutes=rng.randint(0, 59))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
        phone = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
        rows.append([f"{prefix}-2025-{i + 1:05d}", source, when.strftime("%Y-%m-%d %H:%M"), name, phone,
                     f"{rng.choice(TOPICS)}，请尽快核实处理。（第{i + 1}件）", rng.choice(DEPARTMENTS)])
    return rows


def to_csv(rows, *, header=HEADER, encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def to_xlsx(rows, *, header=HEADER, real_dates=True) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        row = list(row)
        if real_dates:
            try:
                row[2] = datetime.strptime(row[2], "%Y-%m-%d %H:%M")
            except (TypeError, ValueError):
                pass
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
