"""The demo data loads through the actions, has one overdue message, and loads only once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gongkai.agencies.models import Agency
from gongkai.interaction.models import Message
from gongkai.interaction.selectors import overdue_board
from gongkai.interaction.stats import interaction_summary

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_and_idempotent(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "互动交流演示数据：新建留言" in out
    agency = Agency.objects.get(name="洛阳市退役军人事务局")
    count = Message.objects.count()
    assert Message.objects.filter(agency=agency, published_at__isnull=False).count() >= 8
    assert Message.objects.filter(channel="police_110").exists() and Message.objects.filter(channel="hotline_12345").exists()
    board = overdue_board(None, agency_ids=[agency.pk])
    assert [r.message.title for r in board.overdue + board.veto] == ["咨询烈士子女教育优待政策"]
    assert len(board.pending_approval) == 1 and len(board.untriaged) == 2
    from datetime import date

    summary = interaction_summary(agency, date(2025, 1, 1), date(2025, 12, 31))
    assert summary["police_110"] > 0 and summary["citizen_messages"] == 8 and summary["invalid"] == 1
    call_command("load_demo")
    assert "互动交流演示数据已存在" in capsys.readouterr().out
    assert Message.objects.count() == count
