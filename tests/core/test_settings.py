"""Production refuses unsafe settings; an unreachable database gives one clear line."""

import os
import subprocess
import sys
from pathlib import Path

from gongkai.core.environment import document_problems, unsafe_settings

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env):
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120)


def test_unsafe_settings_rules():
    dev = "dev-key"
    assert unsafe_settings(True, dev, dev, []) == []
    problems = unsafe_settings(False, dev, dev, [])
    assert any("SECRET_KEY" in p for p in problems) and any("ALLOWED_HOSTS" in p for p in problems)
    assert unsafe_settings(False, "x" * 50, dev, ["gk.example.gov.cn"]) == []
    assert any("太短" in p for p in unsafe_settings(False, "short", dev, ["h"]))


def test_wsgi_refuses_to_start_with_development_key_when_debug_is_off(tmp_path):
    # An empty var folder: no generated var/secret_key to fall back on.
    result = _run("import gongkai.wsgi", DEBUG="0", ALLOWED_HOSTS="gk.example.gov.cn", SECRET_KEY="",
                  GONGKAI_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "拒绝启动" in result.stderr and "SECRET_KEY" in result.stderr


def test_wsgi_starts_with_safe_production_settings(tmp_path):
    result = _run("import gongkai.wsgi; print('started')", DEBUG="0", ALLOWED_HOSTS="gk.example.gov.cn",
                  SECRET_KEY="k" * 50, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_check_command_reports_unsafe_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "", "SECRET_KEY": "", "GONGKAI_VAR_DIR": str(tmp_path),
             "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"},
    )
    assert result.returncode != 0
    assert "gongkai.E001" in result.stderr


def test_unreachable_database_gives_one_clear_message():
    result = _run("from gongkai.core.dbcheck import main; raise SystemExit(main())",
                  DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert result.returncode == 1
    assert "无法连接数据库" in result.stderr and "127.0.0.1:1/nowhere" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_database_url_is_explained():
    result = _run("from gongkai.core.dbcheck import main; raise SystemExit(main())", DATABASE_URL="mysqlx:/??")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_document_dependencies_present_on_this_machine():
    # CI installs fonts-noto-cjk and libharfbuzz-subset0; their absence must be reported.
    assert document_problems() == []


def test_document_dependencies_absence_is_reported(monkeypatch):
    from gongkai.core import environment

    monkeypatch.setattr(environment, "cjk_font_present", lambda: False)
    monkeypatch.setattr(environment, "harfbuzz_subset_present", lambda: False)
    problems = environment.document_problems()
    assert len(problems) == 2
    assert all("apt-get install -y fonts-noto-cjk libharfbuzz-subset0" in p for p in problems)
