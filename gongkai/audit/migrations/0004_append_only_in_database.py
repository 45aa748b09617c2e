"""The database itself refuses to change audit events.

PostgreSQL: a trigger refuses every UPDATE and every DELETE, except the retention purge
(`gongkai audit purge`), which must say so in its transaction (`SET LOCAL
gongkai.audit_purge = 'on'`) and may only remove events older than 180 days, the
legal minimum (GB/T 22239-2019 8.1.4.3 d; 《网络安全法》第二十一条) — the configured
AUDIT_RETENTION_DAYS (≥ 180) is enforced by the command.

SQLite: a trigger refuses UPDATE. DELETE is refused by the model only (Django's test
flush deletes rows with DELETE); a deletion is found by `gongkai audit verify`.
A table rebuild by a later AlterField on SQLite drops the trigger: re-create it then
(tests/security/test_audit_chain.py checks it is there).
"""

from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION gongkai_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('gongkai.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除（%% 被拒绝）。', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGER = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION gongkai_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS gongkai_audit_append_only();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, '审计记录只能追加，不能修改。');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION.replace("%%", "%"), params=None)
        schema_editor.execute(PG_TRIGGER, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_hash_existing_events"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="序号"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
