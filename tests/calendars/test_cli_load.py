import pytest

from gongkai.audit.models import AuditEvent
from gongkai.calendars.models import CalendarYear
from gongkai.cli import main

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = "year: 2027\nnotice: 测试通知\nrest_days:\n  - 2027-01-01\n  - 2027-02-05..2027-02-11\nworking_days:\n  - 2027-02-14\n"


def test_load_then_add_uses_the_loaded_year(tmp_path, capsys):
    path = tmp_path / "2027.yaml"
    path.write_text(YEAR, encoding="utf-8")
    assert main(["calendar", "add", "2027-01-25", "20"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2027-02-24" and "暂定" in out[1]
    assert main(["calendar", "load", str(path)]) == 0
    out = capsys.readouterr().out
    assert "已载入 2027 年放假安排" in out and "未办结案件的期限已按新安排重算：0 件在办申请，0 件期限改变。" in out
    assert main(["calendar", "add", "2027-01-25", "20"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["2027-02-26"], "official year: no provisional line, 调休 Sunday counted"
    assert AuditEvent.objects.filter(action="calendars.year_load", actor_label="").count() == 1


def test_load_refuses_bad_file_and_changes_nothing(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(YEAR, encoding="utf-8")
    main(["calendar", "load", str(good)])
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2027\nworking_days: [2027-02-10]\n", encoding="gb18030")
    capsys.readouterr()
    assert main(["calendar", "load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "星期六、星期日" in err and "未作任何更改" in err
    assert CalendarYear.objects.get().yaml_text == YEAR
    assert main(["calendar", "load", str(tmp_path / "missing.yaml")]) == 2
    assert "找不到文件" in capsys.readouterr().err
