"""`gongkai calendar add|show` through gongkai.cli.main, plus the installed entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.law.calendar import default_calendar, parse_year_file


@pytest.fixture(autouse=True)
def builtin_calendar(monkeypatch):
    """Pin the CLI to the built-in calendar: these tests do not depend on the database."""
    import gongkai.cli._calendar_source as source
    from gongkai.law.calendar import default_calendar

    monkeypatch.setattr(source, "load_calendar", default_calendar)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("start", "n", "expected"), [
    ("2025-09-30", "1", "2025-10-09"),   # 国庆+中秋 1–8 October 2025
    ("2019-01-28", "20", "2019-02-28"),  # across Spring Festival 2019, counted by hand in test_calendar
    ("2025-10-01", "0", "2025-10-01"),
])
def test_add(capsys, start, n, expected):
    code, out, err = run(capsys, "calendar", "add", start, n)
    assert code == 0
    assert out.splitlines() == [expected]
    assert err == ""


def test_add_into_an_unloaded_year_says_provisional(capsys):
    code, out, _ = run(capsys, "calendar", "add", "2026-12-15", "20")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "2027-01-13"
    assert lines[1].startswith("暂定 (provisional): 2027 年放假安排尚未载入")


@pytest.mark.parametrize(("argv", "message"), [
    (("calendar", "add", "2025-02-30", "3"), "起算日期“2025-02-30”无效"),
    (("calendar", "add", "yesterday", "3"), "应写成 YYYY-MM-DD"),
    (("calendar", "add", "2025-01-01", "-3"), "应为非负整数"),
    (("calendar", "add", "2025-01-01", "ten"), "应为非负整数"),
    (("calendar", "show", "20x6"), "年份“20x6”无效"),
    (("calendar", "show", "3000"), "年份“3000”无效"),
])
def test_bad_input(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_show_official_year(capsys):
    code, out, _ = run(capsys, "calendar", "show", "2026")
    assert code == 0
    assert out.splitlines()[0].startswith("2026 年：正式")
    assert "通知：国务院办公厅关于2026年部分节假日安排的通知" in out
    assert "2026-02-15 至 2026-02-23（9 天）" in out
    assert "2026-01-04（星期日）" in out
    assert "2026-02-28（星期六）" in out


def test_show_provisional_year(capsys):
    code, out, _ = run(capsys, "calendar", "show", "2027")
    assert code == 0
    assert out.splitlines()[0].startswith("2027 年：暂定")
    assert "2027-02-05 至 2027-02-08（4 天）" in out
    assert "调休上班：\n  （无）" in out


def test_commands_use_the_calendar_source(capsys, monkeypatch):
    import gongkai.cli._calendar_source as source

    loaded = default_calendar().with_year(parse_year_file(
        "year: 2027\nnotice: 测试通知\nrest_days: [2027-01-01..2027-01-03, 2027-01-04]\n"))
    monkeypatch.setattr(source, "load_calendar", lambda: loaded)
    code, out, _ = run(capsys, "calendar", "add", "2026-12-31", "1")
    assert (code, out) == (0, "2027-01-05\n")  # official now: no provisional line
    code, out, _ = run(capsys, "calendar", "show", "2027")
    assert "正式" in out.splitlines()[0] and "测试通知" in out


def test_calendar_without_subcommand_prints_help(capsys):
    code, out, _ = run(capsys, "calendar")
    assert code == 2
    assert "add" in out and "show" in out


def test_installed_entry_point():
    exe = Path(sys.executable).with_name("gongkai")
    if not exe.exists():
        pytest.skip("gongkai entry point not installed in this environment")
    proc = subprocess.run([str(exe), "calendar", "add", "2020-01-20", "20"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["2020-02-25"]
