"""`gongkai deadline` through gongkai.cli.main, plus the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main


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


def test_plain(capsys):
    code, out, err = run(capsys, "deadline", "2025-03-03")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0] == "2025-03-31"
    assert lines[1].startswith("《条例》第三十一条：2025-03-03 收到申请")
    assert lines[2].startswith("《条例》第三十三条第一款")


def test_pauses_and_extension(capsys):
    # Hand count in tests/law/test_clock.py::test_overlapping_consultations_and_extension.
    code, out, _ = run(capsys, "deadline", "2025-03-03", "--pause", "2025-03-10:2025-03-20",
                       "--pause", "2025-03-14:2025-03-25", "--extend", "2025-04-01")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "2025-05-16"
    assert sum("第三十三条第二款" in line for line in lines) == 2
    assert "延长答复期限 20 个工作日" in lines[-1]


def test_corrected_restarts(capsys):
    # 20 working days from 20 March 2025 (清明 4 April): 18 April.
    code, out, _ = run(capsys, "deadline", "2025-03-03", "--corrected", "2025-03-20")
    assert code == 0
    assert out.splitlines()[0] == "2025-04-18"
    assert "重新计算" in out


def test_extend_without_date(capsys):
    code, out, _ = run(capsys, "deadline", "2025-03-03", "--extend")
    # 31 March + 20: 1–3 Apr = 3, 7–11 = 8, 14–18 = 13, 21–25 = 18, Sun 27 Apr (调休) = 19, 28 Apr = 20.
    assert code == 0
    assert out.splitlines()[0] == "2025-04-28"


def test_json(capsys):
    code, out, _ = run(capsys, "deadline", "2025-03-03", "--pause", "2025-03-10:2025-03-14", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"due", "provisional", "explanation"}
    # 11–14 March excluded (4 days): 31 March + 4 = 1, 2, 3, 7 April.
    assert data["due"] == "2025-04-07"
    assert data["provisional"] is False
    assert all(isinstance(line, str) for line in data["explanation"])
    assert data["explanation"][0].startswith("《条例》第三十一条")


def test_json_provisional(capsys):
    code, out, _ = run(capsys, "deadline", "2026-12-15", "--json")
    data = json.loads(out)
    assert (data["due"], data["provisional"]) == ("2027-01-13", True)
    assert "2027 年放假安排尚未载入" in data["explanation"][-1]


@pytest.mark.parametrize(("argv", "message"), [
    (("2025-3-3x",), "收到申请日期“2025-3-3x”无效"),
    (("2025-03-03", "--pause", "2025-03-10"), "应写成 START:END"),
    (("2025-03-03", "--pause", "2025-03-20:2025-03-10"), "结束日期早于开始日期"),
    (("2025-03-03", "--pause", "2025-02-20:2025-03-10"), "早于收到申请之日"),
    (("2025-03-03", "--extend", "2025-04-01"), "届满前"),
    (("2025-03-03", "--corrected", "2025-02-01"), "早于"),
    (("2025-03-03", "--correction-notice", "2025-03-05"), "--corrected"),
])
def test_bad_input(capsys, argv, message):
    code, out, err = run(capsys, "deadline", *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("错误：")


def test_installed_entry_point():
    exe = Path(sys.executable).with_name("gongkai")
    if not exe.exists():
        pytest.skip("gongkai entry point not installed in this environment")
    proc = subprocess.run([str(exe), "deadline", "2020-01-20", "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["due"] == "2020-02-25"
