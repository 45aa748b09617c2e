"""Audit events are append-only in the database and chained by hash; `gongkai audit` verifies and exports them."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gongkai.agencies.roles import Role
from gongkai.audit.integrity import PurgeRefused, purge_before, verify_chain
from gongkai.audit.models import AuditEvent, AuditImmutableError
from gongkai.audit.record import append, record
from gongkai.cli import main
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db
TABLE = "audit_auditevent"


def _events(n, agency=None, action="agencies.update"):
    return [record(action, agency=agency, new={"n": i, "名称": f"第{i}次"}) for i in range(n)]


def _bypass_trigger(cursor):
    """Work behind the model's and the database's back, as an attacker with the table owner's rights would."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before ALTER TABLE
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_append_only")
    else:
        cursor.execute("DROP TRIGGER audit_auditevent_no_update")


def _verify(capsys):
    code = main(["audit", "verify"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_chain_links_every_event_and_verify_reports_the_count(capsys):
    base = AuditEvent.objects.count()
    events = _events(4)
    assert [e.seq for e in events] == list(range(base + 1, base + 5))
    assert events[0].prev_hash == (AuditEvent.objects.filter(seq=base).values_list("hash", flat=True).first() or "")
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    code, out, _ = _verify(capsys)
    assert code == 0
    assert f"审计记录完整：{base + 4} 条" in out


def test_model_refuses_update_delete_and_unchained_insert():
    event = _events(1)[0]
    event.action = "agencies.create"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent(action="agencies.update").save()


def test_database_refuses_raw_update():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET subject_label = %s WHERE id = %s", ["篡改", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).subject_label == ""


def test_database_refuses_raw_delete_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: DELETE is refused by the model and found by verify (see the gap test)")
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    # Even the purge path may not remove an event younger than 180 days.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL gongkai.audit_purge = 'on'")
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_edit_behind_the_models_back_is_found_and_named(capsys):
    events = _events(4)
    target = events[1]
    with connection.cursor() as cursor:
        _bypass_trigger(cursor)
        cursor.execute(f"UPDATE {TABLE} SET new = %s WHERE id = %s", ['{"n": 99}', target.pk])
    code, out, err = _verify(capsys)
    assert code == 1 and "审计记录完整" not in out
    assert f"第 {target.seq} 号审计记录（数据库编号 {target.pk}）" in err
    assert "被修改" in err


def test_recomputed_hash_still_breaks_the_link(capsys):
    """An attacker who also rewrites the edited event's hash breaks the next event's link."""
    from gongkai.audit import chain

    events = _events(3)
    target = events[0]
    forged = chain.values_of(target) | {"subject_label": "伪造"}
    with connection.cursor() as cursor:
        _bypass_trigger(cursor)
        cursor.execute(f"UPDATE {TABLE} SET subject_label = %s, hash = %s WHERE id = %s",
                       ["伪造", chain.event_hash(forged), target.pk])
    code, _, err = _verify(capsys)
    assert code == 1
    assert f"第 {events[1].seq} 号审计记录（数据库编号 {events[1].pk}）" in err and "前一条哈希" in err


def test_deleted_event_is_found_as_a_gap(capsys):
    events = _events(4)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _bypass_trigger(cursor)
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])
    code, _, err = _verify(capsys)
    assert code == 1
    assert f"第 {events[3].seq} 号审计记录（数据库编号 {events[3].pk}）之前的第 {events[2].seq} 号记录缺失" in err


def test_purge_refuses_events_within_retention_and_keeps_the_chain_verifiable(settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 200
    now = timezone.now()
    old = [append(AuditEvent(at=now - dt.timedelta(days=400 - i), action="agencies.update", new={"i": i}))
           for i in range(3)]
    young = _events(2)
    total = AuditEvent.objects.count()
    with pytest.raises(PurgeRefused) as refused:
        purge_before(now - dt.timedelta(days=100))
    assert "须保存 200 天" in str(refused.value)
    assert AuditEvent.objects.count() == total
    assert main(["audit", "purge", "--before", (now - dt.timedelta(days=150)).date().isoformat()]) == 1
    assert AuditEvent.objects.count() == total

    deleted = purge_before(now - dt.timedelta(days=300))
    assert deleted == total - 2  # everything before the young events (the old ones and any earlier)
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 2
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.new["through_seq"] == old[-1].seq and purge.new["anchor_hash"] == old[-1].hash
    code, out, _ = _verify(capsys)
    assert code == 0 and "审计记录完整：3 条" in out


def test_export_cli_writes_the_period_with_hashes(tmp_path, capsys):
    agency = make_agency("导出测试局")
    events = _events(3, agency=agency)
    target = tmp_path / "audit.csv"
    today = timezone.localdate().isoformat()
    assert main(["audit", "export", "--from", today, "--to", today, "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("序号,时间,机构,操作人,操作代码,操作")
    for e in events:
        assert e.hash in text
    assert "导出测试局" in text and "修改机构信息" in text
    empty = tmp_path / "old.csv"
    assert main(["audit", "export", "--from", "2001-01-01", "--to", "2001-01-31", "-o", str(empty)]) == 0
    assert len(empty.read_text(encoding="utf-8-sig").splitlines()) == 1
    assert main(["audit", "export", "--from", "2001-13-01", "-o", str(empty)]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert AuditEvent.objects.filter(action="audit.export").count() == 2
    mine = tmp_path / "agency.csv"
    other = make_agency("另一个局")
    record("agencies.update", agency=other, new={"mark": "另一个局的记录"})
    assert main(["audit", "export", "--agency", "导出测试局", "-o", str(mine)]) == 0
    text = mine.read_text(encoding="utf-8-sig")
    assert events[0].hash in text and "另一个局的记录" not in text
    assert main(["audit", "export", "--agency", "不存在的局", "-o", str(mine)]) == 2
    assert "找不到机关" in capsys.readouterr().err


def test_admin_csv_export_is_scoped_like_the_page(client):
    mine, theirs = make_agency("本局"), make_agency("他局")
    head = make_user("audit_head", agency=mine, role=Role.OFFICE_HEAD)
    record("agencies.update", agency=mine, new={"short_name": "本局导出标记"})
    record("agencies.update", agency=theirs, new={"short_name": "他局导出标记"})
    client.force_login(head)
    page = client.get("/admin/audit/?from=2000-01-01").content.decode()
    assert "?format=csv&amp;from=2000-01-01" in page
    response = client.get("/admin/audit/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "本局导出标记" in body and "他局导出标记" not in body
    assert AuditEvent.objects.filter(action="audit.export", actor=head).exists()
    client.force_login(make_user("audit_editor", agency=mine, role=Role.EDITOR))
    response = client.get("/admin/audit/?format=csv")
    assert response.status_code in (302, 403)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    from django.db import connections

    start = AuditEvent.objects.count()
    errors = []

    def write(n):
        try:
            for i in range(8):
                with transaction.atomic():
                    record("agencies.update", new={"writer": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == start + 32 and seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    result = verify_chain()
    assert result.ok, result.broken
