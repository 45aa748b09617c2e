"""Ticket import: all rows or none, every bad row named, duplicates reported, encodings handled."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.cli import main as cli_main
from gongkai.interaction import actions
from gongkai.interaction.models import Department, ImportBatch, Message, Status
from gongkai.interaction.tickets import parse_tickets

from . import ticketgen

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def spoil(rows):
    """Three bad rows: a bad date, an empty ticket number, an unknown source (rows 18, 502, 1001)."""
    bad = copy.deepcopy(rows)
    bad[16][2] = "2025-02-30 09:00"
    bad[500][0] = ""
    bad[999][1] = "信访局"
    return bad


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_thousand_rows_with_three_bad_rows_import_nothing_then_all_then_duplicates(agency, handler, fmt):
    rows = ticketgen.make_rows(1000)
    encode = ticketgen.to_csv if fmt == "csv" else ticketgen.to_xlsx
    report = actions.tickets_import(agency, actor=handler, data=encode(spoil(rows)), filename=f"t.{fmt}")
    assert not report.ok
    assert [(p.row, p.message) for p in report.parsed.problems] == [
        (18, "受理时间“2025-02-30 09:00”不是有效日期，应写成 2025-03-04 或 2025-03-04 09:30。"),
        (502, "工单编号为空，请填写。"),
        (1001, "来源“信访局”无法识别，应为“110联动”或“12345”。"),
    ]
    assert "发现 3 行有问题，未导入任何工单。请修改这些行后重新导入。" in report.lines()
    assert not Message.objects.exists() and not ImportBatch.objects.exists() and not Department.objects.exists()
    assert not AuditEvent.objects.filter(action="interaction.tickets_import").exists()

    report = actions.tickets_import(agency, actor=handler, data=encode(rows), filename=f"t.{fmt}")
    assert report.ok and report.imported == 1000
    assert Message.objects.filter(agency=agency).count() == 1000
    assert Message.objects.filter(channel="police_110").count() == 250
    first = Message.objects.get(ticket_number="LY110-2025-00001")
    assert first.received_on == date(2025, 1, 2) and first.writer_phone and first.category == "complaint"
    assert first.import_batch_id == report.batch_id and first.time_limit_days == 15
    assert set(Department.objects.values_list("name", flat=True)) == {"优抚科", "安置科", "就业创业科", "权益维护科", "褒扬纪念科"}
    assert Message.objects.filter(department__isnull=True, status=Status.RECEIVED).exists()
    assert not Message.objects.filter(department__isnull=False).exclude(status=Status.IN_PROGRESS).exists()
    event = AuditEvent.objects.get(action="interaction.tickets_import")
    assert event.new["imported"] == 1000 and event.new["channels"] == {"police_110": 250, "hotline_12345": 750}
    assert event.actor == handler and event.subject_type == "interaction.importbatch"

    again = actions.tickets_import(agency, actor=handler, data=encode(rows), filename=f"t.{fmt}")
    assert again.ok and again.imported == 0 and len(again.duplicates) == 1000
    assert str(again.duplicates[0]) == "第2行：工单编号“LY110-2025-00001”已导入过，跳过。"
    assert "没有新工单：1000 条均已导入过，未重复导入。" in again.lines()
    assert Message.objects.count() == 1000
    assert AuditEvent.objects.filter(action="interaction.tickets_import").count() == 1


def test_gbk_and_bom_csv_and_free_column_order(agency):
    rows = ticketgen.make_rows(5)
    order = [6, 5, 4, 3, 2, 1, 0]
    header = [ticketgen.HEADER[i] for i in order]
    reordered = [[r[i] for i in order] for r in rows]
    for data in (ticketgen.to_csv(reordered, header=header, encoding="gbk"),
                 ticketgen.to_csv(reordered, header=header, encoding="gb18030"),
                 ticketgen.to_csv(reordered, header=header, bom=True)):
        parsed = parse_tickets(data, today=TODAY)
        assert parsed.ok, parsed.problems
        assert [r.ticket_number for r in parsed.rows] == [r[0] for r in rows]
        assert parsed.rows[0].content == rows[0][5]
    assert "GBK" in parse_tickets(ticketgen.to_csv(rows, encoding="gbk"), today=TODAY).encoding


def test_file_level_problems_are_explained(agency):
    rows = ticketgen.make_rows(3)
    missing = parse_tickets(ticketgen.to_csv([r[:6] for r in rows], header=ticketgen.HEADER[:6]), today=TODAY)
    assert missing.file_problems[0].startswith("缺少列：办理部门。")
    assert parse_tickets(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, today=TODAY).file_problems[0].startswith("不支持 Excel 97-2003")
    assert "空" in parse_tickets(b"", today=TODAY).file_problems[0]
    assert "只有表头" in parse_tickets(ticketgen.to_csv([]), today=TODAY).file_problems[0]
    assert "不是 CSV 或 XLSX" in parse_tickets(b"\x00\x01\x02binary" * 10, today=TODAY).file_problems[0]


def test_row_problems_cover_every_column(agency):
    rows = ticketgen.make_rows(6)
    rows[0][2] = "2099-01-01"
    rows[1][4] = "12345"
    rows[2][5] = ""
    rows[3][0] = rows[4][0]
    rows[5][2] = ""
    parsed = parse_tickets(ticketgen.to_csv(rows), today=TODAY)
    messages = {p.row: p.message for p in parsed.problems}
    assert "晚于今天" in messages[2]
    assert "联系电话“12345”格式不对" in messages[3]
    assert "诉求内容为空" in messages[4]
    assert "与第5行重复" in messages[6] and "受理时间为空" in messages[7]
    assert set(messages) == {2, 3, 4, 6, 7}


def test_dates_in_many_spellings_and_excel_numbers(agency):
    from gongkai.interaction.tickets import parse_when

    assert parse_when("2025/3/4 9:05")[0] == date(2025, 3, 4)
    assert parse_when("2025年3月4日")[0] == date(2025, 3, 4)
    assert parse_when("20250304")[0] == date(2025, 3, 4)
    assert parse_when(45720.5)[0] == date(2025, 3, 4) and parse_when(45720.5)[1].hour == 12
    assert parse_when("2025-13-01") is None and parse_when("明天") is None


def test_cli_dry_run_import_and_exit_codes(agency, tmp_path, capsys):
    rows = ticketgen.make_rows(20)
    good = tmp_path / "工单.xlsx"
    good.write_bytes(ticketgen.to_xlsx(rows))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(ticketgen.to_csv(spoil(ticketgen.make_rows(1000))[:20] + [["", "12345", "x", "", "", "", ""]]))

    assert cli_main(["tickets", "import", str(bad), "--agency", agency.credit_code]) == 1
    out = capsys.readouterr().out
    assert "第18行：受理时间“2025-02-30 09:00”不是有效日期" in out and "第22行：" in out
    assert cli_main(["tickets", "import", str(good), "--agency", agency.name, "--dry-run"]) == 0
    assert "检查通过：可导入 20 条" in capsys.readouterr().out and not Message.objects.exists()
    assert cli_main(["tickets", "import", str(good), "--agency", agency.credit_code.lower()]) == 0
    assert "已导入 20 条工单" in capsys.readouterr().out and Message.objects.count() == 20
    assert AuditEvent.objects.get(action="interaction.tickets_import").actor_label == "命令行 gongkai tickets import"
    assert cli_main(["tickets", "import", str(good), "--agency", "不存在的局"]) == 2
    assert "找不到机关" in capsys.readouterr().err
    assert cli_main(["tickets", "import", str(tmp_path / "nope.csv"), "--agency", agency.name]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_admin_upload_checks_then_imports(client, agency, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(handler)
    rows = ticketgen.make_rows(10)
    bad = client.post("/admin/interaction/import/", {
        "agency": agency.pk, "file": SimpleUploadedFile("t.csv", ticketgen.to_csv(spoil(ticketgen.make_rows(1000))[:30])),
    })
    assert bad.status_code == 400 and "第18行：受理时间" in bad.content.decode() and not Message.objects.exists()
    checked = client.post("/admin/interaction/import/", {
        "agency": agency.pk, "dry_run": "on", "file": SimpleUploadedFile("t.csv", ticketgen.to_csv(rows, encoding="gbk")),
    })
    assert checked.status_code == 200 and "检查通过：可导入 10 条" in checked.content.decode()
    assert not Message.objects.exists()
    done = client.post("/admin/interaction/import/", {
        "agency": agency.pk, "file": SimpleUploadedFile("t.csv", ticketgen.to_csv(rows, encoding="gbk")),
    })
    assert done.status_code == 200 and "已导入 10 条工单" in done.content.decode()
    assert Message.objects.count() == 10
    missing = client.post("/admin/interaction/import/", {"agency": agency.pk})
    assert missing.status_code == 400 and "请选择工单文件" in missing.content.decode()
